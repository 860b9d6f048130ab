"""Redis down: the cache settings production uses (REDIS_URL) keep the site answering.

Redis is a real address where nothing listens (a free loopback port): every cache call
fails as it does while Redis restarts. Pages are served, computed for each request;
what needs an atomic claim in the cache (a counted view, a comment's single-use form and
flood check) is refused rather than let through. The rehearsal (`make cluster-test`)
restarts a real Redis under load; this is the same rule, in `make test`.
"""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import DailyViews
from comments.models import Comment
from comments.policy import make_form_token
from tests.factories import PASSWORD, ArticleFactory, VerifiedUserFactory
from tests.localservers import free_port
from tests.test_project import settings_under


@pytest.fixture(scope="module")
def redis_down_caches():
    port = free_port()  # nothing listens there
    env = {"SECRET_KEY": "x" * 50, "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    return settings_under(env, "CACHES", "DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS")


@pytest.fixture
def redis_down(settings, redis_down_caches):
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = redis_down_caches[
        "DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS"
    ]
    settings.CACHES = redis_down_caches["CACHES"]
    settings.PAGE_CACHE_SECONDS = 60


@pytest.mark.django_db
def test_pages_are_served_and_nothing_is_let_through(redis_down, caplog):
    article = ArticleFactory(title="Le fleuve Sénégal en crue")
    reader = Client(REMOTE_ADDR="198.51.100.7")
    for path in ("/", article.category.get_absolute_url(), article.get_absolute_url(), "/healthz"):
        assert reader.get(path).status_code == 200, path
    # A view that cannot be checked against the repeat window is not counted.
    assert not DailyViews.objects.filter(article=article).exists()
    # A comment whose form cannot be claimed once: refused, the text comes back in French.
    response = reader.post(
        reverse("comments:post", args=[article.slug]),
        {
            "name": "Awa",
            "email": "awa@example.org",
            "body": "Pendant la panne.",
            "parent": "",
            "token": make_form_token(article.pk),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce formulaire a expiré ou a déjà été envoyé" in html.replace("&#x27;", "'")
    assert "Pendant la panne." in html
    assert not Comment.objects.exists()
    # Every failure is logged.
    assert any(record.name.startswith("django_redis") for record in caplog.records)


@pytest.mark.django_db
def test_logging_in_waits_for_the_cache(redis_down):
    """allauth's login rate limit cannot count the attempt: it refuses (429) rather than
    let guesses through. Sessions live in the database: one opened before the
    outage goes on."""
    citizen = VerifiedUserFactory(username="awa")
    signed_in = Client()
    signed_in.force_login(citizen)
    response = Client().post("/accounts/login/", {"login": "awa", "password": PASSWORD})
    assert response.status_code == 429
    assert signed_in.get("/compte/").status_code == 200
    # Her articles and their views (figures flushed from the Redis buffer first, when it
    # answers): shown with what the database has.
    ArticleFactory(author=citizen, title="Mon reportage")
    page = signed_in.get(reverse("articles:my_articles"))
    assert page.status_code == 200 and "Mon reportage" in page.content.decode()
