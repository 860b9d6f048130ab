"""The data of `manage.py generate_dataset`, and the articles' part of it.

Each app that has data to generate has a `dataset` module with `generate(dataset)` and,
when it takes options, `add_arguments(parser)` and `check(options)`; the command runs
them in the order of INSTALLED_APPS, so an app finds what the apps it builds on have
made (the published articles, the authors) on the Dataset, and no app imports one built
on it. This module holds what they share: the French-like text (Writer), the progress
bar, the bulk Loader.

Rows are written in bulk, never through save(): COPY on PostgreSQL, executemany in
batches on SQLite. So everything save() or a service would do is done here by
construction: bodies are generated already clean (what articles.sanitizer returns),
slugs are unique, published articles have a date, the Readership rollup follows the
day rows. The same seed on the same database gives the same rows; dates count back from
--today (default: today), the only input that is not the seed.
"""

import argparse
import datetime
import random
import time
import unicodedata
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext

from . import dataset_words as words
from .management.commands._demo_content import CATEGORIES
from .models import Article, ArticleVersion, Category, DailyViews, Readership

User = get_user_model()

ARCHIVE_DAYS = 3 * 365
# PostgreSQL: from this many rows, a table's secondary indexes are built after the load.
REBUILD_INDEXES_FROM = 50_000
# SQLite: rows per executemany.
SQLITE_BATCH = 2000
KIND_CYCLE = [
    User.Kind.PARTICULIER,
    User.Kind.ASSOCIATION,
    User.Kind.ONG,
    User.Kind.PROFESSIONNEL,
    User.Kind.PARTICULIER,
    User.Kind.PARTICULIER,
    User.Kind.ASSOCIATION,
    User.Kind.ONG,
    User.Kind.PARTICULIER,
    User.Kind.PROFESSIONNEL,
]


def zipf_weights(n, exponent=1.0):
    """Cumulative weights of rank 1..n ∝ 1/rank^exponent, for random.choices."""
    return list(accumulate(1.0 / (rank**exponent) for rank in range(1, n + 1)))


def ascii_slug(text):
    return slugify(unicodedata.normalize("NFKD", text)) or "x"


def ip_address(rng):
    bits = rng.getrandbits(24)
    return f"41.{bits >> 16}.{(bits >> 8) & 255}.{(bits & 255) or 1}"


def capitalise(text):
    return text[:1].upper() + text[1:]


class Writer:
    """French-like text from the vocabulary of _dataset_words, drawn from one Random.

    A writer may be given a topic: the dozen nouns it writes about. Adjectives, verbs and
    places are shared by all.
    """

    def __init__(self, rng, nouns=words.NOUNS):
        self.rng = rng
        self.nouns = nouns
        self.noun_cw = zipf_weights(len(nouns), 0.7)
        self.adj_cw = zipf_weights(len(words.ADJECTIVES), 0.8)
        self.verb_cw = zipf_weights(len(words.VERBS), 0.8)
        self.city_cw = zipf_weights(len(words.CITIES), 0.7)

    def noun_phrase(self, article="def", adjective=0.5):
        """A noun with its article ("def", "indef", or "de" for a complement), maybe an adjective."""
        rng = self.rng
        noun, gender = rng.choices(self.nouns, cum_weights=self.noun_cw)[0]
        feminine = gender == "f"
        elided = noun[0] in "aeiouéèêàâîôûh"
        if article == "def":
            det = "l'" if elided else ("la " if feminine else "le ")
        elif article == "indef":
            det = "une " if feminine else "un "
        else:
            det = "de l'" if elided else ("de la " if feminine else "du ")
        phrase = det + noun
        if rng.random() < adjective:
            masc, fem = rng.choices(words.ADJECTIVES, cum_weights=self.adj_cw)[0]
            phrase += " " + (fem if feminine else masc)
        return phrase

    def verb(self):
        return self.rng.choices(words.VERBS, cum_weights=self.verb_cw)[0]

    def city(self):
        return self.rng.choices(words.CITIES, cum_weights=self.city_cw)[0]

    def person(self):
        rng = self.rng
        return f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"

    def sentence(self):
        rng = self.rng
        form = rng.randrange(6)
        subject = self.noun_phrase("def" if rng.random() < 0.7 else "indef")
        obj = self.noun_phrase("def" if rng.random() < 0.5 else "indef")
        if form == 0:
            text = f"{subject} {self.verb()} {obj} {self.noun_phrase('de', 0.3)}"
        elif form == 1:
            text = f"selon {self.person()}, {subject} {self.verb()} {obj}"
        elif form == 2:
            text = f"à {self.city()}, {subject} {self.verb()} {rng.choice(words.ADVERBS)} {obj}"
        elif form == 3:
            text = f"{rng.choice(words.CONNECTORS)}, {subject} {self.verb()} {obj}"
        elif form == 4:
            text = (
                f"{subject} {self.verb()} {obj}, et {self.noun_phrase('def', 0.2)} "
                f"{self.verb()} {self.noun_phrase('indef', 0.6)}"
            )
        else:
            text = f"{subject} {self.noun_phrase('de', 0.0)} {self.verb()} {obj}"
        return capitalise(text) + "."

    def title(self):
        rng = self.rng
        form = rng.randrange(5)
        if form == 0:
            text = f"{self.city()} : {self.noun_phrase()} {self.verb()} {self.noun_phrase()}"
        elif form == 1:
            text = f"{capitalise(self.noun_phrase())} {self.noun_phrase('de', 0.3)}, {self.city()}"
        elif form == 2:
            text = f"Quand {self.noun_phrase()} {self.verb()} {self.noun_phrase('indef')}"
        elif form == 3:
            text = (
                f"{capitalise(self.noun_phrase('def', 0.0))} : "
                f"{self.noun_phrase()} {self.verb()} {self.noun_phrase()}"
            )
        else:
            text = f"{capitalise(self.noun_phrase())} {self.verb()} {self.noun_phrase('indef')}"
        return capitalise(text)[:180]

    def heading(self):
        return capitalise(self.noun_phrase("def", 0.7)) + " " + self.noun_phrase("de", 0.3)


