#include "core/return_state.hpp"

#include <string>

#include "core/ledger_error.hpp"

namespace oscar_accounts::core {

namespace {

// Only ordinary transfers can be given back; refunds and reversals are final.
void CheckReturnable(const ReturnState &state) {
	if (state.kind != TransferKind::Transfer) {
		throw LedgerError(ErrorCode::TransferNotReturnable,
		                  "transfer " + std::to_string(state.transfer_id) + " is a " +
		                      std::string(TransferKindName(state.kind)) + " and cannot be refunded or reversed",
		                  "Only ordinary transfers can be refunded or reversed.");
	}
	if (state.reversed) {
		throw LedgerError(ErrorCode::TransferAlreadyReversed,
		                  "transfer " + std::to_string(state.transfer_id) + " has already been reversed");
	}
}

} // namespace

Money ReturnState::Remaining() const {
	// 0 <= returned <= amount is kept by these rules, so this stays in range.
	return amount.Minus(returned).value_or(Money());
}

Money PlanReversalAmount(const ReturnState &state) {
	CheckReturnable(state);
	Money remaining = state.Remaining();
	if (!remaining.IsPositive()) {
		throw LedgerError(ErrorCode::NothingLeftToReturn,
		                  "transfer " + std::to_string(state.transfer_id) + " has been refunded in full",
		                  "Refunds have already returned all " + state.amount.ToString() + ".");
	}
	return remaining;
}

void CheckRefund(const ReturnState &state, std::int64_t source_id, std::int64_t destination_id, Money amount) {
	CheckReturnable(state);
	if (source_id != state.destination_id || destination_id != state.source_id) {
		throw LedgerError(ErrorCode::RefundWrongDirection,
		                  "a refund of transfer " + std::to_string(state.transfer_id) + " must move money from account #" +
		                      std::to_string(state.destination_id) + " to account #" + std::to_string(state.source_id));
	}
	Money remaining = state.Remaining();
	if (amount > remaining) {
		throw LedgerError(ErrorCode::RefundExceedsRemaining,
		                  "refund of " + amount.ToString() + " exceeds the " + remaining.ToString() +
		                      " that remains refundable on transfer " + std::to_string(state.transfer_id),
		                  "Transfer " + std::to_string(state.transfer_id) + " moved " + state.amount.ToString() + "; " +
		                      state.returned.ToString() + " has already been returned.");
	}
}

} // namespace oscar_accounts::core
