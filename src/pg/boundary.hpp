// The C++ / PostgreSQL boundary. Two hazards meet here:
//  - a C++ exception must never leave an SQL-callable function (the backend aborts and the
//    postmaster restarts every session);
//  - a PostgreSQL error is a longjmp: it must never jump over a C++ frame that holds live
//    objects (their destructors would be skipped).
// So every SQL-callable body runs inside RunAtBoundary(), and every PostgreSQL call that can
// raise an error runs inside CallPg(), which turns the error into a C++ PgError so the C++
// stack unwinds normally; RunAtBoundary() then re-raises it, or turns a core LedgerError
// into ereport() through the one error table. Lambdas given to CallPg() must be C-style:
// they create no object with a destructor and throw nothing.
#pragma once

#include <cstring>
#include <new>

#include "core/ledger_error.hpp"
#include "pg/error_table.hpp"
// PostgreSQL headers come after every core header (core headers refuse to follow them).
#include "pg/postgres_headers.hpp"

namespace oscar_accounts::pg {

// A PostgreSQL error caught by CallPg(), carried across C++ frames.
struct PgError {
	ErrorData *data;
};

template <typename F>
void CallPg(F &&fn) {
	MemoryContext caller_context = CurrentMemoryContext;
	ErrorData *volatile caught = nullptr;
	PG_TRY();
	{
		fn();
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(caller_context);
		caught = CopyErrorData();
		FlushErrorState();
	}
	PG_END_TRY();
	if (caught != nullptr) {
		throw PgError {caught};
	}
}

// Shortens a NUL-terminated buffer so that it ends on a whole character of the database encoding.
void ClipToWholeCharacters(char *text);

// Raises the error described by a core code and texts; used outside any catch block.
[[noreturn]] void ReportLedgerError(int sqlstate, const char *message, const char *detail);

// Runs `body` (returning a Datum) and converts whatever it throws into a PostgreSQL error.
template <typename F>
Datum RunAtBoundary(F &&body);

} // namespace oscar_accounts::pg

#include "pg/boundary_impl.hpp"
