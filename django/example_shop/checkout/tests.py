"""The seed's checkout, end to end through Django's test client against the real ledger."""
import datetime
from decimal import Decimal as D
from unittest import mock

from django.contrib.auth import get_user_model
from django.test import RequestFactory, TestCase
from django.urls import reverse
from django.utils import timezone

from oscar_accounts_pg import exceptions, facade
from oscar_accounts_pg.models import Account, IdempotentRequest, Transaction, Transfer

from .models import Basket, Order
from .views import PaymentDetailsView, PaymentError

URL = '/checkout/payment-details/'


class CheckoutTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        User = get_user_model()
        cls.alice = User.objects.create_user('alice', password='alice-password')
        cls.bob = User.objects.create_user('bob', password='bob-password')
        now = timezone.now()
        year = datetime.timedelta(days=365)
        cls.bank = Account.objects.system('bank')
        cls.redemptions = Account.objects.system('redemptions')
        cls.card50 = facade.create_account(code='GIFT-0050', primary_user=cls.alice, initial_amount=D('50.00'),
                                           source=cls.bank, end_date=now + year)
        cls.card10 = facade.create_account(code='GIFT-0010', primary_user=cls.alice, initial_amount=D('10.00'),
                                           source=cls.bank)
        cls.expired = facade.create_account(code='OLD-0001', primary_user=cls.alice, initial_amount=D('20.00'),
                                            source=cls.bank, start_date=now - 2 * year, end_date=now - year)
        cls.frozen = facade.freeze(facade.create_account(code='FROZEN-01', primary_user=cls.alice,
                                                         initial_amount=D('20.00'), source=cls.bank))
        cls.empty = facade.create_account(code='EMPTY-01', primary_user=cls.alice)
        cls.bobs = facade.create_account(code='BOB-0001', primary_user=cls.bob, initial_amount=D('30.00'),
                                         source=cls.bank)
        cls.basket = Basket.objects.create(owner=cls.alice, total=D('40.00'))

    def setUp(self):
        self.client.force_login(self.alice)

    def balance(self, account):
        return Account.objects.get(pk=account.pk).balance

    def ledger_size(self):
        return Transfer.objects.count(), Transaction.objects.count()

    def preview(self, *codes):
        return self.client.post(URL, {'action': 'preview', 'code': list(codes)})

    def place_order(self):
        return self.client.post(URL, {'action': 'place_order'})


