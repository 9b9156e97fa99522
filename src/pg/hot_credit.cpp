// SQL entry point accounts._fold_hot_credits() and the folding every locker of a hot account does.
#include "pg/hot_credit.hpp"

#include <string>

#include "core/ledger_error.hpp"
#include "pg/function_args.hpp"
#include "pg/ledger_write_scope.hpp"
#include "pg/spi_statement.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(accounts_fold_hot_credits);
}

namespace oscar_accounts::pg {

namespace {

// Deletes the visible pending credits and adds their sum to the balance in one statement.
// Credits of transactions still in flight are invisible and stay pending for a later fold.
// Hazard: the UPDATE must match whenever the DELETE moved anything (the caller holds the
// account's row lock, so the row exists), or the credits would vanish; a sum past
// numeric(18,2) makes the whole statement fail, and then nothing is deleted.
SpiStatement fold_credits(R"SQL(
WITH moved AS (
    DELETE FROM accounts.hot_credit c WHERE c.account_id = $1 RETURNING c.amount
), total AS (
    SELECT sum(m.amount) AS amount FROM moved m
)
UPDATE accounts.account a
   SET balance = a.balance + t.amount
  FROM total t
 WHERE a.id = $1 AND t.amount IS NOT NULL
RETURNING a.balance::text
)SQL",
                          {INT8OID});

// The balance column and the pending credits this transaction sees.
SpiStatement read_pending(R"SQL(
SELECT a.balance::text,
       (SELECT coalesce(sum(c.amount), 0) FROM accounts.hot_credit c WHERE c.account_id = a.id)::text
  FROM accounts.account a
 WHERE a.id = $1
)SQL",
                          {INT8OID});

SpiStatement any_pending(R"SQL(
SELECT 1 FROM accounts.hot_credit c WHERE c.account_id = $1 LIMIT 1
)SQL",
                         {INT8OID});

} // namespace

core::Money FoldHotCredits(std::int64_t account_id) {
	Datum id[1] = {Int64GetDatum(account_id)};
	if (read_pending.Execute(id, nullptr) != 1) {
		throw core::LedgerError(core::ErrorCode::AccountNotFound,
		                        "account #" + std::to_string(account_id) + " does not exist");
	}
	core::Money balance = core::Money::Parse(SpiText(0, 1).value_or("0"));
	core::Money pending = core::Money::Parse(SpiText(0, 2).value_or("0"));
	if (pending == core::Money()) {
		return balance;
	}
	// Checked here for the ledger's own error; the UPDATE would fail with a bare 22003.
	if (!balance.Plus(pending)) {
		throw core::LedgerError(core::ErrorCode::BalanceOutOfRange,
		                        "pending credits would take the balance of account #" + std::to_string(account_id) +
		                            " out of range");
	}
	LedgerWriteScope scope;
	if (fold_credits.Execute(id, nullptr) != 1) {
		return balance;
	}
	return core::Money::Parse(SpiText(0, 1).value_or("0"));
}

void RequireNoUnseenCredits(std::int64_t account_id) {
	if (!IsolationUsesXactSnapshot()) {
		return; // READ COMMITTED: the fold's own statement already saw every committed credit.
	}
	Datum id[1] = {Int64GetDatum(account_id)};
	if (any_pending.ExecuteWithLatestSnapshot(id, nullptr) == 0) {
		return;
	}
	CallPg([&] {
		ereport(ERROR, (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
		                errmsg("could not serialize access due to credits committed to hot account #%lld",
		                       static_cast<long long>(account_id)),
		                errhint("Retry the transaction.")));
	});
}

namespace {

// accounts._fold_hot_credits(account, exact): for the SQL-language functions that lock a hot
// account (status changes, edits, the sweep). The caller holds the row lock.
Datum FoldHotCreditsFunction(FunctionCallInfo fcinfo) {
	std::optional<std::int64_t> account_id = Int64Arg(fcinfo, 0);
	if (!account_id) {
		throw core::LedgerError(core::ErrorCode::NullArgument, "account must not be null");
	}
	bool exact = BoolArg(fcinfo, 1).value_or(true);
	SpiConnect();
	core::Money balance = FoldHotCredits(*account_id);
	if (exact) {
		RequireNoUnseenCredits(*account_id);
	}
	SpiFinish();
	return NumericResult(balance);
}

} // namespace

} // namespace oscar_accounts::pg

extern "C" Datum accounts_fold_hot_credits(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::FoldHotCreditsFunction(fcinfo); });
}
