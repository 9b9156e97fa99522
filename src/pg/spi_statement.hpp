// A parameterised SQL statement, prepared on first use and kept for the life of the backend
// (SPI_keepplan), so each call skips parsing and planning. PostgreSQL re-plans it by itself
// when the tables it names are dropped and re-created.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "pg/boundary.hpp"

namespace oscar_accounts::pg {

class SpiStatement {
public:
	static constexpr int kMaxArgs = 16;

	SpiStatement(const char *sql, std::initializer_list<Oid> arg_types);

	// Runs the statement inside the current SPI connection; returns the rows processed.
	// A PostgreSQL error comes back as PgError.
	std::uint64_t Execute(const Datum *values, const char *nulls);

	// Runs the statement with a snapshot taken now rather than the transaction's: under
	// REPEATABLE READ it sees rows committed since the transaction began (as foreign-key
	// checks do). For read-only statements.
	std::uint64_t ExecuteWithLatestSnapshot(const Datum *values, const char *nulls);

private:
	void Prepare();
	std::uint64_t Run(const Datum *values, const char *nulls, bool latest_snapshot);

	const char *sql_;
	Oid arg_types_[kMaxArgs] = {};
	int arg_count_ = 0;
	SPIPlanPtr plan_ = nullptr;
};

// Connects to SPI; a failure comes back as PgError.
void SpiConnect();

// Disconnects from SPI after a successful call (on errors, transaction abort cleans up).
void SpiFinish();

// Typed reads from row `row` of the last SPI result (column numbers start at 1).
std::optional<std::int64_t> SpiInt64(std::uint64_t row, int column);
std::optional<std::string> SpiText(std::uint64_t row, int column);
std::optional<TimestampTz> SpiTimestamp(std::uint64_t row, int column);
bool SpiBool(std::uint64_t row, int column);

// A bigint / text / numeric Datum for a statement argument, built in the current context.
Datum TextArg(const std::string &text);
Datum NumericArg(const std::string &numeric_text);

// A statement argument that may be NULL: sets `*null_flag` to 'n' when absent.
Datum OptionalTextArg(const std::optional<std::string> &text, char *null_flag);
Datum OptionalInt64Arg(const std::optional<std::int64_t> &value, char *null_flag);

} // namespace oscar_accounts::pg
