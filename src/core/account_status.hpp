// The three states of an account, as stored in accounts.account.status.
#pragma once
#include <optional>
#include <string_view>

namespace oscar_accounts::core {

enum class AccountStatus { Open, Frozen, Closed };

// Reads the stored spelling ("Open", "Frozen", "Closed"); nullopt for anything else.
std::optional<AccountStatus> ParseAccountStatus(std::string_view text);

// The stored spelling, also used in messages.
std::string_view AccountStatusName(AccountStatus status);

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
