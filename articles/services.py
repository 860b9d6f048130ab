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
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notrecontinent.images import delete_on_commit
from notrecontinent.tasks import enqueue_on_commit

from . import tasks
from .models import Article, ArticleVersion
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
    A change to a published text is a revision, by the moderator (the history).
    Returns the version under review, if any."""
    stored = Article.objects.filter(pk=article.pk).first() if article.pk else None
    article.save()
    if stored is not None and stored.is_published:
        article.mark_revised(by=by, before=stored.text_snapshot())
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
    """A moderator takes an article offline (or out of review): a draft again, not featured.
    A correction that waited is closed, its proposed cover with it."""
    _locked(article)
    closed = article.mark_sent_back_to_draft(by=by)
    if closed is not None and closed.kind == ArticleVersion.Kind.CORRECTION:
        _discard_proposed_cover(article, closed)


@transaction.atomic
def delete(article):
    """Delete an article and, once that is committed, its cover files, those its history
    (corrections, revisions) names included."""
    delete_on_commit(article.cover_image, article.cover_thumbnail)
    live = {article.cover_image.name, article.cover_thumbnail.name}
    for cover, thumbnail in article.versions.values_list("cover_image", "cover_thumbnail"):
        for field_name, name in (("cover_image", cover), ("cover_thumbnail", thumbnail)):
            if name and name not in live:
                live.add(name)
                delete_on_commit(article.stored_file(field_name, name))
    article.delete()


# Corrections of a published article ------------------------------------------------
#
# The author proposes a correction (a numbered version, kind CORRECTION) while the page
# stays as it is; the author may change it (a new number) or withdraw it; a moderator
# approves it by the number they read, or refuses it with a reason. Every change of the
# published text is a revision (restore_revision brings an earlier one back).


@transaction.atomic
def propose_correction(article, *, by, text, cover=None, note, is_factual, replaces=None):
    """The author proposes a correction of a published article, or changes the one that
    waits (`replaces`: its number, as the author's form showed it; None for a new one).

    `text`: the proposed title, summary, body, cover_caption, cover_credit, creator_credit.
    `cover`: an upload (a new cover), False (no cover), or None (keep the cover of the
    text the form was filled with). A new cover is stored apart from the live files, and
    the files of a proposal that never goes live leave storage once that is committed.
    Returns the new version. Moderators are told, as of a submission."""
    _locked(article)
    waiting = article.waiting_correction()
    if replaces is None and waiting is not None:
        raise ValidationError(
            _(
                "Une correction de cet article attend déjà la relecture : modifiez-la ou retirez-la."
            ),
            code="correction_waiting",
        )
    if replaces is not None and (waiting is None or waiting.number != replaces):
        raise ValidationError(
            _(
                "Cette correction a changé ou n'attend plus depuis que vous avez ouvert la "
                "page : rien n'a été enregistré."
            ),
            code="changed_since_opened",
        )
    if cover is False:
        cover_names = ("", "")
    elif cover:
        cover_names = article.store_proposed_cover(cover)
    elif waiting is not None:
        cover_names = (waiting.cover_image, waiting.cover_thumbnail)
    else:
        cover_names = (article.cover_image.name or "", article.cover_thumbnail.name or "")
    proposal = {
        **{name: text[name] for name in ArticleVersion.TEXT_FIELDS if name != "cover_image"},
        "cover_image": cover_names[0],
        "cover_thumbnail": cover_names[1],
    }
    try:
        if waiting is not None:
            article.mark_correction_withdrawn(outcome=ArticleVersion.Outcome.SUPERSEDED, by=by)
        version = article.mark_correction_proposed(
            by=by, text=proposal, note=note, is_factual=is_factual
        )
    except ValidationError:
        if cover:  # the files just stored belong to nothing, and the rollback keeps no row
            for field_name, name in zip(COVER_FIELDS, cover_names, strict=True):
                article.stored_file(field_name, name).storage.delete(name)
        raise
    if waiting is not None:
        _discard_proposed_cover(article, waiting)
    enqueue_on_commit(tasks.notify_moderators_of_correction, article.pk)
    return version


@transaction.atomic
def withdraw_correction(article):
    """The author takes the waiting correction back; the page never changed."""
    _locked(article)
    closed = article.mark_correction_withdrawn()
    if closed is None:
        raise ValidationError(
            _("Aucune correction de cet article n'attend la relecture."), code="no_correction"
        )
    _discard_proposed_cover(article, closed)
    return closed


@transaction.atomic
def approve_correction(article, *, by, version, is_factual=False, public_note="", notify=True):
    """A moderator approves the waiting correction in the version they read (its number):
    the published text becomes it, a revision. Refused if it has changed since. The page,
    its caches, the feed, the sitemap and the search index follow (Article.save and the
    index's triggers); its author is told."""
    _locked(article)
    correction = article.mark_corrected(
        by=by, version=version, is_factual=is_factual, public_note=public_note
    )
    if notify:
        enqueue_on_commit(tasks.notify_author_of_correction, article.pk, correction.pk)
    return correction


@transaction.atomic
def refuse_correction(article, *, by, version, reason, notify=True):
    """A moderator refuses the waiting correction they read; its author gets the reason."""
    _locked(article)
    correction = article.mark_correction_refused(by=by, version=version, reason=reason)
    _discard_proposed_cover(article, correction)
    if notify:
        enqueue_on_commit(tasks.notify_author_of_correction, article.pk, correction.pk)
    return correction


@transaction.atomic
def restore_revision(article, *, by, version):
    """A moderator makes an earlier revision (its number) the published text: a new
    revision, which says which one it restores."""
    _locked(article)
    return article.mark_restored(by=by, version=version)


COVER_FIELDS = ("cover_image", "cover_thumbnail")


def _discard_proposed_cover(article, version):
    """Remove, once committed, the files of a proposal that did not go live: those neither
    the article nor another of its versions names."""
    named = {article.cover_image.name, article.cover_thumbnail.name}
    for field_name, name in zip(
        COVER_FIELDS, (version.cover_image, version.cover_thumbnail), strict=True
    ):
        if not name or name in named:
            continue
        others = article.versions.exclude(pk=version.pk)
        if others.filter(Q(cover_image=name) | Q(cover_thumbnail=name)).exists():
            continue
        delete_on_commit(article.stored_file(field_name, name))


@transaction.atomic
def delete_unpublished_by(author):
    """What goes with an author's account: every article not online, with its pictures,
    and the corrections waiting for the published ones (which nobody could be told of).
    Published ones stay, signed "Auteur supprimé". Returns how many were deleted."""
    articles = list(Article.objects.by_author(author).exclude(status=Article.Status.PUBLISHED))
    for article in articles:
        delete(article)
    waiting = Article.objects.by_author(author).filter(
        pk__in=ArticleVersion.objects.waiting_corrections().values("article")
    )
    for article in waiting:
        withdraw_correction(article)
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
