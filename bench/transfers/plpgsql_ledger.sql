-- What a user might write instead of the extension: the same tables (columns, constraints,
-- indexes and foreign keys of accounts.account, accounts.transfer and accounts.posting, and the
-- tables they refer to), no triggers, and one PL/pgSQL function doing the checks of
-- accounts_transfer() under row locks. bench/transfers.sh compares these definitions with the
-- extension's and says so if they drift apart.
--
-- psql variables: accounts (cards, ids 1..accounts; a Bank with unlimited credit after them).
\set ON_ERROR_STOP on
CREATE SCHEMA plpgsql_ledger;

CREATE TABLE plpgsql_ledger.account_type (
    id        bigserial CONSTRAINT account_type_pkey PRIMARY KEY,
    parent_id bigint CONSTRAINT account_type_parent_id_fkey REFERENCES plpgsql_ledger.account_type (id),
    name      text NOT NULL CONSTRAINT account_type_name_check CHECK (length(name) BETWEEN 1 AND 128),
    code      text CONSTRAINT account_type_code_key UNIQUE
                   CONSTRAINT account_type_code_check CHECK (length(code) BETWEEN 1 AND 128),
    CONSTRAINT account_type_parent_id_name_key UNIQUE NULLS NOT DISTINCT (parent_id, name),
    CONSTRAINT account_type_parent_id_check CHECK (parent_id <> id)
);

CREATE TABLE plpgsql_ledger.account (
    id                           bigserial CONSTRAINT account_pkey PRIMARY KEY,
    name                         text CONSTRAINT account_name_key UNIQUE
                                      CONSTRAINT account_name_check CHECK (length(name) BETWEEN 1 AND 128),
    description                  text,
    account_type_id              bigint CONSTRAINT account_account_type_id_fkey REFERENCES plpgsql_ledger.account_type (id),
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
    currency                     text NOT NULL DEFAULT 'GBP'
                                      CONSTRAINT account_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    date_created                 timestamptz NOT NULL DEFAULT now(),
    hot                          boolean NOT NULL DEFAULT false,
    CONSTRAINT account_balance_credit_limit_check CHECK (credit_limit IS NULL OR balance >= -credit_limit),
    CONSTRAINT account_end_date_check CHECK (end_date >= start_date)
);

