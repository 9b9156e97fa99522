"""The facade: every call is ONE call of the corresponding ``accounts.*`` SQL function.

Each call runs inside ``transaction.atomic()``: on its own it commits, inside a caller's
transaction it is a savepoint, so a refusal leaves the caller's transaction usable (as the
reference's ``transaction.atomic()`` around a transfer did). A refusal raises the
``exceptions.AccountException`` subclass of its SQLSTATE (see ``exceptions.SQLSTATE_EXCEPTIONS``),
carrying the database's message and detail. Serialization failures (40001) and deadlocks
(40P01) are not AccountExceptions: they propagate as ``django.db.OperationalError``; retry the
whole transaction.

``user`` is a Django user instance (or None): its ``pk`` is recorded as ``user_id`` and
``get_username()`` as ``username``, and the extension checks it may spend from the source.
Accounts and transfers can be given as model instances or ids. Amounts are Decimals (or
strings/ints); more than two decimals is refused (InvalidAmount), never rounded.

Money-moving calls do not refresh Account objects the caller holds: call
``account.refresh_from_db()`` to see a new balance. Status calls (freeze/thaw/close) and
``update_account`` do update the instance they are given.
"""
import datetime
import json
import logging
from collections import namedtuple
from decimal import Decimal

from django.conf import settings
from django.db import connections, router, transaction

from . import exceptions
from .models import Account, Transfer

logger = logging.getLogger('oscar_accounts')  # the reference's logger name
logger.addHandler(logging.NullHandler())  # a library: output only where the project configures logging

__all__ = [
    'transfer', 'reverse', 'refund', 'redeem', 'refundable', 'permitted_allocation', 'create_account',
    'update_account', 'freeze', 'thaw', 'close', 'lookup_code', 'close_expired_accounts', 'balance_at',
    'init', 'verify', 'error_codes',
]


def _pk(obj):
    if obj is None or isinstance(obj, int):
        return obj
    return obj.pk


def _user(user):
    """(user_id, username) for a Django user, (None, None) for None or an anonymous user."""
    if user is None:
        return None, None
    if isinstance(user, int):
        return user, None
    if getattr(user, 'pk', None) is None:
        return None, None
    return user.pk, user.get_username()


def _db(using=None):
    return using or router.db_for_write(Transfer)


def _named_args(pairs):
    """SQL text ("name => %s, ...") and params for named arguments."""
    names = []
    params = []
    for name, value, cast in pairs:
        names.append('%s => %%s%s' % (name, '::' + cast if cast else ''))
        params.append(value)
    return ', '.join(names), params


def _call_rows(model, function, positional, named, using=None):
    """``SELECT * FROM accounts.<function>(...)`` as model instances, in one statement."""
    db = _db(using)
    named_sql, named_params = _named_args(named)
    args_sql = ', '.join(['%s'] * len(positional) + ([named_sql] if named_sql else []))
    sql = 'SELECT * FROM accounts.%s(%s) WHERE id IS NOT NULL' % (function, args_sql)
    with transaction.atomic(using=db), exceptions.translate_errors():
        return list(model._default_manager.db_manager(db).raw(sql, list(positional) + named_params))


def _call_value(function, positional, named=(), using=None):
    db = _db(using)
    named_sql, named_params = _named_args(named)
    args_sql = ', '.join(['%s'] * len(positional) + ([named_sql] if named_sql else []))
    with transaction.atomic(using=db), exceptions.translate_errors(), connections[db].cursor() as cursor:
        cursor.execute('SELECT accounts.%s(%s)' % (function, args_sql), list(positional) + named_params)
        return cursor.fetchone()[0]


def _call_table(function, positional=(), named=(), using=None, row_name='Row'):
    db = _db(using)
    named_sql, named_params = _named_args(named)
    args_sql = ', '.join(['%s'] * len(positional) + ([named_sql] if named_sql else []))
    with transaction.atomic(using=db), exceptions.translate_errors(), connections[db].cursor() as cursor:
        cursor.execute('SELECT * FROM accounts.%s(%s)' % (function, args_sql), list(positional) + named_params)
        row_type = namedtuple(row_name, [column[0] for column in cursor.description])
        return [row_type(*row) for row in cursor.fetchall()]


