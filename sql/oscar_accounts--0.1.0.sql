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

-- No SET search_path: it runs no SQL and resolves no name, and it fires for every row the
-- ledger writes, where saving and restoring a setting would be pure cost.
CREATE FUNCTION accounts._refuse_write() RETURNS trigger
    AS 'MODULE_PATHNAME', 'accounts_refuse_write'
    LANGUAGE C;
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

-- Core rules (src/core) for the SQL-language functions below.
CREATE FUNCTION accounts._generate_code(length integer, alphabet text) RETURNS text
    AS 'MODULE_PATHNAME', 'accounts_generate_code'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts._generate_code(integer, text) IS
    'a random code of the given length from the alphabet (pg_strong_random, no modulo bias)';

CREATE FUNCTION accounts._normalise_code(typed text) RETURNS text
    AS 'MODULE_PATHNAME', 'accounts_normalise_code'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts._normalise_code(text) IS 'trims, upper-cases and drops "-", as a checkout form does';

CREATE FUNCTION accounts._plan_status_change(account_id bigint, current_status text, action text, balance numeric)
    RETURNS text
    AS 'MODULE_PATHNAME', 'accounts_plan_status_change'
    LANGUAGE C IMMUTABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts._plan_status_change(bigint, text, text, numeric) IS
    'the status after freeze/thaw/close, or the error that refuses it';

CREATE FUNCTION accounts._permitted_allocation(balance numeric, credit_limit numeric, non_products boolean,
                                               has_range boolean, order_total numeric, shipping_total numeric,
                                               range_total numeric, other_allocated numeric)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'accounts_permitted_allocation_rule'
    LANGUAGE C IMMUTABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts._permitted_allocation(numeric, numeric, boolean, boolean, numeric, numeric, numeric, numeric) IS
    'how much of an order one account may pay (reference rules, without bug #41)';

CREATE FUNCTION accounts._lookup_block_state(consecutive_failures integer, total_failures integer,
                                             last_failure timestamptz)
    RETURNS text
    AS 'MODULE_PATHNAME', 'accounts_lookup_block_state'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts._lookup_block_state(integer, integer, timestamptz) IS
    'none, temporary or permanent, from the failure record and the oscar_accounts.lookup_* settings';

CREATE FUNCTION accounts._check_validity_window(start_date timestamptz, end_date timestamptz) RETURNS boolean
    AS 'MODULE_PATHNAME', 'accounts_check_validity_window'
    LANGUAGE C IMMUTABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts._check_validity_window(timestamptz, timestamptz) IS
    'raises 22L08 for an end_date before the start_date or an infinite date';

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
    hot                          boolean NOT NULL DEFAULT false,
    CONSTRAINT account_balance_credit_limit_check CHECK (credit_limit IS NULL OR balance >= -credit_limit),
    CONSTRAINT account_end_date_check CHECK (end_date >= start_date)
);
COMMENT ON TABLE accounts.account IS 'accounts; balance is kept equal to the sum of the account''s postings';
COMMENT ON COLUMN accounts.account.credit_limit IS 'how far below zero the balance may go; NULL means unlimited';
COMMENT ON COLUMN accounts.account.balance IS 'changed only by transfers; equal to the sum of the account''s postings';
COMMENT ON COLUMN accounts.account.hot IS
    'set by accounts_set_hot(): credits wait in accounts.hot_credit instead of locking the row; the exact balance is in accounts.account_balance';

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

-- Credits to hot accounts (accounts_set_hot) not yet added to the balance column. The
-- account's exact balance is its column plus these rows (view accounts.account_balance).
-- account_id has no foreign key on purpose: every row belongs to a transfer whose destination
-- posting already references the account (accounts_verify() checks the two agree), and a second
-- FOR KEY SHARE on the hot row per credit cost a tenth of the hot-account rate (bench/).
CREATE TABLE accounts.hot_credit (
    transfer_id  bigint CONSTRAINT hot_credit_pkey PRIMARY KEY
                        CONSTRAINT hot_credit_transfer_id_fkey REFERENCES accounts.transfer (id),
    account_id   bigint NOT NULL,
    amount       numeric(18,2) NOT NULL CONSTRAINT hot_credit_amount_check CHECK (amount > 0),
    date_created timestamptz NOT NULL
);
COMMENT ON TABLE accounts.hot_credit IS
    'credits to hot accounts waiting to be added to the balance column; a row moves there when the account is next locked';
CREATE INDEX hot_credit_account_id_idx ON accounts.hot_credit (account_id, transfer_id);

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
    CONSTRAINT system_account_pkey PRIMARY KEY (role, account_id),
    -- An account plays at most one role.
    CONSTRAINT system_account_account_id_key UNIQUE (account_id)
);
COMMENT ON TABLE accounts.system_account IS 'which accounts play the system roles, recorded by accounts_init()';
CREATE UNIQUE INDEX system_account_role_key ON accounts.system_account (role) WHERE role <> 'unpaid_source';

CREATE TABLE accounts.system_account_type (
    role            text NOT NULL CONSTRAINT system_account_type_role_check
                        CHECK (role IN ('assets', 'sales', 'cash', 'unpaid_accounts', 'liabilities',
                                        'deferred_income', 'deferred_income_type')),
    account_type_id bigint NOT NULL CONSTRAINT system_account_type_account_type_id_fkey
                        REFERENCES accounts.account_type (id),
    CONSTRAINT system_account_type_pkey PRIMARY KEY (role, account_type_id),
    -- A type plays at most one role.
    CONSTRAINT system_account_type_account_type_id_key UNIQUE (account_type_id)
);
COMMENT ON TABLE accounts.system_account_type IS 'which account types play the system roles, recorded by accounts_init()';
CREATE UNIQUE INDEX system_account_type_role_key ON accounts.system_account_type (role)
    WHERE role <> 'deferred_income_type';

