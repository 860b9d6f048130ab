"""Full-text search of articles, on PostgreSQL and on SQLite.

The reader's text is parsed here, once, into words, "quoted phrases" and -exclusions;
each database's own engine then does the matching and the ranking:

- PostgreSQL: a ``search_vector`` tsvector column on articles_article, title weighted A,
  summary B, body text C (the parser leaves tags out), in the ``french_unaccent`` configuration
  (French stemming, accents folded), GIN-indexed. A trigger keeps it, so bulk inserts,
  raw SQL and COPY get it for free. It is not a model field on purpose: every query of
  the ORM would load several kilobytes of vector per article.
- SQLite: an FTS5 table over the same three texts, ``unicode61 remove_diacritics 2``,
  kept by triggers. SQLite has no French stemmer: a word of SQLITE_PREFIX_MIN letters or
  more is searched as a prefix, after a final s or x is dropped, so "élections" finds
  "élection" and the reverse; "économique" does not find "économie".

Both are set up by migrations/0003_full_text_search.py. The cost of a search does not
grow with the archive: only the newest max_results() matches are ranked, one more is
read to know whether the page should say "plus de …" (nothing counts every match), and
snippets are made for the shown page only: two queries in all.
"""

import html
import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connections
from django.db.models import BooleanField, F, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

# A query is cut to this many characters, then to this many words or phrases.
MAX_LENGTH = 100
MAX_TERMS = 8

PG_CONFIG = "french_unaccent"
# ts_rank's weights, in PostgreSQL's order {D, C, B, A}: body C, summary B, title A.
PG_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
SQLITE_TABLE = "articles_search"
# bm25's weights, one per column of the FTS5 table: title, summary, body.
SQLITE_WEIGHTS = "10.0, 4.0, 1.0"
SQLITE_PREFIX_MIN = 4
# Words around the matches in a result's excerpt.
EXCERPT_WORDS = 30
# ts_headline reads its whole text, at ~4 ms per 4 KB article: the excerpt is cut from a
# window of the body around the first place the query's first word starts.
EXCERPT_WINDOW = 1200
EXCERPT_ANCHOR_MIN = 4

TERM = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
WORD = re.compile(r"[^\W_]+")
INLINE_TAG = re.compile(r"</?(?:a|b|strong|em|i|u|s|sub|sup|code)(?:\s[^>]*)?>", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")


def max_results():
    """How many matches are ranked and counted; more reads "plus de …"."""
    return settings.SEARCH_MAX_RESULTS


def plain_text(body):
    """The text of an article body, tags removed, entities decoded: what SQLite indexes,
    through the SQL function articles_plain_text() that articles.apps registers.

    Inline tags vanish ("a <b>word</b>," stays "a word,"); the others become spaces, so
    that the last word of a paragraph and the first of the next stay two words.
    """
    text = TAG.sub(" ", INLINE_TAG.sub("", body or ""))
    return " ".join(html.unescape(text).split())


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    excluded: bool = False


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple[Term, ...] = ()

    @property
    def is_searchable(self):
        """A search needs at least one word to find: an exclusion alone would read everything."""
        return any(not term.excluded for term in self.terms)

    @property
    def websearch(self):
        """The terms in websearch_to_tsquery's syntax, every one quoted: a word typed as
        "or" is a word, never an operator, and nothing typed is ever a syntax error."""
        return " ".join(
            ("-" if term.excluded else "") + '"' + " ".join(term.words) + '"' for term in self.terms
        )

    @property
    def anchor(self):
        """The start of the first word to find, to locate the excerpt in a long text: its
        last letters dropped, so that "élections" still finds "élection" there."""
        for term in self.terms:
            if not term.excluded:
                word = term.words[0]
                return word[: max(EXCERPT_ANCHOR_MIN, len(word) - 2)]
        return ""

    @property
    def fts5(self):
        """The terms as an FTS5 MATCH expression: every word quoted, so input is never syntax."""
        included = " AND ".join(_fts5_phrase(t) for t in self.terms if not t.excluded)
        excluded = " OR ".join(_fts5_phrase(t) for t in self.terms if t.excluded)
        return f"({included}) NOT ({excluded})" if excluded else included


def _fts5_phrase(term):
    # No stemmer in SQLite: a word to find (not a phrase, not an exclusion) long enough is a
    # prefix, its plural s or x dropped, so that singular and plural find each other.
    if len(term.words) == 1 and not term.excluded:
        word = term.words[0]
        if len(word) > SQLITE_PREFIX_MIN and word[-1] in "sxSX":
            word = word[:-1]
        if len(word) >= SQLITE_PREFIX_MIN:
            return f'"{word}" *'
    return '"' + " ".join(term.words) + '"'


def parse(raw):
    """The reader's text, cleaned and cut, as words, "phrases" and -exclusions.

    Whitespace is collapsed and NUL dropped (PostgreSQL refuses it in a string); what is
    left of a term once its punctuation is set aside (a lone -, ", *, NEAR( ...) is its
    words, searched as a phrase; a term without any is ignored.
    """
    text = unicodedata.normalize("NFC", (raw or "").replace("\x00", " "))
    text = " ".join(text.split())[:MAX_LENGTH].strip()
    terms = []
    for match in TERM.finditer(text):
        minus_phrase, phrase, minus_word, word = match.groups()
        words = tuple(WORD.findall(phrase if phrase is not None else word))
        if words:
            terms.append(Term(words, excluded=bool(minus_phrase or minus_word)))
    return Query(text, tuple(terms[:MAX_TERMS]))


class Marks:
    """Markers the database puts around matched words, unguessable by any content, so that
    the snippet is escaped whole and only they become <mark> tags."""

    def __init__(self):
        self.start, self.stop = f"s{secrets.token_hex(8)}", f"e{secrets.token_hex(8)}"

    def html(self, text):
        marked = escape(text or "").replace(self.start, "<mark>").replace(self.stop, "</mark>")
        return mark_safe(marked)  # escaped whole just above


class Results:
    """The matches of a query in the queryset, best first, for the paginator.

    Its length is the number of matches up to max_results(); `is_capped` says there are
    more. A slice loads those articles, with `search_title` and `search_excerpt`: escaped
    HTML where matched words are in <mark>.
    """

    def __init__(self, queryset, text):
        self.queryset = queryset
        self.query = text if isinstance(text, Query) else parse(text)
        self.limit = max_results()
        self.vendor = connections[queryset.db].vendor

    @cached_property
    def _ranked(self):
        """(pks best first, whether there are more than `limit` matches)"""
        if not self.query.is_searchable:
            return [], False
        rows = (_ranked_postgresql if self.vendor == "postgresql" else _ranked_sqlite)(
            self.queryset, self.query, self.limit + 1
        )
        # Rows: (pk, score), newest first. The newest `limit` are ranked, best first, the
        # newer first at equal score (sorted() is stable).
        ranked = sorted(rows[: self.limit], key=lambda row: row[1], reverse=True)
        return [pk for pk, _score in ranked], len(rows) > self.limit

    @property
    def is_capped(self):
        return self._ranked[1]

    def count(self):
        return len(self._ranked[0])

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self._ranked[0][index])
        return self._load([self._ranked[0][index]])[0]

    def _load(self, pks):
        if not pks:
            return []
        marks = Marks()
        page = _page_postgresql if self.vendor == "postgresql" else _page_sqlite
        found = {a.pk: a for a in page(self.queryset, self.query, pks, marks)}
        articles = [found[pk] for pk in pks if pk in found]
        for article in articles:
            article.search_title = marks.html(article.search_title)
            article.search_excerpt = marks.html(article.search_excerpt)
        return articles


