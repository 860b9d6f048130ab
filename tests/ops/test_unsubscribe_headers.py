"""The one-click unsubscribe headers as the mail server receives them: queued as JSON,
sent by the real worker over SMTP, unfolded and unencoded (RFC 8058)."""

import email
import email.policy

import pytest

from comments import services
from comments.models import Comment
from tests.factories import CommentFactory, ModeratorFactory
from tests.test_mail import SITE, assert_unsubscribe_headers, unsubscribe_link

from .conftest import DATABASE_QUEUE

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_mail_server_receives_the_unsubscribe_headers_unencoded(smtp_server, worker, settings):
    settings.TASKS = DATABASE_QUEUE
    settings.SITE_URL = SITE
    smtp_server.start()
    parent = CommentFactory(email="parent@example.org", notify_replies=True)
    reply = CommentFactory(parent=parent, status=Comment.Status.PENDING)
    services.moderate([reply], Comment.Status.APPROVED, by=ModeratorFactory())
    worker()  # composes the notification, then delivers it
    (raw,) = [e.content for e in smtp_server.mailbox.envelopes if e.rcpt_tos == [parent.email]]
    text = email.message_from_bytes(raw, policy=email.policy.default).get_content()
    assert_unsubscribe_headers(raw, unsubscribe_link(text), b"\r\n")