CREATE TABLE accounts.idempotent_request (
    key          text CONSTRAINT idempotent_request_pkey PRIMARY KEY
                      CONSTRAINT idempotent_request_key_check CHECK (length(key) BETWEEN 1 AND 255),
    operation    text NOT NULL CONSTRAINT idempotent_request_operation_check
                      CHECK (operation IN ('transfer', 'reverse', 'refund', 'redeem')),
    request      jsonb NOT NULL,
    transfer_ids bigint[],
    date_created timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE accounts.idempotent_request IS
    'client idempotency keys: the request each was first used for and the transfers it made';

CREATE TABLE accounts.ip_address_record (
    ip_address           inet CONSTRAINT ip_address_record_pkey PRIMARY KEY,
    total_failures       integer NOT NULL DEFAULT 0 CONSTRAINT ip_address_record_total_failures_check
                             CHECK (total_failures >= 0),
    consecutive_failures integer NOT NULL DEFAULT 0 CONSTRAINT ip_address_record_consecutive_failures_check
                             CHECK (consecutive_failures >= 0),
    date_created         timestamptz NOT NULL DEFAULT now(),
    date_last_failure    timestamptz
);
COMMENT ON TABLE accounts.ip_address_record IS 'failed code look-ups per client address (brute-force protection)';

------------------------------------------------------------------------------------------
-- The tables keep the books, not only the functions.
------------------------------------------------------------------------------------------

-- Transfers and postings are written only by the extension's own C++ code.
CREATE TRIGGER transfer_insert_guard BEFORE INSERT ON accounts.transfer
    FOR EACH ROW EXECUTE FUNCTION accounts._refuse_write('ledger_write_refused',
        'transfers are written only by accounts_transfer() and accounts_reverse()', 'unless_ledger_write');
CREATE TRIGGER posting_insert_guard BEFORE INSERT ON accounts.posting
    FOR EACH ROW EXECUTE FUNCTION accounts._refuse_write('ledger_write_refused',
        'postings are written only by accounts_transfer() and accounts_reverse()', 'unless_ledger_write');
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

CREATE TRIGGER hot_credit_guard BEFORE INSERT OR DELETE ON accounts.hot_credit
    FOR EACH ROW EXECUTE FUNCTION accounts._refuse_write('ledger_write_refused',
        'pending credits are written only by accounts_transfer() and moved only by the ledger', 'unless_ledger_write');
CREATE TRIGGER hot_credit_append_only BEFORE UPDATE ON accounts.hot_credit
    FOR EACH ROW EXECUTE FUNCTION accounts._refuse_write('ledger_append_only', 'pending credits cannot be edited');
CREATE TRIGGER hot_credit_no_truncate BEFORE TRUNCATE ON accounts.hot_credit
    FOR EACH STATEMENT EXECUTE FUNCTION accounts._refuse_write('ledger_append_only', 'pending credits cannot be truncated');

-- Deferred to commit: inside a transaction a transfer briefly has fewer than two legs. One
-- check per transfer reads all its legs; a posting cannot be added to a transfer later,
-- because posting_insert_guard refuses every posting the extension's code did not write.
CREATE CONSTRAINT TRIGGER transfer_balanced AFTER INSERT ON accounts.transfer
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION accounts._check_transfer_legs('id');

CREATE TRIGGER account_opening_balance_guard BEFORE INSERT ON accounts.account
    FOR EACH ROW WHEN (NEW.balance <> 0)
    EXECUTE FUNCTION accounts._refuse_write('ledger_write_refused',
        'new accounts start with a zero balance; load them with a transfer');
CREATE TRIGGER account_balance_guard BEFORE UPDATE OF balance ON accounts.account
    FOR EACH ROW WHEN (OLD.balance IS DISTINCT FROM NEW.balance)
    EXECUTE FUNCTION accounts._refuse_write('ledger_write_refused',
        'account balances change only through transfers', 'unless_ledger_write');
CREATE TRIGGER account_closed_guard BEFORE UPDATE OF status ON accounts.account
    FOR EACH ROW WHEN (OLD.status = 'Closed' AND NEW.status <> 'Closed')
    EXECUTE FUNCTION accounts._refuse_write('account_closed', 'a closed account cannot be reopened or frozen');
CREATE TRIGGER account_currency_guard BEFORE UPDATE OF currency ON accounts.account
    FOR EACH ROW WHEN (OLD.currency IS DISTINCT FROM NEW.currency)
    EXECUTE FUNCTION accounts._refuse_write('ledger_write_refused', 'the currency of an account never changes');
CREATE TRIGGER account_code_upper_case BEFORE INSERT OR UPDATE OF code ON accounts.account
    FOR EACH ROW WHEN (NEW.code IS DISTINCT FROM upper(NEW.code))
    EXECUTE FUNCTION accounts._upper_case_code();

------------------------------------------------------------------------------------------
-- Idempotency keys, shared by the C++ functions and the SQL-language ones.
------------------------------------------------------------------------------------------

-- Claims `p_key` for a request. NULL: the key is new, go ahead (the caller records what it
-- made before committing). An array: the transfers this exact request already made. A key
-- used for a different request raises 22L10. The upsert locks the key's row, so a second
-- session with the same key waits for the first; at REPEATABLE READ or SERIALIZABLE it then
-- gets a serialization failure instead of a stale answer.
CREATE FUNCTION accounts._idempotency_claim(p_key text, p_operation text, p_request jsonb) RETURNS bigint[]
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_inserted boolean;
    v_operation text;
    v_request jsonb;
    v_transfer_ids bigint[];
BEGIN
    INSERT INTO accounts.idempotent_request AS r (key, operation, request)
    VALUES (p_key, p_operation, p_request)
    ON CONFLICT (key) DO UPDATE SET key = r.key
    RETURNING (r.xmax = 0), r.operation, r.request, r.transfer_ids
         INTO v_inserted, v_operation, v_request, v_transfer_ids;
    IF v_inserted THEN
        RETURN NULL;
    END IF;
    IF v_operation <> p_operation OR v_request <> p_request THEN
        PERFORM accounts._raise('idempotency_key_reused',
            format('idempotency key "%s" was already used for a different request', p_key),
            format('It was first used for %s %s.', v_operation, v_request));
    END IF;
    IF v_transfer_ids IS NULL THEN
        PERFORM accounts._raise('internal_error', format('idempotency key "%s" has no recorded result', p_key));
    END IF;
    RETURN v_transfer_ids;
END
$$;

-- Records the transfers a claimed key produced.
CREATE FUNCTION accounts._idempotency_record(p_key text, p_transfer_ids bigint[]) RETURNS void
    LANGUAGE sql
    SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE accounts.idempotent_request SET transfer_ids = p_transfer_ids WHERE key = p_key;
$$;

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
    description text DEFAULT NULL,
    idempotency_key text DEFAULT NULL)
    RETURNS accounts.transfer
    AS 'MODULE_PATHNAME', 'accounts_transfer'
    LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts.accounts_transfer(bigint, bigint, numeric, bigint, bigint, text, text, text, text) IS
    'moves amount from source to destination (a refund of parent when parent is given); returns the new transfer';

CREATE FUNCTION accounts.accounts_reverse(
    transfer bigint,
    user_id bigint DEFAULT NULL,
    username text DEFAULT NULL,
    merchant_reference text DEFAULT NULL,
    description text DEFAULT NULL,
    idempotency_key text DEFAULT NULL)
    RETURNS accounts.transfer
    AS 'MODULE_PATHNAME', 'accounts_reverse'
    LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts.accounts_reverse(bigint, bigint, text, text, text, text) IS
    'moves back what remains of a transfer (once); returns the reversal';

CREATE FUNCTION accounts.accounts_transfer_batch(
    sources bigint[],
    destinations bigint[],
    amounts numeric[],
    description text DEFAULT NULL,
    user_id bigint DEFAULT NULL,
    username text DEFAULT NULL,
    merchant_reference text DEFAULT NULL)
    RETURNS SETOF accounts.transfer
    AS 'MODULE_PATHNAME', 'accounts_transfer_batch'
    LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts.accounts_transfer_batch(bigint[], bigint[], numeric[], text, bigint, text, text) IS
    'many transfers in one statement, all or none: one sorted pass of locks, the rules in order, one write';

------------------------------------------------------------------------------------------
-- Chart of accounts.
------------------------------------------------------------------------------------------

-- Finds or creates the account type playing `p_role` under `p_parent`; internal to accounts_init().
-- A role already recorded is kept whatever its type is called now (a DBA may have renamed it).
CREATE FUNCTION accounts._init_type(p_role text, p_name text, p_parent bigint) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_id bigint;
BEGIN
    IF p_role <> 'deferred_income_type' THEN
        SELECT s.account_type_id INTO v_id FROM accounts.system_account_type s WHERE s.role = p_role;
        IF FOUND THEN
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

-- Finds or creates the account playing `p_role`; internal to accounts_init(). A role already
-- recorded is kept whatever its account is called now; an unrecorded account that already has
-- the name is adopted only if it has the right type.
CREATE FUNCTION accounts._init_account(p_role text, p_name text, p_type bigint, p_credit_limit numeric)
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_id bigint;
    v_type bigint;
BEGIN
    IF p_role <> 'unpaid_source' THEN
        SELECT s.account_id INTO v_id FROM accounts.system_account s WHERE s.role = p_role;
        IF FOUND THEN
            RETURN v_id;
        END IF;
    END IF;
    SELECT a.id, a.account_type_id INTO v_id, v_type FROM accounts.account a WHERE a.name = p_name;
    IF FOUND THEN
        IF EXISTS (SELECT 1 FROM accounts.system_account s WHERE s.account_id = v_id AND s.role <> p_role) THEN
            PERFORM accounts._raise('system_role_conflict',
                format('account #%s "%s" already plays another system role', v_id, p_name),
                format('The %s role needs an account of its own; choose another name.', p_role));
        END IF;
        IF v_type IS DISTINCT FROM p_type THEN
            PERFORM accounts._raise('system_role_conflict',
                format('account #%s "%s" exists with another account type', v_id, p_name),
                format('The %s role needs an account of type %s; rename the existing account or choose another name.',
                       p_role, p_type));
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
-- Accounts: creation, edits, status.
------------------------------------------------------------------------------------------

