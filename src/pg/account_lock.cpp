#include "pg/account_lock.hpp"

#include <algorithm>
#include <string>

#include "core/ledger_error.hpp"
#include "pg/spi_statement.hpp"

namespace oscar_accounts::pg {

namespace {

// Locks in id order: the index scan on the primary key returns the ids sorted and LockRows
// locks each row as it comes. Under READ COMMITTED it returns the latest committed row
// versions; under REPEATABLE READ and SERIALIZABLE a concurrent change makes the lock fail
// with a serialization error instead.
SpiStatement lock_accounts(R"SQL(
SELECT a.id, a.status, a.credit_limit::text, a.balance::text, a.start_date, a.end_date, a.currency, a.primary_user_id
  FROM accounts.account a
 WHERE a.id = ANY (ARRAY[$1, $2])
 ORDER BY a.id
   FOR NO KEY UPDATE OF a
)SQL",
                           {INT8OID, INT8OID});

SpiStatement lock_many_accounts(R"SQL(
SELECT a.id, a.status, a.credit_limit::text, a.balance::text, a.start_date, a.end_date, a.currency, a.primary_user_id
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

} // namespace

namespace {

core::AccountSnapshot ReadLockedRow(std::uint64_t row) {
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
	return account;
}

[[noreturn]] void ThrowNotFound(std::int64_t account_id) {
	throw core::LedgerError(core::ErrorCode::AccountNotFound,
	                        "account #" + std::to_string(account_id) + " does not exist");
}

} // namespace

std::pair<core::AccountSnapshot, core::AccountSnapshot> LockAccountPair(std::int64_t lower_id, std::int64_t higher_id) {
	Datum values[2] = {Int64GetDatum(lower_id), Int64GetDatum(higher_id)};
	std::uint64_t rows = lock_accounts.Execute(values, nullptr);
	std::optional<std::int64_t> first = rows > 0 ? SpiInt64(0, 1) : std::nullopt;
	if (first != lower_id) {
		ThrowNotFound(lower_id);
	}
	if (rows < 2) {
		ThrowNotFound(higher_id);
	}
	core::AccountSnapshot lower = ReadLockedRow(0);
	core::AccountSnapshot higher = ReadLockedRow(1);
	return {std::move(lower), std::move(higher)};
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
	std::uint64_t rows = lock_many_accounts.Execute(values, nullptr);
	std::unordered_map<std::int64_t, core::AccountSnapshot> accounts;
	for (std::uint64_t row = 0; row < rows; ++row) {
		core::AccountSnapshot account = ReadLockedRow(row);
		accounts.emplace(account.id, std::move(account));
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
