// The one table from core error codes to SQLSTATEs, condition names and meanings.
#pragma once
#include <optional>
#include <string_view>

#include "core/error_code.hpp"

namespace oscar_accounts::pg {

struct ErrorTableEntry {
	core::ErrorCode code;
	const char *sqlstate;    // five characters
	const char *name;        // stable condition name, used by triggers and by clients
	const char *description; // one sentence for the README and accounts_error_codes()
};

// Every entry, in ErrorCode order.
const ErrorTableEntry *ErrorTable();

// The entry for `code`.
const ErrorTableEntry &ErrorEntry(core::ErrorCode code);

// The entry named `name`, for triggers that raise by condition name.
std::optional<core::ErrorCode> ErrorCodeByName(std::string_view name);

// The SQLSTATE of `code` as PostgreSQL's packed integer.
int SqlStateOf(core::ErrorCode code);

} // namespace oscar_accounts::pg
