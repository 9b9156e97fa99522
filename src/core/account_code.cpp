#include "core/account_code.hpp"

#include <vector>

#include "core/ledger_error.hpp"

namespace oscar_accounts::core {

std::string GenerateCode(std::size_t length, std::string_view alphabet, const RandomSource &random) {
	if (length < 1 || length > kMaxCodeLength) {
		throw LedgerError(ErrorCode::InvalidCode,
		                  "code length must be between 1 and " + std::to_string(kMaxCodeLength),
		                  "The length given was " + std::to_string(length) + ".");
	}
	if (alphabet.size() < 2 || alphabet.size() > 256) {
		throw LedgerError(ErrorCode::InvalidCode, "code alphabet must have between 2 and 256 characters");
	}
	bool seen[256] = {};
	for (char c : alphabet) {
		unsigned char byte = static_cast<unsigned char>(c);
		if (seen[byte] || byte <= ' ' || byte >= 0x7F) {
			throw LedgerError(ErrorCode::InvalidCode,
			                  "code alphabet must be distinct printable ASCII characters without spaces");
		}
		seen[byte] = true;
	}
	// Rejection sampling: bytes at or above the largest multiple of the alphabet size are
	// discarded, so every character is equally likely.
	const unsigned limit = 256 - (256 % alphabet.size());
	std::string code;
	code.reserve(length);
	std::vector<std::uint8_t> buffer(length);
	while (code.size() < length) {
		// Ask only for what is still missing, so no random byte is drawn and then ignored.
		std::size_t missing = length - code.size();
		random(buffer.data(), missing);
		for (std::size_t i = 0; i < missing; ++i) {
			if (buffer[i] < limit) {
				code += alphabet[buffer[i] % alphabet.size()];
			}
		}
	}
	return code;
}

std::string NormaliseCode(std::string_view typed) {
	std::size_t begin = 0;
	std::size_t end = typed.size();
	auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
	while (begin < end && is_space(typed[begin])) {
		++begin;
	}
	while (end > begin && is_space(typed[end - 1])) {
		--end;
	}
	std::string code;
	code.reserve(end - begin);
	for (std::size_t i = begin; i < end; ++i) {
		char c = typed[i];
		if (c == '-') {
			continue;
		}
		if (c >= 'a' && c <= 'z') {
			c = static_cast<char>(c - 'a' + 'A');
		}
		code += c;
	}
	return code;
}

} // namespace oscar_accounts::core
