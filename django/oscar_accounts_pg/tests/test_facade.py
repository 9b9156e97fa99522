"""facade: each call is one SQL function call; behaviour of transfers, reversals, refunds,
redemptions, accounts and look-ups as the extension implements them."""
import datetime
import re

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oscar_accounts_pg import exceptions, facade
from oscar_accounts_pg.models import Account, Transaction, Transfer

from .base import D, LedgerTestCase

SAVEPOINT_SQL = re.compile(r'^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b', re.I)


class TransferTests(LedgerTestCase):
    def test_transfer_moves_balances_and_writes_two_legs(self):
        before = self.balance(self.redemptions)
        transfer = facade.transfer(self.card, self.redemptions, D('30.00'), merchant_reference='ORDER-1',
                                   description='Redeemed to pay for order ORDER-1')
        self.assertIsInstance(transfer, Transfer)
        self.assertEqual((transfer.source_id, transfer.destination_id, transfer.amount, transfer.kind),
                         (self.card.pk, self.redemptions.pk, D('30.00'), 'transfer'))
        self.assertEqual((transfer.merchant_reference, transfer.description),
                         ('ORDER-1', 'Redeemed to pay for order ORDER-1'))
        self.assertIsNone(transfer.parent_id)
        self.assertEqual(self.balance(self.card), D('70.00'))
        self.assertEqual(self.balance(self.redemptions), before + D('30.00'))
        legs = sorted((leg.account_id, leg.amount) for leg in transfer.legs)
        self.assertEqual(legs, sorted([(self.card.pk, D('-30.00')), (self.redemptions.pk, D('30.00'))]))
        self.assertEqual(transfer.transactions.count(), 2)
        self.assertEqual(self.verify(), [])

    def test_reference_is_32_upper_case_hex_characters_and_unique(self):
        first = facade.transfer(self.card, self.redemptions, D('1.00'))
        second = facade.transfer(self.card, self.redemptions, D('1.00'))
        for transfer in (first, second):
            self.assertRegex(transfer.reference, r'^[0-9A-F]{32}$')
            self.assertEqual(str(transfer), transfer.reference)
        self.assertNotEqual(first.reference, second.reference)

    def test_user_is_recorded(self):
        transfer = facade.transfer(self.card, self.redemptions, D('5.00'), user=self.alice)
        self.assertEqual((transfer.user_id, transfer.username), (101, 'alice'))
        self.assertEqual(transfer.authorisor_username, 'alice')
        anonymous = facade.transfer(self.card, self.redemptions, D('5.00'))
        self.assertEqual((anonymous.user_id, anonymous.username), (None, ''))

    def test_logs_as_the_reference(self):
        with self.assertLogs('oscar_accounts', 'INFO') as logs:
            transfer = facade.transfer(self.card, self.redemptions, D('2.50'), user=self.alice, description='Gift')
            with self.assertRaises(exceptions.InsufficientFunds):
                facade.transfer(self.card, self.redemptions, D('500.00'))
        self.assertEqual(logs.output[0], "INFO:oscar_accounts:Transfer of 2.50 from account #%d to account #%d "
                         "authorised by user #101 (alice) 'Gift' - successful, transfer: %s"
                         % (self.card.pk, self.redemptions.pk, transfer.reference))
        self.assertTrue(logs.output[1].startswith('WARNING:oscar_accounts:Transfer of 500.00'))
        self.assertIn("- failed: 'unable to debit 500.00 from account #%d'" % self.card.pk, logs.output[1])

    def test_transfer_is_one_sql_call(self):
        with CaptureQueriesContext(connection) as queries:
            facade.transfer(self.card, self.redemptions, D('1.00'), user=self.alice)
        statements = [q['sql'] for q in queries.captured_queries if not SAVEPOINT_SQL.match(q['sql'])]
        self.assertEqual(len(statements), 1, statements)
        self.assertIn('accounts.accounts_transfer(', statements[0])

    def test_every_money_call_is_one_sql_call(self):
        payment = facade.transfer(self.card, self.redemptions, D('20.00'))
        calls = [
            ('accounts_refund', lambda: facade.refund(payment, D('5.00'))),
            ('accounts_reverse', lambda: facade.reverse(payment)),
            ('accounts_redeem', lambda: facade.redeem('77', [(self.card, D('1.00'))])),
            ('accounts_lookup_code', lambda: facade.lookup_code('alice-0001', '192.0.2.1')),
            ('accounts_freeze', lambda: facade.freeze(self.other_card)),
        ]
        for function, call in calls:
            with self.subTest(function=function), CaptureQueriesContext(connection) as queries:
                call()
                statements = [q['sql'] for q in queries.captured_queries if not SAVEPOINT_SQL.match(q['sql'])]
                self.assertEqual(len(statements), 1, statements)
                self.assertIn('accounts.%s(' % function, statements[0])

    def test_refusal_inside_a_transaction_leaves_it_usable(self):
        with transaction.atomic():
            with self.assertRaises(exceptions.InsufficientFunds):
                facade.transfer(self.card, self.redemptions, D('1000.00'))
            transfer = facade.transfer(self.card, self.redemptions, D('1.00'))
        self.assertEqual(Transfer.objects.get(pk=transfer.pk).amount, D('1.00'))

    def test_refusals_raise_their_exception_and_write_nothing(self):
        facade.freeze(self.other_card)
        expired = facade.create_account(end_date=timezone.now() - datetime.timedelta(days=1))
        not_yet = facade.create_account(start_date=timezone.now() + datetime.timedelta(days=1))
        cases = [
            ('same account', exceptions.SameAccount, 'same_account',
             lambda: facade.transfer(self.card, self.card, D('1.00'))),
            ('zero', exceptions.InvalidAmount, 'invalid_amount',
             lambda: facade.transfer(self.card, self.redemptions, D('0'))),
            ('negative', exceptions.InvalidAmount, 'invalid_amount',
             lambda: facade.transfer(self.card, self.redemptions, D('-1.00'))),
            ('sub-cent, never rounded', exceptions.InvalidAmount, 'invalid_amount',
             lambda: facade.transfer(self.card, self.redemptions, D('10.005'))),
            ('frozen source', exceptions.ClosedAccount, 'source_not_open',
             lambda: facade.transfer(self.other_card, self.redemptions, D('1.00'))),
            ('frozen destination', exceptions.ClosedAccount, 'destination_not_open',
             lambda: facade.transfer(self.card, self.other_card, D('1.00'))),
            ('expired source', exceptions.InactiveAccount, 'source_outside_validity_window',
             lambda: facade.transfer(expired, self.redemptions, D('1.00'))),
            ('source not valid yet', exceptions.InactiveAccount, 'source_outside_validity_window',
             lambda: facade.transfer(not_yet, self.redemptions, D('1.00'))),
            ('user not authorised', exceptions.UserNotAuthorised, 'user_not_authorised',
             lambda: facade.transfer(self.card, self.redemptions, D('1.00'), user=self.bob)),
            ('insufficient funds', exceptions.InsufficientFunds, 'insufficient_funds',
             lambda: facade.transfer(self.card, self.redemptions, D('100.01'))),
            ('unknown account', exceptions.AccountNotFound, 'account_not_found',
             lambda: facade.transfer(self.card, 999999, D('1.00'))),
            ('description too long', exceptions.TextTooLong, 'text_too_long',
             lambda: facade.transfer(self.card, self.redemptions, D('1.00'), description='x' * 257)),
        ]
        before = self.ledger_size()
        for label, exception_class, condition, call in cases:
            with self.subTest(label):
                with self.assertRaises(exception_class) as caught:
                    call()
                self.assertEqual(caught.exception.condition, condition)
                self.assertTrue(caught.exception.message)
                self.assertEqual(self.ledger_size(), before)

    def test_frozen_source_message(self):
        facade.freeze(self.other_card)
        with self.assertRaisesMessage(exceptions.ClosedAccount, 'source account #%d is frozen' % self.other_card.pk):
            facade.transfer(self.other_card, self.redemptions, D('1.00'))

    def test_unlimited_credit_account_can_go_negative(self):
        facade.transfer(self.bank, self.card, D('1000000.00'))
        self.assertLess(self.balance(self.bank), 0)

    def test_idempotency_key_makes_one_transfer(self):
        first = facade.transfer(self.card, self.redemptions, D('10.00'), idempotency_key='pay-1')
        again = facade.transfer(self.card, self.redemptions, D('10.00'), idempotency_key='pay-1')
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(self.balance(self.card), D('90.00'))
        with self.assertRaises(exceptions.IdempotencyKeyReused):
            facade.transfer(self.card, self.redemptions, D('11.00'), idempotency_key='pay-1')

    def test_source_objects_are_not_refreshed(self):
        # One SQL call: the caller's objects keep the balance they were loaded with.
        facade.transfer(self.card, self.redemptions, D('10.00'))
        self.assertEqual(self.card.balance, D('100.00'))
        self.card.refresh_from_db()
        self.assertEqual(self.card.balance, D('90.00'))


