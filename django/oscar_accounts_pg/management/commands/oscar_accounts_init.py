from django.core.management.base import BaseCommand

from oscar_accounts_pg import facade


class Command(BaseCommand):
    help = ("Creates (or completes) the chart of accounts with accounts_init(); safe to run again. "
            "Names come from the options, else the ACCOUNTS_* settings, else the reference's defaults.")

    def add_arguments(self, parser):
        parser.add_argument('--redemptions-name')
        parser.add_argument('--lapsed-name')
        parser.add_argument('--bank-name')
        parser.add_argument('--unpaid-source', action='append', dest='unpaid_sources',
                            help='an unpaid source account name (repeat for several)')
        parser.add_argument('--deferred-income-type', action='append', dest='deferred_income_types',
                            help='a deferred-income account type name (repeat for several)')

    def handle(self, *args, **options):
        rows = facade.init(redemptions_name=options['redemptions_name'], lapsed_name=options['lapsed_name'],
                           bank_name=options['bank_name'], unpaid_source_names=options['unpaid_sources'],
                           deferred_income_type_names=options['deferred_income_types'])
        for row in rows:
            self.stdout.write('%-22s %-13s %6d  %s' % (row.role, row.kind, row.id, row.name))
        self.stdout.write(self.style.SUCCESS('Chart of accounts ready: %d system roles' % len(rows)))
