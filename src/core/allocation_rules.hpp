// How much of an order one account may pay (the reference's permitted_allocation), without
// its bug #41: each account is capped by what the order still needs, not by what other
// accounts already cover.
#pragma once
#include <optional>

#include "core/money.hpp"

namespace oscar_accounts::core {

struct AllocationInput {
	Money balance;
	std::optional<Money> credit_limit; // nullopt: unlimited
	bool can_be_used_for_non_products = true;
	bool has_product_range = false;
	Money order_total;     // incl. shipping
	Money shipping_total;  // part of order_total
	Money range_total;     // lines of the order in the account's product range (used with a range)
	Money other_allocated; // already covered by other accounts of this order
};

// Never negative. Throws LedgerError(InvalidAmount) for negative totals or shipping above
// the order total.
Money PermittedAllocation(const AllocationInput &input);

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
