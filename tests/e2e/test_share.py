"""Sharing an article and reaching the trust pages in a real browser (Debian's chromium):
the share links without JavaScript, "Copier le lien" with it, the JSON-LD as the browser
parses it, and nothing the Content-Security-Policy refuses."""

import json

import pytest
from playwright.sync_api import expect

from sitepages.models import Page
from tests.e2e.test_csp import assert_no_violation, watched_page
from tests.factories import ArticleFactory

pytestmark = pytest.mark.e2e

TITLE = 'Le « Sahel » dit "assez" </script><script>document.title="pwned"</script> & après'
SHARE_NAMES = [
    "Partager sur WhatsApp",
    "Partager sur Facebook",
    "Partager sur X",
    "Envoyer par e-mail",
]


@pytest.fixture
def article(transactional_db):
    return ArticleFactory(title=TITLE, summary="Un chapô.")


def test_share_links_work_without_javascript(browser, live_server, article):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    share = page.get_by_role("region", name="Partager cet article")
    expect(share.get_by_role("link")).to_have_count(4)
    for n, name in enumerate(SHARE_NAMES):
        expect(share.get_by_role("link").nth(n)).to_have_accessible_name(name)
    expect(share.get_by_role("button", name="Copier le lien")).to_be_hidden()
    href = share.get_by_role("link", name="Partager sur WhatsApp").get_attribute("href")
    assert href.startswith("https://wa.me/?text=")


def test_copy_link_with_javascript_and_json_ld_as_the_browser_reads_it(
    browser, live_server, article
):
    page = watched_page(browser)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    url = live_server.url + article.get_absolute_url()
    page.goto(url)
    assert page.title() == f"{TITLE} — NOTRE CONTINENT"

    button = page.get_by_role("button", name="Copier le lien")
    expect(button).to_be_visible()
    button.click()
    expect(page.get_by_role("status").filter(has_text="Lien copié.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url

    blocks = page.locator('script[type="application/ld+json"]')
    expect(blocks).to_have_count(1)
    data = json.loads(blocks.text_content())
    assert data["headline"] == TITLE
    assert data["url"] == url
    assert page.locator('meta[property="og:title"]').get_attribute("content") == TITLE
    assert_no_violation(page)


def test_footer_leads_to_the_privacy_policy(browser, live_server, article):
    Page.objects.update_or_create(
        slug=Page.Slug.PRIVACY,
        defaults={"title": "Politique de confidentialité", "body": "<p>Ce que nous gardons.</p>"},
    )
    page = watched_page(browser)
    page.goto(live_server.url + article.get_absolute_url())
    footer = page.get_by_role("navigation", name="Informations sur le site")
    footer.get_by_role("link", name="Politique de confidentialité").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Politique de confidentialité")
    expect(page.get_by_text("Ce que nous gardons.")).to_be_visible()
    assert_no_violation(page)
