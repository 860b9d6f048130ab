"""The e-mails the site sends: rendered where they are decided, delivered by the task worker.

Every message is rendered in the site's language from a subject and a body template,
carries absolute links built on SITE_URL, and goes to one recipient at a time so that
no one sees another person's address.

No request talks to the mail server. A message is queued (`queue_message`) as one
`deliver_email` task, in the transaction of the change it announces; the worker
(`manage.py db_worker`) sends it. What delivery guarantees:

- A message the server refuses for a while (connection refused or lost, timeout, a 4xx
  answer) is tried again later, after 1, 5, 15, 30 minutes, then 1, 2, 4, 8 and 8 hours
  (about a day in all): each try is its own task row, queued by the one before it.
  `manage.py retry_emails` (or the admin action) brings the waiting tries forward once
  the server is back.
- A message the server refuses for good (5xx for the recipient, the sender or the
  content), or still not accepted after the last try, fails: the admin lists it
  (« Résultats des tâches », état « Échec »), with the reason and without the address.
- A message is sent once: a try that failed did not deliver it (the server did not
  accept it), and a try is queued only by the failure of the one before. The one case
  left: the worker dies (or loses its database) between the server's acceptance and
  the write that records it. Its try stays « en cours »; after LOST_AFTER,
  `requeue_lost_deliveries` (a periodic job) tries it again, with the same Message-ID,
  so a second copy can be recognised. Between losing a message and possibly sending
  it twice in that instant, we send it twice.
"""

import datetime
import logging
import smtplib
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

# Seconds before the next try, after try 1, 2, ...; after the last, the message fails.
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 30 * 60, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 8 * 3600)
# A try still running after this long was lost with its worker (a try takes seconds: the
# SMTP connection has a timeout, EMAIL_TIMEOUT).
LOST_AFTER = datetime.timedelta(minutes=15)


class EmailDeferred(Exception):
    """This try failed; the next one is queued."""


class EmailNotDelivered(Exception):
    """The message is given up: refused for good, or every try failed."""


class WorkerLost(Exception):
    """The worker running this try stopped before recording its outcome."""


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def staff_with_perm(perm):
    """Active staff holding `perm` (through a group or directly, superusers included)."""
    return (
        get_user_model()
        .objects.with_perm(
            perm, is_active=True, backend="django.contrib.auth.backends.ModelBackend"
        )
        .filter(is_staff=True)
        .exclude(email="")
        .distinct()
    )


class UnfoldedHeader(str):
    """A header value sent as written: on one line, neither folded nor encoded.

    Python's e-mail policies fold a header longer than 78 characters, and a URL, having no
    space to fold at, comes out as RFC 2047 encoded words (=?utf-8?q?=3Chttps=3A//...?=),
    which the mail clients that read List-Unsubscribe (RFC 8058) do not decode: no
    unsubscribe button. A line may be 998 characters long (RFC 5322); this value is
    ASCII, single-line and within that, or refused.
    """

    def __new__(cls, name, value):
        if not value.isascii() or "\r" in value or "\n" in value:
            raise ValueError(f"{name}: an unfolded header is ASCII on one line, not {value!r}")
        if len(name) + 2 + len(value) > 998:
            raise ValueError(f"{name}: longer than a line may be (998 characters)")
        header = super().__new__(cls, value)
        header.name = name  # what tells email.policy to use fold() below
        return header

    def __getnewargs__(self):
        # Copied and pickled whole (the locmem backend deep-copies each message).
        return (self.name, str(self))

    def fold(self, *, policy):
        return f"{self.name}: {self}{policy.linesep}"


# The headers sent as UnfoldedHeader, whoever sets them. A queued message travels as JSON
# (queue_message), where a header is a plain string again: _message() wraps them anew.
UNFOLDED_HEADERS = {"list-unsubscribe", "list-unsubscribe-post"}


def _unfolded(headers):
    return {
        name: UnfoldedHeader(name, value) if name.lower() in UNFOLDED_HEADERS else value
        for name, value in headers.items()
    }


