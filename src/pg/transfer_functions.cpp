// SQL entry points accounts_transfer() and accounts_reverse().
#include <optional>
#include <string>

#include "core/ledger_error.hpp"
#include "core/transfer_rules.hpp"
#include "pg/boundary.hpp"
#include "pg/function_args.hpp"
#include "pg/idempotency.hpp"
#include "pg/return_lock.hpp"
#include "pg/spi_statement.hpp"
#include "pg/transfer_execution.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(accounts_transfer);
PG_FUNCTION_INFO_V1(accounts_reverse);
PG_FUNCTION_INFO_V1(accounts_import_transfer);
}

namespace oscar_accounts::pg {

namespace {

std::optional<std::string_view> View(const std::optional<std::string> &text) {
	if (!text) {
		return std::nullopt;
	}
	return std::string_view(*text);
}


// The composite type the SQL declaration returns (accounts.transfer).
TupleDesc ResultType(FunctionCallInfo fcinfo) {
	TupleDesc result_type = nullptr;
	CallPg([&] {
		if (get_call_result_type(fcinfo, nullptr, &result_type) != TYPEFUNC_COMPOSITE) {
			elog(ERROR, "function returning a row called in a context that cannot accept one");
		}
	});
	return result_type;
}

// The optional idempotency key: 1 to 255 characters when given.
std::optional<std::string> IdempotencyKeyArg(FunctionCallInfo fcinfo, int index) {
	std::optional<std::string> key = TextArgument(fcinfo, index);
	if (key && key->empty()) {
		throw core::LedgerError(core::ErrorCode::InvalidArgument, "idempotency_key must not be empty",
		                        "Pass NULL for a request that needs no idempotency.");
	}
	core::CheckTextLength("idempotency_key", CharacterCount(key), core::kMaxIdempotencyKeyLength);
	return key;
}

// Reads the audit texts shared by both functions and checks their lengths.
void ReadAuditTexts(FunctionCallInfo fcinfo, int first_index, TransferOrder &order) {
	order.username = TextArgument(fcinfo, first_index);
	order.merchant_reference = TextArgument(fcinfo, first_index + 1);
	order.description = TextArgument(fcinfo, first_index + 2);
	core::CheckTextLength("username", CharacterCount(order.username), core::kMaxUsernameLength);
	core::CheckTextLength("merchant_reference", CharacterCount(order.merchant_reference), core::kMaxMerchantReferenceLength);
	core::CheckTextLength("description", CharacterCount(order.description), core::kMaxDescriptionLength);
}

// With a parent, the order is a refund of it: its refund row is locked first (before the
// accounts, as in every path) and the order points at the state it read. The caller keeps the
// returned state alive while the order is executed.
std::optional<core::ReturnState> LockParentOfRefund(std::optional<std::int64_t> parent_id, TransferOrder &order) {
	std::optional<core::ReturnState> parent;
	if (parent_id) {
		parent = LockReturnState(*parent_id);
		order.kind = core::TransferKind::Refund;
	}
	return parent;
}

// accounts_transfer(source, destination, amount, parent, user_id, username, merchant_reference,
//                   description, idempotency_key)
Datum Transfer(FunctionCallInfo fcinfo) {
	std::optional<std::int64_t> source_id = Int64Arg(fcinfo, 0);
	std::optional<std::int64_t> destination_id = Int64Arg(fcinfo, 1);
	std::optional<std::string> amount_text = NumericTextArg(fcinfo, 2);
	std::optional<std::int64_t> parent_id = Int64Arg(fcinfo, 3);

	TransferOrder order;
	order.amount = core::CheckTransferArguments(source_id, destination_id, View(amount_text));
	order.source_id = *source_id;
	order.destination_id = *destination_id;
	order.user_id = Int64Arg(fcinfo, 4);
	ReadAuditTexts(fcinfo, 5, order);
	std::optional<std::string> key = IdempotencyKeyArg(fcinfo, 8);
	TupleDesc result_type = ResultType(fcinfo);

	SpiConnect();
	if (key) {
		std::optional<std::int64_t> earlier = ClaimKeyForTransfer(*key, order, parent_id);
		if (earlier) {
			Datum row = ReadTransferRow(*earlier, result_type);
			SpiFinish();
			return row;
		}
	}
	std::optional<core::ReturnState> parent = LockParentOfRefund(parent_id, order);
	order.parent = parent ? &*parent : nullptr;
	ExecutedTransfer executed = ExecuteTransfer(order, result_type);
	if (key) {
		RecordKey(*key, executed.id);
	}
	SpiFinish();
	return executed.row;
}

// accounts_import_transfer(source, destination, amount, date_created, parent, user_id, username,
//                          merchant_reference, description): a historic transfer at its own instant.
Datum ImportTransfer(FunctionCallInfo fcinfo) {
	std::optional<std::int64_t> source_id = Int64Arg(fcinfo, 0);
	std::optional<std::int64_t> destination_id = Int64Arg(fcinfo, 1);
	std::optional<std::string> amount_text = NumericTextArg(fcinfo, 2);
	std::optional<core::Instant> date_created = TimestampArg(fcinfo, 3);
	std::optional<std::int64_t> parent_id = Int64Arg(fcinfo, 4);

	TransferOrder order;
	order.amount = core::CheckTransferArguments(source_id, destination_id, View(amount_text));
	if (!date_created) {
		throw core::LedgerError(core::ErrorCode::NullArgument, "date_created must not be null");
	}
	order.source_id = *source_id;
	order.destination_id = *destination_id;
	order.date_created = date_created;
	order.user_id = Int64Arg(fcinfo, 5);
	ReadAuditTexts(fcinfo, 6, order);
	TupleDesc result_type = ResultType(fcinfo);

	SpiConnect();
	std::optional<core::ReturnState> parent = LockParentOfRefund(parent_id, order);
	order.parent = parent ? &*parent : nullptr;
	ExecutedTransfer executed = ExecuteTransfer(order, result_type);
	SpiFinish();
	return executed.row;
}

// accounts_reverse(transfer, user_id, username, merchant_reference, description, idempotency_key)
Datum Reverse(FunctionCallInfo fcinfo) {
	std::optional<std::int64_t> transfer_id = Int64Arg(fcinfo, 0);
	if (!transfer_id) {
		throw core::LedgerError(core::ErrorCode::NullArgument, "transfer to reverse must not be null");
	}
	TransferOrder order;
	order.kind = core::TransferKind::Reversal;
	order.user_id = Int64Arg(fcinfo, 1);
	ReadAuditTexts(fcinfo, 2, order);
	std::optional<std::string> key = IdempotencyKeyArg(fcinfo, 5);
	TupleDesc result_type = ResultType(fcinfo);

	SpiConnect();
	if (key) {
		std::optional<std::int64_t> earlier = ClaimKeyForReversal(*key, *transfer_id, order);
		if (earlier) {
			Datum row = ReadTransferRow(*earlier, result_type);
			SpiFinish();
			return row;
		}
	}
	core::ReturnState original = LockReturnState(*transfer_id);
	order.amount = core::PlanReversalAmount(original);
	order.source_id = original.destination_id;
	order.destination_id = original.source_id;
	order.parent = &original;
	ExecutedTransfer executed = ExecuteTransfer(order, result_type);
	if (key) {
		RecordKey(*key, executed.id);
	}
	SpiFinish();
	return executed.row;
}

} // namespace

} // namespace oscar_accounts::pg

extern "C" Datum accounts_transfer(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::Transfer(fcinfo); });
}

extern "C" Datum accounts_import_transfer(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::ImportTransfer(fcinfo); });
}

extern "C" Datum accounts_reverse(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::Reverse(fcinfo); });
}
