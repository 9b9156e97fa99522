"""Unmanaged models over the tables of the oscar_accounts extension (schema ``accounts``).

Django never creates, alters or drops these tables: the extension owns them. Each model names
its table as ``'accounts"."account'``, which Django's PostgreSQL backend quotes to
``"accounts"."account"``, so no ``search_path`` setting is needed.

The ledger is written only by the extension's functions (see ``facade``). The models read it.
``Account.save()`` is the one exception, and it never writes ``balance`` or ``status``:

* it sends only the editable fields that changed since the row was loaded, through
  ``accounts.accounts_update_account()`` (under the account's row lock, with the extension's
  checks), then reloads the row;
* it raises ``LedgerWriteRefused`` if ``balance``, ``status``, ``code``, ``currency`` or
  ``date_created`` were changed (or named in ``update_fields``), and for a new account (use
  ``facade.create_account()``).

So a stale Account object cannot overwrite a balance or re-open a frozen account (the reference
package's lost update). Transfers and postings cannot be saved or deleted at all.

User and product-range ids are plain integers (``primary_user_id``, ``user_id``,
``product_range_id``): the extension stores them as bigints and this app does not depend on
``django.contrib.auth``.
"""
import datetime
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import connections, models, router
from django.db.models import Q
from django.utils import timezone

from . import exceptions


def _table(name):
    # Django's quote_name() turns this into "accounts"."<name>".
    return 'accounts"."%s' % name


def _user_pk(user):
    if user is None or isinstance(user, int):
        return user
    return user.pk


class ReadOnlyQuerySet(models.QuerySet):
    """Ledger rows are append-only: bulk updates and deletes are refused before reaching the database."""

    def update(self, **kwargs):
        raise exceptions.LedgerAppendOnly('%s rows are never updated' % self.model._meta.verbose_name)

    def delete(self):
        raise exceptions.LedgerAppendOnly('%s rows are never deleted' % self.model._meta.verbose_name)

    def bulk_create(self, *args, **kwargs):
        raise exceptions.LedgerWriteRefused('%s rows are written only by the extension\'s functions'
                                            % self.model._meta.verbose_name)

    def bulk_update(self, *args, **kwargs):
        raise exceptions.LedgerAppendOnly('%s rows are never updated' % self.model._meta.verbose_name)


class AccountType(models.Model):
    """A node of the tree of account types (Assets / Sales, Liabilities / Deferred income / ...)."""

    id = models.BigAutoField(primary_key=True)
    parent = models.ForeignKey('self', models.DO_NOTHING, null=True, blank=True, related_name='children')
    name = models.CharField(max_length=128)
    code = models.CharField(max_length=128, unique=True, null=True, blank=True)

    class Meta:
        managed = False
        db_table = _table('account_type')
        ordering = ('id',)

    def __str__(self):
        return self.name

    def get_ancestors(self):
        """The ancestors, root first (one query per level)."""
        ancestors = []
        node = self.parent
        while node is not None:
            ancestors.insert(0, node)
            node = node.parent
        return ancestors

    @property
    def full_name(self):
        """Ancestors' names and this one joined with ' / ', as the reference."""
        return ' / '.join([a.name for a in self.get_ancestors()] + [self.name])


class AccountQuerySet(models.QuerySet):
    """Bulk writes are refused: they would bypass accounts_update_account()'s row lock and checks
    (and the application role has no UPDATE privilege). Use save() or facade.update_account()."""

    def update(self, **kwargs):
        for name in Account.READ_ONLY_FIELDS:
            if name in kwargs:
                raise exceptions.LedgerWriteRefused(Account.read_only_message(name))
        raise exceptions.LedgerWriteRefused('bulk updates of accounts are refused: use account.save() or '
                                            'facade.update_account() for each account')

    def bulk_update(self, objs, fields, batch_size=None):
        raise exceptions.LedgerWriteRefused('bulk updates of accounts are refused: use account.save() or '
                                            'facade.update_account() for each account')

    def bulk_create(self, *args, **kwargs):
        raise exceptions.LedgerWriteRefused('accounts are created with facade.create_account()')

    def delete(self):
        raise exceptions.LedgerWriteRefused('accounts are not deleted through the ORM; close them with facade.close()')

    def system(self, role):
        """The account playing a system role: 'redemptions', 'lapsed' or 'bank' (one each);
        for 'unpaid_source' use ``filter(system_role__role='unpaid_source')``."""
        return self.get(system_role__role=role)

    def for_user(self, user):
        """Accounts whose primary user or one of whose secondary users is ``user``."""
        pk = _user_pk(user)
        return self.filter(Q(primary_user_id=pk) | Q(secondary_user_links__user_id=pk)).distinct()


