// Money: exact parsing of numeric text, range limits and overflow-free arithmetic.
#include <gtest/gtest.h>

#include "core/ledger_error.hpp"
#include "core/money.hpp"

namespace oscar_accounts::core {
namespace {

ErrorCode ParseError(const char *text) {
	try {
		Money::Parse(text);
	} catch (const LedgerError &e) {
		return e.Code();
	}
	return ErrorCode::Internal;
}

std::string ParseMessage(const char *text) {
	try {
		Money::Parse(text);
	} catch (const LedgerError &e) {
		return e.what();
	}
	return "";
}

TEST(Money, ParsesWholeAndDecimalAmounts) {
	EXPECT_EQ(Money::Parse("12").Minor(), 1200);
	EXPECT_EQ(Money::Parse("12.5").Minor(), 1250);
	EXPECT_EQ(Money::Parse("12.05").Minor(), 1205);
	EXPECT_EQ(Money::Parse("0.01").Minor(), 1);
	EXPECT_EQ(Money::Parse("-3.20").Minor(), -320);
	EXPECT_EQ(Money::Parse("+7").Minor(), 700);
	EXPECT_EQ(Money::Parse(".5").Minor(), 50);
}

TEST(Money, AcceptsTrailingZerosBeyondTwoDecimals) {
	// 10.500 is exactly 10.50: nothing is rounded.
	EXPECT_EQ(Money::Parse("10.500").Minor(), 1050);
	EXPECT_EQ(Money::Parse("1.0000000").Minor(), 100);
}

TEST(Money, RefusesMoreThanTwoSignificantDecimalsInsteadOfRounding) {
	EXPECT_EQ(ParseError("0.001"), ErrorCode::InvalidAmount);
	EXPECT_EQ(ParseError("10.005"), ErrorCode::InvalidAmount);
	EXPECT_EQ(ParseError("0.004"), ErrorCode::InvalidAmount);
	EXPECT_EQ(ParseMessage("10.005"), "amount must not have more than two decimal places");
}

TEST(Money, RefusesNonFiniteValues) {
	EXPECT_EQ(ParseMessage("NaN"), "amount must be a finite number");
	EXPECT_EQ(ParseMessage("Infinity"), "amount must be a finite number");
	EXPECT_EQ(ParseMessage("-Infinity"), "amount must be a finite number");
}

TEST(Money, RefusesMalformedText) {
	EXPECT_EQ(ParseMessage(""), "amount is not a valid number");
	EXPECT_EQ(ParseMessage("-"), "amount is not a valid number");
	EXPECT_EQ(ParseMessage("1e5"), "amount is not a valid number");
	EXPECT_EQ(ParseMessage("12.3.4"), "amount is not a valid number");
	EXPECT_EQ(ParseMessage("abc"), "amount is not a valid number");
}

TEST(Money, RangeIsThatOfNumeric18Scale2) {
	EXPECT_EQ(Money::Parse("9999999999999999.99").Minor(), Money::kMaxMinor);
	EXPECT_EQ(Money::Parse("-9999999999999999.99").Minor(), -Money::kMaxMinor);
	EXPECT_EQ(ParseMessage("10000000000000000"), "amount is out of range");
	EXPECT_EQ(ParseMessage("10000000000000000.00"), "amount is out of range");
	// Far beyond int64: must be refused, never wrap around.
	EXPECT_EQ(ParseMessage("123456789012345678901234567890"), "amount is out of range");
	EXPECT_EQ(ParseMessage("99999999999999999999.99"), "amount is out of range");
}

TEST(Money, FormatsWithExactlyTwoDecimals) {
	EXPECT_EQ(Money::Parse("0").ToString(), "0.00");
	EXPECT_EQ(Money::Parse("12.5").ToString(), "12.50");
	EXPECT_EQ(Money::Parse("-0.05").ToString(), "-0.05");
	EXPECT_EQ(Money::Parse("-9999999999999999.99").ToString(), "-9999999999999999.99");
}

TEST(Money, ArithmeticReportsOverflowInsteadOfWrapping) {
	Money max = *Money::FromMinor(Money::kMaxMinor);
	Money cent = Money::Parse("0.01");
	EXPECT_FALSE(max.Plus(cent).has_value());
	EXPECT_FALSE(Money::FromMinor(-Money::kMaxMinor)->Minus(cent).has_value());
	EXPECT_EQ(max.Minus(cent)->Minor(), Money::kMaxMinor - 1);
	EXPECT_FALSE(Money::FromMinor(Money::kMaxMinor + 1).has_value());
	EXPECT_EQ(Money::Parse("10").Plus(Money::Parse("0.25"))->ToString(), "10.25");
}

} // namespace
} // namespace oscar_accounts::core
