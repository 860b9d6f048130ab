"""E-mails of the article workflow, sent through Django's tasks framework (JSON-serialisable
args). articles.services queues them once the change they announce is committed."""

import datetime

from crontask import cron
from django.core.cache import cache
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from notrecontinent.mail import absolute_url, send_templated, staff_with_perm

from .models import Article, ArticleVersion
from .readership import QUEUED_KEY, flush_views, refresh_recent_views_once_a_day


def moderator_emails():
    """Who is told of a submission: active staff who may publish articles."""
    return (
        staff_with_perm("articles.moderate_article")
        .order_by("email")
        .values_list("email", flat=True)
    )


@task
def notify_moderators_of_submission(article_id):
    """Tell the moderators an article waits for review: once an hour at most per article
    (Article.objects.claim_submission_notice), claimed here, when the notice goes, so that
    an article withdrawn before its notice went still gets one when submitted again."""
    article = Article.objects.select_related("author", "category").filter(pk=article_id).first()
    if article is None or article.status != Article.Status.SUBMITTED:
        return 0
    return _send_claimed_notice(
        article,
        "article_submitted",
        review_url=absolute_url(reverse("admin:articles_article_change", args=[article.pk])),
        preview_url=absolute_url(reverse("articles:preview", args=[article.pk])),
    )


def _send_claimed_notice(article, template, **context):
    """Send a notice to the moderators (not to the article's author, if one of them) under
    the article's hourly claim; a notice that fails gives its claim back for the retry."""
    author_email = article.author.email if article.author else ""
    recipients = [email for email in moderator_emails() if email != author_email]
    if not recipients:
        return 0
    claimed_at = Article.objects.claim_submission_notice(article.pk)
    if claimed_at is None:
        return 0
    try:
        return _send(template, recipients, article=article, **context)
    except Exception:
        Article.objects.release_submission_notice(article.pk, claimed_at)
        raise


@task
def notify_author_of_publication(article_id):
    article = Article.objects.select_related("author").filter(pk=article_id).first()
    if article is None or not article.is_public:
        return 0
    return _send(
        "article_published",
        _author_address(article),
        article=article,
        article_url=absolute_url(article.get_absolute_url()),
    )


@task
def notify_author_of_rejection(article_id, reason):
    article = Article.objects.select_related("author").filter(pk=article_id).first()
    if article is None:
        return 0
    return _send(
        "article_rejected",
        _author_address(article),
        article=article,
        reason=reason,
        edit_url=absolute_url(reverse("articles:edit", args=[article.pk])),
    )


@task
def notify_moderators_of_correction(article_id):
    """Tell the moderators a correction of a published article waits: once an hour at most
    per article, as a submission (the same claim)."""
    article = Article.objects.select_related("author").filter(pk=article_id).first()
    correction = article.waiting_correction() if article is not None else None
    if correction is None:
        return 0
    return _send_claimed_notice(
        article,
        "correction_proposed",
        correction=correction,
        review_url=absolute_url(reverse("admin:articles_article_correction", args=[article.pk])),
    )


@task
def notify_author_of_correction(article_id, version_id):
    """Tell the author what became of their correction: approved (online) or refused."""
    correction = (
        ArticleVersion.objects.select_related("article__author")
        .filter(pk=version_id, article_id=article_id, kind=ArticleVersion.Kind.CORRECTION)
        .first()
    )
    if correction is None or correction.outcome not in (
        ArticleVersion.Outcome.PUBLISHED,
        ArticleVersion.Outcome.REJECTED,
    ):
        return 0
    article = correction.article
    approved = correction.outcome == ArticleVersion.Outcome.PUBLISHED
    return _send(
        "correction_approved" if approved else "correction_refused",
        _author_address(article),
        article=article,
        correction=correction,
        article_url=absolute_url(article.get_absolute_url()),
        my_articles_url=absolute_url(reverse("articles:my_articles")),
    )


def _author_address(article):
    author = article.author
    return [author.email] if author and author.is_active and author.email else []


def _send(template, recipients, **context):
    return send_templated(
        recipients,
        subject_template=f"articles/emails/{template}_subject.txt",
        body_template=f"articles/emails/{template}_body.txt",
        context=context,
    )


@cron("2 0 * * *")
@task
def refresh_readership(day=None):
    """Just after midnight: the 7-day figures of "Les plus lus" slide to the new day, so
    that no reader's request has to. Also queued by the site for a day (ISO date) the
    scheduler has missed (readership.queue_late_refresh); whichever comes first does it."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    cache.delete(QUEUED_KEY.format(day=today.isoformat()))  # a failure is queued again
    return refresh_recent_views_once_a_day(today)


@cron("*/5 * * * *")
@task
def flush_buffered_views():
    """Views buffered in Redis reach the database even when no request passes to do it
    (a quiet night); a no-op without the buffer."""
    return flush_views()
