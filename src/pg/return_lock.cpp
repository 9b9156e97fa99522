#include "pg/return_lock.hpp"

#include <string>

#include "core/ledger_error.hpp"
#include "pg/ledger_write_scope.hpp"
#include "pg/spi_statement.hpp"

namespace oscar_accounts::pg {

namespace {

SpiStatement read_transfer(R"SQL(
SELECT kind, source_id, destination_id, amount::text FROM accounts.transfer WHERE id = $1
)SQL",
                           {INT8OID});

// An upsert, not SELECT ... FOR UPDATE: it also locks a row another session has just
// inserted, and under REPEATABLE READ it fails with a serialization error rather than
// reading a stale total. Under READ COMMITTED it returns the latest committed total.
SpiStatement lock_return(R"SQL(
INSERT INTO accounts.transfer_return AS r (transfer_id) VALUES ($1)
ON CONFLICT (transfer_id) DO UPDATE SET returned = r.returned
RETURNING r.returned::text, r.reversal_id IS NOT NULL
)SQL",
                         {INT8OID});

SpiStatement save_return(R"SQL(
UPDATE accounts.transfer_return
   SET returned = $2, reversal_id = coalesce($3, reversal_id)
 WHERE transfer_id = $1
)SQL",
                         {INT8OID, NUMERICOID, INT8OID});

} // namespace

core::ReturnState LockReturnState(std::int64_t transfer_id) {
	Datum values[1] = {Int64GetDatum(transfer_id)};
	if (read_transfer.Execute(values, nullptr) == 0) {
		throw core::LedgerError(core::ErrorCode::TransferNotFound,
		                        "transfer " + std::to_string(transfer_id) + " does not exist");
	}
	core::ReturnState state;
	state.transfer_id = transfer_id;
	std::string kind = SpiText(0, 1).value_or("");
	std::optional<core::TransferKind> parsed = core::ParseTransferKind(kind);
	if (!parsed) {
		throw core::LedgerError(core::ErrorCode::Internal, "transfer " + std::to_string(transfer_id) +
		                                                       " has unknown kind \"" + kind + "\"");
	}
	state.kind = *parsed;
	state.source_id = SpiInt64(0, 2).value_or(0);
	state.destination_id = SpiInt64(0, 3).value_or(0);
	state.amount = core::Money::Parse(SpiText(0, 4).value_or("0"));

	LedgerWriteScope scope;
	lock_return.Execute(values, nullptr);
	state.returned = core::Money::Parse(SpiText(0, 1).value_or("0"));
	state.reversed = SpiBool(0, 2);
	return state;
}

void SaveReturnState(std::int64_t transfer_id, const core::Money &returned, std::int64_t reversal_id) {
	Datum values[3] = {Int64GetDatum(transfer_id), NumericArg(returned.ToString()), Int64GetDatum(reversal_id)};
	char nulls[3] = {' ', ' ', reversal_id != 0 ? ' ' : 'n'};
	LedgerWriteScope scope;
	save_return.Execute(values, nulls);
}

} // namespace oscar_accounts::pg