class Progress:
    """One text bar per phase on stderr: redrawn in place on a terminal, a line every 10 %
    in a log; silent at verbosity 0."""

    WIDTH = 30

    def __init__(self, stream, enabled):
        self.stream, self.enabled = stream, enabled
        self.is_tty = enabled and stream.isatty()

    def start(self, label, total):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.shown = -1
        self.started = time.monotonic()
        self._draw()

    def advance(self, count):
        self.done = min(self.total, self.done + count)
        self._draw()

    def finish(self):
        self.done = self.total
        self._draw(final=self.is_tty or self.shown < 100)

    def _draw(self, final=False):
        if not self.enabled:
            return
        percent = self.done * 100 // self.total
        step = 1 if self.is_tty else 10
        if percent // step == self.shown // step and not final:
            return
        self.shown = percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        elapsed = time.monotonic() - self.started
        line = f"{self.label:<22} [{bar}] {percent:3d} % {self.done:>9} {elapsed:6.1f} s"
        if self.is_tty:
            self.stream.write("\r" + line, ending="\n" if final else "")
        else:
            self.stream.write(line)
        self.stream.flush()


class Loader:
    """Bulk rows into a model's table: COPY on PostgreSQL, executemany on SQLite.

    Fields the generator does not name (say, one another branch adds) get their
    default, so a new column with a default never breaks the load.
    """

    def __init__(self, progress):
        self.progress = progress
        self.models = []  # what was loaded, for the sequences and statistics afterwards

    def load(self, model, columns, rows, total, label):
        self.models.append(model)
        meta = model._meta
        named = [meta.get_field(c) for c in columns]
        # The primary key, when not named, is the database's to number.
        others = [
            f
            for f in meta.concrete_fields
            if f.attname not in columns and not f.primary_key and not f.generated
        ]
        fields = named + others
        defaults = tuple(f.get_default() for f in others)
        table = connection.ops.quote_name(meta.db_table)
        names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        self.progress.start(label, total)
        if connection.vendor == "postgresql":
            dropped = self._drop_secondary(meta.db_table, total)
            with (
                connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for n, row in enumerate(rows, 1):
                    copy.write_row(row + defaults)
                    if n % 1000 == 0:
                        self.progress.advance(1000)
            self.progress.finish()
            self._rebuild(meta.db_table, label, *dropped)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
        batch = []
        with connection.cursor() as cursor:
            for row in rows:
                values = row + defaults
                batch.append(
                    [f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)]
                )
                if len(batch) == SQLITE_BATCH:
                    cursor.executemany(sql, batch)
                    self.progress.advance(len(batch))
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
        self.progress.finish()

    def _drop_secondary(self, table, total):
        """For a big load: drop the table's secondary indexes and foreign keys; _rebuild()
        puts them back after.

        Building an index once is several times faster than updating it row by row, and
        adding a foreign key checks it with one join instead of a deferred trigger per row
        at commit. Primary keys and unique constraints stay (they guard the load). All of it
        runs inside the load's transaction: a failure leaves the schema as it was.
        """
        if total < REBUILD_INDEXES_FROM:
            return [], []
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [quote(table)],
            )
            foreign_keys = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes i "
                "WHERE schemaname = current_schema() AND tablename = %s AND NOT EXISTS ("
                "SELECT 1 FROM pg_constraint c "
                "WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass"
                ") ORDER BY indexname",
                [table],
            )
            indexes = cursor.fetchall()
            for name, _ in foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
        return indexes, foreign_keys

    def _rebuild(self, table, label, indexes, foreign_keys):
        if not indexes and not foreign_keys:
            return
        quote = connection.ops.quote_name
        self.progress.start(
            gettext("%(table)s (index)") % {"table": label}, len(indexes) + len(foreign_keys)
        )
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)
                self.progress.advance(1)
            for name, definition in foreign_keys:
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )
                self.progress.advance(1)
        self.progress.finish()


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(gettext("Date attendue au format AAAA-MM-JJ.")) from None


