"""The migration creates the extension and the chart of accounts; a project needs only
DATABASES and INSTALLED_APPS."""
import os
import subprocess
import sys
import tempfile
import textwrap
import uuid

import psycopg2
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import SimpleTestCase, TestCase

import oscar_accounts_pg

PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(oscar_accounts_pg.__file__)))


class MigrationTests(TestCase):
    def test_migration_created_the_extension_in_the_test_database(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT extversion, extnamespace::regnamespace::text FROM pg_extension "
                           "WHERE extname = 'oscar_accounts'")
            self.assertEqual(cursor.fetchall(), [('0.1.0', 'pg_catalog')])
            cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'accounts'")
            self.assertEqual(cursor.fetchone()[0], 1)
            cursor.execute('SELECT role FROM accounts.system_account ORDER BY role')
            self.assertEqual([r[0] for r in cursor.fetchall()], ['bank', 'lapsed', 'redemptions', 'unpaid_source'])
        applied = MigrationRecorder(connection).applied_migrations()
        self.assertIn(('oscar_accounts_pg', '0001_initial'), applied)

    def test_models_are_unmanaged_and_quote_the_schema(self):
        from django.apps import apps
        for model in apps.get_app_config('oscar_accounts_pg').get_models():
            self.assertFalse(model._meta.managed, model)
            self.assertTrue(model._meta.db_table.startswith('accounts"."'), model)
            self.assertTrue(connection.ops.quote_name(model._meta.db_table).startswith('"accounts"."'))


class NoOscarTests(SimpleTestCase):
    def test_django_oscar_is_not_imported(self):
        import importlib
        for module in ('oscar_accounts_pg.models', 'oscar_accounts_pg.facade', 'oscar_accounts_pg.exceptions',
                       'oscar_accounts_pg.management.commands.oscar_accounts_init',
                       'oscar_accounts_pg.management.commands.close_expired_accounts'):
            importlib.import_module(module)
        self.assertEqual([name for name in sys.modules if name == 'oscar' or name.startswith('oscar.')], [])


class MinimalSettingsTests(SimpleTestCase):
    """In a fresh database, with a settings module holding nothing but DATABASES and
    INSTALLED_APPS: check, migrate, a transfer through the facade, migrate again (safe), and no
    model changes missing from the migration."""

    def run_django(self, settings_dir, env, *args):
        result = subprocess.run([sys.executable, '-m', 'django', *args, '--settings=minimal_settings'],
                                cwd=settings_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                universal_newlines=True, timeout=300)
        self.assertEqual(result.returncode, 0, result.stdout)
        return result.stdout

    def test_only_databases_and_installed_apps(self):
        database = 'oscar_accounts_pg_minimal_%s' % uuid.uuid4().hex[:8]
        admin = psycopg2.connect(dbname='postgres')  # as Django's own test database creation does
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute('CREATE DATABASE %s' % database)
        try:
            with tempfile.TemporaryDirectory() as settings_dir:
                with open(os.path.join(settings_dir, 'minimal_settings.py'), 'w') as settings_file:
                    settings_file.write(textwrap.dedent('''\
                        DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': %r}}
                        INSTALLED_APPS = ['oscar_accounts_pg']
                        ''' % database))
                env = dict(os.environ, PYTHONPATH=os.pathsep.join([settings_dir, PACKAGE_PARENT]))
                env.pop('DJANGO_SETTINGS_MODULE', None)
                self.assertIn('no issues', self.run_django(settings_dir, env, 'check'))
                self.assertIn('Applying oscar_accounts_pg.0001_initial... OK',
                              self.run_django(settings_dir, env, 'migrate', '--noinput'))
                self.assertIn('No changes detected',
                              self.run_django(settings_dir, env, 'makemigrations', '--check', '--dry-run'))
                script = textwrap.dedent('''\
                    import django
                    django.setup()
                    from decimal import Decimal
                    from oscar_accounts_pg import facade, exceptions
                    from oscar_accounts_pg.models import Account
                    card = facade.create_account(code='MINIMAL', initial_amount=Decimal('5.00'),
                                                 source=Account.objects.system('bank'))
                    transfer = facade.transfer(card, Account.objects.system('redemptions'), Decimal('2.00'))
                    try:
                        facade.transfer(card, Account.objects.system('redemptions'), Decimal('9.00'))
                    except exceptions.InsufficientFunds as error:
                        print('refused:', error)
                    card.refresh_from_db()
                    print('balance', card.balance, 'reference', len(transfer.reference))
                    ''')
                result = subprocess.run([sys.executable, '-c', script], cwd=settings_dir,
                                        env=dict(env, DJANGO_SETTINGS_MODULE='minimal_settings'),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        universal_newlines=True, timeout=120)
                self.assertEqual(result.returncode, 0, result.stdout)
                self.assertIn('refused: unable to debit 9.00 from account #', result.stdout)
                self.assertIn('balance 3.00 reference 32', result.stdout)
                # Unapplying drops nothing; applying again finds the extension and the chart.
                self.run_django(settings_dir, env, 'migrate', 'oscar_accounts_pg', 'zero', '--noinput')
                self.run_django(settings_dir, env, 'migrate', '--noinput')
                self.assertIn('Chart of accounts ready: 11 system roles',
                              self.run_django(settings_dir, env, 'oscar_accounts_init'))
                with psycopg2.connect(dbname=database) as check, check.cursor() as cursor:
                    cursor.execute("SELECT balance FROM accounts.account WHERE code = 'MINIMAL'")
                    self.assertEqual(str(cursor.fetchone()[0]), '3.00')
                    cursor.execute("SELECT count(*) FROM accounts.accounts_verify()")
                    self.assertEqual(cursor.fetchone()[0], 0)
                check.close()
        finally:
            with admin.cursor() as cursor:
                cursor.execute('DROP DATABASE IF EXISTS %s WITH (FORCE)' % database)
            admin.close()