-- Refuses an account name the table would refuse: empty (22023) or longer than 128 characters (22001).
CREATE FUNCTION accounts._check_account_name(p_name text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_name = '' THEN
        PERFORM accounts._raise('invalid_argument', 'an account name must not be empty',
            'Leave it NULL for an account without a name.');
    ELSIF length(p_name) > 128 THEN
        PERFORM accounts._raise('text_too_long', 'an account name is at most 128 characters');
    END IF;
END
$$;

CREATE FUNCTION accounts.accounts_create_account(
    account_type_id bigint DEFAULT NULL,
    name text DEFAULT NULL,
    description text DEFAULT NULL,
    start_date timestamptz DEFAULT NULL,
    end_date timestamptz DEFAULT NULL,
    credit_limit numeric DEFAULT 0.00,
    primary_user_id bigint DEFAULT NULL,
    secondary_user_ids bigint[] DEFAULT NULL,
    product_range_id bigint DEFAULT NULL,
    can_be_used_for_non_products boolean DEFAULT true,
    currency text DEFAULT NULL,
    code text DEFAULT NULL,
    generate_code boolean DEFAULT false,
    code_length integer DEFAULT 12,
    initial_amount numeric DEFAULT NULL,
    source bigint DEFAULT NULL,
    user_id bigint DEFAULT NULL,
    username text DEFAULT NULL)
    RETURNS accounts.account
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_type bigint := accounts_create_account.account_type_id;
    v_code text;
    v_currency text := coalesce(accounts_create_account.currency, accounts._default_currency());
    v_account accounts.account;
    v_attempt integer := 0;
BEGIN
    IF v_type IS NULL THEN
        -- As the reference's dashboard: with exactly one deferred-income type, it is implied.
        SELECT min(s.account_type_id) INTO v_type FROM accounts.system_account_type s
         WHERE s.role = 'deferred_income_type' HAVING count(*) = 1;
        IF v_type IS NULL THEN
            PERFORM accounts._raise('account_type_not_found', 'account_type_id must be given',
                'There is not exactly one deferred-income account type to default to.');
        END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM accounts.account_type t WHERE t.id = v_type) THEN
        PERFORM accounts._raise('account_type_not_found', format('account type %s does not exist', v_type));
    END IF;
    PERFORM accounts._check_validity_window(accounts_create_account.start_date, accounts_create_account.end_date);
    IF accounts_create_account.credit_limit < 0 THEN
        PERFORM accounts._raise('invalid_argument', 'credit_limit must not be negative',
            'NULL means unlimited; 0.00 means the balance cannot go below zero.');
    END IF;
    IF v_currency !~ '^[A-Z]{3}$' THEN
        PERFORM accounts._raise('invalid_currency', format('currency "%s" is not an ISO 4217 code', v_currency),
            'Use three upper-case letters, such as GBP, EUR or USD.');
    END IF;
    PERFORM accounts._check_account_name(accounts_create_account.name);
    IF accounts_create_account.name IS NOT NULL
       AND EXISTS (SELECT 1 FROM accounts.account a WHERE a.name = accounts_create_account.name) THEN
        PERFORM accounts._raise('already_in_use', format('account name "%s" is already in use', accounts_create_account.name));
    END IF;
    IF accounts_create_account.code IS NOT NULL AND generate_code THEN
        PERFORM accounts._raise('invalid_argument', 'give either code or generate_code, not both');
    END IF;
    IF accounts_create_account.code IS NOT NULL THEN
        v_code := accounts._normalise_code(accounts_create_account.code);
        IF v_code = '' OR length(v_code) > 128 THEN
            PERFORM accounts._raise('invalid_code', format('code "%s" is empty or longer than 128 characters', accounts_create_account.code));
        END IF;
        IF EXISTS (SELECT 1 FROM accounts.account a WHERE a.code = v_code) THEN
            PERFORM accounts._raise('already_in_use', format('code "%s" is already in use', v_code));
        END IF;
    END IF;
    IF initial_amount IS NOT NULL AND source IS NULL THEN
        PERFORM accounts._raise('null_argument', 'source must be given with initial_amount',
            'Name the account the initial load comes from (for example Bank or an unpaid source).');
    END IF;

    LOOP
        IF generate_code THEN
            v_code := accounts._generate_code(code_length, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
        END IF;
        BEGIN
            INSERT INTO accounts.account (name, description, account_type_id, code, primary_user_id, credit_limit,
                                          start_date, end_date, product_range_id, can_be_used_for_non_products,
                                          currency)
            VALUES (accounts_create_account.name, accounts_create_account.description, v_type, v_code,
                    accounts_create_account.primary_user_id, accounts_create_account.credit_limit,
                    accounts_create_account.start_date, accounts_create_account.end_date,
                    accounts_create_account.product_range_id,
                    coalesce(accounts_create_account.can_be_used_for_non_products, true), v_currency)
            RETURNING * INTO v_account;
            EXIT;
        EXCEPTION WHEN unique_violation THEN
            -- A concurrent creation took the name or code; a generated code is drawn again.
            v_attempt := v_attempt + 1;
            IF NOT generate_code OR v_attempt >= 5 THEN
                PERFORM accounts._raise('already_in_use', 'account name or code is already in use');
            END IF;
        END;
    END LOOP;

    INSERT INTO accounts.account_secondary_user (account_id, user_id)
    SELECT DISTINCT v_account.id, u FROM unnest(secondary_user_ids) AS u WHERE u IS NOT NULL;

    IF initial_amount IS NOT NULL THEN
        -- If the load is refused, the error undoes the account too: nothing is created.
        PERFORM accounts.accounts_transfer(source, v_account.id, initial_amount,
                                           user_id => accounts_create_account.user_id,
                                           username => accounts_create_account.username,
                                           description => 'Creation of account');
        SELECT * INTO v_account FROM accounts.account a WHERE a.id = v_account.id;
    END IF;
    RETURN v_account;
END
$$;
COMMENT ON FUNCTION accounts.accounts_create_account(bigint, text, text, timestamptz, timestamptz, numeric, bigint,
    bigint[], bigint, boolean, text, text, boolean, integer, numeric, bigint, bigint, text) IS
    'creates an account (optionally with a generated code and an initial load, all or nothing)';

-- Moves the pending credits of a hot account (locked by the caller) into its balance column.
-- exact: also raise 40001 under REPEATABLE READ / SERIALIZABLE when credits committed since
-- the snapshot exist, for checks that must see the whole balance (close, credit limit).
CREATE FUNCTION accounts._fold_hot_credits(account bigint, exact boolean) RETURNS numeric
    AS 'MODULE_PATHNAME', 'accounts_fold_hot_credits'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;

-- Locks the accounts of transfers from each of `debited` to `credited` in the ledger's one lock
-- order (by id), leaving a hot
-- `credited` account unlocked (its credits wait in accounts.hot_credit) unless a hot account
-- is debited too; folds the pending credits of the locked accounts that have any.
-- The same rule as the lock statement in src/pg/account_lock.cpp; the two must agree.
CREATE FUNCTION accounts._lock_for_transfers(debited bigint[], credited bigint) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_fold bigint[];
BEGIN
    SELECT array_agg(l.id) FILTER (WHERE l.fold) INTO v_fold
      FROM (SELECT a.id, a.hot OR EXISTS (SELECT 1 FROM accounts.hot_credit c WHERE c.account_id = a.id) AS fold
              FROM accounts.account a
             WHERE a.id = ANY (debited || credited)
               AND (a.id <> credited OR NOT a.hot
                    OR EXISTS (SELECT 1 FROM accounts.account d WHERE d.id = ANY (debited) AND d.hot))
             ORDER BY a.id
               FOR NO KEY UPDATE OF a) l;
    PERFORM accounts._fold_hot_credits(f, false) FROM unnest(v_fold) AS f;
END
$$;

-- Locks an account row for a change of the account itself; raises 42L01 when it does not
-- exist. FOR UPDATE, stronger than a transfer's lock: it also waits for the transfers in flight
-- that credit a hot account (they hold FOR KEY SHARE), whose credits are then folded in, so a
-- status or credit-limit check sees the whole balance.
CREATE FUNCTION accounts._lock_account(p_account bigint) RETURNS accounts.account
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_account accounts.account;
BEGIN
    IF p_account IS NULL THEN
        PERFORM accounts._raise('null_argument', 'account must not be null');
    END IF;
    SELECT * INTO v_account FROM accounts.account a WHERE a.id = p_account FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM accounts._raise('account_not_found', format('account #%s does not exist', p_account));
    END IF;
    IF v_account.hot OR EXISTS (SELECT 1 FROM accounts.hot_credit c WHERE c.account_id = p_account) THEN
        v_account.balance := accounts._fold_hot_credits(p_account, true);
    END IF;
    RETURN v_account;
END
$$;

CREATE FUNCTION accounts.accounts_update_account(account bigint, changes jsonb)
    RETURNS accounts.account
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_old accounts.account;
    v_new accounts.account;
    v_key text;
BEGIN
    IF changes IS NULL OR jsonb_typeof(changes) <> 'object' THEN
        PERFORM accounts._raise('invalid_argument', 'changes must be a JSON object',
            'For example {"end_date": "2027-01-01T00:00:00Z", "description": "Staff budget"}.');
    END IF;
    FOR v_key IN SELECT jsonb_object_keys(changes) LOOP
        IF v_key NOT IN ('name', 'description', 'account_type_id', 'primary_user_id', 'secondary_user_ids',
                         'start_date', 'end_date', 'product_range_id', 'can_be_used_for_non_products',
                         'credit_limit') THEN
            PERFORM accounts._raise('invalid_argument', format('"%s" cannot be changed here', v_key),
                CASE WHEN v_key IN ('status') THEN 'Use accounts_freeze(), accounts_thaw() or accounts_close().'
                     WHEN v_key IN ('balance') THEN 'Balances change only through transfers.'
                     ELSE 'Editable: name, description, account_type_id, primary_user_id, secondary_user_ids, '
                          'start_date, end_date, product_range_id, can_be_used_for_non_products, credit_limit.' END);
        END IF;
    END LOOP;
    v_old := accounts._lock_account(account);
    v_new := v_old;
    IF changes ? 'name' THEN v_new.name := changes->>'name'; END IF;
    IF changes ? 'description' THEN v_new.description := changes->>'description'; END IF;
    IF changes ? 'account_type_id' THEN v_new.account_type_id := (changes->>'account_type_id')::bigint; END IF;
    IF changes ? 'primary_user_id' THEN v_new.primary_user_id := (changes->>'primary_user_id')::bigint; END IF;
    IF changes ? 'start_date' THEN v_new.start_date := (changes->>'start_date')::timestamptz; END IF;
    IF changes ? 'end_date' THEN v_new.end_date := (changes->>'end_date')::timestamptz; END IF;
    IF changes ? 'product_range_id' THEN v_new.product_range_id := (changes->>'product_range_id')::bigint; END IF;
    IF changes ? 'can_be_used_for_non_products' THEN
        v_new.can_be_used_for_non_products := coalesce((changes->>'can_be_used_for_non_products')::boolean, true);
    END IF;
    IF changes ? 'credit_limit' THEN v_new.credit_limit := (changes->>'credit_limit')::numeric; END IF;

    PERFORM accounts._check_validity_window(v_new.start_date, v_new.end_date);
    PERFORM accounts._check_account_name(v_new.name);
    IF v_new.account_type_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM accounts.account_type t WHERE t.id = v_new.account_type_id) THEN
        PERFORM accounts._raise('account_type_not_found', format('account type %s does not exist', v_new.account_type_id));
    END IF;
    IF v_new.name IS DISTINCT FROM v_old.name AND v_new.name IS NOT NULL
       AND EXISTS (SELECT 1 FROM accounts.account a WHERE a.name = v_new.name AND a.id <> v_old.id) THEN
        PERFORM accounts._raise('already_in_use', format('account name "%s" is already in use', v_new.name));
    END IF;
    IF v_new.credit_limit < 0 THEN
        PERFORM accounts._raise('invalid_argument', 'credit_limit must not be negative');
    END IF;
    IF v_new.credit_limit IS NOT NULL AND v_new.balance < -v_new.credit_limit THEN
        PERFORM accounts._raise('invalid_argument',
            format('credit_limit %s is below what account #%s already owes (%s)', v_new.credit_limit, v_old.id, -v_new.balance));
    END IF;

    UPDATE accounts.account a
       SET name = v_new.name, description = v_new.description, account_type_id = v_new.account_type_id,
           primary_user_id = v_new.primary_user_id, start_date = v_new.start_date, end_date = v_new.end_date,
           product_range_id = v_new.product_range_id,
           can_be_used_for_non_products = v_new.can_be_used_for_non_products, credit_limit = v_new.credit_limit
     WHERE a.id = v_old.id
    RETURNING * INTO v_new;
    IF changes ? 'secondary_user_ids' THEN
        DELETE FROM accounts.account_secondary_user s WHERE s.account_id = v_old.id;
        INSERT INTO accounts.account_secondary_user (account_id, user_id)
        SELECT DISTINCT v_old.id, u::bigint
          FROM jsonb_array_elements_text(coalesce(nullif(changes->'secondary_user_ids', 'null'::jsonb), '[]'::jsonb)) AS u
         WHERE u IS NOT NULL;
    END IF;
    RETURN v_new;
