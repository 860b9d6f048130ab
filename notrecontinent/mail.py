"""The e-mails the site sends itself (workflow notices, comment notifications).

Every message is rendered in the site's language from a subject and a body template,
carries absolute links built on SITE_URL, and goes to one recipient at a time so that
no one sees another person's address.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.utils import translation


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


def send_templated(recipients, *, subject_template, body_template, context, headers=None):
    """Send one message per address in `recipients`; returns how many were sent."""
    if not recipients:
        return 0
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(subject_template, context)
        body = render_to_string(body_template, context)
    subject = settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    messages = [
        EmailMessage(subject, body, to=[address], headers=headers or {}) for address in recipients
    ]
    return mailers.default.send_messages(messages)
