#include "pg/account_lock.hpp"

#include <algorithm>
#include <string>

#include "core/ledger_error.hpp"
#include "pg/hot_credit.hpp"
#include "pg/spi_statement.hpp"

namespace oscar_accounts::pg {

namespace {

// The one lock order of the ledger: by id. The index scan returns the ids sorted and LockRows
// locks each row as it comes. Under READ COMMITTED it returns the latest committed row
// versions; under REPEATABLE READ and SERIALIZABLE a concurrent change makes the lock fail with
// a serialization error instead.
//
// Hazard: a hot destination credited from an account that is not hot is left out here; it is
// share-locked afterwards (share_hot_account). FOR KEY SHARE conflicts with no transfer's lock,
// only with FOR UPDATE (status changes, the sweep), so taking it last cannot close a cycle with
// transfers, whatever the hot flags were when each transfer read them. The hot flag decides a
// lock's strength, never its place in the order. accounts._lock_for_transfers() applies the
// same rule in SQL and must agree.
SpiStatement lock_transfer_accounts(R"SQL(
SELECT a.id, a.status, a.credit_limit::text, a.balance::text, a.start_date, a.end_date, a.currency, a.primary_user_id,
       a.hot OR EXISTS (SELECT 1 FROM accounts.hot_credit c WHERE c.account_id = a.id)
  FROM accounts.account a
 WHERE a.id = ANY (ARRAY[$1, $2])
   AND (a.id <> $2 OR NOT a.hot OR (SELECT s.hot FROM accounts.account s WHERE s.id = $1))
 ORDER BY a.id
   FOR NO KEY UPDATE OF a
)SQL",
                                    {INT8OID, INT8OID});

// A hot destination that is only credited: FOR KEY SHARE does not wait for other credits, but
// waits for a status change (FOR UPDATE), so the status read here holds until commit.
SpiStatement share_hot_account(R"SQL(
SELECT a.id, a.status, a.credit_limit::text, a.balance::text, a.start_date, a.end_date, a.currency, a.primary_user_id,
       false
  FROM accounts.account a
 WHERE a.id = $1
   FOR KEY SHARE OF a
)SQL",
                               {INT8OID});

SpiStatement lock_many_accounts(R"SQL(
SELECT a.id, a.status, a.credit_limit::text, a.balance::text, a.start_date, a.end_date, a.currency, a.primary_user_id,
       a.hot OR EXISTS (SELECT 1 FROM accounts.hot_credit c WHERE c.account_id = a.id)
  FROM accounts.account a
 WHERE a.id = ANY ($1)
 ORDER BY a.id
   FOR NO KEY UPDATE OF a
)SQL",
                                {INT8ARRAYOID});

SpiStatement secondary_users(R"SQL(
SELECT EXISTS (SELECT 1 FROM accounts.account_secondary_user s WHERE s.account_id = $1),
       EXISTS (SELECT 1 FROM accounts.account_secondary_user s WHERE s.account_id = $1 AND s.user_id = $2)
)SQL",
                             {INT8OID, INT8OID});

SpiStatement is_lapsed_account(R"SQL(
SELECT EXISTS (SELECT 1 FROM accounts.system_account WHERE role = 'lapsed' AND account_id = $1)
)SQL",
                               {INT8OID});

core::Money MoneyColumn(std::uint64_t row, int column) {
	return core::Money::Parse(SpiText(row, column).value_or("0"));
}

struct LockedRow {
	core::AccountSnapshot account;
	bool needs_fold = false; // hot, or credits still pending from before it stopped being hot
};

// One row of the last SPI result, in the lock statements' column order (the last column says
// whether the account needs folding).
LockedRow ReadLockedRow(std::uint64_t row) {
	core::AccountSnapshot account;
	account.id = SpiInt64(row, 1).value_or(0);
	std::string status = SpiText(row, 2).value_or("");
	std::optional<core::AccountStatus> parsed = core::ParseAccountStatus(status);
	if (!parsed) {
		throw core::LedgerError(core::ErrorCode::Internal, "account #" + std::to_string(account.id) +
		                                                       " has unknown status \"" + status + "\"");
	}
	account.status = *parsed;
	std::optional<std::string> credit_limit = SpiText(row, 3);
	if (credit_limit) {
		account.credit_limit = core::Money::Parse(*credit_limit);
	}
	account.balance = MoneyColumn(row, 4);
	account.start_date = SpiTimestamp(row, 5);
	account.end_date = SpiTimestamp(row, 6);
	account.currency = SpiText(row, 7).value_or("");
	account.primary_user_id = SpiInt64(row, 8);
	return LockedRow {std::move(account), SpiBool(row, 9)};
}

