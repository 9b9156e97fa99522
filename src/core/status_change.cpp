#include "core/status_change.hpp"

#include <string>

#include "core/ledger_error.hpp"

namespace oscar_accounts::core {

std::optional<StatusAction> ParseStatusAction(std::string_view text) {
	if (text == "freeze") {
		return StatusAction::Freeze;
	}
	if (text == "thaw") {
		return StatusAction::Thaw;
	}
	if (text == "close") {
		return StatusAction::Close;
	}
	return std::nullopt;
}

AccountStatus PlanStatusChange(std::int64_t account_id, AccountStatus current, StatusAction action, Money balance) {
	std::string label = "account #" + std::to_string(account_id);
	if (current == AccountStatus::Closed) {
		throw LedgerError(ErrorCode::AccountClosed, label + " is closed", "A Closed account is never reopened or frozen.");
	}
	switch (action) {
	case StatusAction::Freeze:
		if (current != AccountStatus::Open) {
			throw LedgerError(ErrorCode::InvalidStatusTransition, label + " is already frozen");
		}
		return AccountStatus::Frozen;
	case StatusAction::Thaw:
		if (current != AccountStatus::Frozen) {
			throw LedgerError(ErrorCode::InvalidStatusTransition, label + " is not frozen");
		}
		return AccountStatus::Open;
	case StatusAction::Close:
		if (balance.IsPositive()) {
			throw LedgerError(ErrorCode::AccountNotEmpty, label + " still holds " + balance.ToString(),
			                  "Move the balance elsewhere (or let the expiry sweep lapse it) before closing.");
		}
		return AccountStatus::Closed;
	}
	return current;
}

} // namespace oscar_accounts::core
