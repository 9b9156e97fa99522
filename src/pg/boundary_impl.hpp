// Template body of RunAtBoundary(); see boundary.hpp for the rules.
#pragma once

namespace oscar_accounts::pg {

template <typename F>
Datum RunAtBoundary(F &&body) {
	ErrorData *pg_error = nullptr;
	int sqlstate = ERRCODE_INTERNAL_ERROR;
	// Generous, but fixed: nothing in a catch block may allocate through PostgreSQL.
	char message[4096] = {0};
	char detail[4096] = {0};
	try {
		return body();
	} catch (const PgError &e) {
		pg_error = e.data;
	} catch (const core::LedgerError &e) {
		sqlstate = SqlStateOf(e.Code());
		std::strncpy(message, e.what(), sizeof message - 1);
		std::strncpy(detail, e.Detail().c_str(), sizeof detail - 1);
	} catch (const std::bad_alloc &) {
		sqlstate = ERRCODE_OUT_OF_MEMORY;
		std::strncpy(message, "out of memory", sizeof message - 1);
	} catch (const std::exception &e) {
		std::strncpy(message, e.what(), sizeof message - 1);
	} catch (...) {
		std::strncpy(message, "unknown C++ exception", sizeof message - 1);
	}
	// Outside every catch block: a longjmp from inside one would corrupt the C++ runtime.
	if (pg_error != nullptr) {
		ReThrowError(pg_error);
	}
	// A long text cut by the copy must not end in half a character of the database encoding.
	ClipToWholeCharacters(message);
	ClipToWholeCharacters(detail);
	ReportLedgerError(sqlstate, message, detail);
}

} // namespace oscar_accounts::pg
