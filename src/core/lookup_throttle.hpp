// Brute-force protection for code look-ups, per client address: temporarily blocked after
// `freeze_threshold` consecutive failures for `cooling_off_seconds` after the last one,
// permanently after more than `block_threshold` failures in total.
#pragma once
#include <cstdint>
#include <optional>

namespace oscar_accounts::core {

struct ThrottleSettings {
	int freeze_threshold = 3;
	int block_threshold = 10;
	std::int64_t cooling_off_seconds = 300;
};

struct FailureRecord {
	int consecutive_failures = 0;
	int total_failures = 0;
	std::optional<std::int64_t> last_failure_micros; // timestamptz of the last failure
};

enum class BlockState { NotBlocked, Temporarily, Permanently };

// Elapsed time counts whole days too (the reference's timedelta.seconds ignores them).
BlockState CheckBlocked(const FailureRecord &record, std::int64_t now_micros, const ThrottleSettings &settings);

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
