"""Exceptions raised by the facade, one class per condition of the extension.

The extension reports every refusal with its own SQLSTATE (``accounts.accounts_error_codes()``).
``SQLSTATE_EXCEPTIONS`` below is the one table from SQLSTATE to exception class; the test suite
checks it against the extension's catalogue, so the two cannot drift apart.

The reference package's classes are kept (``AccountException``, ``AccountNotEmpty``,
``InsufficientFunds``, ``InvalidAmount``, ``InactiveAccount``, ``ClosedAccount``); every other
condition gets a subclass of ``AccountException`` named after it.

Not mapped, so not ``AccountException``: serialization failures (40001) and deadlocks (40P01),
which mean "retry the whole transaction", and PostgreSQL's own errors such as 42501 (permission
denied). They propagate as Django's database exceptions (``django.db.OperationalError``, ...).
"""
from contextlib import contextmanager

from django.db import Error as DatabaseError


class AccountException(Exception):
    """Base class of every refusal of the ledger.

    ``message`` is the database's message (``str(e)`` too), ``detail`` and ``hint`` its DETAIL and
    HINT (or None), ``sqlstate`` and ``condition`` the extension's code and condition name (None
    when the exception was raised by Python code rather than by the database).
    """

    def __init__(self, message='', detail=None, hint=None, sqlstate=None, condition=None):
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.hint = hint
        self.sqlstate = sqlstate
        self.condition = condition

    def __str__(self):
        return self.message


# The reference package's exceptions.
class AccountNotEmpty(AccountException):
    """Closing an account whose balance is positive (55L13)."""


class InsufficientFunds(AccountException):
    """The amount exceeds the source's balance plus its credit limit (23L01)."""


class InvalidAmount(AccountException):
    """NULL, NaN, infinite, zero, negative, more than two decimals or out of range (22L02)."""


class InactiveAccount(AccountException):
    """The source is outside its validity window (55L03). The reference defined it and never raised it."""


class ClosedAccount(AccountException):
    """The source or destination is Frozen or Closed (55L01, 55L02), or a Closed account would be
    reopened or frozen (55L09). As in the reference, this covers Frozen accounts too; ``condition``
    says which (``source_not_open``, ``destination_not_open``, ``account_closed``)."""


# Every other condition of the extension, named after it.
class TextTooLong(AccountException):
    """merchant_reference, description or username too long (22001)."""


class NullArgument(AccountException):
    """A required argument is missing (22004)."""


class InvalidArgument(AccountException):
    """Another argument is out of its domain (22023)."""


class SameAccount(AccountException):
    """Source and destination are the same account (22L01)."""


class CurrencyMismatch(AccountException):
    """The two accounts hold different currencies (22L03)."""


class BalanceOutOfRange(AccountException):
    """A balance would leave the range of numeric(18,2) (22L04)."""


class RefundExceedsRemaining(AccountException):
    """A refund is larger than what remains refundable on its transfer (22L05)."""


class RefundWrongDirection(AccountException):
    """A refund does not go from the parent's destination back to its source (22L06)."""


class InvalidCode(AccountException):
    """An account code is empty or too long, or a code length or alphabet is invalid (22L07)."""


class InvalidValidityWindow(AccountException):
    """end_date before start_date, or an infinite date (22L08)."""


class DuplicateAllocation(AccountException):
    """A redemption names an account twice, or its lists are empty or of different lengths (22L09)."""


class IdempotencyKeyReused(AccountException):
    """An idempotency key already used for a different request (22L10)."""


class InvalidCurrency(AccountException):
    """A currency is not three upper-case letters (22L11)."""


class UnbalancedTransfer(AccountException):
    """At commit, a transfer does not have its two balanced legs (23L02)."""


class AlreadyInUse(AccountException):
    """An account name or code is already used (23L03)."""


class AccountNotFound(AccountException):
    """No account has the given id (42L01)."""


class UserNotAuthorised(AccountException):
    """The user may not spend from the source account (42L02)."""


class TransferNotFound(AccountException):
    """No transfer has the given id (42L03)."""


class ClientBlocked(AccountException):
    """The client address is blocked from looking up codes (42L04)."""


class AccountTypeNotFound(AccountException):
    """No such account type, or no single deferred-income type to default to (42L05)."""


class TransferNotReturnable(AccountException):
    """Refunds and reversals cannot themselves be refunded or reversed (55L04)."""


class AlreadyReversed(AccountException):
    """The transfer has already been reversed (55L05)."""


