"""What an article page shows of its comments: the page of threads, built in Python.

A page costs two queries, and their cost depends on the article, never on the size of
the site: the counts of visible comments and of threads (one scan of the article's
entries in comment_article_status_idx), then every comment of the page's threads (found
by comment_thread_roots_idx, read through comment_thread_idx), which are then arranged
into trees here.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from .models import THREAD_ROOT, Comment

THREADS_PER_PAGE = 50
PAGE_PARAM = "commentaires"
REPLY_PARAM = "repondre"
SESSION_KEY = "comments_mine"
SESSION_KEEP = 50
DISPLAY_FIELDS = (
    "id",
    "parent_id",
    "reply_to_id",
    "depth",
    "name",
    "body",
    "status",
    "created_at",
    "edited_at",
    "user_id",
    "moderated_at",
)


def remember(request, comment):
    """Let this browser see its own comment while it waits for moderation, and its
    author edit or delete it (an anonymous comment: nothing else grants the right)."""
    ids = [pk for pk in request.session.get(SESSION_KEY, []) if pk != comment.pk]
    request.session[SESSION_KEY] = (ids + [comment.pk])[-SESSION_KEEP:]


def remembered(request):
    ids = request.session.get(SESSION_KEY, []) if hasattr(request, "session") else []
    return [pk for pk in ids if isinstance(pk, int)]


def _shown(mine):
    """Comments this reader sees: approved ones, and their own waiting ones."""
    return Q(status=Comment.Status.APPROVED) | Q(
        status__in=(Comment.Status.PENDING, Comment.Status.SPAM), pk__in=mine
    )


def thread_roots(article, mine=()):
    """Top-level comments that open a thread this reader sees, newest first.

    A hidden top-level comment still opens a thread when a reply under it is shown: it
    is then displayed as a placeholder.
    """
    shown = _shown(mine)
    replies = Comment.objects.filter(thread=OuterRef("pk"))
    return (
        Comment.objects.on_article(article)
        .top_level()
        .filter(shown | Exists(replies.filter(shown)))
        .order_by("-created_at", "-pk")
    )


@dataclass
class Node:
    """A comment in a thread, as this reader sees it.

    `is_shown`: the reader sees its text, because it is approved or because it is their
    own comment waiting for moderation. A comment not shown stays in the tree only when a
    reply under it is shown, as a placeholder.
    """

    comment: Comment
    is_shown: bool
    children: list = field(default_factory=list)
    reply_to: Comment | None = None
    # This reader wrote it (Comment.owned_by): they may delete it, and edit it when
    # `can_edit` (the window is open, no visible reply, comments open).
    is_own: bool = False
    can_edit: bool = False

    @property
    def is_placeholder(self):
        return not self.is_shown

    @property
    def is_waiting(self):
        """Shown to this reader only: their own comment, not approved yet."""
        return self.is_shown and not self.comment.is_approved


@dataclass
class CommentSection:
    article: object
    count: int
    threads: list
    page: object
    reply_to: Comment | None
    nodes: dict
    is_open: bool = True

    @property
    def is_paginated(self):
        return self.page.paginator.num_pages > 1


def _prune(node):
    node.children = [child for child in node.children if _prune(child)]
    return node.is_shown or bool(node.children)


def build(article, *, request, is_open=True):
    mine = remembered(request)
    user = getattr(request, "user", None)
    # A thread is listed when one of its comments is shown to this reader.
    counts = Comment.objects.on_article(article).aggregate(
        visible=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
        threads=Count(THREAD_ROOT, filter=_shown(mine), distinct=True),
    )
    paginator = Paginator(range(counts["threads"]), THREADS_PER_PAGE)
    page = paginator.get_page(request.GET.get(PAGE_PARAM))
    offset = (page.number - 1) * THREADS_PER_PAGE
    page_roots = thread_roots(article, mine).values("pk")[offset : offset + THREADS_PER_PAGE]
    rows = Comment.objects.only(*DISPLAY_FIELDS).in_threads(page_roots).order_by("created_at", "pk")
    shown_ids = set(mine)
    nodes = {}
    for comment in rows:
        is_shown = comment.is_approved or (
            comment.pk in shown_ids
            and comment.status in (Comment.Status.PENDING, Comment.Status.SPAM)
        )
        nodes[comment.pk] = Node(comment, is_shown)
    threads = []
    for node in nodes.values():
        comment = node.comment
        if comment.parent_id is None:
            threads.append(node)
        elif comment.parent_id in nodes:
            nodes[comment.parent_id].children.append(node)
        answered = nodes.get(comment.reply_to_id)
        if comment.reply_to_id != comment.parent_id and answered and answered.is_shown:
            node.reply_to = answered.comment
    threads = [node for node in reversed(threads) if _prune(node)]
    _mark_own(nodes, user=user, mine=shown_ids, is_open=is_open)
    return CommentSection(
        article=article,
        count=counts["visible"],
        threads=threads,
        page=page,
        reply_to=_reply_target(request, nodes),
        nodes=nodes,
        is_open=is_open,
    )


def _mark_own(nodes, *, user, mine, is_open):
    """Which comments this reader wrote, and which they may still edit (the rules of
    comments.services.check_editable, read from the nodes: no query)."""
    if not mine and not (user is not None and user.is_authenticated):
        return
    answered = set()
    for node in nodes.values():
        if node.comment.is_approved:
            answered |= {node.comment.parent_id, node.comment.reply_to_id}
    now = timezone.now()
    for node in nodes.values():
        comment = node.comment
        if node.is_shown and comment.owned_by(user=user, session_ids=mine):
            node.is_own = True
            node.can_edit = (
                is_open
                and now < comment.editable_until
                and comment.pk not in answered
                and comment.status != Comment.Status.REMOVED
                and not (comment.status == Comment.Status.SPAM and comment.moderated_at)
            )


def _reply_target(request, nodes):
    try:
        pk = int(request.GET.get(REPLY_PARAM, ""))
    except ValueError:
        return None
    node = nodes.get(pk)
    return node.comment if node and node.comment.is_approved else None


def page_number_of(comment, mine=()):
    """The page of threads on which a comment appears (1 for a new thread)."""
    root = comment.thread if comment.thread_id else comment
    newer = (
        thread_roots(comment.article_id, mine)
        .filter(Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, pk__gt=root.pk))
        .count()
    )
    return newer // THREADS_PER_PAGE + 1
