// Races against a real PostgreSQL (libpqxx): double spends, opposite transfers, double
// reversals and refund caps. Each blocking test holds one transaction open, starts a second
// one in another connection, waits until the server reports it waiting on a lock, then
// commits the first. A check-then-update implementation (checks before the row lock) lets
// the second one through; a correct one refuses it, at every isolation level.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

namespace {

using Clock = std::chrono::steady_clock;

const char *const kIsolationLevels[] = {"READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"};

// What a statement ended with: "ok" or its SQLSTATE.
std::string Outcome(pqxx::nontransaction &tx, const std::string &sql) {
	try {
		tx.exec(sql);
		return "ok";
	} catch (const pqxx::sql_error &e) {
		return e.sqlstate();
	} catch (const pqxx::serialization_failure &) {
		// libpqxx 6 reports class 40 errors outside sql_error, without their SQLSTATE.
		return "40001";
	} catch (const pqxx::deadlock_detected &) {
		return "40P01";
	}
}

class LedgerRaces : public ::testing::Test {
protected:
	// Connecting here, not in SetUpTestSuite(): a failure there would only skip the tests.
	void SetUp() override {
		pqxx::nontransaction tx(admin_);
		tx.exec("SELECT accounts.accounts_init()");
		bank_ = tx.exec1("SELECT account_id FROM accounts.system_account WHERE role = 'bank'")[0].as<long>();
		redemptions_ =
		    tx.exec1("SELECT account_id FROM accounts.system_account WHERE role = 'redemptions'")[0].as<long>();
	}

	// A new card loaded with `amount` from Bank.
	long NewCard(const std::string &amount) {
		pqxx::nontransaction tx(admin_);
		long id = tx.exec1("INSERT INTO accounts.account (description) VALUES ('integration test card') RETURNING id")[0]
		              .as<long>();
		if (amount != "0") {
			tx.exec("SELECT accounts.accounts_transfer(" + std::to_string(bank_) + ", " + std::to_string(id) + ", " +
			        amount + ")");
		}
		return id;
	}

	// Spends `amount` from `card` to Redemptions; returns the transfer id.
	long Redeem(long card, const std::string &amount) {
		pqxx::nontransaction tx(admin_);
		return tx.exec1("SELECT id FROM accounts.accounts_transfer(" + std::to_string(card) + ", " +
		                std::to_string(redemptions_) + ", " + amount + ")")[0]
		    .as<long>();
	}

	std::string Balance(long account) {
		pqxx::nontransaction tx(admin_);
		return tx.exec1("SELECT balance FROM accounts.account WHERE id = " + std::to_string(account))[0].as<std::string>();
	}

	long Count(const std::string &sql) {
		pqxx::nontransaction tx(admin_);
		return tx.exec1(sql)[0].as<long>();
	}

	// Blocks until backend `pid` waits on a lock (fails the test after 10 seconds).
	void WaitUntilBlocked(int pid) {
		pqxx::connection observer;
		auto deadline = Clock::now() + std::chrono::seconds(10);
		while (Clock::now() < deadline) {
			pqxx::nontransaction tx(observer);
			long waiting = tx.exec1("SELECT count(*) FROM pg_stat_activity WHERE pid = " + std::to_string(pid) +
			                        " AND wait_event_type = 'Lock'")[0]
			                   .as<long>();
			if (waiting == 1) {
				return;
			}
			std::this_thread::sleep_for(std::chrono::milliseconds(20));
		}
		FAIL() << "backend " << pid << " never waited on a lock";
	}

	// Runs `first` in an open transaction, then `second` in another connection until it
	// blocks, commits the first, and returns the second's outcome (committed when "ok").
	std::string RaceAfterFirstCommits(const std::string &isolation, const std::string &first,
	                                  const std::string &second) {
		pqxx::connection first_conn;
		pqxx::connection second_conn;
		pqxx::nontransaction tx1(first_conn);
		pqxx::nontransaction tx2(second_conn);
		tx1.exec("BEGIN ISOLATION LEVEL " + isolation);
		EXPECT_EQ(Outcome(tx1, first), "ok");
		tx2.exec("BEGIN ISOLATION LEVEL " + isolation);
		// Take the second transaction's snapshot now, before the first commits.
		tx2.exec("SELECT 1");
		std::future<std::string> blocked = std::async(std::launch::async, [&] { return Outcome(tx2, second); });
		WaitUntilBlocked(second_conn.backendpid());
		tx1.exec("COMMIT");
		std::string outcome = blocked.get();
		if (outcome == "ok") {
			tx2.exec("COMMIT");
		} else {
			tx2.exec("ROLLBACK");
		}
		return outcome;
	}

	std::string Transfer(long source, long destination, const std::string &amount, const std::string &extra = "") {
		return "SELECT accounts.accounts_transfer(" + std::to_string(source) + ", " + std::to_string(destination) +
		       ", " + amount + extra + ")";
	}

	void ExpectLedgerHealthy() {
		EXPECT_EQ(Count("SELECT count(*) FROM accounts.accounts_verify()"), 0);
	}

