#include "core/transfer_rules.hpp"

#include <string>

#include "core/ledger_error.hpp"

namespace oscar_accounts::core {

namespace {

std::string AccountLabel(const AccountSnapshot &account) {
	return "account #" + std::to_string(account.id);
}

// Lower-case status for messages ("is frozen").
std::string StatusWord(AccountStatus status) {
	std::string word(AccountStatusName(status));
	word[0] = static_cast<char>(word[0] - 'A' + 'a');
	return word;
}

[[noreturn]] void ThrowOutOfRange(const AccountSnapshot &account) {
	throw LedgerError(ErrorCode::BalanceOutOfRange,
	                  "transfer would take the balance of " + AccountLabel(account) + " out of range",
	                  "Balances are limited to 9999999999999999.99 in either direction.");
}

} // namespace

Money CheckTransferArguments(std::optional<std::int64_t> source_id, std::optional<std::int64_t> destination_id,
                             std::optional<std::string_view> amount_text) {
	if (!source_id) {
		throw LedgerError(ErrorCode::NullArgument, "source account must not be null");
	}
	if (!destination_id) {
		throw LedgerError(ErrorCode::NullArgument, "destination account must not be null");
	}
	if (*source_id == *destination_id) {
		throw LedgerError(ErrorCode::SameAccount, "source and destination accounts must be different",
		                  "Both are account #" + std::to_string(*source_id) + ".");
	}
	if (!amount_text) {
		throw LedgerError(ErrorCode::InvalidAmount, "amount must not be null");
	}
	Money amount = Money::Parse(*amount_text);
	if (!amount.IsPositive()) {
		throw LedgerError(ErrorCode::InvalidAmount, "amount must be positive",
		                  "The amount given was " + amount.ToString() + ".");
	}
	return amount;
}

void CheckTextLength(std::string_view field, std::optional<std::size_t> characters, std::size_t max_characters) {
	if (characters && *characters > max_characters) {
		throw LedgerError(ErrorCode::TextTooLong,
		                  std::string(field) + " is longer than " + std::to_string(max_characters) + " characters");
	}
}

TransferPlan PlanTransfer(const TransferInput &input) {
	const AccountSnapshot &source = *input.source;
	const AccountSnapshot &destination = *input.destination;

	if (source.status != AccountStatus::Open) {
		throw LedgerError(ErrorCode::SourceNotOpen, "source " + AccountLabel(source) + " is " + StatusWord(source.status),
		                  "Only Open accounts can send money.");
	}
	if (!CanBeAuthorisedBy(source, input.user_id)) {
		throw LedgerError(ErrorCode::UserNotAuthorised, "user " + std::to_string(*input.user_id) +
		                                                    " is not authorised to make transfers from " +
		                                                    AccountLabel(source));
	}
	if (destination.status != AccountStatus::Open) {
		throw LedgerError(ErrorCode::DestinationNotOpen,
		                  "destination " + AccountLabel(destination) + " is " + StatusWord(destination.status),
		                  "Only Open accounts can receive money.");
	}
	if (!IsWithinValidityWindow(source, input.now) && !input.destination_is_lapsed) {
		bool not_started = source.start_date && input.now < *source.start_date;
		throw LedgerError(ErrorCode::SourceOutsideValidityWindow,
		                  "source " + AccountLabel(source) + (not_started ? " is not valid yet" : " has expired"),
		                  "An account can be spent from only between its start_date (inclusive) and its end_date "
		                  "(exclusive); after that its balance can only lapse.");
	}
	if (source.currency != destination.currency) {
		throw LedgerError(ErrorCode::CurrencyMismatch, "source " + AccountLabel(source) + " holds " + source.currency +
		                                                   " but destination " + AccountLabel(destination) + " holds " +
		                                                   destination.currency);
	}

	TransferPlan plan;
	if (input.parent != nullptr) {
		if (input.kind == TransferKind::Refund) {
			CheckRefund(*input.parent, source.id, destination.id, input.amount);
		}
		plan.parent_returned = input.parent->returned.Plus(input.amount).value_or(input.parent->amount);
	}

	if (source.credit_limit) {
		std::optional<Money> available = source.balance.Plus(*source.credit_limit);
		if (available && input.amount > *available) {
			throw LedgerError(ErrorCode::InsufficientFunds,
			                  "unable to debit " + input.amount.ToString() + " from " + AccountLabel(source),
			                  "Balance " + source.balance.ToString() + ", credit limit " +
			                      source.credit_limit->ToString() + ": at most " + available->ToString() +
			                      " is available.");
		}
	}

	std::optional<Money> source_after = source.balance.Minus(input.amount);
	if (!source_after) {
		ThrowOutOfRange(source);
	}
	std::optional<Money> destination_after = destination.balance.Plus(input.amount);
	if (!destination_after) {
		ThrowOutOfRange(destination);
	}
	plan.source_balance = *source_after;
	plan.destination_balance = *destination_after;
	return plan;
}

} // namespace oscar_accounts::core
