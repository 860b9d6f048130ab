"""Workflows that span models or send mail: posting, moderating, a commenter's data."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from notrecontinent import pagecache
from notrecontinent.tasks import enqueue_on_commit
from notrecontinent.textnorm import email_key

from . import policy, tasks
from .models import Comment, Discussion, ModerationSettings

ANONYMOUS_NAME = "Anonyme"
USER_AGENT_MAX = Comment._meta.get_field("user_agent").max_length
HOLD_REASON_MAX = Comment._meta.get_field("hold_reason").max_length


class Refused(Exception):
    """A commenter's request the rules do not allow: `message` says why, in French, and
    `status` is the HTTP status a view answers with."""

    def __init__(self, message, status=409):
        super().__init__(message)
        self.message = message
        self.status = status


NOT_YOURS = _("Ce commentaire n'est pas le vôtre, ou ce navigateur ne l'a pas posté.")
ALREADY_DELETED = _("Ce commentaire a déjà été supprimé.")
NOT_EDITABLE = _("Ce commentaire ne peut plus être modifié.")
WINDOW_OVER = _(
    "Le délai de 15 minutes pour modifier ce commentaire est passé : vous pouvez encore le "
    "supprimer."
)
HAS_REPLIES = _("Ce commentaire a déjà reçu une réponse : il ne peut plus être modifié.")
CLOSED = _("Les commentaires sont fermés.")


def comments_open(article, *, now=None):
    """Whether readers may comment on `article`: a moderator's decision for this article
    (Discussion) if there is one, otherwise the moderation settings' `close_after_days`."""
    decision = Discussion.objects.filter(article=article.pk).values_list("is_open", flat=True)
    for is_open in decision:
        return is_open
    delay = ModerationSettings.load().closes_after()
    if delay is None or article.published_at is None:
        return True
    return (now or timezone.now()) < article.published_at + delay


@transaction.atomic
def set_comments_open(article, is_open, *, by):
    """A moderator closes, or reopens, the comments of one article."""
    Discussion.objects.update_or_create(
        article=article,
        defaults={"is_open": is_open, "changed_by": by, "changed_at": timezone.now()},
    )
    pagecache.changed_article(article.slug)


@transaction.atomic
def forget_comments_decision(article):
    """The article's comments follow the moderation settings' rule again."""
    Discussion.objects.filter(article=article).delete()
    pagecache.changed_article(article.slug)


def _own_comment(pk, *, user, session_ids):
    """The comment, locked for the change, when this reader wrote it; Refused otherwise."""
    comment = Comment.objects.select_for_update().filter(pk=pk).first()
    if comment is None:
        raise Refused(_("Ce commentaire n'existe pas."), status=404)
    if comment.is_deleted:
        raise Refused(ALREADY_DELETED, status=410)
    if not comment.owned_by(user=user, session_ids=session_ids):
        raise Refused(NOT_YOURS, status=403)
    return comment


def check_editable(comment, *, now=None):
    """Refused unless its author may still edit it: within EDIT_WINDOW of posting, no
    visible reply, not removed by a moderator, comments still open."""
    if comment.status == Comment.Status.REMOVED or (
        comment.status == Comment.Status.SPAM and comment.moderated_at is not None
    ):
        raise Refused(NOT_EDITABLE, status=403)
    if (now or timezone.now()) >= comment.editable_until:
        raise Refused(WINDOW_OVER)
    if comment.has_visible_replies():
        raise Refused(HAS_REPLIES)
    if not comment.article.is_public or not comments_open(comment.article):
        raise Refused(CLOSED, status=403)


def editable_comment(pk, *, user, session_ids):
    """For the edit form: the comment, if this reader may edit it now; Refused otherwise."""
    with transaction.atomic():
        comment = _own_comment(pk, user=user, session_ids=session_ids)
        check_editable(comment)
    return comment


def deletable_comment(pk, *, user, session_ids):
    with transaction.atomic():
        return _own_comment(pk, user=user, session_ids=session_ids)


@transaction.atomic
def edit_comment(pk, *, body, user=None, session_ids=()):
    """Its author changes a comment's text: checked again here, under a lock (a reply
    approved or the window closed since the form was shown is refused), then decided
    again by the policy (policy.status_after_edit). Returns the comment."""
    comment = _own_comment(pk, user=user, session_ids=session_ids)
    check_editable(comment)
    policy.check_body(body)
    if user is not None and not user.is_authenticated:
        user = None
    was_approved = comment.is_approved
    decision = policy.status_after_edit(comment, body, user=user)
    comment.body = body
    comment.edited_at = timezone.now()
    comment.status = decision.status
    if decision.reason:
        comment.hold_reason = decision.reason[:HOLD_REASON_MAX]
    comment.save(update_fields=["body", "edited_at", "status", "hold_reason"])
    if comment.is_approved and not was_approved:
        _announce_approval(comment)
    if was_approved or comment.is_approved:
        pagecache.changed_article(comment.article.slug)
    return comment


@transaction.atomic
def delete_comment(pk, *, user=None, session_ids=()):
    """Its author deletes a comment, at any time: its replies stay, under the placeholder
    "Commentaire supprimé par son auteur", and what it said of its author is erased."""
    comment = _own_comment(pk, user=user, session_ids=session_ids)
    was_approved = comment.is_approved
    comment.status = Comment.Status.DELETED
    comment.name = ""
    comment.email = ""
    comment.email_confirmed_at = None
    comment.body = ""
    comment.ip_address = None
    comment.user_agent = ""
    comment.user = None
    comment.notify_replies = False
    comment.hold_reason = ""
    comment.edited_at = timezone.now()
    comment.save()
    if was_approved:
        pagecache.changed_article(comment.article.slug)
    return comment


