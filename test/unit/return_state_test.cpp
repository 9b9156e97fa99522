// Reversals and refunds: once only, never more than the original, never of a reversal.
#include <gtest/gtest.h>

#include "core/ledger_error.hpp"
#include "error_code_of.hpp"
#include "core/return_state.hpp"

namespace oscar_accounts::core {
namespace {

ReturnState Redemption(const char *amount, const char *returned) {
	ReturnState state;
	state.transfer_id = 9;
	state.source_id = 5;
	state.destination_id = 1;
	state.amount = Money::Parse(amount);
	state.returned = Money::Parse(returned);
	return state;
}

TEST(Reversal, MovesBackWhatRemainsAfterRefunds) {
	EXPECT_EQ(PlanReversalAmount(Redemption("100", "0")).ToString(), "100.00");
	EXPECT_EQ(PlanReversalAmount(Redemption("100", "35.50")).ToString(), "64.50");
}

TEST(Reversal, RefusedWhenNothingRemains) {
	EXPECT_EQ(CodeOf([] { PlanReversalAmount(Redemption("100", "100")); }), ErrorCode::NothingLeftToReturn);
}

TEST(Reversal, RefusedTwice) {
	ReturnState state = Redemption("100", "100");
	state.reversed = true;
	EXPECT_EQ(CodeOf([&] { PlanReversalAmount(state); }), ErrorCode::TransferAlreadyReversed);
}

TEST(Reversal, ReversalsAndRefundsCannotBeReversed) {
	ReturnState reversal = Redemption("100", "0");
	reversal.kind = TransferKind::Reversal;
	EXPECT_EQ(CodeOf([&] { PlanReversalAmount(reversal); }), ErrorCode::TransferNotReturnable);
	ReturnState refund = Redemption("100", "0");
	refund.kind = TransferKind::Refund;
	EXPECT_EQ(CodeOf([&] { PlanReversalAmount(refund); }), ErrorCode::TransferNotReturnable);
}

TEST(Refund, CappedByWhatRemains) {
	ReturnState state = Redemption("300", "25");
	EXPECT_NO_THROW(CheckRefund(state, 1, 5, Money::Parse("275")));
	EXPECT_EQ(CodeOf([&] { CheckRefund(state, 1, 5, Money::Parse("275.01")); }), ErrorCode::RefundExceedsRemaining);
}

TEST(Refund, AfterAReversalIsRefused) {
	ReturnState state = Redemption("300", "300");
	state.reversed = true;
	EXPECT_EQ(CodeOf([&] { CheckRefund(state, 1, 5, Money::Parse("1")); }), ErrorCode::TransferAlreadyReversed);
}

TEST(Refund, MustFlowFromTheOriginalDestinationToTheOriginalSource) {
	ReturnState state = Redemption("300", "0");
	EXPECT_EQ(CodeOf([&] { CheckRefund(state, 5, 1, Money::Parse("1")); }), ErrorCode::RefundWrongDirection);
	EXPECT_EQ(CodeOf([&] { CheckRefund(state, 1, 6, Money::Parse("1")); }), ErrorCode::RefundWrongDirection);
}

} // namespace
} // namespace oscar_accounts::core
