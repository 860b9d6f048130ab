"""Pages cached for anonymous readers (notrecontinent/pagecache.py): what each reader keeps.

Exact view counts, a comment form that works for every reader, a pending comment shown
to its author, a signed-in reader's own header, nobody served another person's page,
changes shown at once, an expiry renewed by one request while others are served, and the
headers that describe a feed or a sitemap kept with it.
"""

import gzip
import re

import pytest
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services as article_services
from articles.models import Article
from articles.readership import flush_views
from articles.views import HomeView
from comments import services as comment_services
from comments.models import Comment
from notrecontinent import pagecache
from tests.factories import ArticleFactory, CommentFactory, DraftFactory, UserFactory

pytestmark = pytest.mark.django_db

# What notrecontinent.pagecache.placeholder() makes.
PLACEHOLDER = re.compile(r"nc[0-9a-f]{30}")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def article():
    return ArticleFactory(title="La pirogue de Saint-Louis", author=UserFactory())


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what the services leave for after the commit (announcing changed pages)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def from_the_page_cache(monkeypatch):
    """The paths served from the page cache. A sitemap is also kept by cache_page (urls.py),
    whose copy has all its headers: a test must know which cache answered."""
    served = []
    deliver = pagecache._deliver

    def record(request, entry):
        served.append(request.get_full_path())
        return deliver(request, entry)

    monkeypatch.setattr(pagecache, "_deliver", record)
    return served


def reader(n=1, **extra):
    """An anonymous browser of its own: its own address, no cookies yet."""
    return Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"192.0.2.{n}", **extra)


def field(html, name):
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def views_of(article):
    flush_views()
    return Article.objects.filter(pk=article.pk).with_view_totals().get().total_views


def content_headers(response):
    return {name: response.get(name) for name in pagecache.CONTENT_HEADERS}


def test_a_second_reader_is_served_without_rendering(article, django_assert_num_queries, settings):
    settings.VIEW_FLUSH_SECONDS = 0  # views written at once (the Redis buffer writes none)
    ArticleFactory.create_batch(13, category=article.category)
    older = reader(1).get(article.category.get_absolute_url()).context["page"].older
    deeper = f"{article.category.get_absolute_url()}?avant={older}"
    for url in ("/", article.category.get_absolute_url(), deeper):
        reader(1).get(url)
        with django_assert_num_queries(0):
            assert reader(2).get(url).status_code == 200
    reader(1).get(article.get_absolute_url())
    # What is left is the view being counted: writes, and nothing read to render the page.
    with CaptureQueriesContext(connection) as queries:
        assert article.title in reader(2).get(article.get_absolute_url()).content.decode()
    assert queries.captured_queries
    assert all(q["sql"].lstrip().upper().startswith("INSERT") for q in queries.captured_queries)


def test_every_reader_served_from_the_cache_is_counted_once(article):
    url = article.get_absolute_url()
    for n in range(1, 6):
        assert reader(n).get(url).status_code == 200
    reader(1).get(url)  # the same reader again, within the window
    Client(HTTP_USER_AGENT="Googlebot/2.1", REMOTE_ADDR="192.0.2.99").get(url)
    author = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.50")
    author.force_login(article.author)
    author.get(url)

    assert views_of(article) == 5


def test_every_reader_gets_fresh_tokens_and_the_form_works(article):
    url = article.get_absolute_url()
    first, second = reader(1, enforce_csrf_checks=True), reader(2, enforce_csrf_checks=True)
    pages = [first.get(url).content.decode(), second.get(url).content.decode()]

    csrf = [field(page, "csrfmiddlewaretoken") for page in pages]
    tokens = [field(page, "token") for page in pages]
    assert csrf[0] != csrf[1] and tokens[0] != tokens[1]
    assert not any(PLACEHOLDER.search(page) for page in pages)

    for n, (client, page) in enumerate(((first, pages[0]), (second, pages[1]))):
        response = client.post(
            reverse("comments:post", kwargs={"slug": article.slug}),
            {
                "csrfmiddlewaretoken": field(page, "csrfmiddlewaretoken"),
                "token": field(page, "token"),
                "name": f"Lectrice {n}",
                "email": f"lectrice{n}@example.org",
                "body": "Merci pour ce reportage.",
                "parent": "",
                "website": "",
            },
        )
        assert response.status_code == 302
    assert Comment.objects.filter(article=article).count() == 2


