"""A commenter's data: export, erasure, and the 90-day purge of IP and user agent."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment
from comments.services import erase_commenter_data, export_commenter_data
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_export_by_email_is_json_and_complete():
    comment = CommentFactory(email="Moi@Example.org", body="mon texte", ip_address="203.0.113.5")
    CommentFactory()
    (row,) = export_commenter_data(email="moi@example.org")
    assert json.loads(json.dumps(row)) == row
    assert row["id"] == comment.pk
    assert (row["body"], row["ip_address"], row["email"]) == (
        "mon texte",
        "203.0.113.5",
        "Moi@Example.org",
    )
    assert row["article_url"] == comment.article.get_absolute_url()


def test_export_by_user_holds_only_what_the_account_posted_signed_in():
    """Anyone can type an address in the anonymous form: those comments (and their IPs)
    are not the account's to download."""
    user = UserFactory(email="compte@example.org")
    linked = CommentFactory(user=user, email="ancienne@example.org")
    CommentFactory(email="compte@example.org", ip_address="198.51.100.7")
    CommentFactory()
    rows = export_commenter_data(user=user)
    assert {row["id"] for row in rows} == {linked.pk}
    assert "198.51.100.7" not in str(rows)


def test_export_with_nothing_to_match_is_empty():
    CommentFactory(email="")
    assert export_commenter_data(email="") == []
    assert export_commenter_data() == []


def test_erasure_anonymises_and_keeps_the_thread(client):
    user = UserFactory(email="efface@example.org")
    top = CommentFactory(user=user, email=user.email, name="Vrai Nom", notify_replies=True)
    reply = CommentFactory(parent=top, name="Autre")
    assert erase_commenter_data(email="EFFACE@example.org") == 1
    top.refresh_from_db()
    assert (top.name, top.email, top.ip_address, top.user_agent, top.user, top.notify_replies) == (
        "Anonyme",
        "",
        None,
        "",
        None,
        False,
    )
    assert top.body == "Merci pour cet article très clair."
    assert top.status == Comment.Status.APPROVED
    reply.refresh_from_db()
    assert reply.parent == top and reply.name == "Autre"
    html = client.get(top.article.get_absolute_url()).content.decode()
    assert "Anonyme" in html and "Vrai Nom" not in html


def test_erasure_touches_no_one_else():
    other = CommentFactory(email="autre@example.org")
    erase_commenter_data(email="personne@example.org")
    erase_commenter_data(email="")
    other.refresh_from_db()
    assert other.email == "autre@example.org"


def test_export_and_erase_commands():
    CommentFactory(email="cmd@example.org", body="commande")
    out = io.StringIO()
    call_command("export_commenter", "cmd@example.org", stdout=out)
    assert json.loads(out.getvalue())[0]["body"] == "commande"
    out = io.StringIO()
    call_command("erase_commenter", "cmd@example.org", stdout=out)
    assert "1 commentaire(s) anonymisé(s)" in out.getvalue()
    assert not Comment.objects.filter(email="cmd@example.org").exists()


def test_purge_clears_ip_and_user_agent_after_90_days():
    old = CommentFactory(created_at=timezone.now() - datetime.timedelta(days=91))
    recent = CommentFactory(created_at=timezone.now() - datetime.timedelta(days=89))
    out = io.StringIO()
    call_command("purge_comment_metadata", stdout=out)
    assert "1 commentaire(s) purgé(s)" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert old.name and old.email  # only the technical data goes
    assert recent.ip_address == "192.0.2.10" and recent.user_agent


def test_post_records_ip_and_user_agent(article, post_comment):
    post_comment(article, ip="203.0.113.77")
    comment = Comment.objects.get()
    assert (comment.ip_address, comment.user_agent) == ("203.0.113.77", "Mozilla/5.0 (test)")
