-- A busy ledger for test/resilience/dump_restore.sh, made through the real functions only:
-- accounts_init, accounts_create_account (codes, validity windows, credit limits, users,
-- initial loads), accounts_transfer, accounts_redeem (one or two cards), accounts_refund,
-- accounts_reverse, freezes and thaws, accounts_close, accounts_update_account,
-- accounts_lookup_code (including an address that gets blocked), accounts_close_expired,
-- and idempotency keys (each request that used a key is kept in public.resilience_key with
-- the exact SQL that made it, so that it can be sent again after the restore).
--
--   psql -v ops=400 -v seed=0.42 -f busy_ledger.sql
--
-- Refusals the extension documents (its SQLSTATEs, XX000 excepted) are expected and counted
-- in public.resilience_refusal; anything else stops the script. One transaction per 50
-- operations, so the ledger has many distinct instants.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS oscar_accounts;
SELECT count(*) AS chart FROM accounts.accounts_init(unpaid_source_names => ARRAY['Unpaid source', 'Goodwill']);
-- Redemptions is a hot account: many of the transfers below leave their credit pending.
SELECT hot FROM accounts.accounts_set_hot((SELECT account_id FROM accounts.system_account WHERE role = 'redemptions'));

CREATE TABLE public.resilience_key (
    key          text PRIMARY KEY,
    call         text NOT NULL,      -- a query returning the sorted transfer ids the request made
    transfer_ids bigint[] NOT NULL
);
CREATE TABLE public.resilience_refusal (op text, sqlstate text, n bigint NOT NULL, PRIMARY KEY (op, sqlstate));
CREATE TABLE public.resilience_done (op text PRIMARY KEY, n bigint NOT NULL);

-- True for the extension's own documented SQLSTATEs (XX000 is a bug, never a refusal).
CREATE FUNCTION public.resilience_documented(p_state text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM accounts.accounts_error_codes() c WHERE c.sqlstate = p_state AND c.sqlstate <> 'XX000')
$$;

-- Runs a money-moving call (a query returning its sorted transfer ids) and, when it used an
-- idempotency key, records the call; with p_replay, sends it again at once and insists on
-- the same answer.
CREATE FUNCTION public.resilience_call(p_key text, p_call text, p_replay boolean) RETURNS bigint[]
    LANGUAGE plpgsql AS $$
DECLARE
    v_ids bigint[];
    v_again bigint[];
BEGIN
    EXECUTE p_call INTO v_ids;
    IF p_key IS NOT NULL THEN
        INSERT INTO public.resilience_key VALUES (p_key, p_call, v_ids);
        IF p_replay THEN
            EXECUTE p_call INTO v_again;
            IF v_again IS DISTINCT FROM v_ids THEN
                RAISE EXCEPTION 'idempotency key % replayed as % instead of %', p_key, v_again, v_ids;
            END IF;
        END IF;
    END IF;
    RETURN v_ids;
END
$$;

-- Some card (any status): the cards are listed once per batch of operations (cheap even on a
-- bulk ledger of thousands of cards), new ones are added as they are made.
CREATE FUNCTION public.resilience_card() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_cards bigint[] := nullif(current_setting('resilience.cards', true), '')::bigint[];
BEGIN
    IF v_cards IS NULL THEN
        v_cards := (SELECT array_agg(id ORDER BY id) FROM accounts.account WHERE code IS NOT NULL);
        PERFORM set_config('resilience.cards', v_cards::text, true);
    END IF;
    RETURN v_cards[1 + floor(random() * cardinality(v_cards))::int];
END
$$;

-- Some transfer of the given kind at or after a random id (wrapping to the first one).
CREATE FUNCTION public.resilience_transfer(p_destination bigint) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_from bigint := 1 + floor(random() * coalesce((SELECT max(id) FROM accounts.transfer), 0))::bigint;
BEGIN
    RETURN coalesce(
        (SELECT id FROM accounts.transfer WHERE id >= v_from AND kind = 'transfer'
            AND (p_destination IS NULL OR destination_id = p_destination) ORDER BY id LIMIT 1),
        (SELECT id FROM accounts.transfer WHERE kind = 'transfer'
            AND (p_destination IS NULL OR destination_id = p_destination) ORDER BY id LIMIT 1));
END
$$;

-- Amount between lo and hi with two decimals.
CREATE FUNCTION public.resilience_amount(lo numeric, hi numeric) RETURNS numeric LANGUAGE sql VOLATILE AS $$
    SELECT round(lo + (hi - lo) * random()::numeric, 2)
$$;

