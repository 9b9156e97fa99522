#include "pg/transfer_execution.hpp"

#include <array>

#include "core/ledger_error.hpp"
#include "core/reference.hpp"
#include "core/transfer_rules.hpp"
#include "pg/account_lock.hpp"
#include "pg/historic_import.hpp"
#include "pg/boundary.hpp"
#include "pg/ledger_write_scope.hpp"
#include "pg/return_lock.hpp"
#include "pg/spi_statement.hpp"

namespace oscar_accounts::pg {

namespace {

// Everything a transfer writes, in one statement: both balances, the transfer and its two
// legs. Constraint triggers made IMMEDIATE (SET CONSTRAINTS) fire at its end, when the
// transfer already has both postings. The transfer row is written only if both balances were.
//
// Hazard: a NULL destination balance ($13) means the credit is pending (a hot destination
// that is only share-locked, see hot_credit.hpp): its balance column is left alone, the
// transfer needs only the source's balance written, and write_hot_credit_transfer adds the
// amount to accounts.hot_credit. Two statements from one text, because an INSERT that writes
// nothing still opens its table, indexes and triggers on every execution of the ordinary path.
#define OSCAR_ACCOUNTS_WRITE_TRANSFER_CTES \
	"WITH balances AS (\n" \
	"    UPDATE accounts.account a\n" \
	"       SET balance = v.balance\n" \
	"      FROM (VALUES ($2::bigint, $12::numeric), ($3::bigint, $13::numeric)) AS v (id, balance)\n" \
	"     WHERE a.id = v.id AND v.balance IS NOT NULL\n" \
	"    RETURNING a.id\n" \
	"), new_transfer AS (\n" \
	"    INSERT INTO accounts.transfer\n" \
	"           (reference, source_id, destination_id, amount, parent_id, kind, merchant_reference, description,\n" \
	"            user_id, username, date_created)\n" \
	"    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, ''), $11\n" \
	"     WHERE (SELECT count(*) FROM balances) = CASE WHEN $13::numeric IS NULL THEN 1 ELSE 2 END\n" \
	"    RETURNING *\n" \
	"), legs AS (\n" \
	"    INSERT INTO accounts.posting (transfer_id, account_id, amount, date_created)\n" \
	"    SELECT t.id, leg.account_id, leg.amount, t.date_created\n" \
	"      FROM new_transfer t, (VALUES ($2, -$4), ($3, $4)) AS leg (account_id, amount)\n" \
	")"

SpiStatement write_transfer(OSCAR_ACCOUNTS_WRITE_TRANSFER_CTES "\nSELECT * FROM new_transfer",
                            {TEXTOID, INT8OID, INT8OID, NUMERICOID, INT8OID, TEXTOID, TEXTOID, TEXTOID, INT8OID,
                             TEXTOID, TIMESTAMPTZOID, NUMERICOID, NUMERICOID});

SpiStatement write_hot_credit_transfer(OSCAR_ACCOUNTS_WRITE_TRANSFER_CTES ", pending AS (\n"
                                       "    INSERT INTO accounts.hot_credit (transfer_id, account_id, amount, date_created)\n"
                                       "    SELECT t.id, t.destination_id, t.amount, t.date_created FROM new_transfer t\n"
                                       ")\n"
                                       "SELECT * FROM new_transfer",
                                       {TEXTOID, INT8OID, INT8OID, NUMERICOID, INT8OID, TEXTOID, TEXTOID, TEXTOID,
                                        INT8OID, TEXTOID, TIMESTAMPTZOID, NUMERICOID, NUMERICOID});

#undef OSCAR_ACCOUNTS_WRITE_TRANSFER_CTES

} // namespace

// 128 bits from the server's cryptographically strong source.
std::string NewTransferReference() {
	std::array<std::uint8_t, core::kReferenceBytes> bytes {};
	bool ok = pg_strong_random(bytes.data(), bytes.size());
	if (!ok) {
		throw core::LedgerError(core::ErrorCode::Internal, "could not generate a random transfer reference");
	}
	return core::FormatReference(bytes);
}

ExecutedTransfer ExecuteTransfer(const TransferOrder &order, TupleDesc result_type) {
	TransferAccounts accounts = LockTransferAccounts(order.source_id, order.destination_id);
	core::AccountSnapshot &source = accounts.source;
	const core::AccountSnapshot &destination = accounts.destination;
	ReadSecondaryUsers(source, order.user_id);

	if (order.date_created) {
		CheckImportInstant(order);
	}

	core::TransferInput input;
	input.kind = order.kind;
	input.amount = order.amount;
	input.user_id = order.user_id;
	input.source = &source;
	input.destination = &destination;
	input.parent = order.parent;
	input.now = order.date_created.value_or(GetCurrentTransactionStartTimestamp());
	input.destination_is_lapsed =
	    !core::IsWithinValidityWindow(source, input.now) && IsLapsedAccount(destination.id);
	core::TransferPlan plan = core::PlanTransfer(input);

	std::string kind(core::TransferKindName(order.kind));
	Datum transfer_values[13];
	char transfer_nulls[13] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};
	transfer_values[0] = TextArg(NewTransferReference());
	transfer_values[1] = Int64GetDatum(order.source_id);
	transfer_values[2] = Int64GetDatum(order.destination_id);
	transfer_values[3] = NumericArg(order.amount.ToString());
	transfer_values[4] = Int64GetDatum(order.parent != nullptr ? order.parent->transfer_id : 0);
	transfer_nulls[4] = order.parent != nullptr ? ' ' : 'n';
	transfer_values[5] = TextArg(kind);
	transfer_values[6] = OptionalTextArg(order.merchant_reference, &transfer_nulls[6]);
	transfer_values[7] = OptionalTextArg(order.description, &transfer_nulls[7]);
	transfer_values[8] = Int64GetDatum(order.user_id.value_or(0));
	transfer_nulls[8] = order.user_id ? ' ' : 'n';
	transfer_values[9] = OptionalTextArg(order.username, &transfer_nulls[9]);
	transfer_values[10] = TimestampTzGetDatum(input.now);
	transfer_values[11] = NumericArg(plan.source_balance.ToString());
	// A pending credit: the core checked the amount against the balance column, a lower bound.
	transfer_values[12] = accounts.credit_pending ? 0 : NumericArg(plan.destination_balance.ToString());
	transfer_nulls[12] = accounts.credit_pending ? 'n' : ' ';
	// Guard triggers refuse these rows from anybody but this scope.
	LedgerWriteScope scope;
	SpiStatement &write = accounts.credit_pending ? write_hot_credit_transfer : write_transfer;
	if (write.Execute(transfer_values, transfer_nulls) != 1) {
		throw core::LedgerError(core::ErrorCode::Internal, "could not update both account balances");
	}

	// Copy the new row out of SPI memory into the caller's context before more SPI calls.
	Datum result = 0;
	std::int64_t transfer_id = 0;
	CallPg([&] {
		bool is_null = false;
		HeapTuple row = SPI_tuptable->vals[0];
		transfer_id = DatumGetInt64(SPI_getbinval(row, SPI_tuptable->tupdesc, 1, &is_null));
		result = PointerGetDatum(SPI_returntuple(row, result_type));
	});

	if (order.date_created) {
		BackdateAccounts(order);
	}
	if (order.parent != nullptr) {
		SaveReturnState(order.parent->transfer_id, plan.parent_returned,
		                order.kind == core::TransferKind::Reversal ? transfer_id : 0);
	}
	return ExecutedTransfer {transfer_id, result};
}

} // namespace oscar_accounts::pg
