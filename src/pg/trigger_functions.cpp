// Trigger functions that make the tables themselves keep the books: writes the ledger must
// never accept are refused, and every transfer is checked for balanced legs at commit.
#include <string>
#include <vector>

#include "core/ledger_error.hpp"
#include "core/leg_rules.hpp"
#include "pg/boundary.hpp"
#include "pg/error_table.hpp"
#include "pg/ledger_write_scope.hpp"
#include "pg/spi_statement.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(accounts_refuse_write);
PG_FUNCTION_INFO_V1(accounts_check_transfer_legs);
}

namespace oscar_accounts::pg {

namespace {

SpiStatement read_legs(R"SQL(
SELECT t.source_id, t.destination_id, t.amount::text, p.account_id, p.amount::text
  FROM accounts.transfer t
  LEFT JOIN accounts.posting p ON p.transfer_id = t.id
 WHERE t.id = $1
)SQL",
                       {INT8OID});

TriggerData *TriggerDataOf(FunctionCallInfo fcinfo) {
	if (!CALLED_AS_TRIGGER(fcinfo)) {
		throw core::LedgerError(core::ErrorCode::InvalidArgument, "function can only be called as a trigger");
	}
	return reinterpret_cast<TriggerData *>(fcinfo->context);
}

// The row a row-level trigger should hand back to let the write proceed.
Datum PassThrough(TriggerData *trigger) {
	if (!TRIGGER_FIRED_FOR_ROW(trigger->tg_event)) {
		return PointerGetDatum(nullptr);
	}
	if (TRIGGER_FIRED_BY_UPDATE(trigger->tg_event)) {
		return PointerGetDatum(trigger->tg_newtuple);
	}
	return PointerGetDatum(trigger->tg_trigtuple);
}

// The bigint column `column` of the row that fired a row-level `trigger`; nullopt when there is
// no row (a statement trigger) or no such bigint column.
std::optional<std::int64_t> RowInt64(TriggerData *trigger, const char *column) {
	if (!TRIGGER_FIRED_FOR_ROW(trigger->tg_event) || trigger->tg_trigtuple == nullptr) {
		return std::nullopt;
	}
	TupleDesc desc = trigger->tg_relation->rd_att;
	int attnum = SPI_fnumber(desc, column);
	if (attnum <= 0 || TupleDescAttr(desc, attnum - 1)->atttypid != INT8OID) {
		return std::nullopt;
	}
	bool is_null = false;
	Datum value = SPI_getbinval(trigger->tg_trigtuple, desc, attnum, &is_null);
	if (is_null) {
		return std::nullopt;
	}
	return DatumGetInt64(value);
}

// True when the trigger fires on accounts.<table>.
bool FiresOnLedgerTable(TriggerData *trigger, const char *table) {
	Relation relation = trigger->tg_relation;
	if (std::string(RelationGetRelationName(relation)) != table) {
		return false;
	}
	char *schema = nullptr;
	CallPg([&] { schema = get_namespace_name(RelationGetNamespace(relation)); });
	return schema != nullptr && std::string(schema) == "accounts";
}

// accounts._refuse_write(condition_name, message [, 'unless_ledger_write'])
Datum RefuseWrite(FunctionCallInfo fcinfo) {
	TriggerData *trigger = TriggerDataOf(fcinfo);
	const Trigger *definition = trigger->tg_trigger;
	if (definition->tgnargs < 2) {
		throw core::LedgerError(core::ErrorCode::InvalidArgument, "_refuse_write needs a condition name and a message");
	}
	bool ledger_may_write = definition->tgnargs > 2 && std::string(definition->tgargs[2]) == "unless_ledger_write";
	if (ledger_may_write && LedgerWriteScope::Active()) {
		return PassThrough(trigger);
	}
	std::optional<core::ErrorCode> code = ErrorCodeByName(definition->tgargs[0]);
	std::string detail;
	if (TRIGGER_FIRED_FOR_ROW(trigger->tg_event)) {
		std::optional<std::int64_t> id = RowInt64(trigger, "id");
		if (id) {
			detail = "Refused for the row with id " + std::to_string(*id) + ".";
		}
	}
	throw core::LedgerError(code.value_or(core::ErrorCode::Internal), definition->tgargs[1], detail);
}

// accounts._check_transfer_legs(id_column): deferred until commit.
Datum CheckTransferLegs(FunctionCallInfo fcinfo) {
	TriggerData *trigger = TriggerDataOf(fcinfo);
	// Only meaningful as the extension's own row triggers; anything else is refused, not read.
	bool on_transfer = FiresOnLedgerTable(trigger, "transfer");
	bool on_posting = FiresOnLedgerTable(trigger, "posting");
	std::optional<std::int64_t> transfer_id = RowInt64(trigger, on_transfer ? "id" : "transfer_id");
	if (!TRIGGER_FIRED_AFTER(trigger->tg_event) || !TRIGGER_FIRED_BY_INSERT(trigger->tg_event) ||
	    !(on_transfer || on_posting) || !transfer_id) {
		throw core::LedgerError(core::ErrorCode::InvalidArgument,
		                        "_check_transfer_legs() works only as an AFTER INSERT row trigger on accounts.transfer "
		                        "or accounts.posting");
	}

	SpiConnect();
	Datum values[1] = {Int64GetDatum(*transfer_id)};
	std::uint64_t rows = read_legs.Execute(values, nullptr);
	if (rows == 0) {
		// The transfer row is gone (only possible if its insert was rolled back); nothing to check.
		SpiFinish();
		return PointerGetDatum(nullptr);
	}
	core::TransferHeader header;
	header.id = *transfer_id;
	header.source_id = SpiInt64(0, 1).value_or(0);
	header.destination_id = SpiInt64(0, 2).value_or(0);
	header.amount = core::Money::Parse(SpiText(0, 3).value_or("0"));
	std::vector<core::Leg> legs;
	for (std::uint64_t row = 0; row < rows; ++row) {
		std::optional<std::int64_t> account_id = SpiInt64(row, 4);
		if (account_id) {
			legs.push_back({*account_id, core::Money::Parse(SpiText(row, 5).value_or("0"))});
		}
	}
	SpiFinish();

	std::optional<std::string> problem = core::FindLegProblem(header, legs);
	if (problem) {
		throw core::LedgerError(core::ErrorCode::UnbalancedTransfer,
		                        "transfer " + std::to_string(*transfer_id) + " is not balanced",
		                        "At commit, " + *problem + ".");
	}
	return PointerGetDatum(nullptr);
}

} // namespace

} // namespace oscar_accounts::pg

extern "C" Datum accounts_refuse_write(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::RefuseWrite(fcinfo); });
}

extern "C" Datum accounts_check_transfer_legs(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::CheckTransferLegs(fcinfo); });
}
