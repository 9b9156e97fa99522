-- A year of a gift-card programme, replayed through the ledger's real SQL functions.
--
--   psql -X -v ON_ERROR_STOP=1 -v csv=demo/gift_card_year.csv -f demo/run_year.sql
--
-- in a fresh database where CREATE EXTENSION oscar_accounts has run (tools/demo.sh does all of it).
-- demo/gift_card_year.csv (written by demo/generate_year.py) says what customers, the shop and
-- the fraud team tried to do on each day; it says nothing about outcomes. Every event goes
-- through accounts_transfer(), accounts_reverse(), accounts_close_expired() or a plain
-- INSERT/UPDATE of accounts.account, and the ledger alone decides which ones are refused.
-- Each day is committed on its own, as a shop would; refused events are rolled back one by one.
-- The DO block commits, so do not run this script inside a transaction (psql -1).

\set ON_ERROR_STOP 1

\if :{?csv}
\else
    \echo 'run_year.sql needs the data file: psql -v csv=demo/gift_card_year.csv -f demo/run_year.sql'
    DO $$ BEGIN RAISE EXCEPTION 'psql variable csv is not set'; END $$;
\endif

\echo '== chart of accounts: accounts_init()'
SELECT * FROM accounts.accounts_init();

-- The year's events, as the generator wrote them.
CREATE TEMP TABLE demo_event (
    day    integer NOT NULL,
    seq    integer NOT NULL,
    event  text NOT NULL CHECK (event IN ('issue', 'topup', 'redeem', 'refund', 'reverse', 'freeze', 'thaw', 'sweep')),
    card   text,
    amount numeric(18,2),
    ref    text,
    detail text,
    PRIMARY KEY (day, seq)
);
-- \copy takes the rest of its line literally (no :'csv' there), so the command is built first.
\set copy_events '\\copy demo_event FROM ' :'csv' ' WITH (FORMAT csv, HEADER true)'
:copy_events