CREATE FUNCTION public.resilience_ops(p_from integer, p_to integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_bank bigint := (SELECT account_id FROM accounts.system_account WHERE role = 'bank');
    v_unpaid bigint[] := (SELECT array_agg(account_id ORDER BY account_id) FROM accounts.system_account
                           WHERE role = 'unpaid_source');
    v_redemptions bigint := (SELECT account_id FROM accounts.system_account WHERE role = 'redemptions');
    v_budgets bigint[] := (SELECT array_agg(id ORDER BY id) FROM accounts.account WHERE name LIKE 'Budget %');
    v_op text;
    v_r double precision;
    v_a bigint;
    v_b bigint;
    v_t bigint;
    v_amount numeric;
    v_key text;
    v_code text;
    v_state text;
    v_account accounts.account;
BEGIN
    FOR i IN p_from .. p_to LOOP
        v_r := random();
        v_key := NULL;
        BEGIN
            IF v_r < 0.14 THEN
                v_op := 'card_to_card';
                v_a := public.resilience_card();
                v_b := public.resilience_card();
                PERFORM 1 FROM accounts.accounts_transfer(v_a, v_b, public.resilience_amount(1, 40),
                                                          description => 'card to card ' || i);
            ELSIF v_r < 0.32 THEN
                v_op := 'redeem';
                v_a := public.resilience_card();
                v_b := public.resilience_card();
                v_key := CASE WHEN random() < 0.7 THEN 'redeem-' || i END;
                IF random() < 0.6 THEN
                    v_b := v_a;   -- one card pays the whole order
                END IF;
                PERFORM public.resilience_call(v_key, format(
                    'SELECT coalesce(array_agg(id ORDER BY id), ''{}'') FROM accounts.accounts_redeem(%L, %L::bigint[], %L::numeric[], user_id => %s, username => %L, idempotency_key => %L)',
                    'ORDER-' || i,
                    CASE WHEN v_a = v_b THEN ARRAY[v_a] ELSE ARRAY[v_a, v_b] END,
                    CASE WHEN v_a = v_b THEN ARRAY[public.resilience_amount(1, 30)]
                         ELSE ARRAY[public.resilience_amount(1, 20), public.resilience_amount(1, 20)] END,
                    (i % 7) + 40, 'customer' || (i % 7), v_key), random() < 0.25);
            ELSIF v_r < 0.42 THEN
                v_op := 'topup';
                v_a := CASE WHEN random() < 0.7 THEN v_bank ELSE v_unpaid[1 + floor(random() * cardinality(v_unpaid))::int] END;
                v_key := CASE WHEN random() < 0.8 THEN 'topup-' || i END;
                PERFORM public.resilience_call(v_key, format(
                    'SELECT ARRAY[id] FROM accounts.accounts_transfer(%s, %s, %s, description => %L, idempotency_key => %L)',
                    v_a, public.resilience_card(), public.resilience_amount(5, 100), 'top-up ' || i, v_key),
                    random() < 0.25);
            ELSIF v_r < 0.52 THEN
                v_op := 'refund';
                v_t := public.resilience_transfer(v_redemptions);
                v_amount := greatest(0.01, round(coalesce(accounts.accounts_refundable(v_t), 0) * (random()::numeric * 1.2), 2));
                v_key := CASE WHEN random() < 0.5 THEN 'refund-' || i END;
                PERFORM public.resilience_call(v_key, format(
                    'SELECT ARRAY[id] FROM accounts.accounts_refund(%s, %s, merchant_reference => %L, idempotency_key => %L)',
                    v_t, v_amount, 'REFUND-' || i, v_key), random() < 0.25);
            ELSIF v_r < 0.58 THEN
                v_op := 'reverse';
                v_t := public.resilience_transfer(NULL);
                v_key := CASE WHEN random() < 0.5 THEN 'reverse-' || i END;
                PERFORM public.resilience_call(v_key, format(
                    'SELECT ARRAY[id] FROM accounts.accounts_reverse(%s, description => %L, idempotency_key => %L)',
                    v_t, 'reversal ' || i, v_key), random() < 0.25);
            ELSIF v_r < 0.65 THEN
                v_op := 'freeze_thaw';
                v_a := public.resilience_card();
                IF (SELECT status FROM accounts.account WHERE id = v_a) = 'Frozen' THEN
                    PERFORM 1 FROM accounts.accounts_thaw(v_a);
                ELSE
                    PERFORM 1 FROM accounts.accounts_freeze(v_a);
                END IF;
            ELSIF v_r < 0.74 THEN
                v_op := 'lookup';
                IF random() < 0.2 THEN
                    -- One address guessing codes: blocked after a few misses (42L04 from then on).
                    PERFORM 1 FROM accounts.accounts_lookup_code('GUESS' || i, '203.0.113.66');
                ELSE
                    v_a := public.resilience_card();
                    SELECT code INTO v_code FROM accounts.account WHERE id = v_a;
                    IF random() < 0.5 THEN
                        v_code := ' ' || lower(substr(v_code, 1, 4)) || '-' || substr(v_code, 5) || ' ';
                    END IF;
                    SELECT * INTO v_account FROM accounts.accounts_lookup_code(v_code, ('198.51.100.' || (i % 50))::inet);
                    IF v_account.id IS NULL THEN
                        RAISE EXCEPTION 'code % of an existing card was not found', v_code;
                    END IF;
                END IF;
            ELSIF v_r < 0.82 THEN
                v_op := 'budget';
                v_a := v_budgets[1 + floor(random() * cardinality(v_budgets))::int];
                IF random() < 0.2 THEN
                    PERFORM 1 FROM accounts.accounts_transfer(v_bank, v_a, public.resilience_amount(10, 80),
                                                              description => 'budget top-up ' || i);
                ELSE
                    PERFORM 1 FROM accounts.accounts_transfer(v_a, v_redemptions, public.resilience_amount(5, 60),
                        user_id => (ARRAY[42, 42, 42, 42, 42, 43, 99])[1 + floor(random() * 7)::int],
                        merchant_reference => 'PO-' || i);
                END IF;
            ELSIF v_r < 0.89 THEN
                v_op := 'create_card';
                v_amount := public.resilience_amount(10, 150);
                v_a := CASE WHEN random() < 0.75 THEN v_bank ELSE v_unpaid[1 + floor(random() * cardinality(v_unpaid))::int] END;
                v_r := random();
                PERFORM set_config('resilience.cards', '', true);   -- list the cards again
                PERFORM 1 FROM accounts.accounts_create_account(
                    generate_code => true, initial_amount => v_amount, source => v_a,
                    start_date => CASE WHEN v_r < 0.05 THEN now() + interval '30 days'
                                       WHEN v_r < 0.25 THEN now() - interval '20 days' END,
                    end_date => CASE WHEN v_r < 0.05 THEN now() + interval '400 days'
                                     WHEN v_r < 0.25 THEN now() - interval '1 hour'
                                     WHEN v_r < 0.85 THEN now() + interval '1 year' END,
                    primary_user_id => CASE WHEN v_r > 0.9 THEN 42 END,
                    description => 'card ' || i);
            ELSIF v_r < 0.93 THEN
                v_op := 'update';
                v_a := public.resilience_card();
                PERFORM 1 FROM accounts.accounts_update_account(v_a,
                    CASE WHEN random() < 0.5
                         THEN jsonb_build_object('description', 'updated at op ' || i)
                         ELSE jsonb_build_object('end_date', now() + interval '2 years',
                                                 'secondary_user_ids', jsonb_build_array(43, 44)) END);
            ELSIF v_r < 0.96 THEN
                v_op := 'sweep';
                PERFORM 1 FROM accounts.accounts_close_expired();
            ELSE
                v_op := 'close';
                PERFORM 1 FROM accounts.accounts_close(public.resilience_card());
            END IF;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE;
            IF NOT public.resilience_documented(v_state) THEN
                RAISE;
            END IF;
            INSERT INTO public.resilience_refusal VALUES (v_op, v_state, 1)
                ON CONFLICT ON CONSTRAINT resilience_refusal_pkey DO UPDATE SET n = resilience_refusal.n + 1;
            CONTINUE;
        END;
        INSERT INTO public.resilience_done VALUES (v_op, 1) ON CONFLICT (op) DO UPDATE SET n = resilience_done.n + 1;
    END LOOP;
END
$$;

-- The opening stock: 30 cards loaded from the Bank or an unpaid source, and 3 budgets with a
-- credit limit, a primary user and secondary users.
SELECT count(*) AS cards FROM generate_series(1, 30) g,
       LATERAL accounts.accounts_create_account(
           generate_code => true, initial_amount => 20 + g * 5,
           source => (SELECT account_id FROM accounts.system_account
                       WHERE role = CASE WHEN g % 4 = 0 THEN 'unpaid_source' ELSE 'bank' END ORDER BY account_id LIMIT 1),
           end_date => now() + interval '1 year', description => 'opening card ' || g);
SELECT count(*) AS budgets FROM generate_series(1, 3) g,
       LATERAL accounts.accounts_create_account(
           name => 'Budget ' || g, credit_limit => 150.00, primary_user_id => 42, secondary_user_ids => ARRAY[43, 44],
           initial_amount => 50.00, source => (SELECT account_id FROM accounts.system_account WHERE role = 'bank'));

SELECT setseed(:seed);
SELECT format('SELECT public.resilience_ops(%s, %s)', g, least(g + 49, :ops)) FROM generate_series(1, :ops, 50) g \gexec
-- A last sweep, so that expired cards have lapsed.
SELECT count(*) AS swept FROM accounts.accounts_close_expired();
