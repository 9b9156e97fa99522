// Functions that publish the extension's own tables of facts to SQL: its error codes and
// its default currency setting.
#include <optional>
#include <string>

#include "core/ledger_error.hpp"
#include "pg/boundary.hpp"
#include "pg/error_table.hpp"
#include "pg/function_args.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(accounts_error_codes);
PG_FUNCTION_INFO_V1(accounts_default_currency);
PG_FUNCTION_INFO_V1(accounts_raise);
PG_FUNCTION_INFO_V1(accounts_report_zone);
}

namespace oscar_accounts::pg {

// Defined in module.cpp: the values of oscar_accounts.default_currency and .report_time_zone.
const char *DefaultCurrencySetting();
const char *ReportTimeZoneSetting();

namespace {

// accounts_error_codes(): one row per error the extension raises, straight from the table
// the boundary uses, so documentation and clients can be checked against it.
Datum ErrorCodes(FunctionCallInfo fcinfo) {
	CallPg([&] {
		ReturnSetInfo *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
		InitMaterializedSRF(fcinfo, 0);
		const ErrorTableEntry *table = ErrorTable();
		for (std::size_t i = 0; i < core::kErrorCodeCount; ++i) {
			Datum values[3] = {CStringGetTextDatum(table[i].sqlstate), CStringGetTextDatum(table[i].name),
			                   CStringGetTextDatum(table[i].description)};
			bool nulls[3] = {false, false, false};
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	});
	return static_cast<Datum>(0);
}

// _report_zone(): the zone report dates are read in (the setting, else the session's TimeZone).
Datum ReportZone() {
	Datum result = 0;
	CallPg([&] {
		const char *zone = ReportTimeZoneSetting();
		if (zone[0] == '\0') {
			zone = pg_get_timezone_name(session_timezone);
		}
		result = CStringGetTextDatum(zone);
	});
	return result;
}

Datum DefaultCurrency() {
	Datum result = 0;
	CallPg([&] { result = CStringGetTextDatum(DefaultCurrencySetting()); });
	return result;
}

// accounts._raise(condition, message, detail): lets SQL-language functions raise through the
// same table as C++ code, so every SQLSTATE the extension uses is listed in one place.
Datum Raise(FunctionCallInfo fcinfo) {
	std::string condition = TextArgument(fcinfo, 0).value_or("");
	std::string message = TextArgument(fcinfo, 1).value_or("");
	std::string detail = TextArgument(fcinfo, 2).value_or("");
	std::optional<core::ErrorCode> code = ErrorCodeByName(condition);
	if (!code) {
		throw core::LedgerError(core::ErrorCode::Internal, "unknown error condition \"" + condition + "\"");
	}
	throw core::LedgerError(*code, message, detail);
}

} // namespace

} // namespace oscar_accounts::pg

extern "C" Datum accounts_error_codes(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::ErrorCodes(fcinfo); });
}

extern "C" Datum accounts_default_currency(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::DefaultCurrency(); });
}

extern "C" Datum accounts_raise(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::Raise(fcinfo); });
}

extern "C" Datum accounts_report_zone(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::ReportZone(); });
}
