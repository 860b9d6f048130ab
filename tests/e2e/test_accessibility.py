"""The pages a reader, a writer and a moderator use, audited by axe-core (WCAG 2.2 A and
AA, target size included) in Debian's chromium at a phone's 360 px and a desktop's 1280 px.

Every page must come out with no violation at all; on failure the message lists each
page's rules and the elements that break them.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from articles.models import Article, Category
from comments.models import Comment
from tests.e2e import axe
from tests.factories import DraftFactory, ModeratorFactory, VerifiedUserFactory

pytestmark = pytest.mark.e2e

VIEWPORTS = {
    "360": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "1280": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.fixture
def demo(live_server, transactional_db):
    """The demo site (articles, covers, comment threads), a citizen with a draft and a
    moderator."""
    call_command("load_demo", verbosity=0)
    call_command("load_demo_comments", verbosity=0)
    citizen = VerifiedUserFactory(username="aissatou", display_name="Aïssatou Diop")
    DraftFactory(author=citizen, title="Mon brouillon sur la pêche artisanale")
    moderator = ModeratorFactory(username="moderatrice", display_name="Awa la modératrice")
    return {"url": live_server.url, "citizen": citizen, "moderator": moderator}


def audited_pages(browser, demo, log_in_to_admin, device):
    """Yields (name, page) for each page of the audit, the page loaded and settled."""
    url = demo["url"]
    options = {"locale": "fr-FR", "reduced_motion": "reduce", **VIEWPORTS[device]}
    reader = browser.new_context(**options).new_page()

    commented = (
        Article.objects.published()
        .filter(comments__status=Comment.Status.APPROVED)
        .distinct()
        .first()
    )
    author = User.objects.filter(articles__status=Article.Status.PUBLISHED).first()
    category = Category.objects.active().first()
    for name, path in [
        ("accueil", "/"),
        ("rubrique", category.get_absolute_url()),
        ("recherche", "/recherche/?q=eau"),
        ("auteur", author.get_absolute_url()),
        ("404", "/cette-page-n-existe-pas/"),
        ("article commenté", commented.get_absolute_url()),
        ("inscription", "/accounts/signup/"),
        ("connexion", "/accounts/login/"),
    ]:
        reader.goto(url + path)
        yield name, reader

    # A failed comment post: the page comes back with the errors at the form.
    reader.goto(url + commented.get_absolute_url())
    reader.locator("#comment-form button[type=submit]").click()
    expect(reader.locator("#erreurs-commentaire")).to_be_focused()
    yield "commentaire refusé", reader

    # A failed sign-up.
    reader.goto(url + "/accounts/signup/")
    reader.locator("main form button[type=submit]").click()
    reader.wait_for_load_state("load")
    yield "inscription refusée", reader
    reader.context.close()

    writer = browser.new_context(**options).new_page()
    writer.goto(url + "/accounts/login/")
    writer.fill("[name=login]", demo["citizen"].username)
    writer.fill("[name=password]", "motdepasse-solide-42")
    writer.locator("main form button[type=submit]").click()
    expect(writer.get_by_role("link", name="Mes articles").first).to_be_visible()
    writer.goto(url + "/contribuer/")
    yield "espace contributeur", writer
    writer.goto(url + "/contribuer/nouveau/")
    expect(writer.locator(".prose-editor [contenteditable=true]")).to_be_visible()
    yield "éditeur", writer
    writer.context.close()

    moderation = browser.new_context(**options).new_page()
    log_in_to_admin(moderation, demo["moderator"], "/admin/articles/article/")
    yield "admin articles", moderation
    moderation.goto(url + "/admin/comments/comment/")
    yield "admin commentaires", moderation
    moderation.context.close()


@pytest.mark.parametrize("device", VIEWPORTS)
def test_no_axe_violation(browser, demo, log_in_to_admin, device):
    found = {}
    for name, page in audited_pages(browser, demo, log_in_to_admin, device):
        page.wait_for_load_state("load")
        result = axe.violations(page)
        if result:
            found[name] = result
    assert found == {}, "\n".join(
        f"{page} — {rule}: " + "; ".join(nodes)
        for page, rules in found.items()
        for rule, nodes in rules.items()
    )
