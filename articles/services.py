"""The article workflow: every change of an article's status, with all its effects.

One function per change, and the only way into it: the contributor's views, the admin's
actions and change form, and the management commands call these. Each runs in a
transaction and does the whole change:

- the status, through the guarded transition of the model (`Article.mark_*`), which
  checks the change is allowed against the article as it is in the database (its row
  locked) and saves it with the record of its version (ArticleVersion: each submission
  is numbered, and a moderator publishes the number they read); nothing else calls
  those or sets `status`;
- the e-mails (articles/tasks.py), queued once the change is committed; `notify=False`
  leaves them out where nobody should be told (the demo content);
- the cover files, removed from storage once a deletion is committed;
- the cached widgets ("Les plus lus"), which Article.save() and delete() drop, and the
  pages cached for readers (notrecontinent.pagecache), which they announce changed.

An author's part of the account's data export is here too (export_author_data); the
account's deletion calls delete_unpublished_by.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from notrecontinent.images import delete_on_commit
from notrecontinent.tasks import enqueue_on_commit

from . import tasks
from .models import Article
from .readership import flush_views


def _locked(article):
    """Lock the article's row for the transaction and read it again: a change is checked
    against the article as it is now, not as the caller read it earlier (a bulk action's
    selection, a page opened minutes ago). SQLite takes its one write lock at BEGIN."""
    try:
        article.refresh_from_db(from_queryset=Article.objects.select_for_update())
    except Article.DoesNotExist:
        raise ValidationError(_("Cet article a été supprimé."), code="deleted") from None


@transaction.atomic
def submit(article, *, notify=True):
    """The author sends a draft or a refused article for review: a new numbered version
    of its text. Moderators are told, once an hour at most (tasks.py). Returns the version."""
    _locked(article)
    version = article.mark_submitted()
    if notify:
        enqueue_on_commit(tasks.notify_moderators_of_submission, article.pk)
    return version


@transaction.atomic
def withdraw(article):
    """The author takes an article back from review: it is a draft again."""
    _locked(article)
    article.mark_withdrawn()


@transaction.atomic
def edit(article, *, by):
    """A moderator saves a change to an article (the admin's change form). A change to a
    text under review is a new version, by the moderator: the one to read and publish.
    Returns the version under review, if any."""
    article.save()
    return article.mark_edited(by=by)


@transaction.atomic
def publish(article, *, by, version, notify=True):
    """A moderator publishes a submitted article in the version they read (its number);
    refused if the text has changed since. Its author is told."""
    _locked(article)
    article.mark_published(by=by, version=version)
    if notify:
        enqueue_on_commit(tasks.notify_author_of_publication, article.pk)


@transaction.atomic
def reject(article, *, by, reason, notify=True):
    """A moderator refuses a submitted article; its author gets the reason."""
    _locked(article)
    article.mark_rejected(by=by, reason=reason)
    if notify:
        enqueue_on_commit(tasks.notify_author_of_rejection, article.pk, article.rejection_reason)


@transaction.atomic
def feature(article, *, by):
    _locked(article)
    article.mark_featured(True, by=by)


@transaction.atomic
def unfeature(article, *, by):
    _locked(article)
    article.mark_featured(False, by=by)


@transaction.atomic
def send_back_to_draft(article, *, by):
    """A moderator takes an article offline (or out of review): a draft again, not featured."""
    _locked(article)
    article.mark_sent_back_to_draft(by=by)


@transaction.atomic
def delete(article):
    """Delete an article and, once that is committed, its cover files."""
    delete_on_commit(article.cover_image, article.cover_thumbnail)
    article.delete()


@transaction.atomic
def delete_unpublished_by(author):
    """What goes with an author's account: every article not online, with its pictures.
    Published ones stay, signed "Auteur supprimé". Returns how many were deleted."""
    articles = list(Article.objects.by_author(author).exclude(status=Article.Status.PUBLISHED))
    for article in articles:
        delete(article)
    return len(articles)


# An author's data, for the account's export -----------------------------------------


def export_author_data(user) -> list[dict]:
    """Every article of an author, in every state, JSON-serialisable, oldest first."""
    flush_views()
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
