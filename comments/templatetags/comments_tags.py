import html
import re

from django import template
from django.utils.html import Urlizer, escape
from django.utils.safestring import mark_safe

from notrecontinent import pagecache

from .. import remember, services, threads
from ..forms import CommentForm
from ..models import Comment

register = template.Library()


# What follows the scheme up to the path: the authority, where "user@" may hide the host.
_AUTHORITY_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?/*([^/?#]*)", re.IGNORECASE)


def hides_its_host(text):
    """True when a browser would go elsewhere than the host the reader sees first.

    "www.example.com@attacker.example" reads as www.example.com and leads to
    attacker.example: whatever stands before an "@" of the authority is user
    information, not the host. A backslash, which browsers read as a slash, or an encoded
    "@" or backslash, make the same trick.
    """
    authority = _AUTHORITY_RE.match(html.unescape(text)).group(1).casefold()
    return any(mark in authority for mark in ("@", "\\", "%40", "%5c"))


class CommentUrlizer(Urlizer):
    """Django's urlize, with the rel a link from a reader deserves, no mailto: links, and
    no link whose visible host is not where it leads."""

    url_template = '<a href="{href}" rel="nofollow ugc noopener noreferrer">{url}</a>'

    @staticmethod
    def is_email_simple(value):
        return False

    def handle_word(
        self, word, *, safe_input, trim_url_limit=None, nofollow=False, autoescape=False
    ):
        # Django reads entities in the text ("&#64;" is an "@" to it), hence "&".
        if any(mark in word for mark in "@%\\&"):
            _lead, middle, _trail = self.trim_punctuation(word)
            if hides_its_host(middle):
                return word if safe_input or not autoescape else escape(word)
        return super().handle_word(
            word,
            safe_input=safe_input,
            trim_url_limit=trim_url_limit,
            nofollow=nofollow,
            autoescape=autoescape,
        )


urlize_comment = CommentUrlizer()


@register.filter(is_safe=False)
def comment_text(value):
    """Plain text made safe: escaped, links clickable, line breaks kept."""
    # urlize with autoescape=True escapes every character of the reader's text; only the
    # <a> tags it builds and the <br> added here are markup.
    linked = urlize_comment(str(value), trim_url_limit=60, autoescape=True)
    return mark_safe(linked.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>"))


@register.simple_tag(takes_context=True)
def comment_section(context, article):
    """The threads of an article's page and its comment form (a bound one after an error)."""
    request = context["request"]
    section = threads.build(article, request=request, is_open=services.comments_open(article))
    form = context.get("comment_form")
    if form is None:
        initial = {"parent": section.reply_to.pk} if section.reply_to else {}
        # « Se souvenir de moi »: the cookie makes the page personal (never cached, see
        # comments.remember), so its values may be written into it.
        if not request.user.is_authenticated and (saved := remember.remembered(request)):
            initial.update(saved, remember=True)
        # A new single-use token for each response, even when the page is kept in the
        # page cache for anonymous readers.
        initial["token"] = pagecache.per_request(
            request, "comments.policy.make_form_token", article.pk
        )
        form = CommentForm(article=article, user=request.user, initial=initial)
    section.form = form
    return section


@register.inclusion_tag("admin/comments/waiting.html")
def comments_waiting():
    """The moderators' dashboard line: comments waiting for a decision."""
    return {
        "pending": Comment.objects.in_moderation().count(),
        "pending_status": Comment.Status.PENDING,
    }
