#include "core/account_snapshot.hpp"

#include <limits>

#include "core/ledger_error.hpp"

namespace oscar_accounts::core {

bool IsWithinValidityWindow(const AccountSnapshot &account, Instant now) {
	if (account.start_date && now < *account.start_date) {
		return false;
	}
	if (account.end_date && now >= *account.end_date) {
		return false;
	}
	return true;
}

bool CanBeAuthorisedBy(const AccountSnapshot &account, std::optional<std::int64_t> user_id) {
	if (!user_id) {
		return true;
	}
	if (account.primary_user_id) {
		return *account.primary_user_id == *user_id;
	}
	if (account.has_secondary_users) {
		return account.user_is_secondary;
	}
	return true;
}

void CheckValidityWindow(std::optional<Instant> start_date, std::optional<Instant> end_date) {
	// PostgreSQL stores -infinity and infinity as the extreme int64 values.
	auto infinite = [](std::optional<Instant> date) {
		return date && (*date == std::numeric_limits<Instant>::min() || *date == std::numeric_limits<Instant>::max());
	};
	if (infinite(start_date) || infinite(end_date)) {
		throw LedgerError(ErrorCode::InvalidValidityWindow, "start_date and end_date must be finite",
		                  "Leave a date NULL for no limit.");
	}
	if (start_date && end_date && *end_date < *start_date) {
		throw LedgerError(ErrorCode::InvalidValidityWindow, "end_date must not be before start_date");
	}
}

} // namespace oscar_accounts::core
