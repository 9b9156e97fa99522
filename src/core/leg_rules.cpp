#include "core/leg_rules.hpp"

namespace oscar_accounts::core {

std::optional<std::string> FindLegProblem(const TransferHeader &transfer, const std::vector<Leg> &legs) {
	if (legs.size() != 2) {
		return "it has " + std::to_string(legs.size()) + " postings instead of 2";
	}
	std::optional<Money> debit = Money().Minus(transfer.amount);
	bool source_ok = false;
	bool destination_ok = false;
	for (const Leg &leg : legs) {
		if (leg.account_id == transfer.source_id && debit && leg.amount == *debit) {
			source_ok = true;
		} else if (leg.account_id == transfer.destination_id && leg.amount == transfer.amount) {
			destination_ok = true;
		}
	}
	if (!source_ok) {
		return "no posting of -" + transfer.amount.ToString() + " on its source account #" +
		       std::to_string(transfer.source_id);
	}
	if (!destination_ok) {
		return "no posting of " + transfer.amount.ToString() + " on its destination account #" +
		       std::to_string(transfer.destination_id);
	}
	return std::nullopt;
}

} // namespace oscar_accounts::core
