"""A reporter's own data, for the account's export and deletion."""

from .models import Report


def export_reporter_data(user) -> list[dict]:
    """The reports an account filed, JSON-serialisable, oldest first."""
    reports = (
        Report.objects.filter(reporter=user)
        .select_related("comment__article", "article")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": report.pk,
            "target": "comment" if report.comment_id else "article",
            "target_url": report.target.get_absolute_url(),
            "reason": report.reason,
            "details": report.details,
            "ip_address": report.ip_address,
            "created_at": report.created_at.isoformat(),
            "is_resolved": report.is_resolved,
        }
        for report in reports
    ]


def erase_reporter_data(user) -> int:
    """Unlink an account from the reports it filed; the reports stay for the moderators."""
    return Report.objects.filter(reporter=user).update(reporter=None, ip_address=None)