class ActiveAccountManager(models.Manager.from_queryset(AccountQuerySet)):
    """Accounts inside their validity window now: ``start_date <= now < end_date`` (NULL = open
    ended), the same window the extension checks before spending. Status is not considered."""

    def get_queryset(self):
        now = timezone.now()
        return super().get_queryset().filter(
            Q(start_date__isnull=True) | Q(start_date__lte=now),
            Q(end_date__isnull=True) | Q(end_date__gt=now))


class ExpiredAccountManager(models.Manager.from_queryset(AccountQuerySet)):
    """Accounts whose validity window has ended: ``end_date <= now`` (what the expiry sweep closes,
    if Open). Status is not considered."""

    def get_queryset(self):
        return super().get_queryset().filter(end_date__lte=timezone.now())


class Account(models.Model):
    """An account: a gift card, a budget, a system account such as Redemptions or Bank."""

    OPEN, FROZEN, CLOSED = 'Open', 'Frozen', 'Closed'
    STATUS_CHOICES = ((OPEN, OPEN), (FROZEN, FROZEN), (CLOSED, CLOSED))

    # Never written through save(): they change only through the extension's functions.
    READ_ONLY_FIELDS = ('balance', 'status', 'code', 'currency', 'date_created', 'hot')

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=128, unique=True, null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    account_type = models.ForeignKey(AccountType, models.DO_NOTHING, null=True, blank=True, related_name='accounts')
    code = models.CharField(max_length=128, unique=True, null=True, blank=True)
    primary_user_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=32, choices=STATUS_CHOICES, default=OPEN)
    credit_limit = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True,
                                       default=Decimal('0.00'))
    balance = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal('0.00'))
    start_date = models.DateTimeField(null=True, blank=True)
    end_date = models.DateTimeField(null=True, blank=True)
    product_range_id = models.BigIntegerField(null=True, blank=True)
    can_be_used_for_non_products = models.BooleanField(default=True)
    currency = models.CharField(max_length=3)
    date_created = models.DateTimeField()
    # A hot account (accounts_set_hot()): its balance column lags behind the credits still
    # pending in HotCredit; exact_balance() is the whole balance.
    hot = models.BooleanField(default=False)

    objects = models.Manager.from_queryset(AccountQuerySet)()
    active = ActiveAccountManager()
    expired = ExpiredAccountManager()

    class Meta:
        managed = False
        db_table = _table('account')
        ordering = ('id',)
        base_manager_name = 'objects'
        default_manager_name = 'objects'

    def __str__(self):
        return self.code or self.name or 'Anonymous'

    # -- tracking what was loaded, so that save() sends only what changed ---------------------

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_loaded()
        return instance

    def _remember_loaded(self, fields=None):
        deferred = self.get_deferred_fields()
        loaded = getattr(self, '_loaded_values', {})
        for field in self._meta.concrete_fields:
            if field.attname in deferred or (fields is not None and field.attname not in fields):
                continue
            loaded[field.attname] = getattr(self, field.attname)
        self._loaded_values = loaded

    def refresh_from_db(self, using=None, fields=None):
        super().refresh_from_db(using=using, fields=fields)
        self._remember_loaded(None if fields is None else
                              {self._meta.get_field(name).attname for name in fields})

    @staticmethod
    def read_only_message(name):
        if name == 'balance':
            return 'balance is read-only: it changes only through transfers (facade.transfer())'
        if name == 'status':
            return 'status is read-only: use facade.freeze(), facade.thaw() or facade.close()'
        if name == 'hot':
            return 'hot is read-only: accounts_set_hot() changes it (a DBA decision, not the shop\'s)'
        return '%s is read-only: the extension never changes it after creation' % name

    def changed_fields(self):
        """Attribute names whose value differs from what was loaded from the database."""
        loaded = getattr(self, '_loaded_values', {})
        return [f.attname for f in self._meta.concrete_fields
                if f.attname in loaded and getattr(self, f.attname) != loaded[f.attname]]

    def save(self, force_insert=False, force_update=False, using=None, update_fields=None):
        """Sends the changed editable fields through accounts_update_account(); see the module doc.

        Never writes balance or status: changing them (or naming them in update_fields) raises
        LedgerWriteRefused, as does saving a new account (use facade.create_account())."""
        if self._state.adding or self.pk is None or force_insert:
            raise exceptions.LedgerWriteRefused(
                'accounts are created with facade.create_account() (accounts.accounts_create_account())')
        changed = self.changed_fields()
        if update_fields is not None:
            named = {self._meta.get_field(name).attname for name in update_fields}
            for attname in named:
                if attname in self.READ_ONLY_FIELDS:
                    raise exceptions.LedgerWriteRefused(self.read_only_message(attname))
            changed = [attname for attname in changed if attname in named]
        for attname in changed:
            if attname in self.READ_ONLY_FIELDS or attname == 'id':
                raise exceptions.LedgerWriteRefused(self.read_only_message(attname))
        if not changed:
            return
        from . import facade
        facade.update_account(self, using=using, **{attname: getattr(self, attname) for attname in changed})

    def delete(self, using=None, keep_parents=False):
        raise exceptions.LedgerWriteRefused(
            'accounts are not deleted through the ORM; close them with facade.close()')

    # -- the reference package's read-only helpers -------------------------------------------

    def is_open(self):
        return self.status == self.OPEN

    def is_frozen(self):
        return self.status == self.FROZEN

    def is_closed(self):
        return self.status == self.CLOSED

    def is_active(self):
        """Inside the validity window now: start_date <= now < end_date (status not considered)."""
        now = timezone.now()
        if self.start_date is not None and now < self.start_date:
            return False
        if self.end_date is not None and now >= self.end_date:
            return False
        return True

    @property
    def has_credit_limit(self):
        return self.credit_limit is not None

    @property
    def amount_available(self):
        """balance + credit_limit, or None when the credit limit is unlimited (NULL)."""
        if self.credit_limit is None:
            return None
        return self.balance + self.credit_limit

    def exact_balance(self):
        """The balance now, read from the database: ``balance`` plus the credits still pending
        on a hot account (accounts_balance()). Equal to ``balance`` for accounts that are not hot."""
        using = self._state.db or router.db_for_read(Account)
        with exceptions.translate_errors(), connections[using].cursor() as cursor:
            cursor.execute('SELECT accounts.accounts_balance(%s)', [self.pk])
            return cursor.fetchone()[0]

    def is_debit_permitted(self, amount):
        available = self.amount_available
        return available is None or Decimal(amount) <= available

    @property
    def is_editable(self):
        return self.code is not None

    def days_remaining(self, from_date=None):
        """Whole days until end_date (floor), 0 once past it, None without an end_date."""
        if self.end_date is None:
            return None
        if from_date is None:
            from_date = timezone.now()
        if from_date > self.end_date:
            return 0
        return (self.end_date - from_date).days

    @property
    def secondary_user_ids(self):
        return sorted(self.secondary_user_links.values_list('user_id', flat=True))

    def can_be_authorised_by(self, user=None):
        """The extension's (and the reference's) rule: anyone when user is None; else the primary
        user if there is one; else one of the secondary users if there are any; else anyone."""
        if user is None:
            return True
        pk = _user_pk(user)
        if self.primary_user_id is not None:
            return pk == self.primary_user_id
        secondary = self.secondary_user_ids
        if secondary:
            return pk in secondary
        return True

    def num_transactions(self):
        return self.transactions.count()

    def close(self):
        """Closes the account through accounts_close() (AccountNotEmpty while the balance is positive)."""
        from . import facade
        return facade.close(self)

    # Optional conveniences when django.contrib.auth is installed.
    @property
    def primary_user(self):
        if self.primary_user_id is None:
            return None
        from django.contrib.auth import get_user_model
        return get_user_model()._default_manager.filter(pk=self.primary_user_id).first()


