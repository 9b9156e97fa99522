"""The SQLSTATE -> exception table against the extension's own catalogue, and the translation."""
from django.db import OperationalError, connection, transaction
from django.test import TestCase

from oscar_accounts_pg import exceptions, facade

from .base import D, LedgerTestCase


class MappingAgainstCatalogueTests(TestCase):
    def test_every_extension_code_is_mapped_and_no_mapped_code_is_unknown(self):
        catalogue = {(row.sqlstate, row.name) for row in facade.error_codes()}
        mapped = {(sqlstate, name) for sqlstate, (name, _) in exceptions.SQLSTATE_EXCEPTIONS.items()}
        self.assertTrue(catalogue, 'accounts_error_codes() returned nothing')
        self.assertEqual(sorted(catalogue - mapped), [], 'codes of the extension missing from SQLSTATE_EXCEPTIONS')
        self.assertEqual(sorted(mapped - catalogue), [], 'mapped codes the extension does not know (or renamed)')

    def test_every_mapped_class_is_an_account_exception(self):
        for sqlstate, (_, cls) in exceptions.SQLSTATE_EXCEPTIONS.items():
            self.assertTrue(issubclass(cls, exceptions.AccountException), sqlstate)

    def test_reference_classes_and_suggested_mapping(self):
        table = {sqlstate: cls for sqlstate, (_, cls) in exceptions.SQLSTATE_EXCEPTIONS.items()}
        self.assertIs(table['23L01'], exceptions.InsufficientFunds)
        self.assertIs(table['22L02'], exceptions.InvalidAmount)
        for sqlstate in ('55L01', '55L02', '55L09'):
            self.assertIs(table[sqlstate], exceptions.ClosedAccount)
        self.assertIs(table['55L03'], exceptions.InactiveAccount)
        self.assertIs(table['55L13'], exceptions.AccountNotEmpty)
        self.assertIs(table['22L01'], exceptions.SameAccount)
        self.assertIs(table['42L02'], exceptions.UserNotAuthorised)
        self.assertIs(table['55L05'], exceptions.AlreadyReversed)
        self.assertIs(table['22L05'], exceptions.RefundExceedsRemaining)
        self.assertIs(table['22L10'], exceptions.IdempotencyKeyReused)
        self.assertIs(table['42L04'], exceptions.ClientBlocked)
        # The reference's AccountNotEmpty() takes no message.
        self.assertEqual(str(exceptions.AccountNotEmpty()), '')


class TranslationTests(LedgerTestCase):
    def test_error_carries_message_detail_sqlstate_condition_and_cause(self):
        with self.assertRaises(exceptions.InsufficientFunds) as caught:
            facade.transfer(self.card, self.redemptions, D('100.01'))
        error = caught.exception
        self.assertEqual(str(error), 'unable to debit 100.01 from account #%d' % self.card.pk)
        self.assertEqual(error.message, str(error))
        self.assertEqual(error.detail, 'Balance 100.00, credit limit 0.00: at most 100.00 is available.')
        self.assertEqual((error.sqlstate, error.condition), ('23L01', 'insufficient_funds'))
        self.assertEqual(error.__cause__.__cause__.pgcode, '23L01')

    def test_serialization_failure_and_deadlock_are_not_account_exceptions(self):
        for sqlstate in ('40001', '40P01'):
            with self.subTest(sqlstate=sqlstate):
                with self.assertRaises(OperationalError) as caught, transaction.atomic(), \
                        exceptions.translate_errors(), connection.cursor() as cursor:
                    cursor.execute("DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '%s'; END $$" % sqlstate)
                self.assertNotIsInstance(caught.exception, exceptions.AccountException)
                self.assertEqual(caught.exception.__cause__.pgcode, sqlstate)

    def test_other_postgresql_errors_propagate_unchanged(self):
        from django.db import DataError
        with self.assertRaises(DataError), transaction.atomic():
            facade.lookup_code('ABC', 'not an address')
