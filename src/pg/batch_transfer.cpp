// accounts_transfer_batch(): many transfers in one statement, all or none. Every account of
// the batch is locked in one sorted pass; the rules run in order on the locked balances (so a
// card loaded by transfer 1 can spend in transfer 2); then one statement writes every balance,
// transfer and leg.
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ledger_error.hpp"
#include "core/reference.hpp"
#include "core/transfer_rules.hpp"
#include "pg/account_lock.hpp"
#include "pg/boundary.hpp"
#include "pg/function_args.hpp"
#include "pg/ledger_write_scope.hpp"
#include "pg/spi_statement.hpp"
#include "pg/transfer_execution.hpp"

extern "C" {
#include "access/xact.h"
PG_FUNCTION_INFO_V1(accounts_transfer_batch);
}

namespace oscar_accounts::pg {

namespace {

constexpr std::size_t kMaxBatch = 100000;

SpiStatement write_batch(R"SQL(
WITH balances AS (
    UPDATE accounts.account a
       SET balance = v.balance
      FROM unnest($1::bigint[], $2::numeric[]) AS v (id, balance)
     WHERE a.id = v.id
    RETURNING a.id
), new_transfers AS (
    INSERT INTO accounts.transfer
           (reference, source_id, destination_id, amount, kind, merchant_reference, description, user_id, username,
            date_created)
    SELECT x.reference, x.source_id, x.destination_id, x.amount, 'transfer', $7, $8, $9, coalesce($10, ''), $11
      FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::numeric[]) WITH ORDINALITY
           AS x (reference, source_id, destination_id, amount, position)
     WHERE (SELECT count(*) FROM balances) = $12
     ORDER BY x.position
    RETURNING *
), legs AS (
    INSERT INTO accounts.posting (transfer_id, account_id, amount, date_created)
    SELECT t.id, leg.account_id, leg.amount, t.date_created
      FROM new_transfers t, LATERAL (VALUES (t.source_id, -t.amount), (t.destination_id, t.amount)) AS leg (account_id, amount)
)
SELECT * FROM new_transfers ORDER BY id
)SQL",
                         {INT8ARRAYOID, NUMERICARRAYOID, TEXTARRAYOID, INT8ARRAYOID, INT8ARRAYOID, NUMERICARRAYOID,
                          TEXTOID, TEXTOID, INT8OID, TEXTOID, TIMESTAMPTZOID, INT8OID});

SpiStatement lapsed_account(R"SQL(
SELECT account_id FROM accounts.system_account WHERE role = 'lapsed'
)SQL",
                            {});

// The elements of a one-dimensional array argument, NULL elements as nullopt.
std::vector<std::optional<Datum>> ArrayElements(FunctionCallInfo fcinfo, int index, Oid element_type, int16 length,
                                                bool by_value, char align) {
	std::vector<std::optional<Datum>> elements;
	if (PG_ARGISNULL(index)) {
		return elements;
	}
	Datum *datums = nullptr;
	bool *nulls = nullptr;
	int count = 0;
	int dimensions = 0;
	int lower_bound = 1;
	CallPg([&] {
		ArrayType *array = PG_GETARG_ARRAYTYPE_P(index);
		dimensions = ARR_NDIM(array);
		lower_bound = dimensions > 0 ? ARR_LBOUND(array)[0] : 1;
		deconstruct_array(array, element_type, length, by_value, align, &datums, &nulls, &count);
	});
	// Transfer i pairs sources[i], destinations[i] and amounts[i]: plain one-dimensional arrays only.
	if (dimensions > 1 || lower_bound != 1) {
		throw core::LedgerError(core::ErrorCode::InvalidArgument,
		                        "sources, destinations and amounts must be one-dimensional arrays starting at 1");
	}
	elements.reserve(count);
	for (int i = 0; i < count; ++i) {
		elements.push_back(nulls[i] ? std::nullopt : std::optional<Datum>(datums[i]));
	}
	return elements;
}

