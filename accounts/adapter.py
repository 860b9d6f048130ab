from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The profile fields of the sign-up form are set before allauth's single save.
        data = form.cleaned_data
        user.display_name = data.get("display_name", "")
        user.account_kind = data.get("account_kind") or user.Kind.PARTICULIER
        return super().save_user(request, user, form, commit=commit)
