#include "pg/written_transfers.hpp"

#include <unordered_set>

#include "pg/postgres_headers.hpp"

extern "C" {
#include "storage/proc.h"
}

namespace oscar_accounts::pg {

namespace {

// Valid for one local transaction: a new transaction id empties it.
LocalTransactionId remembered_for = InvalidLocalTransactionId;
std::unordered_set<std::int64_t> remembered;

void ForgetOtherTransactions() {
	if (remembered_for != MyProc->lxid) {
		remembered.clear();
		remembered_for = MyProc->lxid;
	}
}

} // namespace

void RememberWrittenTransfer(std::int64_t transfer_id) {
	ForgetOtherTransactions();
	remembered.insert(transfer_id);
}

bool WasWrittenInThisTransaction(std::int64_t transfer_id) {
	ForgetOtherTransactions();
	return remembered.count(transfer_id) > 0;
}

} // namespace oscar_accounts::pg
