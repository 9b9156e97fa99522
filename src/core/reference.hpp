// Transfer references: 32 upper-case hexadecimal characters, the shape the reference
// package's HMAC-MD5 references have, but drawn from 128 random bits so they cannot be
// guessed from the transfer id.
#pragma once
#include <array>
#include <cstdint>
#include <string>

namespace oscar_accounts::core {

constexpr std::size_t kReferenceBytes = 16;

// Renders random bytes as a reference.
std::string FormatReference(const std::array<std::uint8_t, kReferenceBytes> &random_bytes);

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
