// Transfer rules: argument checks, the reference's check order, limits and windows.
#include <gtest/gtest.h>

#include "core/ledger_error.hpp"
#include "error_code_of.hpp"
#include "core/transfer_rules.hpp"

namespace oscar_accounts::core {
namespace {

constexpr Instant kDay = 86'400'000'000LL;
constexpr Instant kNow = 1000 * kDay;

AccountSnapshot OpenAccount(std::int64_t id, const char *balance, std::optional<const char *> credit_limit = "0") {
	AccountSnapshot account;
	account.id = id;
	account.balance = Money::Parse(balance);
	if (credit_limit) {
		account.credit_limit = Money::Parse(*credit_limit);
	}
	account.currency = "GBP";
	return account;
}

TransferInput Input(const AccountSnapshot &source, const AccountSnapshot &destination, const char *amount) {
	TransferInput input;
	input.amount = Money::Parse(amount);
	input.source = &source;
	input.destination = &destination;
	input.now = kNow;
	return input;
}

TEST(TransferArguments, SameAccountIsCheckedBeforeTheAmount) {
	EXPECT_EQ(CodeOf([] { CheckTransferArguments(5, 5, "-1"); }), ErrorCode::SameAccount);
}

TEST(TransferArguments, NullAccountsAndAmounts) {
	EXPECT_EQ(CodeOf([] { CheckTransferArguments(std::nullopt, 5, "1"); }), ErrorCode::NullArgument);
	EXPECT_EQ(CodeOf([] { CheckTransferArguments(5, std::nullopt, "1"); }), ErrorCode::NullArgument);
	EXPECT_EQ(CodeOf([] { CheckTransferArguments(4, 5, std::nullopt); }), ErrorCode::InvalidAmount);
}

TEST(TransferArguments, AmountMustBePositive) {
	EXPECT_EQ(CodeOf([] { CheckTransferArguments(4, 5, "0"); }), ErrorCode::InvalidAmount);
	EXPECT_EQ(CodeOf([] { CheckTransferArguments(4, 5, "-20"); }), ErrorCode::InvalidAmount);
	EXPECT_EQ(CodeOf([] { CheckTransferArguments(4, 5, "0.004"); }), ErrorCode::InvalidAmount);
	EXPECT_EQ(CheckTransferArguments(4, 5, "0.01").Minor(), 1);
}

TEST(TransferArguments, TextLengthLimitIsInclusive) {
	EXPECT_NO_THROW(CheckTextLength("merchant_reference", std::size_t {128}, 128));
	EXPECT_EQ(CodeOf([] { CheckTextLength("merchant_reference", std::size_t {129}, 128); }), ErrorCode::TextTooLong);
	EXPECT_NO_THROW(CheckTextLength("username", std::nullopt, 150));
}

TEST(PlanTransfer, MovesTheAmountBetweenBalances) {
	AccountSnapshot bank = OpenAccount(3, "-50", std::nullopt);
	AccountSnapshot card = OpenAccount(5, "10");
	TransferPlan plan = PlanTransfer(Input(bank, card, "100"));
	EXPECT_EQ(plan.source_balance.ToString(), "-150.00");
	EXPECT_EQ(plan.destination_balance.ToString(), "110.00");
}

TEST(PlanTransfer, CreditLimitFollowsTheReferenceExamples) {
	AccountSnapshot destination = OpenAccount(9, "0");
	AccountSnapshot limited = OpenAccount(1, "0", "500");
	EXPECT_NO_THROW(PlanTransfer(Input(limited, destination, "1")));
	EXPECT_NO_THROW(PlanTransfer(Input(limited, destination, "500")));
	EXPECT_EQ(CodeOf([&] { PlanTransfer(Input(limited, destination, "501")); }), ErrorCode::InsufficientFunds);
	AccountSnapshot unlimited = OpenAccount(2, "0", std::nullopt);
	EXPECT_NO_THROW(PlanTransfer(Input(unlimited, destination, "1000000")));
	AccountSnapshot fresh = OpenAccount(4, "0");
	EXPECT_EQ(CodeOf([&] { PlanTransfer(Input(fresh, destination, "1")); }), ErrorCode::InsufficientFunds);
}

TEST(PlanTransfer, InsufficientFundsMessageNamesAmountAndAccount) {
	AccountSnapshot card = OpenAccount(5, "40");
	AccountSnapshot redemptions = OpenAccount(1, "0");
	try {
		PlanTransfer(Input(card, redemptions, "60"));
		FAIL();
	} catch (const LedgerError &e) {
		EXPECT_STREQ(e.what(), "unable to debit 60.00 from account #5");
		EXPECT_EQ(e.Detail(), "Balance 40.00, credit limit 0.00: at most 40.00 is available.");
	}
}

TEST(PlanTransfer, ChecksRunInTheReferenceOrder) {
	// Every check fails at once; each step fixes one and exposes the next.
	AccountSnapshot source = OpenAccount(5, "0");
	source.status = AccountStatus::Frozen;
	source.primary_user_id = 7;
	source.end_date = kNow - kDay;
	source.currency = "EUR";
	AccountSnapshot destination = OpenAccount(6, "0");
	destination.status = AccountStatus::Closed;
	TransferInput input = Input(source, destination, "10");
	input.user_id = 8;

	EXPECT_EQ(CodeOf([&] { PlanTransfer(input); }), ErrorCode::SourceNotOpen);
	source.status = AccountStatus::Open;
	EXPECT_EQ(CodeOf([&] { PlanTransfer(input); }), ErrorCode::UserNotAuthorised);
	input.user_id = 7;
	EXPECT_EQ(CodeOf([&] { PlanTransfer(input); }), ErrorCode::DestinationNotOpen);
	destination.status = AccountStatus::Open;
	EXPECT_EQ(CodeOf([&] { PlanTransfer(input); }), ErrorCode::SourceOutsideValidityWindow);
	source.end_date.reset();
	EXPECT_EQ(CodeOf([&] { PlanTransfer(input); }), ErrorCode::CurrencyMismatch);
	source.currency = "GBP";
	EXPECT_EQ(CodeOf([&] { PlanTransfer(input); }), ErrorCode::InsufficientFunds);
	source.balance = Money::Parse("10");
	EXPECT_NO_THROW(PlanTransfer(input));
}

TEST(PlanTransfer, FrozenSourceAndDestinationAreRefused) {
	AccountSnapshot source = OpenAccount(5, "100");
	AccountSnapshot destination = OpenAccount(6, "0");
	destination.status = AccountStatus::Frozen;
	EXPECT_EQ(CodeOf([&] { PlanTransfer(Input(source, destination, "1")); }), ErrorCode::DestinationNotOpen);
}

TEST(PlanTransfer, ValidityWindowRestrictsSpendingNotLoading) {
	AccountSnapshot card = OpenAccount(5, "100");
	card.start_date = kNow + kDay;
	AccountSnapshot bank = OpenAccount(3, "0", std::nullopt);
	AccountSnapshot redemptions = OpenAccount(1, "0");
	EXPECT_NO_THROW(PlanTransfer(Input(bank, card, "10")));
	EXPECT_EQ(CodeOf([&] { PlanTransfer(Input(card, redemptions, "10")); }),
	          ErrorCode::SourceOutsideValidityWindow);
	card.start_date = kNow; // inclusive start
	EXPECT_NO_THROW(PlanTransfer(Input(card, redemptions, "10")));
	card.end_date = kNow; // exclusive end
	EXPECT_EQ(CodeOf([&] { PlanTransfer(Input(card, redemptions, "10")); }),
	          ErrorCode::SourceOutsideValidityWindow);
}

TEST(PlanTransfer, ExpiredAccountMayLapse) {
	AccountSnapshot card = OpenAccount(5, "30");
	card.end_date = kNow - kDay;
	AccountSnapshot lapsed = OpenAccount(2, "0");
	TransferInput input = Input(card, lapsed, "30");
	input.destination_is_lapsed = true;
	EXPECT_EQ(PlanTransfer(input).source_balance.ToString(), "0.00");
}

TEST(PlanTransfer, SecondaryUsersAuthoriseOnlyWithoutAPrimaryUser) {
	AccountSnapshot source = OpenAccount(5, "100");
	AccountSnapshot destination = OpenAccount(6, "0");
	TransferInput input = Input(source, destination, "1");
	input.user_id = 8;
	source.has_secondary_users = true;
	source.user_is_secondary = false;
	EXPECT_EQ(CodeOf([&] { PlanTransfer(input); }), ErrorCode::UserNotAuthorised);
	source.user_is_secondary = true;
	EXPECT_NO_THROW(PlanTransfer(input));
	source.primary_user_id = 7; // a primary user overrides the secondary list
	EXPECT_EQ(CodeOf([&] { PlanTransfer(input); }), ErrorCode::UserNotAuthorised);
	input.user_id.reset(); // no user given: authorised, as in the reference
	EXPECT_NO_THROW(PlanTransfer(input));
}

TEST(PlanTransfer, ResultOutOfRangeIsRefused) {
	AccountSnapshot bank = OpenAccount(3, "-9999999999999999.00", std::nullopt);
	AccountSnapshot card = OpenAccount(5, "0");
	EXPECT_EQ(CodeOf([&] { PlanTransfer(Input(bank, card, "1.00")); }), ErrorCode::BalanceOutOfRange);
	AccountSnapshot rich = OpenAccount(6, "9999999999999999.50");
	AccountSnapshot other_bank = OpenAccount(4, "0", std::nullopt);
	EXPECT_EQ(CodeOf([&] { PlanTransfer(Input(other_bank, rich, "0.50")); }), ErrorCode::BalanceOutOfRange);
	EXPECT_NO_THROW(PlanTransfer(Input(other_bank, rich, "0.49")));
}

TEST(PlanTransfer, RefundsAreCappedAndMustGoBack) {
	AccountSnapshot card = OpenAccount(5, "0");
	AccountSnapshot redemptions = OpenAccount(1, "300");
	ReturnState redemption;
	redemption.transfer_id = 11;
	redemption.source_id = 5;
	redemption.destination_id = 1;
	redemption.amount = Money::Parse("300");
	redemption.returned = Money::Parse("25");

	TransferInput input = Input(redemptions, card, "275");
	input.kind = TransferKind::Refund;
	input.parent = &redemption;
	EXPECT_EQ(PlanTransfer(input).parent_returned.ToString(), "300.00");

	TransferInput too_much = Input(redemptions, card, "280");
	too_much.kind = TransferKind::Refund;
	too_much.parent = &redemption;
	EXPECT_EQ(CodeOf([&] { PlanTransfer(too_much); }), ErrorCode::RefundExceedsRemaining);

	TransferInput forward = Input(card, redemptions, "1");
	forward.kind = TransferKind::Refund;
	forward.parent = &redemption;
	EXPECT_EQ(CodeOf([&] { PlanTransfer(forward); }), ErrorCode::RefundWrongDirection);
}

} // namespace
} // namespace oscar_accounts::core
