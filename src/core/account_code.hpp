// Gift-card codes: generated from a strong random source without modulo bias, and
// normalised the way a checkout form reads what a customer typed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace oscar_accounts::core {

constexpr std::string_view kDefaultCodeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::size_t kDefaultCodeLength = 12;
constexpr std::size_t kMaxCodeLength = 128;

// Fills a buffer with random bytes (the PostgreSQL layer passes pg_strong_random).
using RandomSource = std::function<void(std::uint8_t *buffer, std::size_t length)>;

// A code of `length` characters drawn uniformly from `alphabet` (2..256 distinct characters).
// Throws LedgerError(InvalidCode) for a bad length or alphabet.
std::string GenerateCode(std::size_t length, std::string_view alphabet, const RandomSource &random);

// Trims surrounding white space, upper-cases ASCII letters and drops '-': " abcd-1234 "
// becomes "ABCD1234", as the reference's checkout form does.
std::string NormaliseCode(std::string_view typed);

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