CREATE TABLE plpgsql_ledger.account_secondary_user (
    account_id bigint NOT NULL CONSTRAINT account_secondary_user_account_id_fkey
                                   REFERENCES plpgsql_ledger.account (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL,
    CONSTRAINT account_secondary_user_pkey PRIMARY KEY (account_id, user_id)
);

CREATE TABLE plpgsql_ledger.transfer (
    id                 bigserial CONSTRAINT transfer_pkey PRIMARY KEY,
    reference          text NOT NULL CONSTRAINT transfer_reference_key UNIQUE
                            CONSTRAINT transfer_reference_check CHECK (reference ~ '^[0-9A-F]{32}$'),
    source_id          bigint NOT NULL CONSTRAINT transfer_source_id_fkey REFERENCES plpgsql_ledger.account (id),
    destination_id     bigint NOT NULL CONSTRAINT transfer_destination_id_fkey REFERENCES plpgsql_ledger.account (id),
    amount             numeric(18,2) NOT NULL CONSTRAINT transfer_amount_check CHECK (amount > 0),
    parent_id          bigint CONSTRAINT transfer_parent_id_fkey REFERENCES plpgsql_ledger.transfer (id),
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
CREATE UNIQUE INDEX transfer_parent_id_reversal_key ON plpgsql_ledger.transfer (parent_id) WHERE kind = 'reversal';
CREATE INDEX transfer_parent_id_idx ON plpgsql_ledger.transfer (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX transfer_date_created_idx ON plpgsql_ledger.transfer (date_created);

CREATE TABLE plpgsql_ledger.posting (
    id           bigserial CONSTRAINT posting_pkey PRIMARY KEY,
    transfer_id  bigint NOT NULL CONSTRAINT posting_transfer_id_fkey REFERENCES plpgsql_ledger.transfer (id),
    account_id   bigint NOT NULL CONSTRAINT posting_account_id_fkey REFERENCES plpgsql_ledger.account (id),
    amount       numeric(18,2) NOT NULL CONSTRAINT posting_amount_check CHECK (amount <> 0),
    date_created timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT posting_transfer_id_account_id_key UNIQUE (transfer_id, account_id)
);
CREATE INDEX posting_account_id_date_created_idx ON plpgsql_ledger.posting (account_id, date_created);

-- The transfer: argument checks, both accounts locked FOR NO KEY UPDATE lower id first, then
-- under the locks the checks of accounts_transfer() in its order (source Open, user authorised,
-- destination Open, source inside its validity window, same currency, funds), then the writes:
-- the transfer with a random reference, both postings, both balances.
CREATE FUNCTION plpgsql_ledger.transfer(
    p_source bigint,
    p_destination bigint,
    p_amount numeric,
    p_user_id bigint DEFAULT NULL,
    p_username text DEFAULT NULL,
    p_merchant_reference text DEFAULT NULL,
    p_description text DEFAULT NULL)
    RETURNS plpgsql_ledger.transfer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_first plpgsql_ledger.account;
    v_second plpgsql_ledger.account;
    v_source plpgsql_ledger.account;
    v_destination plpgsql_ledger.account;
    v_now timestamptz := now();
    v_transfer plpgsql_ledger.transfer;
BEGIN
    IF p_source IS NULL OR p_destination IS NULL OR p_amount IS NULL THEN
        RAISE EXCEPTION 'source, destination and amount must not be null' USING ERRCODE = '22004';
    END IF;
    IF p_source = p_destination THEN
        RAISE EXCEPTION 'source and destination are the same account' USING ERRCODE = '22023';
    END IF;
    IF NOT (p_amount > 0 AND p_amount <= 9999999999999999.99) OR p_amount <> round(p_amount, 2) THEN
        RAISE EXCEPTION 'invalid amount %', p_amount USING ERRCODE = '22023';
    END IF;

    SELECT * INTO v_first FROM plpgsql_ledger.account a
     WHERE a.id = least(p_source, p_destination) FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account #% does not exist', least(p_source, p_destination) USING ERRCODE = 'P0002';
    END IF;
    SELECT * INTO v_second FROM plpgsql_ledger.account a
     WHERE a.id = greatest(p_source, p_destination) FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account #% does not exist', greatest(p_source, p_destination) USING ERRCODE = 'P0002';
    END IF;
    IF p_source < p_destination THEN
        v_source := v_first;
        v_destination := v_second;
    ELSE
        v_source := v_second;
        v_destination := v_first;
    END IF;

    IF v_source.status <> 'Open' THEN
        RAISE EXCEPTION 'source account #% is %', p_source, v_source.status USING ERRCODE = '55000';
    END IF;
    IF p_user_id IS NOT NULL THEN
        IF v_source.primary_user_id IS NOT NULL THEN
            IF v_source.primary_user_id <> p_user_id THEN
                RAISE EXCEPTION 'user % may not spend from account #%', p_user_id, p_source USING ERRCODE = '42501';
            END IF;
        ELSIF EXISTS (SELECT 1 FROM plpgsql_ledger.account_secondary_user s WHERE s.account_id = p_source)
              AND NOT EXISTS (SELECT 1 FROM plpgsql_ledger.account_secondary_user s
                               WHERE s.account_id = p_source AND s.user_id = p_user_id) THEN
            RAISE EXCEPTION 'user % may not spend from account #%', p_user_id, p_source USING ERRCODE = '42501';
        END IF;
    END IF;
    IF v_destination.status <> 'Open' THEN
        RAISE EXCEPTION 'destination account #% is %', p_destination, v_destination.status USING ERRCODE = '55000';
    END IF;
    IF (v_source.start_date IS NOT NULL AND v_now < v_source.start_date)
       OR (v_source.end_date IS NOT NULL AND v_now >= v_source.end_date) THEN
        RAISE EXCEPTION 'source account #% is outside its validity window', p_source USING ERRCODE = '55000';
    END IF;
    IF v_source.currency <> v_destination.currency THEN
        RAISE EXCEPTION 'accounts #% and #% have different currencies', p_source, p_destination USING ERRCODE = '22023';
    END IF;
    IF v_source.credit_limit IS NOT NULL AND p_amount > v_source.balance + v_source.credit_limit THEN
        RAISE EXCEPTION 'unable to debit % from account #%', p_amount, p_source USING ERRCODE = '23514';
    END IF;

    INSERT INTO plpgsql_ledger.transfer (reference, source_id, destination_id, amount, merchant_reference,
                                         description, user_id, username, date_created)
    VALUES (upper(replace(gen_random_uuid()::text, '-', '')), p_source, p_destination, p_amount,
            p_merchant_reference, p_description, p_user_id, coalesce(p_username, ''), v_now)
    RETURNING * INTO v_transfer;
    INSERT INTO plpgsql_ledger.posting (transfer_id, account_id, amount, date_created)
    VALUES (v_transfer.id, p_source, -p_amount, v_now), (v_transfer.id, p_destination, p_amount, v_now);
    UPDATE plpgsql_ledger.account SET balance = balance - p_amount WHERE id = p_source;
    UPDATE plpgsql_ledger.account SET balance = balance + p_amount WHERE id = p_destination;
    RETURN v_transfer;
END
$$;

-- Cards 1..accounts, then a Bank with unlimited credit that loads each card with 1,000,000.00.
INSERT INTO plpgsql_ledger.account_type (name) VALUES ('Dashboard created accounts');
INSERT INTO plpgsql_ledger.account (name, account_type_id)
SELECT 'plpgsql card ' || i, 1 FROM generate_series(1, :accounts) AS i;
INSERT INTO plpgsql_ledger.account (name, account_type_id, credit_limit) VALUES ('plpgsql bank', 1, NULL);
SELECT count(plpgsql_ledger.transfer((SELECT id FROM plpgsql_ledger.account WHERE name = 'plpgsql bank'), i, 1000000.00))
  FROM generate_series(1, :accounts) AS i;
