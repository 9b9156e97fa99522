# The package's test settings: only DATABASES and INSTALLED_APPS, as a project needs.
# Connection parameters come from the libpq environment (PGHOST, PGPORT, PGUSER, PGDATABASE).
import os

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': os.environ.get('PGDATABASE', 'postgres'),
        'TEST': {'NAME': 'test_oscar_accounts_pg'},
    },
}
INSTALLED_APPS = ['oscar_accounts_pg']