-- What happened to each event: done, refused (with the ledger's SQLSTATE and message) or,
-- for a refund or reversal of an order that has no redemption transfer, no_order (nothing
-- to send to the ledger).
CREATE TEMP TABLE demo_outcome (
    day      integer NOT NULL,
    seq      integer NOT NULL,
    event    text NOT NULL,
    outcome  text NOT NULL CHECK (outcome IN ('done', 'refused', 'no_order')),
    amount   numeric(18,2),
    sqlstate text,
    message  text,
    PRIMARY KEY (day, seq)
);
-- Order number -> the redemption transfer, so refunds and reversals find their parent.
CREATE TEMP TABLE demo_order (
    ref         text PRIMARY KEY,
    card        text NOT NULL,
    transfer_id bigint NOT NULL
);
-- One row per expiry sweep.
CREATE TEMP TABLE demo_sweep (
    day           integer PRIMARY KEY,
    cards_closed  integer NOT NULL,
    lapsed_cards  integer NOT NULL,
    lapsed_amount numeric(18,2) NOT NULL
);

\echo '== replaying the year (one transaction per simulated day)'
DO $replay$
DECLARE
    v_bank        bigint;
    v_unpaid      bigint;
    v_redemptions bigint;
    v_lapsed      bigint;
    v_card_type   bigint;
    v_day         integer;
    v_card        bigint;
    v_parent      bigint;
    v_transfer    accounts.transfer;
    v_start_day   integer;
    v_end_day     integer;
    v_state       text;
    v_message     text;
    e             record;
BEGIN
    SELECT account_id INTO STRICT v_bank FROM accounts.system_account WHERE role = 'bank';
    SELECT account_id INTO STRICT v_redemptions FROM accounts.system_account WHERE role = 'redemptions';
    SELECT account_id INTO STRICT v_lapsed FROM accounts.system_account WHERE role = 'lapsed';
    -- accounts_init() may record several unpaid sources and card types; the demo uses the first.
    SELECT min(account_id) INTO STRICT v_unpaid FROM accounts.system_account WHERE role = 'unpaid_source';
    SELECT min(account_type_id) INTO STRICT v_card_type
      FROM accounts.system_account_type WHERE role = 'deferred_income_type';
    IF v_unpaid IS NULL OR v_card_type IS NULL THEN
        RAISE EXCEPTION 'accounts_init() recorded no unpaid source or no deferred income type';
    END IF;
    IF EXISTS (SELECT 1 FROM accounts.account WHERE code IS NOT NULL) THEN
        RAISE EXCEPTION 'the demo needs a fresh database: gift cards already exist';
    END IF;

    FOR e IN SELECT * FROM demo_event ORDER BY day, seq LOOP
        IF v_day IS NULL OR e.day <> v_day THEN
            IF v_day IS NOT NULL THEN
                COMMIT;
                -- How the demo compresses a year into seconds: every transfer really happens
                -- now, so instead of waiting for tomorrow the demo moves every card's validity
                -- window back by the days that have passed. Cards are inserted with
                -- start_date = now() + (start_day - today) days, and after this shift "now" is
                -- simulated day e.day for every card, so the real validity checks of
                -- accounts_transfer() (start_date <= now() < end_date) and the expiry sweep
                -- (end_date <= now()) see each card as they would on that day. Only balance and
                -- status are guarded; moving the dates of an account is an ordinary UPDATE.
                -- A simulated day is 24 hours, not interval '1 day': in a time zone with summer
                -- time a calendar day can be 23 or 25 hours long.
                UPDATE accounts.account
                   SET start_date = start_date - (e.day - v_day) * interval '24 hours',
                       end_date = end_date - (e.day - v_day) * interval '24 hours'
                 WHERE code IS NOT NULL;
            END IF;
            v_day := e.day;
        END IF;

        IF e.event = 'sweep' THEN
            -- The monthly expiry sweep is not a customer's request: it must not fail, so any
            -- error here stops the demo.
            INSERT INTO demo_sweep (day, cards_closed, lapsed_cards, lapsed_amount)
            SELECT e.day, count(*), count(x.transfer_id), coalesce(sum(x.lapsed_amount), 0)
              FROM accounts.accounts_close_expired(description => 'Gift card expired') x;
            INSERT INTO demo_outcome (day, seq, event, outcome, amount)
            SELECT e.day, e.seq, e.event, 'done', lapsed_amount FROM demo_sweep WHERE day = e.day;
            CONTINUE;
        END IF;

        IF e.event IN ('refund', 'reverse') THEN
            SELECT o.transfer_id INTO v_parent FROM demo_order o WHERE o.ref = e.ref;
            IF NOT FOUND THEN
                INSERT INTO demo_outcome (day, seq, event, outcome) VALUES (e.day, e.seq, e.event, 'no_order');
                CONTINUE;
            END IF;
        END IF;

        -- One event, all or nothing: a refusal rolls back just this block.
        BEGIN
            IF e.event = 'issue' THEN
                v_start_day := split_part(e.detail, ':', 1)::integer;
                v_end_day := nullif(split_part(e.detail, ':', 2), '')::integer;
                INSERT INTO accounts.account (code, account_type_id, start_date, end_date, description)
                VALUES (e.card, v_card_type,
                        now() + (v_start_day - e.day) * interval '24 hours',
                        now() + (v_end_day - e.day) * interval '24 hours',
                        format('Gift card issued on day %s', e.day))
                RETURNING id INTO v_card;
                v_transfer := accounts.accounts_transfer(
                    CASE e.ref WHEN 'bank' THEN v_bank WHEN 'unpaid' THEN v_unpaid END, v_card, e.amount,
                    description => CASE e.ref WHEN 'bank' THEN 'Gift card sold' ELSE 'Goodwill gift card' END);
            ELSE
                SELECT a.id INTO STRICT v_card FROM accounts.account a WHERE a.code = e.card;
                CASE e.event
                WHEN 'topup' THEN
                    v_transfer := accounts.accounts_transfer(v_bank, v_card, e.amount, description => 'Top-up');
                WHEN 'redeem' THEN
                    v_transfer := accounts.accounts_transfer(v_card, v_redemptions, e.amount,
                                                             merchant_reference => e.ref,
                                                             description => 'Order payment');
                    INSERT INTO demo_order (ref, card, transfer_id) VALUES (e.ref, e.card, v_transfer.id);
                WHEN 'refund' THEN
                    v_transfer := accounts.accounts_transfer(v_redemptions, v_card, e.amount, parent => v_parent,
                                                             merchant_reference => e.ref,
                                                             description => 'Partial refund');
                WHEN 'reverse' THEN
                    v_transfer := accounts.accounts_reverse(v_parent, merchant_reference => e.ref,
                                                            description => 'Order cancelled');
                WHEN 'freeze' THEN
                    UPDATE accounts.account SET status = 'Frozen' WHERE id = v_card;
                    v_transfer := NULL;
                WHEN 'thaw' THEN
                    UPDATE accounts.account SET status = 'Open' WHERE id = v_card;
                    v_transfer := NULL;
                END CASE;
            END IF;
            INSERT INTO demo_outcome (day, seq, event, outcome, amount)
            VALUES (e.day, e.seq, e.event, 'done', v_transfer.amount);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
            -- Only the ledger's own refusals are expected; anything else is a real error.
            IF NOT EXISTS (SELECT 1 FROM accounts.accounts_error_codes() c
                            WHERE c.sqlstate = v_state AND c.name <> 'internal_error') THEN
                RAISE;
            END IF;
            INSERT INTO demo_outcome (day, seq, event, outcome, amount, sqlstate, message)
            VALUES (e.day, e.seq, e.event, 'refused', e.amount, v_state, v_message);
        END;
    END LOOP;
END
$replay$;

\echo
\echo '== (a) events by kind and outcome'
SELECT e.event,
       count(*) AS events,
       count(*) FILTER (WHERE o.outcome = 'done') AS done,
       count(*) FILTER (WHERE o.outcome = 'refused') AS refused,
       count(*) FILTER (WHERE o.outcome = 'no_order') AS no_order,
       coalesce(sum(o.amount) FILTER (WHERE o.outcome = 'done'), 0.00) AS amount_done
  FROM demo_event e
  LEFT JOIN demo_outcome o USING (day, seq)
 GROUP BY e.event
 ORDER BY array_position(ARRAY['issue', 'topup', 'redeem', 'refund', 'reverse', 'freeze', 'thaw', 'sweep'], e.event);

\echo '== (a) expiry sweeps'
SELECT day, cards_closed, lapsed_cards, lapsed_amount FROM demo_sweep ORDER BY day;

\echo '== (b) refused events by SQLSTATE'
SELECT o.sqlstate, c.name AS error, o.event,
       regexp_replace(o.message, '[0-9]+(\.[0-9]+)?', 'N', 'g') AS message_class,
       count(*) AS events
  FROM demo_outcome o
  LEFT JOIN accounts.accounts_error_codes() c ON c.sqlstate = o.sqlstate
 WHERE o.outcome = 'refused'
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 3, 4;

\echo '== (c) accounts and balances by account type'
WITH RECURSIVE type_path (id, path) AS (
    SELECT t.id, t.name FROM accounts.account_type t WHERE t.parent_id IS NULL
    UNION ALL
    SELECT t.id, p.path || ' / ' || t.name FROM accounts.account_type t JOIN type_path p ON t.parent_id = p.id
)
SELECT p.path AS account_type, count(a.id) AS accounts, coalesce(sum(a.balance), 0.00) AS balance
  FROM type_path p
  LEFT JOIN accounts.account a ON a.account_type_id = p.id
 GROUP BY p.path
 ORDER BY p.path COLLATE "C";

\echo '== (c) system accounts'
SELECT s.role, a.id, a.name, a.balance
  FROM accounts.system_account s
  JOIN accounts.account a ON a.id = s.account_id
 ORDER BY array_position(ARRAY['bank', 'unpaid_source', 'redemptions', 'lapsed'], s.role), a.id;

\echo '== (d) gift cards by status'
SELECT a.status, count(*) AS cards, sum(a.balance) AS balance
  FROM accounts.account a
 WHERE a.code IS NOT NULL
 GROUP BY a.status
 ORDER BY array_position(ARRAY['Open', 'Frozen', 'Closed'], a.status);

\echo '== (e) verification'
SELECT count(*) = 0 AS verified FROM accounts.accounts_verify() \gset
\if :verified
\else
    \echo 'accounts_verify() found violations:'
    SELECT * FROM accounts.accounts_verify() LIMIT 50;
\endif
SELECT (SELECT count(*) FROM accounts.accounts_verify()) AS violations,
       (SELECT sum(balance) FROM accounts.account) AS sum_of_balances;

-- Fails the script (and tools/demo.sh) when the ledger does not balance.
DO $check$
BEGIN
    IF EXISTS (SELECT 1 FROM accounts.accounts_verify()) THEN
        RAISE EXCEPTION 'accounts_verify() reports violations';
    END IF;
    IF (SELECT sum(balance) FROM accounts.account) IS DISTINCT FROM 0.00 THEN
        RAISE EXCEPTION 'the balances of all accounts do not sum to 0.00';
    END IF;
END
$check$;
