#include "pg/error_table.hpp"

#include "pg/postgres_headers.hpp"

namespace oscar_accounts::pg {

namespace {

using core::ErrorCode;

// Custom subclasses use the letter L ("ledger"); the class says what kind of failure it is:
// 22 data exception, 23 integrity, 42 access or missing object, 55 object state.
constexpr ErrorTableEntry kErrorTable[] = {
    {ErrorCode::NullArgument, "22004", "null_argument", "A required argument (account or transfer id) is NULL."},
    {ErrorCode::SameAccount, "22L01", "same_account", "Source and destination are the same account."},
    {ErrorCode::InvalidAmount, "22L02", "invalid_amount",
     "Amount is NULL, NaN, infinite, zero or negative, has more than two decimal places, or is out of range."},
    {ErrorCode::TextTooLong, "22001", "text_too_long",
     "merchant_reference (128), description (256) or username (150) is too long."},
    {ErrorCode::AccountNotFound, "42L01", "account_not_found", "No account has the given id."},
    {ErrorCode::SourceNotOpen, "55L01", "source_not_open", "The source account is Frozen or Closed."},
    {ErrorCode::UserNotAuthorised, "42L02", "user_not_authorised",
     "The user is neither the source account's primary user nor one of its secondary users."},
    {ErrorCode::DestinationNotOpen, "55L02", "destination_not_open", "The destination account is Frozen or Closed."},
    {ErrorCode::SourceOutsideValidityWindow, "55L03", "source_outside_validity_window",
     "The source account is before its start_date or at/after its end_date (only a lapse to the Lapsed account "
     "is allowed then)."},
    {ErrorCode::CurrencyMismatch, "22L03", "currency_mismatch", "The two accounts hold different currencies."},
    {ErrorCode::InsufficientFunds, "23L01", "insufficient_funds",
     "The amount exceeds the source's balance plus its credit limit."},
    {ErrorCode::BalanceOutOfRange, "22L04", "balance_out_of_range",
     "A balance would leave the range of numeric(18,2)."},
    {ErrorCode::TransferNotFound, "42L03", "transfer_not_found", "No transfer has the given id."},
    {ErrorCode::TransferNotReturnable, "55L04", "transfer_not_returnable",
     "The transfer is itself a refund or a reversal, which cannot be refunded or reversed."},
    {ErrorCode::TransferAlreadyReversed, "55L05", "transfer_already_reversed",
     "The transfer has already been reversed."},
    {ErrorCode::NothingLeftToReturn, "55L06", "nothing_left_to_return",
     "Refunds have already returned the whole transfer, so there is nothing to reverse."},
    {ErrorCode::RefundExceedsRemaining, "22L05", "refund_exceeds_remaining",
     "A refund is larger than what remains refundable on its parent transfer."},
    {ErrorCode::RefundWrongDirection, "22L06", "refund_wrong_direction",
     "A refund does not move money from the parent's destination back to the parent's source."},
    {ErrorCode::LedgerAppendOnly, "55L07", "ledger_append_only",
     "Transfers, postings and refund totals cannot be updated, deleted or truncated."},
    {ErrorCode::UnbalancedTransfer, "23L02", "unbalanced_transfer",
     "At commit, a transfer does not have exactly two postings of -amount on its source and +amount on its "
     "destination."},
    {ErrorCode::LedgerWriteRefused, "55L08", "ledger_write_refused",
     "A balance, transfer or posting written directly instead of through the extension's functions."},
    {ErrorCode::AccountClosed, "55L09", "account_closed", "A Closed account cannot be reopened or frozen."},
    {ErrorCode::SystemRoleConflict, "55L10", "system_role_conflict",
     "accounts_init() was asked to give a system role to an existing account of another type."},
    {ErrorCode::NotInitialised, "55L11", "not_initialised",
     "A system account (such as Lapsed accounts) is needed but accounts_init() has not been run."},
    {ErrorCode::InvalidCode, "22L07", "invalid_code",
     "An account code is empty or too long, or a code length or alphabet is invalid."},
    {ErrorCode::InvalidStatusTransition, "55L12", "invalid_status_transition",
     "Freezing an account that is not Open, or thawing one that is not Frozen."},
    {ErrorCode::AccountNotEmpty, "55L13", "account_not_empty", "Closing an account whose balance is positive."},
    {ErrorCode::InvalidValidityWindow, "22L08", "invalid_validity_window",
     "An end_date before the start_date, or an infinite date."},
    {ErrorCode::DuplicateAllocation, "22L09", "duplicate_allocation",
     "A redemption names the same account twice, or its account and amount lists differ in length or are empty."},
    {ErrorCode::IdempotencyKeyReused, "22L10", "idempotency_key_reused",
     "An idempotency key already used for a different request."},
    {ErrorCode::InvalidArgument, "22023", "invalid_argument",
     "Another argument is out of its documented domain (named in the message)."},
    {ErrorCode::ClientBlocked, "42L04", "client_blocked",
     "The client address is blocked from looking up codes after too many failures."},
    {ErrorCode::AlreadyInUse, "23L03", "already_in_use", "An account name or code is already used by another account."},
    {ErrorCode::AccountTypeNotFound, "42L05", "account_type_not_found",
     "No account type has the given id (or no single deferred-income type to default to)."},
    {ErrorCode::InvalidCurrency, "22L11", "invalid_currency", "A currency is not three upper-case letters (ISO 4217)."},
    {ErrorCode::Internal, "XX000", "internal_error", "An unexpected internal error."},
};

static_assert(sizeof(kErrorTable) / sizeof(kErrorTable[0]) == core::kErrorCodeCount,
              "every ErrorCode needs exactly one row in kErrorTable");

// The table is indexed by code; this proves the order once.
constexpr bool TableIsInCodeOrder() {
	for (std::size_t i = 0; i < core::kErrorCodeCount; ++i) {
		if (static_cast<std::size_t>(kErrorTable[i].code) != i) {
			return false;
		}
	}
	return true;
}
static_assert(TableIsInCodeOrder(), "kErrorTable rows must follow the ErrorCode order");

} // namespace

const ErrorTableEntry *ErrorTable() {
	return kErrorTable;
}

const ErrorTableEntry &ErrorEntry(core::ErrorCode code) {
	return kErrorTable[static_cast<std::size_t>(code)];
}

std::optional<core::ErrorCode> ErrorCodeByName(std::string_view name) {
	for (const ErrorTableEntry &entry : kErrorTable) {
		if (name == entry.name) {
			return entry.code;
		}
	}
	return std::nullopt;
}

int SqlStateOf(core::ErrorCode code) {
	const char *s = ErrorEntry(code).sqlstate;
	return MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4]);
}

} // namespace oscar_accounts::pg
