"""Models: the reference's read-only helpers, and the ORM cannot write balance or status."""
import datetime

from django.db import connection, transaction
from django.test import SimpleTestCase
from django.utils import timezone

from oscar_accounts_pg import exceptions, facade
from oscar_accounts_pg.models import (Account, AccountSecondaryUser, AccountType, HotCredit, IdempotentRequest,
                                      IPAddressRecord, Posting, SystemAccount, Transaction, Transfer,
                                      TransferReturn)

from .base import D, LedgerTestCase


class HelperTests(SimpleTestCase):
    """Pure helpers on in-memory objects, as the reference's model tests."""

    def test_str(self):
        self.assertEqual(str(Account(code='ABC', name='Named')), 'ABC')
        self.assertEqual(str(Account(name='Named')), 'Named')
        self.assertEqual(str(Account()), 'Anonymous')
        self.assertEqual(str(Transfer(reference='0' * 32)), '0' * 32)
        self.assertEqual(str(Transaction(transfer=Transfer(reference='AB' * 16), amount=D('-12.5'))),
                         'Ref: %s, amount: -12.50' % ('AB' * 16))
        self.assertIs(Posting, Transaction)

    def test_status_helpers(self):
        self.assertTrue(Account(status='Open').is_open())
        self.assertTrue(Account(status='Frozen').is_frozen())
        self.assertTrue(Account(status='Closed').is_closed())
        self.assertFalse(Account(status='Frozen').is_open())

    def test_is_active_window_end_exclusive(self):
        now = timezone.now()
        day = datetime.timedelta(days=1)
        self.assertTrue(Account().is_active())
        self.assertTrue(Account(start_date=now - day).is_active())
        self.assertFalse(Account(start_date=now + day).is_active())
        self.assertTrue(Account(end_date=now + day).is_active())
        self.assertFalse(Account(end_date=now - day).is_active())
        self.assertTrue(Account(start_date=now - day, end_date=now + day).is_active())

    def test_credit_limit_helpers(self):
        limited = Account(balance=D('0.00'), credit_limit=D('500.00'))
        self.assertTrue(limited.has_credit_limit)
        self.assertEqual(limited.amount_available, D('500.00'))
        for amount, permitted in ((D('0'), True), (D('1'), True), (D('500'), True), (D('501'), False),
                                  (D('1000'), False)):
            self.assertEqual(limited.is_debit_permitted(amount), permitted, amount)
        unlimited = Account(balance=D('0.00'), credit_limit=None)
        self.assertFalse(unlimited.has_credit_limit)
        self.assertIsNone(unlimited.amount_available)
        self.assertTrue(unlimited.is_debit_permitted(D('1000000')))
        self.assertFalse(Account().is_debit_permitted(D('1.00')))

    def test_days_remaining(self):
        now = timezone.now()
        self.assertIsNone(Account().days_remaining())
        account = Account(end_date=now + datetime.timedelta(days=29, hours=23))
        self.assertEqual(account.days_remaining(from_date=now), 29)
        self.assertEqual(account.days_remaining(from_date=now + datetime.timedelta(days=40)), 0)
        self.assertIn(account.days_remaining(), (28, 29))