class ReverseTests(LedgerTestCase):
    def test_reverse_moves_the_money_back_once(self):
        redemptions_before = self.balance(self.redemptions)
        payment = facade.transfer(self.card, self.redemptions, D('40.00'), user=self.alice)
        reversal = facade.reverse(payment, user=self.alice, merchant_reference='ORDER-9',
                                  description='Payment cancellation')
        self.assertEqual((reversal.source_id, reversal.destination_id), (self.redemptions.pk, self.card.pk))
        self.assertEqual((reversal.amount, reversal.kind, reversal.parent_id), (D('40.00'), 'reversal', payment.pk))
        self.assertEqual((reversal.user_id, reversal.username, reversal.description, reversal.merchant_reference),
                         (101, 'alice', 'Payment cancellation', 'ORDER-9'))
        self.assertRegex(reversal.reference, r'^[0-9A-F]{32}$')
        self.assertEqual(self.balance(self.card), D('100.00'))
        self.assertEqual(self.balance(self.redemptions), redemptions_before)
        self.assertEqual(Transaction.objects.filter(transfer__in=[payment, reversal]).count(), 4)
        self.assertEqual(payment.reversal.pk, reversal.pk)
        self.assertEqual(payment.max_refund(), D('0.00'))
        with self.assertRaises(exceptions.AlreadyReversed):
            facade.reverse(payment)
        with self.assertRaises(exceptions.TransferNotReturnable):
            facade.reverse(reversal)
        self.assertEqual(self.verify(), [])

    def test_reverse_after_partial_refund_moves_what_remains(self):
        payment = facade.transfer(self.card, self.redemptions, D('40.00'))
        refund = facade.refund(payment, D('15.00'), description='Partial refund')
        self.assertEqual((refund.kind, refund.parent_id, refund.amount), ('refund', payment.pk, D('15.00')))
        self.assertEqual(payment.max_refund(), D('25.00'))
        self.assertEqual(facade.refundable(payment), D('25.00'))
        with self.assertRaises(exceptions.RefundExceedsRemaining):
            facade.refund(payment, D('25.01'))
        reversal = facade.reverse(payment)
        self.assertEqual(reversal.amount, D('25.00'))
        self.assertEqual(self.balance(self.card), D('100.00'))

    def test_nothing_left_to_reverse_after_full_refund(self):
        payment = facade.transfer(self.card, self.redemptions, D('40.00'))
        facade.refund(payment, D('40.00'))
        with self.assertRaises(exceptions.NothingLeftToReturn):
            facade.reverse(payment)

    def test_refund_through_transfer_with_parent(self):
        payment = facade.transfer(self.card, self.redemptions, D('40.00'))
        refund = facade.transfer(self.redemptions, self.card, D('10.00'), parent=payment)
        self.assertEqual((refund.kind, refund.parent_id), ('refund', payment.pk))
        with self.assertRaises(exceptions.RefundWrongDirection):
            facade.transfer(self.card, self.redemptions, D('1.00'), parent=payment)

    def test_unknown_transfer(self):
        with self.assertRaises(exceptions.TransferNotFound):
            facade.reverse(999999)


