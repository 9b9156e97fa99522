// What the transfer rules need to know about one account, read under its row lock.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/account_status.hpp"
#include "core/money.hpp"

namespace oscar_accounts::core {

// Instants are PostgreSQL timestamptz values: microseconds since 2000-01-01 UTC.
using Instant = std::int64_t;

struct AccountSnapshot {
	std::int64_t id = 0;
	AccountStatus status = AccountStatus::Open;
	std::optional<Money> credit_limit; // nullopt: unlimited
	Money balance;
	std::optional<Instant> start_date; // inclusive
	std::optional<Instant> end_date;   // exclusive
	std::string currency;
	std::optional<std::int64_t> primary_user_id;
	bool has_secondary_users = false;
	bool user_is_secondary = false; // the requesting user is one of the secondary users
};

// True when `now` lies in [start_date, end_date); an absent bound does not restrict.
bool IsWithinValidityWindow(const AccountSnapshot &account, Instant now);

// The reference's can_be_authorised_by(): no user, else the primary user, else the
// secondary users, else anyone.
bool CanBeAuthorisedBy(const AccountSnapshot &account, std::optional<std::int64_t> user_id);

// Refuses an end_date before the start_date and infinite dates (LedgerError InvalidValidityWindow).
void CheckValidityWindow(std::optional<Instant> start_date, std::optional<Instant> end_date);

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
