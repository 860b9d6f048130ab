"""The moderators' digest (every morning) and the nightly purge of reporters' addresses,
through Django's tasks framework.

It lives here, above comments, because it sums up both queues: comments waiting for a
decision and reports nobody has handled.
"""

from crontask import cron
from django.tasks import task
from django.urls import reverse

from comments.models import Comment
from notrecontinent.mail import absolute_url, send_templated, staff_with_perm

from .models import Report

DIGEST_LIST_SIZE = 20


def moderators():
    """Active staff who may moderate comments and have an e-mail address."""
    return staff_with_perm("comments.moderate_comment")


@cron("0 7 * * *")
@task
def send_moderation_digest():
    """E-mail each moderator what waits: pending comments and unresolved reports."""
    pending = Comment.objects.in_moderation().select_related("article").order_by("created_at")
    pending_count, report_count = pending.count(), Report.objects.open().count()
    if not pending_count and not report_count:
        return 0
    context = {
        "pending_count": pending_count,
        "report_count": report_count,
        "oldest": list(pending[:DIGEST_LIST_SIZE]),
        "queue_url": absolute_url(
            reverse("admin:comments_comment_changelist") + "?status__exact=pending"
        ),
        "reports_url": absolute_url(
            reverse("admin:reports_report_changelist") + "?is_resolved__exact=0"
        ),
    }
    sent = 0
    for moderator in moderators():
        sent += send_templated(
            [moderator.email],
            subject_template="reports/email/moderation_digest_subject.txt",
            body_template="reports/email/moderation_digest.txt",
            context={**context, "moderator": moderator},
        )
    return sent


@cron("20 3 * * *")
@task
def purge_report_metadata():
    """Every night: reports older than 90 days lose their IP address."""
    return Report.objects.purge_metadata()
