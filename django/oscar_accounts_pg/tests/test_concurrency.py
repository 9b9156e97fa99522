"""A real serialization failure: at REPEATABLE READ, a transfer from an account another session
changed after this transaction's snapshot fails with 40001. The facade lets it through as
django.db.OperationalError (not an AccountException): the caller retries the whole transaction."""
import psycopg2
from django.db import OperationalError, connection, transaction
from django.test import TransactionTestCase

from oscar_accounts_pg import exceptions, facade
from oscar_accounts_pg.models import Account

from .base import D


class SerializationFailureTests(TransactionTestCase):
    # Ledger rows committed here stay (the flush between tests skips unmanaged tables); the
    # test only uses the account it creates.

    def test_serialization_failure_propagates_and_a_retry_succeeds(self):
        bank = Account.objects.system('bank')
        redemptions = Account.objects.system('redemptions')
        card = facade.create_account(initial_amount=D('50.00'), source=bank)
        other = psycopg2.connect(dbname=connection.settings_dict['NAME'])
        other.autocommit = True
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')
                    cursor.execute('SELECT balance FROM accounts.account WHERE id = %s', [card.pk])  # the snapshot
                with other.cursor() as cursor:  # another request spends from the card and commits
                    cursor.execute('SELECT id FROM accounts.accounts_transfer(%s, %s, 10.00)', [card.pk, redemptions.pk])
                with self.assertRaises(OperationalError) as caught:
                    facade.transfer(card, redemptions, D('10.00'))
            self.assertNotIsInstance(caught.exception, exceptions.AccountException)
            self.assertEqual(caught.exception.__cause__.pgcode, '40001')
            # The retry, in a new transaction, sees the other transfer and succeeds.
            facade.transfer(card, redemptions, D('10.00'))
            card.refresh_from_db()
            self.assertEqual(card.balance, D('30.00'))
        finally:
            other.close()
