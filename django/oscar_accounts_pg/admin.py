"""Read-only admin for accounts, transfers and postings: the ledger is written only by the
extension's functions, so the admin can list and show, never add, change or delete."""
from django.contrib import admin

from .models import Account, AccountType, Transaction, Transfer


class ReadOnlyAdminMixin:
    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccountType)
class AccountTypeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ('id', 'full_name', 'code')


@admin.register(Account)
class AccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ('id', '__str__', 'name', 'code', 'account_type', 'status', 'balance', 'credit_limit',
                    'currency', 'primary_user_id', 'start_date', 'end_date')
    list_filter = ('status', 'currency', 'account_type')
    search_fields = ('=id', 'name', 'code', 'description')
    list_select_related = ('account_type',)
    date_hierarchy = 'date_created'


class LegInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Transaction
    fields = ('id', 'account', 'amount', 'date_created')
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ('reference', 'kind', 'source', 'destination', 'amount', 'parent', 'merchant_reference',
                    'username', 'date_created')
    list_filter = ('kind',)
    search_fields = ('=reference', '=merchant_reference', 'description', 'username')
    list_select_related = ('source', 'destination', 'parent')
    date_hierarchy = 'date_created'
    inlines = (LegInline,)


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ('id', 'transfer', 'account', 'amount', 'date_created')
    search_fields = ('=transfer__reference',)
    list_select_related = ('transfer', 'account')
