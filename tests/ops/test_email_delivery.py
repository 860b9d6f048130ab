"""Every e-mail leaves the request: the site answers whatever the mail server does, and the
real worker delivers each message exactly once when the server is there (issue 10)."""

import email
import logging
import re
import socket

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from comments.models import Comment
from comments.policy import make_form_token
from notrecontinent import mail as site_mail
from notrecontinent.mail import LOST_AFTER, deliver_email, requeue_lost_deliveries
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    ModeratorFactory,
    SubmittedFactory,
    UserFactory,
)

from .conftest import DATABASE_QUEUE

pytestmark = pytest.mark.django_db(transaction=True)

DELIVERY = deliver_email.module_path


@pytest.fixture
def queue(settings, smtp_server):
    """The production set-up: the database queue, and SMTP to smtp_server's port."""
    settings.TASKS = DATABASE_QUEUE
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_server.port, "timeout": 5},
        }
    }


def deliveries(**filters):
    return DBTaskResult.objects.filter(task_path=DELIVERY, **filters)


def attempt(row):
    args = row.args_kwargs["args"]
    return args[1] if len(args) > 1 else 1


def received(smtp_server):
    """(recipient, subject, Message-ID) of every message the server accepted."""
    out = []
    for envelope in smtp_server.mailbox.envelopes:
        message = email.message_from_bytes(envelope.content)
        out.append((tuple(envelope.rcpt_tos), message["Subject"], message["Message-ID"]))
    return out


def sign_up(client):
    return client.post(
        reverse("account_signup"),
        {
            "email": "nouvelle@example.org",
            "username": "nouvelle",
            "password1": "un mot de passe long 2026",
            "password2": "un mot de passe long 2026",
            "account_kind": "particulier",
            "display_name": "Nouvelle Plume",
        },
    )


def test_with_smtp_hung_then_down_the_site_answers_and_each_mail_goes_once_it_is_back(
    client, queue, smtp_server, worker
):
    # The mail server's port accepts connections and never answers: any request that
    # talked to it would hang there (and leave a connection waiting to be accepted).
    hung = socket.create_server(("127.0.0.1", smtp_server.port))
    author = UserFactory(email="autrice@example.org")
    moderator = ModeratorFactory(email="moderatrice@example.org")
    article = ArticleFactory(author=author, title="Le fleuve Sénégal en crue")
    submitted = SubmittedFactory(author=UserFactory(email="soumis@example.org"))
    answered = CommentFactory(article=article, email="awa@example.org", notify_replies=True)
    # Binta is trusted: signed in, with an approved comment (a typed address proves nothing).
    binta = UserFactory(email="binta@example.org")
    CommentFactory(article=article, user=binta, email="binta@example.org")

    # Sign-up (allauth's confirmation), a comment approved at once (a reply: the article's
    # author and the commenter answered are told), a publication by a moderator.
    assert sign_up(client).status_code == 302
    reader = Client()
    reader.force_login(binta)
    response = reader.post(
        reverse("comments:post", kwargs={"slug": article.slug}),
        {
            "name": "Binta",
            "email": "binta@example.org",
            "body": "Je confirme, l'eau monte encore.",
            "parent": answered.pk,
            "token": make_form_token(article.pk),
        },
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="Mozilla/5.0 (test)",
    )
    assert response.status_code == 302
    assert Comment.objects.get(body__startswith="Je confirme").is_approved
    client.force_login(moderator)
    changelist = reverse("admin:articles_article_changelist")
    action = {"action": "publish", "_selected_action": [submitted.pk]}
    page = client.post(changelist, action)  # the confirmation, with the version read
    versions = dict(re.findall(r'name="(version-\d+)" value="(\d+)"', page.content.decode()))
    response = client.post(changelist, {**action, "post": "yes", **versions})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Article.Status.PUBLISHED

    # No request opened a connection to the mail server; everything waits in the queue.
    hung.setblocking(False)
    with pytest.raises(BlockingIOError):
        hung.accept()
    hung.close()
    assert mail.outbox == []
    assert deliveries(status="READY").count() == 1  # the confirmation, rendered in the request
    assert DBTaskResult.objects.filter(status="READY").count() == 4  # + 3 to compose

    # The server is down (port closed): the worker composes the messages, every try
    # fails, the failures are recorded and the next tries wait.
    worker()
    failed = deliveries(status="FAILED")
    assert failed.count() == 4
    assert {row.exception_class_path for row in failed} == {"notrecontinent.mail.EmailDeferred"}
    waiting = deliveries(status="READY")
    assert [attempt(row) for row in waiting] == [2, 2, 2, 2]
    assert all(row.run_after > timezone.now() for row in waiting)
    worker()  # nothing is due yet: nothing is tried
    assert deliveries(status="FAILED").count() == 4

    # The server is back: the waiting tries are brought forward, the worker sends each
    # message once, with the Message-ID it was queued with.
    smtp_server.start()
    call_command("retry_emails", stdout=open("/dev/null", "w"))  # noqa: SIM115
    worker()
    got = received(smtp_server)
    assert sorted(recipient for (recipient,), _, _ in got) == [
        "autrice@example.org",
        "awa@example.org",
        "nouvelle@example.org",
        "soumis@example.org",
    ]
    queued_ids = {row.args_kwargs["args"][0]["headers"]["Message-ID"] for row in waiting}
    assert {message_id for _, _, message_id in got} == queued_ids
    assert deliveries(status="SUCCESSFUL").count() == 4
    worker()
    assert len(received(smtp_server)) == 4

    # The confirmation link works: it was rendered in the request, for this site.
    confirmation = next(e for e in smtp_server.mailbox.envelopes if "nouvelle@" in e.rcpt_tos[0])
    body = email.message_from_bytes(confirmation.content).get_payload(decode=True).decode()
    assert re.search(r"http://testserver/accounts/confirm-email/\S+/", body)


