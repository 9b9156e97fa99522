// The ErrorCode a call throws, for tests that check which rule refused it.
#pragma once
#include <gtest/gtest.h>

#include <functional>

#include "core/ledger_error.hpp"

namespace oscar_accounts::core {

inline ErrorCode CodeOf(const std::function<void()> &fn) {
	try {
		fn();
	} catch (const LedgerError &e) {
		return e.Code();
	}
	ADD_FAILURE() << "no LedgerError thrown";
	return ErrorCode::Internal;
}

} // namespace oscar_accounts::core
