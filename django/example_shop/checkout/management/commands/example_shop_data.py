import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from oscar_accounts_pg import facade
from oscar_accounts_pg.models import Account

from checkout.models import Basket


class Command(BaseCommand):
    help = 'Creates a customer "alice" (password "alice"), two gift cards and a 40.00 basket to pay.'

    def handle(self, *args, **options):
        User = get_user_model()
        alice = User.objects.filter(username='alice').first() or User.objects.create_user('alice', password='alice')
        bank = Account.objects.system('bank')
        end = timezone.now() + datetime.timedelta(days=365)
        for amount in (Decimal('30.00'), Decimal('25.00')):
            card = facade.create_account(generate_code=True, primary_user=alice, initial_amount=amount, source=bank,
                                         end_date=end, description='Gift card')
            self.stdout.write('Gift card %s: %s' % (card.code, card.balance))
        basket = Basket.objects.create(owner=alice, total=Decimal('40.00'))
        self.stdout.write('Basket %d for alice: %s (order number %s)' % (basket.pk, basket.total, basket.order_number))
        self.stdout.write('Log in as alice/alice at /accounts/login/ (you land on /checkout/payment-details/)')
