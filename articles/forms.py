import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.widgets import Script
from django.template.defaultfilters import linebreaks_filter
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import (
    AdminProseEditorWidget,
    ProseEditorWidget,
    importmap,
    prose_editor_js,
    prose_editor_media,
)
from js_asset import Media

from notrecontinent.images import PictureField

from .models import Article, Category, validate_body_length

# What the body editor offers. The HTML it produces is cleaned by the one sanitizer,
# articles.sanitizer.clean_html, when the article is saved; the editor does not clean.
BODY_EXTENSIONS = {
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # Writers want their spell checker.
    "NoSpellCheck": False,
}

# The Content-Security-Policy of the pages that show the editor. tiptap injects its base
# stylesheet (ProseMirror's white-space and cursor rules) as a <style> element without a
# nonce; its hash lets exactly that stylesheet through, nothing else inline.
# tests/test_csp.py recomputes it from the installed editor.js: an upgrade that changes
# the stylesheet fails there, not silently in the browser.
EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
EDITOR_CSP = settings.SECURE_CSP | {
    "style-src": [*settings.SECURE_CSP["style-src"], EDITOR_STYLE_HASH]
}


# The editor's files without its icon font (128 kB): static/js/editor.js names the
# toolbar in French and draws its icons; static/css/editor.css completes the look.
EDITOR_MEDIA = Media(
    importmap=importmap,
    css={"all": ["django_prose_editor/editor.css", "css/editor.css"]},
    js=[Script("js/editor.js", defer=True), prose_editor_js],
)
ADMIN_EDITOR_MEDIA = EDITOR_MEDIA + Media(css={"all": ["django_prose_editor/overrides.css"]})

# Text typed without the editor (no JavaScript) holds no markup: its blank lines separate
# paragraphs and its other line breaks stay, as in a comment.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


class BodyEditor(ProseEditorWidget):
    """The article body's editor, named in French and readable without a font download."""

    @property
    def media(self):
        return prose_editor_media(base=EDITOR_MEDIA, preset=self.preset)


class AdminBodyEditor(AdminProseEditorWidget):
    @property
    def media(self):
        return prose_editor_media(base=ADMIN_EDITOR_MEDIA, preset=self.preset)


def body_html(text):
    """The body as HTML: typed text without markup becomes paragraphs and line breaks."""
    if not text.strip() or MARKUP.search(text):
        return text
    return linebreaks_filter(text.replace("\r\n", "\n"), autoescape=True)


