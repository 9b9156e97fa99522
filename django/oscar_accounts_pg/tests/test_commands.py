import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from oscar_accounts_pg import facade

from .base import D, LedgerTestCase


class CommandTests(LedgerTestCase):
    def test_oscar_accounts_init_is_safe_to_run_again(self):
        out = StringIO()
        call_command('oscar_accounts_init', stdout=out)
        output = out.getvalue()
        self.assertIn('redemptions', output)
        self.assertIn('Lapsed accounts', output)
        self.assertIn('Chart of accounts ready: 11 system roles', output)

    def test_oscar_accounts_init_adds_unpaid_sources(self):
        out = StringIO()
        call_command('oscar_accounts_init', '--unpaid-source', 'Unpaid source', '--unpaid-source', 'Goodwill',
                     stdout=out)
        self.assertIn('Goodwill', out.getvalue())

    def test_close_expired_accounts(self):
        ended = timezone.now() - datetime.timedelta(hours=1)
        card = facade.create_account(code='OLD-CARD', initial_amount=D('7.25'), source=self.bank)
        facade.update_account(card, start_date=ended - datetime.timedelta(days=1), end_date=ended)
        out = StringIO()
        call_command('close_expired_accounts', stdout=out)
        self.assertIn('Account #%d closed: 7.25 moved to Lapsed' % card.pk, out.getvalue())
        self.assertIn('1 expired account(s) closed, 0 left open', out.getvalue())

    def test_close_expired_accounts_reports_accounts_the_ledger_refuses_to_lapse(self):
        ended = timezone.now() - datetime.timedelta(hours=1)
        euro_source = facade.create_account(name='Euro bank', currency='EUR', credit_limit=None)
        euros = facade.create_account(code='EURO-CARD', currency='EUR', initial_amount=D('3.00'), source=euro_source)
        facade.update_account(euros, start_date=ended - datetime.timedelta(days=1), end_date=ended)
        out = StringIO()
        call_command('close_expired_accounts', stdout=out)
        self.assertIn('Account #%d left open: 22L03: ' % euros.pk, out.getvalue())
        self.assertIn('0 expired account(s) closed, 1 left open', out.getvalue())
        euros.refresh_from_db()
        self.assertEqual((euros.status, euros.balance), ('Open', D('3.00')))
