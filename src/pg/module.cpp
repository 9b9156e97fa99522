// Module entry: the magic block and the extension's setting.
//
// Wording used across the code:
//   account   - a balance holder (a gift card, Bank, Redemptions, ...)
//   transfer  - one movement of a positive amount from a source to a destination account
//   posting   - one leg of a transfer: -amount on the source, +amount on the destination
//   refund    - a transfer back of part of an earlier transfer (parent_id set)
//   reversal  - a transfer back of everything that remains of an earlier transfer
#include <cstdlib>
#include <cstring>

#include "core/lookup_throttle.hpp"
#include "pg/postgres_headers.hpp"

extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
}

namespace oscar_accounts::pg {

namespace {

char *default_currency = nullptr;
int lookup_freeze_threshold = 3;
int lookup_block_threshold = 10;
int lookup_cooling_off_seconds = 300;
char *report_time_zone = nullptr;

// Accepts three ASCII letters, the shape of an ISO 4217 code, and stores them upper-case (so
// a value set before the library loaded, such as 'usd', is not silently replaced by GBP).
bool CheckCurrency(char **new_value, void **extra, GucSource source) {
	const char *value = *new_value;
	if (value == nullptr) {
		return false;
	}
	char upper[4] = {0, 0, 0, 0};
	for (int i = 0; i < 3; ++i) {
		char c = value[i];
		if (c >= 'a' && c <= 'z') {
			c = static_cast<char>(c - 'a' + 'A');
		}
		if (c < 'A' || c > 'Z') {
			GUC_check_errdetail("A currency is three letters, as in ISO 4217 (GBP, EUR, USD).");
			return false;
		}
		upper[i] = c;
	}
	if (value[3] != '\0') {
		GUC_check_errdetail("A currency is three letters, as in ISO 4217 (GBP, EUR, USD).");
		return false;
	}
	char *normalised = static_cast<char *>(std::malloc(4)); // GUC string values are malloc()ed in PostgreSQL 15
	if (normalised == nullptr) {
		return false;
	}
	std::memcpy(normalised, upper, 4);
	std::free(*new_value);
	*new_value = normalised;
	return true;
}

// Accepts '' (the session's TimeZone) or a time zone PostgreSQL knows.
bool CheckReportTimeZone(char **new_value, void **extra, GucSource source) {
	if (*new_value == nullptr || (*new_value)[0] == '\0') {
		return true;
	}
	if (pg_tzset(*new_value) == nullptr) {
		GUC_check_errdetail("Time zone \"%s\" is not recognized; use a name such as Europe/London, or '' for the "
		                    "session's TimeZone.",
		                    *new_value);
		return false;
	}
	return true;
}

} // namespace

const char *ReportTimeZoneSetting() {
	return report_time_zone != nullptr ? report_time_zone : "";
}

const char *DefaultCurrencySetting() {
	return default_currency != nullptr ? default_currency : "GBP";
}

core::ThrottleSettings ThrottleSettingsNow() {
	core::ThrottleSettings settings;
	settings.freeze_threshold = lookup_freeze_threshold;
	settings.block_threshold = lookup_block_threshold;
	settings.cooling_off_seconds = lookup_cooling_off_seconds;
	return settings;
}

} // namespace oscar_accounts::pg

void _PG_init(void) {
	DefineCustomStringVariable("oscar_accounts.default_currency",
	                           "Currency given to new accounts that do not name one.",
	                           "An ISO 4217 code such as GBP, EUR or USD.", &oscar_accounts::pg::default_currency, "GBP",
	                           PGC_USERSET, 0, oscar_accounts::pg::CheckCurrency, nullptr, nullptr);
	// Superuser-only: a client must not be able to lift its own brute-force limits with SET.
	DefineCustomIntVariable("oscar_accounts.lookup_freeze_threshold",
	                        "Consecutive failed code look-ups after which a client address is blocked for a while.",
	                        nullptr, &oscar_accounts::pg::lookup_freeze_threshold, 3, 1, 1000000, PGC_SUSET, 0, nullptr,
	                        nullptr, nullptr);
	DefineCustomIntVariable("oscar_accounts.lookup_block_threshold",
	                        "Failed code look-ups in total beyond which a client address is blocked for good.", nullptr,
	                        &oscar_accounts::pg::lookup_block_threshold, 10, 1, 1000000, PGC_SUSET, 0, nullptr, nullptr,
	                        nullptr);
	DefineCustomIntVariable("oscar_accounts.lookup_cooling_off",
	                        "How long a temporarily blocked client address stays blocked after its last failure.",
	                        nullptr, &oscar_accounts::pg::lookup_cooling_off_seconds, 300, 1, 365 * 86400, PGC_SUSET,
	                        GUC_UNIT_S, nullptr, nullptr, nullptr);
	DefineCustomStringVariable("oscar_accounts.report_time_zone",
	                           "Time zone in which the reports read their dates; empty means the session's TimeZone.",
	                           nullptr, &oscar_accounts::pg::report_time_zone, "", PGC_USERSET, 0,
	                           oscar_accounts::pg::CheckReportTimeZone, nullptr, nullptr);
	MarkGUCPrefixReserved("oscar_accounts");
}
