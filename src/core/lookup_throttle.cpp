#include "core/lookup_throttle.hpp"

namespace oscar_accounts::core {

BlockState CheckBlocked(const FailureRecord &record, std::int64_t now_micros, const ThrottleSettings &settings) {
	if (record.total_failures > settings.block_threshold) {
		return BlockState::Permanently;
	}
	if (record.consecutive_failures >= settings.freeze_threshold && record.last_failure_micros) {
		std::int64_t elapsed = now_micros - *record.last_failure_micros;
		if (elapsed < settings.cooling_off_seconds * 1'000'000) {
			return BlockState::Temporarily;
		}
	}
	return BlockState::NotBlocked;
}

} // namespace oscar_accounts::core