END
$$;
COMMENT ON FUNCTION accounts.accounts_update_account(bigint, jsonb) IS
    'changes the editable fields named in a JSON object, under the account''s row lock';

-- Applies freeze/thaw/close under the same row lock transfers take.
CREATE FUNCTION accounts._change_status(p_account bigint, p_action text) RETURNS accounts.account
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_account accounts.account;
BEGIN
    v_account := accounts._lock_account(p_account);
    UPDATE accounts.account a
       SET status = accounts._plan_status_change(v_account.id, v_account.status, p_action, v_account.balance)
     WHERE a.id = v_account.id
    RETURNING * INTO v_account;
    RETURN v_account;
END
$$;

CREATE FUNCTION accounts.accounts_freeze(account bigint) RETURNS accounts.account
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT accounts._change_status(account, 'freeze') $$;
COMMENT ON FUNCTION accounts.accounts_freeze(bigint) IS 'Open -> Frozen: the account can neither send nor receive';

CREATE FUNCTION accounts.accounts_thaw(account bigint) RETURNS accounts.account
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT accounts._change_status(account, 'thaw') $$;
COMMENT ON FUNCTION accounts.accounts_thaw(bigint) IS 'Frozen -> Open (never for a Closed account)';

CREATE FUNCTION accounts.accounts_close(account bigint) RETURNS accounts.account
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT accounts._change_status(account, 'close') $$;
COMMENT ON FUNCTION accounts.accounts_close(bigint) IS 'Open or Frozen -> Closed, refused while the balance is positive';

-- Marks an account hot (or not). Transfers that only credit a hot account do not queue on its
-- row lock: their credits wait in accounts.hot_credit, and its exact balance is read from
-- accounts.account_balance. Turning it off folds what is pending. Transfers already past their
-- lock statement keep the old path; the next lock of the account folds what they leave.
CREATE FUNCTION accounts.accounts_set_hot(account bigint, hot boolean DEFAULT true) RETURNS accounts.account
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_account accounts.account;
BEGIN
    IF accounts_set_hot.hot IS NULL THEN
        PERFORM accounts._raise('null_argument', 'hot must not be null');
    END IF;
    v_account := accounts._lock_account(account);
    UPDATE accounts.account a SET hot = accounts_set_hot.hot WHERE a.id = v_account.id RETURNING * INTO v_account;
    RETURN v_account;
END
$$;
COMMENT ON FUNCTION accounts.accounts_set_hot(bigint, boolean) IS
    'marks an account hot: transfers that only credit it do not wait for its row lock';

-- Moves the pending credits of one hot account, or of every account that has any, into the
-- balance column; one row per account folded. The row lock (FOR NO KEY UPDATE, in the
-- ledger's lock order) does not conflict with the transfers crediting the account, so this may
-- run at any time, for example every minute from pg_cron, to keep the column near the truth.
CREATE FUNCTION accounts.accounts_fold_hot_credits(account bigint DEFAULT NULL)
    RETURNS TABLE (account_id bigint, folded numeric, balance numeric)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_ids bigint[];
    v_id bigint;
    v_before numeric;
BEGIN
    IF account IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts.account a WHERE a.id = account) THEN
        PERFORM accounts._raise('account_not_found', format('account #%s does not exist', account));
    END IF;
    SELECT array_agg(l.id) INTO v_ids
      FROM (SELECT a.id FROM accounts.account a
             WHERE (accounts_fold_hot_credits.account IS NULL OR a.id = accounts_fold_hot_credits.account)
               AND EXISTS (SELECT 1 FROM accounts.hot_credit h WHERE h.account_id = a.id)
             ORDER BY a.id
               FOR NO KEY UPDATE OF a) l;
    FOREACH v_id IN ARRAY coalesce(v_ids, ARRAY[]::bigint[]) LOOP
        SELECT a.balance INTO v_before FROM accounts.account a WHERE a.id = v_id;
        account_id := v_id;
        balance := accounts._fold_hot_credits(v_id, false);
        folded := balance - v_before;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION accounts.accounts_fold_hot_credits(bigint) IS
    'moves pending credits of hot accounts into their balance column, without waiting for the transfers crediting them';

-- Every account's exact balance: the column plus the credits still pending on hot accounts.
CREATE VIEW accounts.account_balance WITH (security_invoker = true) AS
    SELECT a.id AS account_id, a.balance + coalesce(c.pending, 0.00) AS balance,
           coalesce(c.pending, 0.00) AS pending
      FROM accounts.account a
      LEFT JOIN (SELECT h.account_id, sum(h.amount) AS pending FROM accounts.hot_credit h GROUP BY h.account_id) c
        ON c.account_id = a.id;
COMMENT ON VIEW accounts.account_balance IS
    'every account''s exact balance: accounts.account.balance plus its pending credits (hot accounts)';

-- One account's exact balance, for psql and the Django app.
CREATE FUNCTION accounts.accounts_balance(account bigint) RETURNS numeric
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT a.balance + coalesce((SELECT sum(h.amount) FROM accounts.hot_credit h WHERE h.account_id = a.id), 0.00)
      FROM accounts.account a WHERE a.id = accounts_balance.account
$$;
COMMENT ON FUNCTION accounts.accounts_balance(bigint) IS
    'an account''s exact balance now: its column plus credits pending on a hot account; NULL for no such account';

------------------------------------------------------------------------------------------
-- Spending and giving back.
------------------------------------------------------------------------------------------

CREATE FUNCTION accounts.accounts_redeem(
    order_number text,
    account_ids bigint[],
    amounts numeric[],
    user_id bigint DEFAULT NULL,
    username text DEFAULT NULL,
    idempotency_key text DEFAULT NULL)
    RETURNS SETOF accounts.transfer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_redemptions bigint;
    v_ids bigint[] := ARRAY[]::bigint[];
    v_transfer accounts.transfer;
    v_replay bigint[];
    i integer;