def one_click_unsubscribe(url):
    """Headers that make mail clients offer an unsubscribe button (RFC 2369), which
    unsubscribes with a POST to `url` and no further question (RFC 8058). Checked here,
    where the message is decided: ValueError for a URL that cannot go out unfolded."""
    return _unfolded(
        {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    )


def send_templated(recipients, *, subject_template, body_template, context, headers=None):
    """Queue one message per address in `recipients`; returns how many were queued."""
    if not recipients:
        return 0
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(subject_template, context)
        body = render_to_string(body_template, context)
    subject = settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    # All the messages or none: a task that stops half-way queued nothing.
    with transaction.atomic():
        for address in recipients:
            queue_message(EmailMessage(subject, body, to=[address], headers=headers or {}))
    return len(recipients)


def queue_message(message):
    """Queue `message` for the worker. With the database queue it is part of the current
    transaction: committed with the change it announces, gone if that is rolled back."""
    if message.attachments:
        raise ValueError("Les pièces jointes ne passent pas par la file des e-mails.")
    headers = dict(message.extra_headers)
    # The same Message-ID on every try: a copy sent twice can be recognised as one message.
    headers.setdefault("Message-ID", make_msgid(domain=urlsplit(settings.SITE_URL).hostname))
    data = {
        "subject": str(message.subject),
        "body": str(message.body),
        "content_subtype": message.content_subtype,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": headers,
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }
    return deliver_email.enqueue(data)


def _message(data):
    message = EmailMultiAlternatives(
        data["subject"],
        data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=_unfolded(data["headers"]),
    )
    message.content_subtype = data["content_subtype"]
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def _refused_for_good(error):
    """A 5xx answer about this message (recipient, sender, content) will not change by
    waiting; a server that cannot be reached, or refuses the connection or our login,
    may be fixed, so those are tried again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def _reason(error):
    """What went wrong, without the addresses an SMTP error may quote."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in error.recipients.values()})
        return f"destinataire refusé (SMTP {', '.join(map(str, codes))})"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} (SMTP {error.smtp_code})"
    return type(error).__name__


@task
def deliver_email(data, attempt=1):
    """Send one queued message; on a passing failure, queue the next try (module docstring)."""
    message = _message(data)
    mailer = mailers.default
    try:
        mailer.open()
        sent = mailer.send_messages([message])
    except ValueError:
        # An address Django cannot write into an SMTP envelope (it quotes it: not logged).
        raise EmailNotDelivered("Adresse invalide.") from None
    except (OSError, smtplib.SMTPException) as error:
        reason = _reason(error)
        if _refused_for_good(error):
            raise EmailNotDelivered(f"Refusé par le serveur : {reason}.") from None
        if attempt > len(RETRY_DELAYS) or not deliver_email.get_backend().supports_defer:
            raise EmailNotDelivered(f"Abandonné après {attempt} essais : {reason}.") from None
        retry_at = timezone.now() + datetime.timedelta(seconds=RETRY_DELAYS[attempt - 1])
        deliver_email.using(run_after=retry_at).enqueue(data, attempt + 1)
        raise EmailDeferred(
            f"Essai {attempt} : {reason} ; essai {attempt + 1} à partir de "
            f"{retry_at:%Y-%m-%d %H:%M:%S %Z}."
        ) from None
    finally:
        _close(mailer)
    return {"sent": sent, "attempt": attempt, "message_id": data["headers"]["Message-ID"]}


def _close(mailer):
    # The message was accepted (or not) before QUIT: an error now changes nothing about it.
    try:
        mailer.close()
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("Fermeture de la connexion SMTP : %s", _reason(error))


def _delivery_results():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=deliver_email.module_path)


def retry_waiting_now():
    """Bring every waiting try forward to now (the mail server is back); returns how many."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import get_date_max

    now = timezone.now()
    return (
        _delivery_results()
        .filter(status=TaskResultStatus.READY, run_after__gt=now)
        .exclude(run_after=get_date_max())
        .update(run_after=now)
    )


def requeue_lost_deliveries(*, now=None):
    """Tries left « en cours » by a worker that died: each fails (WorkerLost) and its
    message is queued again. Returns how many."""
    from django_tasks_db.compat import TaskResultStatus

    started_before = (now or timezone.now()) - LOST_AFTER
    lost = list(
        _delivery_results()
        .filter(status=TaskResultStatus.RUNNING, started_at__lt=started_before)
        .values_list("pk", flat=True)
    )
    requeued = 0
    for pk in lost:
        with transaction.atomic():
            row = (
                _delivery_results()
                .select_for_update(skip_locked=True)
                .filter(pk=pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if row is None:
                continue
            args = row.args_kwargs["args"]
            attempt = args[1] if len(args) > 1 else 1
            deliver_email.enqueue(args[0], attempt + 1)
            row.set_failed(WorkerLost(f"Essai {attempt} interrompu ; essai {attempt + 1} en file."))
            requeued += 1
    return requeued
