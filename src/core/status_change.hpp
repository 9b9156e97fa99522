// Account status transitions: freeze (Open -> Frozen), thaw (Frozen -> Open), close (Open or
// Frozen -> Closed, refused while money remains). Closed is final.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/account_status.hpp"
#include "core/money.hpp"

namespace oscar_accounts::core {

enum class StatusAction { Freeze, Thaw, Close };

std::optional<StatusAction> ParseStatusAction(std::string_view text);

// The status after `action`, or a LedgerError: AccountClosed for any change of a Closed
// account, InvalidStatusTransition for freezing a Frozen or thawing an Open account,
// AccountNotEmpty for closing an account whose balance is positive.
AccountStatus PlanStatusChange(std::int64_t account_id, AccountStatus current, StatusAction action, Money balance);

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