def _one(rows):
    return rows[0] if rows else None


def _logged(message, user, description, call):
    """Logs as the reference's facade: INFO on success, WARNING on a refusal (re-raised unchanged)."""
    user_id, username = _user(user)
    if user_id is not None:
        message += ' authorised by user #%s (%s)' % (user_id, username)
    if description:
        message += " '%s'" % description
    try:
        result = call()
    except exceptions.AccountException as error:
        logger.warning("%s - failed: '%s'", message, error)
        raise
    logger.info('%s - successful, transfer: %s', message, result.reference)
    return result


def _copy_into(instance, fresh):
    """Updates an Account the caller holds from a row the extension returned."""
    if not isinstance(instance, Account) or fresh is None:
        return fresh
    for field in instance._meta.concrete_fields:
        setattr(instance, field.attname, getattr(fresh, field.attname))
        if field.is_relation and field.is_cached(instance):
            field.delete_cached_value(instance)
    instance._state.adding = False
    instance._state.db = fresh._state.db
    instance._remember_loaded()
    return instance


# -- moving money ---------------------------------------------------------------------------

def transfer(source, destination, amount, parent=None, user=None, merchant_reference=None,
             description=None, idempotency_key=None):
    """accounts_transfer(): moves ``amount`` from ``source`` to ``destination``; returns the Transfer.

    With ``parent`` it is a refund of that transfer (it must go back the other way and is capped
    by what remains refundable). With ``idempotency_key``, a retry of the same request returns the
    same transfer; the key used for a different request raises IdempotencyKeyReused."""
    user_id, username = _user(user)
    return _logged('Transfer of %s from account #%s to account #%s' % (amount, _pk(source), _pk(destination)),
                   user, description,
                   lambda: _one(_call_rows(Transfer, 'accounts_transfer', [_pk(source), _pk(destination), amount], [
                       ('parent', _pk(parent), 'bigint'), ('user_id', user_id, 'bigint'),
                       ('username', username, 'text'), ('merchant_reference', merchant_reference, 'text'),
                       ('description', description, 'text'), ('idempotency_key', idempotency_key, 'text')])))


def reverse(transfer, user=None, merchant_reference=None, description=None, idempotency_key=None):
    """accounts_reverse(): moves back what remains of ``transfer`` (once); returns the reversal,
    whose ``parent`` is ``transfer`` and ``kind`` is 'reversal'."""
    user_id, username = _user(user)
    return _logged('Reverse of transfer #%s' % _pk(transfer), user, description,
                   lambda: _one(_call_rows(Transfer, 'accounts_reverse', [_pk(transfer)], [
                       ('user_id', user_id, 'bigint'), ('username', username, 'text'),
                       ('merchant_reference', merchant_reference, 'text'), ('description', description, 'text'),
                       ('idempotency_key', idempotency_key, 'text')])))


def refund(transfer, amount, user=None, merchant_reference=None, description=None, idempotency_key=None):
    """accounts_refund(): gives back ``amount`` of ``transfer`` (destination -> source), capped by
    what remains refundable (RefundExceedsRemaining)."""
    user_id, username = _user(user)
    return _one(_call_rows(Transfer, 'accounts_refund', [_pk(transfer), amount], [
        ('user_id', user_id, 'bigint'), ('username', username, 'text'),
        ('merchant_reference', merchant_reference, 'text'), ('description', description, 'text'),
        ('idempotency_key', idempotency_key, 'text')]))


