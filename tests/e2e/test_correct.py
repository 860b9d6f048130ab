"""An author corrects a published article: the live page stays as it is while the
correction waits; a moderator compares and approves it in the admin; the page shows the
new text and "Mis à jour le". Debian's chromium, driven by Playwright."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from articles import services
from articles.models import Article, ArticleVersion
from tests.factories import (
    PASSWORD,
    CategoryFactory,
    ModeratorFactory,
    SubmittedFactory,
    VerifiedUserFactory,
)

pytestmark = pytest.mark.e2e

TITLE = "Le marché de Sandaga rouvre ses portes"
FIXED = "Le marché Sandaga rouvre ses portes"


def test_propose_a_correction_then_approve_it(
    browser, live_server, log_in_to_admin, transactional_db
):
    moderator = ModeratorFactory(username="moderatrice", email="modo@example.org")
    author = VerifiedUserFactory(username="aissatou", email="aissatou@example.org")
    article = SubmittedFactory(
        author=author,
        title=TITLE,
        category=CategoryFactory(name="Économie", slug="economie"),
        body="<p>Le marché a rouvert lundi, après trois ans de travaux.</p>",
    )
    services.publish(article, by=moderator, version=1, notify=False)
    article.refresh_from_db()
    mail.outbox.clear()

    # The author proposes a correction from "Mes articles".
    citizen = browser.new_context(locale="fr-FR")
    page = citizen.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("[name=login]", "aissatou")
    page.fill("[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name="Mes articles")).to_be_visible()
    page.goto(live_server.url + "/contribuer/")
    page.locator("tr", has_text=TITLE).get_by_role("link", name="Proposer une correction").click()
    expect(page.locator("[name=title]")).to_have_value(TITLE)
    page.fill("[name=title]", FIXED)
    editor = page.locator(".prose-editor [contenteditable=true]")
    expect(editor).to_contain_text("trois ans de travaux")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Les commerçants sont revenus.")
    page.fill("[name=note]", "Le marché s'appelle Sandaga, sans « de ».")
    page.check("[name=is_factual]")
    page.get_by_role("button", name="Envoyer la correction").click()
    expect(page).to_have_url(re.compile(r"/contribuer/$"))
    expect(page.locator("tr", has_text=TITLE)).to_contain_text("Correction en relecture")
    correction = ArticleVersion.objects.waiting_corrections().get()
    assert [m.to for m in mail.outbox if "Correction à relire" in m.subject] == [
        ["modo@example.org"]
    ]

    # The live page is unchanged while it waits.
    reader = browser.new_context(locale="fr-FR")
    live = reader.new_page()
    live.goto(live_server.url + article.get_absolute_url())
    expect(live.locator("h1")).to_have_text(TITLE)
    expect(live.locator(".article-body")).not_to_contain_text("commerçants")
    expect(live.locator("body")).not_to_contain_text("Mis à jour le")

    # The moderator finds it in the queue, compares, and approves the version shown.
    moderation = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    admin = moderation.new_page()
    log_in_to_admin(admin, moderator, "/admin/articles/article/")
    expect(admin.locator("[data-status=correction]")).to_have_text("1")
    admin.get_by_role("link", name="Corrections en attente").first.click()
    admin.get_by_role("link", name=f"À relire (n° {correction.number})").click()
    expect(admin.locator(".body-diff ins")).to_have_text("Les commerçants sont revenus.")
    expect(admin.locator("tr.is-changed")).to_contain_text(FIXED)
    # Readable at 1280 px: nothing wider than the window.
    assert admin.evaluate("document.documentElement.scrollWidth") <= 1280
    admin.get_by_role("button", name=f"Approuver la correction n° {correction.number}").click()
    expect(admin.locator(".messagelist")).to_contain_text("est en ligne")

    # The page shows the new text, when it was updated, and the correction line.
    live.reload()
    expect(live.locator("h1")).to_have_text(FIXED)
    expect(live.locator(".article-body")).to_contain_text("Les commerçants sont revenus.")
    expect(live.locator(".dateline-revised")).to_contain_text(
        re.compile(r"Mis à jour le\s+\d\d/\d\d/\d{4} \d\d:\d\d\s*$")
    )
    expect(live.locator(".article-correction")).to_contain_text("sans « de »")
    article.refresh_from_db()
    assert article.title == FIXED
    assert [m.to for m in mail.outbox if "est en ligne" in m.subject] == [["aissatou@example.org"]]
    assert Article.objects.get(pk=article.pk).slug == article.slug

    for context in (citizen, reader, moderation):
        context.close()