def next_id(model):
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequence(model):
    """Explicit ids were written: move PostgreSQL's identity sequence past them."""
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the largest id by itself.
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {connection.ops.quote_name(table)}))",
            [table],
        )


class Dataset:
    """What the parts share: seed, dates, progress bar and loader, and what earlier parts
    made (categories, moderator, authors, published articles, ...)."""

    def __init__(self, *, seed, today, progress, options):
        self.seed, self.today, self.options = seed, today, options
        # Midnight at the start of --today, site time: every date counts back from it.
        self.anchor = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
        self.progress = progress
        self.loader = Loader(progress)
        self.summary = []  # what each part made, for the command's last line

    def rng(self, phase):
        # One stream per phase, so each phase's data depends only on the seed and its inputs.
        return random.Random(f"{self.seed}:{phase}")


# The articles' part: categories, accounts, articles, views and their rollup.


def add_arguments(parser):
    parser.add_argument("--articles", type=int, default=1000, help="Nombre d'articles.")
    parser.add_argument("--days", type=int, default=30, help="Jours d'historique des lectures.")


def check(options):
    if options["articles"] < 0:
        raise CommandError(gettext("Le nombre d'articles doit être positif."))
    if not 1 <= options["days"] <= 3650:
        raise CommandError(gettext("--days doit être compris entre 1 et 3650."))


def generate(dataset):
    ArticlesPart(dataset).generate(dataset.options["articles"], dataset.options["days"])


