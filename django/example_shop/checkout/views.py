"""The seed's checkout (django-oscar-accounts' PaymentDetailsView recipe) without Oscar.

1. GET: the user's active accounts with a positive balance.
2. POST action=preview: validate the chosen codes (ValidAccountForm, with the request's IP),
   allocate the order total over them, keep the allocations in the session, show a preview.
3. POST action=place_order: handle_payment() redeems the allocations to Redemptions in one call,
   all or none, with an idempotency key derived from the order number and the payment attempt;
   then place_order(); if that fails, the payment is reversed and the attempt counter bumped.
"""
import logging
from decimal import Decimal

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from oscar_accounts_pg import exceptions, facade
from oscar_accounts_pg.models import Account

from .forms import ValidAccountForm
from .models import Basket, Order, PaymentSource

logger = logging.getLogger('checkout')
SESSION_KEY = 'account_allocations'


class PaymentError(Exception):
    """Payment was refused; nothing was paid."""


class PaymentDetailsView(LoginRequiredMixin, View):
    template_name = 'checkout/payment_details.html'
    preview_template_name = 'checkout/preview.html'

    # -- helpers ------------------------------------------------------------------------------

    def get_basket(self):
        return Basket.objects.filter(owner=self.request.user, status=Basket.OPEN).order_by('-pk').first()

    def client_ip(self):
        return self.request.META.get('REMOTE_ADDR') or '0.0.0.0'

    def user_accounts(self):
        """Step 1: the user's active, open accounts with a positive balance."""
        return Account.active.for_user(self.request.user).filter(status=Account.OPEN, balance__gt=0)

    def get_context_data(self, basket, **kwargs):
        context = {'basket': basket, 'accounts': self.user_accounts()}
        context.update(kwargs)
        return context

    def validate_codes(self, codes):
        """Step 2: every code through ValidAccountForm. Returns (accounts, {code: [errors]})."""
        accounts, errors = [], {}
        for code in dict.fromkeys(c.strip() for c in codes if c and c.strip()):
            form = ValidAccountForm(self.request.user, self.client_ip(), data={'code': code})
            if form.is_valid():
                if form.account.pk not in [a.pk for a in accounts]:
                    accounts.append(form.account)
            else:
                errors[code] = form.errors['code']
        return accounts, errors

    def allocate(self, basket, accounts):
        """Each account pays what it may of what the order still needs (bug #41 fixed)."""
        allocations, allocated = [], Decimal('0.00')
        for account in accounts:
            if allocated >= basket.total:
                break
            amount = facade.permitted_allocation(account, basket.total, other_allocated=allocated)
            if amount > 0:
                allocations.append((account, amount))
                allocated += amount
        return allocations, allocated

    # -- the flow -------------------------------------------------------------------------------

    def get(self, request):
        basket = self.get_basket()
        if basket is None:
            return render(request, 'checkout/no_basket.html', status=404)
        return render(request, self.template_name, self.get_context_data(basket))

    def post(self, request):
        basket = self.get_basket()
        if basket is None:
            # A repeated "place order" after the order was placed: show it, pay nothing.
            order = Order.objects.filter(user=request.user).order_by('-pk').first()
            if order is not None and request.POST.get('action') == 'place_order':
                return redirect('checkout:thank-you', number=order.number)
            return render(request, 'checkout/no_basket.html', status=404)
        if request.POST.get('action') == 'place_order':
            return self.submit(basket)
        return self.preview(basket)

    def render_errors(self, basket, errors, status=200):
        return render(self.request, self.template_name, self.get_context_data(basket, errors=errors), status=status)

    def preview(self, basket):
        accounts, errors = self.validate_codes(self.request.POST.getlist('code'))
        if errors:
            return self.render_errors(basket, errors)
        if not accounts:
            return self.render_errors(basket, {'': ['Choose an account or enter a code']})
        allocations, allocated = self.allocate(basket, accounts)
        if allocated < basket.total:
            return self.render_errors(basket, {'': ['Your accounts cover %s of the order total %s'
                                                    % (allocated, basket.total)]})
        self.request.session[SESSION_KEY] = [[account.code, str(amount)] for account, amount in allocations]
        return render(self.request, self.preview_template_name,
                      self.get_context_data(basket, allocations=allocations))

    def submit(self, basket):
        stored = self.request.session.get(SESSION_KEY)
        if not stored:
            return redirect('checkout:payment-details')
        # Checked again: the account may have been frozen or expired since the preview.
        accounts, errors = self.validate_codes([code for code, _ in stored])
        if errors:
            return self.render_errors(basket, errors)
        by_code = {account.code: account for account in accounts}
        allocations = [(by_code[code], Decimal(amount)) for code, amount in stored]
        if sum(amount for _, amount in allocations) != basket.total:
            return self.render_errors(basket, {'': ['The allocations no longer match the order total']})
        order_number = basket.order_number
        try:
            transfers = self.handle_payment(order_number, allocations, basket.payment_idempotency_key)
        except PaymentError as error:
            return render(self.request, self.preview_template_name,
                          self.get_context_data(basket, allocations=allocations, payment_error=str(error)))
        try:
            order = self.place_order(basket, order_number, transfers)
        except Exception:
            logger.exception('Order %s could not be placed after payment; reversing it', order_number)
            returned = self.reverse_payment(order_number, transfers)
            Basket.objects.filter(pk=basket.pk).update(payment_attempt=basket.payment_attempt + 1)
            message = ('Your order could not be placed. Your payment has been returned to your account.'
                       if returned else 'Your order could not be placed. Please contact us about your payment.')
            return self.render_errors(basket, {'': [message]}, status=500)
        del self.request.session[SESSION_KEY]
        return redirect('checkout:thank-you', number=order.number)

    def handle_payment(self, order_number, allocations, idempotency_key):
        """Step 3: pays the order total to Redemptions, all or none, in one SQL call. A retry with
        the same key (a double submit, a timeout) returns the same transfers and pays nothing."""
        try:
            return facade.redeem(order_number, allocations, user=self.request.user,
                                 idempotency_key=idempotency_key)
        except exceptions.AccountException as error:
            logger.info('Payment of order %s refused: %s (%s)', order_number, error, error.condition)
            raise PaymentError('An error occurred with the account redemption: %s' % error) from error

    def place_order(self, basket, order_number, transfers):
        with transaction.atomic():
            order, created = Order.objects.get_or_create(
                number=order_number, defaults={'basket': basket, 'user': self.request.user, 'total': basket.total})
            if created:
                for transfer in transfers:
                    PaymentSource.objects.create(order=order, account_id=transfer.source_id, transfer=transfer,
                                                 amount=transfer.amount, reference=transfer.reference)
            basket.status = Basket.SUBMITTED
            basket.save(update_fields=['status'])
        return order

    def reverse_payment(self, order_number, transfers):
        """Reverses each transfer of a failed order (the seed's facade.reverse(...,
        description="Payment Cancellation")). Keyed per transfer, so reversing again is harmless."""
        all_returned = True
        for transfer in transfers:
            try:
                facade.reverse(transfer, user=self.request.user, merchant_reference=order_number,
                               description='Payment cancellation', idempotency_key='reverse-%s' % transfer.reference)
            except exceptions.AlreadyReversed:
                pass
            except exceptions.AccountException:
                logger.exception('Transfer %s of order %s could not be reversed', transfer.reference, order_number)
                all_returned = False
        return all_returned


class ThankYouView(LoginRequiredMixin, View):
    def get(self, request, number):
        order = get_object_or_404(Order, number=number, user=request.user)
        return render(request, 'checkout/thank_you.html', {'order': order,
                                                          'sources': order.sources.select_related('account')})
