from django import forms
from django.utils.translation import gettext_lazy as _

from . import policy
from .models import Comment, ModerationSettings


class ParentField(forms.ModelChoiceField):
    """The comment answered: a visible comment of the same article, or nothing."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Comment.objects.none(),
            required=False,
            error_messages={
                "invalid_choice": _(
                    "Le commentaire auquel vous répondez n'existe pas ou n'est plus visible."
                )
            },
            **kwargs,
        )


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=80)
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
    )
    body = forms.CharField(label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 6}))
    parent = ParentField()
    notify_replies = forms.BooleanField(
        label=_("Me prévenir par e-mail des réponses à mon commentaire"), required=False
    )
    # Anonymous readers only: a signed-in reader's account already proves the address.
    confirm_email = forms.BooleanField(
        label=_("M'envoyer un lien pour confirmer mon adresse e-mail"),
        help_text=_(
            "Une adresse confirmée qui a déjà un commentaire approuvé voit ses commentaires "
            "publiés sans attendre un modérateur."
        ),
        required=False,
    )
    # Anonymous readers only (comments.remember): opt-in, nothing is stored without it.
    remember = forms.BooleanField(
        label=_("Enregistrer mon nom et mon e-mail pour mon prochain commentaire"),
        required=False,
    )
    # Hidden from people by CSS and from assistive technology; bots fill it in.
    website = forms.CharField(
        label=_("Laissez ce champ vide"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    error_messages = {
        "honeypot": _("Votre commentaire n'a pas pu être enregistré."),
    }

    def __init__(self, *args, article, user=None, **kwargs):
        self.article = article
        self.user = user if user is not None and user.is_authenticated else None
        self.config = ModerationSettings.load()
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("token", policy.make_form_token(article.pk))
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Comment.objects.visible().on_article(article)
        body = self.fields["body"]
        body.max_length = self.config.max_length
        body.widget.attrs["maxlength"] = str(self.config.max_length)
        if self.user is not None:
            del self.fields["confirm_email"]
            del self.fields["remember"]
            # A signed-in reader comments under their account's name and address.
            for field, value in (("name", self.user.public_name), ("email", self.user.email)):
                if value:
                    self.fields[field].initial = value
                    self.fields[field].disabled = True
        for name in ("name", "email", "body"):
            self.fields[name].widget.attrs.update({"required": True, "class": "form-control"})
        for name in ("notify_replies", "confirm_email", "remember"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean_name(self):
        name = self.cleaned_data["name"]
        # Only a typed signature: a signed-in reader's is their account's name (the field
        # is disabled), so a team member still comments as "La rédaction".
        if not self.fields["name"].disabled:
            policy.check_name(name)
        return name

    def clean_body(self):
        body = self.cleaned_data["body"]
        policy.check_body(body, self.config)
        return body

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(self.error_messages["honeypot"], code="honeypot")
        return ""

    def clean_token(self):
        policy.check_form_token(self.cleaned_data.get("token"), self.article.pk, self.config)
        return ""

    def fresh_token(self):
        """After a failed attempt the token is spent: the form shown again carries a new one."""
        if self.is_bound:
            data = self.data.copy()
            data["token"] = policy.make_form_token(self.article.pk)
            self.data = data

    def comment_fields(self):
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "body": data["body"],
            "parent": data.get("parent"),
            "notify_replies": data.get("notify_replies", False),
        }

    @property
    def wants_email_confirmation(self):
        return bool(self.cleaned_data.get("confirm_email"))

    @property
    def wants_to_be_remembered(self):
        return bool(self.cleaned_data.get("remember"))


class CommentEditForm(forms.Form):
    """Its author's new text for a comment (comments.services.edit_comment)."""

    body = forms.CharField(label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = ModerationSettings.load()
        body = self.fields["body"]
        body.max_length = self.config.max_length
        body.widget.attrs.update(
            {"maxlength": str(self.config.max_length), "required": True, "class": "form-control"}
        )

    def clean_body(self):
        body = self.cleaned_data["body"]
        policy.check_body(body, self.config)
        return body
