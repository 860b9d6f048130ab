"""What a correction changes, for the moderator who reviews it: the live text against the
proposal, field by field, and the body's words added and removed.

The body is compared as plain text (its words, paragraph breaks kept), with difflib from
the standard library: a moderator reads what changes for readers, not the markup. A change
of markup only (a link's address, a heading's level) is said as such. Every piece of text
is escaped here: a proposal holds what its author typed, and the page marks only this
module's output safe.
"""

import difflib
import html
import re
from dataclasses import dataclass

from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import Article, ArticleVersion

# Where a paragraph, heading, list item or line ends, the plain text starts a new line.
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|ul|ol)\s*>|<br\s*/?>", re.IGNORECASE)
TOKENS = re.compile(r"\n|[^\s]+")


def plain_words(body_html):
    """The words of an article body as readers read them, with "\\n" between blocks."""
    text = html.unescape(strip_tags(BLOCK_END.sub("\n", body_html)))
    tokens = TOKENS.findall(text)
    # One line break between blocks, none at the ends.
    words = []
    for token in tokens:
        if token == "\n" and (not words or words[-1] == "\n"):
            continue
        words.append(token)
    while words and words[-1] == "\n":
        words.pop()
    return words


@dataclass
class WordDiff:
    html: str  # safe: escaped words, <del> and <ins>
    added: int
    removed: int


def _join(words):
    return " ".join(escape(w) for w in words).replace(" \n ", "\n").replace("\n ", "\n")


def word_diff(old_html, new_html):
    old, new = plain_words(old_html), plain_words(new_html)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    parts, added, removed = [], 0, 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(_join(old[i1:i2]))
            continue
        if op in ("delete", "replace"):
            gone = old[i1:i2]
            removed += sum(1 for w in gone if w != "\n")
            parts.append(f"<del>{_join(gone)}</del>")
        if op in ("insert", "replace"):
            come = new[j1:j2]
            added += sum(1 for w in come if w != "\n")
            parts.append(f"<ins>{_join(come)}</ins>")
    return WordDiff(mark_safe(" ".join(parts)), added, removed)  # noqa: S308 - escaped above


@dataclass
class FieldChange:
    label: str
    live: str  # safe
    proposed: str  # safe
    changed: bool


def _cover(article, name):
    if not name:
        return format_html("<em>{}</em>", _("aucune image"))
    url = article.stored_file("cover_image", name).url
    return format_html('<img class="diff-cover" src="{}" alt="">', url)


def compare(article, version):
    """The fields of `article` as it is online against `version` (a correction), in the
    article form's order, and the body's word diff."""
    live = article.text_snapshot()
    rows = []
    for name in ArticleVersion.TEXT_FIELDS:
        if name == "body":
            continue
        label = Article._meta.get_field(name).verbose_name
        old, new = live[name], getattr(version, name)
        if name == "cover_image":
            rows.append(FieldChange(label, _cover(article, old), _cover(article, new), old != new))
        else:
            rows.append(
                FieldChange(
                    label,
                    escape(old) or mark_safe("—"),
                    escape(new) or mark_safe("—"),
                    old != new,
                )
            )
    body = word_diff(live["body"], version.body)
    markup_only = live["body"] != version.body and not body.added and not body.removed
    return {"fields": rows, "body": body, "body_markup_only": markup_only}
