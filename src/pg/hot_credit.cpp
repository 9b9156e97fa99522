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
// Credits are moved oldest first, and only as many as keep the column within numeric(18,2):
// an account whose credits add up past that range keeps the rest pending (its exact balance in
// accounts.account_balance stays right) instead of refusing every later fold and debit.
// Hazard: the UPDATE must match whenever the DELETE moved anything (the caller holds the
// account's row lock, so the row exists), or the credits would vanish.
SpiStatement fold_credits(R"SQL(
WITH pending AS (
    SELECT c.transfer_id, sum(c.amount) OVER (ORDER BY c.transfer_id) AS running
      FROM accounts.hot_credit c
     WHERE c.account_id = $1
), moved AS (
    DELETE FROM accounts.hot_credit c
     USING pending p, accounts.account a
     WHERE c.transfer_id = p.transfer_id AND a.id = $1 AND a.balance + p.running <= 9999999999999999.99
    RETURNING c.amount
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

SpiStatement read_balance(R"SQL(
SELECT a.balance::text FROM accounts.account a WHERE a.id = $1
)SQL",
                          {INT8OID});

SpiStatement count_pending(R"SQL(
SELECT count(*) FROM accounts.hot_credit c WHERE c.account_id = $1
)SQL",
                           {INT8OID});

} // namespace

core::Money FoldHotCredits(std::int64_t account_id) {
	Datum id[1] = {Int64GetDatum(account_id)};
	LedgerWriteScope scope;
	if (fold_credits.Execute(id, nullptr) == 1) {
		return core::Money::Parse(SpiText(0, 1).value_or("0"));
	}
	// Nothing moved: nothing pending (or nothing that fits); the column as it is.
	if (read_balance.Execute(id, nullptr) != 1) {
		throw core::LedgerError(core::ErrorCode::AccountNotFound,
		                        "account #" + std::to_string(account_id) + " does not exist");
	}
	return core::Money::Parse(SpiText(0, 1).value_or("0"));
}

void RequireNoUnseenCredits(std::int64_t account_id) {
	if (!IsolationUsesXactSnapshot()) {
		return; // READ COMMITTED: the fold's own statement already saw every committed credit.
	}
	// Rows this snapshot sees (left pending only when they did not fit the column's range)
	// against rows committed by now; the caller's lock keeps other folds out meanwhile.
	Datum id[1] = {Int64GetDatum(account_id)};
	count_pending.Execute(id, nullptr);
	std::int64_t seen = SpiInt64(0, 1).value_or(0);
	count_pending.ExecuteWithLatestSnapshot(id, nullptr);
	if (SpiInt64(0, 1).value_or(0) <= seen) {
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
