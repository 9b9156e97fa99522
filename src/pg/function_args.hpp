// Typed reads of SQL function arguments and typed results, for the SQL entry points.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/account_snapshot.hpp"
#include "core/money.hpp"
#include "pg/boundary.hpp"

namespace oscar_accounts::pg {

std::optional<std::int64_t> Int64Arg(FunctionCallInfo fcinfo, int index);
std::optional<std::int32_t> Int32Arg(FunctionCallInfo fcinfo, int index);
std::optional<bool> BoolArg(FunctionCallInfo fcinfo, int index);
std::optional<std::string> TextArgument(FunctionCallInfo fcinfo, int index);
std::optional<core::Instant> TimestampArg(FunctionCallInfo fcinfo, int index);

// The numeric argument as numeric_out prints it ("12.50", "NaN"), for core::Money::Parse.
std::optional<std::string> NumericTextArg(FunctionCallInfo fcinfo, int index);

// A money argument that must not be NULL; `name` words the error.
core::Money RequiredMoneyArg(FunctionCallInfo fcinfo, int index, const char *name);

// Length in characters of the database encoding (as the CHECK constraints count); nullopt for NULL.
std::optional<std::size_t> CharacterCount(const std::optional<std::string> &text);

// Results built in the function's memory context.
Datum TextResult(const std::string &text);
Datum NumericResult(const core::Money &amount);

} // namespace oscar_accounts::pg