class AccountSecondaryUser(models.Model):
    """One secondary user of an account (table account_secondary_user, key (account_id, user_id)).

    Django 3.2 has no composite primary keys; ``user_id`` is declared the primary key so that
    Django can read the rows, but it is not unique across accounts: read through
    ``account.secondary_user_links`` or filter, never ``get(pk=...)``."""

    user_id = models.BigIntegerField(primary_key=True)
    account = models.ForeignKey(Account, models.DO_NOTHING, related_name='secondary_user_links')

    class Meta:
        managed = False
        db_table = _table('account_secondary_user')

    def __str__(self):
        return 'user #%s on account #%s' % (self.user_id, self.account_id)


class Transfer(models.Model):
    """One movement of money; append-only. Written only by facade.transfer/reverse/refund/redeem."""

    TRANSFER, REFUND, REVERSAL = 'transfer', 'refund', 'reversal'
    KIND_CHOICES = ((TRANSFER, 'Transfer'), (REFUND, 'Refund'), (REVERSAL, 'Reversal'))

    id = models.BigAutoField(primary_key=True)
    reference = models.CharField(max_length=64, unique=True)
    source = models.ForeignKey(Account, models.DO_NOTHING, related_name='source_transfers')
    destination = models.ForeignKey(Account, models.DO_NOTHING, related_name='destination_transfers')
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    parent = models.ForeignKey('self', models.DO_NOTHING, null=True, blank=True, related_name='related_transfers')
    kind = models.CharField(max_length=16, choices=KIND_CHOICES, default=TRANSFER)
    merchant_reference = models.CharField(max_length=128, null=True, blank=True)
    description = models.CharField(max_length=256, null=True, blank=True)
    user_id = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True)
    date_created = models.DateTimeField()

    objects = ReadOnlyQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = _table('transfer')
        ordering = ('-date_created', '-id')

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        raise exceptions.LedgerWriteRefused(
            'transfers are written only by facade.transfer(), reverse(), refund() and redeem()')

    def delete(self, *args, **kwargs):
        raise exceptions.LedgerAppendOnly('Transfers cannot be deleted')

    @property
    def legs(self):
        """The two postings (Transaction rows): -amount on the source, +amount on the destination."""
        return self.transactions.all()

    @property
    def authorisor_username(self):
        return self.username

    @property
    def user(self):
        if self.user_id is None:
            return None
        from django.contrib.auth import get_user_model
        return get_user_model()._default_manager.filter(pk=self.user_id).first()

    @property
    def reversal(self):
        """The reversal of this transfer, or None."""
        return self.related_transfers.filter(kind=self.REVERSAL).first()

    def max_refund(self):
        """What refunds and a reversal can still give back (accounts_refundable(): the amount
        minus everything returned, reversals included; 0.00 for refunds and reversals)."""
        using = self._state.db or router.db_for_read(Transfer)
        with exceptions.translate_errors(), connections[using].cursor() as cursor:
            cursor.execute('SELECT accounts.accounts_refundable(%s)', [self.pk])
            return cursor.fetchone()[0]


