"""The trust pages: in the footer of every page, shown, cached like other pages, and saying
what the code does."""

import datetime
import re
from html import unescape

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from articles.sanitizer import clean_html
from comments.models import METADATA_RETENTION_DAYS as COMMENT_RETENTION_DAYS
from reports.models import METADATA_RETENTION_DAYS as REPORT_RETENTION_DAYS
from reports.models import Report
from sitepages.models import Page
from tests.factories import ArticleFactory, VerifiedUserFactory
from tests.pages import block, visible_text
from tests.test_csp import assert_strict_page

pytestmark = pytest.mark.django_db

ADDRESSES = {
    "mentions-legales": "Mentions légales",
    "a-propos": "À propos",
    "contact": "Contact",
    "charte-de-moderation": "Charte de modération",
    "confidentialite": "Politique de confidentialité",
}


def text_of(slug, client=None):
    return visible_text((client or Client()).get(f"/{slug}/"))


def footer_links(response):
    footer = block(response, r'<nav class="container footer-links"')
    return [
        (href, unescape(text))
        for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', footer)
    ]


def visible_text_of(html):
    return re.sub(r"<[^>]+>", "", html)


def test_the_migrations_create_the_five_pages_with_texts_the_sanitizer_keeps():
    assert set(Page.objects.values_list("slug", flat=True)) == set(ADDRESSES)
    for page in Page.objects.all():
        assert page.title and page.summary
        assert len(visible_text_of(page.body)) > 800, page.slug
        # A first save in the admin keeps the text as it is.
        assert clean_html(page.body) == page.body, page.slug


@pytest.mark.parametrize(
    "url",
    ["/", "/accounts/signup/", "/recherche/?q=port", "/page-qui-n-existe-pas/", "/contact/"],
)
def test_every_page_links_the_five_pages_in_its_footer(client, url):
    ArticleFactory()
    response = client.get(url)
    assert footer_links(response) == [(f"/{slug}/", name) for slug, name in ADDRESSES.items()]
    assert 'aria-label="Informations sur le site"' in response.content.decode()


def test_article_page_footer_too(client):
    article = ArticleFactory()
    assert len(footer_links(client.get(article.get_absolute_url()))) == 5


def test_the_footer_reads_nothing_from_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        render_to_string("includes/footer_links.html")


@pytest.mark.parametrize("slug", ADDRESSES)
def test_each_page_is_shown_under_its_address(client, slug):
    page = Page.objects.get(slug=slug)
    response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    assert page.get_absolute_url() == f"/{slug}/"
    html = response.content.decode()
    assert f'<h1 id="titre-page" class="article-title">{page.title}</h1>' in unescape(html)
    assert f'<meta name="description" content="{page.summary}">' in unescape(html)
    assert f"<title>{page.title} — NOTRE CONTINENT</title>" in unescape(html)
    assert "Mis à jour le" in visible_text(response)
    assert_strict_page(response)


def test_an_address_outside_the_set_is_a_404(client):
    assert client.get("/charte/").status_code == 404
    assert client.get("/CONTACT/").status_code == 404
    assert client.get("/contact").status_code in (301, 404)  # no page at a lookalike


def test_a_missing_page_is_a_404_not_an_error(client):
    Page.objects.filter(slug="contact").delete()
    assert client.get("/contact/").status_code == 404


def test_a_page_costs_one_query_and_then_none_from_the_cache(settings, django_assert_num_queries):
    Client().get("/")  # the navigation and "Les plus lus"
    with django_assert_num_queries(1):
        assert Client().get("/a-propos/").status_code == 200
    settings.PAGE_CACHE_SECONDS = 60
    Client().get("/a-propos/")
    with django_assert_num_queries(0):
        response = Client().get("/a-propos/")
    assert response.status_code == 200
    assert "Notre Continent est un journal citoyen" in visible_text(response)


def test_an_edit_shows_at_once_in_the_cache(settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 60
    Client().get("/contact/")
    page = Page.objects.get(slug="contact")
    page.body = "<p>Écrivez à la rédaction, 12 rue du Port.</p>"
    with django_capture_on_commit_callbacks(execute=True):
        page.save()
    assert "12 rue du Port" in text_of("contact")


def test_html_typed_by_staff_is_cleaned_on_save(client):
    page = Page.objects.get(slug="a-propos")
    page.body = (
        '<p onclick="alert(1)" style="color:red">Bonjour'
        '<script>alert(2)</script><a href="javascript:alert(3)">lien</a></p>'
    )
    page.save()
    page.refresh_from_db()
    assert page.body == '<p>Bonjour<a rel="nofollow ugc noopener noreferrer">lien</a></p>'
    assert_strict_page(client.get("/a-propos/"))


# What the pages say matches what the site does.


def test_privacy_policy_states_the_retention_the_code_applies():
    text = text_of("confidentialite")
    # IP addresses and browsers of comments, addresses of reports.
    assert COMMENT_RETENTION_DAYS == REPORT_RETENTION_DAYS == 90
    assert text.count(f"au bout de {COMMENT_RETENTION_DAYS} jours") == 2
    # The repeat-view window of the readership count.
    assert f"garde en mémoire {settings.VIEW_REPEAT_WINDOW // 60} minutes" in text
    # Cookies: the session's two weeks, CSRF's year (Django's defaults, kept).
    session_age, csrf_age = settings.SESSION_COOKIE_AGE, settings.CSRF_COOKIE_AGE
    assert session_age == datetime.timedelta(weeks=2).total_seconds()
    assert "expire au bout de deux semaines" in text
    assert csrf_age == datetime.timedelta(weeks=52).total_seconds()
    assert "expire au bout d’un an" in text
    for cookie in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages"):
        assert f"{cookie} :" in text
    # Export and deletion, as accounts.services does them.
    for said in (
        "Télécharger mes données (JSON)",
        "Supprimer mon compte",
        "signés « Auteur supprimé »",
        "nom remplacé par « Anonyme », adresse e-mail, adresse IP et navigateur effacés",
        "sans lien avec vous et sans adresse IP",
    ):
        assert said in text


def test_the_account_page_has_the_buttons_the_privacy_policy_names(client):
    client.force_login(VerifiedUserFactory())
    text = visible_text(client.get(reverse("accounts:profile")))
    assert "Mon compte" in text
    assert "Télécharger mes données (JSON)" in text
    assert "Supprimer mon compte" in text


def test_the_charter_names_every_reason_a_report_can_give():
    text = text_of("charte-de-moderation").lower()
    for reason in Report.Reason:
        if reason != Report.Reason.OTHER:
            assert str(reason.label).lower() in text, reason
    assert "« autre »" in text
    assert "« signaler »" in text
    assert "commentaire supprimé par la modération" in text


def test_the_pages_link_each_other_at_their_addresses(client):
    addresses = {f"/{slug}/" for slug in ADDRESSES}
    for slug in ADDRESSES:
        body = Page.objects.get(slug=slug).body
        for href in re.findall(r'href="(/[^"]*)"', body):
            assert href in addresses, (slug, href)
            assert client.get(href).status_code == 200
