-- The reference package's tables (django-oscar-accounts, Django 3.2 on PostgreSQL), as its
-- migrations create them (spec §12): serial ids, varchar columns, no database defaults, every
-- foreign key DEFERRABLE INITIALLY DEFERRED without ON DELETE, the foreign-key indexes and the
-- varchar_pattern_ops "_like" indexes Django adds for LIKE. auth_user and offer_range are
-- stand-ins for the Django and Oscar tables the foreign keys point at.
--
-- psql variables: accounts (how many accounts to create, ids 1..accounts).
\set ON_ERROR_STOP on
CREATE SCHEMA reference_oscar;
SET search_path = reference_oscar;

CREATE TABLE auth_user (
    id       serial PRIMARY KEY,
    username varchar(150) NOT NULL UNIQUE
);
CREATE TABLE offer_range (
    id   serial PRIMARY KEY,
    name varchar(128) NOT NULL
);

CREATE TABLE oscar_accounts_accounttype (
    id       serial PRIMARY KEY,
    path     varchar(255) NOT NULL UNIQUE,
    depth    integer NOT NULL CHECK (depth >= 0),
    numchild integer NOT NULL CHECK (numchild >= 0),
    code     varchar(128) NULL UNIQUE,
    name     varchar(128) NOT NULL
);
CREATE INDEX oscar_accounts_accounttype_path_ec7684a6_like ON oscar_accounts_accounttype (path varchar_pattern_ops);
CREATE INDEX oscar_accounts_accounttype_code_b4375be6_like ON oscar_accounts_accounttype (code varchar_pattern_ops);