def _lock_answered(*comments):
    """Lock the comments these answer, before approving them: edit_comment holds the same
    lock while it checks for visible replies, so an edit and the approval of a reply to it
    never both go through."""
    ids = sorted({pk for c in comments for pk in (c.parent_id, c.reply_to_id) if pk})
    if ids:
        list(Comment.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


def _announce_approval(comment):
    """Once the approval is committed, e-mail the article's author and the commenter answered."""
    enqueue_on_commit(tasks.notify_article_author, comment.pk)
    if comment.parent_id:
        enqueue_on_commit(tasks.notify_reply, comment.pk)


@transaction.atomic
def post_comment(
    *,
    article,
    name,
    email,
    body,
    parent=None,
    notify_replies=False,
    user=None,
    ip_address=None,
    user_agent="",
):
    """Store a comment that passed the form's checks, with the status the policy gives it.

    Refused when the article's comments are closed (comments_open)."""
    if not comments_open(article):
        raise Refused(CLOSED, status=403)
    if user is not None and not user.is_authenticated:
        user = None
    comment = Comment(
        article=article,
        user=user,
        name=name,
        email=email,
        body=body,
        notify_replies=notify_replies,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:USER_AGENT_MAX],
    )
    comment.attach_to(parent)
    decision = policy.initial_status(body=body, name=name, email=email, user=user)
    comment.status, comment.hold_reason = decision.status, decision.reason[:HOLD_REASON_MAX]
    if comment.is_approved:
        _lock_answered(comment)
    comment.save()
    if comment.is_approved:
        _announce_approval(comment)
        pagecache.changed_article(article.slug)
    return comment


def request_email_confirmation(comment):
    """E-mail the anonymous commenter a link that proves the comment's address is theirs.

    Returns whether a message was queued: not for a signed-in comment (the account is the
    proof), a confirmed one, spam, nor more than once per address every
    policy.CONFIRMATION_MAIL_SECONDS.
    """
    if (
        comment.user_id is not None
        or not comment.email
        or comment.is_email_confirmed
        or comment.status == Comment.Status.SPAM
        or not policy.may_send_confirmation(comment.email)
    ):
        return False
    enqueue_on_commit(tasks.send_email_confirmation, comment.pk)
    return True


@transaction.atomic
def confirm_email(comment):
    """The commenter clicked the link sent to the comment's address: record the proof and,
    while the comment still waits for its first decision, decide it again with the proof
    (policy.initial_status): it is approved at once when the address has an approved
    comment that was proven too. A moderator's decision is never undone.
    """
    comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
    if comment.email_confirmed_at is None:
        comment.email_confirmed_at = timezone.now()
        comment.save(update_fields=["email_confirmed_at"])
    if comment.is_pending and comment.moderated_at is None:
        decision = policy.initial_status(
            body=comment.body, name=comment.name, email=comment.email, email_confirmed=True
        )
        comment.status, comment.hold_reason = decision.status, decision.reason[:HOLD_REASON_MAX]
        if comment.is_approved:
            _lock_answered(comment)
        comment.save(update_fields=["status", "hold_reason"])
        if comment.is_approved:
            _announce_approval(comment)
            pagecache.changed_article(comment.article.slug)
    return comment


@transaction.atomic
def moderate(comments, status, *, by):
    """Set the status of each comment, recording who decided and when; returns those changed.

    The admin's actions and change form both come here; an approval e-mails the people
    concerned.
    """
    changed = []
    if status == Comment.Status.APPROVED:
        comments = list(comments)
        _lock_answered(*comments)
    for comment in comments:
        # What its author deleted is gone: its text and author were erased.
        if comment.status == status or comment.is_deleted:
            continue
        was_approved = comment.is_approved
        comment.set_status(status, by=by)
        if comment.is_approved and not was_approved:
            _announce_approval(comment)
        changed.append(comment)
    _pages_changed({c.article_id for c in changed})
    return changed


def _pages_changed(article_ids):
    """The pages cached for readers of these articles show their comments as they are now."""
    if article_ids:
        for slug in Article.objects.filter(pk__in=article_ids).values_list("slug", flat=True):
            pagecache.changed_article(slug)


def _comments_of(*, email=None, user=None):
    query = Q()
    if key := email_key(email):
        query |= Q(email_key=key)
    if user is not None and user.pk is not None:
        # Only what the account posted while signed in: anyone can type an address into
        # the anonymous form, so an account's export never carries those comments' IPs.
        query |= Q(user=user)
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
            "hold_reason": c.hold_reason,
            "notify_replies": c.notify_replies,
            "ip_address": c.ip_address,
            "user_agent": c.user_agent,
            "created_at": c.created_at.isoformat(),
            "edited_at": c.edited_at.isoformat() if c.edited_at else None,
        }
        for c in comments
    ]


@transaction.atomic
def erase_commenter_data(*, email=None, user=None) -> int:
    """Anonymise a commenter's comments and keep the threads; returns how many were anonymised."""
    count = _comments_of(email=email, user=user).update(
        name=ANONYMOUS_NAME,
        email="",
        email_key="",
        email_confirmed_at=None,
        ip_address=None,
        user_agent="",
        user=None,
        notify_replies=False,
    )
    if count:
        # Their names on article pages: which articles does not matter, it is rare.
        pagecache.changed_site()
    return count
