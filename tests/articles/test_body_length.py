"""An article's body is at most 200,000 characters, as stored (its HTML once cleaned):
refused with a French message by the model, the contributor's form and the admin's."""

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.forms import ArticleAdminForm, ArticleForm
from articles.models import BODY_MAX_LENGTH, Article
from articles.sanitizer import clean_html
from tests.factories import ArticleFactory, CategoryFactory, DraftFactory

pytestmark = pytest.mark.django_db

TOO_LONG = (
    "Le texte est trop long : 200 001 caractères, mise en forme comprise, pour 200 000 au plus. "
    "Raccourcissez-le, ou publiez-le en plusieurs articles."
)


def body(length):
    """A clean body of exactly `length` characters."""
    html = "<p>" + "a" * (length - 7) + "</p>"
    assert len(clean_html(html)) == length
    return html


def form_data(category, **extra):
    return {"title": "Une enquête", "summary": "", "category": category.pk, **extra}


def spaced(text):
    """`text` with the no-break spaces of French numbers as plain spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def page(response):
    return spaced(unescape(response.content.decode()))


def test_the_limit():
    assert BODY_MAX_LENGTH == 200_000


# The model


def test_the_model_takes_a_body_of_the_limit_and_refuses_one_more_character():
    article = DraftFactory.build(category=CategoryFactory(), body=body(BODY_MAX_LENGTH))
    article.full_clean()
    article.body = body(BODY_MAX_LENGTH + 1)
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert spaced(refused.value.message_dict["body"][0]) == TOO_LONG


def test_the_body_is_measured_as_it_will_be_stored():
    category = CategoryFactory()
    # Cleaning drops a script of any size...
    article = DraftFactory.build(
        category=category, body=body(1_000) + "<script>" + "x" * 300_000 + "</script>"
    )
    article.full_clean()
    # ...and gives each link its rel attribute: a body under the limit as posted, over it
    # as stored, is refused, so that a stored body never fails its next edit.
    link = '<a href="https://example.org/">x</a>'
    posted = "<p>" + link * (BODY_MAX_LENGTH // len(link) - 1) + "</p>"
    assert len(posted) <= BODY_MAX_LENGTH < len(clean_html(posted))
    article.body = posted
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert "body" in refused.value.message_dict


# The contributor's form and page


def test_the_form_refuses_a_body_over_the_limit_in_french():
    form = ArticleForm(data=form_data(CategoryFactory(), body=body(BODY_MAX_LENGTH + 1)))
    assert not form.is_valid()
    # Said once, though the form and the model both check.
    assert len(form.errors["body"]) == 1
    assert spaced(form.errors["body"][0]) == TOO_LONG
    assert ArticleForm(data=form_data(CategoryFactory(), body=body(BODY_MAX_LENGTH))).is_valid()


def test_a_five_megabyte_body_gets_a_message_not_a_500(client):
    author = DraftFactory().author
    client.force_login(author)
    huge = "<p>" + "Lorem ipsum. " * 400_000 + "</p>"
    assert len(huge) > 5_000_000
    response = client.post(
        reverse("articles:create"), form_data(CategoryFactory(), body=huge, action="save")
    )
    assert response.status_code == 200
    assert f"Le texte est trop long : {len(huge):,} caractères".replace(",", " ") in page(response)
    assert not Article.objects.filter(title="Une enquête").exists()


def test_a_draft_keeps_its_text_when_the_edit_is_too_long(client):
    draft = DraftFactory(body="<p>Le texte d'avant.</p>")
    client.force_login(draft.author)
    response = client.post(
        reverse("articles:edit", args=[draft.pk]),
        form_data(draft.category, body=body(BODY_MAX_LENGTH + 1), action="save"),
    )
    assert response.status_code == 200
    assert TOO_LONG in page(response)
    draft.refresh_from_db()
    assert draft.body == "<p>Le texte d'avant.</p>"


# The admin


def test_the_admin_refuses_a_body_over_the_limit(moderator_client):
    article = ArticleFactory(body="<p>Publié.</p>")
    data = {
        "title": article.title,
        "slug": article.slug,
        "author": article.author_id,
        "summary": article.summary,
        "body": body(BODY_MAX_LENGTH + 1),
        "category": article.category_id,
        "cover_caption": "",
        "cover_credit": "",
        "creator_credit": "",
    }
    response = moderator_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), data
    )
    assert response.status_code == 200
    assert TOO_LONG in page(response)
    article.refresh_from_db()
    assert article.body == "<p>Publié.</p>"
    assert ArticleAdminForm.base_fields["body"].validators  # the admin's own form checks too
