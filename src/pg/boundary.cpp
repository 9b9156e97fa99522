#include "pg/boundary.hpp"

namespace oscar_accounts::pg {

void ClipToWholeCharacters(char *text) {
	int length = static_cast<int>(std::strlen(text));
	text[pg_mbcliplen(text, length, length)] = '\0';
}

void ReportLedgerError(int sqlstate, const char *message, const char *detail) {
	if (detail != nullptr && detail[0] != '\0') {
		ereport(ERROR, (errcode(sqlstate), errmsg("%s", message), errdetail("%s", detail)));
	}
	ereport(ERROR, (errcode(sqlstate), errmsg("%s", message)));
	pg_unreachable();
}

} // namespace oscar_accounts::pg
