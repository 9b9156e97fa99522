\echo Use "CREATE EXTENSION oscar_accounts" to load this file. \quit

-- oscar_accounts 0.1.0: the double-entry ledger of django-oscar-accounts inside PostgreSQL.
--
-- The extension creates, and therefore owns, schema "accounts". There is no IF NOT EXISTS:
-- if the schema already exists CREATE EXTENSION fails, so nobody can have planted objects
-- in it beforehand.
CREATE SCHEMA accounts;
COMMENT ON SCHEMA accounts IS 'oscar_accounts: double-entry ledger (accounts, transfers, postings)';

------------------------------------------------------------------------------------------
-- Helpers implemented in C++ (src/pg/). Internal ones start with an underscore.
------------------------------------------------------------------------------------------

CREATE FUNCTION accounts._default_currency() RETURNS text
    AS 'MODULE_PATHNAME', 'accounts_default_currency'
    LANGUAGE C STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts._default_currency() IS
    'value of the setting oscar_accounts.default_currency (GBP unless set), the default of account.currency';

CREATE FUNCTION accounts._raise(condition text, message text, detail text DEFAULT NULL) RETURNS void
    AS 'MODULE_PATHNAME', 'accounts_raise'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts._raise(text, text, text) IS
    'raises an error by condition name through the extension''s one SQLSTATE table';

CREATE FUNCTION accounts.accounts_error_codes()
    RETURNS TABLE (sqlstate text, name text, description text)
    AS 'MODULE_PATHNAME', 'accounts_error_codes'
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts.accounts_error_codes() IS
    'every SQLSTATE the extension raises, with its condition name and meaning';

CREATE FUNCTION accounts._refuse_write() RETURNS trigger
    AS 'MODULE_PATHNAME', 'accounts_refuse_write'
    LANGUAGE C
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts._refuse_write() IS
    'trigger: refuses a write with the named condition, unless the extension itself is writing';

-- SECURITY DEFINER: it fires at commit as whoever committed, and must read the ledger
-- even when that role has no SELECT privilege on it.
CREATE FUNCTION accounts._check_transfer_legs() RETURNS trigger
    AS 'MODULE_PATHNAME', 'accounts_check_transfer_legs'
    LANGUAGE C SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts._check_transfer_legs() IS
    'deferred constraint trigger: a transfer must have exactly two postings, -amount on its source and +amount on its destination';

CREATE FUNCTION accounts._upper_case_code() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.code := pg_catalog.upper(NEW.code);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION accounts._upper_case_code() IS
    'trigger: stores account codes upper-case, as the reference package does on every save';

------------------------------------------------------------------------------------------
-- Tables. Money is numeric(18,2): exact, two decimals, |value| < 10^16.
------------------------------------------------------------------------------------------

CREATE TABLE accounts.account_type (
    id        bigserial CONSTRAINT account_type_pkey PRIMARY KEY,
    parent_id bigint CONSTRAINT account_type_parent_id_fkey REFERENCES accounts.account_type (id),
    name      text NOT NULL CONSTRAINT account_type_name_check CHECK (length(name) BETWEEN 1 AND 128),
    code      text CONSTRAINT account_type_code_key UNIQUE
                   CONSTRAINT account_type_code_check CHECK (length(code) BETWEEN 1 AND 128),
    -- Sibling names are unique, roots included (NULLS NOT DISTINCT).
    CONSTRAINT account_type_parent_id_name_key UNIQUE NULLS NOT DISTINCT (parent_id, name),
    CONSTRAINT account_type_parent_id_check CHECK (parent_id <> id)
);
COMMENT ON TABLE accounts.account_type IS 'tree of account types (Assets / Sales, Liabilities / Deferred income, ...)';

