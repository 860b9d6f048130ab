from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import ratelimit
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from notrecontinent.images import LIMITS, PictureField

from .models import User
from .validators import validate_citizen_name


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (email, username, password1, password2) plus the profile basics."""

    account_kind = forms.ChoiceField(
        label=_("Vous publiez en tant que"),
        choices=User.Kind.choices,
        initial=User.Kind.PARTICULIER,
        widget=forms.RadioSelect,
    )
    display_name = forms.CharField(
        label=_("Nom affiché"),
        max_length=User._meta.get_field("display_name").max_length,
        help_text=_(
            "Le nom qui signe vos articles : le vôtre, ou celui de votre association, "
            "ONG ou entreprise."
        ),
    )

    field_order = [
        "email",
        "username",
        "password1",
        "password2",
        "account_kind",
        "display_name",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Adresse e-mail")

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        validate_citizen_name(name)
        return name


def is_throttled(form):
    """Whether `form`, a login form, was refused because its failure budget is spent."""
    return form.has_error(NON_FIELD_ERRORS, "too_many_login_attempts")


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login form. The password is checked by allauth's authenticate(), as on
    the site's login form, so both spend the same failed-login budgets (per client
    address, per account: accounts.adapter)."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            adapter = get_adapter(self.request)
            self.user_cache = adapter.authenticate(
                self.request, username=username, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ProfileForm(forms.ModelForm):
    # A form field, not the model's: the upload is checked by notrecontinent.images, and
    # User.set_avatar stores a re-encoded copy of it, never the file as sent.
    avatar = PictureField(
        label=_("Avatar"),
        required=False,
        help_text=format_lazy(
            "{} {}", LIMITS, _("L'image est recadrée en carré et enregistrée sans ses métadonnées.")
        ),
        widget=forms.FileInput,
    )
    remove_avatar = forms.BooleanField(label=_("Retirer mon avatar"), required=False)

    class Meta:
        model = User
        fields = ["display_name", "account_kind", "organisation", "bio", "website"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "organisation": _(
                "Pour une association, une ONG ou un professionnel : le nom de la "
                "structure, affiché sur votre page d'auteur."
            ),
            "bio": _("Quelques lignes sur vous, affichées sur votre page d'auteur."),
            "website": _("Adresse complète, par exemple https://exemple.org"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["website"].validators.append(
            URLValidator(
                schemes=["http", "https"],
                message=_("Indiquez une adresse web commençant par http:// ou https://."),
            )
        )
        if not self.instance.avatar:
            del self.fields["remove_avatar"]

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not self.instance.is_team:
            validate_citizen_name(name)
        return name

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("avatar"):
            user.set_avatar(self.cleaned_data["avatar"])
        elif self.cleaned_data.get("remove_avatar"):
            user.remove_avatar()
        if commit:
            user.save()
        return user


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        # Same budget as allauth's re-authentication: no password guessing from an open session.
        if not ratelimit.consume(self.request, action="reauthenticate", user=self.request.user):
            raise ValidationError(
                _("Trop de tentatives. Réessayez dans quelques minutes."), code="rate_limited"
            )
        if not self.request.user.check_password(password):
            raise ValidationError(_("Mot de passe incorrect."), code="wrong_password")
        return password