class ModelReadTests(LedgerTestCase):
    def test_account_fields(self):
        card = Account.objects.get(code='ALICE0001')
        self.assertEqual((card.balance, card.status, card.credit_limit, card.currency), (D('100.00'), 'Open', D('0.00'), 'GBP'))
        self.assertEqual(card.primary_user_id, 101)
        self.assertIsNotNone(card.date_created)
        self.assertIsNotNone(card.end_date)
        self.assertIsInstance(card.account_type, AccountType)
        self.assertEqual(str(card.account_type), 'Dashboard created accounts')
        self.assertEqual(card.num_transactions(), 1)

    def test_system_accounts_and_types(self):
        self.assertEqual(Account.objects.system('redemptions').name, 'Redemptions')
        self.assertEqual(Account.objects.system('lapsed').name, 'Lapsed accounts')
        self.assertIsNone(Account.objects.system('bank').credit_limit)
        roles = set(SystemAccount.objects.values_list('role', flat=True))
        self.assertEqual(roles, {'redemptions', 'lapsed', 'bank', 'unpaid_source'})
        self.assertEqual(Account.objects.system('redemptions').account_type.full_name, 'Assets / Sales')
        self.assertEqual(self.card.account_type.system_role.role, 'deferred_income_type')
        self.assertEqual(Account.objects.get(name='Bank').system_role.role, 'bank')
        self.assertEqual(Account.objects.filter(system_role__role='unpaid_source').count(), 1)

    def test_managers(self):
        now = timezone.now()
        expired = facade.create_account(start_date=now - datetime.timedelta(days=2), end_date=now - datetime.timedelta(days=1))
        future = facade.create_account(start_date=now + datetime.timedelta(days=1))
        active = set(Account.active.values_list('pk', flat=True))
        self.assertIn(self.card.pk, active)
        self.assertNotIn(expired.pk, active)
        self.assertNotIn(future.pk, active)
        self.assertEqual(list(Account.expired.values_list('pk', flat=True)), [expired.pk])
        self.assertEqual(set(Account.objects.for_user(self.alice).values_list('pk', flat=True)),
                         {self.card.pk, self.other_card.pk})

    def test_secondary_users_and_authorisation(self):
        shared = facade.create_account(secondary_users=[self.bob, 103])
        self.assertEqual(shared.secondary_user_ids, [102, 103])
        self.assertEqual(AccountSecondaryUser.objects.filter(account=shared).count(), 2)
        self.assertTrue(shared.can_be_authorised_by(self.bob))
        self.assertFalse(shared.can_be_authorised_by(self.alice))
        self.assertTrue(shared.can_be_authorised_by(None))
        self.assertTrue(self.card.can_be_authorised_by(self.alice))
        self.assertFalse(self.card.can_be_authorised_by(self.bob))
        self.assertTrue(facade.create_account().can_be_authorised_by(self.bob))
        self.assertIn(shared.pk, Account.objects.for_user(self.bob).values_list('pk', flat=True))

    def test_transfer_relations_and_max_refund(self):
        payment = facade.transfer(self.card, self.redemptions, D('30.00'), idempotency_key='k-1')
        self.assertEqual(payment.max_refund(), D('30.00'))
        facade.refund(payment, D('10.00'))
        payment = Transfer.objects.get(pk=payment.pk)
        self.assertEqual(payment.max_refund(), D('20.00'))
        self.assertEqual(payment.related_transfers.get().kind, 'refund')
        self.assertEqual(TransferReturn.objects.get(transfer=payment).returned, D('10.00'))
        self.assertEqual(self.card.source_transfers.count(), 1)
        self.assertEqual(self.card.destination_transfers.count(), 2)  # the load and the refund
        self.assertEqual(IdempotentRequest.objects.get(key='k-1').transfer_ids, [payment.pk])
        self.assertEqual(Transfer.objects.first().kind, 'refund')  # newest first

    def test_hot_account_exact_balance_and_pending_credits(self):
        with connection.cursor() as cursor:
            cursor.execute('SELECT hot FROM accounts.accounts_set_hot(%s)', [self.redemptions.pk])
        before = self.redemptions.exact_balance()
        payment = facade.transfer(self.card, self.redemptions, D('12.00'))
        redemptions = Account.objects.get(pk=self.redemptions.pk)
        self.assertTrue(redemptions.hot)
        self.assertEqual(redemptions.balance, before)  # the column waits
        self.assertEqual(redemptions.exact_balance(), before + D('12.00'))
        pending = HotCredit.objects.get(transfer=payment)
        self.assertEqual((pending.account_id, pending.amount), (redemptions.pk, D('12.00')))
        self.assertEqual(str(pending), '12.00 pending for account %s' % redemptions.pk)
        self.assertEqual(Account.objects.get(pk=self.card.pk).exact_balance(), D('88.00'))
        redemptions.hot = False
        with self.assertRaises(exceptions.LedgerWriteRefused):
            redemptions.save()

    def test_ip_address_record(self):
        for _ in range(3):
            facade.lookup_code('WRONG', '203.0.113.9')
        record = IPAddressRecord.objects.get(ip_address='203.0.113.9')
        self.assertEqual((record.total_failures, record.consecutive_failures), (3, 3))
        self.assertTrue(record.is_temporarily_blocked())
        self.assertFalse(record.is_permanently_blocked())
        self.assertTrue(record.is_blocked())


