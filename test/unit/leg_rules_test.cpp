// The double-entry invariant checked at commit.
#include <gtest/gtest.h>

#include "core/leg_rules.hpp"

namespace oscar_accounts::core {
namespace {

TransferHeader Header() {
	TransferHeader header;
	header.id = 1;
	header.source_id = 3;
	header.destination_id = 5;
	header.amount = Money::Parse("100");
	return header;
}

TEST(Legs, BalancedTransferHasNoProblem) {
	EXPECT_FALSE(FindLegProblem(Header(), {{3, Money::Parse("-100")}, {5, Money::Parse("100")}}).has_value());
	EXPECT_FALSE(FindLegProblem(Header(), {{5, Money::Parse("100")}, {3, Money::Parse("-100")}}).has_value());
}

TEST(Legs, WrongNumberOfLegs) {
	EXPECT_EQ(*FindLegProblem(Header(), {}), "it has 0 postings instead of 2");
	EXPECT_EQ(*FindLegProblem(Header(), {{3, Money::Parse("-100")}}), "it has 1 postings instead of 2");
	EXPECT_TRUE(FindLegProblem(Header(), {{3, Money::Parse("-100")}, {5, Money::Parse("100")}, {6, Money::Parse("1")}})
	                .has_value());
}

TEST(Legs, LegsThatDoNotMatchTheTransfer) {
	// Sums to zero but on the wrong accounts.
	EXPECT_TRUE(FindLegProblem(Header(), {{4, Money::Parse("-100")}, {5, Money::Parse("100")}}).has_value());
	// Right accounts, wrong amounts.
	EXPECT_TRUE(FindLegProblem(Header(), {{3, Money::Parse("-90")}, {5, Money::Parse("90")}}).has_value());
	// Signs swapped.
	EXPECT_TRUE(FindLegProblem(Header(), {{3, Money::Parse("100")}, {5, Money::Parse("-100")}}).has_value());
	// Does not sum to zero.
	EXPECT_TRUE(FindLegProblem(Header(), {{3, Money::Parse("-100")}, {5, Money::Parse("99")}}).has_value());
}

} // namespace
} // namespace oscar_accounts::core
