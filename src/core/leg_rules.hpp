// The double-entry invariant for one transfer: exactly two postings, -amount on the source
// and +amount on the destination. Checked at commit by a deferred constraint trigger.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/money.hpp"

namespace oscar_accounts::core {

struct Leg {
	std::int64_t account_id = 0;
	Money amount;
};

struct TransferHeader {
	std::int64_t id = 0;
	std::int64_t source_id = 0;
	std::int64_t destination_id = 0;
	Money amount;
};

// Describes what is wrong with the legs of `transfer`, or nullopt when they balance.
std::optional<std::string> FindLegProblem(const TransferHeader &transfer, const std::vector<Leg> &legs);

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