def redeem(order_number, allocations, user=None, idempotency_key=None):
    """accounts_redeem(): pays order ``order_number`` to Redemptions from several accounts, all or
    none. ``allocations`` is a list of (account, amount) pairs or a dict {account: amount}
    (accounts as instances or ids). Returns the transfers, in the order of the allocations."""
    items = list(allocations.items()) if isinstance(allocations, dict) else list(allocations)
    user_id, username = _user(user)
    return _call_rows(Transfer, 'accounts_redeem', [str(order_number)], [
        ('account_ids', [_pk(account) for account, _ in items], 'bigint[]'),
        ('amounts', [amount for _, amount in items], 'numeric[]'),
        ('user_id', user_id, 'bigint'), ('username', username, 'text'),
        ('idempotency_key', idempotency_key, 'text')])


def refundable(transfer):
    """accounts_refundable(): what refunds and a reversal can still give back of ``transfer``."""
    return _call_value('accounts_refundable', [_pk(transfer)])


def permitted_allocation(account, order_total, shipping_total=Decimal('0.00'), range_total=None,
                         other_allocated=Decimal('0.00')):
    """accounts_permitted_allocation(): how much of an order ``account`` may pay, given what other
    accounts already cover (``other_allocated``; this fixes the reference's bug #41)."""
    return _call_value('accounts_permitted_allocation', [_pk(account), order_total], [
        ('shipping_total', shipping_total, 'numeric'), ('range_total', range_total, 'numeric'),
        ('other_allocated', other_allocated, 'numeric')])


def balance_at(account, at):
    """accounts_balance_at(): the balance just after the instant ``at``."""
    return _call_value('accounts_balance_at', [_pk(account), at])


# -- accounts -------------------------------------------------------------------------------

def create_account(account_type=None, name=None, description=None, start_date=None, end_date=None,
                   credit_limit=Decimal('0.00'), primary_user=None, secondary_users=None, product_range_id=None,
                   can_be_used_for_non_products=True, currency=None, code=None, generate_code=False,
                   code_length=12, initial_amount=None, source=None, user=None):
    """accounts_create_account(): creates an account, optionally with a code (given, or generated
    with ``generate_code=True``) and an initial load from ``source`` (nothing is created if the
    load is refused). ``credit_limit=None`` means unlimited. Users can be instances or ids."""
    user_id, username = _user(user)
    secondary = None if secondary_users is None else [_pk(u) for u in secondary_users]
    return _one(_call_rows(Account, 'accounts_create_account', [], [
        ('account_type_id', _pk(account_type), 'bigint'), ('name', name, 'text'),
        ('description', description, 'text'), ('start_date', start_date, 'timestamptz'),
        ('end_date', end_date, 'timestamptz'), ('credit_limit', credit_limit, 'numeric'),
        ('primary_user_id', _pk(primary_user), 'bigint'), ('secondary_user_ids', secondary, 'bigint[]'),
        ('product_range_id', product_range_id, 'bigint'),
        ('can_be_used_for_non_products', can_be_used_for_non_products, 'boolean'),
        ('currency', currency, 'text'), ('code', code, 'text'), ('generate_code', generate_code, 'boolean'),
        ('code_length', code_length, 'integer'), ('initial_amount', initial_amount, 'numeric'),
        ('source', _pk(source), 'bigint'), ('user_id', user_id, 'bigint'), ('username', username, 'text')]))


class _ChangesEncoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return str(o)
        if isinstance(o, (datetime.datetime, datetime.date)):
            return o.isoformat()
        return super().default(o)


def update_account(account, using=None, **changes):
    """accounts_update_account(): changes the editable fields given as keyword arguments (name,
    description, account_type_id, primary_user_id, secondary_user_ids, start_date, end_date,
    product_range_id, can_be_used_for_non_products, credit_limit); None clears a field. Updates
    and returns the Account instance given (or a new one for an id)."""
    if 'account_type' in changes:
        changes['account_type_id'] = _pk(changes.pop('account_type'))
    if 'primary_user' in changes:
        changes['primary_user_id'] = _pk(changes.pop('primary_user'))
    if 'secondary_users' in changes:
        changes['secondary_user_ids'] = changes.pop('secondary_users')
    if changes.get('secondary_user_ids') is not None:
        changes['secondary_user_ids'] = [_pk(u) for u in changes['secondary_user_ids']]
    fresh = _one(_call_rows(Account, 'accounts_update_account',
                            [_pk(account), json.dumps(changes, cls=_ChangesEncoder)], [], using=using))
    return _copy_into(account, fresh)


