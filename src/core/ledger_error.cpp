#include "core/ledger_error.hpp"

#include <utility>

namespace oscar_accounts::core {

LedgerError::LedgerError(ErrorCode code, const std::string &message, std::string detail)
    : std::runtime_error(message), code_(code), detail_(std::move(detail)) {
}

} // namespace oscar_accounts::core
