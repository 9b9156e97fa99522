// libFuzzer target for the core's parsing and arithmetic: any input must either be refused
// with a LedgerError or give an exact amount that round-trips; arithmetic never overflows.
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc test/fuzz/money_fuzz.cpp src/core/*.cpp
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/account_code.hpp"
#include "core/ledger_error.hpp"
#include "core/money.hpp"
#include "core/transfer_rules.hpp"

using oscar_accounts::core::LedgerError;
using oscar_accounts::core::Money;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
	std::string_view text(reinterpret_cast<const char *>(data), size);
	try {
		Money amount = Money::Parse(text);
		// Exact: printing and reading back gives the same number of cents.
		if (Money::Parse(amount.ToString()) != amount) {
			std::abort();
		}
		if (amount.Minor() > Money::kMaxMinor || amount.Minor() < -Money::kMaxMinor) {
			std::abort();
		}
		// Checked arithmetic: a result is either in range or refused, never wrapped.
		for (Money other : {Money::Parse("0.01"), amount, *Money::FromMinor(Money::kMaxMinor)}) {
			if (auto sum = amount.Plus(other); sum && (sum->Minor() > Money::kMaxMinor || sum->Minor() < -Money::kMaxMinor)) {
				std::abort();
			}
			if (auto difference = amount.Minus(other);
			    difference && (difference->Minor() > Money::kMaxMinor || difference->Minor() < -Money::kMaxMinor)) {
				std::abort();
			}
		}
		oscar_accounts::core::CheckTransferArguments(1, 2, text);
	} catch (const LedgerError &) {
		// A refusal is a valid outcome for bad input.
	}
	// Normalising a typed code never grows it and never keeps a dash.
	std::string code = oscar_accounts::core::NormaliseCode(text);
	if (code.size() > text.size() || code.find('-') != std::string::npos) {
		std::abort();
	}
	return 0;
}
