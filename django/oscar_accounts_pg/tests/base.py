"""Shared fixtures: system accounts from the migration's accounts_init(), and a few cards
created through the facade (the only way accounts are created)."""
import datetime
from decimal import Decimal

from django.db import connection
from django.test import TestCase
from django.utils import timezone

from oscar_accounts_pg import facade
from oscar_accounts_pg.models import Account, Transaction, Transfer

D = Decimal


class StubUser:
    """Anything with pk and get_username() is a user to the facade (no django.contrib.auth here)."""

    def __init__(self, pk, username):
        self.pk = pk
        self.username = username

    def get_username(self):
        return self.username


class LedgerTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        cls.alice = StubUser(101, 'alice')
        cls.bob = StubUser(102, 'bob')
        cls.bank = Account.objects.system('bank')
        cls.redemptions = Account.objects.system('redemptions')
        cls.lapsed = Account.objects.system('lapsed')
        cls.card = facade.create_account(code='ALICE-0001', primary_user=cls.alice, initial_amount=D('100.00'),
                                         source=cls.bank, end_date=now + datetime.timedelta(days=365))
        cls.other_card = facade.create_account(code='ALICE-0002', primary_user=cls.alice,
                                               initial_amount=D('10.00'), source=cls.bank)

    @staticmethod
    def ledger_size():
        return (Transfer.objects.count(), Transaction.objects.count(),
                sum(Account.objects.values_list('balance', flat=True)))

    @staticmethod
    def balance(account):
        return Account.objects.get(pk=account.pk).balance

    @staticmethod
    def verify():
        return facade.verify()

    @staticmethod
    def sql(query, params=None):
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall() if cursor.description else None
