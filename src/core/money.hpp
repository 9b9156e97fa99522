// An exact amount of money: a signed integer count of minor units (hundredths), never a double.
// The range matches the SQL type numeric(18,2): |value| <= 9,999,999,999,999,999.99.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oscar_accounts::core {

class Money {
public:
	static constexpr std::int64_t kMaxMinor = 999'999'999'999'999'999; // 10^18 - 1 minor units
	static constexpr int kScale = 2;

	constexpr Money() = default;

	// Builds an amount from minor units; nullopt when outside the range of numeric(18,2).
	static std::optional<Money> FromMinor(std::int64_t minor);

	// Parses PostgreSQL numeric text ("12.50", "-3", "NaN", "Infinity"); throws
	// LedgerError(InvalidAmount) for anything that is not an exact, in-range amount of cents.
	static Money Parse(std::string_view text);

	constexpr std::int64_t Minor() const {
		return minor_;
	}

	// Renders with exactly two decimals ("-0.05"), the text numeric_in accepts.
	std::string ToString() const;

	// Sum and difference, nullopt when the result leaves the range (never wraps).
	std::optional<Money> Plus(Money other) const;
	std::optional<Money> Minus(Money other) const;

	constexpr bool IsPositive() const {
		return minor_ > 0;
	}

	friend constexpr bool operator==(Money a, Money b) {
		return a.minor_ == b.minor_;
	}
	friend constexpr bool operator!=(Money a, Money b) {
		return a.minor_ != b.minor_;
	}
	friend constexpr bool operator<(Money a, Money b) {
		return a.minor_ < b.minor_;
	}
	friend constexpr bool operator<=(Money a, Money b) {
		return a.minor_ <= b.minor_;
	}
	friend constexpr bool operator>(Money a, Money b) {
		return a.minor_ > b.minor_;
	}

private:
	constexpr explicit Money(std::int64_t minor) : minor_(minor) {
	}

	std::int64_t minor_ = 0;
};

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
