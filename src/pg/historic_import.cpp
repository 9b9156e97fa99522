#include "pg/historic_import.hpp"

#include <string>

#include "core/ledger_error.hpp"
#include "pg/spi_statement.hpp"

namespace oscar_accounts::pg {

namespace {

SpiStatement latest_instant(R"SQL(
SELECT greatest((SELECT max(p.date_created) FROM accounts.posting p WHERE p.account_id IN ($1, $2)),
                (SELECT t.date_created FROM accounts.transfer t WHERE t.id = $3))
)SQL",
                            {INT8OID, INT8OID, INT8OID});

SpiStatement backdate_accounts(R"SQL(
UPDATE accounts.account SET date_created = $3 WHERE id IN ($1, $2) AND date_created > $3
)SQL",
                               {INT8OID, INT8OID, TIMESTAMPTZOID});

std::string FormatInstant(TimestampTz instant) {
	char *text = nullptr;
	CallPg([&] { text = DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(instant))); });
	return std::string(text);
}

} // namespace

void CheckImportInstant(const TransferOrder &order) {
	TimestampTz at = *order.date_created;
	if (TIMESTAMP_NOT_FINITE(at)) {
		throw core::LedgerError(core::ErrorCode::InvalidArgument, "date_created must be a finite instant");
	}
	if (at > GetCurrentTransactionStartTimestamp()) {
		throw core::LedgerError(core::ErrorCode::InvalidArgument, "date_created must not be in the future",
		                        "Imports record transfers that already happened.");
	}
	Datum values[3] = {Int64GetDatum(order.source_id), Int64GetDatum(order.destination_id),
	                   Int64GetDatum(order.parent != nullptr ? order.parent->transfer_id : 0)};
	latest_instant.Execute(values, nullptr);
	std::optional<TimestampTz> latest = SpiTimestamp(0, 1);
	if (latest && at < *latest) {
		throw core::LedgerError(core::ErrorCode::InvalidArgument,
		                        "date_created " + FormatInstant(at) + " is earlier than " + FormatInstant(*latest),
		                        "Import each account's history in order: the accounts or the parent transfer already "
		                        "have something recorded at that later instant.");
	}
}

void BackdateAccounts(const TransferOrder &order) {
	Datum values[3] = {Int64GetDatum(order.source_id), Int64GetDatum(order.destination_id),
	                   TimestampTzGetDatum(*order.date_created)};
	backdate_accounts.Execute(values, nullptr);
}

} // namespace oscar_accounts::pg
