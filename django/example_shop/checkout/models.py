"""The shop's own tables (managed by Django, in the public schema): a basket, an order and the
payment sources of an order, as django-oscar's Basket, Order and payment.Source."""
from django.conf import settings
from django.db import models

from oscar_accounts_pg.models import Account, Transfer


class Basket(models.Model):
    OPEN, SUBMITTED = 'Open', 'Submitted'

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name='baskets')
    total = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=16, default=OPEN)
    # Bumped when a payment is reversed, so the next attempt gets a new idempotency key.
    payment_attempt = models.PositiveIntegerField(default=1)

    @property
    def order_number(self):
        return str(100000 + self.pk)  # as Oscar's default OrderNumberGenerator

    @property
    def payment_idempotency_key(self):
        return 'order-%s-payment-%d' % (self.order_number, self.payment_attempt)


class Order(models.Model):
    number = models.CharField(max_length=32, unique=True)
    basket = models.OneToOneField(Basket, models.PROTECT)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    date_placed = models.DateTimeField(auto_now_add=True)


class PaymentSource(models.Model):
    """One account that paid part of an order (Oscar's payment.Source of type "Account")."""

    order = models.ForeignKey(Order, models.CASCADE, related_name='sources')
    # Links into the ledger's schema, without a database constraint across schemas.
    account = models.ForeignKey(Account, models.DO_NOTHING, db_constraint=False, related_name='+')
    transfer = models.ForeignKey(Transfer, models.DO_NOTHING, db_constraint=False, related_name='+')
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reference = models.CharField(max_length=128)
