#include "core/account_snapshot.hpp"

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

} // namespace oscar_accounts::core
