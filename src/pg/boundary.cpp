#include "pg/boundary.hpp"

namespace oscar_accounts::pg {

void ReportLedgerError(int sqlstate, const char *message, const char *detail) {
	if (detail != nullptr && detail[0] != '\0') {
		ereport(ERROR, (errcode(sqlstate), errmsg("%s", message), errdetail("%s", detail)));
	}
	ereport(ERROR, (errcode(sqlstate), errmsg("%s", message)));
	pg_unreachable();
}

} // namespace oscar_accounts::pg
