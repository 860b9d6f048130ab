"""The comments' part of `manage.py generate_dataset` (see articles/dataset.py)."""

import datetime
import functools
from bisect import bisect_left
from collections import Counter
from itertools import accumulate

from django.core.management.base import CommandError
from django.utils.translation import gettext, ngettext

from articles import dataset_words as words
from articles.dataset import Writer, ascii_slug, ip_address, next_id
from notrecontinent.textnorm import email_key

from .models import MAX_DEPTH, Comment

# Comment counts of the few articles that draw a crowd, taken while they fit in a tenth
# of --comments.
HOT_THREADS = [5000, 4200, 3500, 2800, 2200, 1800, 1500, 1200, 1000, 800, 700, 600]


def add_arguments(parser):
    parser.add_argument("--comments", type=int, default=10000, help="Nombre de commentaires.")


def check(options):
    if options["comments"] < 0:
        raise CommandError(gettext("Le nombre de commentaires doit être positif."))
    if options["comments"] and options["articles"] < 20:
        raise CommandError(gettext("Il faut au moins 20 articles pour générer des commentaires."))


def generate(dataset):
    dataset.comment_ids = _comments(
        dataset,
        dataset.published,
        dataset.options["comments"],
        dataset.authors,
        dataset.moderator,
    )
    count = len(dataset.comment_ids)
    dataset.summary.append(
        ngettext("%(count)d commentaire", "%(count)d commentaires", count) % {"count": count}
    )


@functools.cache
def commenter(n):
    """The name and e-mail of the n-th reader who comments without an account."""
    first = words.FIRST_NAMES[n % len(words.FIRST_NAMES)]
    last = words.LAST_NAMES[(n // len(words.FIRST_NAMES)) % len(words.LAST_NAMES)]
    return f"{first} {last[0]}.", f"{ascii_slug(first)}.{ascii_slug(last)}{n}@example.org"


def _comments(dataset, published, count, authors, moderator):
    """Threads three levels deep; a few articles hold thousands of comments."""
    if not count or not published:
        return range(0)
    rng = dataset.rng("comments")
    writer = Writer(rng)
    pool = [writer.sentence() for _ in range(2000)]
    by_rank = sorted(range(len(published)), key=lambda i: (-published[i][2], i))
    hot, used = {}, 0
    for size in HOT_THREADS:
        if used + size > count // 10 or len(hot) == len(published):
            break
        hot[by_rank[len(hot)]] = size
        used += size
    if not hot:
        hot[by_rank[0]] = count // 5
        used = count // 5
    # The rest follows popularity, capped so that no other article draws a crowd.
    cap = sorted(p[2] for p in published)[int(len(published) * 0.99)]
    cumulative = list(
        accumulate(0.0 if i in hot else min(p[2], cap) for i, p in enumerate(published))
    )
    per_article = Counter(
        bisect_left(cumulative, rng.random() * cumulative[-1]) for _ in range(count - used)
    )
    per_article.update(hot)
    identities = max(50, count // 20)
    first_id = next_id(Comment)
    end = [first_id]

    key_of = functools.cache(email_key)  # a few thousand identities write a million comments

    def rows():
        pk = first_id
        for index in sorted(per_article):
            article, published_at, _ = published[index]
            n = per_article[index]
            # Within two weeks of publication, and before the anchor.
            window = max(0, min((dataset.anchor - published_at).total_seconds() - 60, 14 * 86400))
            times = sorted(rng.random() * window for _ in range(n))
            # Approved comments of this article, as (id, depth, parent, thread): reply targets.
            approved = []
            for offset in times:
                reply_to = parent = thread = None
                depth = 1
                if approved and rng.random() < 0.5:
                    # Replies go mostly to recent comments.
                    target = approved[
                        len(approved) - 1 - min(len(approved) - 1, int(rng.expovariate(0.1)))
                    ]
                    reply_to = target[0]
                    thread = target[3] or target[0]  # a top-level target opens the thread
                    if target[1] >= MAX_DEPTH:
                        parent, depth = target[2], MAX_DEPTH
                    else:
                        parent, depth = target[0], target[1] + 1
                draw = rng.random()
                if draw < 0.92:
                    status = Comment.Status.APPROVED
                elif draw < 0.96:
                    status = Comment.Status.PENDING
                elif draw < 0.99:
                    status = Comment.Status.SPAM
                else:
                    status = Comment.Status.REMOVED
                if status == Comment.Status.APPROVED:
                    approved.append((pk, depth, parent, thread))
                created_at = published_at + datetime.timedelta(seconds=30 + offset)
                if rng.random() < 0.15:
                    user, name, email = rng.choice(authors)
                else:
                    user = None
                    who = min(identities - 1, int(identities * rng.random() ** 3))
                    name, email = commenter(who)
                opener = rng.choice(words.COMMENT_OPENERS) + " " if rng.random() < 0.5 else ""
                separator = "\n" if rng.random() < 0.2 else " "
                body = opener + separator.join(rng.choices(pool, k=rng.randrange(1, 4)))
                moderated = status in (Comment.Status.SPAM, Comment.Status.REMOVED)
                yield (
                    pk, article, parent, reply_to, thread, depth, user, name, email, key_of(email),
                    body, status,
                    rng.random() < 0.05,
                    ip_address(rng), rng.choice(words.USER_AGENTS), created_at,
                    moderator if moderated else None,
                    created_at + datetime.timedelta(hours=2) if moderated else None,
                )  # fmt: skip
                pk += 1
        end[0] = pk

    columns = [
        "id", "article_id", "parent_id", "reply_to_id", "thread_id", "depth", "user_id", "name", "email",
        "email_key", "body", "status", "notify_replies", "ip_address", "user_agent", "created_at",
        "moderated_by_id", "moderated_at",
    ]  # fmt: skip
    dataset.loader.load(Comment, columns, rows(), count, gettext("Commentaires"))
    return range(first_id, end[0])