class Transaction(models.Model):
    """One leg of a transfer (table ``posting``; the reference calls legs "Transaction")."""

    id = models.BigAutoField(primary_key=True)
    transfer = models.ForeignKey(Transfer, models.DO_NOTHING, related_name='transactions')
    account = models.ForeignKey(Account, models.DO_NOTHING, related_name='transactions')
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    date_created = models.DateTimeField()

    objects = ReadOnlyQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = _table('posting')
        ordering = ('id',)
        verbose_name = 'posting'

    def __str__(self):
        return 'Ref: %s, amount: %.2f' % (self.transfer.reference, self.amount)

    def save(self, *args, **kwargs):
        raise exceptions.LedgerWriteRefused('postings are written only by the extension\'s transfer code')

    def delete(self, *args, **kwargs):
        raise exceptions.LedgerAppendOnly('Transactions cannot be deleted')


Posting = Transaction


class TransferReturn(models.Model):
    """How much of a transfer refunds and its reversal have given back."""

    transfer = models.OneToOneField(Transfer, models.DO_NOTHING, primary_key=True, related_name='return_record')
    returned = models.DecimalField(max_digits=18, decimal_places=2)
    reversal = models.OneToOneField(Transfer, models.DO_NOTHING, null=True, blank=True, related_name='+')

    objects = ReadOnlyQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = _table('transfer_return')

    def __str__(self):
        return '%s returned of transfer %s' % (self.returned, self.transfer_id)