class OrmCannotWriteBalanceOrStatusTests(LedgerTestCase):
    def test_changing_balance_or_status_is_refused(self):
        for field, value in (('balance', D('1000000.00')), ('status', 'Frozen'), ('status', 'Closed'),
                             ('currency', 'EUR'), ('code', 'OTHER')):
            with self.subTest(field=field, value=value):
                card = Account.objects.get(pk=self.card.pk)
                setattr(card, field, value)
                card.description = 'changed too'
                with self.assertRaisesMessage(exceptions.LedgerWriteRefused, '%s is read-only' % field):
                    card.save()
        fresh = Account.objects.get(pk=self.card.pk)
        self.assertEqual((fresh.balance, fresh.status, fresh.code), (D('100.00'), 'Open', 'ALICE0001'))

    def test_naming_balance_or_status_in_update_fields_is_refused(self):
        card = Account.objects.get(pk=self.card.pk)
        for field in ('balance', 'status'):
            with self.assertRaises(exceptions.LedgerWriteRefused):
                card.save(update_fields=[field])

    def test_stale_object_cannot_undo_a_transfer_or_a_freeze(self):
        # The reference's lost update: a full-row save of a stale object rewrote balance and status.
        stale = Account.objects.get(pk=self.card.pk)
        facade.transfer(self.card, self.redemptions, D('60.00'))
        facade.freeze(self.card)
        stale.description = 'Edited on the dashboard'
        stale.save()
        fresh = Account.objects.get(pk=self.card.pk)
        self.assertEqual((fresh.description, fresh.balance, fresh.status), ('Edited on the dashboard', D('40.00'), 'Frozen'))
        # The saved object was reloaded from the row the extension returned.
        self.assertEqual((stale.balance, stale.status), (D('40.00'), 'Frozen'))

    def test_save_sends_only_changed_editable_fields_in_one_call(self):
        from django.test.utils import CaptureQueriesContext
        card = Account.objects.get(pk=self.card.pk)
        with CaptureQueriesContext(connection) as queries:
            card.save()
        self.assertEqual(len(queries), 0)
        card.name = 'Alice card'
        card.credit_limit = D('5.00')
        with CaptureQueriesContext(connection) as queries:
            card.save()
        statements = [q['sql'] for q in queries.captured_queries if 'SAVEPOINT' not in q['sql']]
        self.assertEqual(len(statements), 1)
        self.assertIn('accounts.accounts_update_account(', statements[0])
        self.assertEqual(Account.objects.get(pk=card.pk).credit_limit, D('5.00'))

    def test_new_accounts_and_deletes_are_refused(self):
        with self.assertRaises(exceptions.LedgerWriteRefused):
            Account(name='Direct').save()
        with self.assertRaises(exceptions.LedgerWriteRefused):
            Account.objects.get(pk=self.card.pk).delete()

    def test_bulk_writes_of_balance_are_refused(self):
        with self.assertRaises(exceptions.LedgerWriteRefused):
            Account.objects.filter(pk=self.card.pk).update(balance=D('0.00'))
        with self.assertRaises(exceptions.LedgerWriteRefused):
            Account.objects.filter(pk=self.card.pk).update(status='Closed')
        with self.assertRaisesMessage(exceptions.LedgerWriteRefused, 'bulk updates of accounts are refused'):
            Account.objects.filter(pk=self.card.pk).update(description='bypassing the row lock')
        with self.assertRaises(exceptions.LedgerWriteRefused):
            Account.objects.filter(pk=self.card.pk).delete()
        self.assertEqual(Account.objects.get(pk=self.card.pk).balance, D('100.00'))

    def test_the_database_refuses_a_direct_balance_write_too(self):
        with self.assertRaises(exceptions.LedgerWriteRefused) as caught, transaction.atomic(), \
                exceptions.translate_errors(), connection.cursor() as cursor:
            cursor.execute('UPDATE accounts.account SET balance = 5 WHERE id = %s', [self.card.pk])
        self.assertEqual(caught.exception.sqlstate, '55L08')

    def test_transfers_and_postings_cannot_be_saved_or_deleted(self):
        payment = facade.transfer(self.card, self.redemptions, D('1.00'))
        with self.assertRaises(exceptions.LedgerWriteRefused):
            payment.save()
        with self.assertRaises(RuntimeError):  # as the reference's Transfer.delete()
            payment.delete()
        with self.assertRaises(exceptions.LedgerAppendOnly):
            Transfer.objects.filter(pk=payment.pk).delete()
        with self.assertRaises(exceptions.LedgerAppendOnly):
            Transaction.objects.filter(transfer=payment).update(amount=D('2.00'))
        with self.assertRaises(exceptions.LedgerAppendOnly):
            payment.legs[0].delete()
        self.assertEqual(Transfer.objects.filter(pk=payment.pk).count(), 1)
