"""The Content-Security-Policy: its header, and pages that need nothing it forbids."""

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import django_prose_editor
import pytest
from django.urls import reverse

from articles.forms import EDITOR_STYLE_HASH
from articles.models import Article
from tests.factories import ArticleFactory, CommentFactory, DraftFactory, VerifiedUserFactory

STRICT = [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "img-src 'self' https: http:",
]


DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}


def directives(response):
    policy = response["Content-Security-Policy"]
    return dict(d.strip().split(" ", 1) for d in policy.split(";"))


def header_nonce(response):
    match = re.search(r"script-src [^;]*'nonce-([^']+)'", response["Content-Security-Policy"])
    return match and match.group(1)


class InlineCode(HTMLParser):
    """Inline scripts and styles, and style attributes, of a page."""

    def __init__(self):
        super().__init__()
        self.inline = []  # (tag, nonce) of <script> without src and of <style>
        self.style_attributes = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.style_attributes.append((tag, attrs["style"]))
        inline = (tag == "script" and "src" not in attrs) or tag == "style"
        # A data block is never executed, so the policy has nothing to allow: JSON
        # (json_script) and the article page's JSON-LD. Any other type, or none, is code.
        if inline and attrs.get("type") not in DATA_BLOCK_TYPES:
            self.inline.append((tag, attrs.get("nonce")))


def assert_strict_page(response):
    assert response.status_code == 200
    policy = directives(response)
    for directive in STRICT:
        name, value = directive.split(" ", 1)
        assert policy[name] == value
    assert policy["script-src"].startswith("'self'")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert "data:" not in response["Content-Security-Policy"]
    page = InlineCode()
    page.feed(response.content.decode())
    assert page.style_attributes == []
    nonce = header_nonce(response)
    for tag, tag_nonce in page.inline:
        assert tag_nonce is not None, f"<{tag}> without a nonce"
        assert tag_nonce == nonce


@pytest.fixture
def article(db):
    article = ArticleFactory(body='<p>Texte <img src="https://example.org/a.jpg" alt=""></p>')
    CommentFactory(article=article)
    return article


def test_public_pages_carry_the_policy_and_no_nonce(client, article):
    response = client.get("/")
    assert_strict_page(response)
    policy = directives(response)
    # Nothing on a public page needs the nonce: the header does not carry one.
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"


@pytest.mark.parametrize(
    "url",
    [
        lambda a: reverse("articles:home"),
        lambda a: a.category.get_absolute_url(),
        lambda a: a.get_absolute_url(),
        lambda a: a.get_absolute_url() + f"?repondre={a.comments.get().pk}",
        lambda a: reverse("accounts:author", args=[a.author.username]),
        lambda a: reverse("articles:search") + "?q=Texte",
        lambda a: reverse("account_login"),
        lambda a: reverse("account_signup"),
        lambda a: reverse("sitepages:detail", args=["confidentialite"]),
    ],
    ids=[
        "home",
        "category",
        "article",
        "article-reply",
        "author",
        "search",
        "login",
        "signup",
        "trust-page",
    ],
)
def test_public_pages_need_no_inline_code(client, article, url):
    assert_strict_page(client.get(url(article)))


def test_contributor_form_nonce_on_the_import_map(client, db):
    user = VerifiedUserFactory()
    client.force_login(user)
    for url in [
        reverse("articles:create"),
        reverse("articles:edit", args=[DraftFactory(author=user).pk]),
    ]:
        response = client.get(url)
        assert_strict_page(response)
        nonce = header_nonce(response)
        assert nonce
        assert f'<script type="importmap" nonce="{nonce}">' in response.content.decode()
        assert directives(response)["style-src"] == f"'self' 'nonce-{nonce}' {EDITOR_STYLE_HASH}"


def test_the_editor_style_hash_is_tiptaps_stylesheet():
    """tiptap's base stylesheet, as the installed editor.js injects it, has this hash."""
    editor_js = Path(django_prose_editor.__file__).parent / "static/django_prose_editor/editor.js"
    source = editor_js.read_text()
    start = source.index("`.ProseMirror {\n  position: relative;")
    css = source[start + 1 : source.index("`", start + 1)]
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == EDITOR_STYLE_HASH


@pytest.mark.parametrize(
    "url",
    [
        lambda a: reverse("admin:articles_article_changelist"),
        lambda a: reverse("admin:articles_article_changelist") + "?published_at__year=2020",
        lambda a: reverse("admin:articles_article_change", args=[a.pk]),
        lambda a: reverse("admin:articles_article_add"),
        lambda a: reverse("admin:comments_comment_changelist"),
        lambda a: reverse("admin:accounts_user_change", args=[a.author.pk]),
        lambda a: reverse("admin:index"),
        lambda a: reverse("admin:sitepages_page_changelist"),
    ],
    ids=[
        "articles",
        "date-filter",
        "article",
        "article-add",
        "comments",
        "user",
        "index",
        "trust-pages",
    ],
)
def test_admin_pages_need_no_inline_code_without_nonce(admin_client, article, url):
    assert_strict_page(admin_client.get(url(article)))


def test_admin_reject_page(admin_client, db):
    article = ArticleFactory(status=Article.Status.SUBMITTED, published_at=None)
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "reject", "_selected_action": [article.pk]},
    )
    assert_strict_page(response)
    assert "reason" in response.content.decode()


def test_editor_policy_only_where_the_editor_is(admin_client, article):
    response = admin_client.get(reverse("admin:articles_article_changelist"))
    assert EDITOR_STYLE_HASH not in response["Content-Security-Policy"]
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert EDITOR_STYLE_HASH in response["Content-Security-Policy"]


def test_500_page_allows_its_own_inline_style_only(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("articles.views.HomeView.get_context_data", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
    policy = directives(response)
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
