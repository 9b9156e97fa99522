#include "core/money.hpp"

#include <cstdlib>

#include "core/ledger_error.hpp"

namespace oscar_accounts::core {

namespace {

// Why an amount text was refused, to word the error.
[[noreturn]] void RefuseAmount(const std::string &message, std::string_view text) {
	throw LedgerError(ErrorCode::InvalidAmount, message, "The amount given was " + std::string(text) + ".");
}

bool IsDigit(char c) {
	return c >= '0' && c <= '9';
}

} // namespace

std::optional<Money> Money::FromMinor(std::int64_t minor) {
	if (minor > kMaxMinor || minor < -kMaxMinor) {
		return std::nullopt;
	}
	return Money(minor);
}

Money Money::Parse(std::string_view text) {
	if (text == "NaN" || text == "Infinity" || text == "-Infinity") {
		RefuseAmount("amount must be a finite number", text);
	}
	std::size_t pos = 0;
	bool negative = false;
	if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
		negative = text[pos] == '-';
		++pos;
	}
	// Integer part: accumulate while it can still fit; remember overflow to report range.
	bool any_digit = false;
	bool too_large = false;
	std::int64_t minor = 0;
	while (pos < text.size() && IsDigit(text[pos])) {
		any_digit = true;
		if (!too_large) {
			minor = minor * 10 + (text[pos] - '0');
			if (minor > kMaxMinor / 100) {
				too_large = true;
			}
		}
		++pos;
	}
	if (!too_large) {
		minor *= 100;
	}
	if (pos < text.size() && text[pos] == '.') {
		++pos;
		int decimals = 0;
		while (pos < text.size() && IsDigit(text[pos])) {
			any_digit = true;
			int digit = text[pos] - '0';
			if (decimals < kScale) {
				minor += digit * (decimals == 0 ? 10 : 1);
			} else if (digit != 0) {
				RefuseAmount("amount must not have more than two decimal places", text);
			}
			++decimals;
			++pos;
		}
	}
	if (!any_digit || pos != text.size()) {
		RefuseAmount("amount is not a valid number", text);
	}
	if (too_large || minor > kMaxMinor) {
		RefuseAmount("amount is out of range", text);
	}
	return Money(negative ? -minor : minor);
}

std::string Money::ToString() const {
	// kMaxMinor < INT64_MAX, so negating is always defined.
	std::int64_t magnitude = minor_ < 0 ? -minor_ : minor_;
	std::string units = std::to_string(magnitude / 100);
	std::int64_t cents = magnitude % 100;
	std::string result = minor_ < 0 ? "-" : "";
	result += units;
	result += '.';
	result += static_cast<char>('0' + cents / 10);
	result += static_cast<char>('0' + cents % 10);
	return result;
}

std::optional<Money> Money::Plus(Money other) const {
	// Both operands are within +-kMaxMinor, so the int64 sum cannot overflow.
	return FromMinor(minor_ + other.minor_);
}

std::optional<Money> Money::Minus(Money other) const {
	return FromMinor(minor_ - other.minor_);
}

} // namespace oscar_accounts::core