def _candidates(queryset, match, **columns):
    """The matches, newest first (the caller cuts them): the published listings' index
    serves the order when the words are common, the GIN index the match when they are rare."""
    return (
        queryset.filter(match)
        .order_by("-published_at", "-pk")
        .values(cid=F("pk"), cpublished=F("published_at"), **columns)
    )


def _column(queryset, name):
    connection = connections[queryset.db]
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    # Only ever used in a top-level query, where the table is named by its own name.
    return f"{table}.{connection.ops.quote_name(name)}"


def _ranked_postgresql(queryset, query, limit):
    vector = _column(queryset, "search_vector")
    match = RawSQL(
        f"{vector} @@ websearch_to_tsquery(%s::regconfig, %s)",
        [PG_CONFIG, query.websearch],
        output_field=BooleanField(),
    )
    candidates = _candidates(queryset, match, cvector=RawSQL(vector, []))[:limit]
    sql, params = candidates.query.sql_with_params()
    # Ranked outside the LIMIT, so that only the candidates' vectors are read for ts_rank.
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT c.cid, "
            "ts_rank(%s::float4[], c.cvector, websearch_to_tsquery(%s::regconfig, %s)) "
            f"FROM ({sql}) AS c ORDER BY c.cpublished DESC, c.cid DESC",
            [PG_WEIGHTS, PG_CONFIG, query.websearch, *params],
        )
        return cursor.fetchall()


def _ranked_sqlite(queryset, query, limit):
    fts = SQLITE_TABLE
    match = RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [query.fts5])
    candidates = _candidates(queryset, Q(pk__in=match))[:limit]
    sql, params = candidates.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT c.cid, -bm25({fts}, {SQLITE_WEIGHTS}) "
            f"FROM {fts} JOIN ({sql}) AS c ON c.cid = {fts}.rowid WHERE {fts} MATCH %s "
            "ORDER BY c.cpublished DESC, c.cid DESC",
            [*params, query.fts5],
        )
        return cursor.fetchall()


