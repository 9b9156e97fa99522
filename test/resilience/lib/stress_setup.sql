-- The ledger and the harness of test/resilience/stress.sh.
--   psql -v cards=200 -v budgets=20 -v seconds=10 -f stress_setup.sql
--
-- public.stress(op, a, b, cents) performs one operation of the mix through the real
-- functions. A refusal with one of the extension's documented SQLSTATEs (those of
-- accounts_error_codes(), XX000 excepted) is expected and recorded in public.stress_refusal;
-- deadlocks (40P01) and serialization failures (40001) are recorded there too (the run fails
-- if there is any); any other error is raised again, which aborts the pgbench client (and so
-- fails the run). Broken promises the harness can see at once (an idempotent request answered
-- differently the second time) are recorded in public.stress_violation.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS oscar_accounts;
SELECT count(*) AS chart FROM accounts.accounts_init();

CREATE UNLOGGED TABLE public.stress_refusal (op text NOT NULL, sqlstate text NOT NULL, message text);
CREATE UNLOGGED TABLE public.stress_done (op text NOT NULL);
CREATE UNLOGGED TABLE public.stress_violation (op text NOT NULL, detail text NOT NULL);
CREATE TABLE public.stress_documented AS
    SELECT sqlstate FROM accounts.accounts_error_codes() WHERE sqlstate <> 'XX000';
CREATE TABLE public.stress_ids AS SELECT
    (SELECT account_id FROM accounts.system_account WHERE role = 'bank') AS bank,
    (SELECT account_id FROM accounts.system_account WHERE role = 'redemptions') AS redemptions;

-- Cards: loaded from the Bank, credit limit 0.00; one in twenty expires during the run (the
-- sweep then lapses and closes it), the others are valid for a year.
SELECT count(*) AS cards FROM generate_series(1, :cards) g,
       LATERAL accounts.accounts_create_account(
           name => 'Stress card ' || g, generate_code => true, initial_amount => 50 + (g % 10) * 50,
           source => (SELECT bank FROM public.stress_ids),
           end_date => CASE WHEN g % 20 = 0 THEN now() + (g % :seconds + 1) * interval '1 second'
                            ELSE now() + interval '1 year' END);
-- Budgets: a credit limit of 200.00 and a primary user (42); they start empty and are spent
-- down to the limit.
SELECT count(*) AS budgets FROM generate_series(1, :budgets) g,
       LATERAL accounts.accounts_create_account(name => 'Stress budget ' || g, credit_limit => 200.00, primary_user_id => 42);
-- Hot accounts: Redemptions (every redemption credits it) and one card in three, so pairs,
-- freezes, refunds and the sweep also meet cards whose credits wait in accounts.hot_credit.
SELECT count(*) AS hot_accounts FROM accounts.account a,
       LATERAL accounts.accounts_set_hot(a.id) h
 WHERE a.id = (SELECT redemptions FROM public.stress_ids)
    OR (a.name LIKE 'Stress card %' AND substr(a.name, 13)::int % 3 = 0);
CREATE TABLE public.stress_accounts AS SELECT
    (SELECT min(id) FROM accounts.account WHERE name LIKE 'Stress card %') AS first_card,
    (SELECT count(*) FROM accounts.account WHERE name LIKE 'Stress card %') AS cards,
    (SELECT min(id) FROM accounts.account WHERE name LIKE 'Stress budget %') AS first_budget,
    (SELECT count(*) FROM accounts.account WHERE name LIKE 'Stress budget %') AS budgets,
    (SELECT max(id) FROM accounts.transfer) AS last_transfer_before;

CREATE FUNCTION public.stress_money(cents bigint) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
    SELECT round(cents / 100.0, 2)
$$;