	pqxx::connection admin_;
	long bank_ = 0;
	long redemptions_ = 0;
};

TEST_F(LedgerRaces, DoubleSpendExactlyOneSucceedsAtEveryIsolationLevel) {
	for (const char *isolation : kIsolationLevels) {
		SCOPED_TRACE(isolation);
		long card = NewCard("100.00");
		std::string second = RaceAfterFirstCommits(isolation, Transfer(card, redemptions_, "60.00"),
		                                           Transfer(card, redemptions_, "60.00"));
		// READ COMMITTED re-reads under the lock: insufficient funds. The stricter levels may
		// instead report a serialization failure. A success would be a double spend.
		if (std::string(isolation) == "READ COMMITTED") {
			EXPECT_EQ(second, "23L01");
		} else {
			EXPECT_TRUE(second == "23L01" || second == "40001") << second;
		}
		EXPECT_EQ(Balance(card), "40.00");
		EXPECT_EQ(Count("SELECT count(*) FROM accounts.transfer WHERE source_id = " + std::to_string(card)), 1);
	}
	ExpectLedgerHealthy();
}

TEST_F(LedgerRaces, ConcurrentReversalsProduceExactlyOne) {
	for (const char *isolation : kIsolationLevels) {
		SCOPED_TRACE(isolation);
		long card = NewCard("50.00");
		long redemption = Redeem(card, "30.00");
		std::string reverse = "SELECT accounts.accounts_reverse(" + std::to_string(redemption) + ")";
		std::string second = RaceAfterFirstCommits(isolation, reverse, reverse);
		if (std::string(isolation) == "READ COMMITTED") {
			EXPECT_EQ(second, "55L05");
		} else {
			EXPECT_TRUE(second == "55L05" || second == "40001") << second;
		}
		EXPECT_EQ(Count("SELECT count(*) FROM accounts.transfer WHERE parent_id = " + std::to_string(redemption)), 1);
		EXPECT_EQ(Balance(card), "50.00");
	}
	ExpectLedgerHealthy();
}

TEST_F(LedgerRaces, ConcurrentRefundsNeverExceedTheCap) {
	for (const char *isolation : kIsolationLevels) {
		SCOPED_TRACE(isolation);
		long card = NewCard("100.00");
		long redemption = Redeem(card, "100.00");
		std::string refund = Transfer(redemptions_, card, "70.00", ", parent => " + std::to_string(redemption));
		std::string second = RaceAfterFirstCommits(isolation, refund, refund);
		if (std::string(isolation) == "READ COMMITTED") {
			EXPECT_EQ(second, "22L05");
		} else {
			EXPECT_TRUE(second == "22L05" || second == "40001") << second;
		}
		EXPECT_EQ(Balance(card), "70.00");
	}
	ExpectLedgerHealthy();
}

TEST_F(LedgerRaces, ReversalWaitsForARefundAndReversesOnlyWhatRemains) {
	long card = NewCard("100.00");
	long redemption = Redeem(card, "100.00");
	std::string refund = Transfer(redemptions_, card, "30.00", ", parent => " + std::to_string(redemption));
	std::string reverse = "SELECT accounts.accounts_reverse(" + std::to_string(redemption) + ")";
	EXPECT_EQ(RaceAfterFirstCommits("READ COMMITTED", refund, reverse), "ok");
	EXPECT_EQ(Balance(card), "100.00");
	EXPECT_EQ(Count("SELECT count(*) FROM accounts.transfer WHERE parent_id = " + std::to_string(redemption) +
	                " AND kind = 'reversal' AND amount = 70.00"),
	          1);
	ExpectLedgerHealthy();
}

TEST_F(LedgerRaces, FreezeWaitsForATransferAndATransferWaitsForAFreeze) {
	for (const char *isolation : kIsolationLevels) {
		SCOPED_TRACE(isolation);
		// A freeze committed first: the waiting transfer sees the frozen account.
		long card = NewCard("100.00");
		std::string freeze = "SELECT accounts.accounts_freeze(" + std::to_string(card) + ")";
		std::string second = RaceAfterFirstCommits(isolation, freeze, Transfer(card, redemptions_, "10.00"));
		if (std::string(isolation) == "READ COMMITTED") {
			EXPECT_EQ(second, "55L01");
		} else {
			EXPECT_TRUE(second == "55L01" || second == "40001") << second;
		}
		EXPECT_EQ(Balance(card), "100.00");
		// A transfer committed first: the waiting freeze applies after it, and stays.
		long other = NewCard("100.00");
		std::string freeze_other = "SELECT accounts.accounts_freeze(" + std::to_string(other) + ")";
		second = RaceAfterFirstCommits(isolation, Transfer(other, redemptions_, "10.00"), freeze_other);
		if (std::string(isolation) == "READ COMMITTED") {
			EXPECT_EQ(second, "ok");
		} else {
			EXPECT_TRUE(second == "ok" || second == "40001") << second;
		}
		EXPECT_EQ(Balance(other), "90.00");
		pqxx::nontransaction tx(admin_);
		std::string status =
		    tx.exec1("SELECT status FROM accounts.account WHERE id = " + std::to_string(other))[0].as<std::string>();
		EXPECT_EQ(status, second == "ok" ? "Frozen" : "Open");
	}
	ExpectLedgerHealthy();
}

TEST_F(LedgerRaces, TwoIdenticalIdempotentRequestsMakeOneTransfer) {
	int round = 0;
	for (const char *isolation : kIsolationLevels) {
		SCOPED_TRACE(isolation);
		long card = NewCard("100.00");
		std::string key = "'race-key-" + std::to_string(card) + "-" + std::to_string(round++) + "'";
		std::string pay = Transfer(card, redemptions_, "60.00", ", idempotency_key => " + key);
		std::string second = RaceAfterFirstCommits(isolation, pay, pay);
		// READ COMMITTED answers the retry from the key; the stricter levels may instead ask
		// the client to retry, which then also gets the first transfer.
		if (std::string(isolation) == "READ COMMITTED") {
			EXPECT_EQ(second, "ok");
		} else {
			EXPECT_TRUE(second == "ok" || second == "40001") << second;
		}
		// A later retry with the same key is answered with the one transfer.
		long retried = Count(pay.replace(0, 6, "SELECT (") + ").id");
		EXPECT_EQ(retried, Count("SELECT max(id) FROM accounts.transfer WHERE source_id = " + std::to_string(card)));
		EXPECT_EQ(Count("SELECT count(*) FROM accounts.transfer WHERE source_id = " + std::to_string(card)), 1);
		EXPECT_EQ(Balance(card), "40.00");
	}
	ExpectLedgerHealthy();
}

TEST_F(LedgerRaces, OppositeTransfersFromTwentyClientsNeverDeadlock) {
	long a = NewCard("100000.00");
	long b = NewCard("100000.00");
	constexpr int kClients = 20;
	constexpr int kTransfersEach = 40;
	std::mutex errors_mutex;
	std::map<std::string, int> errors;
	std::vector<std::thread> clients;
	for (int client = 0; client < kClients; ++client) {
		clients.emplace_back([&, client] {
			pqxx::connection conn;
			pqxx::nontransaction tx(conn);
			for (int i = 0; i < kTransfersEach; ++i) {
				bool forward = (client + i) % 2 == 0;
				std::string outcome = Outcome(tx, Transfer(forward ? a : b, forward ? b : a, "1.00"));
				if (outcome != "ok") {
					std::lock_guard<std::mutex> lock(errors_mutex);
					++errors[outcome];
				}
			}
		});
	}
	for (std::thread &client : clients) {
		client.join();
	}
	EXPECT_TRUE(errors.empty()) << "first error: " << (errors.empty() ? "" : errors.begin()->first);
	// Each client sends as many forward as backward transfers.
	EXPECT_EQ(Balance(a), "100000.00");
	EXPECT_EQ(Balance(b), "100000.00");
	ExpectLedgerHealthy();
}

TEST_F(LedgerRaces, RandomTransfersNeverOverdrawAnAccount) {
	constexpr int kAccounts = 8;
	std::vector<long> cards;
	for (int i = 0; i < kAccounts; ++i) {
		cards.push_back(NewCard("20.00"));
	}
	constexpr int kClients = 10;
	constexpr int kTransfersEach = 60;
	std::mutex outcomes_mutex;
	std::map<std::string, int> outcomes;
	std::vector<std::thread> clients;
	for (int client = 0; client < kClients; ++client) {
		clients.emplace_back([&, client] {
			std::mt19937 random(static_cast<unsigned>(client) * 7919U + 1U);
			pqxx::connection conn;
			pqxx::nontransaction tx(conn);
			for (int i = 0; i < kTransfersEach; ++i) {
				int from = static_cast<int>(random() % kAccounts);
				int to = static_cast<int>((from + 1 + random() % (kAccounts - 1)) % kAccounts);
				std::string amount = std::to_string(1 + random() % 15) + ".00";
				std::string outcome = Outcome(tx, Transfer(cards[from], cards[to], amount));
				std::lock_guard<std::mutex> lock(outcomes_mutex);
				++outcomes[outcome];
			}
		});
	}
	for (std::thread &client : clients) {
		client.join();
	}
	for (const auto &[outcome, count] : outcomes) {
		EXPECT_TRUE(outcome == "ok" || outcome == "23L01") << outcome << " x" << count;
	}
	EXPECT_GT(outcomes["ok"], 0);
	std::string ids;
	for (long card : cards) {
		ids += (ids.empty() ? "" : ",") + std::to_string(card);
	}
	EXPECT_EQ(Count("SELECT count(*) FROM accounts.account WHERE id IN (" + ids + ") AND balance < 0"), 0);
	EXPECT_EQ(Count("SELECT (sum(balance) * 100)::bigint FROM accounts.account WHERE id IN (" + ids + ")"),
	          kAccounts * 2000);
	ExpectLedgerHealthy();
}

} // namespace