def test_a_pending_comment_is_shown_to_its_author_and_nobody_else(article):
    url = article.get_absolute_url()
    author = reader(1)
    page = author.get(url).content.decode()
    reader(2).get(url)  # the page is in the cache
    author.post(
        reverse("comments:post", kwargs={"slug": article.slug}),
        {
            "token": field(page, "token"),
            "name": "Awa",
            "email": "awa@example.org",
            "body": "Un premier commentaire, en attente.",
        },
    )

    assert "Un premier commentaire, en attente." in author.get(url).content.decode()
    # Later too, once the "awaiting moderation" message is gone: the session remembers.
    assert "Un premier commentaire, en attente." in author.get(url).content.decode()
    assert "Un premier commentaire" not in reader(3).get(url).content.decode()


def test_a_signed_in_reader_sees_their_header_and_it_is_never_shared(article):
    reader(1).get("/")
    member = Client(HTTP_USER_AGENT=BROWSER)
    member.force_login(UserFactory(display_name="Mariama Ba"))

    assert "Mariama Ba" in member.get("/").content.decode()
    assert "Mariama Ba" in member.get(article.get_absolute_url()).content.decode()
    for url in ("/", article.get_absolute_url()):
        html = reader(2).get(url).content.decode()
        assert "Mariama Ba" not in html and "Se connecter" in html


def test_pages_are_private_and_vary_on_cookies(article):
    for url in ("/", article.get_absolute_url(), article.category.get_absolute_url()):
        for client in (reader(1), reader(2)):  # rendered, then served from the cache
            response = client.get(url)
            directives = {d.strip() for d in response["Cache-Control"].split(",")}
            assert {"private", "no-cache"} <= directives
            assert "Cookie" in response["Vary"]


def test_a_page_with_unknown_parameters_is_rendered_each_time():
    ArticleFactory()
    for n in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            assert reader(n).get("/?utm_source=lettre").status_code == 200
        assert len(queries) > 0


def test_a_publication_shows_at_once(committed):
    ArticleFactory(title="Déjà en ligne")
    reader(1).get("/")
    moderator = UserFactory(is_staff=True)
    draft = DraftFactory(title="Tout juste publié")
    version = article_services.submit(draft)
    with committed():
        article_services.publish(draft, by=moderator, version=version.number)

    assert "Tout juste publié" in reader(2).get("/").content.decode()


def test_moderation_shows_and_hides_comments_at_once(article, committed):
    waiting = CommentFactory(article=article, status=Comment.Status.PENDING, body="En attente")
    shown = CommentFactory(article=article, body="Déjà visible")
    url = article.get_absolute_url()
    assert "En attente" not in reader(1).get(url).content.decode()
    moderator = UserFactory(is_staff=True)

    with committed():
        comment_services.moderate([waiting], Comment.Status.APPROVED, by=moderator)
    assert "En attente" in reader(2).get(url).content.decode()
    with committed():
        comment_services.moderate([shown], Comment.Status.REMOVED, by=moderator)
    assert "Déjà visible" not in reader(3).get(url).content.decode()


def test_an_expired_page_is_renewed_once_while_others_get_the_previous_one(clock, monkeypatch):
    article = ArticleFactory(title="Titre du matin")
    reader(1).get("/")
    # A change no service announces (a title fixed in the database): the cached page
    # holds until it expires.
    Article.objects.filter(pk=article.pk).update(title="Titre du soir")
    assert "Titre du matin" in reader(2).get("/").content.decode()

    clock.shift(61)
    renders, during_renewal = [], []
    render = HomeView.get_context_data

    def render_while_another_reader_comes(self, **kwargs):
        renders.append(self.request)
        if len(renders) == 1:
            during_renewal.append(reader(3).get("/").content.decode())
        return render(self, **kwargs)

    monkeypatch.setattr(HomeView, "get_context_data", render_while_another_reader_comes)
    renewed = reader(4).get("/").content.decode()

    assert len(renders) == 1  # the other reader did not render the page too
    assert "Titre du matin" in during_renewal[0]
    assert "Titre du soir" in renewed
    monkeypatch.setattr(HomeView, "get_context_data", render)
    assert "Titre du soir" in reader(5).get("/").content.decode()


def test_a_page_that_turned_personal_while_rendering_is_not_stored(monkeypatch):
    ArticleFactory()
    render = HomeView.get_context_data

    def greet_the_first_reader(self, **kwargs):
        if self.request.META["REMOTE_ADDR"] == "192.0.2.1":
            messages.info(self.request, "Bienvenue, Awa")
        return render(self, **kwargs)

    monkeypatch.setattr(HomeView, "get_context_data", greet_the_first_reader)
    assert "Bienvenue, Awa" in reader(1).get("/").content.decode()
    assert "Bienvenue, Awa" not in reader(2).get("/").content.decode()