class NothingLeftToReturn(AccountException):
    """Refunds have already returned the whole transfer (55L06)."""


class LedgerAppendOnly(AccountException, RuntimeError):
    """Transfers, postings and refund totals are never updated or deleted (55L07).

    Also a ``RuntimeError``, which is what the reference raises from ``Transfer.delete()``."""


class LedgerWriteRefused(AccountException):
    """A balance, status, transfer or posting written directly instead of through the functions
    (55L08). Also raised by Python when the ORM is asked to write ``balance`` or ``status``."""


class SystemRoleConflict(AccountException):
    """accounts_init() would give a system role to an account of another type (55L10)."""


class NotInitialised(AccountException):
    """accounts_init() has not been run (55L11)."""


class InvalidStatusTransition(AccountException):
    """Freezing an account that is not Open, or thawing one that is not Frozen (55L12)."""


class InternalError(AccountException):
    """An unexpected internal error of the extension (XX000)."""


# SQLSTATE -> (condition name in accounts.accounts_error_codes(), exception class).
SQLSTATE_EXCEPTIONS = {
    '22001': ('text_too_long', TextTooLong),
    '22004': ('null_argument', NullArgument),
    '22023': ('invalid_argument', InvalidArgument),
    '22L01': ('same_account', SameAccount),
    '22L02': ('invalid_amount', InvalidAmount),
    '22L03': ('currency_mismatch', CurrencyMismatch),
    '22L04': ('balance_out_of_range', BalanceOutOfRange),
    '22L05': ('refund_exceeds_remaining', RefundExceedsRemaining),
    '22L06': ('refund_wrong_direction', RefundWrongDirection),
    '22L07': ('invalid_code', InvalidCode),
    '22L08': ('invalid_validity_window', InvalidValidityWindow),
    '22L09': ('duplicate_allocation', DuplicateAllocation),
    '22L10': ('idempotency_key_reused', IdempotencyKeyReused),
    '22L11': ('invalid_currency', InvalidCurrency),
    '23L01': ('insufficient_funds', InsufficientFunds),
    '23L02': ('unbalanced_transfer', UnbalancedTransfer),
    '23L03': ('already_in_use', AlreadyInUse),
    '42L01': ('account_not_found', AccountNotFound),
    '42L02': ('user_not_authorised', UserNotAuthorised),
    '42L03': ('transfer_not_found', TransferNotFound),
    '42L04': ('client_blocked', ClientBlocked),
    '42L05': ('account_type_not_found', AccountTypeNotFound),
    '55L01': ('source_not_open', ClosedAccount),
    '55L02': ('destination_not_open', ClosedAccount),
    '55L03': ('source_outside_validity_window', InactiveAccount),
    '55L04': ('transfer_not_returnable', TransferNotReturnable),
    '55L05': ('transfer_already_reversed', AlreadyReversed),
    '55L06': ('nothing_left_to_return', NothingLeftToReturn),
    '55L07': ('ledger_append_only', LedgerAppendOnly),
    '55L08': ('ledger_write_refused', LedgerWriteRefused),
    '55L09': ('account_closed', ClosedAccount),
    '55L10': ('system_role_conflict', SystemRoleConflict),
    '55L11': ('not_initialised', NotInitialised),
    '55L12': ('invalid_status_transition', InvalidStatusTransition),
    '55L13': ('account_not_empty', AccountNotEmpty),
    'XX000': ('internal_error', InternalError),
}


def from_database_error(error):
    """The AccountException for a database error raised by the extension, or None.

    ``error`` is a Django database exception (whose ``__cause__`` is the psycopg2 error) or a
    psycopg2 error itself.
    """
    cause = error if getattr(error, 'pgcode', None) else getattr(error, '__cause__', None)
    sqlstate = getattr(cause, 'pgcode', None)
    entry = SQLSTATE_EXCEPTIONS.get(sqlstate)
    if entry is None:
        return None
    condition, exception_class = entry
    diag = getattr(cause, 'diag', None)
    message = getattr(diag, 'message_primary', None) or str(cause).strip()
    return exception_class(message, detail=getattr(diag, 'message_detail', None),
                           hint=getattr(diag, 'message_hint', None), sqlstate=sqlstate, condition=condition)


@contextmanager
def translate_errors():
    """Raises the extension's refusals inside the block as AccountExceptions (chained to the
    database error); any other database error propagates unchanged."""
    try:
        yield
    except DatabaseError as error:
        translated = from_database_error(error)
        if translated is None:
            raise
        raise translated from error
