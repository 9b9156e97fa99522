// Module entry: the magic block and the extension's setting.
//
// Wording used across the code:
//   account   - a balance holder (a gift card, Bank, Redemptions, ...)
//   transfer  - one movement of a positive amount from a source to a destination account
//   posting   - one leg of a transfer: -amount on the source, +amount on the destination
//   refund    - a transfer back of part of an earlier transfer (parent_id set)
//   reversal  - a transfer back of everything that remains of an earlier transfer
#include <cctype>

#include "pg/postgres_headers.hpp"

extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
}

namespace oscar_accounts::pg {

namespace {

char *default_currency = nullptr;

// Accepts three upper-case letters, the shape of an ISO 4217 code.
bool CheckCurrency(char **new_value, void **extra, GucSource source) {
	const char *value = *new_value;
	if (value == nullptr) {
		return false;
	}
	for (int i = 0; i < 3; ++i) {
		if (value[i] < 'A' || value[i] > 'Z') {
			GUC_check_errdetail("A currency is three upper-case letters, as in ISO 4217 (GBP, EUR, USD).");
			return false;
		}
	}
	if (value[3] != '\0') {
		GUC_check_errdetail("A currency is three upper-case letters, as in ISO 4217 (GBP, EUR, USD).");
		return false;
	}
	return true;
}

} // namespace

const char *DefaultCurrencySetting() {
	return default_currency != nullptr ? default_currency : "GBP";
}

} // namespace oscar_accounts::pg

void _PG_init(void) {
	DefineCustomStringVariable("oscar_accounts.default_currency",
	                           "Currency given to new accounts that do not name one.",
	                           "An ISO 4217 code such as GBP, EUR or USD.", &oscar_accounts::pg::default_currency, "GBP",
	                           PGC_USERSET, 0, oscar_accounts::pg::CheckCurrency, nullptr, nullptr);
	MarkGUCPrefixReserved("oscar_accounts");
}
