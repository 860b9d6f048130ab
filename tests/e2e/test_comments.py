"""A reader comments, a moderator approves in the admin, another reader replies, and the
reply shows nested — in Debian's chromium, driven by Playwright."""

import pytest
from playwright.sync_api import expect

from comments import services
from comments.models import Comment, ModerationSettings
from tests.factories import ArticleFactory, ModeratorFactory

pytestmark = pytest.mark.e2e


def comment_form(page):
    return page.locator("#comment-form")


def test_comment_approve_reply_nested(browser, live_server, log_in_to_admin, transactional_db):
    article = ArticleFactory(title="La saison des pluies à Kaolack")
    moderator = ModeratorFactory(username="moderatrice", email="modo@example.org")
    # Every reader here shares 127.0.0.1: the flood rule has its own tests.
    config = ModerationSettings.load()
    config.flood_seconds = 0
    config.save()
    article_url = live_server.url + article.get_absolute_url()

    # A reader comments; her comment waits, and she alone sees it marked so.
    reader = browser.new_context(locale="fr-FR")
    page = reader.new_page()
    page.goto(article_url)
    expect(page.get_by_role("heading", name="Réagir à cet article")).to_be_visible()
    expect(page.locator(".comment-count")).to_have_text("Aucun commentaire")
    form = comment_form(page)
    form.locator("[name=name]").fill("Aminata")
    form.locator("[name=email]").fill("aminata@example.org")
    form.locator("[name=body]").fill("Les routes sont coupées depuis mardi.\nMerci pour l'article.")
    form.get_by_role("button", name="Publier le commentaire").click()
    first = Comment.objects.get(name="Aminata")
    own = page.locator(f"#comment-{first.pk}")
    expect(own).to_contain_text("en attente de modération")
    expect(page.locator(".messages")).to_contain_text("en attente de modération")
    assert first.status == Comment.Status.PENDING

    # A moderator approves it from the admin queue.
    moderation = browser.new_context(locale="fr-FR")
    admin = moderation.new_page()
    log_in_to_admin(admin, moderator, "/admin/comments/comment/")
    expect(admin.locator("#result_list")).to_contain_text("Les routes sont coupées")
    admin.check(f"input[name=_selected_action][value='{first.pk}']")
    admin.select_option("select[name=action]", "approve")
    admin.locator("button[name=index]").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 commentaire approuvé.")
    first.refresh_from_db()
    assert first.status == Comment.Status.APPROVED

    # Another reader sees it and answers; the form moves under the comment.
    other = browser.new_context(locale="fr-FR")
    page2 = other.new_page()
    page2.goto(article_url)
    expect(page2.locator(".comment-count")).to_have_text("1 commentaire")
    page2.locator(f"#comment-{first.pk} .comment-reply-link").click()
    form2 = page2.locator(f"#comment-{first.pk} #comment-form")
    expect(form2).to_be_visible()
    expect(form2).to_contain_text("Vous répondez à Aminata.")
    form2.locator("[name=name]").fill("Ibrahima")
    form2.locator("[name=email]").fill("ibrahima@example.org")
    form2.locator("[name=body]").fill("Même chose à Kaffrine.")
    form2.get_by_role("button", name="Publier le commentaire").click()
    reply = Comment.objects.get(name="Ibrahima")
    assert (reply.parent_id, reply.depth) == (first.pk, 2)
    nested = page2.locator(f"#comment-{first.pk} .comment-replies #comment-{reply.pk}")
    expect(nested).to_contain_text("Même chose à Kaffrine.")
    expect(nested).to_contain_text("en attente de modération")

    # Once approved, every reader sees the reply nested under the comment it answers.
    reply.refresh_from_db()
    services.moderate([reply], Comment.Status.APPROVED, by=None)
    page.goto(article_url)
    expect(page.locator(".comment-count")).to_have_text("2 commentaires")
    nested = page.locator(f"#comment-{first.pk} > .comment-replies > #comment-{reply.pk}")
    expect(nested).to_contain_text("Ibrahima")
    expect(nested).not_to_contain_text("en attente")
    assert "aminata@example.org" not in page.content()
    assert "ibrahima@example.org" not in page.content()

    for context in (reader, moderation, other):
        context.close()
