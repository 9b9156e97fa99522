// permitted_allocation: the reference's examples, product ranges, and the fix for #41.
#include <gtest/gtest.h>

#include "core/allocation_rules.hpp"
#include "core/ledger_error.hpp"

namespace oscar_accounts::core {
namespace {

AllocationInput Card(const char *balance, const char *shipping, const char *order) {
	AllocationInput input;
	input.balance = Money::Parse(balance);
	input.credit_limit = Money::Parse("0");
	input.shipping_total = Money::Parse(shipping);
	input.order_total = Money::Parse(order);
	return input;
}

TEST(PermittedAllocation, ReferenceExamples) {
	EXPECT_EQ(PermittedAllocation(Card("0", "2", "12")).ToString(), "0.00");
	EXPECT_EQ(PermittedAllocation(Card("100", "2", "12")).ToString(), "12.00");
	EXPECT_EQ(PermittedAllocation(Card("100", "2", "120")).ToString(), "100.00");
	AllocationInput products_only = Card("100", "20", "40");
	products_only.can_be_used_for_non_products = false;
	EXPECT_EQ(PermittedAllocation(products_only).ToString(), "20.00");
}

TEST(PermittedAllocation, TwoCardsForOneOrderEachCoverWhatRemains) {
	// Bug #41: a 20.00 order, two 10.00 cards. The second card may cover the other 10.00.
	AllocationInput first = Card("10", "0", "20");
	EXPECT_EQ(PermittedAllocation(first).ToString(), "10.00");
	AllocationInput second = Card("10", "0", "20");
	second.other_allocated = Money::Parse("10");
	EXPECT_EQ(PermittedAllocation(second).ToString(), "10.00");
	AllocationInput third = Card("10", "0", "20");
	third.other_allocated = Money::Parse("20");
	EXPECT_EQ(PermittedAllocation(third).ToString(), "0.00");
}

TEST(PermittedAllocation, ProductRange) {
	AllocationInput ranged = Card("100", "5", "50");
	ranged.has_product_range = true;
	ranged.range_total = Money::Parse("30");
	EXPECT_EQ(PermittedAllocation(ranged).ToString(), "35.00"); // range lines + shipping
	ranged.can_be_used_for_non_products = false;
	EXPECT_EQ(PermittedAllocation(ranged).ToString(), "30.00");
	ranged.balance = Money::Parse("12.50");
	EXPECT_EQ(PermittedAllocation(ranged).ToString(), "12.50");
}

TEST(PermittedAllocation, NeverNegativeAndUsesTheCreditLimit) {
	AllocationInput overdrawn = Card("-5", "0", "10");
	EXPECT_EQ(PermittedAllocation(overdrawn).ToString(), "0.00"); // the reference returns -5.00
	AllocationInput budget = Card("0", "0", "100");
	budget.credit_limit = Money::Parse("60");
	EXPECT_EQ(PermittedAllocation(budget).ToString(), "60.00");
	budget.credit_limit.reset(); // unlimited
	EXPECT_EQ(PermittedAllocation(budget).ToString(), "100.00");
}

TEST(PermittedAllocation, RefusesInconsistentTotals) {
	EXPECT_THROW(PermittedAllocation(Card("10", "30", "20")), LedgerError);
	EXPECT_THROW(PermittedAllocation(Card("10", "-1", "20")), LedgerError);
}

} // namespace
} // namespace oscar_accounts::core
