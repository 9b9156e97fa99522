#include "pg/function_args.hpp"

#include "core/ledger_error.hpp"
#include "pg/spi_statement.hpp"

namespace oscar_accounts::pg {

std::optional<std::int64_t> Int64Arg(FunctionCallInfo fcinfo, int index) {
	if (PG_ARGISNULL(index)) {
		return std::nullopt;
	}
	return PG_GETARG_INT64(index);
}

std::optional<std::int32_t> Int32Arg(FunctionCallInfo fcinfo, int index) {
	if (PG_ARGISNULL(index)) {
		return std::nullopt;
	}
	return PG_GETARG_INT32(index);
}

std::optional<bool> BoolArg(FunctionCallInfo fcinfo, int index) {
	if (PG_ARGISNULL(index)) {
		return std::nullopt;
	}
	return PG_GETARG_BOOL(index);
}

std::optional<std::string> TextArgument(FunctionCallInfo fcinfo, int index) {
	if (PG_ARGISNULL(index)) {
		return std::nullopt;
	}
	char *chars = nullptr;
	CallPg([&] { chars = text_to_cstring(PG_GETARG_TEXT_PP(index)); });
	return std::string(chars);
}

std::optional<core::Instant> TimestampArg(FunctionCallInfo fcinfo, int index) {
	if (PG_ARGISNULL(index)) {
		return std::nullopt;
	}
	return PG_GETARG_TIMESTAMPTZ(index);
}

std::optional<std::string> NumericTextArg(FunctionCallInfo fcinfo, int index) {
	if (PG_ARGISNULL(index)) {
		return std::nullopt;
	}
	char *chars = nullptr;
	CallPg([&] { chars = DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(index))); });
	return std::string(chars);
}

core::Money RequiredMoneyArg(FunctionCallInfo fcinfo, int index, const char *name) {
	std::optional<std::string> text = NumericTextArg(fcinfo, index);
	if (!text) {
		throw core::LedgerError(core::ErrorCode::NullArgument, std::string(name) + " must not be null");
	}
	return core::Money::Parse(*text);
}

std::optional<std::size_t> CharacterCount(const std::optional<std::string> &text) {
	if (!text) {
		return std::nullopt;
	}
	int characters = 0;
	const char *chars = text->c_str();
	int bytes = static_cast<int>(text->size());
	CallPg([&] { characters = pg_mbstrlen_with_len(chars, bytes); });
	return static_cast<std::size_t>(characters);
}

Datum TextResult(const std::string &text) {
	return TextArg(text);
}

Datum NumericResult(const core::Money &amount) {
	return NumericArg(amount.ToString());
}

} // namespace oscar_accounts::pg
