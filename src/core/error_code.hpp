// The one list of ledger error conditions. src/pg/error_table.cpp maps each to its SQLSTATE.
#pragma once
#include <cstddef>
#include <cstdint>

namespace oscar_accounts::core {

enum class ErrorCode : std::uint8_t {
	NullArgument,
	SameAccount,
	InvalidAmount,
	TextTooLong,
	AccountNotFound,
	SourceNotOpen,
	UserNotAuthorised,
	DestinationNotOpen,
	SourceOutsideValidityWindow,
	CurrencyMismatch,
	InsufficientFunds,
	BalanceOutOfRange,
	TransferNotFound,
	TransferNotReturnable,
	TransferAlreadyReversed,
	NothingLeftToReturn,
	RefundExceedsRemaining,
	RefundWrongDirection,
	LedgerAppendOnly,
	UnbalancedTransfer,
	LedgerWriteRefused,
	AccountClosed,
	SystemRoleConflict,
	NotInitialised,
	InvalidCode,
	InvalidStatusTransition,
	AccountNotEmpty,
	InvalidValidityWindow,
	DuplicateAllocation,
	IdempotencyKeyReused,
	InvalidArgument,
	ClientBlocked,
	AlreadyInUse,
	AccountTypeNotFound,
	InvalidCurrency,
	Internal,
};

// Number of codes, for tables indexed by ErrorCode.
constexpr std::size_t kErrorCodeCount = static_cast<std::size_t>(ErrorCode::Internal) + 1;

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
