#include "pg/idempotency.hpp"

#include "core/ledger_error.hpp"
#include "pg/spi_statement.hpp"

namespace oscar_accounts::pg {

namespace {

SpiStatement claim_transfer(R"SQL(
SELECT (accounts._idempotency_claim($1, 'transfer',
        jsonb_build_object('source', $2::bigint, 'destination', $3::bigint, 'amount', $4::numeric,
                           'parent', $5::bigint, 'user_id', $6::bigint, 'username', $7::text,
                           'merchant_reference', $8::text, 'description', $9::text)))[1]
)SQL",
                            {TEXTOID, INT8OID, INT8OID, NUMERICOID, INT8OID, INT8OID, TEXTOID, TEXTOID, TEXTOID});

SpiStatement claim_reversal(R"SQL(
SELECT (accounts._idempotency_claim($1, 'reverse',
        jsonb_build_object('transfer', $2::bigint, 'user_id', $3::bigint, 'username', $4::text,
                           'merchant_reference', $5::text, 'description', $6::text)))[1]
)SQL",
                            {TEXTOID, INT8OID, INT8OID, TEXTOID, TEXTOID, TEXTOID});

SpiStatement record_key(R"SQL(
SELECT accounts._idempotency_record($1, ARRAY[$2::bigint])
)SQL",
                        {TEXTOID, INT8OID});

SpiStatement read_transfer_row(R"SQL(
SELECT * FROM accounts.transfer WHERE id = $1
)SQL",
                               {INT8OID});

} // namespace

std::optional<std::int64_t> ClaimKeyForTransfer(const std::string &key, const TransferOrder &order,
                                                std::optional<std::int64_t> parent_id) {
	Datum values[9];
	char nulls[9] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};
	values[0] = TextArg(key);
	values[1] = Int64GetDatum(order.source_id);
	values[2] = Int64GetDatum(order.destination_id);
	values[3] = NumericArg(order.amount.ToString());
	values[4] = OptionalInt64Arg(parent_id, &nulls[4]);
	values[5] = OptionalInt64Arg(order.user_id, &nulls[5]);
	values[6] = OptionalTextArg(order.username, &nulls[6]);
	values[7] = OptionalTextArg(order.merchant_reference, &nulls[7]);
	values[8] = OptionalTextArg(order.description, &nulls[8]);
	claim_transfer.Execute(values, nulls);
	return SpiInt64(0, 1);
}

std::optional<std::int64_t> ClaimKeyForReversal(const std::string &key, std::int64_t transfer_id,
                                                const TransferOrder &order) {
	Datum values[6];
	char nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};
	values[0] = TextArg(key);
	values[1] = Int64GetDatum(transfer_id);
	values[2] = OptionalInt64Arg(order.user_id, &nulls[2]);
	values[3] = OptionalTextArg(order.username, &nulls[3]);
	values[4] = OptionalTextArg(order.merchant_reference, &nulls[4]);
	values[5] = OptionalTextArg(order.description, &nulls[5]);
	claim_reversal.Execute(values, nulls);
	return SpiInt64(0, 1);
}

void RecordKey(const std::string &key, std::int64_t transfer_id) {
	Datum values[2] = {TextArg(key), Int64GetDatum(transfer_id)};
	record_key.Execute(values, nullptr);
}

Datum ReadTransferRow(std::int64_t transfer_id, TupleDesc result_type) {
	Datum values[1] = {Int64GetDatum(transfer_id)};
	if (read_transfer_row.Execute(values, nullptr) != 1) {
		throw core::LedgerError(core::ErrorCode::Internal,
		                        "idempotency key refers to missing transfer " + std::to_string(transfer_id));
	}
	Datum result = 0;
	CallPg([&] { result = PointerGetDatum(SPI_returntuple(SPI_tuptable->vals[0], result_type)); });
	return result;
}

} // namespace oscar_accounts::pg
