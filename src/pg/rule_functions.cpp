// Core rules exposed to the extension's SQL-language functions, so that rules live only in
// the C++ core while PL/pgSQL does the locking and the writes.
#include <optional>
#include <string>

#include "core/account_code.hpp"
#include "core/account_snapshot.hpp"
#include "core/allocation_rules.hpp"
#include "core/ledger_error.hpp"
#include "core/lookup_throttle.hpp"
#include "core/status_change.hpp"
#include "pg/boundary.hpp"
#include "pg/function_args.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(accounts_generate_code);
PG_FUNCTION_INFO_V1(accounts_normalise_code);
PG_FUNCTION_INFO_V1(accounts_plan_status_change);
PG_FUNCTION_INFO_V1(accounts_permitted_allocation_rule);
PG_FUNCTION_INFO_V1(accounts_lookup_block_state);
PG_FUNCTION_INFO_V1(accounts_check_validity_window);
}

namespace oscar_accounts::pg {

// Defined in module.cpp: the look-up throttle settings.
core::ThrottleSettings ThrottleSettingsNow();

namespace {

// _generate_code(length, alphabet): random bytes from pg_strong_random.
Datum GenerateCode(FunctionCallInfo fcinfo) {
	std::int32_t length = Int32Arg(fcinfo, 0).value_or(static_cast<std::int32_t>(core::kDefaultCodeLength));
	std::string alphabet = TextArgument(fcinfo, 1).value_or(std::string(core::kDefaultCodeAlphabet));
	if (length < 1) {
		throw core::LedgerError(core::ErrorCode::InvalidCode, "code length must be between 1 and 128");
	}
	core::RandomSource strong = [](std::uint8_t *buffer, std::size_t size) {
		if (!pg_strong_random(buffer, size)) {
			throw core::LedgerError(core::ErrorCode::Internal, "could not generate random bytes");
		}
	};
	return TextResult(core::GenerateCode(static_cast<std::size_t>(length), alphabet, strong));
}

// _normalise_code(typed): trim, upper-case, drop '-'.
Datum NormaliseCode(FunctionCallInfo fcinfo) {
	return TextResult(core::NormaliseCode(TextArgument(fcinfo, 0).value_or("")));
}

// _plan_status_change(account_id, current_status, action, balance): the new status.
Datum PlanStatusChange(FunctionCallInfo fcinfo) {
	std::int64_t account_id = Int64Arg(fcinfo, 0).value_or(0);
	std::string current = TextArgument(fcinfo, 1).value_or("");
	std::string action = TextArgument(fcinfo, 2).value_or("");
	core::Money balance = RequiredMoneyArg(fcinfo, 3, "balance");
	std::optional<core::AccountStatus> status = core::ParseAccountStatus(current);
	std::optional<core::StatusAction> parsed_action = core::ParseStatusAction(action);
	if (!status || !parsed_action) {
		throw core::LedgerError(core::ErrorCode::Internal, "unknown status \"" + current + "\" or action \"" + action + "\"");
	}
	core::AccountStatus next = core::PlanStatusChange(account_id, *status, *parsed_action, balance);
	return TextResult(std::string(core::AccountStatusName(next)));
}

// _permitted_allocation(balance, credit_limit, non_products, has_range, order_total,
//                       shipping_total, range_total, other_allocated)
Datum PermittedAllocation(FunctionCallInfo fcinfo) {
	core::AllocationInput input;
	input.balance = RequiredMoneyArg(fcinfo, 0, "balance");
	std::optional<std::string> credit_limit = NumericTextArg(fcinfo, 1);
	if (credit_limit) {
		input.credit_limit = core::Money::Parse(*credit_limit);
	}
	input.can_be_used_for_non_products = BoolArg(fcinfo, 2).value_or(true);
	input.has_product_range = BoolArg(fcinfo, 3).value_or(false);
	input.order_total = RequiredMoneyArg(fcinfo, 4, "order_total");
	input.shipping_total = RequiredMoneyArg(fcinfo, 5, "shipping_total");
	std::optional<std::string> range_total = NumericTextArg(fcinfo, 6);
	if (input.has_product_range && !range_total) {
		throw core::LedgerError(core::ErrorCode::NullArgument,
		                        "range_total must not be null for an account restricted to a product range",
		                        "Pass the total of the order's lines that are in the account's range.");
	}
	if (range_total) {
		input.range_total = core::Money::Parse(*range_total);
	}
	input.other_allocated = RequiredMoneyArg(fcinfo, 7, "other_allocated");
	return NumericResult(core::PermittedAllocation(input));
}

// _lookup_block_state(consecutive, total, last_failure): 'none', 'temporary' or 'permanent'.
Datum LookupBlockState(FunctionCallInfo fcinfo) {
	core::FailureRecord record;
	record.consecutive_failures = Int32Arg(fcinfo, 0).value_or(0);
	record.total_failures = Int32Arg(fcinfo, 1).value_or(0);
	record.last_failure_micros = TimestampArg(fcinfo, 2);
	switch (core::CheckBlocked(record, GetCurrentTransactionStartTimestamp(), ThrottleSettingsNow())) {
	case core::BlockState::Temporarily:
		return TextResult("temporary");
	case core::BlockState::Permanently:
		return TextResult("permanent");
	case core::BlockState::NotBlocked:
		break;
	}
	return TextResult("none");
}

// _check_validity_window(start_date, end_date): raises when the window is invalid.
Datum CheckValidityWindow(FunctionCallInfo fcinfo) {
	core::CheckValidityWindow(TimestampArg(fcinfo, 0), TimestampArg(fcinfo, 1));
	return BoolGetDatum(true);
}

} // namespace

} // namespace oscar_accounts::pg

extern "C" Datum accounts_generate_code(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::GenerateCode(fcinfo); });
}
extern "C" Datum accounts_normalise_code(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::NormaliseCode(fcinfo); });
}
extern "C" Datum accounts_plan_status_change(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::PlanStatusChange(fcinfo); });
}
extern "C" Datum accounts_permitted_allocation_rule(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::PermittedAllocation(fcinfo); });
}
extern "C" Datum accounts_lookup_block_state(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::LookupBlockState(fcinfo); });
}
extern "C" Datum accounts_check_validity_window(PG_FUNCTION_ARGS) {
	return oscar_accounts::pg::RunAtBoundary([&] { return oscar_accounts::pg::CheckValidityWindow(fcinfo); });
}