def test_cached_pages_are_gzipped_with_each_readers_own_tokens(article):
    url = article.get_absolute_url()
    pages = []
    for n in (1, 2, 3):  # rendered, then twice from the cache
        response = reader(n).get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response["Content-Encoding"] == "gzip"
        assert {"Accept-Encoding", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
        pages.append(gzip.decompress(response.content).decode())  # checks CRC and length

    assert all(article.title in page for page in pages)
    assert len({field(page, "csrfmiddlewaretoken") for page in pages}) == 3
    assert len({field(page, "token") for page in pages}) == 3
    assert not PLACEHOLDER.search(pages[2])
    assert pages[1].replace(field(pages[1], "token"), "").replace(
        field(pages[1], "csrfmiddlewaretoken"), ""
    ) == pages[2].replace(field(pages[2], "token"), "").replace(
        field(pages[2], "csrfmiddlewaretoken"), ""
    )


def test_an_article_taken_offline_or_edited_shows_at_once(article, committed):
    url = article.get_absolute_url()
    for n in (1, 2):
        reader(n).get("/")
        reader(n).get(url)
    moderator = UserFactory(is_staff=True)

    # What the admin's change form does: the article saved as the moderator edited it.
    article.title = "La pirogue de Saint-Louis, corrigé"
    with committed():
        article.save()
    assert "corrigé" in reader(3).get(url).content.decode()
    assert "corrigé" in reader(3).get("/").content.decode()

    with committed():
        article_services.send_back_to_draft(article, by=moderator)
    assert reader(4).get(url).status_code == 404
    assert "La pirogue" not in reader(4).get("/").content.decode()


@pytest.mark.parametrize(
    ("url", "described_by"),
    [
        ("/flux/", {"Last-Modified"}),
        # The index has no date: no section reads every article for one (sitemaps.py).
        ("/sitemap.xml", {"X-Robots-Tag"}),
        ("/sitemap-articles.xml", {"Last-Modified", "X-Robots-Tag"}),
    ],
)
def test_a_feed_or_a_sitemap_from_the_cache_keeps_the_headers_that_describe_it(
    url, described_by, from_the_page_cache
):
    ArticleFactory()
    rendered = reader(1).get(url)
    cached = [reader(2).get(url), reader(3).get(url, HTTP_ACCEPT_ENCODING="gzip")]

    assert from_the_page_cache == [url, url]
    assert all(rendered.has_header(name) for name in described_by)
    for response in cached:
        assert content_headers(response) == content_headers(rendered)
        assert not response.cookies
    assert cached[0].content == rendered.content
    if "X-Robots-Tag" in described_by:
        assert cached[0]["X-Robots-Tag"] == "noindex, noodp, noarchive"


def test_no_reader_gets_the_cookie_of_the_reader_a_page_was_rendered_for(article, settings):
    url = article.get_absolute_url()
    rendered, cached = reader(1).get(url), reader(2).get(url)

    name = settings.CSRF_COOKIE_NAME
    assert rendered.cookies[name].value != cached.cookies[name].value


def test_a_conditional_get_is_answered_as_by_the_rendered_page(settings, from_the_page_cache):
    """Django answers If-Modified-Since only through ConditionalGetMiddleware, which the
    site does not use: a copy from the cache answers in full too."""
    ArticleFactory()
    since = reader(1).get("/flux/")["Last-Modified"]
    cached = reader(2).get("/flux/", HTTP_IF_MODIFIED_SINCE=since)
    settings.PAGE_CACHE_SECONDS = 0
    rendered = reader(3).get("/flux/", HTTP_IF_MODIFIED_SINCE=since)

    assert from_the_page_cache == ["/flux/"]
    assert (cached.status_code, cached.content) == (rendered.status_code, rendered.content)


def test_a_page_stored_by_the_code_that_kept_no_headers_is_still_served(
    django_assert_num_queries,
):
    """A rolling deploy shares the cache: the new code serves the old code's pages."""
    ArticleFactory()
    rendered = reader(1).get("/flux/")
    key = pagecache._page_key(RequestFactory().get("/flux/"))
    entry = cache.get(key)
    assert entry.pop("headers") == {"Last-Modified": rendered["Last-Modified"]}
    cache.set(key, entry)

    with django_assert_num_queries(0):
        plain = reader(2).get("/flux/")
        gzipped = reader(3).get("/flux/", HTTP_ACCEPT_ENCODING="gzip")

    assert plain.content == gzip.decompress(gzipped.content) == rendered.content
    for cached in (plain, gzipped):
        assert cached["Content-Type"] == rendered["Content-Type"]
        assert not cached.has_header("Last-Modified")  # until the page is rendered again
