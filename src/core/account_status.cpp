#include "core/account_status.hpp"

namespace oscar_accounts::core {

std::optional<AccountStatus> ParseAccountStatus(std::string_view text) {
	if (text == "Open") {
		return AccountStatus::Open;
	}
	if (text == "Frozen") {
		return AccountStatus::Frozen;
	}
	if (text == "Closed") {
		return AccountStatus::Closed;
	}
	return std::nullopt;
}

std::string_view AccountStatusName(AccountStatus status) {
	switch (status) {
	case AccountStatus::Open:
		return "Open";
	case AccountStatus::Frozen:
		return "Frozen";
	case AccountStatus::Closed:
		return "Closed";
	}
	return "Unknown";
}

} // namespace oscar_accounts::core
