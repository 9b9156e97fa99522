#include "pg/account_lock.hpp"

#include <string>

#include "core/ledger_error.hpp"
#include "pg/spi_statement.hpp"

namespace oscar_accounts::pg {

namespace {

// Returns the latest committed row version under READ COMMITTED; under REPEATABLE READ and
// SERIALIZABLE a concurrent change makes the lock fail with a serialization error instead.
SpiStatement lock_account(R"SQL(
SELECT a.status, a.credit_limit::text, a.balance::text, a.start_date, a.end_date, a.currency, a.primary_user_id,
       EXISTS (SELECT 1 FROM accounts.account_secondary_user s WHERE s.account_id = a.id),
       EXISTS (SELECT 1 FROM accounts.account_secondary_user s WHERE s.account_id = a.id AND s.user_id = $2)
  FROM accounts.account a
 WHERE a.id = $1
   FOR NO KEY UPDATE OF a
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

core::AccountSnapshot LockAccount(std::int64_t account_id, std::optional<std::int64_t> user_id) {
	Datum values[2] = {Int64GetDatum(account_id), Int64GetDatum(user_id.value_or(0))};
	char nulls[2] = {' ', user_id ? ' ' : 'n'};
	if (lock_account.Execute(values, nulls) == 0) {
		throw core::LedgerError(core::ErrorCode::AccountNotFound,
		                        "account #" + std::to_string(account_id) + " does not exist");
	}
	core::AccountSnapshot account;
	account.id = account_id;
	std::string status = SpiText(0, 1).value_or("");
	std::optional<core::AccountStatus> parsed = core::ParseAccountStatus(status);
	if (!parsed) {
		throw core::LedgerError(core::ErrorCode::Internal, "account #" + std::to_string(account_id) +
		                                                       " has unknown status \"" + status + "\"");
	}
	account.status = *parsed;
	std::optional<std::string> credit_limit = SpiText(0, 2);
	if (credit_limit) {
		account.credit_limit = core::Money::Parse(*credit_limit);
	}
	account.balance = MoneyColumn(0, 3);
	account.start_date = SpiTimestamp(0, 4);
	account.end_date = SpiTimestamp(0, 5);
	account.currency = SpiText(0, 6).value_or("");
	account.primary_user_id = SpiInt64(0, 7);
	account.has_secondary_users = SpiBool(0, 8);
	account.user_is_secondary = SpiBool(0, 9);
	return account;
}

bool IsLapsedAccount(std::int64_t account_id) {
	Datum values[1] = {Int64GetDatum(account_id)};
	is_lapsed_account.Execute(values, nullptr);
	return SpiBool(0, 1);
}

} // namespace oscar_accounts::pg