-- A recent transfer into Redemptions (a redemption), for refunds and reversals to fight over.
CREATE FUNCTION public.stress_recent_redemption() RETURNS bigint LANGUAGE sql VOLATILE AS $$
    SELECT id FROM accounts.transfer
     WHERE id > (SELECT last_value FROM accounts.transfer_id_seq) - 400
       AND destination_id = (SELECT redemptions FROM public.stress_ids) AND kind = 'transfer'
     ORDER BY random() LIMIT 1
$$;

CREATE FUNCTION public.stress(p_op text, p_a bigint, p_b bigint, p_cents bigint) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    v_ids public.stress_ids;
    v_first accounts.transfer;
    v_again accounts.transfer;
    v_first_ids bigint[];
    v_again_ids bigint[];
    v_t bigint;
    v_key text;
    v_k bigint;
    v_status text;
    v_state text;
    v_message text;
    v_account accounts.account;
BEGIN
    SELECT * INTO v_ids FROM public.stress_ids;
    BEGIN
        CASE p_op
        WHEN 'pair' THEN
            -- Two cards, either direction (pgbench draws them); now and then a top-up.
            IF random() < 0.15 THEN
                PERFORM 1 FROM accounts.accounts_transfer(v_ids.bank, p_a, public.stress_money(p_cents * 2),
                                                          description => 'stress:topup');
            ELSE
                PERFORM 1 FROM accounts.accounts_transfer(p_a, p_b, public.stress_money(p_cents), description => 'stress:pair');
            END IF;
        WHEN 'hot' THEN
            -- Everyone pays Redemptions: one card, or one order from two cards.
            IF p_b IS NULL THEN
                PERFORM 1 FROM accounts.accounts_transfer(p_a, v_ids.redemptions, public.stress_money(p_cents),
                                                          description => 'stress:hot');
            ELSE
                PERFORM 1 FROM accounts.accounts_redeem('stress-order-' || txid_current(), ARRAY[p_a, p_b],
                                                        ARRAY[public.stress_money(p_cents), public.stress_money(p_cents / 2 + 1)]);
            END IF;
        WHEN 'budget' THEN
            -- Budgets spent down to their credit limit by their user; sometimes refilled, sometimes
            -- someone else tries (42L02).
            IF random() < 0.15 THEN
                PERFORM 1 FROM accounts.accounts_transfer(v_ids.bank, p_a, public.stress_money(p_cents * 3),
                                                          description => 'stress:budget-topup');
            ELSE
                PERFORM 1 FROM accounts.accounts_transfer(p_a, v_ids.redemptions, public.stress_money(p_cents),
                                                          user_id => CASE WHEN random() < 0.95 THEN 42 ELSE 7 END,
                                                          description => 'stress:budget');
            END IF;
        WHEN 'limit' THEN
            -- A budget's credit limit changed while it is being spent (22023 below what it owes).
            PERFORM 1 FROM accounts.accounts_update_account(p_a,
                jsonb_build_object('credit_limit', public.stress_money(5000 + p_cents)));
        WHEN 'reverse' THEN
            v_t := CASE WHEN random() < 0.7 THEN public.stress_recent_redemption()
                        ELSE 1 + floor(random() * (SELECT last_value FROM accounts.transfer_id_seq))::bigint END;
            PERFORM 1 FROM accounts.accounts_reverse(v_t, description => 'stress:reverse');
        WHEN 'refund' THEN
            v_t := public.stress_recent_redemption();
            PERFORM 1 FROM accounts.accounts_refund(v_t, public.stress_money(p_cents), description => 'stress:refund');
        WHEN 'idem' THEN
            IF random() < 0.5 THEN
                -- The same request twice from one client (a web retry): one transfer.
                v_key := 'stress-own-' || txid_current();
                SELECT * INTO v_first FROM accounts.accounts_transfer(p_a, p_b, public.stress_money(p_cents),
                    description => 'stress:idem', merchant_reference => v_key, idempotency_key => v_key);
                SELECT * INTO v_again FROM accounts.accounts_transfer(p_a, p_b, public.stress_money(p_cents),
                    description => 'stress:idem', merchant_reference => v_key, idempotency_key => v_key);
                IF v_again.id IS DISTINCT FROM v_first.id OR v_again.reference IS DISTINCT FROM v_first.reference THEN
                    INSERT INTO public.stress_violation VALUES (p_op, format('key %s answered %s then %s', v_key, v_first.id, v_again.id));
                END IF;
            ELSE
                -- A key shared by all clients, always with the same request (derived from the
                -- key): concurrent senders must wait for each other and make one transfer.
                v_k := 1 + (p_cents % 3000);
                v_key := 'stress-shared-' || v_k;
                IF random() < 0.5 THEN
                    SELECT * INTO v_first FROM accounts.accounts_transfer(
                        (SELECT first_card FROM public.stress_accounts) + v_k % (SELECT cards FROM public.stress_accounts),
                        v_ids.redemptions, public.stress_money(100 + v_k % 900),
                        description => 'stress:idem-shared', merchant_reference => v_key, idempotency_key => v_key);
                ELSE
                    SELECT array_agg(id ORDER BY id) INTO v_first_ids FROM accounts.accounts_redeem(
                        v_key || '-redeem', ARRAY[(SELECT first_card FROM public.stress_accounts) + (v_k * 7) % (SELECT cards FROM public.stress_accounts)],
                        ARRAY[public.stress_money(50 + v_k % 500)], idempotency_key => v_key || '-redeem');
                    SELECT array_agg(id ORDER BY id) INTO v_again_ids FROM accounts.accounts_redeem(
                        v_key || '-redeem', ARRAY[(SELECT first_card FROM public.stress_accounts) + (v_k * 7) % (SELECT cards FROM public.stress_accounts)],
                        ARRAY[public.stress_money(50 + v_k % 500)], idempotency_key => v_key || '-redeem');
                    IF v_again_ids IS DISTINCT FROM v_first_ids THEN
                        INSERT INTO public.stress_violation VALUES (p_op, format('key %s-redeem answered %s then %s', v_key, v_first_ids, v_again_ids));
                    END IF;
                END IF;
            END IF;
        WHEN 'freeze' THEN
            -- Freeze or thaw a card while others pay with it (55L12 when another client got there first).
            SELECT status INTO v_status FROM accounts.account WHERE id = p_a;
            IF v_status = 'Frozen' THEN
                PERFORM 1 FROM accounts.accounts_thaw(p_a);
            ELSIF random() < 0.1 THEN   -- about one card in ten frozen at any time
                PERFORM 1 FROM accounts.accounts_freeze(p_a);
            END IF;
        WHEN 'lookup' THEN
            IF random() < 0.1 THEN
                PERFORM 1 FROM accounts.accounts_lookup_code('NOSUCHCODE' || p_cents, ('192.0.2.' || (p_cents % 8))::inet);
            ELSE
                SELECT * INTO v_account FROM accounts.accounts_lookup_code(
                    lower((SELECT code FROM accounts.account WHERE id = p_a)), ('198.51.100.' || (p_cents % 200))::inet);
                IF v_account.id IS DISTINCT FROM p_a THEN
                    INSERT INTO public.stress_violation VALUES (p_op, format('code of #%s found #%s', p_a, v_account.id));
                END IF;
            END IF;
        WHEN 'sweep' THEN
            PERFORM 1 FROM accounts.accounts_close_expired(description => 'stress:sweep');
        WHEN 'fold' THEN
            PERFORM 1 FROM accounts.accounts_fold_hot_credits();
        ELSE
            RAISE EXCEPTION 'unknown stress operation %', p_op;
        END CASE;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
        IF v_state NOT IN ('40P01', '40001') AND v_state NOT IN (SELECT d.sqlstate FROM public.stress_documented d) THEN
            RAISE;
        END IF;
        INSERT INTO public.stress_refusal VALUES (p_op, v_state, left(v_message, 200));
        RETURN;
    END;
    INSERT INTO public.stress_done VALUES (p_op);
END
$$;
ANALYZE;
