"""A commenter edits or deletes their own comment; discussions close; « Se souvenir de moi »."""

import datetime
import re
import threading

import pytest
from django.core import signing
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import policy, remember, services, threads
from comments.models import EDIT_WINDOW, Comment, Discussion, ModerationSettings
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"nc[0-9a-f]{30}")


def edit_url(comment):
    return reverse("comments:edit", kwargs={"pk": comment.pk})


def delete_url(comment):
    return reverse("comments:delete", kwargs={"pk": comment.pk})


def browser():
    return Client(HTTP_USER_AGENT="Mozilla/5.0 (test)")


@pytest.fixture
def posted(article, post_comment, client, no_flood):
    """An anonymous comment posted by `client` through the form (its session holds it)."""

    def post(**fields):
        response = post_comment(article, **fields)
        assert response.status_code == 302
        return Comment.objects.latest("pk")

    return post


def approve(comment):
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)
    comment.refresh_from_db()
    return comment


# Editing -------------------------------------------------------------------------------


def test_anonymous_author_edits_from_the_browser_that_posted(client, article, posted):
    comment = approve(posted(body="Une faute de frappe ici."))
    page = client.get(edit_url(comment))
    assert page.status_code == 200
    assert "Une faute de frappe ici.</textarea>" in page.content.decode()
    response = client.post(edit_url(comment), {"body": "Sans faute de frappe ici."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Sans faute de frappe ici."
    assert comment.edited_at is not None
    assert comment.is_approved
    # Readers see the new text, marked « modifié »; the author sees their links.
    html = browser().get(article.get_absolute_url()).content.decode()
    assert "Sans faute de frappe ici." in html and "modifié" in html
    assert edit_url(comment) not in html and delete_url(comment) not in html
    own = client.get(article.get_absolute_url()).content.decode()
    assert edit_url(comment) in own and delete_url(comment) in own


def test_another_browser_and_a_forged_session_are_refused(client, article, posted):
    comment = approve(posted(body="Mon texte."))
    other = browser()
    forged = browser()
    forged.cookies["sessionid"] = "0123456789abcdefghijklmnopqrstuv"
    for stranger in (other, forged):
        for url in (edit_url(comment), delete_url(comment)):
            get = stranger.get(url)
            post = stranger.post(url, {"body": "Piraté."})
            assert get.status_code == post.status_code == 403
            assert "pas le vôtre" in post.content.decode()
    comment.refresh_from_db()
    assert (comment.body, comment.status) == ("Mon texte.", Comment.Status.APPROVED)


def test_a_typed_name_and_address_grant_nothing(article, post_comment, no_flood):
    """Same name, same address, another browser: still not the author."""
    first, second = browser(), browser()
    post_comment(article, browser=first, name="Awa", email="awa@example.org")
    comment = Comment.objects.get()
    post_comment(article, browser=second, name="Awa", email="awa@example.org", body="Autre.")
    assert second.post(edit_url(comment), {"body": "Piraté."}).status_code == 403
    assert second.post(delete_url(comment)).status_code == 403


def test_a_signed_in_author_edits_through_the_account_only(client, article):
    author, other = UserFactory(), UserFactory()
    comment = CommentFactory(article=article, user=author, body="Texte du compte.")
    client.force_login(other)
    assert client.post(edit_url(comment), {"body": "Piraté."}).status_code == 403
    # An account's comment is not granted by a session holding its id either.
    anonymous = browser()
    session = anonymous.session
    session[threads.SESSION_KEY] = [comment.pk]
    session.save()
    anonymous.cookies["sessionid"] = session.session_key
    assert anonymous.post(edit_url(comment), {"body": "Piraté."}).status_code == 403
    client.force_login(author)
    assert client.post(edit_url(comment), {"body": "Texte corrigé."}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Texte corrigé."


def test_session_ids_of_the_wrong_type_grant_nothing(article):
    comment = CommentFactory(article=article)
    forged = browser()
    session = forged.session
    session[threads.SESSION_KEY] = [str(comment.pk), None, {"pk": comment.pk}]
    session.save()
    forged.cookies["sessionid"] = session.session_key
    assert forged.post(delete_url(comment)).status_code == 403


def test_the_window_closes_after_15_minutes(client, article, posted, clock):
    comment = approve(posted(body="Premier jet."))
    clock.shift(EDIT_WINDOW - datetime.timedelta(seconds=1))
    assert client.get(edit_url(comment)).status_code == 200
    clock.shift(datetime.timedelta(seconds=1))
    for response in (client.get(edit_url(comment)), client.post(edit_url(comment), {"body": "X"})):
        assert response.status_code == 409
        assert "Le délai de 15 minutes" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Premier jet." and comment.edited_at is None
    assert edit_url(comment) not in client.get(article.get_absolute_url()).content.decode()


def test_window_expiring_between_the_form_and_the_post(client, article, posted, clock):
    comment = approve(posted(body="Premier jet."))
    clock.shift(EDIT_WINDOW - datetime.timedelta(seconds=5))
    assert client.get(edit_url(comment)).status_code == 200
    clock.shift(datetime.timedelta(seconds=10))
    response = client.post(edit_url(comment), {"body": "Trop tard."})
    assert response.status_code == 409
    comment.refresh_from_db()
    assert comment.body == "Premier jet."


def test_a_visible_reply_ends_editing_a_pending_one_does_not(client, article, posted):
    comment = approve(posted(body="Ma question."))
    reply = CommentFactory(parent=comment, status=Comment.Status.PENDING)
    assert client.get(edit_url(comment)).status_code == 200
    # A reply approved between the form and the post.
    approve(reply)
    response = client.post(edit_url(comment), {"body": "Une autre question."})
    assert response.status_code == 409
    assert "a déjà reçu une réponse" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Ma question."


def test_a_reply_beside_a_deepest_comment_counts_as_a_reply(article, client):
    author = UserFactory()
    top = CommentFactory(article=article)
    middle = CommentFactory(parent=top)
    deepest = CommentFactory(parent=middle, user=author)
    beside = CommentFactory(parent=middle, reply_to=deepest)
    assert beside.parent_id == middle.pk and deepest.has_visible_replies()
    client.force_login(author)
    assert client.post(edit_url(deepest), {"body": "Changé."}).status_code == 409


def test_bad_text_is_refused_beside_the_field(client, article, posted):
    comment = approve(posted(body="Texte."))
    config = ModerationSettings.load()
    for data in ({"body": ""}, {"body": "a\x00b"}, {"body": "x" * (config.max_length + 1)}, {}):
        response = client.post(edit_url(comment), data)
        assert response.status_code == 400
        assert 'id="id_body_error"' in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Texte."


def test_unknown_comment_and_wrong_method(client):
    for url in ("/commentaires/999999/modifier/", "/commentaires/999999/supprimer/"):
        response = client.post(url, {"body": "x"})
        assert response.status_code == 404
        assert "existe pas" in response.content.decode()
    assert client.put("/commentaires/1/modifier/").status_code == 405


# The policy again --------------------------------------------------------------------


@pytest.fixture
def word_lists(no_flood):
    config = ModerationSettings.load()
    config.moderation_words = "casino"
    config.blocked_words = "viagra"
    config.save()
    return config


@pytest.mark.parametrize(
    ("old", "new", "status"),
    [
        ("Bonne analyse.", "Très bonne analyse.", Comment.Status.APPROVED),
        ("Bonne analyse.", "Voir https://example.com", Comment.Status.PENDING),
        ("Voir https://a.example.org", "Voir https://b.example.org", Comment.Status.APPROVED),
        ("Bonne analyse.", "Jouez au CASINO", Comment.Status.PENDING),
        # Full-width letters hide nothing.
        ("Bonne analyse.", "Jouez au ｃａｓｉｎｏ", Comment.Status.PENDING),
        ("Bonne analyse.", "v i a g r a pas cher", Comment.Status.SPAM),
        # A word the moderator approved with the old text holds nothing.
        ("Le casino de Dakar a fermé.", "Le casino de Dakar a rouvert.", Comment.Status.APPROVED),
    ],
)
def test_an_approved_comment_is_held_again_when_the_edit_adds_links_or_words(
    word_lists, old, new, status
):
    comment = CommentFactory(body=old)
    assert policy.status_after_edit(comment, new).status == status


def test_a_held_edit_is_hidden_from_readers_and_shown_to_its_author(
    client, article, posted, word_lists
):
    comment = approve(posted(body="Bonne analyse."))
    client.post(edit_url(comment), {"body": "Bonne analyse, voir www.casino-en-ligne.example"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason.startswith("Modifié")
    assert "casino-en-ligne" not in browser().get(article.get_absolute_url()).content.decode()
    own = client.get(article.get_absolute_url()).content.decode()
    assert "casino-en-ligne" in own and "en attente de modération" in own


def test_a_moderators_spam_decision_is_not_undone_by_an_edit(client, article, posted, moderator):
    comment = posted(body="Texte.")
    services.moderate([comment], Comment.Status.SPAM, by=moderator)
    assert client.post(edit_url(comment), {"body": "Innocent."}).status_code == 403
    comment.refresh_from_db()
    assert (comment.body, comment.status) == ("Texte.", Comment.Status.SPAM)


# Deleting ------------------------------------------------------------------------------


def test_delete_erases_personal_data_and_keeps_replies(client, article, posted, clock):
    comment = approve(posted(name="Awa Diop", email="awa@example.org", body="À effacer."))
    Comment.objects.filter(pk=comment.pk).update(email_confirmed_at=timezone.now())
    reply = CommentFactory(parent=comment, body="Une réponse qui reste.")
    clock.shift(datetime.timedelta(days=3))  # no time limit while the session holds it
    assert "À effacer." in client.get(delete_url(comment)).content.decode()
    response = client.post(delete_url(comment))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.DELETED
    kept = (comment.name, comment.email, comment.email_key, comment.body)
    assert kept == ("", "", "", "")
    assert (comment.ip_address, comment.user_agent, comment.email_confirmed_at) == (None, "", None)
    assert comment.user_id is None and not comment.notify_replies
    html = browser().get(article.get_absolute_url()).content.decode()
    assert "Commentaire supprimé par son auteur" in html
    assert "Commentaire supprimé par la modération" not in html
    assert "Une réponse qui reste." in html and "Awa Diop" not in html
    reply.refresh_from_db()
    assert reply.parent_id == comment.pk and reply.is_approved


def test_a_replayed_delete_is_refused(client, article, posted):
    comment = posted()
    assert client.post(delete_url(comment)).status_code == 302
    response = client.post(delete_url(comment))
    assert response.status_code == 410
    assert "déjà été supprimé" in response.content.decode()
    assert client.post(edit_url(comment), {"body": "Revenu."}).status_code == 410


def test_a_signed_in_author_deletes_long_after_posting(client, article, clock):
    author = UserFactory()
    comment = CommentFactory(article=article, user=author)
    clock.shift(datetime.timedelta(days=400))
    client.force_login(author)
    assert client.post(delete_url(comment)).status_code == 302
    assert Comment.objects.get(pk=comment.pk).is_deleted


def test_a_moderators_removal_keeps_its_own_placeholder(client, article, moderator):
    removed = CommentFactory(article=article)
    CommentFactory(parent=removed)
    services.moderate([removed], Comment.Status.REMOVED, by=moderator)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Commentaire supprimé par la modération" in html
    assert "par son auteur" not in html


def test_moderation_never_brings_back_a_deleted_comment(client, article, posted, moderator):
    comment = posted()
    client.post(delete_url(comment))
    comment.refresh_from_db()
    assert services.moderate([comment], Comment.Status.APPROVED, by=moderator) == []
    assert Comment.objects.get(pk=comment.pk).is_deleted


def test_deleting_a_pending_comment(client, article, posted):
    comment = posted(body="En attente puis retiré.")
    assert comment.is_pending
    assert client.post(delete_url(comment)).status_code == 302
    html = client.get(article.get_absolute_url()).content.decode()
    assert "En attente puis retiré." not in html


# Closing -------------------------------------------------------------------------------


def close_after(days):
    config = ModerationSettings.load()
    config.close_after_days = days
    config.save()


def test_comments_close_after_the_days_of_the_settings(client, no_flood, post_comment):
    now = timezone.now()
    old = ArticleFactory(published_at=now - datetime.timedelta(days=31))
    recent = ArticleFactory(published_at=now - datetime.timedelta(days=29))
    assert services.comments_open(old)  # default 0: never
    close_after(30)
    assert not services.comments_open(old) and services.comments_open(recent)
    html = client.get(old.get_absolute_url()).content.decode()
    assert "Les commentaires sont fermés." in html and 'id="comment-form"' not in html
    assert 'id="comment-form"' in client.get(recent.get_absolute_url()).content.decode()
    response = post_comment(old)
    assert response.status_code == 403
    assert "Les commentaires sont fermés." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_moderator_closes_and_reopens_one_article(client, article, moderator, post_comment):
    services.set_comments_open(article, False, by=moderator)
    assert post_comment(article).status_code == 403
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Les commentaires sont fermés." in html
    services.set_comments_open(article, True, by=moderator)
    assert post_comment(article).status_code == 302
    # Kept open after the settings' delay too, until the decision is forgotten.
    close_after(1)
    Article = type(article)
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=5)
    )
    article.refresh_from_db()
    assert services.comments_open(article)
    services.forget_comments_decision(article)
    assert not services.comments_open(article)


def test_no_reply_link_and_no_edit_on_a_closed_article(client, article, posted, moderator):
    comment = approve(posted())
    services.set_comments_open(article, False, by=moderator)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Répondre" not in html and edit_url(comment) not in html
    assert client.post(edit_url(comment), {"body": "Changé."}).status_code == 403
    # Deleting stays possible.
    assert client.post(delete_url(comment)).status_code == 302


def test_moderators_close_an_article_in_the_admin(moderator_client, moderator, article):
    url = reverse("admin:comments_discussion_add")
    response = moderator_client.post(url, {"article": article.pk, "is_open": ""})
    assert response.status_code == 302
    decision = Discussion.objects.get()
    assert (decision.article, decision.is_open, decision.changed_by) == (
        article,
        False,
        moderator,
    )
    assert not services.comments_open(article)
    delete = reverse("admin:comments_discussion_delete", args=[article.pk])
    assert moderator_client.post(delete, {"post": "yes"}).status_code == 302
    assert services.comments_open(article)


def test_staff_without_moderation_rights_cannot_close(client, article):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:comments_discussion_add")).status_code == 403


# « Se souvenir de moi » ------------------------------------------------------------------


def test_nothing_is_stored_without_the_box(client, article, post_comment, no_flood):
    response = post_comment(article, name="Awa Diop", email="awa@example.org")
    assert remember.COOKIE not in response.cookies
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'value="Awa Diop"' not in html and 'value="awa@example.org"' not in html


def test_the_box_fills_the_form_next_time(client, article, post_comment, no_flood):
    response = post_comment(article, name="Awa Diop", email="awa@example.org", remember="on")
    cookie = response.cookies[remember.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert signing.loads(cookie.value, salt=remember.SALT) == {
        "n": "Awa Diop",
        "e": "awa@example.org",
    }
    fresh = browser()
    fresh.cookies[remember.COOKIE] = cookie.value
    html = fresh.get(article.get_absolute_url()).content.decode()
    assert 'value="Awa Diop"' in html and 'value="awa@example.org"' in html
    assert 'name="remember" class="form-check-input" id="id_remember" checked' in html
    # Unticked next time: forgotten.
    forget = post_comment(article, name="Awa Diop", email="awa@example.org", body="Encore.")
    assert forget.cookies[remember.COOKIE].value == ""
    assert forget.cookies[remember.COOKIE]["max-age"] == 0


def test_a_forged_cookie_fills_nothing(article):
    forged = browser()
    value = signing.dumps({"n": "Awa Diop", "e": "awa@example.org"}, salt="autre-sel")
    forged.cookies[remember.COOKIE] = value
    assert "Awa Diop" not in forged.get(article.get_absolute_url()).content.decode()
    forged.cookies[remember.COOKIE] = signing.dumps(["Awa Diop"], salt=remember.SALT)
    assert forged.get(article.get_absolute_url()).status_code == 200


def test_a_signed_in_reader_keeps_the_accounts_name(client, article, post_comment, no_flood):
    user = UserFactory(display_name="Khadija Sow", email="khadija@example.org")
    client.cookies[remember.COOKIE] = signing.dumps(
        {"n": "Awa Diop", "e": "awa@example.org"}, salt=remember.SALT
    )
    client.force_login(user)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Awa Diop" not in html and 'name="remember"' not in html


@pytest.mark.parametrize("first", ["remembered", "other"])
def test_another_reader_never_sees_the_name_through_the_page_cache(settings, article, first):
    settings.PAGE_CACHE_SECONDS = 60
    known = browser()
    known.cookies[remember.COOKIE] = signing.dumps(
        {"n": "Awa Diop", "e": "awa@example.org"}, salt=remember.SALT
    )
    other = browser()
    order = [known, other, other, known, other] if first == "remembered" else [other, known, other]
    for reader in order:
        html = reader.get(article.get_absolute_url()).content.decode()
        if reader is known:
            assert 'value="Awa Diop"' in html and 'value="awa@example.org"' in html
            assert not PLACEHOLDER.search(html)
        else:
            assert "Awa Diop" not in html and "awa@example.org" not in html


@pytest.mark.parametrize("n", [0, 30])
def test_an_authors_links_cost_no_query(rf, client, article, django_assert_num_queries, n):
    author = UserFactory()
    own = CommentFactory.create_batch(n, article=article, user=author)
    answered = CommentFactory(article=article, user=author)
    CommentFactory(parent=answered)
    request = rf.get(article.get_absolute_url())
    request.user = author
    request.session = client.session
    with django_assert_num_queries(2):
        section = threads.build(article, request=request)
    mine = [node for node in section.nodes.values() if node.is_own]
    assert len(mine) == len(own) + 1
    assert [node.comment.pk for node in mine if not node.can_edit] == [answered.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_approving_a_reply_waits_for_an_edit_in_progress(transactional_db):
    """edit_comment holds the comment's row lock while it checks for visible replies; an
    approval of a reply takes the same lock first, so both cannot go through."""
    comment = CommentFactory()
    reply = CommentFactory(parent=comment, status=Comment.Status.PENDING)
    outcome = {}

    def approve():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '100ms'")
                services.moderate([Comment.objects.get(pk=reply.pk)], "approved", by=None)
            outcome["approved"] = True
        except OperationalError:
            outcome["approved"] = False
        finally:
            connection.close()

    with transaction.atomic():
        # The lock edit_comment takes (services._own_comment) before it checks.
        Comment.objects.select_for_update().get(pk=comment.pk)
        worker = threading.Thread(target=approve)
        worker.start()
        worker.join()
    assert outcome == {"approved": False}
    assert Comment.objects.get(pk=reply.pk).is_pending
    worker = threading.Thread(target=approve)
    worker.start()
    worker.join()
    assert outcome == {"approved": True}