BEGIN
    IF order_number IS NULL OR order_number = '' THEN
        PERFORM accounts._raise('null_argument', 'order_number must be given');
    END IF;
    IF account_ids IS NULL OR amounts IS NULL OR cardinality(account_ids) = 0
       OR cardinality(account_ids) <> cardinality(amounts) THEN
        PERFORM accounts._raise('duplicate_allocation', 'account_ids and amounts must be non-empty lists of equal length');
    END IF;
    IF array_position(account_ids, NULL) IS NOT NULL OR array_position(amounts, NULL) IS NOT NULL THEN
        PERFORM accounts._raise('null_argument', 'an allocation has a NULL account or amount');
    END IF;
    IF (SELECT count(DISTINCT a) FROM unnest(account_ids) a) <> cardinality(account_ids) THEN
        PERFORM accounts._raise('duplicate_allocation', 'an account appears more than once in the allocations',
            'Give each account once, with the total it pays.');
    END IF;
    SELECT s.account_id INTO v_redemptions FROM accounts.system_account s WHERE s.role = 'redemptions';
    IF NOT FOUND THEN
        PERFORM accounts._raise('not_initialised', 'there is no Redemptions account', 'Run accounts_init() first.');
    END IF;
    IF idempotency_key IS NOT NULL THEN
        v_replay := accounts._idempotency_claim(idempotency_key, 'redeem',
            jsonb_build_object('order_number', order_number, 'account_ids', to_jsonb(account_ids),
                               'amounts', to_jsonb(amounts), 'user_id', user_id, 'username', username));
        IF v_replay IS NOT NULL THEN
            RETURN QUERY SELECT t.* FROM accounts.transfer t WHERE t.id = ANY (v_replay)
                          ORDER BY array_position(v_replay, t.id);
            RETURN;
        END IF;
    END IF;
    -- Every account of the order locked in one sorted pass: two orders sharing cards queue
    -- instead of deadlocking. A hot Redemptions is locked by each transfer's last write.
    PERFORM accounts._lock_for_transfers(account_ids, v_redemptions);
    FOR i IN 1 .. cardinality(account_ids) LOOP
        v_transfer := accounts.accounts_transfer(account_ids[i], v_redemptions, amounts[i],
                                                 user_id => accounts_redeem.user_id,
                                                 username => accounts_redeem.username,
                                                 merchant_reference => order_number,
                                                 description => format('Redeemed to pay for order %s', order_number));
        v_ids := v_ids || v_transfer.id;
        RETURN NEXT v_transfer;
    END LOOP;
    IF idempotency_key IS NOT NULL THEN
        PERFORM accounts._idempotency_record(idempotency_key, v_ids);
    END IF;
END
$$;
COMMENT ON FUNCTION accounts.accounts_redeem(text, bigint[], numeric[], bigint, text, text) IS
    'pays one order from several accounts to Redemptions, all or none';

CREATE FUNCTION accounts.accounts_permitted_allocation(
    account bigint,
    order_total numeric,
    shipping_total numeric DEFAULT 0.00,
    range_total numeric DEFAULT NULL,
    other_allocated numeric DEFAULT 0.00)
    RETURNS numeric
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_account accounts.account;
BEGIN
    IF account IS NULL THEN
        PERFORM accounts._raise('null_argument', 'account must not be null');
    END IF;
    SELECT * INTO v_account FROM accounts.account a WHERE a.id = account;
    IF NOT FOUND THEN
        PERFORM accounts._raise('account_not_found', format('account #%s does not exist', account));
    END IF;
    v_account.balance := accounts.accounts_balance(account); -- a hot account's pending credits count
    RETURN accounts._permitted_allocation(v_account.balance, v_account.credit_limit,
                                          v_account.can_be_used_for_non_products,
                                          v_account.product_range_id IS NOT NULL, order_total,
                                          coalesce(shipping_total, 0.00), range_total, coalesce(other_allocated, 0.00));
END
$$;
COMMENT ON FUNCTION accounts.accounts_permitted_allocation(bigint, numeric, numeric, numeric, numeric) IS
    'how much of an order this account may pay, given what other accounts already cover';

CREATE FUNCTION accounts.accounts_refund(
    transfer bigint,
    amount numeric,
    user_id bigint DEFAULT NULL,
    username text DEFAULT NULL,
    merchant_reference text DEFAULT NULL,
    description text DEFAULT NULL,
    idempotency_key text DEFAULT NULL)
    RETURNS accounts.transfer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_original accounts.transfer;
BEGIN
    IF transfer IS NULL THEN
        PERFORM accounts._raise('null_argument', 'transfer to refund must not be null');
    END IF;
    SELECT * INTO v_original FROM accounts.transfer t WHERE t.id = transfer;
    IF NOT FOUND THEN
        PERFORM accounts._raise('transfer_not_found', format('transfer %s does not exist', transfer));
    END IF;
    -- The cap, the lock on the parent and the idempotency key are handled by accounts_transfer().
    RETURN accounts.accounts_transfer(v_original.destination_id, v_original.source_id, amount,
                                      parent => transfer, user_id => accounts_refund.user_id,
                                      username => accounts_refund.username,
                                      merchant_reference => accounts_refund.merchant_reference,
                                      description => accounts_refund.description,
                                      idempotency_key => accounts_refund.idempotency_key);
END
$$;
COMMENT ON FUNCTION accounts.accounts_refund(bigint, numeric, bigint, text, text, text, text) IS
    'gives back part of a transfer (destination -> source), capped by what remains refundable';

CREATE FUNCTION accounts.accounts_refundable(transfer bigint) RETURNS numeric
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_remaining numeric;
BEGIN
    IF transfer IS NULL THEN
        PERFORM accounts._raise('null_argument', 'transfer must not be null');
    END IF;
    SELECT CASE WHEN t.kind = 'transfer' THEN t.amount - coalesce(r.returned, 0.00) ELSE 0.00 END
      INTO v_remaining
      FROM accounts.transfer t LEFT JOIN accounts.transfer_return r ON r.transfer_id = t.id
     WHERE t.id = transfer;
    IF NOT FOUND THEN
        PERFORM accounts._raise('transfer_not_found', format('transfer %s does not exist', transfer));
    END IF;
    RETURN v_remaining;
END
$$;
COMMENT ON FUNCTION accounts.accounts_refundable(bigint) IS
    'what refunds and a reversal can still give back of a transfer (0.00 for refunds and reversals)';

------------------------------------------------------------------------------------------
-- Codes, as a checkout form looks them up.
------------------------------------------------------------------------------------------

CREATE FUNCTION accounts.accounts_lookup_code(code text, client_ip inet) RETURNS accounts.account
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_record accounts.ip_address_record;
    v_account accounts.account;
BEGIN
    IF client_ip IS NULL THEN
        PERFORM accounts._raise('null_argument', 'client_ip must not be null',
            'Failed look-ups are counted per client address.');
    END IF;
    -- One look-up at a time per address, so parallel guesses cannot slip past the count.
    INSERT INTO accounts.ip_address_record AS r (ip_address) VALUES (client_ip)
    ON CONFLICT (ip_address) DO UPDATE SET ip_address = r.ip_address
    RETURNING * INTO v_record;
    IF accounts._lookup_block_state(v_record.consecutive_failures, v_record.total_failures,
                                    v_record.date_last_failure) <> 'none' THEN
        -- Said before looking: a blocked address learns nothing about the code.
        PERFORM accounts._raise('client_blocked', format('look-ups from %s are blocked', host(client_ip)),
            'Too many codes were not found; try again later.');
    END IF;
    SELECT * INTO v_account FROM accounts.account a WHERE a.code = accounts._normalise_code(coalesce(accounts_lookup_code.code, ''));
    IF FOUND THEN
        UPDATE accounts.ip_address_record r SET consecutive_failures = 0 WHERE r.ip_address = client_ip;
        RETURN v_account;
    END IF;
    UPDATE accounts.ip_address_record r
       SET consecutive_failures = r.consecutive_failures + 1, total_failures = r.total_failures + 1,
           date_last_failure = now()
     WHERE r.ip_address = client_ip;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION accounts.accounts_lookup_code(text, inet) IS
    'the account with this code (as typed: trimmed, upper-cased, without "-"), or NULL; throttled per address';

------------------------------------------------------------------------------------------
-- Expiry sweep.
------------------------------------------------------------------------------------------

