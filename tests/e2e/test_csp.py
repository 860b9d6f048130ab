"""Under the Content-Security-Policy nothing the pages need is refused: the comment form's
reply link, the rich-text editor, the admin's changelists and change form. Debian's
chromium, driven by Playwright."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import (
    PASSWORD,
    ArticleFactory,
    CommentFactory,
    DraftFactory,
    ModeratorFactory,
    VerifiedUserFactory,
)

pytestmark = pytest.mark.e2e

# Records the page's CSP violations from its first byte on.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def watched_page(browser):
    context = browser.new_context(locale="fr-FR")
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.console_messages_seen = []
    page.on(
        "console",
        lambda message: (
            page.console_messages_seen.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def assert_no_violation(page):
    # Reports are dispatched asynchronously: let them arrive.
    page.wait_for_timeout(200)
    assert page.evaluate("window.__cspViolations") == []
    assert page.console_messages_seen == []


def test_no_csp_violation(browser, live_server, log_in_to_admin, transactional_db):
    article = ArticleFactory(
        title="Le marché de Sandaga rouvre",
        body='<p>Un texte <img src="http://127.0.0.1:9/absente.jpg" alt=""></p>',
    )
    comment = CommentFactory(article=article, name="Aminata")
    citizen = VerifiedUserFactory(username="aissatou")
    draft = DraftFactory(author=citizen, title="Un brouillon")
    moderator = ModeratorFactory(username="moderatrice", display_name="Awa la modératrice")

    # Home page, then an article: "Répondre" moves the comment form under the comment.
    page = watched_page(browser)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Le marché de Sandaga rouvre").first).to_be_visible()
    assert_no_violation(page)
    page.goto(live_server.url + article.get_absolute_url())
    page.locator(f"[data-reply-to='{comment.pk}']").click()
    expect(page.locator(f"#comment-{comment.pk} #comment-form")).to_be_visible()
    expect(page.locator("[data-replying]")).to_contain_text("Aminata")
    assert_no_violation(page)

    # The contributor form: the editor loads (import map) and styles itself (tiptap's
    # stylesheet), and the writer types.
    page.goto(live_server.url + "/accounts/login/")
    page.fill("[name=login]", "aissatou")
    page.fill("[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name="Mes articles")).to_be_visible()
    page.goto(live_server.url + f"/contribuer/{draft.pk}/modifier/")
    editor = page.locator(".prose-editor [contenteditable=true]")
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Les marchands sont revenus.")
    expect(editor).to_contain_text("Les marchands sont revenus.")
    assert editor.evaluate("e => getComputedStyle(e).whiteSpace") in ("break-spaces", "pre-wrap")
    assert_no_violation(page)
    page.goto(live_server.url + "/contribuer/nouveau/")
    expect(page.locator(".prose-editor [contenteditable=true]")).to_be_visible()
    assert_no_violation(page)

    # The admin: changelists with actions and the date filter, the article form with the
    # editor and the author autocomplete, a prepopulated slug, the reject page.
    admin = watched_page(browser)
    log_in_to_admin(admin, moderator, "/admin/articles/article/")
    expect(admin.locator(".status-counts")).to_be_visible()
    expect(admin.locator(".status-counts")).to_have_css("display", "flex")
    admin.locator("#changelist-filter a", has_text="Les 7 derniers jours").first.click()
    expect(admin).to_have_url(re.compile(r"published_at__gte="))
    assert_no_violation(admin)

    admin.goto(live_server.url + "/admin/comments/comment/")
    expect(admin.locator(".comment-status-counts")).to_have_css("display", "flex")
    assert_no_violation(admin)

    admin.goto(live_server.url + "/admin/articles/category/add/")
    admin.locator("#id_name").press_sequentially("Société civile")
    expect(admin.locator("#id_slug")).to_have_value("societe-civile")
    assert_no_violation(admin)

    admin.goto(live_server.url + f"/admin/articles/article/{draft.pk}/change/")
    admin.locator(".field-author .select2-selection").click()
    admin.locator(".select2-search__field").fill("moder")
    admin.locator(".select2-results__option", has_text="Awa la modératrice").click()
    expect(admin.locator(".field-author .select2-selection")).to_contain_text("Awa")
    editor = admin.locator(".prose-editor [contenteditable=true]")
    editor.click()
    admin.keyboard.type("Le cortège part de la place de l'Indépendance.")
    expect(editor).to_contain_text("place de l'Indépendance")
    assert_no_violation(admin)

    DraftFactory(title="À refuser", status=Article.Status.SUBMITTED)
    admin.goto(live_server.url + "/admin/articles/article/")
    admin.locator("#result_list tr", has_text="À refuser").locator("input.action-select").check()
    admin.select_option("select[name=action]", "reject")
    admin.locator("button[name=index]").click()
    expect(admin.locator("textarea[name=reason]")).to_be_visible()
    assert_no_violation(admin)
