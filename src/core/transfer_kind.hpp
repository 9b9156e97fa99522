// Why a transfer exists: an ordinary movement, a refund of part of an earlier transfer,
// or the reversal of what remains of one. Stored in accounts.transfer.kind.
#pragma once
#include <optional>
#include <string_view>

namespace oscar_accounts::core {

enum class TransferKind { Transfer, Refund, Reversal };

std::optional<TransferKind> ParseTransferKind(std::string_view text);
std::string_view TransferKindName(TransferKind kind);

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
