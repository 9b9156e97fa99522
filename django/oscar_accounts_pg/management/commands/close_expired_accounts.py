from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_datetime

from oscar_accounts_pg import facade


class Command(BaseCommand):
    help = ("Closes every Open account whose end_date has passed, moving a positive balance to the "
            "Lapsed account first (accounts_close_expired()).")

    def add_arguments(self, parser):
        parser.add_argument('--as-of', help='ISO 8601 instant to sweep as of (default: now; not in the future)')

    def handle(self, *args, **options):
        as_of = parse_datetime(options['as_of']) if options['as_of'] else None
        rows = facade.close_expired_accounts(as_of=as_of)
        closed = 0
        for row in rows:
            refusal = getattr(row, 'refusal', None)
            if refusal:
                self.stdout.write('Account #%d left open: %s' % (row.account_id, refusal))
                continue
            closed += 1
            if row.transfer_id is not None:
                self.stdout.write('Account #%d closed: %s moved to Lapsed (transfer %d)'
                                  % (row.account_id, row.lapsed_amount, row.transfer_id))
            else:
                self.stdout.write('Account #%d closed: balance %s' % (row.account_id, row.balance))
        self.stdout.write(self.style.SUCCESS('%d expired account(s) closed, %d left open'
                                             % (closed, len(rows) - closed)))