Datum MakeArray(const std::vector<Datum> &datums, Oid element_type, int16 length, bool by_value, char align) {
	Datum result = 0;
	const Datum *data = datums.data();
	int count = static_cast<int>(datums.size());
	CallPg([&] {
		result = PointerGetDatum(construct_array(const_cast<Datum *>(data), count, element_type, length, by_value, align));
	});
	return result;
}

std::string NumericText(Datum value) {
	char *chars = nullptr;
	CallPg([&] { chars = DatumGetCString(DirectFunctionCall1(numeric_out, value)); });
	return std::string(chars);
}

// Runs `check` for item `position` (from 1) and words any refusal with that position.
template <typename F>
auto ForItem(std::size_t position, F &&check) -> decltype(check()) {
	try {
		return check();
	} catch (const core::LedgerError &e) {
		throw core::LedgerError(e.Code(), "transfer " + std::to_string(position) + " of the batch: " + e.what(),
		                        e.Detail());
	}
}

struct BatchItem {
	std::int64_t source_id = 0;
	std::int64_t destination_id = 0;
	core::Money amount;
};

Datum TransferBatch(FunctionCallInfo fcinfo) {
	std::vector<std::optional<Datum>> sources = ArrayElements(fcinfo, 0, INT8OID, 8, true, TYPALIGN_DOUBLE);
	std::vector<std::optional<Datum>> destinations = ArrayElements(fcinfo, 1, INT8OID, 8, true, TYPALIGN_DOUBLE);
	std::vector<std::optional<Datum>> amounts = ArrayElements(fcinfo, 2, NUMERICOID, -1, false, TYPALIGN_INT);
	if (sources.empty() || sources.size() != destinations.size() || sources.size() != amounts.size()) {
		throw core::LedgerError(core::ErrorCode::InvalidArgument,
		                        "sources, destinations and amounts must be non-empty arrays of the same length");
	}
	if (sources.size() > kMaxBatch) {
		throw core::LedgerError(core::ErrorCode::InvalidArgument,
		                        "a batch holds at most " + std::to_string(kMaxBatch) + " transfers");
	}
	std::optional<std::string> description = TextArgument(fcinfo, 3);
	std::optional<std::int64_t> user_id = Int64Arg(fcinfo, 4);
	std::optional<std::string> username = TextArgument(fcinfo, 5);
	std::optional<std::string> merchant_reference = TextArgument(fcinfo, 6);
	core::CheckTextLength("description", CharacterCount(description), core::kMaxDescriptionLength);
	core::CheckTextLength("username", CharacterCount(username), core::kMaxUsernameLength);
	core::CheckTextLength("merchant_reference", CharacterCount(merchant_reference), core::kMaxMerchantReferenceLength);

	// Argument checks, item by item, before any lock.
	std::vector<BatchItem> items(sources.size());
	std::vector<std::int64_t> account_ids;
	account_ids.reserve(items.size() * 2);
	for (std::size_t i = 0; i < items.size(); ++i) {
		std::optional<std::int64_t> source = sources[i] ? std::optional<std::int64_t>(DatumGetInt64(*sources[i])) : std::nullopt;
		std::optional<std::int64_t> destination =
		    destinations[i] ? std::optional<std::int64_t>(DatumGetInt64(*destinations[i])) : std::nullopt;
		std::optional<std::string> amount_text = amounts[i] ? std::optional<std::string>(NumericText(*amounts[i])) : std::nullopt;
		items[i].amount = ForItem(i + 1, [&] {
			return core::CheckTransferArguments(source, destination,
			                                    amount_text ? std::optional<std::string_view>(*amount_text) : std::nullopt);
		});
		items[i].source_id = *source;
		items[i].destination_id = *destination;
		account_ids.push_back(*source);
		account_ids.push_back(*destination);
	}

	ReturnSetInfo *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
	CallPg([&] { InitMaterializedSRF(fcinfo, 0); });

	SpiConnect();
	std::unordered_map<std::int64_t, core::AccountSnapshot> accounts = LockAccounts(account_ids);
	std::optional<std::int64_t> lapsed_id;
	bool lapsed_known = false;
	TimestampTz now = GetCurrentTransactionStartTimestamp();

	// The rules, in order, on the locked balances.
	for (std::size_t i = 0; i < items.size(); ++i) {
		core::AccountSnapshot &source = accounts.at(items[i].source_id);
		core::AccountSnapshot &destination = accounts.at(items[i].destination_id);
		ReadSecondaryUsers(source, user_id);
		core::TransferInput input;
		input.amount = items[i].amount;
		input.user_id = user_id;
		input.source = &source;
		input.destination = &destination;
		input.now = now;
		if (!core::IsWithinValidityWindow(source, now)) {
			if (!lapsed_known) {
				lapsed_known = true;
				if (lapsed_account.Execute(nullptr, nullptr) == 1) {
					lapsed_id = SpiInt64(0, 1);
				}
			}
			input.destination_is_lapsed = lapsed_id == destination.id;
		}
		core::TransferPlan plan = ForItem(i + 1, [&] { return core::PlanTransfer(input); });
		source.balance = plan.source_balance;
		destination.balance = plan.destination_balance;
	}

	// One statement writes it all.
	std::vector<Datum> balance_ids;
	std::vector<Datum> balances;
	for (const auto &[id, account] : accounts) {
		balance_ids.push_back(Int64GetDatum(id));
		balances.push_back(NumericArg(account.balance.ToString()));
	}
	std::vector<Datum> references;
	std::vector<Datum> item_sources;
	std::vector<Datum> item_destinations;
	std::vector<Datum> item_amounts;
	for (const BatchItem &item : items) {
		references.push_back(TextArg(NewTransferReference()));
		item_sources.push_back(Int64GetDatum(item.source_id));
		item_destinations.push_back(Int64GetDatum(item.destination_id));
		item_amounts.push_back(NumericArg(item.amount.ToString()));
	}
	Datum values[12];
	char nulls[12] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};
	values[0] = MakeArray(balance_ids, INT8OID, 8, true, TYPALIGN_DOUBLE);
	values[1] = MakeArray(balances, NUMERICOID, -1, false, TYPALIGN_INT);
	values[2] = MakeArray(references, TEXTOID, -1, false, TYPALIGN_INT);
	values[3] = MakeArray(item_sources, INT8OID, 8, true, TYPALIGN_DOUBLE);
	values[4] = MakeArray(item_destinations, INT8OID, 8, true, TYPALIGN_DOUBLE);
	values[5] = MakeArray(item_amounts, NUMERICOID, -1, false, TYPALIGN_INT);
	values[6] = OptionalTextArg(merchant_reference, &nulls[6]);
	values[7] = OptionalTextArg(description, &nulls[7]);
	values[8] = OptionalInt64Arg(user_id, &nulls[8]);
	values[9] = OptionalTextArg(username, &nulls[9]);
	values[10] = TimestampTzGetDatum(now);
	values[11] = Int64GetDatum(static_cast<std::int64_t>(accounts.size()));
	std::uint64_t written = 0;
	{
		LedgerWriteScope scope;
		written = write_batch.Execute(values, nulls);
	}
	if (written != items.size()) {
		throw core::LedgerError(core::ErrorCode::Internal, "could not write every transfer of the batch");
	}
	CallPg([&] {
		for (std::uint64_t row = 0; row < written; ++row) {
			tuplestore_puttuple(rsinfo->setResult, SPI_tuptable->vals[row]);
		}
	});
	SpiFinish();
	return static_cast<Datum>(0);
}

} // namespace

} // namespace oscar_accounts::pg

extern "C" Datum accounts_transfer_batch(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::TransferBatch(fcinfo); });
}
