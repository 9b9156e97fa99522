// Gift-card codes: uniform alphabet, requested length, checkout-style normalisation.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "core/account_code.hpp"
#include "core/ledger_error.hpp"

namespace oscar_accounts::core {
namespace {

RandomSource Seeded(unsigned seed) {
	auto engine = std::make_shared<std::mt19937>(seed);
	return [engine](std::uint8_t *buffer, std::size_t length) {
		for (std::size_t i = 0; i < length; ++i) {
			buffer[i] = static_cast<std::uint8_t>((*engine)() & 0xFF);
		}
	};
}

TEST(GenerateCode, DefaultIsTwelveCharactersOfUpperCaseLettersAndDigits) {
	std::string code = GenerateCode(kDefaultCodeLength, kDefaultCodeAlphabet, Seeded(1));
	ASSERT_EQ(code.size(), 12U);
	for (char c : code) {
		EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) << c;
	}
}

TEST(GenerateCode, UsesOnlyTheGivenAlphabetAndLength) {
	std::string code = GenerateCode(40, "XY", Seeded(2));
	EXPECT_EQ(code.size(), 40U);
	EXPECT_EQ(code.find_first_not_of("XY"), std::string::npos);
}

TEST(GenerateCode, EveryCharacterIsExactlyEquallyLikely) {
	// Feed every byte value equally often. 36 does not divide 256: plain modulo would make
	// the first 4 characters 8/7 as frequent as the others; rejection sampling keeps 252 of
	// each 256 bytes and maps exactly 7 to each character.
	auto next = std::make_shared<unsigned>(0);
	RandomSource counting = [next](std::uint8_t *buffer, std::size_t length) {
		for (std::size_t i = 0; i < length; ++i) {
			buffer[i] = static_cast<std::uint8_t>((*next)++ & 0xFF);
		}
	};
	std::map<char, int> counts;
	// 72 codes of 64 characters accept 4608 = 36 * 252 bytes: exactly 36 whole cycles.
	for (int i = 0; i < 72; ++i) {
		for (char c : GenerateCode(64, kDefaultCodeAlphabet, counting)) {
			++counts[c];
		}
	}
	ASSERT_EQ(counts.size(), 36U);
	for (const auto &[c, n] : counts) {
		EXPECT_EQ(n, counts.begin()->second) << c;
	}
}

TEST(GenerateCode, RejectsBadLengthsAndAlphabets) {
	EXPECT_THROW(GenerateCode(0, kDefaultCodeAlphabet, Seeded(4)), LedgerError);
	EXPECT_THROW(GenerateCode(kMaxCodeLength + 1, kDefaultCodeAlphabet, Seeded(4)), LedgerError);
	EXPECT_THROW(GenerateCode(5, "A", Seeded(4)), LedgerError);
	EXPECT_THROW(GenerateCode(5, "AAB", Seeded(4)), LedgerError);
	EXPECT_THROW(GenerateCode(5, "A B", Seeded(4)), LedgerError);
	try {
		GenerateCode(0, kDefaultCodeAlphabet, Seeded(4));
	} catch (const LedgerError &e) {
		EXPECT_EQ(e.Code(), ErrorCode::InvalidCode);
	}
}

TEST(NormaliseCode, TrimsUpperCasesAndDropsDashes) {
	EXPECT_EQ(NormaliseCode(" abcd-1234 "), "ABCD1234");
	EXPECT_EQ(NormaliseCode("\tA-B-C\n"), "ABC");
	EXPECT_EQ(NormaliseCode("ABC"), "ABC");
	EXPECT_EQ(NormaliseCode("   "), "");
	EXPECT_EQ(NormaliseCode("a b"), "A B");
}

} // namespace
} // namespace oscar_accounts::core