class ArticlesPart:
    def __init__(self, dataset):
        self.dataset = dataset
        self.anchor, self.today = dataset.anchor, dataset.today
        self.progress, self.loader, self.rng = dataset.progress, dataset.loader, dataset.rng

    def generate(self, count, days):
        dataset = self.dataset
        dataset.categories = self._categories()
        dataset.moderator = self._moderator()
        dataset.authors = self._authors(count)
        dataset.published = self._articles(
            count, dataset.categories, dataset.authors, dataset.moderator
        )
        views = self._views(dataset.published, days)
        if dataset.published:
            # Views were written in bulk: the rollup follows them, for these articles.
            self.progress.start(gettext("Lectorat"), 1)
            Readership.rebuild(self.today, from_article=dataset.published[0][0])
            self.progress.finish()
        dataset.summary += [
            ngettext(
                "%(count)d article (%(published)d publiés)",
                "%(count)d articles (%(published)d publiés)",
                count,
            )
            % {"count": count, "published": len(dataset.published)},
            ngettext("%(count)d ligne de lectures", "%(count)d lignes de lectures", views)
            % {"count": views},
        ]

    def _categories(self):
        for order, (name, slug, description) in enumerate(CATEGORIES, start=1):
            if not Category.objects.filter(slug=slug).exists():
                Category.objects.get_or_create(
                    name=name, defaults={"slug": slug, "description": description, "order": order}
                )
        return list(Category.objects.order_by("slug").values_list("pk", flat=True))

    def _moderator(self):
        moderator, created = User.objects.get_or_create(
            username="generateur-moderation",
            defaults={
                "email": "moderation@generateur.example.org",
                "display_name": "Modération (jeu de données)",
                "account_kind": User.Kind.PROFESSIONNEL,
                "is_staff": True,
                "password": "!generated",
                "date_joined": self.anchor - datetime.timedelta(days=ARCHIVE_DAYS + 30),
            },
        )
        if created:
            group = Group.objects.filter(name="Modérateurs").first()
            if group:
                moderator.groups.add(group)
        return moderator.pk

    def _authors(self, articles):
        """Authors of every account kind, named deterministically; existing ones are reused."""
        count = max(len(set(KIND_CYCLE)), min(2000, articles // 50))
        rng = self.rng("authors")
        usernames = [f"auteur-{n:05d}" for n in range(count)]
        existing = set(
            User.objects.filter(username__in=usernames).values_list("username", flat=True)
        )
        new = []
        for n, username in enumerate(usernames):
            first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
            kind = KIND_CYCLE[n % len(KIND_CYCLE)]
            organisation = ""
            if kind != User.Kind.PARTICULIER:
                organisation = f"{rng.choice(words.ORGANISATION_WORDS)} {words.CITIES[n % len(words.CITIES)]} {n}"
            if username in existing:
                continue
            new.append(
                User(
                    username=username,
                    email=f"{username}@generateur.example.org",
                    display_name=organisation or f"{first} {last}",
                    first_name=first,
                    last_name=last,
                    account_kind=kind,
                    organisation=organisation,
                    # "!" marks an unusable password: generated accounts cannot sign in.
                    password=f"!generated-{n}",
                    date_joined=self.anchor - datetime.timedelta(days=ARCHIVE_DAYS + 30 - n % 30),
                )
            )
        self.progress.start(gettext("Auteurs"), len(new))
        User.objects.bulk_create(new, batch_size=500)
        self.progress.finish()
        accounts = {
            username: (pk, name, email)
            for username, pk, name, email in User.objects.filter(
                username__in=usernames
            ).values_list("username", "pk", "display_name", "email")
        }
        return [accounts[u] for u in usernames]

    # Articles.

    def _articles(self, count, categories, authors, moderator):
        """Write the articles; return the published ones as (id, published_at, popularity)."""
        rng = self.rng("articles")
        topics = self._topics(rng, count)
        pending = {
            Article.Status.SUBMITTED: max(2, count // 1000) if count >= 20 else 0,
            Article.Status.DRAFT: max(2, count // 1000) if count >= 20 else 0,
            Article.Status.REJECTED: max(1, count // 2000) if count >= 20 else 0,
        }
        n_published = count - sum(pending.values())
        span = ARCHIVE_DAYS * 86400
        # Published articles come first and in date order, so ids grow with dates.
        offsets = sorted((rng.randrange(60, span) for _ in range(n_published)), reverse=True)
        statuses = [Article.Status.PUBLISHED] * n_published
        for status, n in pending.items():
            statuses += [status] * n
        taken = set(Article.objects.values_list("slug", flat=True))
        first_id = next_id(Article)
        author_weights = zipf_weights(len(authors), 0.8)
        published = []
        featured_from = n_published - 3

        def rows():
            for n, status in enumerate(statuses):
                pk = first_id + n
                writer, pool = topics[rng.randrange(len(topics))]
                title = writer.title()
                base = slugify(title)[:200].strip("-") or "article"
                slug, suffix = base, 2
                while slug in taken:
                    slug, suffix = f"{base}-{suffix}", suffix + 1
                taken.add(slug)
                summary = f"{writer.sentence()} {rng.choice(pool)}"
                body = self._body(rng, writer, pool)
                # Every author and every category has articles; then a few authors write most.
                if n < len(authors):
                    author = authors[n][0]
                else:
                    author = rng.choices(authors, cum_weights=author_weights)[0][0]
                if n < len(categories):
                    category = categories[n]
                else:
                    category = categories[rng.randrange(len(categories))]
                credit = writer.person() if rng.random() < 0.03 else ""
                reviewed_by = reviewed_at = submitted_at = published_at = None
                reason = ""
                if status == Article.Status.PUBLISHED:
                    published_at = self.anchor - datetime.timedelta(seconds=offsets[n])
                    created_at = published_at - datetime.timedelta(hours=rng.randrange(6, 72))
                    submitted_at = published_at - datetime.timedelta(hours=rng.randrange(1, 6))
                    reviewed_by, reviewed_at = moderator, published_at
                    updated_at = published_at
                    popularity = rng.paretovariate(1.2)
                    published.append((pk, published_at, popularity))
                else:
                    created_at = self.anchor - datetime.timedelta(
                        seconds=rng.randrange(3600, 30 * 86400)
                    )
                    updated_at = created_at
                    if status != Article.Status.DRAFT:
                        submitted_at = created_at + datetime.timedelta(minutes=30)
                    if status == Article.Status.REJECTED:
                        reviewed_by = moderator
                        reviewed_at = submitted_at + datetime.timedelta(hours=5)
                        updated_at = reviewed_at
                        reason = rng.choice(words.REJECTION_REASONS)
                yield (
                    pk, title, slug, summary, body, category, author, credit, status,
                    n >= featured_from and status == Article.Status.PUBLISHED,
                    reason, reviewed_by, reviewed_at, created_at, updated_at, submitted_at,
                    published_at,
                )  # fmt: skip

        columns = [
            "id", "title", "slug", "summary", "body", "category_id", "author_id",
            "creator_credit", "status", "is_featured", "rejection_reason", "reviewed_by_id",
            "reviewed_at", "created_at", "updated_at", "submitted_at", "published_at",
        ]  # fmt: skip
        self.loader.load(Article, columns, rows(), len(statuses), gettext("Articles"))
        # What waits for review has its version 1, as services.submit would have recorded.
        waiting = Article.objects.filter(pk__gte=first_id, status=Article.Status.SUBMITTED)
        ArticleVersion.objects.bulk_create(
            ArticleVersion(
                article=article,
                number=1,
                created_by_id=article.author_id,
                created_at=article.submitted_at,
                **article.text_snapshot(),
            )
            for article in waiting
        )
        return published

    @staticmethod
    def _topics(rng, count):
        """Topics as (writer, sentences): a dozen nouns each, drawn so that frequent words
        ("économie") are in many topics but not all, and most nouns in a few."""
        weights = zipf_weights(len(words.NOUNS), 0.5)
        topics = []
        for _ in range(min(300, max(20, count // 50))):
            nouns = []
            while len(nouns) < 12:
                noun = rng.choices(words.NOUNS, cum_weights=weights)[0]
                if noun not in nouns:
                    nouns.append(noun)
            writer = Writer(rng, nouns)
            topics.append((writer, [writer.sentence() for _ in range(80)]))
        return topics

    def _body(self, rng, writer, pool):
        """About 4 KB of HTML in the shape articles.sanitizer returns: p, h2, blockquote, ul."""
        parts = []
        paragraphs = rng.randrange(12, 17)
        for n in range(paragraphs):
            if n and n % 3 == 0:
                parts.append(f"<h2>{writer.heading()}</h2>")
            sentences = rng.choices(pool, k=rng.randrange(3, 6))
            if n == 0:
                sentences[0] = writer.sentence()
                if rng.random() < 0.15:
                    sentences.append(
                        f"{capitalise(rng.choice(words.RARE_WORDS))} et "
                        f"{rng.choice(words.RARE_WORDS)} : {writer.noun_phrase()} en témoigne."
                    )
            if rng.random() < 0.2:
                sentences[0] = f"<strong>{sentences[0]}</strong>"
            parts.append(f"<p>{' '.join(sentences)}</p>")
            if n == 4 and rng.random() < 0.5:
                parts.append(f"<blockquote><p>« {rng.choice(pool)} »</p></blockquote>")
            if n == 6 and rng.random() < 0.4:
                items = "".join(f"<li>{capitalise(writer.noun_phrase())}</li>" for _ in range(3))
                parts.append(f"<ul>{items}</ul>")
        return "".join(parts)

    # Views.

    def _views(self, published, days):
        """Daily views on each of the last `days` days since publication: a power-law.

        Popularity is Pareto-distributed, decays with the article's age, and a few recent
        articles go viral; every published article is read at least once a day, as the
        measured archive was.
        """
        rng = self.rng("views")
        first_day = self.today - datetime.timedelta(days=days - 1)
        recent = [p for p in published if p[1] >= self.anchor - datetime.timedelta(days=7)]
        viral = {
            pk for pk, _, _ in (recent or published)[-max(1, min(5, len(published) // 1000)) :]
        }
        day_list = [first_day + datetime.timedelta(days=d) for d in range(days)]
        local = timezone.get_current_timezone()
        first_id = next_id(DailyViews)
        total = sum(
            max(0, min(days, (self.today - p[1].astimezone(local).date()).days + 1))
            for p in published
        )

        def rows():
            pk = first_id
            for article, published_at, popularity in published:
                published_on = published_at.astimezone(local).date()
                boost = 300.0 if article in viral else 1.0
                for day in day_list:
                    if day < published_on:
                        continue
                    age = (day - published_on).days
                    views = popularity * boost * 40.0 / (1 + age) ** 0.8 * (0.5 + rng.random())
                    yield (pk, article, day, max(1, int(views)))
                    pk += 1

        self.loader.load(
            DailyViews, ["id", "article_id", "day", "views"], rows(), total, gettext("Lectures")
        )
        return total

    # Comments.
