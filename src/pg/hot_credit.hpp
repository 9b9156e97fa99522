// Hot accounts (accounts.account.hot). A transfer that only credits a hot account does not
// lock its row: it holds a FOR KEY SHARE lock (which many transfers hold at once, and which
// a status change's FOR UPDATE waits for) and records the credit in accounts.hot_credit
// instead of adding it to the balance column. The account's exact balance is the column plus
// its pending credits (the view accounts.account_balance). Whoever locks a hot account to
// debit it or change it first folds the committed pending credits into the column.
#pragma once
#include <cstdint>

#include "core/money.hpp"
#include "pg/boundary.hpp"

namespace oscar_accounts::pg {

// Moves the pending credits of `account_id` that this transaction can see into its balance
// column, oldest first and as many as keep the column in range, and returns the new balance
// (the caller holds the row lock).
core::Money FoldHotCredits(std::int64_t account_id);

// Under REPEATABLE READ or SERIALIZABLE, a credit committed after this transaction's snapshot
// is not in the folded balance: raises a serialization failure (40001) when there is one, so
// a close or credit-limit check never judges an account by a balance it cannot see.
void RequireNoUnseenCredits(std::int64_t account_id);

} // namespace oscar_accounts::pg
