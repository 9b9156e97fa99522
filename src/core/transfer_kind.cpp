#include "core/transfer_kind.hpp"

namespace oscar_accounts::core {

std::optional<TransferKind> ParseTransferKind(std::string_view text) {
	if (text == "transfer") {
		return TransferKind::Transfer;
	}
	if (text == "refund") {
		return TransferKind::Refund;
	}
	if (text == "reversal") {
		return TransferKind::Reversal;
	}
	return std::nullopt;
}

std::string_view TransferKindName(TransferKind kind) {
	switch (kind) {
	case TransferKind::Transfer:
		return "transfer";
	case TransferKind::Refund:
		return "refund";
	case TransferKind::Reversal:
		return "reversal";
	}
	return "unknown";
}

} // namespace oscar_accounts::core