class HotCredit(models.Model):
    """A credit to a hot account not yet added to its balance column (accounts.hot_credit)."""

    transfer = models.OneToOneField(Transfer, models.DO_NOTHING, primary_key=True, related_name='pending_credit')
    account = models.ForeignKey(Account, models.DO_NOTHING, related_name='pending_credits')
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    date_created = models.DateTimeField()

    objects = ReadOnlyQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = _table('hot_credit')

    def __str__(self):
        return '%s pending for account %s' % (self.amount, self.account_id)


class SystemAccount(models.Model):
    """Which account plays a system role (redemptions, lapsed, bank, unpaid_source).

    Key (role, account_id), and an account plays one role at most (account_id is unique), so the
    account is this model's primary key; ``account.system_role`` is the reverse."""

    account = models.OneToOneField(Account, models.DO_NOTHING, primary_key=True, related_name='system_role')
    role = models.CharField(max_length=32)

    class Meta:
        managed = False
        db_table = _table('system_account')

    def __str__(self):
        return '%s: account #%s' % (self.role, self.account_id)


class SystemAccountType(models.Model):
    """Which account type plays a system role; one role per type, so the type is the key."""

    account_type = models.OneToOneField(AccountType, models.DO_NOTHING, primary_key=True, related_name='system_role')
    role = models.CharField(max_length=32)

    class Meta:
        managed = False
        db_table = _table('system_account_type')

    def __str__(self):
        return '%s: account type %s' % (self.role, self.account_type_id)


class IdempotentRequest(models.Model):
    """A client idempotency key, the request it was first used for and the transfers it made."""

    key = models.CharField(max_length=255, primary_key=True)
    operation = models.CharField(max_length=16)
    request = models.JSONField()
    transfer_ids = ArrayField(models.BigIntegerField(), null=True, blank=True)
    date_created = models.DateTimeField()

    class Meta:
        managed = False
        db_table = _table('idempotent_request')

    def __str__(self):
        return self.key


class IPAddressRecord(models.Model):
    """Failed code look-ups per client address (brute-force protection of accounts_lookup_code())."""

    # The reference's constants; the extension reads its own settings
    # (oscar_accounts.lookup_freeze_threshold, _block_threshold, _cooling_off), whose defaults these are.
    FREEZE_THRESHOLD = 3
    BLOCK_THRESHOLD = 10
    COOLING_OFF_PERIOD = 300

    ip_address = models.GenericIPAddressField(primary_key=True)
    total_failures = models.IntegerField(default=0)
    consecutive_failures = models.IntegerField(default=0)
    date_created = models.DateTimeField()
    date_last_failure = models.DateTimeField(null=True, blank=True)

    class Meta:
        managed = False
        db_table = _table('ip_address_record')
        verbose_name = 'IP address record'

    def __str__(self):
        return self.ip_address

    def _thresholds(self):
        using = self._state.db or router.db_for_read(IPAddressRecord)
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('oscar_accounts.lookup_freeze_threshold', true),"
                "       current_setting('oscar_accounts.lookup_block_threshold', true),"
                "       extract(epoch FROM nullif(current_setting('oscar_accounts.lookup_cooling_off', true), '')::interval)")
            freeze, block, cooling = cursor.fetchone()
        return (int(freeze) if freeze else self.FREEZE_THRESHOLD, int(block) if block else self.BLOCK_THRESHOLD,
                float(cooling) if cooling is not None else float(self.COOLING_OFF_PERIOD))

    def is_temporarily_blocked(self):
        """As the extension: consecutive failures at the threshold and the last failure within the
        cooling-off period (whole elapsed time, not the reference's timedelta.seconds)."""
        freeze, _, cooling = self._thresholds()
        if self.consecutive_failures < freeze or self.date_last_failure is None:
            return False
        return (timezone.now() - self.date_last_failure) < datetime.timedelta(seconds=cooling)

    def is_permanently_blocked(self):
        return self.total_failures > self._thresholds()[1]

    def is_blocked(self):
        return self.is_temporarily_blocked() or self.is_permanently_blocked()
