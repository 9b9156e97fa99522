-- Schema contract: tables, columns, named constraints and indexes, triggers, pg_dump registration.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS oscar_accounts;
SELECT plan(46);

SELECT has_schema('accounts');
SELECT is((SELECT e.extname::text FROM pg_namespace n JOIN pg_depend d ON d.objid = n.oid AND d.deptype = 'e'
             JOIN pg_extension e ON e.oid = d.refobjid WHERE n.nspname = 'accounts'),
          'oscar_accounts', 'schema accounts belongs to the extension');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'oscar_accounts'), false, 'not relocatable');

SELECT tables_are('accounts', ARRAY['account_type', 'account', 'account_secondary_user', 'transfer', 'posting',
                                    'transfer_return', 'system_account', 'system_account_type',
                                    'idempotent_request', 'ip_address_record', 'hot_credit']);
SELECT sequences_are('accounts', ARRAY['account_type_id_seq', 'account_id_seq', 'transfer_id_seq', 'posting_id_seq']);

SELECT columns_are('accounts', 'account', ARRAY['id', 'name', 'description', 'account_type_id', 'code',
    'primary_user_id', 'status', 'credit_limit', 'balance', 'start_date', 'end_date', 'product_range_id',
    'can_be_used_for_non_products', 'currency', 'date_created', 'hot']);
SELECT columns_are('accounts', 'transfer', ARRAY['id', 'reference', 'source_id', 'destination_id', 'amount',
    'parent_id', 'kind', 'merchant_reference', 'description', 'user_id', 'username', 'date_created']);
SELECT columns_are('accounts', 'posting', ARRAY['id', 'transfer_id', 'account_id', 'amount', 'date_created']);
SELECT columns_are('accounts', 'account_type', ARRAY['id', 'parent_id', 'name', 'code']);
SELECT columns_are('accounts', 'account_secondary_user', ARRAY['account_id', 'user_id']);

-- Money is exact: numeric(18,2) everywhere, never float.
SELECT col_type_is('accounts', 'account', 'balance', 'numeric(18,2)', 'col type is: accounts.account.balance.numeric(18,2)');
SELECT col_type_is('accounts', 'account', 'credit_limit', 'numeric(18,2)', 'col type is: accounts.account.credit_limit.numeric(18,2)');
SELECT col_type_is('accounts', 'transfer', 'amount', 'numeric(18,2)', 'col type is: accounts.transfer.amount.numeric(18,2)');
SELECT col_type_is('accounts', 'posting', 'amount', 'numeric(18,2)', 'col type is: accounts.posting.amount.numeric(18,2)');
SELECT col_type_is('accounts', 'hot_credit', 'amount', 'numeric(18,2)', 'col type is: accounts.hot_credit.amount.numeric(18,2)');
SELECT col_type_is('accounts', 'transfer_return', 'returned', 'numeric(18,2)', 'col type is: accounts.transfer_return.returned.numeric(18,2)');
SELECT is((SELECT count(*)::int FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'accounts' AND a.atttypid IN ('real'::regtype, 'double precision'::regtype, 'money'::regtype)
             AND a.attnum > 0),
          0, 'no floating-point or money columns');
SELECT col_type_is('accounts', 'account', 'start_date', 'timestamp with time zone', 'col type is: accounts.account.start_date.timestamp with time zone');
SELECT col_type_is('accounts', 'account', 'end_date', 'timestamp with time zone', 'col type is: accounts.account.end_date.timestamp with time zone');
SELECT col_type_is('accounts', 'account', 'primary_user_id', 'bigint', 'col type is: accounts.account.primary_user_id.bigint');
SELECT col_type_is('accounts', 'account', 'product_range_id', 'bigint', 'col type is: accounts.account.product_range_id.bigint');

SELECT col_is_pk('accounts', 'account', 'id', 'col is pk: accounts.account.id');
SELECT col_is_pk('accounts', 'transfer', 'id', 'col is pk: accounts.transfer.id');
SELECT col_is_pk('accounts', 'posting', 'id', 'col is pk: accounts.posting.id');
SELECT col_not_null('accounts', 'account', 'balance', 'col not null: accounts.account.balance');
SELECT col_not_null('accounts', 'transfer', 'reference', 'col not null: accounts.transfer.reference');
SELECT col_is_null('accounts', 'account', 'credit_limit', 'col is null: accounts.account.credit_limit');
SELECT col_default_is('accounts', 'account', 'status', 'Open', 'col default is: accounts.account.status.Open');
SELECT col_default_is('accounts', 'account', 'credit_limit', 0.00, 'col default is: accounts.account.credit_limit.0.00');
SELECT col_default_is('accounts', 'account', 'can_be_used_for_non_products', true, 'col default is: accounts.account.can_be_used_for_non_products.true');
SELECT fk_ok('accounts', 'posting', 'transfer_id', 'accounts', 'transfer', 'id');
SELECT fk_ok('accounts', 'posting', 'account_id', 'accounts', 'account', 'id');
SELECT fk_ok('accounts', 'transfer', 'parent_id', 'accounts', 'transfer', 'id');

