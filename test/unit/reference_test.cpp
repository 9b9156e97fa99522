// Transfer references and account states.
#include <gtest/gtest.h>

#include <limits>
#include <regex>

#include "core/account_snapshot.hpp"
#include "core/account_status.hpp"
#include "core/ledger_error.hpp"
#include "core/reference.hpp"
#include "core/transfer_kind.hpp"

namespace oscar_accounts::core {
namespace {

TEST(Reference, Is32UpperCaseHexCharacters) {
	std::array<std::uint8_t, kReferenceBytes> bytes {};
	for (std::size_t i = 0; i < bytes.size(); ++i) {
		bytes[i] = static_cast<std::uint8_t>(i * 17);
	}
	std::string reference = FormatReference(bytes);
	EXPECT_EQ(reference, "00112233445566778899AABBCCDDEEFF");
	EXPECT_TRUE(std::regex_match(reference, std::regex("[0-9A-F]{32}")));
}

TEST(Reference, DifferentBytesGiveDifferentReferences) {
	std::array<std::uint8_t, kReferenceBytes> a {};
	std::array<std::uint8_t, kReferenceBytes> b {};
	b[15] = 1;
	EXPECT_NE(FormatReference(a), FormatReference(b));
}

TEST(AccountStatus, RoundTripsTheStoredSpelling) {
	for (AccountStatus status : {AccountStatus::Open, AccountStatus::Frozen, AccountStatus::Closed}) {
		EXPECT_EQ(ParseAccountStatus(AccountStatusName(status)), status);
	}
	EXPECT_FALSE(ParseAccountStatus("open").has_value());
	EXPECT_FALSE(ParseAccountStatus("").has_value());
}

TEST(TransferKind, RoundTripsTheStoredSpelling) {
	for (TransferKind kind : {TransferKind::Transfer, TransferKind::Refund, TransferKind::Reversal}) {
		EXPECT_EQ(ParseTransferKind(TransferKindName(kind)), kind);
	}
	EXPECT_FALSE(ParseTransferKind("Transfer").has_value());
}

TEST(ValidityWindow, StartInclusiveEndExclusive) {
	AccountSnapshot account;
	EXPECT_TRUE(IsWithinValidityWindow(account, 0));
	account.start_date = 100;
	account.end_date = 200;
	EXPECT_FALSE(IsWithinValidityWindow(account, 99));
	EXPECT_TRUE(IsWithinValidityWindow(account, 100));
	EXPECT_TRUE(IsWithinValidityWindow(account, 199));
	EXPECT_FALSE(IsWithinValidityWindow(account, 200));
}

} // namespace
} // namespace oscar_accounts::core

namespace oscar_accounts::core {
namespace {

TEST(ValidityWindow, EndBeforeStartAndInfiniteDatesAreRefused) {
	EXPECT_NO_THROW(CheckValidityWindow(std::nullopt, std::nullopt));
	EXPECT_NO_THROW(CheckValidityWindow(100, 100));
	EXPECT_NO_THROW(CheckValidityWindow(std::nullopt, 5));
	EXPECT_THROW(CheckValidityWindow(100, 99), LedgerError);
	EXPECT_THROW(CheckValidityWindow(std::numeric_limits<Instant>::min(), std::nullopt), LedgerError);
	EXPECT_THROW(CheckValidityWindow(std::nullopt, std::numeric_limits<Instant>::max()), LedgerError);
}

} // namespace
} // namespace oscar_accounts::core
