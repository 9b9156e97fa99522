from django.apps import AppConfig


class OscarAccountsPgConfig(AppConfig):
    name = 'oscar_accounts_pg'
    label = 'oscar_accounts_pg'
    verbose_name = 'Accounts (PostgreSQL ledger)'
    default_auto_field = 'django.db.models.BigAutoField'