class RedeemTests(LedgerTestCase):
    def test_redeem_from_several_accounts_list_and_dict(self):
        transfers = facade.redeem('1001', [(self.card, D('30.00')), (self.other_card, D('10.00'))], user=self.alice)
        self.assertEqual([t.source_id for t in transfers], [self.card.pk, self.other_card.pk])
        for transfer in transfers:
            self.assertEqual(transfer.destination_id, self.redemptions.pk)
            self.assertEqual(transfer.merchant_reference, '1001')
            self.assertEqual(transfer.description, 'Redeemed to pay for order 1001')
            self.assertEqual(transfer.username, 'alice')
        self.assertEqual(self.balance(self.other_card), D('0.00'))
        more = facade.redeem(1002, {self.card.pk: D('5.00')})
        self.assertEqual([(t.source_id, t.amount) for t in more], [(self.card.pk, D('5.00'))])
        self.assertEqual(self.balance(self.card), D('65.00'))

    def test_redeem_is_all_or_none(self):
        before = self.ledger_size()
        with self.assertRaises(exceptions.InsufficientFunds) as caught:
            facade.redeem('1003', [(self.card, D('30.00')), (self.other_card, D('10.01'))])
        self.assertIn('account #%d' % self.other_card.pk, str(caught.exception))
        self.assertEqual(self.ledger_size(), before)
        self.assertEqual(self.balance(self.card), D('100.00'))

    def test_redeem_refusals(self):
        with self.assertRaises(exceptions.DuplicateAllocation):
            facade.redeem('1004', [(self.card, D('1.00')), (self.card.pk, D('2.00'))])
        with self.assertRaises(exceptions.DuplicateAllocation):
            facade.redeem('1004', [])
        with self.assertRaises(exceptions.NullArgument):
            facade.redeem('', [(self.card, D('1.00'))])

    def test_redeem_retried_with_the_same_key_pays_once(self):
        first = facade.redeem('1005', [(self.card, D('30.00'))], idempotency_key='checkout-1005')
        again = facade.redeem('1005', [(self.card, D('30.00'))], idempotency_key='checkout-1005')
        self.assertEqual([t.pk for t in first], [t.pk for t in again])
        self.assertEqual(self.balance(self.card), D('70.00'))
        with self.assertRaises(exceptions.IdempotencyKeyReused):
            facade.redeem('1005', [(self.card, D('31.00'))], idempotency_key='checkout-1005')

    def test_permitted_allocation_splits_an_order_over_two_cards(self):
        # The reference's bug #41: the second 10.00 card could pay 0.00 of a 20.00 order.
        small = facade.create_account(initial_amount=D('10.00'), source=self.bank)
        first = facade.permitted_allocation(self.other_card, D('20.00'))
        second = facade.permitted_allocation(small, D('20.00'), other_allocated=first)
        self.assertEqual((first, second), (D('10.00'), D('10.00')))


