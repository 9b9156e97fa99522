#include "core/allocation_rules.hpp"

#include <algorithm>
#include <string>

#include "core/ledger_error.hpp"

namespace oscar_accounts::core {

namespace {

Money Min(Money a, Money b) {
	return a < b ? a : b;
}

void RequireNotNegative(const char *name, Money value) {
	if (value < Money()) {
		throw LedgerError(ErrorCode::InvalidAmount, std::string(name) + " must not be negative",
		                  "The value given was " + value.ToString() + ".");
	}
}

} // namespace

Money PermittedAllocation(const AllocationInput &input) {
	RequireNotNegative("order_total", input.order_total);
	RequireNotNegative("shipping_total", input.shipping_total);
	RequireNotNegative("range_total", input.range_total);
	RequireNotNegative("other_allocated", input.other_allocated);
	if (input.order_total < input.shipping_total) {
		throw LedgerError(ErrorCode::InvalidAmount, "shipping_total must not exceed order_total");
	}
	Money products_total = *input.order_total.Minus(input.shipping_total);

	// What this account may pay for at all.
	Money eligible;
	if (input.has_product_range) {
		Money range_total = Min(input.range_total, products_total);
		eligible = input.can_be_used_for_non_products ? *range_total.Plus(input.shipping_total) : range_total;
	} else {
		eligible = input.can_be_used_for_non_products ? input.order_total : products_total;
	}
	// What the order still needs once the other accounts have paid their part (fixes #41).
	Money still_needed = input.other_allocated < input.order_total ? *input.order_total.Minus(input.other_allocated)
	                                                               : Money();
	Money cap = Min(eligible, still_needed);
	// What the account can actually pay: its balance plus its credit limit.
	if (input.credit_limit) {
		std::optional<Money> available = input.balance.Plus(*input.credit_limit);
		if (available) {
			cap = Min(cap, *available < Money() ? Money() : *available);
		}
	}
	return cap;
}

} // namespace oscar_accounts::core
