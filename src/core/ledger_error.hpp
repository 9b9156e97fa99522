// The single exception type of the core: a code (mapped to an SQLSTATE at the boundary),
// a primary message in PostgreSQL style (lower case, no period) and an optional detail sentence.
#pragma once
#include <stdexcept>
#include <string>

#include "core/error_code.hpp"

namespace oscar_accounts::core {

class LedgerError : public std::runtime_error {
public:
	LedgerError(ErrorCode code, const std::string &message, std::string detail = {});

	ErrorCode Code() const noexcept {
		return code_;
	}
	const std::string &Detail() const noexcept {
		return detail_;
	}

private:
	ErrorCode code_;
	std::string detail_;
};

} // namespace oscar_accounts::core

#include "core/no_postgres.hpp" // Must be last include.