def _page_postgresql(queryset, query, pks, marks):
    search = SearchQuery(query.websearch, config=PG_CONFIG, search_type="websearch")
    marked = {"config": PG_CONFIG, "start_sel": marks.start, "stop_sel": marks.stop}
    # The excerpt is cut from the summary, made HTML, and the body as it is: ts_headline's
    # parser leaves tags out of fragments, and stripping them first would cost as much
    # again. Of the body, only a window around the first word found (or its beginning):
    # ts_headline reads its whole text. A tag cut by either edge of the window is dropped.
    summary = F("summary")
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        summary = Replace(summary, Value(character), Value(entity), output_field=TextField())
    body = _column(queryset, "body")
    # The word as typed, found in the body itself; else found without accents, whose
    # position may drift a little (unaccent turns "œ" into "oe"): the window is wide.
    found = (
        f"coalesce(nullif(strpos(lower({body}), lower(%s)), 0), "
        f"strpos(lower(unaccent({body})), lower(unaccent(%s))))"
    )
    window = RawSQL(
        "regexp_replace(regexp_replace(substr("
        f"{body}, greatest({found} - %s, 1), %s"
        "), '^[^<]*>', ''), '<[^>]*$', '')",
        [query.anchor, query.anchor, EXCERPT_WINDOW // 3, EXCERPT_WINDOW],
        output_field=TextField(),
    )
    text = Concat(summary, Value(" "), window, output_field=TextField())
    articles = (
        queryset.filter(pk__in=pks)
        .for_listing()
        .defer("body")
        .annotate(
            search_title=SearchHeadline("title", search, highlight_all=True, **marked),
            search_excerpt=SearchHeadline(
                text,
                search,
                max_words=EXCERPT_WORDS,
                min_words=EXCERPT_WORDS // 2,
                **marked,
            ),
        )
    )
    for article in articles:
        article.search_excerpt = " ".join(html.unescape(article.search_excerpt).split())
        yield article


def _page_sqlite(queryset, query, pks, marks):
    fts, pk = SQLITE_TABLE, _column(queryset, "id")

    def of_match(function, *params):
        return RawSQL(
            f"SELECT {function} FROM {fts} WHERE {fts} MATCH %s AND {fts}.rowid = {pk}",
            [*params, query.fts5],
            output_field=TextField(),
        )

    articles = (
        queryset.filter(pk__in=pks)
        .for_listing()
        .defer("body")
        .annotate(
            search_title=of_match(f"highlight({fts}, 0, %s, %s)", marks.start, marks.stop),
            search_summary=of_match(
                f"snippet({fts}, 1, %s, %s, '…', %s)", marks.start, marks.stop, EXCERPT_WORDS
            ),
            search_body=of_match(
                f"snippet({fts}, 2, %s, %s, '…', %s)", marks.start, marks.stop, EXCERPT_WORDS
            ),
        )
    )
    for article in articles:
        # The excerpt where the words are: the summary, else the body; the summary when
        # only the title matched.
        found_in_body = marks.start not in article.search_summary and (
            marks.start in article.search_body or not article.search_summary
        )
        article.search_excerpt = article.search_body if found_in_body else article.search_summary
        yield article


# SQLite's index: an FTS5 table of the articles' title, summary and body text, kept by
# triggers. It holds its own copy of the text rather than being an external-content table:
# the body text it indexes (tags removed) is in no table, and a view providing it would
# make SQLite refuse every later rebuild of articles_article (Django rebuilds the table to
# alter a column). Such a rebuild drops the triggers: after each migration,
# restore_sqlite_triggers() puts back any that are missing and refills the index.

SQLITE_SCHEMA = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5("
    "title, summary, body, tokenize='unicode61 remove_diacritics 2')"
)
_SQLITE_ADD = (
    f"INSERT INTO {SQLITE_TABLE}(rowid, title, summary, body) "
    "VALUES (new.id, new.title, new.summary, articles_plain_text(new.body));"
)
_SQLITE_REMOVE = f"DELETE FROM {SQLITE_TABLE} WHERE rowid = old.id;"
SQLITE_TRIGGERS = {
    "articles_search_insert": f"AFTER INSERT ON articles_article BEGIN {_SQLITE_ADD} END",
    "articles_search_delete": f"AFTER DELETE ON articles_article BEGIN {_SQLITE_REMOVE} END",
    "articles_search_update": (
        "AFTER UPDATE OF id, title, summary, body ON articles_article "
        "WHEN old.id IS NOT new.id OR old.title IS NOT new.title "
        "OR old.summary IS NOT new.summary OR old.body IS NOT new.body "
        f"BEGIN {_SQLITE_REMOVE} {_SQLITE_ADD} END"
    ),
}


def create_sqlite_index(connection):
    """Create (or complete) the FTS5 table and its triggers, and fill it from the articles."""
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_SCHEMA)
        for name, body in SQLITE_TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        cursor.execute(f"DELETE FROM {SQLITE_TABLE}")
        cursor.execute(
            f"INSERT INTO {SQLITE_TABLE}(rowid, title, summary, body) "
            "SELECT id, title, summary, articles_plain_text(body) FROM articles_article"
        )


def drop_sqlite_index(connection):
    with connection.cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")


def restore_sqlite_triggers(connection):
    """Once the index exists, put back missing triggers and refill it."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name = %s OR tbl_name = 'articles_article'",
            [SQLITE_TABLE],
        )
        present = {name for (name,) in cursor.fetchall()}
    if SQLITE_TABLE in present and not present.issuperset(SQLITE_TRIGGERS):
        create_sqlite_index(connection)