CREATE TABLE oscar_accounts_account (
    id                           serial PRIMARY KEY,
    name                         varchar(128) NULL UNIQUE,
    description                  text NULL,
    code                         varchar(128) NULL UNIQUE,
    status                       varchar(32) NOT NULL,
    credit_limit                 numeric(12,2) NULL,
    balance                      numeric(12,2) NULL,
    start_date                   timestamptz NULL,
    end_date                     timestamptz NULL,
    can_be_used_for_non_products boolean NOT NULL,
    date_created                 timestamptz NOT NULL,
    account_type_id              integer NULL,
    primary_user_id              integer NULL,
    product_range_id             integer NULL
);
ALTER TABLE oscar_accounts_account
    ADD CONSTRAINT oscar_accounts_accou_account_type_id_ce445182_fk_oscar_acc
        FOREIGN KEY (account_type_id) REFERENCES oscar_accounts_accounttype (id) DEFERRABLE INITIALLY DEFERRED,
    ADD CONSTRAINT oscar_accounts_account_primary_user_id_95919c13_fk_auth_user_id
        FOREIGN KEY (primary_user_id) REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
    ADD CONSTRAINT oscar_accounts_accou_product_range_id_b773d7c3_fk_offer_ran
        FOREIGN KEY (product_range_id) REFERENCES offer_range (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX oscar_accounts_account_name_10965ccd_like ON oscar_accounts_account (name varchar_pattern_ops);
CREATE INDEX oscar_accounts_account_code_434d8a7a_like ON oscar_accounts_account (code varchar_pattern_ops);
CREATE INDEX oscar_accounts_account_account_type_id_ce445182 ON oscar_accounts_account (account_type_id);
CREATE INDEX oscar_accounts_account_primary_user_id_95919c13 ON oscar_accounts_account (primary_user_id);
CREATE INDEX oscar_accounts_account_product_range_id_b773d7c3 ON oscar_accounts_account (product_range_id);

CREATE TABLE oscar_accounts_account_secondary_users (
    id         serial PRIMARY KEY,
    account_id integer NOT NULL,
    user_id    integer NOT NULL,
    CONSTRAINT oscar_accounts_account_s_account_id_user_id_87e6566a_uniq UNIQUE (account_id, user_id)
);
ALTER TABLE oscar_accounts_account_secondary_users
    ADD CONSTRAINT oscar_accounts_accou_account_id_5ba1ded6_fk_oscar_acc
        FOREIGN KEY (account_id) REFERENCES oscar_accounts_account (id) DEFERRABLE INITIALLY DEFERRED,
    ADD CONSTRAINT oscar_accounts_accou_user_id_b4a44a6f_fk_auth_user
        FOREIGN KEY (user_id) REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX oscar_accounts_account_secondary_users_account_id_5ba1ded6
    ON oscar_accounts_account_secondary_users (account_id);
CREATE INDEX oscar_accounts_account_secondary_users_user_id_b4a44a6f
    ON oscar_accounts_account_secondary_users (user_id);

CREATE TABLE oscar_accounts_transfer (
    id                 serial PRIMARY KEY,
    reference          varchar(64) NULL UNIQUE,
    amount             numeric(12,2) NOT NULL,
    merchant_reference varchar(128) NULL,
    description        varchar(256) NULL,
    username           varchar(150) NOT NULL,
    date_created       timestamptz NOT NULL,
    destination_id     integer NOT NULL,
    parent_id          integer NULL,
    source_id          integer NOT NULL,
    user_id            integer NULL
);
ALTER TABLE oscar_accounts_transfer
    ADD CONSTRAINT oscar_accounts_trans_destination_id_540bd15f_fk_oscar_acc
        FOREIGN KEY (destination_id) REFERENCES oscar_accounts_account (id) DEFERRABLE INITIALLY DEFERRED,
    ADD CONSTRAINT oscar_accounts_trans_parent_id_e1d7ef5b_fk_oscar_acc
        FOREIGN KEY (parent_id) REFERENCES oscar_accounts_transfer (id) DEFERRABLE INITIALLY DEFERRED,
    ADD CONSTRAINT oscar_accounts_trans_source_id_0f016dfb_fk_oscar_acc
        FOREIGN KEY (source_id) REFERENCES oscar_accounts_account (id) DEFERRABLE INITIALLY DEFERRED,
    ADD CONSTRAINT oscar_accounts_transfer_user_id_c34c8716_fk_auth_user_id
        FOREIGN KEY (user_id) REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX oscar_accounts_transfer_reference_753a9b76_like ON oscar_accounts_transfer (reference varchar_pattern_ops);
CREATE INDEX oscar_accounts_transfer_destination_id_540bd15f ON oscar_accounts_transfer (destination_id);
CREATE INDEX oscar_accounts_transfer_parent_id_e1d7ef5b ON oscar_accounts_transfer (parent_id);
CREATE INDEX oscar_accounts_transfer_source_id_0f016dfb ON oscar_accounts_transfer (source_id);
CREATE INDEX oscar_accounts_transfer_user_id_c34c8716 ON oscar_accounts_transfer (user_id);

-- One ledger leg ("Transaction" in the reference).
CREATE TABLE oscar_accounts_transaction (
    id           serial PRIMARY KEY,
    amount       numeric(12,2) NOT NULL,
    date_created timestamptz NOT NULL,
    account_id   integer NOT NULL,
    transfer_id  integer NOT NULL,
    CONSTRAINT oscar_accounts_transaction_transfer_id_account_id_051060d4_uniq UNIQUE (transfer_id, account_id)
);
ALTER TABLE oscar_accounts_transaction
    ADD CONSTRAINT oscar_accounts_trans_account_id_c9c544ff_fk_oscar_acc
        FOREIGN KEY (account_id) REFERENCES oscar_accounts_account (id) DEFERRABLE INITIALLY DEFERRED,
    ADD CONSTRAINT oscar_accounts_trans_transfer_id_08f32042_fk_oscar_acc
        FOREIGN KEY (transfer_id) REFERENCES oscar_accounts_transfer (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX oscar_accounts_transaction_account_id_c9c544ff ON oscar_accounts_transaction (account_id);
CREATE INDEX oscar_accounts_transaction_transfer_id_08f32042 ON oscar_accounts_transaction (transfer_id);

CREATE TABLE oscar_accounts_ipaddressrecord (
    id                   serial PRIMARY KEY,
    ip_address           inet NOT NULL UNIQUE,
    total_failures       integer NOT NULL CHECK (total_failures >= 0),
    consecutive_failures integer NOT NULL CHECK (consecutive_failures >= 0),
    date_created         timestamptz NOT NULL,
    date_last_failure    timestamptz NULL
);

-- The chart: one account type, and the cards. Every value is explicit, as the ORM sends it.
-- Unlimited credit (credit_limit NULL) so the reference's in-memory funds check always passes.
INSERT INTO oscar_accounts_accounttype (path, depth, numchild, code, name)
VALUES ('0001', 1, 0, NULL, 'Dashboard created accounts');
INSERT INTO oscar_accounts_account (name, description, code, status, credit_limit, balance, start_date, end_date,
                                    can_be_used_for_non_products, date_created, account_type_id,
                                    primary_user_id, product_range_id)
SELECT NULL, NULL, 'REFCARD' || i, 'Open', NULL, 0.00, NULL, NULL, true, '2026-01-01 00:00:00+00', 1, NULL, NULL
  FROM generate_series(1, :accounts) AS i;

DO $$
BEGIN
    IF (SELECT min(id) FROM reference_oscar.oscar_accounts_account) <> 1 THEN
        RAISE EXCEPTION 'reference_oscar accounts do not start at id 1';
    END IF;
END
$$;
