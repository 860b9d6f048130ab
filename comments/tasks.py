"""E-mails about comments, sent through Django's tasks framework (JSON-serialisable args),
and the daily purge of commenters' metadata."""

from crontask import cron
from django.tasks import task
from django.urls import reverse

from notrecontinent.mail import absolute_url, one_click_unsubscribe, send_templated
from notrecontinent.textnorm import email_key

from .models import EMAIL_CONFIRMATION_MAX_AGE, Comment


@task
def notify_article_author(comment_id):
    """Tell the article's author that a comment on their article was approved."""
    comment = (
        Comment.objects.visible().select_related("article__author").filter(pk=comment_id).first()
    )
    if comment is None:
        return 0
    author = comment.article.author
    if author is None or not author.is_active or not author.email:
        return 0
    if comment.user_id == author.pk or comment.email_key == email_key(author.email):
        return 0
    return send_templated(
        [author.email],
        subject_template="comments/email/author_notification_subject.txt",
        body_template="comments/email/author_notification.txt",
        context={
            "comment": comment,
            "article": comment.article,
            "author": author,
            "comment_url": absolute_url(comment.get_absolute_url()),
        },
    )


@task
def notify_reply(comment_id):
    """Tell the commenter answered by an approved reply, if they asked to be told."""
    comment = (
        Comment.objects.visible()
        .select_related("article", "reply_to", "parent")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    answered = comment.reply_to or comment.parent
    if (
        answered is None
        or not answered.notify_replies
        or not answered.email
        or not answered.is_approved
        or answered.email_key == comment.email_key
    ):
        return 0
    unsubscribe_url = absolute_url(
        reverse("comments:unsubscribe", kwargs={"token": answered.unsubscribe_token()})
    )
    return send_templated(
        [answered.email],
        subject_template="comments/email/reply_notification_subject.txt",
        body_template="comments/email/reply_notification.txt",
        context={
            "comment": comment,
            "answered": answered,
            "article": comment.article,
            "comment_url": absolute_url(comment.get_absolute_url()),
            "unsubscribe_url": unsubscribe_url,
        },
        headers=one_click_unsubscribe(unsubscribe_url),
    )


@task
def send_email_confirmation(comment_id):
    """Send an anonymous commenter the link that proves the comment's address is theirs."""
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or not comment.email or comment.is_email_confirmed:
        return 0
    confirm_url = absolute_url(
        reverse("comments:confirm_email", kwargs={"token": comment.email_confirmation_token()})
    )
    return send_templated(
        [comment.email],
        subject_template="comments/email/email_confirmation_subject.txt",
        body_template="comments/email/email_confirmation.txt",
        context={
            "comment": comment,
            "article": comment.article,
            "confirm_url": confirm_url,
            "valid_days": EMAIL_CONFIRMATION_MAX_AGE // (24 * 60 * 60),
        },
    )


@cron("15 3 * * *")
@task
def purge_comment_metadata():
    """Every night: comments older than 90 days lose their IP address and browser."""
    return Comment.objects.purge_metadata()
