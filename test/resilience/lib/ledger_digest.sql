-- One line per part of the ledger: "<part> <rows> <md5 of the rows in a fixed order>".
-- Run in two databases and compare the outputs (dump_restore.sh). Text forms depend on the
-- session's TimeZone and DateStyle, so both runs must use the same settings (they do: same
-- client environment, same server).
\set ON_ERROR_STOP 1
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
SET extra_float_digits = 3;
WITH parts (part, n, digest) AS (
    SELECT 'balances per account', count(*), md5(string_agg(concat_ws('|', id, balance, status, credit_limit, currency), E'\n' ORDER BY id))
      FROM accounts.account
    UNION ALL
    SELECT 'accounts (every column)', count(*), md5(string_agg(a::text, E'\n' ORDER BY a.id)) FROM accounts.account a
    UNION ALL
    SELECT 'transfer references', count(*), md5(string_agg(concat_ws('|', id, reference), E'\n' ORDER BY id))
      FROM accounts.transfer
    UNION ALL
    SELECT 'transfers (every column)', count(*), md5(string_agg(t::text, E'\n' ORDER BY t.id)) FROM accounts.transfer t
    UNION ALL
    SELECT 'postings (every column)', count(*), md5(string_agg(p::text, E'\n' ORDER BY p.id)) FROM accounts.posting p
    UNION ALL
    SELECT 'pending credits of hot accounts', count(*), md5(string_agg(h::text, E'\n' ORDER BY h.transfer_id))
      FROM accounts.hot_credit h
    UNION ALL
    SELECT 'exact balances', count(*), md5(string_agg(concat_ws('|', b.account_id, b.balance), E'\n' ORDER BY b.account_id))
      FROM accounts.account_balance b
    UNION ALL
    SELECT 'refund totals', count(*), md5(string_agg(r::text, E'\n' ORDER BY r.transfer_id)) FROM accounts.transfer_return r
    UNION ALL
    SELECT 'account types', count(*), md5(string_agg(t::text, E'\n' ORDER BY t.id)) FROM accounts.account_type t
    UNION ALL
    SELECT 'secondary users', count(*), md5(string_agg(s::text, E'\n' ORDER BY s.account_id, s.user_id))
      FROM accounts.account_secondary_user s
    UNION ALL
    SELECT 'system accounts', count(*), md5(string_agg(s::text, E'\n' ORDER BY s.role, s.account_id)) FROM accounts.system_account s
    UNION ALL
    SELECT 'system account types', count(*), md5(string_agg(s::text, E'\n' ORDER BY s.role, s.account_type_id))
      FROM accounts.system_account_type s
    UNION ALL
    SELECT 'idempotency keys', count(*), md5(string_agg(k::text, E'\n' ORDER BY k.key)) FROM accounts.idempotent_request k
    UNION ALL
    SELECT 'look-up counters', count(*), md5(string_agg(r::text, E'\n' ORDER BY r.ip_address)) FROM accounts.ip_address_record r
    UNION ALL
    SELECT 'sequence ' || s.sequencename, 1, md5(concat_ws('|', s.last_value, s.increment_by))
      FROM pg_sequences s WHERE s.schemaname = 'accounts'
    UNION ALL
    SELECT 'triggers (name, enabled)', count(*), md5(string_agg(tgrelid::regclass || '.' || tgname || '=' || tgenabled::text, E'\n'
                                                              ORDER BY tgrelid::regclass::text, tgname))
      FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'accounts'::regnamespace)
    UNION ALL
    SELECT 'function privileges', count(*), md5(string_agg(p.oid::regprocedure || '=' || coalesce(p.proacl::text, 'default'), E'\n'
                                                         ORDER BY p.oid::regprocedure::text))
      FROM pg_proc p WHERE p.pronamespace = 'accounts'::regnamespace
    UNION ALL
    SELECT 'table privileges', count(*), md5(string_agg(c.relname || '=' || coalesce(c.relacl::text, 'default'), E'\n' ORDER BY c.relname))
      FROM pg_class c WHERE c.relnamespace = 'accounts'::regnamespace AND c.relkind IN ('r', 'S', 'v')
    UNION ALL
    SELECT 'extension version', 1, md5(extversion) FROM pg_extension WHERE extname = 'oscar_accounts'
    UNION ALL
    SELECT 'trial balance at the last transfer', count(*), md5(string_agg(tb::text, E'\n' ORDER BY tb::text))
      FROM accounts.accounts_trial_balance((SELECT max(date_created) FROM accounts.transfer)) tb
    UNION ALL
    SELECT 'test keys (public.resilience_key)', count(*), md5(string_agg(k::text, E'\n' ORDER BY k.key)) FROM public.resilience_key k
)
SELECT format('%-40s %8s %s', part, n, coalesce(digest, '-')) FROM parts ORDER BY part;