CREATE FUNCTION accounts.accounts_close_expired(as_of timestamptz DEFAULT NULL, description text DEFAULT 'Closing account')
    RETURNS TABLE (account_id bigint, balance numeric, lapsed_amount numeric, transfer_id bigint, closed boolean,
                   refusal text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_as_of timestamptz := coalesce(as_of, now());
    v_lapsed bigint;
    v_candidate bigint;
    v_balance numeric;
    v_transfer accounts.transfer;
    v_state text;
    v_message text;
BEGIN
    IF v_as_of > now() THEN
        PERFORM accounts._raise('invalid_argument', 'as_of must not be in the future',
            'Accounts are swept only once they have expired.');
    END IF;
    SELECT s.account_id INTO v_lapsed FROM accounts.system_account s WHERE s.role = 'lapsed';
    IF NOT FOUND THEN
        PERFORM accounts._raise('not_initialised', 'there is no Lapsed account', 'Run accounts_init() first.');
    END IF;
    -- Every candidate and Lapsed locked first, in one pass, with the status changes' lock
    -- (FOR UPDATE), which also waits for the credits in flight to hot cards (_lock_account()
    -- below then folds them in). Hazard: hot accounts come last in this pass. A transfer takes
    -- its share lock on a hot destination after its other locks, so a sweep holding a hot card
    -- while it still waits for other cards could meet a transfer holding one of those and
    -- waiting for the hot card; with the hot cards locked last, that transfer already holds
    -- its share lock (the sweep waits for it) or cannot get its first lock (it waits for the sweep).
    PERFORM 1 FROM accounts.account a
      WHERE (a.status = 'Open' AND a.end_date <= v_as_of) OR a.id = v_lapsed
      ORDER BY a.hot, a.id
        FOR UPDATE OF a;
    FOR v_candidate IN
        SELECT a.id FROM accounts.account a
         WHERE a.status = 'Open' AND a.end_date <= v_as_of AND a.id <> v_lapsed
         ORDER BY a.id
    LOOP
        account_id := v_candidate;
        lapsed_amount := 0.00;
        transfer_id := NULL;
        closed := false;
        refusal := NULL;
        BEGIN
            -- The card (and Lapsed unless hot), locked as every transfer locks them; then the
            -- card is re-read under its lock, so the balance moved is the balance at this instant.
            PERFORM accounts._lock_for_transfers(ARRAY[v_candidate], v_lapsed);
            -- Already locked above; this folds a hot card's credits (exact), so the card never
            -- closes with money arriving.
            PERFORM accounts._lock_account(v_candidate);
            SELECT a.balance INTO v_balance FROM accounts.account a
             WHERE a.id = v_candidate AND a.status = 'Open' AND a.end_date <= v_as_of;
            CONTINUE WHEN NOT FOUND;
            balance := v_balance;
            IF v_balance > 0 THEN
                v_transfer := accounts.accounts_transfer(v_candidate, v_lapsed, v_balance,
                                                         description => accounts_close_expired.description);
                lapsed_amount := v_balance;
                transfer_id := v_transfer.id;
            END IF;
            UPDATE accounts.account a SET status = 'Closed' WHERE a.id = v_candidate;
            closed := true;
        EXCEPTION WHEN OTHERS THEN
            -- One account the ledger refuses to lapse (say, in another currency than Lapsed)
            -- stays Open and is reported; the sweep goes on. Anything else stops the sweep.
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
            IF v_state NOT IN (SELECT c.sqlstate FROM accounts.accounts_error_codes() c WHERE c.sqlstate <> 'XX000') THEN
                RAISE;
            END IF;
            lapsed_amount := 0.00;
            transfer_id := NULL;
            refusal := v_state || ': ' || v_message;
        END;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION accounts.accounts_close_expired(timestamptz, text) IS
    'closes every Open account expired as of the given time, moving a positive balance to Lapsed first; reports the ones the ledger refuses';

------------------------------------------------------------------------------------------
-- Balances in time.
------------------------------------------------------------------------------------------

CREATE FUNCTION accounts.accounts_balance_at(account bigint, at timestamptz) RETURNS numeric
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF account IS NULL OR at IS NULL THEN
        PERFORM accounts._raise('null_argument', 'account and at must not be null');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM accounts.account a WHERE a.id = account) THEN
        PERFORM accounts._raise('account_not_found', format('account #%s does not exist', account));
    END IF;
    RETURN (SELECT coalesce(sum(p.amount), 0.00) FROM accounts.posting p
             WHERE p.account_id = account AND p.date_created <= at);
END
$$;
COMMENT ON FUNCTION accounts.accounts_balance_at(bigint, timestamptz) IS
    'the account''s balance just after the instant: the sum of its postings dated at or before it';

------------------------------------------------------------------------------------------
-- Historic imports and reports.
------------------------------------------------------------------------------------------

-- SECURITY INVOKER on purpose: it writes the ledger tables with the caller's own privileges,
-- so only their owner (the role that created the extension) or a superuser can import.
CREATE FUNCTION accounts.accounts_import_transfer(
    source bigint,
    destination bigint,
    amount numeric,
    date_created timestamptz,
    parent bigint DEFAULT NULL,
    user_id bigint DEFAULT NULL,
    username text DEFAULT NULL,
    merchant_reference text DEFAULT NULL,
    description text DEFAULT NULL)
    RETURNS accounts.transfer
    AS 'MODULE_PATHNAME', 'accounts_import_transfer'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts.accounts_import_transfer(bigint, bigint, numeric, timestamptz, bigint, bigint, text, text, text) IS
    'records a historic transfer at its original instant, through every check (owner only)';

CREATE FUNCTION accounts._report_zone() RETURNS text
    AS 'MODULE_PATHNAME', 'accounts_report_zone'
    LANGUAGE C STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION accounts._report_zone() IS
    'the time zone report dates are read in: oscar_accounts.report_time_zone, else the session''s TimeZone';

-- Midnight at the start of `p_day` in the report time zone.
CREATE FUNCTION accounts._day_start(p_day date) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT (p_day::timestamp) AT TIME ZONE accounts._report_zone() $$;

-- Today in the report time zone.
CREATE FUNCTION accounts._report_today() RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT (now() AT TIME ZONE accounts._report_zone())::date $$;

CREATE INDEX transfer_date_created_idx ON accounts.transfer (date_created);

CREATE FUNCTION accounts.accounts_deferred_income_report(report_date date)
    RETURNS TABLE (account_type text, accounts bigint, balance numeric,
                   expiring_within_30_days bigint, balance_within_30_days numeric,
                   expiring_in_31_to_60_days bigint, balance_in_31_to_60_days numeric,
                   expiring_in_61_to_90_days bigint, balance_in_61_to_90_days numeric,
                   expiring_after_90_days bigint, balance_after_90_days numeric,
                   no_end_date bigint, balance_no_end_date numeric)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    -- Compiling these queries with LLVM costs more than running them.
    SET jit = off
AS $$
    WITH cutoff AS (
        -- The end of report_date in the report time zone; postings at that instant belong to the next day.
        SELECT accounts._day_start(report_date + 1) AS at
    ), types AS (
        SELECT t.id, t.name
          FROM accounts.system_account_type s JOIN accounts.account_type t ON t.id = s.account_type_id
         WHERE s.role = 'deferred_income_type'
    ), balances AS (
        SELECT p.account_id, sum(p.amount) AS total
          FROM accounts.posting p
          JOIN accounts.account a ON a.id = p.account_id
          JOIN types ON types.id = a.account_type_id
         CROSS JOIN cutoff
         WHERE p.date_created < cutoff.at
         GROUP BY p.account_id
    ), per_account AS (
        -- Accounts that existed at the cut-off, each in exactly one bucket. Days remaining are
        -- whole days from the cut-off to end_date, floored, 0 once expired (as the reference).
        SELECT a.account_type_id, coalesce(b.total, 0.00) AS total,
               CASE WHEN a.end_date IS NULL THEN 'none'
                    WHEN a.end_date <= cutoff.at THEN '30'
                    WHEN floor(extract(epoch FROM a.end_date - cutoff.at) / 86400) <= 30 THEN '30'
                    WHEN floor(extract(epoch FROM a.end_date - cutoff.at) / 86400) <= 60 THEN '60'
                    WHEN floor(extract(epoch FROM a.end_date - cutoff.at) / 86400) <= 90 THEN '90'
                    ELSE 'more' END AS bucket
          FROM accounts.account a
          JOIN types ON types.id = a.account_type_id
         CROSS JOIN cutoff
          LEFT JOIN balances b ON b.account_id = a.id
         WHERE a.date_created < cutoff.at OR b.account_id IS NOT NULL
    )
    SELECT CASE WHEN GROUPING(types.name) = 1 THEN 'Total' ELSE types.name END,
           count(pa.total), coalesce(sum(pa.total), 0.00),
           count(pa.total) FILTER (WHERE pa.bucket = '30'), coalesce(sum(pa.total) FILTER (WHERE pa.bucket = '30'), 0.00),
           count(pa.total) FILTER (WHERE pa.bucket = '60'), coalesce(sum(pa.total) FILTER (WHERE pa.bucket = '60'), 0.00),
           count(pa.total) FILTER (WHERE pa.bucket = '90'), coalesce(sum(pa.total) FILTER (WHERE pa.bucket = '90'), 0.00),
           count(pa.total) FILTER (WHERE pa.bucket = 'more'), coalesce(sum(pa.total) FILTER (WHERE pa.bucket = 'more'), 0.00),
           count(pa.total) FILTER (WHERE pa.bucket = 'none'), coalesce(sum(pa.total) FILTER (WHERE pa.bucket = 'none'), 0.00)
      FROM types LEFT JOIN per_account pa ON pa.account_type_id = types.id
     GROUP BY GROUPING SETS ((types.name), ())
     ORDER BY GROUPING(types.name), types.name
$$;
COMMENT ON FUNCTION accounts.accounts_deferred_income_report(date) IS
    'deferred-income position at the end of report_date: per type, totals and expiry buckets, and a Total row';

CREATE VIEW accounts.deferred_income_report WITH (security_invoker = true) AS
    SELECT * FROM accounts.accounts_deferred_income_report(accounts._report_today());
COMMENT ON VIEW accounts.deferred_income_report IS 'the deferred income report at the end of today';

CREATE FUNCTION accounts.accounts_profit_loss_report(start_date date, end_date date)
    RETURNS TABLE (section text, line text, name text, amount numeric)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    -- Compiling these queries with LLVM costs more than running them.
    SET jit = off
AS $$
DECLARE
    v_from timestamptz;
    v_to timestamptz;
