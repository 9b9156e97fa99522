#include "pg/spi_statement.hpp"

#include "pg/boundary.hpp"

namespace oscar_accounts::pg {

SpiStatement::SpiStatement(const char *sql, std::initializer_list<Oid> arg_types) : sql_(sql) {
	for (Oid type : arg_types) {
		// More arguments than kMaxArgs would be a programming error; Prepare() would then fail loudly.
		if (arg_count_ < kMaxArgs) {
			arg_types_[arg_count_++] = type;
		}
	}
}

void SpiStatement::Prepare() {
	SPIPlanPtr prepared = nullptr;
	const char *sql = sql_;
	int count = arg_count_;
	Oid *types = arg_types_;
	CallPg([&] {
		prepared = SPI_prepare(sql, count, types);
		if (prepared == nullptr) {
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		}
		if (SPI_keepplan(prepared) != 0) {
			elog(ERROR, "SPI_keepplan failed");
		}
	});
	plan_ = prepared;
}

std::uint64_t SpiStatement::Run(const Datum *values, const char *nulls, bool latest_snapshot) {
	if (plan_ == nullptr) {
		Prepare();
	}
	SPIPlanPtr plan = plan_;
	const char *sql = sql_;
	std::uint64_t processed = 0;
	CallPg([&] {
		Datum *args = const_cast<Datum *>(values);
		int rc = latest_snapshot
		             ? SPI_execute_snapshot(plan, args, nulls, GetLatestSnapshot(), InvalidSnapshot, true, false, 0)
		             : SPI_execute_plan(plan, args, nulls, false, 0);
		if (rc < 0) {
			elog(ERROR, "SPI failed for \"%s\": %s", sql, SPI_result_code_string(rc));
		}
		processed = SPI_processed;
	});
	return processed;
}

std::uint64_t SpiStatement::Execute(const Datum *values, const char *nulls) {
	return Run(values, nulls, false);
}

std::uint64_t SpiStatement::ExecuteWithLatestSnapshot(const Datum *values, const char *nulls) {
	return Run(values, nulls, true);
}

void SpiConnect() {
	CallPg([] {
		if (SPI_connect() != SPI_OK_CONNECT) {
			elog(ERROR, "SPI_connect failed");
		}
	});
}

void SpiFinish() {
	CallPg([] { SPI_finish(); });
}

namespace {

Datum ColumnDatum(std::uint64_t row, int column, bool *is_null) {
	return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, column, is_null);
}

} // namespace

std::optional<std::int64_t> SpiInt64(std::uint64_t row, int column) {
	bool is_null = false;
	Datum value = ColumnDatum(row, column, &is_null);
	if (is_null) {
		return std::nullopt;
	}
	return DatumGetInt64(value);
}

std::optional<std::string> SpiText(std::uint64_t row, int column) {
	bool is_null = false;
	Datum value = ColumnDatum(row, column, &is_null);
	if (is_null) {
		return std::nullopt;
	}
	char *chars = nullptr;
	CallPg([&] { chars = TextDatumGetCString(value); });
	return std::string(chars);
}

std::optional<TimestampTz> SpiTimestamp(std::uint64_t row, int column) {
	bool is_null = false;
	Datum value = ColumnDatum(row, column, &is_null);
	if (is_null) {
		return std::nullopt;
	}
	return DatumGetTimestampTz(value);
}

bool SpiBool(std::uint64_t row, int column) {
	bool is_null = false;
	Datum value = ColumnDatum(row, column, &is_null);
	return !is_null && DatumGetBool(value);
}

Datum TextArg(const std::string &text) {
	Datum result = 0;
	const char *chars = text.c_str();
	CallPg([&] { result = CStringGetTextDatum(chars); });
	return result;
}

Datum NumericArg(const std::string &numeric_text) {
	Datum result = 0;
	const char *chars = numeric_text.c_str();
	CallPg([&] {
		result = DirectFunctionCall3(numeric_in, CStringGetDatum(chars), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	});
	return result;
}

Datum OptionalTextArg(const std::optional<std::string> &text, char *null_flag) {
	if (!text) {
		*null_flag = 'n';
		return 0;
	}
	return TextArg(*text);
}

Datum OptionalInt64Arg(const std::optional<std::int64_t> &value, char *null_flag) {
	if (!value) {
		*null_flag = 'n';
		return 0;
	}
	return Int64GetDatum(*value);
}

} // namespace oscar_accounts::pg
