"""What a first visit costs a reader on a phone, in bytes transferred: the page's HTML and
every stylesheet, script and font it pulls (images aside: the cover is the reader's
choice to look at, and the thumbnails load lazily).

Chromium loads the page from the live server with an empty cache. A response that came
compressed counts as sent; a static file, which the test server sends as it is, counts
as its gzip at level 9: what whitenoise's precompressed .gz holds in production.
"""

import gzip

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import PASSWORD, VerifiedUserFactory

pytestmark = pytest.mark.e2e

COUNTED = {"document", "stylesheet", "script", "font"}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}

# Budgets of issue 11, in kB (1 000 bytes).
BUDGETS = {"article": 35, "accueil": 45, "éditeur": 200}


def transferred(response):
    """Bytes of `response` on the wire (headers and body), compressed as the production
    server sends it."""
    sizes = response.request.sizes()
    if response.header_value("content-encoding"):
        body = sizes["responseBodySize"]
    else:
        body = len(gzip.compress(response.body(), compresslevel=9, mtime=0))
    return sizes["responseHeadersSize"] + body


def first_load(context, url, ready=None):
    """{resource url: bytes} of a first load of `url` in a fresh context."""
    page = context.new_page()
    responses = []
    page.on(
        "response",
        lambda r: responses.append(r) if r.request.resource_type in COUNTED else None,
    )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if ready:
        ready(page)
    weights = {r.url: transferred(r) for r in responses if r.status == 200}
    page.close()
    return weights


def report(name, weights):
    lines = [f"{name}: {sum(weights.values()) / 1000:.1f} kB"]
    lines += [f"  {size / 1000:6.1f} kB  {url}" for url, size in sorted(weights.items())]
    return "\n".join(lines)


@pytest.fixture
def demo(live_server, transactional_db):
    call_command("load_demo", verbosity=0)
    call_command("load_demo_comments", verbosity=0)
    return live_server.url


def test_first_load_weights(browser, demo):
    # The article with comments and a cover: the heaviest kind of article page.
    article = (
        Article.objects.published()
        .exclude(cover_image="")
        .filter(comments__isnull=False)
        .distinct()
        .first()
    )
    measured = {
        "accueil": first_load(browser.new_context(locale="fr-FR", **PHONE), demo + "/"),
        "article": first_load(
            browser.new_context(locale="fr-FR", **PHONE), demo + article.get_absolute_url()
        ),
    }

    # The editor, for a signed-in citizen whose browser has nothing in its cache yet.
    citizen = VerifiedUserFactory(username="aissatou")
    login = browser.new_context(locale="fr-FR", **PHONE)
    page = login.new_page()
    page.goto(demo + "/accounts/login/")
    page.fill("[name=login]", citizen.username)
    page.fill("[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name="Mes articles").first).to_be_visible()
    signed_in = login.storage_state()
    login.close()
    measured["éditeur"] = first_load(
        browser.new_context(locale="fr-FR", storage_state=signed_in, **PHONE),
        demo + "/contribuer/nouveau/",
        ready=lambda p: expect(p.locator(".prose-editor [contenteditable=true]")).to_be_visible(),
    )

    print("\n" + "\n".join(report(name, weights) for name, weights in measured.items()))
    over = {
        name: round(sum(measured[name].values()) / 1000, 1)
        for name, budget in BUDGETS.items()
        if sum(measured[name].values()) > budget * 1000
    }
    assert over == {}, "\n".join(report(name, measured[name]) for name in over)
