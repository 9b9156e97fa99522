#include "pg/ledger_write_scope.hpp"

namespace oscar_accounts::pg {

namespace {
int open_scopes = 0;
} // namespace

LedgerWriteScope::LedgerWriteScope() {
	++open_scopes;
}

LedgerWriteScope::~LedgerWriteScope() {
	--open_scopes;
}

bool LedgerWriteScope::Active() {
	return open_scopes > 0;
}

} // namespace oscar_accounts::pg