-- Every constraint is named, and the names are part of the contract (they appear in errors).
SELECT set_eq($$SELECT conname::text FROM pg_constraint WHERE connamespace = 'accounts'::regnamespace AND contype <> 't'$$,
    ARRAY['account_type_pkey', 'account_type_parent_id_fkey', 'account_type_name_check', 'account_type_code_key',
          'account_type_code_check', 'account_type_parent_id_name_key', 'account_type_parent_id_check',
          'account_pkey', 'account_name_key', 'account_name_check', 'account_account_type_id_fkey', 'account_code_key',
          'account_code_check', 'account_status_check', 'account_credit_limit_check', 'account_currency_check',
          'account_balance_credit_limit_check', 'account_end_date_check',
          'account_secondary_user_account_id_fkey', 'account_secondary_user_pkey',
          'transfer_pkey', 'transfer_reference_key', 'transfer_reference_check', 'transfer_source_id_fkey',
          'transfer_destination_id_fkey', 'transfer_amount_check', 'transfer_parent_id_fkey', 'transfer_kind_check',
          'transfer_merchant_reference_check', 'transfer_description_check', 'transfer_username_check',
          'transfer_source_id_destination_id_check', 'transfer_parent_id_kind_check',
          'posting_pkey', 'posting_transfer_id_fkey', 'posting_account_id_fkey', 'posting_amount_check',
          'posting_transfer_id_account_id_key',
          'transfer_return_pkey', 'transfer_return_transfer_id_fkey', 'transfer_return_returned_check',
          'transfer_return_reversal_id_key', 'transfer_return_reversal_id_fkey',
          'system_account_role_check', 'system_account_account_id_fkey', 'system_account_pkey',
          'system_account_account_id_key', 'system_account_type_account_type_id_key',
          'system_account_type_role_check', 'system_account_type_account_type_id_fkey', 'system_account_type_pkey',
          'idempotent_request_pkey', 'idempotent_request_key_check', 'idempotent_request_operation_check',
          'ip_address_record_pkey', 'ip_address_record_total_failures_check',
          'ip_address_record_consecutive_failures_check',
          'hot_credit_pkey', 'hot_credit_transfer_id_fkey', 'hot_credit_amount_check'],
    'constraint names');
SELECT has_index('accounts', 'transfer', 'transfer_parent_id_reversal_key', 'one reversal per transfer');
SELECT index_is_unique('accounts', 'transfer', 'transfer_parent_id_reversal_key');
SELECT has_index('accounts', 'posting', 'posting_account_id_date_created_idx', ARRAY['account_id', 'date_created']);

-- Triggers: append-only ledger, guarded balances, balanced legs checked at commit.
SELECT triggers_are('accounts', 'transfer', ARRAY['transfer_insert_guard', 'transfer_append_only', 'transfer_no_truncate',
                                                  'transfer_balanced']);
SELECT triggers_are('accounts', 'posting', ARRAY['posting_insert_guard', 'posting_append_only', 'posting_no_truncate']);
SELECT triggers_are('accounts', 'account', ARRAY['account_opening_balance_guard', 'account_balance_guard',
                                                 'account_closed_guard', 'account_currency_guard',
                                                 'account_code_upper_case']);
SELECT triggers_are('accounts', 'transfer_return', ARRAY['transfer_return_guard', 'transfer_return_no_truncate']);
SELECT triggers_are('accounts', 'hot_credit', ARRAY['hot_credit_guard', 'hot_credit_append_only', 'hot_credit_no_truncate']);
SELECT results_eq($$SELECT tgname::text COLLATE "default", tgdeferrable, tginitdeferred FROM pg_trigger
                     WHERE tgname = 'transfer_balanced'$$,
                  $$VALUES ('transfer_balanced', true, true)$$,
                  'the leg check is a deferred constraint trigger');

-- pg_dump keeps every table and sequence.
SELECT set_eq($$SELECT unnest(extconfig)::regclass::text FROM pg_extension WHERE extname = 'oscar_accounts'$$,
    ARRAY['accounts.account_type', 'accounts.account_type_id_seq', 'accounts.account', 'accounts.account_id_seq',
          'accounts.account_secondary_user', 'accounts.transfer', 'accounts.transfer_id_seq', 'accounts.posting',
          'accounts.posting_id_seq', 'accounts.transfer_return', 'accounts.system_account',
          'accounts.system_account_type', 'accounts.idempotent_request', 'accounts.ip_address_record',
          'accounts.hot_credit'],
    'every table and sequence is registered with pg_extension_config_dump');

-- Error codes: one per condition, all five characters.
SELECT is((SELECT count(DISTINCT sqlstate)::int FROM accounts.accounts_error_codes()),
          (SELECT count(*)::int FROM accounts.accounts_error_codes()), 'SQLSTATEs are unique');
SELECT is((SELECT count(*)::int FROM accounts.accounts_error_codes() WHERE sqlstate !~ '^[0-9A-Z]{5}$'), 0,
          'SQLSTATEs are well-formed');

SELECT * FROM finish();
ROLLBACK;
