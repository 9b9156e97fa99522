// Idempotency keys for the C++ entry points: the same key with the same request returns the
// transfer already made, the same key with a different request is refused, and two sessions
// sending one key at once produce one transfer (accounts._idempotency_claim() serialises them
// on the key's row). The SQL-language functions use the same two SQL helpers.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "pg/transfer_execution.hpp"

namespace oscar_accounts::pg {

// Claims `key` for accounts_transfer(); returns the id of the transfer already made for it.
std::optional<std::int64_t> ClaimKeyForTransfer(const std::string &key, const TransferOrder &order,
                                                std::optional<std::int64_t> parent_id);

// Claims `key` for accounts_reverse() of `transfer_id`.
std::optional<std::int64_t> ClaimKeyForReversal(const std::string &key, std::int64_t transfer_id,
                                                const TransferOrder &order);

// Remembers which transfer `key` produced.
void RecordKey(const std::string &key, std::int64_t transfer_id);

// The stored accounts.transfer row `transfer_id`, as a Datum of `result_type`.
Datum ReadTransferRow(std::int64_t transfer_id, TupleDesc result_type);

} // namespace oscar_accounts::pg