CREATE TABLE accounts.account (
    id                           bigserial CONSTRAINT account_pkey PRIMARY KEY,
    name                         text CONSTRAINT account_name_key UNIQUE
                                      CONSTRAINT account_name_check CHECK (length(name) BETWEEN 1 AND 128),
    description                  text,
    account_type_id              bigint CONSTRAINT account_account_type_id_fkey REFERENCES accounts.account_type (id),
    code                         text CONSTRAINT account_code_key UNIQUE
                                      CONSTRAINT account_code_check CHECK (code = upper(code) AND length(code) BETWEEN 1 AND 128),
    primary_user_id              bigint,
    status                       text NOT NULL DEFAULT 'Open'
                                      CONSTRAINT account_status_check CHECK (status IN ('Open', 'Frozen', 'Closed')),
    credit_limit                 numeric(18,2) DEFAULT 0.00
                                      CONSTRAINT account_credit_limit_check CHECK (credit_limit >= 0),
    balance                      numeric(18,2) NOT NULL DEFAULT 0.00,
    start_date                   timestamptz,
    end_date                     timestamptz,
    product_range_id             bigint,
    can_be_used_for_non_products boolean NOT NULL DEFAULT true,
    currency                     text NOT NULL DEFAULT accounts._default_currency()
                                      CONSTRAINT account_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    date_created                 timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT account_balance_credit_limit_check CHECK (credit_limit IS NULL OR balance >= -credit_limit),
    CONSTRAINT account_end_date_check CHECK (end_date >= start_date)
);
COMMENT ON TABLE accounts.account IS 'accounts; balance is kept equal to the sum of the account''s postings';
COMMENT ON COLUMN accounts.account.credit_limit IS 'how far below zero the balance may go; NULL means unlimited';
COMMENT ON COLUMN accounts.account.balance IS 'changed only by transfers; equal to the sum of the account''s postings';

