-- Function signatures, SECURITY DEFINER with pinned search_path, and privileges: PUBLIC can
-- do nothing, an application role granted per README's recipe can move money but cannot
-- write a ledger row directly, a reporting role can only read.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS oscar_accounts;
SELECT plan(36);

SELECT has_function('accounts', 'accounts_transfer',
                    ARRAY['bigint', 'bigint', 'numeric', 'bigint', 'bigint', 'text', 'text', 'text']);
SELECT function_returns('accounts', 'accounts_transfer',
                        ARRAY['bigint', 'bigint', 'numeric', 'bigint', 'bigint', 'text', 'text', 'text'], 'accounts.transfer');
SELECT has_function('accounts', 'accounts_reverse', ARRAY['bigint', 'bigint', 'text', 'text', 'text']);
SELECT function_returns('accounts', 'accounts_reverse', ARRAY['bigint', 'bigint', 'text', 'text', 'text'], 'accounts.transfer');
SELECT has_function('accounts', 'accounts_init', ARRAY['text', 'text', 'text', 'text[]', 'text[]']);
SELECT has_function('accounts', 'accounts_close_expired', ARRAY['text']);
SELECT has_function('accounts', 'accounts_verify', ARRAY[]::text[]);
SELECT has_function('accounts', 'accounts_error_codes', ARRAY[]::text[]);
SELECT function_lang_is('accounts', 'accounts_transfer',
                        ARRAY['bigint', 'bigint', 'numeric', 'bigint', 'bigint', 'text', 'text', 'text'], 'c');
SELECT function_lang_is('accounts', 'accounts_reverse', ARRAY['bigint', 'bigint', 'text', 'text', 'text'], 'c');
SELECT volatility_is('accounts', 'accounts_transfer',
                     ARRAY['bigint', 'bigint', 'numeric', 'bigint', 'bigint', 'text', 'text', 'text'], 'volatile');
SELECT volatility_is('accounts', 'accounts_verify', ARRAY[]::text[], 'stable');

SELECT is_definer('accounts', 'accounts_transfer',
                  ARRAY['bigint', 'bigint', 'numeric', 'bigint', 'bigint', 'text', 'text', 'text']);
SELECT is_definer('accounts', 'accounts_reverse', ARRAY['bigint', 'bigint', 'text', 'text', 'text']);
SELECT is_definer('accounts', 'accounts_init', ARRAY['text', 'text', 'text', 'text[]', 'text[]']);
SELECT is_definer('accounts', 'accounts_close_expired', ARRAY['text']);
SELECT is((SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'accounts'::regnamespace
             AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false)),
          0, 'every function pins search_path to pg_catalog, pg_temp');

-- PUBLIC gets nothing on the ledger.
SELECT is((SELECT count(*)::int FROM information_schema.role_table_grants
            WHERE table_schema = 'accounts' AND grantee = 'PUBLIC'), 0, 'no table privilege for PUBLIC');
SELECT schema_privs_are('accounts', 'public', ARRAY[]::text[], 'no USAGE on schema accounts for PUBLIC');
SELECT function_privs_are('accounts', 'accounts_transfer',
    ARRAY['bigint', 'bigint', 'numeric', 'bigint', 'bigint', 'text', 'text', 'text'], 'public', ARRAY[]::text[]);
SELECT function_privs_are('accounts', 'accounts_reverse', ARRAY['bigint', 'bigint', 'text', 'text', 'text'],
                          'public', ARRAY[]::text[]);
SELECT function_privs_are('accounts', 'accounts_init', ARRAY['text', 'text', 'text', 'text[]', 'text[]'],
                          'public', ARRAY[]::text[]);
SELECT function_privs_are('accounts', 'accounts_close_expired', ARRAY['text'], 'public', ARRAY[]::text[]);

-- The README's role recipe.
CREATE ROLE tap_shop_app NOLOGIN;
CREATE ROLE tap_reporting NOLOGIN;
CREATE ROLE tap_nobody NOLOGIN;
GRANT USAGE ON SCHEMA accounts TO tap_shop_app, tap_reporting;
GRANT SELECT ON ALL TABLES IN SCHEMA accounts TO tap_shop_app, tap_reporting;
GRANT EXECUTE ON FUNCTION accounts.accounts_transfer(bigint, bigint, numeric, bigint, bigint, text, text, text),
                          accounts.accounts_reverse(bigint, bigint, text, text, text),
                          accounts.accounts_close_expired(text)
   TO tap_shop_app;
GRANT USAGE ON SCHEMA accounts TO tap_nobody;
SELECT count(*) FROM accounts.accounts_init();
INSERT INTO accounts.account (code, account_type_id)
SELECT 'TAPCARD', account_type_id FROM accounts.system_account_type WHERE role = 'deferred_income_type';
CREATE TEMP TABLE ids AS
SELECT (SELECT account_id FROM accounts.system_account WHERE role = 'bank') AS bank,
       (SELECT account_id FROM accounts.system_account WHERE role = 'redemptions') AS redemptions,
       (SELECT id FROM accounts.account WHERE code = 'TAPCARD') AS card;
GRANT SELECT ON ids TO tap_shop_app, tap_reporting, tap_nobody;

SET ROLE tap_shop_app;
SELECT lives_ok($$SELECT accounts.accounts_transfer(bank, card, 50) FROM ids$$, 'the application role can load a card');
SELECT lives_ok($$SELECT accounts.accounts_transfer(card, redemptions, 20) FROM ids$$, 'and spend from it');
SELECT lives_ok($$SELECT accounts.accounts_reverse(max(id)) FROM accounts.transfer$$, 'and reverse a transfer');
SELECT throws_ok($$UPDATE accounts.account SET balance = 1000000$$, '42501', NULL,
                 'the application role cannot write balances directly');
SELECT throws_ok($$INSERT INTO accounts.posting (transfer_id, account_id, amount) VALUES (1, 1, 1)$$, '42501', NULL,
                 'nor insert postings');
SELECT throws_ok($$DELETE FROM accounts.transfer$$, '42501', NULL, 'nor delete transfers');
SELECT throws_ok($$SELECT accounts.accounts_init()$$, '42501', NULL, 'nor change the chart of accounts');
SELECT is((SELECT balance FROM accounts.account WHERE code = 'TAPCARD'), 50.00, 'balance after load, spend, reverse');
RESET ROLE;

SET ROLE tap_reporting;
SELECT is((SELECT count(*)::int FROM accounts.accounts_verify()), 0, 'the reporting role can audit the ledger');
SELECT throws_ok($$SELECT accounts.accounts_transfer(bank, card, 1) FROM ids$$, '42501', NULL,
                 'the reporting role cannot move money');
RESET ROLE;

SET ROLE tap_nobody;
SELECT throws_ok($$SELECT count(*) FROM accounts.account$$, '42501', NULL, 'an ungranted role cannot read accounts');
SELECT throws_ok($$SELECT accounts.accounts_transfer(bank, card, 1) FROM ids$$, '42501', NULL,
                 'nor move money');
RESET ROLE;

-- A caller's own objects on its search_path cannot hijack the SECURITY DEFINER functions.
CREATE SCHEMA tap_evil;
CREATE FUNCTION tap_evil.upper(text) RETURNS text LANGUAGE sql AS $$ SELECT 'HIJACKED' $$;
CREATE TABLE tap_evil.account (id bigint);
SET search_path = tap_evil, public;
SELECT lives_ok($$SELECT accounts.accounts_transfer((SELECT bank FROM ids), (SELECT card FROM ids), 1)$$,
                'transfer works with a hostile search_path');
RESET search_path;

SELECT * FROM finish();
ROLLBACK;
