// Code look-up throttling, including the reference's daily-recurrence bug.
#include <gtest/gtest.h>

#include "core/lookup_throttle.hpp"

namespace oscar_accounts::core {
namespace {

constexpr std::int64_t kSecond = 1'000'000;

TEST(LookupThrottle, ReferenceExpectations) {
	ThrottleSettings settings;
	EXPECT_EQ(CheckBlocked({}, 0, settings), BlockState::NotBlocked);
	FailureRecord three {3, 3, 100 * kSecond};
	EXPECT_EQ(CheckBlocked(three, 101 * kSecond, settings), BlockState::Temporarily);
	FailureRecord reset_then_one {1, 3, 100 * kSecond};
	EXPECT_EQ(CheckBlocked(reset_then_one, 101 * kSecond, settings), BlockState::NotBlocked);
}

TEST(LookupThrottle, TemporaryBlockEndsAfterTheCoolingOffPeriodAndNeverRecurs) {
	ThrottleSettings settings;
	FailureRecord three {3, 3, 0};
	EXPECT_EQ(CheckBlocked(three, 299 * kSecond, settings), BlockState::Temporarily);
	EXPECT_EQ(CheckBlocked(three, 300 * kSecond, settings), BlockState::NotBlocked);
	// The reference used timedelta.seconds: blocked again one day and 60 seconds later.
	EXPECT_EQ(CheckBlocked(three, (86400 + 60) * kSecond, settings), BlockState::NotBlocked);
}

TEST(LookupThrottle, PermanentAfterMoreThanTheBlockThreshold) {
	ThrottleSettings settings;
	EXPECT_EQ(CheckBlocked({0, 10, 0}, 1000 * kSecond, settings), BlockState::NotBlocked);
	EXPECT_EQ(CheckBlocked({0, 11, 0}, 1000000 * kSecond, settings), BlockState::Permanently);
}

TEST(LookupThrottle, ThresholdsAreSettings) {
	ThrottleSettings strict {1, 2, 60};
	EXPECT_EQ(CheckBlocked({1, 1, 0}, 59 * kSecond, strict), BlockState::Temporarily);
	EXPECT_EQ(CheckBlocked({0, 3, 0}, 0, strict), BlockState::Permanently);
}

} // namespace
} // namespace oscar_accounts::core