BEGIN
    IF start_date IS NULL OR end_date IS NULL THEN
        PERFORM accounts._raise('null_argument', 'start_date and end_date must be given');
    END IF;
    IF end_date < start_date THEN
        PERFORM accounts._raise('invalid_argument', 'end_date must not be before start_date',
            'Both dates are included; give the same date twice for one day.');
    END IF;
    v_from := accounts._day_start(start_date);
    v_to := accounts._day_start(end_date + 1);
    RETURN QUERY
    WITH di AS (
        -- Accounts of the deferred-income types: the liability this report explains.
        SELECT a.id, t.name AS type_name
          FROM accounts.account a
          JOIN accounts.system_account_type s ON s.account_type_id = a.account_type_id AND s.role = 'deferred_income_type'
          JOIN accounts.account_type t ON t.id = a.account_type_id
    ), scan AS (
        -- One pass over the transfers since the window's start, summed per (source,
        -- destination): the classification below then looks at thousands of pairs, not at
        -- every transfer, and the position is wound back from today's balances.
        SELECT tr.source_id, tr.destination_id,
               sum(tr.amount) FILTER (WHERE tr.date_created < v_to) AS in_window,
               sum(tr.amount) FILTER (WHERE tr.date_created >= v_to) AS after_window
          FROM accounts.transfer tr
         WHERE tr.date_created >= v_from
         GROUP BY tr.source_id, tr.destination_id
    ), pairs AS (
        SELECT sc.source_id, sc.destination_id, sc.in_window AS amount FROM scan sc WHERE sc.in_window IS NOT NULL
    ), moves AS (
        -- What each side is: a deferred-income account (its type), or a recorded system
        -- account, or an account whose type plays a system role.
        SELECT pr.amount, sd.type_name AS from_type, dd.type_name AS to_type,
               coalesce(src.name, src.code, '#' || src.id) AS from_label,
               coalesce(ssa.role, sst.role) AS from_role,
               coalesce(dst.name, dst.code, '#' || dst.id) AS to_label,
               coalesce(dsa.role, dstt.role) AS to_role
          FROM pairs pr
          LEFT JOIN di sd ON sd.id = pr.source_id
          LEFT JOIN di dd ON dd.id = pr.destination_id
          JOIN accounts.account src ON src.id = pr.source_id
          JOIN accounts.account dst ON dst.id = pr.destination_id
          LEFT JOIN accounts.system_account ssa ON ssa.account_id = src.id
          LEFT JOIN accounts.system_account_type sst ON sst.account_type_id = src.account_type_id
                                                     AND sst.role <> 'deferred_income_type'
          LEFT JOIN accounts.system_account dsa ON dsa.account_id = dst.id
          LEFT JOIN accounts.system_account_type dstt ON dstt.account_type_id = dst.account_type_id
                                                      AND dstt.role <> 'deferred_income_type'
         WHERE sd.id IS NOT NULL OR dd.id IS NOT NULL
    ), lines AS (
        -- Every movement into a deferred-income account is one increase line...
        SELECT 1 AS section_order, 'increase' AS section,
               CASE WHEN m.from_type IS NOT NULL THEN 6
                    WHEN m.from_role IN ('bank', 'cash') THEN 1
                    WHEN m.from_role IN ('unpaid_source', 'unpaid_accounts') THEN 2
                    WHEN m.from_role = 'redemptions' THEN 3
                    WHEN m.from_role = 'lapsed' THEN 4
                    ELSE 5 END AS line_order,
               CASE WHEN m.from_type IS NULL AND m.from_role IS DISTINCT FROM 'redemptions'
                         AND m.from_role IS DISTINCT FROM 'lapsed'
                    THEN m.from_label ELSE m.to_type END AS name,
               m.amount
          FROM moves m WHERE m.to_type IS NOT NULL
        UNION ALL
        -- ...and every movement out of one is one reduction line.
        SELECT 2, 'reduction',
               CASE WHEN m.to_type IS NOT NULL THEN 6
                    WHEN m.to_role = 'redemptions' THEN 1
                    WHEN m.to_role = 'lapsed' THEN 2
                    WHEN m.to_role IN ('bank', 'cash', 'unpaid_source', 'unpaid_accounts') THEN 3
                    ELSE 5 END,
               CASE WHEN m.to_type IS NULL AND m.to_role IS DISTINCT FROM 'redemptions'
                         AND m.to_role IS DISTINCT FROM 'lapsed'
                    THEN m.to_label ELSE m.from_type END,
               m.amount
          FROM moves m WHERE m.from_type IS NOT NULL
    ), line_names (section_order, line_order, line) AS (
        VALUES (1, 1, 'loads paid from cash'), (1, 2, 'loads from unpaid sources'),
               (1, 3, 'refunds and reversals of redemptions'), (1, 4, 'reinstated from lapsed'),
               (1, 5, 'other increases'), (1, 6, 'from other deferred-income accounts'),
               (2, 1, 'redemptions'), (2, 2, 'lapsed (expired)'), (2, 3, 'withdrawals and reversals to sources'),
               (2, 5, 'other reductions'), (2, 6, 'to other deferred-income accounts')
    ), detail AS (
        SELECT l.section_order, l.section, l.line_order, n.line, l.name, sum(l.amount) AS amount
          FROM lines l JOIN line_names n USING (section_order, line_order)
         GROUP BY l.section_order, l.section, l.line_order, n.line, l.name
    ), totals AS (
        SELECT coalesce(sum(l.amount) FILTER (WHERE l.section = 'increase'), 0.00) AS increase,
               coalesce(sum(l.amount) FILTER (WHERE l.section = 'reduction'), 0.00) AS reduction
          FROM lines l
    ), position AS (
        -- Today's deferred-income balances (the ledger's own column), wound back by every
        -- movement since each instant. The lines above never look at balances, so the last two
        -- rows agree only if every movement landed in exactly one line.
        SELECT now_total.total - coalesce(sum((coalesce(sc.in_window, 0.00) + coalesce(sc.after_window, 0.00))
                                              * ((dd.id IS NOT NULL)::integer - (sd.id IS NOT NULL)::integer)), 0.00)
                   AS at_start,
               now_total.total - coalesce(sum(coalesce(sc.after_window, 0.00)
                                              * ((dd.id IS NOT NULL)::integer - (sd.id IS NOT NULL)::integer)), 0.00)
                   AS at_end
          FROM (SELECT coalesce(sum(a.balance), 0.00) AS total FROM accounts.account_balance a JOIN di ON di.id = a.account_id) now_total
          LEFT JOIN scan sc ON true
          LEFT JOIN di sd ON sd.id = sc.source_id
          LEFT JOIN di dd ON dd.id = sc.destination_id
         GROUP BY now_total.total
    )
    SELECT r.section, r.line, r.name, r.amount FROM (
        SELECT d.section_order, d.line_order, d.section, d.line, d.name, d.amount FROM detail d
        UNION ALL SELECT 1, 9, 'increase', 'total increase', NULL, t.increase FROM totals t
        UNION ALL SELECT 2, 9, 'reduction', 'total reduction', NULL, t.reduction FROM totals t
        UNION ALL SELECT 3, 1, 'position', 'deferred income at start', NULL, p.at_start FROM position p
        UNION ALL SELECT 3, 2, 'position', 'deferred income at end', NULL, p.at_end FROM position p
        UNION ALL SELECT 3, 3, 'position', 'difference (increase - reduction)', NULL, t.increase - t.reduction FROM totals t
        UNION ALL SELECT 3, 4, 'position', 'change in position (end - start)', NULL, p.at_end - p.at_start FROM position p
    ) r
    ORDER BY r.section_order, r.line_order, r.name;
END
$$;
COMMENT ON FUNCTION accounts.accounts_profit_loss_report(date, date) IS
    'every movement into or out of deferred income between two dates (inclusive), reconciled with the position';

CREATE VIEW accounts.profit_loss_report WITH (security_invoker = true) AS
    SELECT * FROM accounts.accounts_profit_loss_report(date_trunc('month', accounts._report_today())::date,
                                                       (date_trunc('month', accounts._report_today())
                                                        + interval '1 month - 1 day')::date);
COMMENT ON VIEW accounts.profit_loss_report IS 'the profit and loss report for the current month';

CREATE FUNCTION accounts.accounts_statement(account bigint, from_instant timestamptz, to_instant timestamptz)
    RETURNS TABLE (date_created timestamptz, transfer_id bigint, reference text, kind text, counterparty text,
                   description text, merchant_reference text, amount numeric, balance numeric)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    -- Compiling these queries with LLVM costs more than running them.
    SET jit = off
