"""Workflows on a commenter's data that span comments and reports (export, erasure)."""

from django.db import transaction
from django.db.models import Q

from .models import Comment, Report

ANONYMOUS_NAME = "Anonyme"


def _comments_of(*, email=None, user=None):
    query = Q()
    if email and email.strip():
        query |= Q(email__iexact=email.strip())
    if user is not None and user.pk is not None:
        query |= Q(user=user)
        if user.email:
            query |= Q(email__iexact=user.email)
    if not query:
        return Comment.objects.none()
    return Comment.objects.filter(query)


def export_commenter_data(*, email=None, user=None) -> list[dict]:
    """Everything kept about a commenter's comments, JSON-serialisable, oldest first."""
    comments = (
        _comments_of(email=email, user=user).select_related("article").order_by("created_at", "pk")
    )
    return [
        {
            "id": c.pk,
            "article": c.article.title,
            "article_url": c.article.get_absolute_url(),
            "parent_id": c.parent_id,
            "name": c.name,
            "email": c.email,
            "body": c.body,
            "status": c.status,
            "notify_replies": c.notify_replies,
            "ip_address": c.ip_address,
            "user_agent": c.user_agent,
            "created_at": c.created_at.isoformat(),
        }
        for c in comments
    ]


@transaction.atomic
def erase_commenter_data(*, email=None, user=None) -> int:
    """Anonymise a commenter's comments and keep the threads; returns how many were anonymised."""
    count = _comments_of(email=email, user=user).update(
        name=ANONYMOUS_NAME,
        email="",
        ip_address=None,
        user_agent="",
        user=None,
        notify_replies=False,
    )
    if user is not None and user.pk is not None:
        Report.objects.filter(reporter=user).update(reporter=None, ip_address=None)
    return count
