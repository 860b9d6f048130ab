"""The moderators' queue in the admin."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from comments.models import Comment, ModerationSettings
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


def rows(response):
    return [obj.pk for obj in response.context["cl"].result_list]


def act(client, action, comments, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [c.pk for c in comments], **extra},
    )


def test_waiting_comments_come_first_with_counts(moderator_client):
    old_pending = CommentFactory(status=Comment.Status.PENDING, body="ancien en attente")
    approved = CommentFactory()
    newer_approved = CommentFactory()
    spam = CommentFactory(status=Comment.Status.SPAM)
    response = moderator_client.get(CHANGELIST)
    assert rows(response) == [old_pending.pk, spam.pk, newer_approved.pk, approved.pk]
    html = response.content.decode()
    assert '<a href="?status__exact=pending">En attente</a> : <strong>1</strong>' in html
    assert '<a href="?status__exact=approved">Approuvé</a> : <strong>2</strong>' in html
    assert '<a href="?status__exact=spam">Indésirable</a> : <strong>1</strong>' in html


def test_moderators_see_why_the_policy_held_a_comment(moderator_client):
    comment = CommentFactory(
        status=Comment.Status.PENDING, hold_reason="Mot à modérer : « casino »"
    )
    listing = moderator_client.get(CHANGELIST).content.decode()
    assert "Motif de mise en attente" in listing
    assert "Mot à modérer : « casino »" in listing
    page = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    html = page.content.decode()
    assert "Motif de mise en attente" in html
    assert "Mot à modérer : « casino »" in html
    assert 'name="hold_reason"' not in html  # the policy's words, not the moderator's


def test_filters(moderator_client):
    article = ArticleFactory()
    pending = CommentFactory(article=article, status=Comment.Status.PENDING)
    assert rows(moderator_client.get(CHANGELIST, {"status__exact": "pending"})) == [pending.pk]
    assert rows(moderator_client.get(CHANGELIST, {"article__id__exact": article.pk})) == [
        pending.pk
    ]


@pytest.mark.parametrize("query", ["Mamadou", "mamadou@example", "203.0.113.9", "baobab"])
def test_search_by_name_email_ip_and_text(moderator_client, query):
    target = CommentFactory(
        name="Mamadou", email="mamadou@example.org", ip_address="203.0.113.9", body="Le baobab"
    )
    CommentFactory()
    assert rows(moderator_client.get(CHANGELIST, {"q": query})) == [target.pk]


def test_everything_from_this_email(moderator_client):
    mine = [CommentFactory(email="meme@example.org"), CommentFactory(email="MEME@example.org")]
    CommentFactory()
    html = moderator_client.get(CHANGELIST).content.decode()
    assert "?email=meme%40example.org" in html
    response = moderator_client.get(CHANGELIST, {"email": "meme@example.org"})
    assert sorted(rows(response)) == sorted(c.pk for c in mine)


def test_bulk_approve_records_who_and_when(moderator_client, moderator):
    comments = [CommentFactory(status=Comment.Status.PENDING) for _ in range(2)]
    response = act(moderator_client, "approve", comments)
    assert response.status_code == 302
    for comment in comments:
        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
        assert comment.moderated_by == moderator
        assert comment.moderated_at is not None
    assert LogEntry.objects.filter(object_id__in=[str(c.pk) for c in comments]).count() == 2
    assert "2 commentaires approuvés." in moderator_client.get(CHANGELIST).content.decode()


@pytest.mark.parametrize(("action", "status"), [("mark_spam", "spam"), ("remove", "removed")])
def test_bulk_spam_and_remove(moderator_client, moderator, action, status):
    comment = CommentFactory()
    act(moderator_client, action, [comment])
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (status, moderator)


def test_approving_from_the_admin_notifies_like_everywhere_else(
    moderator_client, django_capture_on_commit_callbacks
):
    comment = CommentFactory(status=Comment.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        act(moderator_client, "approve", [comment])
    assert [m.to for m in mail.outbox] == [[comment.article.author.email]]


def test_changing_the_status_in_the_form_goes_through_the_policy(
    moderator_client, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(status=Comment.Status.PENDING)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    data = {
        "status": "approved",
        "name": comment.name,
        "email": comment.email,
        "body": "Texte corrigé",
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(url, data)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.body, comment.moderated_by) == (
        "approved",
        "Texte corrigé",
        moderator,
    )
    assert len(mail.outbox) == 1


def test_a_staff_member_without_the_permission_cannot_moderate(client):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="view_comment"),
        Permission.objects.get(codename="change_comment"),
    )
    client.force_login(staff)
    comment = CommentFactory(status=Comment.Status.PENDING)
    act(client, "approve", [comment])
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_export_action(moderator_client):
    comment = CommentFactory(email="export@example.org", body="à exporter")
    response = act(moderator_client, "export_commenter_data", [comment])
    data = json.loads(response.content)
    assert data["export@example.org"][0]["body"] == "à exporter"
    assert response["Content-Disposition"].startswith("attachment")


def test_erase_action_asks_then_anonymises(moderator_client):
    comment = CommentFactory(email="efface@example.org", name="Efface Moi")
    other = CommentFactory(email="efface@example.org")
    response = act(moderator_client, "erase_commenter_data", [comment])
    assert response.status_code == 200
    assert "Oui, effacer ces données" in response.content.decode()
    comment.refresh_from_db()
    assert comment.email == "efface@example.org"
    act(moderator_client, "erase_commenter_data", [comment], post="yes")
    for c in (comment, other):
        c.refresh_from_db()
        assert (c.name, c.email, c.ip_address, c.user_agent) == ("Anonyme", "", None, "")


def test_moderation_settings_are_one_editable_row(moderator_client):
    response = moderator_client.get(reverse("admin:comments_moderationsettings_changelist"))
    assert response.status_code == 302
    url = response["Location"]
    data = {
        "moderation_words": "casino\ncrypto",
        "blocked_words": "viagra",
        "link_threshold": 3,
        "flood_seconds": 30,
        "max_length": 2000,
        "form_max_age": 3600,
        "close_after_days": 30,
    }
    assert moderator_client.post(url, data).status_code == 302
    config = ModerationSettings.load()
    assert config.close_after_days == 30
    assert config.moderation_word_list == ["casino", "crypto"]
    assert (config.link_threshold, config.flood_seconds, config.max_length) == (3, 30, 2000)
    assert ModerationSettings.objects.count() == 1
    assert moderator_client.get(reverse("admin:comments_moderationsettings_add")).status_code == 403


def test_change_pages_open(moderator_client):
    comment = CommentFactory(parent=CommentFactory())
    for url in (
        reverse("admin:comments_comment_change", args=[comment.pk]),
        reverse("admin:comments_comment_changelist") + "?q=%00&email=x",
    ):
        assert moderator_client.get(url).status_code == 200, url


def test_moderators_remove_comments_but_never_delete_them(moderator_client):
    """Removal leaves a placeholder and keeps the replies; a hard delete would take them."""
    comment = CommentFactory(status=Comment.Status.APPROVED)
    reply = CommentFactory(article=comment.article, parent=comment, status=Comment.Status.APPROVED)
    changelist = moderator_client.get(reverse("admin:comments_comment_changelist"))
    assert 'value="delete_selected"' not in changelist.content.decode()
    delete_url = reverse("admin:comments_comment_delete", args=[comment.pk])
    assert moderator_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Comment.objects.filter(pk__in=[comment.pk, reply.pk]).count() == 2


def test_moderators_can_tell_proven_addresses_apart(moderator_client):
    confirmed = CommentFactory(email_confirmed_at="2024-10-04T15:26:57Z")
    signed_in = CommentFactory(user=UserFactory())
    typed = CommentFactory()
    assert set(rows(moderator_client.get(CHANGELIST, {"prouvee": "oui"}))) == {
        confirmed.pk,
        signed_in.pk,
    }
    assert rows(moderator_client.get(CHANGELIST, {"prouvee": "non"})) == [typed.pk]
    change = moderator_client.get(reverse("admin:comments_comment_change", args=[confirmed.pk]))
    assert "Adresse confirmée le" in change.content.decode()