class AccountLifecycleTests(LedgerTestCase):
    def test_create_account_with_generated_code_and_initial_load(self):
        account = facade.create_account(generate_code=True, initial_amount=D('25.00'), source=self.bank,
                                        primary_user=self.alice, secondary_users=[self.bob, 103],
                                        description='Gift card', user=self.alice)
        self.assertIsInstance(account, Account)
        self.assertRegex(account.code, r'^[A-Z0-9]{12}$')
        self.assertEqual((account.balance, account.status, account.primary_user_id), (D('25.00'), 'Open', 101))
        self.assertEqual(account.secondary_user_ids, [102, 103])
        self.assertEqual(account.account_type.full_name, 'Liabilities / Deferred income / Dashboard created accounts')
        load = Transfer.objects.get(destination=account)
        self.assertEqual((load.source_id, load.description, load.username), (self.bank.pk, 'Creation of account', 'alice'))

    def test_create_account_whose_load_is_refused_creates_nothing(self):
        accounts = Account.objects.count()
        with self.assertRaises(exceptions.InsufficientFunds):
            facade.create_account(code='NEVER', initial_amount=D('1000.00'), source=self.other_card)
        self.assertEqual(Account.objects.count(), accounts)
        with self.assertRaises(exceptions.AlreadyInUse):
            facade.create_account(code='alice-0001')
        with self.assertRaises(exceptions.InvalidValidityWindow):
            facade.create_account(start_date=timezone.now(), end_date=timezone.now() - datetime.timedelta(days=1))

    def test_credit_limit_none_is_unlimited(self):
        account = facade.create_account(name='Budget', credit_limit=None)
        self.assertIsNone(account.credit_limit)
        facade.transfer(account, self.redemptions, D('500.00'))
        self.assertEqual(self.balance(account), D('-500.00'))

    def test_freeze_thaw_close_update_the_instance(self):
        card = self.other_card
        self.assertIs(facade.freeze(card), card)
        self.assertTrue(card.is_frozen())
        with self.assertRaises(exceptions.InvalidStatusTransition):
            facade.freeze(card)
        facade.thaw(card)
        self.assertTrue(card.is_open())
        with self.assertRaises(exceptions.AccountNotEmpty):
            facade.close(card)
        facade.transfer(card, self.redemptions, D('10.00'))
        card.close()
        self.assertTrue(card.is_closed())
        self.assertEqual(Account.objects.get(pk=card.pk).status, 'Closed')
        with self.assertRaises(exceptions.ClosedAccount) as caught:
            facade.thaw(card)
        self.assertEqual(caught.exception.condition, 'account_closed')

    def test_update_account(self):
        end = timezone.now() + datetime.timedelta(days=30)
        account = facade.update_account(self.card, description='Extended', end_date=end, credit_limit=D('5.00'))
        self.assertIs(account, self.card)
        fresh = Account.objects.get(pk=self.card.pk)
        self.assertEqual((fresh.description, fresh.end_date, fresh.credit_limit), ('Extended', end, D('5.00')))
        with self.assertRaises(exceptions.InvalidArgument):
            facade.update_account(self.card, balance=D('1.00'))

    def test_lookup_code_normalises_and_throttles(self):
        found = facade.lookup_code(' alice-0001 ', '198.51.100.7')
        self.assertEqual(found.pk, self.card.pk)
        for _ in range(3):
            self.assertIsNone(facade.lookup_code('WRONG', '198.51.100.7'))
        with self.assertRaises(exceptions.ClientBlocked):
            facade.lookup_code('ALICE-0001', '198.51.100.7')
        self.assertEqual(facade.lookup_code('ALICE0001', '198.51.100.8').pk, self.card.pk)

    def test_close_expired_accounts(self):
        ended = timezone.now() - datetime.timedelta(hours=1)
        full = facade.create_account(code='EXPIRING', initial_amount=D('12.50'), source=self.bank)
        empty = facade.create_account(code='EXPIRING-EMPTY')
        for account in (full, empty):
            facade.update_account(account, start_date=ended - datetime.timedelta(days=30), end_date=ended)
        lapsed_before = self.balance(self.lapsed)
        rows = {row.account_id: row for row in facade.close_expired_accounts()}
        self.assertEqual(rows[full.pk].lapsed_amount, D('12.50'))
        self.assertIsNotNone(rows[full.pk].transfer_id)
        self.assertEqual(rows[empty.pk].lapsed_amount, D('0.00'))
        self.assertEqual(Account.objects.get(pk=full.pk).status, 'Closed')
        self.assertEqual(Account.objects.get(pk=empty.pk).status, 'Closed')
        self.assertEqual(self.balance(self.lapsed), lapsed_before + D('12.50'))
        self.assertEqual(facade.close_expired_accounts(), [])

    def test_balance_at_and_verify(self):
        self.assertEqual(facade.balance_at(self.card, timezone.now()), D('100.00'))
        self.assertEqual(facade.verify(), [])
