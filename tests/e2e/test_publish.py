"""A citizen signs up, confirms, writes with the editor and submits; a moderator publishes
in the admin; the article is on the home page. Debian's chromium, driven by Playwright."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from articles.models import Article
from tests.factories import CategoryFactory, ModeratorFactory

pytestmark = pytest.mark.e2e

PASSWORD = "Baobab-Thies-2024!"
TITLE = "À Thiès, les tisserands relancent le pagne tissé"


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def test_sign_up_write_submit_publish(browser, live_server, log_in_to_admin, transactional_db):
    CategoryFactory(name="Culture", slug="culture")
    moderator = ModeratorFactory(username="moderatrice", email="modo@example.org")
    mail.outbox.clear()

    # Sign up as an association, and confirm the address from the e-mail.
    citizen = browser.new_context(locale="fr-FR")
    page = citizen.new_page()
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("[name=email]", "tisserands@example.org")
    page.fill("[name=username]", "tisserands")
    page.fill("[name=password1]", PASSWORD)
    page.fill("[name=password2]", PASSWORD)
    page.check("[name=account_kind][value=association]")
    page.fill("[name=display_name]", "Les Tisserands de Thiès")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("body")).to_contain_text("tisserands@example.org")
    (confirmation,) = [m for m in mail.outbox if "tisserands@example.org" in m.to]
    page.goto(link_in(confirmation))
    page.locator("main form button[type=submit]").click()
    assert User.objects.get(username="tisserands").emailaddress_set.get().verified

    # Log in (unless the confirmation already did) and open the contributor space.
    page.goto(live_server.url + "/contribuer/")
    if "/accounts/login/" in page.url:
        page.fill("[name=login]", "tisserands")
        page.fill("[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/contribuer/$"))
    expect(page.get_by_role("heading", name="Mes articles")).to_be_visible()

    # Write with the rich-text editor: a heading, a bold phrase, a list.
    page.get_by_role("link", name="Écrire un article").click()
    page.fill("[name=title]", TITLE)
    page.fill("[name=summary]", "Une coopérative remet au goût du jour un savoir-faire ancien.")
    page.select_option("[name=category]", label="Culture")
    editor = page.locator(".prose-editor [contenteditable=true]")
    expect(editor).to_be_visible()
    expect(page.locator("textarea[name=body]")).to_be_hidden()
    editor.click()
    page.keyboard.type("## Un métier qui revient")
    page.keyboard.press("Enter")
    page.keyboard.type("Les métiers à tisser ")
    page.keyboard.press("Control+b")
    page.keyboard.type("claquent de nouveau")
    page.keyboard.press("Control+b")
    page.keyboard.type(" dans le quartier.")
    page.keyboard.press("Enter")
    page.keyboard.type("- des pagnes")
    page.keyboard.press("Enter")
    page.keyboard.type("des nappes")
    expect(editor.locator("h2")).to_have_text("Un métier qui revient")
    expect(editor.locator("strong")).to_have_text("claquent de nouveau")
    page.get_by_role("button", name="Soumettre à la relecture").click()

    expect(page).to_have_url(re.compile(r"/contribuer/$"))
    expect(page.locator(".messages")).to_contain_text("envoyé à l'équipe de modération")
    row = page.locator("tr", has_text=TITLE)
    expect(row).to_contain_text("En relecture")
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.SUBMITTED
    assert article.author.username == "tisserands"
    assert "<h2>Un métier qui revient</h2>" in article.body
    assert "<strong>claquent de nouveau</strong>" in article.body
    assert "<ul><li><p>des pagnes</p></li><li><p>des nappes</p></li></ul>" in article.body
    assert [m.to for m in mail.outbox if "relire" in m.subject] == [["modo@example.org"]]
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()

    # The moderator publishes it from the admin's review queue.
    moderation = browser.new_context(locale="fr-FR")
    admin = moderation.new_page()
    log_in_to_admin(admin, moderator, "/admin/articles/article/")
    expect(admin.locator("[data-status=submitted]")).to_have_text("1")
    expect(admin.locator("#result_list tbody tr").first).to_contain_text(TITLE)
    admin.check(f"input[name=_selected_action][value='{article.pk}']")
    admin.select_option("select[name=action]", "publish")
    admin.locator("button[name=index]").click()
    # The confirmation page names the version the moderator is about to publish.
    expect(admin.locator("#content")).to_contain_text("Version n° 1")
    admin.get_by_role("button", name="Publier", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("1 article publié.")

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    (published,) = [m for m in mail.outbox if "est publié" in m.subject]
    assert published.to == ["tisserands@example.org"]
    assert article.get_absolute_url() in published.body

    # Anyone sees it on the home page, and reads it.
    reader = browser.new_context(locale="fr-FR")
    home = reader.new_page()
    home.goto(live_server.url + "/")
    home.get_by_role("link", name=TITLE).first.click()
    expect(home).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))
    expect(home.locator(".article-body h2")).to_have_text("Un métier qui revient")
    expect(home.locator(".byline")).to_contain_text("Par Les Tisserands de Thiès")

    for context in (citizen, moderation, reader):
        context.close()
