"""The reports' part of `manage.py generate_dataset` (see articles/dataset.py)."""

import datetime

from django.utils.translation import gettext, ngettext

from articles.dataset import ip_address

from .models import Report


def generate(dataset):
    count = _reports(
        dataset,
        dataset.published,
        getattr(dataset, "comment_ids", range(0)),
        dataset.authors,
        dataset.moderator,
    )
    dataset.summary.append(
        ngettext("%(count)d signalement", "%(count)d signalements", count) % {"count": count}
    )


def _reports(dataset, published, comment_ids, authors, moderator):
    """A few reports of comments and of articles, half of them already handled."""
    rng = dataset.rng("reports")
    targets = []
    if comment_ids:
        targets += [
            ("comment", rng.choice(comment_ids)) for _ in range(max(3, len(comment_ids) // 10000))
        ]
    if published:
        targets += [
            ("article", rng.choice(published)[0]) for _ in range(max(1, len(published) // 20000))
        ]
    reasons = [choice for choice, _ in Report.Reason.choices]

    def rows():
        for n, (kind, target) in enumerate(targets):
            created_at = dataset.anchor - datetime.timedelta(seconds=rng.randrange(600, 10 * 86400))
            resolved = n % 2 == 1
            yield (
                target if kind == "comment" else None,
                target if kind == "article" else None,
                rng.choice(reasons), "", rng.choice(authors)[0] if rng.random() < 0.5 else None,
                ip_address(rng),
                created_at, resolved, moderator if resolved else None,
                created_at + datetime.timedelta(hours=3) if resolved else None,
            )  # fmt: skip

    columns = [
        "comment_id", "article_id", "reason", "details", "reporter_id", "ip_address",
        "created_at", "is_resolved", "resolved_by_id", "resolved_at",
    ]  # fmt: skip
    dataset.loader.load(Report, columns, rows(), len(targets), gettext("Signalements"))
    return len(targets)
