-- A year of a gift-card programme, replayed through the ledger's real SQL functions.
--
--   psql -X -v ON_ERROR_STOP=1 -v csv=demo/gift_card_year.csv -f demo/run_year.sql
--
-- in a fresh database where CREATE EXTENSION oscar_accounts has run (tools/demo.sh does all of it).
-- demo/gift_card_year.csv (written by demo/generate_year.py) says what customers, the shop and
-- the fraud team tried to do on each day; it says nothing about outcomes. Every event goes
-- through the extension's functions, and the ledger alone decides which ones are refused:
--
--   issue            accounts_create_account(code, window, primary user, initial load from
--                    Bank or the Unpaid source: the card and its load, all or nothing)
--   topup            accounts_transfer(Bank -> card)
--   redeem           a checkout: accounts_lookup_code(typed code, client address) for each card
--                    typed into the form (throttled per address), then accounts_redeem(order,
--                    cards, amounts, user, idempotency key): one or two cards, all or none
--   refund           accounts_refund(the order's redemption from that card, amount, key)
--   reverse          accounts_reverse(the order's redemption from that card)
--   freeze / thaw    accounts_freeze() / accounts_thaw()
--   sweep            accounts_close_expired(description => ...)
--
-- Each day is committed on its own, as a shop would; refused events are rolled back one by one.
-- Only the extension's own SQLSTATEs (accounts_error_codes(), internal_error excepted) count as
-- refusals; any other error stops the replay. The DO block commits, so do not run this script
-- inside a transaction (psql -1).

\set ON_ERROR_STOP 1

\if :{?csv}
\else
    \echo 'run_year.sql needs the data file: psql -v csv=demo/gift_card_year.csv -f demo/run_year.sql'
    DO $$ BEGIN RAISE EXCEPTION 'psql variable csv is not set'; END $$;
\endif

\echo '== chart of accounts: accounts_init()'
SELECT * FROM accounts.accounts_init();

-- The year's events, as the generator wrote them (see demo/generate_year.py for the columns).
CREATE TEMP TABLE demo_event (
    day             integer NOT NULL,
    seq             integer NOT NULL,
    event           text NOT NULL CHECK (event IN ('issue', 'topup', 'redeem', 'refund', 'reverse', 'freeze', 'thaw', 'sweep')),
    card            text,
    amount          numeric(18,2),
    ref             text,
    detail          text,
    card2           text,
    amount2         numeric(18,2),
    ip              inet,
    user_id         bigint,
    idempotency_key text,
    PRIMARY KEY (day, seq)
);
-- \copy takes the rest of its line literally (no :'csv' there), so the command is built first.
-- HEADER MATCH: the file's columns must be exactly these, in this order.
\set copy_events '\\copy demo_event FROM ' :'csv' ' WITH (FORMAT csv, HEADER match)'
:copy_events

-- What happened to each event: done, replayed (an idempotency key answered with the transfers
-- it made before, writing nothing), refused (with the ledger's SQLSTATE and message; stage says
-- whether the code look-up or the ledger refused), not_found (a typed code matches no card: the
-- order is not placed) or, for a refund or reversal of an order that has no redemption from that
-- card, no_order (nothing to send to the ledger).
CREATE TEMP TABLE demo_outcome (
    day          integer NOT NULL,
    seq          integer NOT NULL,
    event        text NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('done', 'replayed', 'refused', 'not_found', 'no_order')),
    stage        text CHECK (stage IN ('lookup', 'ledger')),
    amount       numeric(18,2),
    transfer_ids bigint[],
    sqlstate     text,
    message      text,
    PRIMARY KEY (day, seq)
);
-- Every code typed at checkout and what accounts_lookup_code() answered (n: first or second card).
CREATE TEMP TABLE demo_lookup (
    day        integer NOT NULL,
    seq        integer NOT NULL,
    n          integer NOT NULL,
    ip         inet NOT NULL,
    typed      text,
    outcome    text NOT NULL CHECK (outcome IN ('found', 'not_found', 'blocked', 'refused')),
    account_id bigint,
    PRIMARY KEY (day, seq, n)
);
-- Order number and card -> the redemption transfer, so refunds and reversals find their parent.
CREATE TEMP TABLE demo_order (
    ref         text NOT NULL,
    account_id  bigint NOT NULL,
    transfer_id bigint NOT NULL,
    PRIMARY KEY (ref, account_id)
);
-- One row per expiry sweep (not_closed: expired cards the ledger refused to lapse, which the
-- sweep reports and leaves Open; none are expected here, every card is in the Lapsed account's
-- currency).
CREATE TEMP TABLE demo_sweep (
    day           integer PRIMARY KEY,
    cards_closed  integer NOT NULL,
    lapsed_cards  integer NOT NULL,
    lapsed_amount numeric(18,2) NOT NULL,
    not_closed    integer NOT NULL
);

\echo '== replaying the year (one transaction per simulated day)'
DO $replay$
DECLARE
    v_codes        text[];
    v_bank         bigint;
    v_unpaid       bigint;
    v_card_type    bigint;
    v_day          integer;
    v_card         bigint;
    v_parent       bigint;
    v_account      accounts.account;
    v_transfer     accounts.transfer;
    v_ids          bigint[];
    v_amounts      numeric[];
    v_transfer_ids bigint[];
    v_amount       numeric;
    v_last         bigint;
    v_lookup       text;
    v_typed        text;
    v_state        text;
    v_message      text;
    i              integer;
    e              record;
BEGIN
    -- The refusals the replay expects: the extension's own SQLSTATEs (an internal error is a bug).
    v_codes := ARRAY(SELECT c.sqlstate FROM accounts.accounts_error_codes() c WHERE c.name <> 'internal_error');
    SELECT account_id INTO STRICT v_bank FROM accounts.system_account WHERE role = 'bank';
    -- accounts_init() may record several unpaid sources and card types; the demo uses the first.
    SELECT min(account_id) INTO STRICT v_unpaid FROM accounts.system_account WHERE role = 'unpaid_source';
    SELECT min(account_type_id) INTO STRICT v_card_type
      FROM accounts.system_account_type WHERE role = 'deferred_income_type';
    IF v_unpaid IS NULL OR v_card_type IS NULL THEN
        RAISE EXCEPTION 'accounts_init() recorded no unpaid source or no deferred income type';
    END IF;
    IF EXISTS (SELECT 1 FROM accounts.account WHERE code IS NOT NULL)
       OR EXISTS (SELECT 1 FROM accounts.ip_address_record)
       OR EXISTS (SELECT 1 FROM accounts.idempotent_request) THEN
        RAISE EXCEPTION 'the demo needs a fresh database: gift cards, look-ups or idempotency keys already exist';
    END IF;

    FOR e IN SELECT * FROM demo_event ORDER BY day, seq LOOP
        IF v_day IS NULL OR e.day <> v_day THEN
            IF v_day IS NOT NULL THEN
                COMMIT;
                -- How the demo compresses a year into seconds: every transfer really happens
                -- now, so instead of waiting for tomorrow the demo moves every card's validity
                -- window back by the days that have passed. Cards are created with
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
                -- The same trick for the look-up throttle, which compares an address's last
                -- failed look-up with now(): moved back a day per simulated day, a five-minute
                -- cooling-off ends by the next simulated day, as it would. (Within a simulated
                -- day now() does not move, so a blocked address stays blocked for the rest of it.)
                UPDATE accounts.ip_address_record
                   SET date_last_failure = date_last_failure - (e.day - v_day) * interval '24 hours'
                 WHERE date_last_failure IS NOT NULL;
            END IF;
            v_day := e.day;
        END IF;

        IF e.event = 'sweep' THEN
            -- The monthly expiry sweep is not a customer's request: it must not fail, so any
            -- error here stops the demo. (An account it refuses to lapse is not an error: it
            -- comes back with closed = false and the refusal, and is counted in not_closed.)
            INSERT INTO demo_sweep (day, cards_closed, lapsed_cards, lapsed_amount, not_closed)
            SELECT e.day, count(*) FILTER (WHERE x.closed), count(x.transfer_id),
                   coalesce(sum(x.lapsed_amount), 0), count(*) FILTER (WHERE NOT x.closed)
              FROM accounts.accounts_close_expired(description => 'Gift card expired') x;
            INSERT INTO demo_outcome (day, seq, event, outcome, stage, amount)
            SELECT e.day, e.seq, e.event, 'done', 'ledger', lapsed_amount FROM demo_sweep WHERE day = e.day;
            CONTINUE;
        END IF;

        IF e.event = 'redeem' THEN
            -- The checkout form looks up each code as typed, one look-up at a time, before the
            -- order is placed. A look-up is its own step: what it records for the address (a
            -- failure, or a success that resets the count) stays even if the payment is refused.
            v_ids := ARRAY[]::bigint[];
            v_amounts := ARRAY[]::numeric[];
            FOR i IN 1 .. CASE WHEN e.card2 IS NULL THEN 1 ELSE 2 END LOOP
                v_typed := CASE i WHEN 1 THEN e.card ELSE e.card2 END;
                v_account := NULL;
                BEGIN
                    v_account := accounts.accounts_lookup_code(v_typed, e.ip);
                    v_lookup := CASE WHEN v_account.id IS NULL THEN 'not_found' ELSE 'found' END;
                EXCEPTION WHEN OTHERS THEN
                    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
                    IF NOT v_state = ANY (v_codes) THEN
                        RAISE;
                    END IF;
                    v_lookup := CASE v_state WHEN '42L04' THEN 'blocked' ELSE 'refused' END;
                END;
                INSERT INTO demo_lookup (day, seq, n, ip, typed, outcome, account_id)
                VALUES (e.day, e.seq, i, e.ip, v_typed, v_lookup, v_account.id);
                EXIT WHEN v_lookup <> 'found';
                v_ids := v_ids || v_account.id;
                v_amounts := v_amounts || CASE i WHEN 1 THEN e.amount ELSE e.amount2 END;
            END LOOP;
            IF v_lookup = 'not_found' THEN
                INSERT INTO demo_outcome (day, seq, event, outcome, stage)
                VALUES (e.day, e.seq, e.event, 'not_found', 'lookup');
                CONTINUE;
            ELSIF v_lookup <> 'found' THEN
                INSERT INTO demo_outcome (day, seq, event, outcome, stage, amount, sqlstate, message)
                VALUES (e.day, e.seq, e.event, 'refused', 'lookup', e.amount + coalesce(e.amount2, 0.00),
                        v_state, v_message);
                CONTINUE;
            END IF;
        ELSIF e.event <> 'issue' THEN
            -- The back office knows the card: no look-up, no throttle.
            SELECT a.id INTO STRICT v_card FROM accounts.account a WHERE a.code = e.card;
        END IF;

        IF e.event IN ('refund', 'reverse') THEN
            SELECT o.transfer_id INTO v_parent FROM demo_order o WHERE o.ref = e.ref AND o.account_id = v_card;
            IF NOT FOUND THEN
                INSERT INTO demo_outcome (day, seq, event, outcome) VALUES (e.day, e.seq, e.event, 'no_order');
                CONTINUE;
            END IF;
        END IF;

        -- One event, all or nothing: a refusal rolls back just this block.
        BEGIN
            -- Transfers at or below this id existed before the call: a call that returns only
            -- those was answered from its idempotency key.
            v_last := coalesce((SELECT max(t.id) FROM accounts.transfer t), 0);
            v_transfer_ids := NULL;
            CASE e.event
            WHEN 'issue' THEN
                v_account := accounts.accounts_create_account(
                    account_type_id => v_card_type,
                    description => format('Gift card issued on day %s', e.day),
                    code => e.card,
                    start_date => now() + (split_part(e.detail, ':', 1)::integer - e.day) * interval '24 hours',
                    end_date => now() + (nullif(split_part(e.detail, ':', 2), '')::integer - e.day) * interval '24 hours',
                    primary_user_id => e.user_id,
                    initial_amount => e.amount,
                    source => CASE e.ref WHEN 'bank' THEN v_bank WHEN 'unpaid' THEN v_unpaid END);
                v_amount := v_account.balance;
                v_transfer_ids := ARRAY(SELECT t.id FROM accounts.transfer t WHERE t.destination_id = v_account.id);
            WHEN 'topup' THEN
                v_transfer := accounts.accounts_transfer(v_bank, v_card, e.amount, description => 'Top-up');
                v_amount := v_transfer.amount;
                v_transfer_ids := ARRAY[v_transfer.id];
            WHEN 'redeem' THEN
                SELECT array_agg(t.id ORDER BY t.n), sum(t.amount) INTO v_transfer_ids, v_amount
                  FROM accounts.accounts_redeem(e.ref, v_ids, v_amounts, user_id => e.user_id,
                                                idempotency_key => e.idempotency_key) WITH ORDINALITY AS t (
                           id, reference, source_id, destination_id, amount, parent_id, kind,
                           merchant_reference, description, user_id, username, date_created, n);
                INSERT INTO demo_order (ref, account_id, transfer_id)
                SELECT e.ref, u.account_id, u.transfer_id FROM unnest(v_ids, v_transfer_ids) AS u (account_id, transfer_id)
                    ON CONFLICT DO NOTHING;
            WHEN 'refund' THEN
                v_transfer := accounts.accounts_refund(v_parent, e.amount, merchant_reference => e.ref,
                                                       description => 'Item returned',
                                                       idempotency_key => e.idempotency_key);
                v_amount := v_transfer.amount;
                v_transfer_ids := ARRAY[v_transfer.id];
            WHEN 'reverse' THEN
                v_transfer := accounts.accounts_reverse(v_parent, merchant_reference => e.ref,
                                                        description => 'Order cancelled');
                v_amount := v_transfer.amount;
                v_transfer_ids := ARRAY[v_transfer.id];
            WHEN 'freeze' THEN
                v_account := accounts.accounts_freeze(v_card);
                v_amount := NULL;
            WHEN 'thaw' THEN
                v_account := accounts.accounts_thaw(v_card);
                v_amount := NULL;
            END CASE;
            INSERT INTO demo_outcome (day, seq, event, outcome, stage, amount, transfer_ids)
            VALUES (e.day, e.seq, e.event,
                    CASE WHEN cardinality(v_transfer_ids) > 0
                              AND v_last >= ALL (v_transfer_ids) THEN 'replayed' ELSE 'done' END,
                    'ledger', v_amount, v_transfer_ids);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
            -- Only the ledger's own refusals are expected; anything else is a real error.
            IF NOT v_state = ANY (v_codes) THEN
                RAISE;
            END IF;
            INSERT INTO demo_outcome (day, seq, event, outcome, stage, amount, sqlstate, message)
            VALUES (e.day, e.seq, e.event, 'refused', 'ledger', e.amount + coalesce(e.amount2, 0.00),
                    v_state, v_message);
        END;
    END LOOP;
END
$replay$;

\echo
\echo '== (a) events by kind and outcome'
SELECT e.event,
       count(*) AS events,
       count(*) FILTER (WHERE o.outcome = 'done') AS done,
       count(*) FILTER (WHERE o.outcome = 'replayed') AS replayed,
       count(*) FILTER (WHERE o.outcome = 'refused') AS refused,
       count(*) FILTER (WHERE o.outcome = 'not_found') AS not_found,
       count(*) FILTER (WHERE o.outcome = 'no_order') AS no_order,
       coalesce(sum(o.amount) FILTER (WHERE o.outcome = 'done'), 0.00) AS amount_done
  FROM demo_event e
  LEFT JOIN demo_outcome o USING (day, seq)
 GROUP BY e.event
 ORDER BY array_position(ARRAY['issue', 'topup', 'redeem', 'refund', 'reverse', 'freeze', 'thaw', 'sweep'], e.event);

\echo '== (a) expiry sweeps'
SELECT day, cards_closed, lapsed_cards, lapsed_amount, not_closed FROM demo_sweep ORDER BY day;

\echo '== (b) refused events by SQLSTATE'
SELECT o.sqlstate, c.name AS error, o.event,
       regexp_replace(o.message, '[0-9]+(\.[0-9]+)*', 'N', 'g') AS message_class,
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

\echo '== (f) code look-ups at checkout (accounts_lookup_code)'
SELECT coalesce(l.typed_as, 'all') AS typed,
       count(*) AS lookups,
       count(*) FILTER (WHERE l.outcome = 'found') AS found,
       count(*) FILTER (WHERE l.outcome = 'not_found') AS not_found,
       count(*) FILTER (WHERE l.outcome = 'blocked') AS blocked,
       count(DISTINCT l.ip) AS addresses
  FROM (SELECT CASE WHEN typed = upper(typed) AND typed !~ '[- ]' THEN 'as printed'
                    ELSE 'lower-case, dashes or spaces' END AS typed_as, outcome, ip
          FROM demo_lookup) l
 GROUP BY ROLLUP (l.typed_as)
 ORDER BY l.typed_as IS NULL, l.typed_as;

\echo '== (f) addresses blocked at least once (42L04)'
\echo '   failures_recorded is the ledger''s own count (ip_address_record): a blocked look-up is refused before any code is read, so only not_found counts'
SELECT l.ip,
       count(DISTINCT l.day) AS days,
       count(*) AS lookups,
       count(*) FILTER (WHERE l.outcome = 'found') AS found,
       count(*) FILTER (WHERE l.outcome = 'not_found') AS not_found,
       count(*) FILTER (WHERE l.outcome = 'blocked') AS blocked,
       min(l.day) FILTER (WHERE l.outcome = 'blocked') AS first_blocked_day,
       r.total_failures AS failures_recorded,
       CASE WHEN r.total_failures > current_setting('oscar_accounts.lookup_block_threshold')::integer
                THEN 'blocked for good'
            WHEN r.consecutive_failures >= current_setting('oscar_accounts.lookup_freeze_threshold')::integer
             AND r.date_last_failure > now() - current_setting('oscar_accounts.lookup_cooling_off')::interval
                THEN 'cooling off'
            ELSE 'may look up' END AS state_at_end
  FROM demo_lookup l
  JOIN accounts.ip_address_record r ON r.ip_address = l.ip
 GROUP BY l.ip, r.total_failures, r.consecutive_failures, r.date_last_failure
HAVING count(*) FILTER (WHERE l.outcome = 'blocked') > 0
 ORDER BY count(*) DESC, l.ip;

\echo '== (f) day by day, the addresses blocked for good (more than lookup_block_threshold failures)'
SELECT l.ip, l.day,
       count(*) AS lookups,
       count(*) FILTER (WHERE l.outcome = 'not_found') AS not_found,
       count(*) FILTER (WHERE l.outcome = 'blocked') AS blocked,
       sum(count(*) FILTER (WHERE l.outcome = 'not_found')) OVER (PARTITION BY l.ip ORDER BY l.day) AS failures_so_far
  FROM demo_lookup l
  JOIN accounts.ip_address_record r ON r.ip_address = l.ip
 WHERE r.total_failures > current_setting('oscar_accounts.lookup_block_threshold')::integer
 GROUP BY l.ip, l.day
 ORDER BY l.ip, l.day;

\echo '== (g) requests sent again with the same idempotency key'
SELECT e.event,
       count(*) AS resent,
       count(*) FILTER (WHERE o.outcome = 'replayed') AS answered_from_key,
       count(*) FILTER (WHERE o.outcome = 'replayed' AND o.transfer_ids = f.transfer_ids) AS same_transfers_as_first,
       count(*) FILTER (WHERE o.outcome <> 'replayed' AND f.outcome = 'refused') AS first_refused_decided_again,
       count(*) FILTER (WHERE o.outcome = 'done') AS written_again
  FROM demo_event e
  JOIN demo_outcome o USING (day, seq)
  LEFT JOIN LATERAL (
        SELECT fo.outcome, fo.transfer_ids
          FROM demo_event fe JOIN demo_outcome fo USING (day, seq)
         WHERE fe.idempotency_key = e.idempotency_key AND fo.stage = 'ledger'
           AND (fe.day, fe.seq) < (e.day, e.seq)
         ORDER BY fe.day DESC, fe.seq DESC
         LIMIT 1) f ON true
 WHERE e.detail = 'resent'
 GROUP BY e.event
 ORDER BY e.event;

\echo '== (h) orders placed at checkout (codes found; first sending only): split orders are all or none'
SELECT CASE WHEN e.card2 IS NULL THEN 'one card' ELSE 'two cards' END AS paid_with,
       count(*) AS orders,
       count(*) FILTER (WHERE o.outcome = 'done') AS paid,
       count(*) FILTER (WHERE o.outcome = 'refused') AS refused,
       count(*) FILTER (WHERE o.outcome = 'refused' AND o.sqlstate = '23L01'
                          AND o.message ~ ('#' || l2.account_id || '$')) AS second_card_short,
       count(*) FILTER (WHERE o.outcome = 'refused'
                          AND EXISTS (SELECT 1 FROM accounts.transfer t
                                       WHERE t.merchant_reference = e.ref AND t.source_id = l1.account_id)) AS refused_but_charged,
       coalesce(sum(o.amount) FILTER (WHERE o.outcome = 'done'), 0.00) AS amount_paid
  FROM demo_event e
  JOIN demo_outcome o USING (day, seq)
  JOIN demo_lookup l1 ON (l1.day, l1.seq, l1.n) = (e.day, e.seq, 1)
  LEFT JOIN demo_lookup l2 ON (l2.day, l2.seq, l2.n) = (e.day, e.seq, 2)
 WHERE e.event = 'redeem' AND o.stage = 'ledger' AND e.detail IS DISTINCT FROM 'resent'
 GROUP BY 1
 ORDER BY 1 DESC;

\echo '== (h) what remains refundable of the redemptions (accounts_refundable) adds up, and equals the Redemptions balance'
SELECT count(*) AS redemptions,
       sum(t.amount) AS redeemed,
       coalesce(sum(c.refunded), 0.00) AS refunded,
       coalesce(sum(c.reversed), 0.00) AS reversed,
       sum(accounts.accounts_refundable(t.id)) AS still_refundable,
       sum(t.amount) - coalesce(sum(c.refunded), 0.00) - coalesce(sum(c.reversed), 0.00)
           = sum(accounts.accounts_refundable(t.id))
       AND sum(accounts.accounts_refundable(t.id))
           = (SELECT a.balance FROM accounts.system_account s JOIN accounts.account a ON a.id = s.account_id
               WHERE s.role = 'redemptions') AS adds_up,
       (SELECT count(*) FROM (SELECT 1 FROM accounts.transfer x
                               WHERE x.kind = 'transfer' AND x.merchant_reference LIKE 'ORD-%'
                               GROUP BY x.merchant_reference, x.source_id HAVING count(*) > 1) twice) AS paid_twice
  FROM demo_order d
  JOIN accounts.transfer t ON t.id = d.transfer_id
  LEFT JOIN LATERAL (
        SELECT sum(x.amount) FILTER (WHERE x.kind = 'refund') AS refunded,
               sum(x.amount) FILTER (WHERE x.kind = 'reversal') AS reversed
          FROM accounts.transfer x WHERE x.parent_id = t.id) c ON true;

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