def freeze(account):
    """accounts_freeze(): Open -> Frozen. Updates and returns the Account given."""
    return _copy_into(account, _one(_call_rows(Account, 'accounts_freeze', [_pk(account)], [])))


def thaw(account):
    """accounts_thaw(): Frozen -> Open. Updates and returns the Account given."""
    return _copy_into(account, _one(_call_rows(Account, 'accounts_thaw', [_pk(account)], [])))


def close(account):
    """accounts_close(): Open or Frozen -> Closed; AccountNotEmpty while the balance is positive."""
    return _copy_into(account, _one(_call_rows(Account, 'accounts_close', [_pk(account)], [])))


def lookup_code(code, client_ip):
    """accounts_lookup_code(): the Account with this code as a customer typed it (trimmed,
    upper-cased, '-' dropped), or None. Failures are counted per ``client_ip``; a blocked
    address raises ClientBlocked before any look-up."""
    return _one(_call_rows(Account, 'accounts_lookup_code', [code], [('client_ip', client_ip, 'inet')]))


# -- chart of accounts, sweep, audit --------------------------------------------------------

def init(redemptions_name=None, lapsed_name=None, bank_name=None, unpaid_source_names=None,
         deferred_income_type_names=None, using=None):
    """accounts_init(): creates (or completes) the chart of accounts; safe to run again. Names
    default to the reference's settings ACCOUNTS_REDEMPTIONS_NAME, ACCOUNTS_LAPSED_NAME,
    ACCOUNTS_BANK_NAME, ACCOUNTS_UNPAID_SOURCES and ACCOUNTS_DEFERRED_INCOME_ACCOUNT_TYPES (or the
    reference's defaults). Returns rows (role, kind, id, name). Needs the DBA's privilege."""
    return _call_table('accounts_init', [], [
        ('redemptions_name', redemptions_name or getattr(settings, 'ACCOUNTS_REDEMPTIONS_NAME', 'Redemptions'), 'text'),
        ('lapsed_name', lapsed_name or getattr(settings, 'ACCOUNTS_LAPSED_NAME', 'Lapsed accounts'), 'text'),
        ('bank_name', bank_name or getattr(settings, 'ACCOUNTS_BANK_NAME', 'Bank'), 'text'),
        ('unpaid_source_names', list(unpaid_source_names or getattr(settings, 'ACCOUNTS_UNPAID_SOURCES',
                                                                    ('Unpaid source',))), 'text[]'),
        ('deferred_income_type_names', list(deferred_income_type_names or getattr(
            settings, 'ACCOUNTS_DEFERRED_INCOME_ACCOUNT_TYPES', ('Dashboard created accounts',))), 'text[]'),
    ], using=using, row_name='SystemRole')


def close_expired_accounts(as_of=None, description='Closing account'):
    """accounts_close_expired(): closes every Open account expired as of ``as_of`` (default now),
    moving a positive balance to the Lapsed account first. Returns one row per account (account_id,
    balance, lapsed_amount, transfer_id, and whatever else the extension reports, e.g. closed and
    refusal for an account it refused to lapse)."""
    return _call_table('accounts_close_expired', [], [
        ('as_of', as_of, 'timestamptz'), ('description', description, 'text')], row_name='ExpiredAccount')


def verify():
    """accounts_verify(): every violation of the ledger's invariants (no rows when healthy)."""
    return _call_table('accounts_verify', row_name='Violation')


def error_codes():
    """accounts_error_codes(): every SQLSTATE the extension raises (sqlstate, name, description)."""
    return _call_table('accounts_error_codes', row_name='ErrorCode')