class Step1AccountListTests(CheckoutTestCase):
    def test_lists_the_users_active_accounts_with_a_positive_balance(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(sorted(a.code for a in response.context['accounts']), ['GIFT0010', 'GIFT0050'])
        self.assertContains(response, 'GIFT0050: 50.00 GBP')

    def test_login_required(self):
        self.client.logout()
        response = self.client.get(URL)
        self.assertRedirects(response, '/accounts/login/?next=' + URL)
        login = self.client.post('/accounts/login/', {'username': 'alice', 'password': 'alice-password'})
        self.assertRedirects(login, URL)


class Step2ValidationTests(CheckoutTestCase):
    def test_each_reference_check_in_order(self):
        response = self.preview('NO-SUCH-CODE', 'old-0001', 'FROZEN-01', 'empty-01', 'BOB-0001')
        errors = response.context['errors']
        self.assertEqual(errors['NO-SUCH-CODE'], ['No account found with this code'])
        self.assertEqual(errors['old-0001'], ['This account is no longer active'])
        self.assertEqual(errors['FROZEN-01'], ['This account is no longer open'])
        self.assertEqual(errors['empty-01'], ['This account is empty'])
        self.assertEqual(errors['BOB-0001'], ['You are not authorised to use this account'])
        self.assertNotIn('account_allocations', self.client.session)

    def test_valid_code_is_shown_on_the_preview(self):
        response = self.preview(' gift-0050 ')
        self.assertTemplateUsed(response, 'checkout/preview.html')
        self.assertEqual([(a.code, amount) for a, amount in response.context['allocations']],
                         [('GIFT0050', D('40.00'))])
        self.assertEqual(self.client.session['account_allocations'], [['GIFT0050', '40.00']])

    def test_an_order_split_over_two_cards(self):
        # The reference's bug #41 would have let the second card pay 0.00.
        Basket.objects.filter(pk=self.basket.pk).update(total=D('55.00'))
        response = self.preview('GIFT-0050', 'GIFT-0010')
        self.assertEqual([(a.code, amount) for a, amount in response.context['allocations']],
                         [('GIFT0050', D('50.00')), ('GIFT0010', D('5.00'))])

    def test_not_enough_on_the_chosen_accounts(self):
        response = self.preview('GIFT-0010')
        self.assertEqual(response.context['errors'][''], ['Your accounts cover 10.00 of the order total 40.00'])

    def test_lookups_are_throttled_per_address(self):
        for code in ('WRONG-1', 'WRONG-2', 'WRONG-3'):
            self.preview(code)
        response = self.preview('GIFT-0050')
        self.assertEqual(response.context['errors']['GIFT-0050'],
                         ['Too many unknown codes from your address: try again later'])
        other = self.client.post(URL, {'action': 'preview', 'code': ['GIFT-0050']}, REMOTE_ADDR='192.0.2.99')
        self.assertTemplateUsed(other, 'checkout/preview.html')


class Step3PaymentTests(CheckoutTestCase):
    def test_payment_succeeds(self):
        redemptions_before = self.balance(self.redemptions)
        self.preview('GIFT-0050')
        response = self.place_order()
        number = self.basket.order_number
        self.assertRedirects(response, reverse('checkout:thank-you', args=[number]))
        self.assertEqual(self.balance(self.card50), D('10.00'))
        self.assertEqual(self.balance(self.redemptions), redemptions_before + D('40.00'))
        order = Order.objects.get(number=number)
        source = order.sources.get()
        transfer = Transfer.objects.get(pk=source.transfer_id)
        self.assertEqual((transfer.source_id, transfer.destination_id, transfer.amount),
                         (self.card50.pk, self.redemptions.pk, D('40.00')))
        self.assertEqual((transfer.merchant_reference, transfer.description),
                         (number, 'Redeemed to pay for order %s' % number))
        self.assertEqual((transfer.user_id, transfer.username), (self.alice.pk, 'alice'))
        self.assertEqual(source.reference, transfer.reference)
        self.assertEqual(IdempotentRequest.objects.get(key='order-%s-payment-1' % number).transfer_ids, [transfer.pk])
        self.assertEqual(Basket.objects.get(pk=self.basket.pk).status, Basket.SUBMITTED)
        self.assertContains(self.client.get(response.url), '40.00 from GIFT0050')
        self.assertEqual(facade.verify(), [])

    def test_insufficient_funds_raises_and_writes_nothing(self):
        view = PaymentDetailsView()
        view.request = RequestFactory().post(URL)
        view.request.user = self.alice
        before = self.ledger_size()
        with self.assertRaises(PaymentError) as caught:
            view.handle_payment('999001', [(self.card50, D('30.00')), (self.card10, D('10.01'))], 'order-999001-1')
        self.assertIsInstance(caught.exception.__cause__, exceptions.InsufficientFunds)
        self.assertEqual(self.ledger_size(), before)
        self.assertEqual((self.balance(self.card50), self.balance(self.card10)), (D('50.00'), D('10.00')))

    def test_card_spent_between_preview_and_payment(self):
        self.preview('GIFT-0050')
        facade.transfer(self.card50, self.redemptions, D('20.00'))  # spent elsewhere meanwhile
        before = self.ledger_size()
        response = self.place_order()
        self.assertContains(response, 'An error occurred with the account redemption: unable to debit 40.00 '
                                      'from account #%d' % self.card50.pk)
        self.assertEqual(self.ledger_size(), before)
        self.assertEqual(self.balance(self.card50), D('30.00'))
        self.assertFalse(Order.objects.exists())
        self.assertEqual(Basket.objects.get(pk=self.basket.pk).status, Basket.OPEN)

    def test_frozen_between_preview_and_payment(self):
        self.preview('GIFT-0050')
        facade.freeze(self.card50)
        before = self.ledger_size()
        response = self.place_order()
        self.assertEqual(response.context['errors'], {'GIFT0050': ['This account is no longer open']})
        self.assertEqual(self.ledger_size(), before)

    def test_order_failure_after_payment_reverses_it(self):
        redemptions_before = self.balance(self.redemptions)
        self.preview('GIFT-0050')
        with mock.patch.object(PaymentDetailsView, 'place_order', side_effect=RuntimeError('out of stock')), \
                self.assertLogs('checkout', 'ERROR') as logs:
            response = self.place_order()
        self.assertIn('could not be placed after payment; reversing it', logs.output[0])
        self.assertContains(response, 'Your payment has been returned to your account', status_code=500)
        self.assertEqual(self.balance(self.card50), D('50.00'))
        self.assertEqual(self.balance(self.redemptions), redemptions_before)
        payment = Transfer.objects.get(merchant_reference=self.basket.order_number, kind='transfer')
        reversal = payment.reversal
        self.assertEqual((reversal.amount, reversal.description, reversal.user_id),
                         (D('40.00'), 'Payment cancellation', self.alice.pk))
        self.assertFalse(Order.objects.exists())
        basket = Basket.objects.get(pk=self.basket.pk)
        self.assertEqual((basket.status, basket.payment_attempt), (Basket.OPEN, 2))
        # Trying again pays afresh (a new key: the old one would return the reversed transfer).
        response = self.place_order()
        self.assertRedirects(response, reverse('checkout:thank-you', args=[basket.order_number]))
        self.assertEqual(self.balance(self.card50), D('10.00'))
        self.assertEqual(Order.objects.get().sources.get().transfer.reversal, None)
        self.assertEqual(facade.verify(), [])

    def test_retried_request_with_the_same_key_pays_once(self):
        # The first request paid and then died before placing the order (a timeout, a crash).
        self.preview('GIFT-0050')
        first = facade.redeem(self.basket.order_number, [(self.card50, D('40.00'))], user=self.alice,
                              idempotency_key=self.basket.payment_idempotency_key)
        before = self.ledger_size()
        response = self.place_order()  # the customer presses the button again
        self.assertRedirects(response, reverse('checkout:thank-you', args=[self.basket.order_number]))
        self.assertEqual(self.ledger_size(), before)
        self.assertEqual(self.balance(self.card50), D('10.00'))
        self.assertEqual(Order.objects.get().sources.get().transfer_id, first[0].pk)

    def test_double_submit_pays_once(self):
        self.preview('GIFT-0050')
        first = self.place_order()
        before = self.ledger_size()
        second = self.place_order()
        self.assertEqual(second.url, first.url)
        self.assertEqual(self.ledger_size(), before)
        self.assertEqual(self.balance(self.card50), D('10.00'))
        self.assertEqual(Order.objects.count(), 1)


class ReadOnlyAdminTests(CheckoutTestCase):
    def setUp(self):
        admin = get_user_model().objects.create_superuser('admin', 'admin@example.com', 'admin-password')
        self.client.force_login(admin)
        self.payment = facade.transfer(self.card50, self.redemptions, D('5.00'))

    def test_lists_and_views_open(self):
        for url in ('/admin/oscar_accounts_pg/account/', '/admin/oscar_accounts_pg/transfer/',
                    '/admin/oscar_accounts_pg/transaction/', '/admin/oscar_accounts_pg/accounttype/',
                    '/admin/oscar_accounts_pg/account/%d/change/' % self.card50.pk):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.get('/admin/oscar_accounts_pg/transfer/%d/change/' % self.payment.pk)
        self.assertContains(response, self.payment.reference)
        self.assertContains(response, '-5.00')  # the source leg, inline
        self.assertNotContains(response, 'name="_save"')

    def test_no_add_change_or_delete(self):
        self.assertEqual(self.client.get('/admin/oscar_accounts_pg/account/add/').status_code, 403)
        self.assertEqual(self.client.get('/admin/oscar_accounts_pg/transfer/add/').status_code, 403)
        url = '/admin/oscar_accounts_pg/account/%d/' % self.card50.pk
        self.assertEqual(self.client.get(url + 'delete/').status_code, 403)
        self.client.post(url + 'change/', {'name': 'hacked', 'balance': '999.00'})
        self.assertEqual(Account.objects.get(pk=self.card50.pk).balance, D('45.00'))
