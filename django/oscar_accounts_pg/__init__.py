"""Django models, facade and exceptions for the oscar_accounts PostgreSQL extension.

A rebuild of django-oscar-accounts' Python API over the extension's ledger: unmanaged models
over schema ``accounts``, a facade whose every call is one SQL function call, and exceptions
raised from the extension's SQLSTATEs. Does not depend on django-oscar.
"""
__version__ = '0.1.0'
