#!/usr/bin/env python3
"""The example shop's manage.py. oscar_accounts_pg is imported from the folder above when it is
not installed (pip install --no-build-isolation ../ installs it)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    sys.path.insert(0, HERE)
    sys.path.append(os.path.dirname(HERE))  # django/, where oscar_accounts_pg lives
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'example_shop.settings')
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)


if __name__ == '__main__':
    main()
