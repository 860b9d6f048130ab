"""Logs for operators: one JSON object per line (LOG_FORMAT=json), each request's line with
its id, status and duration, and nothing personal.

A request's id comes from the proxy (nginx's `X-Request-ID`, when it is a plain token) or is
made here; every record logged while the request runs carries it, and the response sends it
back, so that a person's report ("erreur, référence …") finds its lines.

What is never written: e-mail addresses (masked in every message, a traceback's included),
client addresses, query strings, and the path itself, which may hold a secret (e-mail
confirmation, password reset and unsubscribe links carry keys): a request is named by its
URL pattern and view.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

from django.utils.log import AdminEmailHandler

REQUEST_ID_HEADER = "X-Request-ID"
_request_id = contextvars.ContextVar("request_id", default="")
# What we accept from the proxy as an id: a short plain token (nginx's $request_id is 32 hex).
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Any e-mail address, IDN included (local part@domain.tld).
_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[^\s@<>()\[\],;:\"']+")
MASK = "[adresse masquée]"

request_logger = logging.getLogger("notrecontinent.request")


def current_request_id():
    return _request_id.get()


def mask_emails(text):
    return _EMAIL.sub(MASK, text)


class RequestIdFilter(logging.Filter):
    """Give each record the id of the request it was logged in ("" outside requests)."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request id, and the fields a
    record carries in `extra={"fields": {...}}`; e-mail addresses are masked everywhere."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_emails(record.getMessage()),
        }
        if request_id := getattr(record, "request_id", "") or _request_id.get():
            entry["request_id"] = request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = mask_emails(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestLogMiddleware:
    """Outermost middleware: names the request, times it, logs one line when it is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if _ACCEPTED_ID.fullmatch(offered) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            if request_logger.isEnabledFor(logging.INFO):
                match = request.resolver_match
                request_logger.info(
                    "request",
                    extra={
                        "fields": {
                            "method": request.method,
                            "route": "/" + match.route if match else None,
                            "view": match.view_name if match else None,
                            "status": response.status_code,
                            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        }
                    },
                )
            return response
        finally:
            _request_id.reset(token)


class QueuedAdminEmailHandler(AdminEmailHandler):
    """Server errors e-mailed to ADMINS through the mail queue, like every other message:
    the request that failed does not also wait for the mail server."""

    def send_mail(self, subject, message, *args, html_message=None, **kwargs):
        from django.conf import settings
        from django.core.mail import EmailMultiAlternatives

        from .mail import queue_message

        recipients = [a[1] if isinstance(a, list | tuple) else a for a in settings.ADMINS]
        if not recipients:
            return
        email = EmailMultiAlternatives(
            settings.EMAIL_SUBJECT_PREFIX + subject,
            message,
            from_email=settings.SERVER_EMAIL,
            to=recipients,
        )
        if html_message:
            email.attach_alternative(html_message, "text/html")
        try:
            queue_message(email)
        except Exception:  # the database may be what failed: the log keeps the error
            request_logger.warning("Erreur serveur non mise en file pour ADMINS.", exc_info=True)
