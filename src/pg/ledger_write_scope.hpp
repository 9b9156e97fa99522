// Marks the statements through which the extension itself changes balances and refund
// totals. Guard triggers refuse those writes from anybody else; the mark lives in backend
// memory, so no SQL (not even SET) can forge it.
#pragma once

namespace oscar_accounts::pg {

class LedgerWriteScope {
public:
	LedgerWriteScope();
	~LedgerWriteScope();
	LedgerWriteScope(const LedgerWriteScope &) = delete;
	LedgerWriteScope &operator=(const LedgerWriteScope &) = delete;

	// True while a scope is open in this backend.
	static bool Active();
};

} // namespace oscar_accounts::pg
