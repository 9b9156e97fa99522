// Status transitions: freeze, thaw, close; Closed is final.
#include <gtest/gtest.h>

#include "core/ledger_error.hpp"
#include "error_code_of.hpp"
#include "core/status_change.hpp"

namespace oscar_accounts::core {
namespace {

const Money kZero = Money::Parse("0");

TEST(StatusChange, FreezeAndThaw) {
	EXPECT_EQ(PlanStatusChange(5, AccountStatus::Open, StatusAction::Freeze, kZero), AccountStatus::Frozen);
	EXPECT_EQ(PlanStatusChange(5, AccountStatus::Frozen, StatusAction::Thaw, kZero), AccountStatus::Open);
	EXPECT_EQ(CodeOf([] { PlanStatusChange(5, AccountStatus::Frozen, StatusAction::Freeze, kZero); }),
	          ErrorCode::InvalidStatusTransition);
	EXPECT_EQ(CodeOf([] { PlanStatusChange(5, AccountStatus::Open, StatusAction::Thaw, kZero); }),
	          ErrorCode::InvalidStatusTransition);
}

TEST(StatusChange, CloseOnlyWithoutMoney) {
	EXPECT_EQ(PlanStatusChange(5, AccountStatus::Open, StatusAction::Close, kZero), AccountStatus::Closed);
	EXPECT_EQ(PlanStatusChange(5, AccountStatus::Frozen, StatusAction::Close, kZero), AccountStatus::Closed);
	// A negative balance may close, as in the reference.
	EXPECT_EQ(PlanStatusChange(5, AccountStatus::Open, StatusAction::Close, Money::Parse("-5")), AccountStatus::Closed);
	EXPECT_EQ(CodeOf([] { PlanStatusChange(5, AccountStatus::Open, StatusAction::Close, Money::Parse("0.01")); }),
	          ErrorCode::AccountNotEmpty);
}

TEST(StatusChange, ClosedIsFinal) {
	for (StatusAction action : {StatusAction::Freeze, StatusAction::Thaw, StatusAction::Close}) {
		EXPECT_EQ(CodeOf([action] { PlanStatusChange(5, AccountStatus::Closed, action, kZero); }),
		          ErrorCode::AccountClosed);
	}
}

TEST(StatusChange, ParsesActionNames) {
	EXPECT_EQ(ParseStatusAction("freeze"), StatusAction::Freeze);
	EXPECT_EQ(ParseStatusAction("thaw"), StatusAction::Thaw);
	EXPECT_EQ(ParseStatusAction("close"), StatusAction::Close);
	EXPECT_FALSE(ParseStatusAction("reopen").has_value());
}

} // namespace
} // namespace oscar_accounts::core
