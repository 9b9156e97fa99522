"""The facade and models as the README's application role: SELECT on the tables, EXECUTE on the
public functions, no INSERT/UPDATE/DELETE on any ledger table."""
from django.db import ProgrammingError, connection, transaction

from oscar_accounts_pg import exceptions, facade
from oscar_accounts_pg.models import Account, Transfer

from .base import D, LedgerTestCase

ROLE = 'oscar_accounts_pg_test_app'
APP_FUNCTIONS = [
    'accounts.accounts_transfer(bigint, bigint, numeric, bigint, bigint, text, text, text, text)',
    'accounts.accounts_reverse(bigint, bigint, text, text, text, text)',
    'accounts.accounts_refund(bigint, numeric, bigint, text, text, text, text)',
    'accounts.accounts_refundable(bigint)',
    'accounts.accounts_redeem(text, bigint[], numeric[], bigint, text, text)',
    'accounts.accounts_permitted_allocation(bigint, numeric, numeric, numeric, numeric)',
    'accounts.accounts_create_account(bigint, text, text, timestamptz, timestamptz, numeric, bigint, bigint[], '
    'bigint, boolean, text, text, boolean, integer, numeric, bigint, bigint, text)',
    'accounts.accounts_update_account(bigint, jsonb)',
    'accounts.accounts_freeze(bigint)', 'accounts.accounts_thaw(bigint)', 'accounts.accounts_close(bigint)',
    'accounts.accounts_lookup_code(text, inet)',
    'accounts.accounts_close_expired(timestamptz, text)',
    'accounts.accounts_balance_at(bigint, timestamptz)',
    'accounts.accounts_verify()',
]


class ApplicationRoleTests(LedgerTestCase):
    """Each test runs in a savepoint: the role and SET LOCAL ROLE vanish when it is rolled back."""

    def become_app_role(self):
        with connection.cursor() as cursor:
            cursor.execute('CREATE ROLE %s NOLOGIN' % ROLE)
            cursor.execute('GRANT USAGE ON SCHEMA accounts TO %s' % ROLE)
            cursor.execute('GRANT SELECT ON ALL TABLES IN SCHEMA accounts TO %s' % ROLE)
            cursor.execute('GRANT EXECUTE ON FUNCTION %s TO %s' % (', '.join(APP_FUNCTIONS), ROLE))
            cursor.execute('SET LOCAL ROLE %s' % ROLE)

    def test_facade_and_models_work_without_write_privileges(self):
        self.become_app_role()
        card = facade.create_account(code='APP-ROLE', initial_amount=D('20.00'), source=self.bank)
        payment = facade.redeem('2001', [(card, D('15.00'))], user=self.alice, idempotency_key='2001-1')[0]
        self.assertEqual(payment.max_refund(), D('15.00'))
        facade.reverse(payment)
        with self.assertRaises(exceptions.InsufficientFunds):
            facade.transfer(card, self.redemptions, D('20.01'))
        self.assertEqual(facade.lookup_code('app-role', '192.0.2.50').pk, card.pk)
        facade.freeze(card)
        # Account.save() goes through accounts_update_account(), so it works without UPDATE privilege.
        card = Account.objects.get(pk=card.pk)
        card.description = 'Saved by the application role'
        card.save()
        self.assertEqual(Account.objects.get(pk=card.pk).description, 'Saved by the application role')
        self.assertEqual(Account.objects.get(pk=card.pk).status, 'Frozen')
        self.assertEqual(facade.verify(), [])
        self.assertGreater(Transfer.objects.count(), 0)

    def test_direct_writes_are_refused_with_permission_denied(self):
        self.become_app_role()
        for statement in ("UPDATE accounts.account SET description = 'direct' WHERE id = %s",
                          'UPDATE accounts.account SET balance = balance + 1 WHERE id = %s',
                          "UPDATE accounts.account SET status = 'Open' WHERE id = %s",
                          'DELETE FROM accounts.posting WHERE account_id = %s'):
            with self.subTest(statement), self.assertRaises(ProgrammingError) as caught, transaction.atomic(), \
                    exceptions.translate_errors(), connection.cursor() as cursor:
                cursor.execute(statement, [self.card.pk])
            self.assertEqual(caught.exception.__cause__.pgcode, '42501')

    def test_migration_step_checks_the_chart_when_it_may_not_initialise(self):
        import importlib
        migration = importlib.import_module('oscar_accounts_pg.migrations.0001_initial')
        self.become_app_role()

        class SchemaEditor:
            pass
        editor = SchemaEditor()
        editor.connection = connection
        migration.init_chart_of_accounts(None, editor)  # finds the chart, does not call accounts_init()