class ArticleForm(forms.ModelForm):
    """The contributor's form. It never touches the workflow: status, author, dates,
    counters and the featured flag are not fields of it, whatever is posted."""

    body = ProseEditorFormField(
        extensions=BODY_EXTENSIONS,
        label=_("Texte"),
        required=False,
        help_text=_(
            "Intertitres, gras, italique, listes, citations et liens ; 200 000 caractères au plus."
        ),
        widget=BodyEditor,
        validators=[validate_body_length],
    )
    # A form field, not the model's ImageField: the upload is checked by
    # notrecontinent.images, and Article.set_cover stores re-encoded renditions of it,
    # never the file as sent.
    cover_image = PictureField(
        label=_("Image de couverture"),
        required=False,
        widget=forms.ClearableFileInput,
    )

    field_order = [
        "title",
        "summary",
        "body",
        "category",
        "cover_image",
        "cover_caption",
        "cover_credit",
        "creator_credit",
    ]

    class Meta:
        model = Article
        fields = [
            "title",
            "summary",
            "body",
            "category",
            "cover_caption",
            "cover_credit",
            "creator_credit",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "category" in self.fields:
            self.fields["category"].queryset = self.category_choices()
            self.fields["category"].empty_label = _("Choisissez une rubrique")
        if self.instance.cover_image:
            self.initial["cover_image"] = self.instance.cover_image

    def category_choices(self):
        return Category.objects.active()

    def clean_body(self):
        return body_html(self.cleaned_data.get("body") or "")

    def save(self, commit=True):
        article = super().save(commit=False)
        upload = self.cleaned_data.get("cover_image")
        if upload is False:  # "Effacer" ticked
            article.remove_cover()
        elif isinstance(upload, UploadedFile):  # a new file, not the stored cover given back
            article.set_cover(upload)
        if commit:
            article.save()
            self.save_m2m()
        return article


class CorrectionForm(ArticleForm):
    """The author's correction of a published article: the text readers get (not the
    category, which stays), prefilled with the live version or with the correction that
    waits, and what changes and why. It saves nothing itself: its data goes to
    services.propose_correction, and the article stays as it is online."""

    note = forms.CharField(
        label=_("Ce qui change et pourquoi"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Pour l'équipe de modération : quelques mots suffisent."),
    )
    is_factual = forms.BooleanField(
        label=_("Correction factuelle"),
        required=False,
        help_text=_(
            "Cochez si la correction rectifie un fait (un nom, une date, un chiffre) : une "
            "ligne « Correction » le dira aux lecteurs à la fin de l'article."
        ),
    )
    # The number of the waiting correction the form was filled with, empty for a new one:
    # a form opened before the correction changed (or twice) saves nothing.
    replaces = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = [*(n for n in ArticleForm.field_order if n != "category"), "note", "is_factual"]

    class Meta(ArticleForm.Meta):
        fields = [name for name in ArticleForm.Meta.fields if name != "category"]

    def clean(self):
        data = super().clean()
        value = (data.get("replaces") or "").strip()
        if not value:
            data["replaces"] = None
        elif value.isascii() and value.isdigit() and len(value) <= 9:
            data["replaces"] = int(value)
        else:  # said above the form: the field is hidden
            raise ValidationError(
                _("Ce formulaire n'est plus valable : rechargez la page."), code="bad_replaces"
            )
        return data


class ArticleAdminForm(ArticleForm):
    """The moderators' form: the same fields and cover rules, plus the slug and the
    author; any category, even one switched off since.

    It carries the number of the version under review the moderator was shown, and
    saves nothing if the article has left review or been submitted again since the page
    was opened: the moderator would otherwise overwrite the author's new text, or publish
    a version they have not read."""

    body = ProseEditorFormField(
        extensions=BODY_EXTENSIONS,
        label=_("Texte"),
        required=False,
        widget=AdminBodyEditor,
        validators=[validate_body_length],
    )
    reviewed_version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(ArticleForm.Meta):
        fields = ["title", "slug", "author", *ArticleForm.Meta.fields[1:]]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        article = self.instance
        self.version_under_review = (
            article.version_under_review() if article.pk and article.is_submitted else None
        )
        self.initial["reviewed_version"] = (
            self.version_under_review.number if self.version_under_review else ""
        )

    def category_choices(self):
        return Category.objects.all()

    def clean(self):
        data = super().clean()
        shown = (data.get("reviewed_version") or "").strip()
        current = self.version_under_review
        if shown != (str(current.number) if current else ""):
            raise ValidationError(
                _(
                    "Cet article a changé depuis que vous avez ouvert cette page : son auteur "
                    "l'a retiré de la relecture ou soumis de nouveau. Rien n'a été enregistré ; "
                    "rechargez la page pour lire la version actuelle."
                ),
                code="changed_since_opened",
            )
        return data

    def clean_author(self):
        """A citizen's article never passes to a team account: the newsroom would sign a
        text it did not write. A new article, or one a team member already signs, may."""
        author = self.cleaned_data.get("author")
        if author is None or not self.instance.pk or author.pk == self.instance.author_id:
            return author
        current = self.instance.author
        if _is_team(author) and not (current is not None and _is_team(current)):
            raise ValidationError(
                _(
                    "Un compte de l'équipe ne peut pas devenir l'auteur de l'article d'un "
                    "citoyen. Choisissez un compte citoyen, ou gardez l'auteur actuel."
                ),
                code="team_author",
            )
        return author


def _is_team(user):
    return user.is_staff or user.is_superuser


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        max_length=2000,
        help_text=_("L'auteur le reçoit par e-mail et le voit dans son espace contributeur."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Indiquez le motif du refus."), code="required")
        return reason


class CorrectionApprovalForm(forms.Form):
    is_factual = forms.BooleanField(
        label=_("Correction factuelle"),
        required=False,
        help_text=_("Une ligne « Correction » le dira aux lecteurs à la fin de l'article."),
    )
    public_note = forms.CharField(
        label=_("Texte de la ligne « Correction »"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que les lecteurs liront ; par défaut, la note de l'auteur."),
    )