def test_a_recipient_refused_for_good_fails_without_a_retry_the_others_go(
    queue, smtp_server, worker
):
    smtp_server.start()
    smtp_server.mailbox.refused = {"inconnu@example.org"}
    mod = UserFactory(email="inconnu@example.org", is_staff=True)
    mod.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    ModeratorFactory(email="moderatrice@example.org")
    CommentFactory(status=Comment.Status.PENDING)
    from reports.tasks import send_moderation_digest

    send_moderation_digest.enqueue()
    worker()
    assert [r for (r,), _, _ in received(smtp_server)] == ["moderatrice@example.org"]
    (failed,) = deliveries(status="FAILED")
    assert failed.exception_class_path == "notrecontinent.mail.EmailNotDelivered"
    assert "550" in failed.traceback
    assert "inconnu@example.org" not in failed.traceback  # the reason, not the address
    assert not deliveries(status="READY").exists()


def test_the_last_try_gives_up(queue, smtp_server, worker):
    # The server is down for the whole day of tries: the last one fails for good.
    message = mail.EmailMessage("Sujet", "Texte", to=["lecteur@example.org"])
    site_mail.queue_message(message)
    last = len(site_mail.RETRY_DELAYS) + 1
    row = deliveries().get()
    DBTaskResult.objects.filter(pk=row.pk).update(
        args_kwargs={"args": [row.args_kwargs["args"][0], last], "kwargs": {}}
    )
    worker()
    (row,) = deliveries()
    assert row.status == "FAILED"
    assert row.exception_class_path == "notrecontinent.mail.EmailNotDelivered"
    assert f"Abandonné après {last} essais" in row.traceback


def test_a_try_lost_with_its_worker_is_tried_again_with_the_same_message_id(
    queue, smtp_server, worker, time_machine
):
    smtp_server.start()
    site_mail.queue_message(mail.EmailMessage("Sujet", "Texte", to=["lecteur@example.org"]))
    row = deliveries().get()
    # A worker claimed it, then died (killed, machine lost) before recording anything.
    time_machine.move_to(timezone.now() - LOST_AFTER - timezone.timedelta(minutes=1))
    row.claim("worker-perdu")
    time_machine.move_to(timezone.now() + LOST_AFTER, tick=False)
    young = deliver_email.enqueue(row.args_kwargs["args"][0])
    DBTaskResult.objects.get(pk=young.id).claim("worker-vivant")  # started just now

    assert requeue_lost_deliveries() == 1
    assert requeue_lost_deliveries() == 0
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert row.exception_class_path == "notrecontinent.mail.WorkerLost"
    assert deliveries(status="RUNNING").get().pk == young.db_result.pk  # left alone
    worker()
    (((recipient,), _, message_id),) = received(smtp_server)
    assert recipient == "lecteur@example.org"
    assert message_id == row.args_kwargs["args"][0]["headers"]["Message-ID"]


def test_failures_show_in_the_admin(queue, smtp_server, worker, admin_client):
    site_mail.queue_message(mail.EmailMessage("Sujet", "Texte", to=["lecteur@example.org"]))
    worker()  # the server is down
    response = admin_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"), {"status__exact": "FAILED"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "notrecontinent.mail.EmailDeferred" in html
    assert "deliver_email" in html
    assert "lecteur@example.org" not in html


def test_a_server_error_is_mailed_to_admins_through_the_queue(queue, settings, rf):
    settings.ADMINS = ["exploitation@example.org"]
    try:
        raise RuntimeError("panne")
    except RuntimeError:
        logging.getLogger("django.request").error(
            "Internal Server Error: /articles/x/",
            exc_info=True,
            extra={"status_code": 500, "request": rf.get("/articles/x/")},
        )
    (row,) = deliveries(status="READY")
    message = row.args_kwargs["args"][0]
    assert message["to"] == ["exploitation@example.org"]
    assert "Internal Server Error: /articles/x/" in message["subject"]
    assert "RuntimeError" in message["body"]
