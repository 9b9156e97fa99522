#include "core/reference.hpp"

namespace oscar_accounts::core {

std::string FormatReference(const std::array<std::uint8_t, kReferenceBytes> &random_bytes) {
	static constexpr char kHex[] = "0123456789ABCDEF";
	std::string text;
	text.reserve(kReferenceBytes * 2);
	for (std::uint8_t byte : random_bytes) {
		text += kHex[byte >> 4];
		text += kHex[byte & 0x0F];
	}
	return text;
}

} // namespace oscar_accounts::core