AS $$
BEGIN
    IF account IS NULL OR from_instant IS NULL OR to_instant IS NULL THEN
        PERFORM accounts._raise('null_argument', 'account, from_instant and to_instant must be given');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM accounts.account a WHERE a.id = account) THEN
        PERFORM accounts._raise('account_not_found', format('account #%s does not exist', account));
    END IF;
    IF to_instant < from_instant THEN
        PERFORM accounts._raise('invalid_argument', 'to_instant must not be before from_instant');
    END IF;
    RETURN QUERY
    WITH opening AS (
        SELECT coalesce(sum(p.amount), 0.00) AS balance FROM accounts.posting p
         WHERE p.account_id = account AND p.date_created < from_instant
    )
    SELECT from_instant, NULL::bigint, NULL::text, NULL::text, NULL::text, 'opening balance'::text, NULL::text,
           NULL::numeric, o.balance
      FROM opening o
    UNION ALL
    SELECT s.date_created, s.transfer_id, s.reference, s.kind, s.counterparty, s.description, s.merchant_reference,
           s.amount, o.balance + sum(s.amount) OVER (ORDER BY s.date_created, s.posting_id)
      FROM opening o, (
        SELECT p.id AS posting_id, p.date_created, t.id AS transfer_id, t.reference, t.kind,
               coalesce(c.name, c.code, '#' || c.id) AS counterparty, t.description, t.merchant_reference, p.amount
          FROM accounts.posting p
          JOIN accounts.transfer t ON t.id = p.transfer_id
          JOIN accounts.account c ON c.id = CASE WHEN t.source_id = account THEN t.destination_id ELSE t.source_id END
         WHERE p.account_id = account AND p.date_created >= from_instant AND p.date_created < to_instant
      ) s
    ORDER BY 1, 2 NULLS FIRST;
END
$$;
COMMENT ON FUNCTION accounts.accounts_statement(bigint, timestamptz, timestamptz) IS
    'an account''s postings in [from_instant, to_instant) with their running balance, after an opening balance row';

CREATE FUNCTION accounts.accounts_trial_balance(at timestamptz DEFAULT NULL)
    RETURNS TABLE (account_type text, account_id bigint, account text, balance numeric)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    -- Compiling these queries with LLVM costs more than running them.
    SET jit = off
AS $$
    WITH RECURSIVE instant AS (
        SELECT coalesce(at, now()) AS at
    ), tree AS (
        SELECT t.id, t.name::text AS path FROM accounts.account_type t WHERE t.parent_id IS NULL
        UNION ALL
        SELECT t.id, tree.path || ' / ' || t.name FROM accounts.account_type t JOIN tree ON t.parent_id = tree.id
    ), balances AS (
        SELECT p.account_id, sum(p.amount) AS total
          FROM accounts.posting p, instant WHERE p.date_created <= instant.at GROUP BY p.account_id
    ), rows AS (
        SELECT coalesce(tree.path, '(no type)') AS type_path, a.id, coalesce(a.name, a.code, '#' || a.id) AS label,
               coalesce(b.total, 0.00) AS total
          FROM accounts.account a CROSS JOIN instant
          LEFT JOIN tree ON tree.id = a.account_type_id
          LEFT JOIN balances b ON b.account_id = a.id
         WHERE a.date_created <= instant.at OR b.account_id IS NOT NULL
    )
    SELECT CASE WHEN GROUPING(r.type_path) = 1 THEN 'Total' ELSE r.type_path END,
           r.id,
           CASE WHEN GROUPING(r.type_path) = 1 THEN NULL WHEN GROUPING(r.id) = 1 THEN 'subtotal' ELSE max(r.label) END,
           coalesce(sum(r.total), 0.00)
      FROM rows r
     GROUP BY GROUPING SETS ((r.type_path, r.id), (r.type_path), ())
     ORDER BY GROUPING(r.type_path), r.type_path, GROUPING(r.id), r.id
$$;
COMMENT ON FUNCTION accounts.accounts_trial_balance(timestamptz) IS
    'every account''s balance at an instant, grouped by type with subtotals; the Total is 0.00';

------------------------------------------------------------------------------------------
-- Audit.
------------------------------------------------------------------------------------------

CREATE FUNCTION accounts.accounts_verify()
    RETURNS TABLE (problem text, object_id bigint, detail text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    -- Compiling these queries with LLVM costs more than running them.
    SET jit = off
AS $$
    SELECT 'postings_do_not_sum_to_zero', NULL::bigint, format('all postings sum to %s', s.total)
      FROM (SELECT coalesce(sum(p.amount), 0) AS total FROM accounts.posting p) s
     WHERE s.total <> 0
    UNION ALL
    SELECT 'balance_mismatch', a.account_id,
           format('balance is %s%s but its postings sum to %s', a.balance,
                  CASE WHEN a.pending <> 0 THEN format(' (%s of it pending)', a.pending) ELSE '' END,
                  coalesce(p.total, 0.00))
      FROM accounts.account_balance a
      LEFT JOIN (SELECT account_id, sum(amount) AS total FROM accounts.posting GROUP BY account_id) p
        ON p.account_id = a.account_id
     WHERE a.balance <> coalesce(p.total, 0)
    UNION ALL
    SELECT 'pending_credit_mismatch', h.transfer_id,
           format('pending credit of %s to account #%s; the transfer paid %s to account #%s',
                  h.amount, h.account_id, t.amount, t.destination_id)
      FROM accounts.hot_credit h
      JOIN accounts.transfer t ON t.id = h.transfer_id
     WHERE h.account_id <> t.destination_id OR h.amount <> t.amount
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
SELECT pg_catalog.pg_extension_config_dump('accounts.hot_credit', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.system_account', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.system_account_type', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.idempotent_request', '');
SELECT pg_catalog.pg_extension_config_dump('accounts.ip_address_record', '');

------------------------------------------------------------------------------------------
-- Privileges. No roles are created here; README gives the GRANT recipe.
------------------------------------------------------------------------------------------

-- Ledger rows are read and written only by roles a DBA grants explicitly.
REVOKE ALL ON ALL TABLES IN SCHEMA accounts FROM PUBLIC;
-- Ids come from the functions; nobody else needs to draw from the sequences.
REVOKE ALL ON ALL SEQUENCES IN SCHEMA accounts FROM PUBLIC;
-- These move money or change the chart as the extension owner: only granted roles may call them.
REVOKE ALL ON FUNCTION accounts.accounts_transfer(bigint, bigint, numeric, bigint, bigint, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_reverse(bigint, bigint, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_transfer_batch(bigint[], bigint[], numeric[], text, bigint, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_init(text, text, text, text[], text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_close_expired(timestamptz, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_create_account(bigint, text, text, timestamptz, timestamptz, numeric, bigint,
    bigint[], bigint, boolean, text, text, boolean, integer, numeric, bigint, bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_update_account(bigint, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_freeze(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_thaw(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_close(bigint) FROM PUBLIC;
-- Changes how every transfer to the account locks: for the owner or a role granted it.
REVOKE ALL ON FUNCTION accounts.accounts_set_hot(bigint, boolean) FROM PUBLIC;
-- Writes balance columns (as the ledger): for the owner or a maintenance role granted it.
REVOKE ALL ON FUNCTION accounts.accounts_fold_hot_credits(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_redeem(text, bigint[], numeric[], bigint, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_refund(bigint, numeric, bigint, text, text, text, text) FROM PUBLIC;
-- Reads account data as the owner, and counts failures per address: only granted roles.
REVOKE ALL ON FUNCTION accounts.accounts_lookup_code(text, inet) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_permitted_allocation(bigint, numeric, numeric, numeric, numeric) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_refundable(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_balance_at(bigint, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_balance(bigint) FROM PUBLIC;
-- Imports write history: the owner's privileges are needed anyway (SECURITY INVOKER).
REVOKE ALL ON FUNCTION accounts.accounts_import_transfer(bigint, bigint, numeric, timestamptz, bigint, bigint, text, text, text) FROM PUBLIC;
-- Reports read every row: granted to reporting roles explicitly.
REVOKE ALL ON FUNCTION accounts.accounts_deferred_income_report(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_profit_loss_report(date, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_statement(bigint, timestamptz, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts.accounts_trial_balance(timestamptz) FROM PUBLIC;
-- Report helpers: _report_zone() and _report_today() stay executable by anyone (the report
-- views call them as their reader; they only say what today is); _day_start is internal.
REVOKE ALL ON FUNCTION accounts._day_start(date) FROM PUBLIC;
-- Reads every row of the ledger: granted to auditing roles explicitly.
REVOKE ALL ON FUNCTION accounts.accounts_verify() FROM PUBLIC;
-- Internal: called only by the extension's own triggers and functions.
REVOKE ALL ON FUNCTION accounts._raise(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._init_type(text, text, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._init_account(text, text, bigint, numeric) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._refuse_write() FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._check_transfer_legs() FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._upper_case_code() FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._generate_code(integer, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._plan_status_change(bigint, text, text, numeric) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._permitted_allocation(numeric, numeric, boolean, boolean, numeric, numeric, numeric, numeric) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._lookup_block_state(integer, integer, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._check_validity_window(timestamptz, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._idempotency_claim(text, text, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._idempotency_record(text, bigint[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._lock_account(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._lock_for_transfers(bigint[], bigint) FROM PUBLIC;
-- Writes balances as the ledger: only the extension's own functions call it.
REVOKE ALL ON FUNCTION accounts._fold_hot_credits(bigint, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._check_account_name(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION accounts._change_status(bigint, text) FROM PUBLIC;
