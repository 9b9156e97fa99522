from django import forms

from oscar_accounts_pg import exceptions, facade


class ValidAccountForm(forms.Form):
    """The reference's ValidAccountForm: a code as the customer typed it, looked up with the
    extension's throttled accounts_lookup_code() for the request's address, then the same checks
    in the same order."""

    code = forms.CharField(max_length=128, label='Account code')

    def __init__(self, user, client_ip, *args, **kwargs):
        self.user = user
        self.client_ip = client_ip
        self.account = None
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data['code']
        try:
            account = facade.lookup_code(code, self.client_ip)
        except exceptions.ClientBlocked:
            raise forms.ValidationError('Too many unknown codes from your address: try again later')
        if account is None:
            raise forms.ValidationError('No account found with this code')
        if not account.is_active():
            raise forms.ValidationError('This account is no longer active')
        if not account.is_open():
            raise forms.ValidationError('This account is no longer open')
        if account.balance == 0:
            raise forms.ValidationError('This account is empty')
        if not account.can_be_authorised_by(self.user):
            raise forms.ValidationError('You are not authorised to use this account')
        self.account = account
        return account.code