CREATE TABLE accounts.account_secondary_user (
    account_id bigint NOT NULL CONSTRAINT account_secondary_user_account_id_fkey
                                   REFERENCES accounts.account (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL,
    CONSTRAINT account_secondary_user_pkey PRIMARY KEY (account_id, user_id)
);
COMMENT ON TABLE accounts.account_secondary_user IS 'users other than the primary user who may spend from an account';

CREATE TABLE accounts.transfer (
    id                 bigserial CONSTRAINT transfer_pkey PRIMARY KEY,
    reference          text NOT NULL CONSTRAINT transfer_reference_key UNIQUE
                            CONSTRAINT transfer_reference_check CHECK (reference ~ '^[0-9A-F]{32}$'),
    source_id          bigint NOT NULL CONSTRAINT transfer_source_id_fkey REFERENCES accounts.account (id),
    destination_id     bigint NOT NULL CONSTRAINT transfer_destination_id_fkey REFERENCES accounts.account (id),
    amount             numeric(18,2) NOT NULL CONSTRAINT transfer_amount_check CHECK (amount > 0),
    parent_id          bigint CONSTRAINT transfer_parent_id_fkey REFERENCES accounts.transfer (id),
    kind               text NOT NULL DEFAULT 'transfer'
                            CONSTRAINT transfer_kind_check CHECK (kind IN ('transfer', 'refund', 'reversal')),
    merchant_reference text CONSTRAINT transfer_merchant_reference_check CHECK (length(merchant_reference) <= 128),
    description        text CONSTRAINT transfer_description_check CHECK (length(description) <= 256),
    user_id            bigint,
    username           text NOT NULL DEFAULT '' CONSTRAINT transfer_username_check CHECK (length(username) <= 150),
    date_created       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT transfer_source_id_destination_id_check CHECK (source_id <> destination_id),
    CONSTRAINT transfer_parent_id_kind_check CHECK ((parent_id IS NULL) = (kind = 'transfer'))
);
COMMENT ON TABLE accounts.transfer IS 'one movement of money between two accounts; append-only';
COMMENT ON COLUMN accounts.transfer.reference IS '32 upper-case hex characters from 128 random bits';
COMMENT ON COLUMN accounts.transfer.parent_id IS 'the transfer this one refunds or reverses';
-- A transfer is reversed at most once, whatever the functions do.
CREATE UNIQUE INDEX transfer_parent_id_reversal_key ON accounts.transfer (parent_id) WHERE kind = 'reversal';
CREATE INDEX transfer_parent_id_idx ON accounts.transfer (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE accounts.posting (
    id           bigserial CONSTRAINT posting_pkey PRIMARY KEY,
    transfer_id  bigint NOT NULL CONSTRAINT posting_transfer_id_fkey REFERENCES accounts.transfer (id),
    account_id   bigint NOT NULL CONSTRAINT posting_account_id_fkey REFERENCES accounts.account (id),
    amount       numeric(18,2) NOT NULL CONSTRAINT posting_amount_check CHECK (amount <> 0),
    date_created timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT posting_transfer_id_account_id_key UNIQUE (transfer_id, account_id)
);
COMMENT ON TABLE accounts.posting IS 'one leg of a transfer: -amount on the source, +amount on the destination; append-only';
CREATE INDEX posting_account_id_date_created_idx ON accounts.posting (account_id, date_created);

CREATE TABLE accounts.transfer_return (
    transfer_id bigint CONSTRAINT transfer_return_pkey PRIMARY KEY
                       CONSTRAINT transfer_return_transfer_id_fkey REFERENCES accounts.transfer (id),
    returned    numeric(18,2) NOT NULL DEFAULT 0
                       CONSTRAINT transfer_return_returned_check CHECK (returned >= 0),
    reversal_id bigint CONSTRAINT transfer_return_reversal_id_key UNIQUE
                       CONSTRAINT transfer_return_reversal_id_fkey REFERENCES accounts.transfer (id)
);
COMMENT ON TABLE accounts.transfer_return IS
    'how much of a transfer refunds and its reversal have given back; its row lock serialises them';

CREATE TABLE accounts.system_account (
    role       text NOT NULL CONSTRAINT system_account_role_check
                   CHECK (role IN ('redemptions', 'lapsed', 'bank', 'unpaid_source')),
    account_id bigint NOT NULL CONSTRAINT system_account_account_id_fkey REFERENCES accounts.account (id),
    CONSTRAINT system_account_pkey PRIMARY KEY (role, account_id)
);
COMMENT ON TABLE accounts.system_account IS 'which accounts play the system roles, recorded by accounts_init()';
CREATE UNIQUE INDEX system_account_role_key ON accounts.system_account (role) WHERE role <> 'unpaid_source';

CREATE TABLE accounts.system_account_type (
    role            text NOT NULL CONSTRAINT system_account_type_role_check
                        CHECK (role IN ('assets', 'sales', 'cash', 'unpaid_accounts', 'liabilities',
                                        'deferred_income', 'deferred_income_type')),
    account_type_id bigint NOT NULL CONSTRAINT system_account_type_account_type_id_fkey
                        REFERENCES accounts.account_type (id),
    CONSTRAINT system_account_type_pkey PRIMARY KEY (role, account_type_id)
);
COMMENT ON TABLE accounts.system_account_type IS 'which account types play the system roles, recorded by accounts_init()';
CREATE UNIQUE INDEX system_account_type_role_key ON accounts.system_account_type (role)
    WHERE role <> 'deferred_income_type';

------------------------------------------------------------------------------------------
-- The tables keep the books, not only the functions.
------------------------------------------------------------------------------------------

CREATE TRIGGER transfer_append_only BEFORE UPDATE OR DELETE ON accounts.transfer
    FOR EACH ROW EXECUTE FUNCTION accounts._refuse_write('ledger_append_only', 'transfers are append-only');
CREATE TRIGGER transfer_no_truncate BEFORE TRUNCATE ON accounts.transfer
    FOR EACH STATEMENT EXECUTE FUNCTION accounts._refuse_write('ledger_append_only', 'transfers are append-only');
CREATE TRIGGER posting_append_only BEFORE UPDATE OR DELETE ON accounts.posting
    FOR EACH ROW EXECUTE FUNCTION accounts._refuse_write('ledger_append_only', 'postings are append-only');
CREATE TRIGGER posting_no_truncate BEFORE TRUNCATE ON accounts.posting
    FOR EACH STATEMENT EXECUTE FUNCTION accounts._refuse_write('ledger_append_only', 'postings are append-only');
CREATE TRIGGER transfer_return_guard BEFORE INSERT OR UPDATE OR DELETE ON accounts.transfer_return
    FOR EACH ROW EXECUTE FUNCTION accounts._refuse_write('ledger_append_only',
        'refund totals change only through accounts_transfer() and accounts_reverse()', 'unless_ledger_write');
CREATE TRIGGER transfer_return_no_truncate BEFORE TRUNCATE ON accounts.transfer_return
    FOR EACH STATEMENT EXECUTE FUNCTION accounts._refuse_write('ledger_append_only',
        'refund totals change only through accounts_transfer() and accounts_reverse()');

-- Deferred to commit: inside a transaction a transfer briefly has fewer than two legs.
CREATE CONSTRAINT TRIGGER transfer_balanced AFTER INSERT ON accounts.transfer
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION accounts._check_transfer_legs('id');
CREATE CONSTRAINT TRIGGER posting_balanced AFTER INSERT ON accounts.posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION accounts._check_transfer_legs('transfer_id');

CREATE TRIGGER account_opening_balance_guard BEFORE INSERT ON accounts.account
    FOR EACH ROW WHEN (NEW.balance <> 0)
    EXECUTE FUNCTION accounts._refuse_write('balance_write_refused',
        'new accounts start with a zero balance; load them with a transfer');
CREATE TRIGGER account_balance_guard BEFORE UPDATE OF balance ON accounts.account
    FOR EACH ROW WHEN (OLD.balance IS DISTINCT FROM NEW.balance)
    EXECUTE FUNCTION accounts._refuse_write('balance_write_refused',
        'account balances change only through transfers', 'unless_ledger_write');
CREATE TRIGGER account_closed_guard BEFORE UPDATE OF status ON accounts.account
    FOR EACH ROW WHEN (OLD.status = 'Closed' AND NEW.status <> 'Closed')
    EXECUTE FUNCTION accounts._refuse_write('account_closed', 'a closed account cannot be reopened or frozen');
CREATE TRIGGER account_code_upper_case BEFORE INSERT OR UPDATE OF code ON accounts.account
    FOR EACH ROW WHEN (NEW.code IS DISTINCT FROM upper(NEW.code))
    EXECUTE FUNCTION accounts._upper_case_code();

------------------------------------------------------------------------------------------
-- Moving money (C++, src/pg/transfer_functions.cpp). SECURITY DEFINER so that an
-- application role can move money without any write privilege on the tables.
------------------------------------------------------------------------------------------

CREATE FUNCTION accounts.accounts_transfer(
    source bigint,
    destination bigint,
    amount numeric,
    parent bigint DEFAULT NULL,
    user_id bigint DEFAULT NULL,
    username text DEFAULT NULL,
    merchant_reference text DEFAULT NULL,
    description text DEFAULT NULL)
    RETURNS accounts.transfer
    AS 'MODULE_PATHNAME', 'accounts_transfer'
    LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts.accounts_transfer(bigint, bigint, numeric, bigint, bigint, text, text, text) IS
    'moves amount from source to destination (a refund of parent when parent is given); returns the new transfer';

CREATE FUNCTION accounts.accounts_reverse(
    transfer bigint,
    user_id bigint DEFAULT NULL,
    username text DEFAULT NULL,
    merchant_reference text DEFAULT NULL,
    description text DEFAULT NULL)
    RETURNS accounts.transfer
    AS 'MODULE_PATHNAME', 'accounts_reverse'
    LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts.accounts_reverse(bigint, bigint, text, text, text) IS
    'moves back what remains of a transfer (once); returns the reversal';

------------------------------------------------------------------------------------------
-- Chart of accounts.
------------------------------------------------------------------------------------------

-- Finds or creates the account type playing `p_role` under `p_parent`; internal to accounts_init().
CREATE FUNCTION accounts._init_type(p_role text, p_name text, p_parent bigint) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_id bigint;
    v_name text;
BEGIN
    IF p_role <> 'deferred_income_type' THEN
        SELECT t.id, t.name INTO v_id, v_name
          FROM accounts.system_account_type s JOIN accounts.account_type t ON t.id = s.account_type_id
         WHERE s.role = p_role;
        IF FOUND THEN
            IF v_name <> p_name THEN
                PERFORM accounts._raise('system_role_conflict',
                    format('account type role %s is already held by type %s "%s"', p_role, v_id, v_name),
                    format('accounts_init() was asked to name it "%s".', p_name));
            END IF;
            RETURN v_id;
        END IF;
    END IF;
    SELECT t.id INTO v_id FROM accounts.account_type t
     WHERE t.name = p_name AND t.parent_id IS NOT DISTINCT FROM p_parent;
    IF NOT FOUND THEN
        INSERT INTO accounts.account_type (parent_id, name) VALUES (p_parent, p_name) RETURNING id INTO v_id;
    END IF;
    INSERT INTO accounts.system_account_type (role, account_type_id) VALUES (p_role, v_id)
        ON CONFLICT DO NOTHING;
    RETURN v_id;
END
$$;

-- Finds or creates the account playing `p_role`; internal to accounts_init().
CREATE FUNCTION accounts._init_account(p_role text, p_name text, p_type bigint, p_credit_limit numeric)
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_id bigint;
    v_name text;
    v_type bigint;
BEGIN
    IF p_role <> 'unpaid_source' THEN
        SELECT a.id, a.name INTO v_id, v_name
          FROM accounts.system_account s JOIN accounts.account a ON a.id = s.account_id
         WHERE s.role = p_role;
        IF FOUND THEN
            IF v_name IS DISTINCT FROM p_name THEN
                PERFORM accounts._raise('system_role_conflict',
                    format('account role %s is already held by account #%s "%s"', p_role, v_id, v_name),
                    format('accounts_init() was asked to name it "%s".', p_name));
            END IF;
            RETURN v_id;
        END IF;
    END IF;
    SELECT a.id, a.account_type_id INTO v_id, v_type FROM accounts.account a WHERE a.name = p_name;
    IF FOUND THEN
        IF v_type IS DISTINCT FROM p_type THEN
            PERFORM accounts._raise('system_role_conflict',
                format('account #%s "%s" exists with another account type', v_id, p_name),
                format('The %s role needs an account of type %s.', p_role, p_type));
        END IF;
    ELSE
        INSERT INTO accounts.account (name, account_type_id, credit_limit)
            VALUES (p_name, p_type, p_credit_limit) RETURNING id INTO v_id;
    END IF;
    INSERT INTO accounts.system_account (role, account_id) VALUES (p_role, v_id) ON CONFLICT DO NOTHING;
    RETURN v_id;
END
$$;

CREATE FUNCTION accounts.accounts_init(
    redemptions_name text DEFAULT 'Redemptions',
    lapsed_name text DEFAULT 'Lapsed accounts',
    bank_name text DEFAULT 'Bank',
    unpaid_source_names text[] DEFAULT ARRAY['Unpaid source'],
    deferred_income_type_names text[] DEFAULT ARRAY['Dashboard created accounts'])
    RETURNS TABLE (role text, kind text, id bigint, name text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_assets bigint;
    v_sales bigint;
    v_cash bigint;
    v_unpaid bigint;
    v_liabilities bigint;
    v_deferred bigint;
    v_name text;
BEGIN
    -- One initialisation at a time: a second concurrent call waits, then finds everything.
    LOCK TABLE accounts.system_account, accounts.system_account_type IN SHARE ROW EXCLUSIVE MODE;

    v_assets := accounts._init_type('assets', 'Assets', NULL);
    v_sales := accounts._init_type('sales', 'Sales', v_assets);
    v_cash := accounts._init_type('cash', 'Cash', v_assets);
    v_unpaid := accounts._init_type('unpaid_accounts', 'Unpaid accounts', v_assets);
    v_liabilities := accounts._init_type('liabilities', 'Liabilities', NULL);
    v_deferred := accounts._init_type('deferred_income', 'Deferred income', v_liabilities);

    PERFORM accounts._init_account('redemptions', redemptions_name, v_sales, 0.00);
    PERFORM accounts._init_account('lapsed', lapsed_name, v_sales, 0.00);
    PERFORM accounts._init_account('bank', bank_name, v_cash, NULL);
    FOREACH v_name IN ARRAY coalesce(unpaid_source_names, ARRAY[]::text[]) LOOP
        PERFORM accounts._init_account('unpaid_source', v_name, v_unpaid, NULL);
    END LOOP;
    FOREACH v_name IN ARRAY coalesce(deferred_income_type_names, ARRAY[]::text[]) LOOP
        PERFORM accounts._init_type('deferred_income_type', v_name, v_deferred);
    END LOOP;

    RETURN QUERY
        SELECT s.role, 'account type'::text, t.id, t.name
          FROM accounts.system_account_type s JOIN accounts.account_type t ON t.id = s.account_type_id
        UNION ALL
        SELECT s.role, 'account'::text, a.id, a.name
          FROM accounts.system_account s JOIN accounts.account a ON a.id = s.account_id
        ORDER BY 2 DESC, 3;
END
$$;
COMMENT ON FUNCTION accounts.accounts_init(text, text, text, text[], text[]) IS
    'creates (or completes) the chart of accounts and records the system roles; safe to run again';

------------------------------------------------------------------------------------------
-- Expiry sweep.
------------------------------------------------------------------------------------------

CREATE FUNCTION accounts.accounts_close_expired(description text DEFAULT 'Closing account')
    RETURNS TABLE (account_id bigint, lapsed_amount numeric, transfer_id bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_lapsed bigint;
    v_candidate bigint;
    v_balance numeric;
    v_transfer accounts.transfer;
BEGIN
    SELECT s.account_id INTO v_lapsed FROM accounts.system_account s WHERE s.role = 'lapsed';
    IF NOT FOUND THEN
        PERFORM accounts._raise('not_initialised', 'there is no Lapsed account', 'Run accounts_init() first.');
    END IF;
    -- Lapsed first, then each card: the sweep holds Lapsed for its whole run.
    PERFORM 1 FROM accounts.account a WHERE a.id = v_lapsed FOR NO KEY UPDATE;
    FOR v_candidate IN
        SELECT a.id FROM accounts.account a
         WHERE a.status = 'Open' AND a.end_date <= now() AND a.id <> v_lapsed
         ORDER BY a.id
    LOOP
        -- Re-read under the row lock: the balance moved to Lapsed is the balance at this instant.
        SELECT a.balance INTO v_balance FROM accounts.account a
         WHERE a.id = v_candidate AND a.status = 'Open' AND a.end_date <= now()
           FOR NO KEY UPDATE;
        CONTINUE WHEN NOT FOUND;
        account_id := v_candidate;
        lapsed_amount := 0.00;
        transfer_id := NULL;
        IF v_balance > 0 THEN
            v_transfer := accounts.accounts_transfer(v_candidate, v_lapsed, v_balance,
                                                     description => accounts_close_expired.description);
            lapsed_amount := v_balance;
            transfer_id := v_transfer.id;
        END IF;
        UPDATE accounts.account a SET status = 'Closed' WHERE a.id = v_candidate;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION accounts.accounts_close_expired(text) IS
    'moves the balance of every expired Open account to Lapsed and closes it (zero balances included)';

------------------------------------------------------------------------------------------
-- Audit.
------------------------------------------------------------------------------------------

CREATE FUNCTION accounts.accounts_verify()
    RETURNS TABLE (problem text, object_id bigint, detail text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT 'postings_do_not_sum_to_zero', NULL::bigint, format('all postings sum to %s', s.total)
      FROM (SELECT coalesce(sum(p.amount), 0) AS total FROM accounts.posting p) s
     WHERE s.total <> 0
    UNION ALL
    SELECT 'balance_mismatch', a.id, format('balance is %s but its postings sum to %s', a.balance, coalesce(p.total, 0.00))
      FROM accounts.account a
      LEFT JOIN (SELECT account_id, sum(amount) AS total FROM accounts.posting GROUP BY account_id) p
        ON p.account_id = a.id
     WHERE a.balance <> coalesce(p.total, 0)
    UNION ALL
    SELECT 'unbalanced_transfer', t.id,
           format('%s postings; source leg %s, destination leg %s', count(p.id),
                  CASE WHEN count(*) FILTER (WHERE p.account_id = t.source_id AND p.amount = -t.amount) = 1
                       THEN 'ok' ELSE 'missing or wrong' END,
                  CASE WHEN count(*) FILTER (WHERE p.account_id = t.destination_id AND p.amount = t.amount) = 1
                       THEN 'ok' ELSE 'missing or wrong' END)
      FROM accounts.transfer t
      LEFT JOIN accounts.posting p ON p.transfer_id = t.id
     GROUP BY t.id
    HAVING count(p.id) <> 2
        OR count(*) FILTER (WHERE p.account_id = t.source_id AND p.amount = -t.amount) <> 1
        OR count(*) FILTER (WHERE p.account_id = t.destination_id AND p.amount = t.amount) <> 1
    UNION ALL
    SELECT 'over_returned', t.id, format('amount %s but refunds and reversal returned %s', t.amount, c.total)
      FROM accounts.transfer t
      JOIN (SELECT parent_id, sum(amount) AS total FROM accounts.transfer WHERE parent_id IS NOT NULL GROUP BY parent_id) c
        ON c.parent_id = t.id
     WHERE c.total > t.amount
    UNION ALL
    SELECT 'wrong_return_direction', c.id, format('returns transfer %s but does not go from #%s to #%s',
                                                  t.id, t.destination_id, t.source_id)
      FROM accounts.transfer c JOIN accounts.transfer t ON t.id = c.parent_id
     WHERE c.source_id <> t.destination_id OR c.destination_id <> t.source_id OR t.kind <> 'transfer'
    UNION ALL
    SELECT 'return_total_mismatch', t.id,
           format('transfer_return records %s returned (reversal %s) but its refunds and reversal sum to %s (reversal %s)',
                  coalesce(r.returned, 0.00), coalesce(r.reversal_id::text, 'none'),
                  coalesce(c.total, 0.00), coalesce(c.reversal_id::text, 'none'))
      FROM accounts.transfer t
      LEFT JOIN accounts.transfer_return r ON r.transfer_id = t.id
      LEFT JOIN (SELECT parent_id, sum(amount) AS total, max(id) FILTER (WHERE kind = 'reversal') AS reversal_id
                   FROM accounts.transfer WHERE parent_id IS NOT NULL GROUP BY parent_id) c
        ON c.parent_id = t.id
     WHERE (r.transfer_id IS NOT NULL OR c.parent_id IS NOT NULL)
       AND (coalesce(r.returned, 0.00) <> coalesce(c.total, 0.00) OR r.reversal_id IS DISTINCT FROM c.reversal_id)
    ORDER BY 1, 2
$$;
COMMENT ON FUNCTION accounts.accounts_verify() IS
    'every violation of the ledger''s invariants; no rows on a healthy ledger';

------------------------------------------------------------------------------------------
-- pg_dump: rows in extension tables are only dumped when registered.
------------------------------------------------------------------------------------------

SELECT pg_catalog.pg_extension_config_dump('accounts.account_type', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.account_type_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.account', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.account_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.account_secondary_user', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.transfer', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.transfer_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.posting', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.posting_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.transfer_return', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.system_account', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.system_account_type', '');

------------------------------------------------------------------------------------------
-- Privileges. No roles are created here; README gives the GRANT recipe.
------------------------------------------------------------------------------------------

-- Ledger rows are read and written only by roles a DBA grants explicitly.
REVOKE ALL ON ALL TABLES IN SCHEMA accounts FROM PUBLIC;
-- Ids come from the functions; nobody else needs to draw from the sequences.
REVOKE ALL ON ALL SEQUENCES IN SCHEMA accounts FROM PUBLIC;
-- These move money or change the chart as the extension owner: only granted roles may call them.
REVOKE ALL ON FUNCTION accounts.accounts_transfer(bigint, bigint, numeric, bigint, bigint, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_reverse(bigint, bigint, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_init(text, text, text, text[], text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_close_expired(text) FROM PUBLIC;
-- Internal: called only by the extension's own triggers and functions.
REVOKE ALL ON FUNCTION accounts._raise(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._init_type(text, text, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._init_account(text, text, bigint, numeric) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._refuse_write() FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._check_transfer_legs() FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._upper_case_code() FROM PUBLIC;
