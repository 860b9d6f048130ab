"""The publication workflow where it reaches beyond the article: e-mails.

The site's views and the admin's actions call these functions, so that a submission,
a publication or a refusal behaves the same wherever it happens. The status change is
the model's (`article.publish(by=...)`); the e-mail is a task of Django's tasks
framework, enqueued once the transaction commits, with JSON arguments only (ids and
text) so that a queue backend can run it in a worker.
"""

from django.db import transaction
from django.tasks import task
from django.urls import reverse

from notrecontinent.mail import absolute_url, send_templated, staff_with_perm

from .models import Article


def submit(article):
    article.submit()
    _after_commit(notify_moderators_of_submission, article.pk)


def publish(article, *, by):
    article.publish(by=by)
    _after_commit(notify_author_of_publication, article.pk)


def reject(article, *, by, reason):
    article.reject(by=by, reason=reason)
    _after_commit(notify_author_of_rejection, article.pk, article.rejection_reason)


def moderator_emails():
    """Who is told of a submission: active staff who may publish articles."""
    return (
        staff_with_perm("articles.moderate_article")
        .order_by("email")
        .values_list("email", flat=True)
    )


@task
def notify_moderators_of_submission(article_id):
    article = Article.objects.select_related("author", "category").filter(pk=article_id).first()
    if article is None or article.status != Article.Status.SUBMITTED:
        return 0
    author_email = article.author.email if article.author else ""
    recipients = [email for email in moderator_emails() if email != author_email]
    return _send(
        "article_submitted",
        recipients,
        article=article,
        review_url=absolute_url(reverse("admin:articles_article_change", args=[article.pk])),
        preview_url=absolute_url(reverse("articles:preview", args=[article.pk])),
    )


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


def _after_commit(notify, *args):
    # A worker must find the change committed; a rolled-back change sends nothing.
    transaction.on_commit(lambda: notify.enqueue(*args), robust=True)


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


# An author's data, for the account's export -----------------------------------------


def export_author_data(user) -> list[dict]:
    """Every article of an author, in every state, JSON-serialisable, oldest first."""
    articles = (
        Article.objects.by_author(user)
        .with_view_totals()
        .select_related("category")
        .order_by("created_at")
    )
    return [
        {
            "title": article.title,
            "slug": article.slug,
            "url": article.get_absolute_url() if article.is_public else None,
            "status": article.status,
            "category": article.category.name,
            "summary": article.summary,
            "body": article.body,
            "creator_credit": article.creator_credit,
            "cover_image": article.cover_image.url if article.cover_image else "",
            "cover_caption": article.cover_caption,
            "cover_credit": article.cover_credit,
            "rejection_reason": article.rejection_reason,
            "created_at": article.created_at.isoformat(),
            "updated_at": article.updated_at.isoformat(),
            "submitted_at": article.submitted_at and article.submitted_at.isoformat(),
            "published_at": article.published_at and article.published_at.isoformat(),
            "views": article.total_views,
        }
        for article in articles
    ]
