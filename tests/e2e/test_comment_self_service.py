"""A reader comments, fixes her comment within the window, is refused after it, and
deletes it — in Debian's chromium, driven by Playwright."""

import datetime

import pytest
from playwright.sync_api import expect

from comments import services
from comments.models import EDIT_WINDOW, Comment, ModerationSettings
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.e2e


def test_comment_edit_refused_after_window_delete(browser, live_server, transactional_db):
    article = ArticleFactory(title="Le marché de Sandaga rouvre")
    config = ModerationSettings.load()
    config.flood_seconds = 0
    config.save()
    article_url = live_server.url + article.get_absolute_url()

    reader = browser.new_context(locale="fr-FR")
    page = reader.new_page()
    page.goto(article_url)
    form = page.locator("#comment-form")
    form.locator("[name=name]").fill("Mariama")
    form.locator("[name=email]").fill("mariama@example.org")
    form.locator("[name=body]").fill("Le marché rouvre lundi, pas mardi.")
    form.get_by_label("Enregistrer mon nom et mon e-mail pour mon prochain commentaire").check()
    form.get_by_role("button", name="Publier le commentaire").click()
    comment = Comment.objects.get(name="Mariama")
    services.moderate([comment], Comment.Status.APPROVED, by=None)

    # « Se souvenir de moi »: the form is filled in for her next comment.
    page.goto(article_url)
    expect(page.locator("#comment-form [name=name]")).to_have_value("Mariama")
    expect(page.locator("#comment-form [name=email]")).to_have_value("mariama@example.org")

    # Within the window: she edits, and the comment says « modifié ».
    own = page.locator(f"#comment-{comment.pk}")
    own.get_by_role("link", name="Modifier").click()
    page.locator("#comment-edit-form [name=body]").fill("Le marché rouvre mardi, pas lundi.")
    page.get_by_role("button", name="Enregistrer la modification").click()
    expect(page.locator(".messages")).to_contain_text("Votre commentaire est modifié.")
    expect(own.locator(".comment-text")).to_have_text("Le marché rouvre mardi, pas lundi.")
    expect(own.locator(".comment-edited")).to_have_text("modifié")

    # Another reader answers; then the window is over (the comment is 16 minutes old).
    CommentFactory(parent=comment, body="Merci pour la précision.")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=comment.created_at - EDIT_WINDOW - datetime.timedelta(minutes=1)
    )
    page.goto(article_url)
    expect(own.get_by_role("link", name="Modifier")).to_have_count(0)
    response = page.goto(f"{live_server.url}/commentaires/{comment.pk}/modifier/")
    assert response.status == 409
    expect(page.locator("#comment-refused")).to_contain_text("Le délai de 15 minutes")

    # She deletes it: the reply stays under the author's placeholder, her name is gone.
    page.goto(article_url)
    own.get_by_role("link", name="Supprimer").click()
    page.get_by_role("button", name="Supprimer définitivement").click()
    expect(page.locator(".messages")).to_contain_text("Votre commentaire est supprimé.")
    expect(own.locator(".comment-placeholder").first).to_have_text(
        "Commentaire supprimé par son auteur"
    )
    expect(own).to_contain_text("Merci pour la précision.")
    expect(own.locator(".comment-author").first).not_to_have_text("Mariama")
    comment.refresh_from_db()
    assert comment.is_deleted and (comment.name, comment.email, comment.body) == ("", "", "")

    reader.close()
