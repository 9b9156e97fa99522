// The checks every transfer goes through, in the reference package's order, and the
// balances it leaves behind. Pure functions: the PostgreSQL layer reads the inputs under
// the row locks and writes the plan.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/account_snapshot.hpp"
#include "core/money.hpp"
#include "core/return_state.hpp"
#include "core/transfer_kind.hpp"

namespace oscar_accounts::core {

// Longest texts a transfer keeps, as in the reference's model fields.
constexpr std::size_t kMaxMerchantReferenceLength = 128;
constexpr std::size_t kMaxDescriptionLength = 256;
constexpr std::size_t kMaxUsernameLength = 150;
constexpr std::size_t kMaxIdempotencyKeyLength = 255;

// The checks that need no database state, run before any lock: both accounts given and
// different, then the amount (not null, finite, positive, at most two decimals, in range).
// Returns the exact amount.
Money CheckTransferArguments(std::optional<std::int64_t> source_id, std::optional<std::int64_t> destination_id,
                             std::optional<std::string_view> amount_text);

// Refuses a text of more than `max_characters` characters; `characters` is its length in
// characters of the database encoding (the PostgreSQL layer counts them), nullopt for NULL.
void CheckTextLength(std::string_view field, std::optional<std::size_t> characters, std::size_t max_characters);

struct TransferInput {
	TransferKind kind = TransferKind::Transfer;
	Money amount;
	std::optional<std::int64_t> user_id;
	const AccountSnapshot *source = nullptr;
	const AccountSnapshot *destination = nullptr;
	const ReturnState *parent = nullptr; // set for refunds and reversals
	Instant now = 0;
	// An expired account may still be emptied into the Lapsed account (the expiry sweep).
	bool destination_is_lapsed = false;
};

struct TransferPlan {
	Money source_balance;      // after the transfer
	Money destination_balance; // after the transfer
	Money parent_returned;     // for refunds and reversals: the parent's new returned total
};

// Runs the checks that depend on state, in order: source open, user authorised,
// destination open, source inside its validity window, same currency, refund rules,
// sufficient funds, balances in range. Throws LedgerError at the first failure.
TransferPlan PlanTransfer(const TransferInput &input);

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
