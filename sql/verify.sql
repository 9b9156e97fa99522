-- accounts_verify(): nothing on a healthy ledger; every kind of damage when triggers are
-- bypassed (session_replication_role = replica is what a careless restore would do).
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
INSERT INTO accounts.account (code, account_type_id) VALUES ('CARD5', 7), ('CARD6', 7);
SELECT id FROM accounts.accounts_transfer(3, 5, 100.00);
SELECT id FROM accounts.accounts_transfer(5, 1, 60.00);
SELECT id FROM accounts.accounts_transfer(1, 5, 10.00, parent => 2);
SELECT * FROM accounts.accounts_verify();

SET session_replication_role = replica;
\set VERBOSITY terse
-- A balance edited behind the ledger's back.
UPDATE accounts.account SET balance = 999 WHERE id = 6;
-- (An overdraft beyond the credit limit cannot be stored even so: a CHECK constraint refuses it.)
UPDATE accounts.account SET balance = -5 WHERE id = 2;
-- A posting deleted: the transfer has one leg and the postings no longer sum to zero.
DELETE FROM accounts.posting WHERE transfer_id = 1 AND account_id = 3;
-- A refund total that does not match the refunds.
UPDATE accounts.transfer_return SET returned = 70 WHERE transfer_id = 2;
-- A refund bigger than its parent, going the wrong way.
INSERT INTO accounts.transfer (reference, source_id, destination_id, amount, parent_id, kind)
VALUES (repeat('A', 32), 5, 1, 80, 2, 'refund');
INSERT INTO accounts.posting (transfer_id, account_id, amount) VALUES (4, 5, -80), (4, 1, 80);
-- A pending credit to an account the transfer did not pay.
INSERT INTO accounts.hot_credit VALUES (3, 1, 10.00, now());
RESET session_replication_role;
\set VERBOSITY default

SELECT * FROM accounts.accounts_verify();
