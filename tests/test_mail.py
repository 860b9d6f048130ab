"""notrecontinent/mail.py: the site's e-mails as they leave, byte for byte."""

import email
import email.policy
import re

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse

from comments import services
from comments.models import Comment
from notrecontinent.mail import UnfoldedHeader, one_click_unsubscribe
from tests.factories import CommentFactory, ModeratorFactory

SITE = "https://www.notrecontinent.com"


def unsubscribe_link(text):
    before, after = reverse("comments:unsubscribe", kwargs={"token": "T"}).split("T", 1)
    link = re.search(re.escape(SITE + before) + r"[^/\s]+" + re.escape(after), text)
    assert link, text
    return link.group(0)


@pytest.fixture
def notify_reply(db, settings, django_capture_on_commit_callbacks):
    """Approve a reply to a commenter who asked to be told of replies: the notification
    carries a one-click unsubscribe link."""
    settings.SITE_URL = SITE

    def run():
        parent = CommentFactory(email="parent@example.org", notify_replies=True)
        reply = CommentFactory(parent=parent, status=Comment.Status.PENDING)
        with django_capture_on_commit_callbacks(execute=True):
            services.moderate([reply], Comment.Status.APPROVED, by=ModeratorFactory())

    return run


def assert_unsubscribe_headers(raw, url, linesep):
    header = b"List-Unsubscribe: <" + url.encode() + b">" + linesep
    assert len(header) > 78  # past the length where e-mail policies fold and encode
    assert header in raw
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" + linesep in raw
    assert b"=?" not in b"".join(line for line in raw.split(linesep) if line.startswith(b"List-"))
    # And what a mail client reads back.
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["List-Unsubscribe"] == f"<{url}>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_smtp_bytes_carry_the_unsubscribe_headers_unencoded(notify_reply):
    notify_reply()
    (message,) = [m for m in mail.outbox if m.to == ["parent@example.org"]]
    # What Django's SMTP backend hands to the server.
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    assert_unsubscribe_headers(raw, unsubscribe_link(message.body), b"\r\n")


def test_a_real_backend_writes_them_unencoded(notify_reply, settings, tmp_path):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        }
    }
    notify_reply()
    # One file per message sent (the article's author is told too).
    (raw,) = [
        data
        for data in (path.read_bytes() for path in (tmp_path / "mail").iterdir())
        if b"\nTo: parent@example.org\n" in data
    ]
    text = email.message_from_bytes(raw, policy=email.policy.default).get_content()
    assert_unsubscribe_headers(raw, unsubscribe_link(text), b"\n")


def test_without_it_python_would_encode_them():
    """Why UnfoldedHeader exists: the same header as a plain string comes out encoded."""
    url = SITE + "/commentaires/desinscription/" + "x" * 80 + "/"
    plain = EmailMessage(
        "Sujet", "Texte", to=["a@example.org"], headers={"List-Unsubscribe": f"<{url}>"}
    )
    assert b"List-Unsubscribe: =?utf-8?" in plain.message(policy=email.policy.SMTP).as_bytes()
    unfolded = EmailMessage(
        "Sujet", "Texte", to=["a@example.org"], headers=one_click_unsubscribe(url)
    )
    assert (
        f"List-Unsubscribe: <{url}>\r\n".encode()
        in unfolded.message(policy=email.policy.SMTP).as_bytes()
    )


@pytest.mark.parametrize(
    "value",
    [
        "<https://exemple.org/a>\r\nBcc: tous@example.org",  # a header injected
        "<https://exemple.org/a>\nX: y",
        "<https://exemplé.org/>",  # not ASCII: it would have to be encoded
        "<https://exemple.org/" + "a" * 980 + ">",  # longer than a line may be
    ],
)
def test_an_unfolded_header_is_one_ascii_line_or_nothing(value):
    with pytest.raises(ValueError):
        UnfoldedHeader("List-Unsubscribe", value)
