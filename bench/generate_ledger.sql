-- Data generator for bench/reports.sh: a year of a busy gift-card ledger, written in bulk.
--   psql -v transfers=500000 -v cards=20000 -f bench/generate_ledger.sql
-- It bypasses the functions for speed (session_replication_role = replica turns the guard
-- triggers off, as a restore does) but writes exactly what they would: balanced legs, and
-- balances equal to the sum of postings. accounts_verify() checks that at the end.
\set ON_ERROR_STOP 1
SELECT count(*) AS chart FROM accounts.accounts_init();
SET session_replication_role = replica;
SELECT setseed(0.7);

INSERT INTO accounts.account (code, account_type_id, end_date, date_created)
SELECT 'BENCH' || g,
       (SELECT account_type_id FROM accounts.system_account_type WHERE role = 'deferred_income_type'),
       CASE WHEN random() < 0.15 THEN NULL ELSE now() - interval '200 days' + random() * interval '500 days' END,
       now() - interval '366 days'
  FROM generate_series(1, :cards) g;

CREATE TEMP TABLE ids AS
SELECT (SELECT account_id FROM accounts.system_account WHERE role = 'bank') AS bank,
       (SELECT account_id FROM accounts.system_account WHERE role = 'unpaid_source') AS unpaid,
       (SELECT account_id FROM accounts.system_account WHERE role = 'redemptions') AS redemptions,
       (SELECT account_id FROM accounts.system_account WHERE role = 'lapsed') AS lapsed,
       (SELECT min(id) FROM accounts.account WHERE code LIKE 'BENCH%') AS first_card;

-- Each transfer: a kind, a card, an amount and an instant within the last year.
CREATE TEMP TABLE plan AS
SELECT g AS n, random() AS k, ids.first_card + floor(random() * :cards)::bigint AS card,
       round((1 + random() * 49)::numeric, 2) AS amount,
       now() - interval '365 days' + (g::double precision / :transfers) * interval '365 days' AS at
  FROM generate_series(1, :transfers) g, ids;

INSERT INTO accounts.transfer (id, reference, source_id, destination_id, amount, kind, description, date_created)
SELECT p.n, upper(md5(p.n::text || 'bench')),
       CASE WHEN p.k < 0.35 THEN ids.bank WHEN p.k < 0.45 THEN ids.unpaid WHEN p.k < 0.50 THEN ids.redemptions
            ELSE p.card END,
       CASE WHEN p.k < 0.50 THEN p.card WHEN p.k < 0.90 THEN ids.redemptions WHEN p.k < 0.95 THEN ids.lapsed
            ELSE ids.unpaid END,
       p.amount, 'transfer', 'bench', p.at
  FROM plan p, ids;
SELECT setval('accounts.transfer_id_seq', (SELECT max(id) FROM accounts.transfer));

INSERT INTO accounts.posting (transfer_id, account_id, amount, date_created)
SELECT t.id, leg.account_id, leg.amount, t.date_created
  FROM accounts.transfer t, LATERAL (VALUES (t.source_id, -t.amount), (t.destination_id, t.amount)) leg (account_id, amount);

-- Balances from the postings; credit limits lifted where the random history overdrew a card.
UPDATE accounts.account a SET credit_limit = NULL, balance = s.total
  FROM (SELECT account_id, sum(amount) AS total FROM accounts.posting GROUP BY account_id) s
 WHERE s.account_id = a.id AND s.total < 0;
UPDATE accounts.account a SET balance = s.total
  FROM (SELECT account_id, sum(amount) AS total FROM accounts.posting GROUP BY account_id) s
 WHERE s.account_id = a.id;
RESET session_replication_role;
ANALYZE;
SELECT count(*) AS transfers, (SELECT count(*) FROM accounts.posting) AS postings FROM accounts.transfer;
SELECT count(*) AS violations FROM accounts.accounts_verify();
DO $$
BEGIN
    IF (SELECT count(*) FROM accounts.accounts_verify()) > 0 THEN
        RAISE EXCEPTION 'the generated ledger has invariant violations';
    END IF;
END
$$;
