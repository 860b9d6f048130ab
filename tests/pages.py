"""Reading a response's HTML as a reader sees it."""

import re

from django.utils.html import strip_tags


def visible_text(response):
    """The page's text as a reader sees it: tags removed, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(head|script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(strip_tags(html).replace("&nbsp;", " ").split())


def block(response, pattern):
    """The HTML of the first element whose opening tag matches `pattern`, up to its end."""
    html = response.content.decode()
    match = re.search(pattern, html)
    assert match, pattern
    tag = re.match(r"<(\w+)", match.group(0)).group(1)
    return html[match.start() : html.index(f"</{tag}>", match.end()) + len(tag) + 3]
