"""The one place where user HTML becomes safe HTML: article bodies, cleaned on save."""

import posixpath
import re
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "a",
    "img",
    "figure",
    "figcaption",
    "hr",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener noreferrer"


# Images may come from our own files; an image pointing at one of our pages would make
# every reader of the article load that page, one counted view each.
OWN_FILE_PREFIXES = ("/media/", "/static/")
# nh3 writes every attribute as name="value", with quotes inside values escaped.
IMG_WITHOUT_SRC = re.compile(r'<img(?![^>]*\ssrc=")[^>]*>')


def own_hosts():
    """The host names that reach this site: ALLOWED_HOSTS, since Django answers no other."""
    return {h.lower().rstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"}


def points_at_own_page(url, hosts):
    """True when `url` leads to a page of this site rather than to one of its files.

    Read as a browser reads it: backslashes are slashes, dots and escapes are resolved,
    the host is case-insensitive and may end with a dot, and a host given as `.example`
    in ALLOWED_HOSTS covers its subdomains.
    """
    url = url.strip().replace("\\", "/")
    try:
        parts = urlsplit(url)
        # As the browser resolves it: escapes decoded, then IDNA ("ｎotre…" is "notre…").
        host = unquote(parts.hostname or "").rstrip(".")
        host = host.encode("idna").decode("ascii").lower() if host else ""
    except (ValueError, UnicodeError):
        return True  # a URL no browser would load: nothing lost by dropping it
    if parts.scheme not in ("", "http", "https"):
        return False
    if host and not any(
        host == h or (h.startswith(".") and (host == h[1:] or host.endswith(h))) for h in hosts
    ):
        return False
    path = unquote(parts.path)
    if not path.startswith("/"):
        return True  # relative to the article's own URL: a page of ours
    path = posixpath.normpath(path) + ("/" if path.endswith("/") else "")
    return not path.startswith(OWN_FILE_PREFIXES)


def clean_html(html):
    """Keep the article allowlist; nothing executable, no style, no foreign URL schemes, no
    image that is one of our own pages."""
    hosts = own_hosts()

    def drop_own_page_images(tag, attribute, value):
        if tag == "img" and attribute == "src" and points_at_own_page(value, hosts):
            return None
        return value

    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        attribute_filter=drop_own_page_images,
        strip_comments=True,
        clean_content_tags={
            "script",
            "style",
            "noscript",
            "template",
            "iframe",
            "object",
            "embed",
            "svg",
            "math",
            "textarea",
            "xmp",
            "noembed",
            "noframes",
            "plaintext",
        },
    )
    return IMG_WITHOUT_SRC.sub("", cleaned).strip()