// Every row of the last SPI result, read out before the next statement replaces it.
std::vector<LockedRow> ReadLockedRows(std::uint64_t rows) {
	std::vector<LockedRow> locked;
	locked.reserve(rows);
	for (std::uint64_t row = 0; row < rows; ++row) {
		locked.push_back(ReadLockedRow(row));
	}
	return locked;
}

// A locked hot account is about to be debited or checked: its committed credits join its balance.
void FoldLocked(std::vector<LockedRow> &locked) {
	for (LockedRow &row : locked) {
		if (row.needs_fold) {
			row.account.balance = FoldHotCredits(row.account.id);
		}
	}
}

[[noreturn]] void ThrowNotFound(std::int64_t account_id) {
	throw core::LedgerError(core::ErrorCode::AccountNotFound,
	                        "account #" + std::to_string(account_id) + " does not exist");
}

} // namespace

TransferAccounts LockTransferAccounts(std::int64_t source_id, std::int64_t destination_id) {
	Datum values[2] = {Int64GetDatum(source_id), Int64GetDatum(destination_id)};
	std::vector<LockedRow> locked = ReadLockedRows(lock_transfer_accounts.Execute(values, nullptr));
	FoldLocked(locked);
	std::optional<core::AccountSnapshot> source;
	std::optional<core::AccountSnapshot> destination;
	for (LockedRow &row : locked) {
		(row.account.id == source_id ? source : destination) = std::move(row.account);
	}
	bool credit_pending = false;
	if (!destination) {
		Datum id[1] = {Int64GetDatum(destination_id)};
		if (share_hot_account.Execute(id, nullptr) == 1) {
			destination = ReadLockedRow(0).account;
			credit_pending = true;
		}
	}
	if (!source || !destination) {
		// Both missing: the lower id, as the locks would have met them.
		bool blame_source = !source && (destination || source_id < destination_id);
		ThrowNotFound(blame_source ? source_id : destination_id);
	}
	return TransferAccounts {std::move(*source), std::move(*destination), credit_pending};
}

std::unordered_map<std::int64_t, core::AccountSnapshot> LockAccounts(const std::vector<std::int64_t> &ids) {
	std::vector<std::int64_t> sorted(ids);
	std::sort(sorted.begin(), sorted.end());
	sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
	Datum array = 0;
	const std::int64_t *elements = sorted.data();
	int count = static_cast<int>(sorted.size());
	CallPg([&] {
		Datum *datums = static_cast<Datum *>(palloc(sizeof(Datum) * count));
		for (int i = 0; i < count; ++i) {
			datums[i] = Int64GetDatum(elements[i]);
		}
		array = PointerGetDatum(construct_array(datums, count, INT8OID, sizeof(int64), true, TYPALIGN_DOUBLE));
	});
	Datum values[1] = {array};
	std::vector<LockedRow> locked = ReadLockedRows(lock_many_accounts.Execute(values, nullptr));
	FoldLocked(locked);
	std::unordered_map<std::int64_t, core::AccountSnapshot> accounts;
	for (LockedRow &row : locked) {
		accounts.emplace(row.account.id, std::move(row.account));
	}
	for (std::int64_t id : ids) {
		if (accounts.count(id) == 0) {
			ThrowNotFound(id);
		}
	}
	return accounts;
}

void ReadSecondaryUsers(core::AccountSnapshot &account, std::optional<std::int64_t> user_id) {
	if (!user_id || account.primary_user_id) {
		return;
	}
	Datum values[2] = {Int64GetDatum(account.id), Int64GetDatum(*user_id)};
	secondary_users.Execute(values, nullptr);
	account.has_secondary_users = SpiBool(0, 1);
	account.user_is_secondary = SpiBool(0, 2);
}

bool IsLapsedAccount(std::int64_t account_id) {
	Datum values[1] = {Int64GetDatum(account_id)};
	is_lapsed_account.Execute(values, nullptr);
	return SpiBool(0, 1);
}

} // namespace oscar_accounts::pg
