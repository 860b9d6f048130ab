"""A reader in a real browser (Debian's chromium driven by Playwright), phone and desktop.

Screenshots go to test-artifacts/ (not tracked) to be looked at after the run.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, DailyViews
from articles.readership import flush_views

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_site(live_server):
    """The demo content, created before the browser starts."""
    call_command("load_demo", verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


def screenshot(page, name):
    """The whole page, once its lazy images have been scrolled into view and loaded."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight) {
                window.scrollTo(0, y);
                await new Promise(resolve => setTimeout(resolve, 50));
            }
            await Promise.all(Array.from(document.images, img => img.decode().catch(() => null)));
            window.scrollTo(0, 0);
        }"""
    )
    page.screenshot(path=ARTIFACTS / name, full_page=True)


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("device", VIEWPORTS)
def test_reader_opens_home_then_an_article(demo_site, browser, device):
    # Reduced motion: Bootstrap then drops its smooth scrolling, whose animation a busy
    # machine can starve, and the back-to-top jump below is immediate.
    context = browser.new_context(locale="fr-FR", reduced_motion="reduce", **VIEWPORTS[device])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    page.goto(demo_site + "/")
    assert page.title().startswith("NOTRE CONTINENT")
    assert page.locator(".site-title").inner_text() == "NOTRE CONTINENT"
    assert page.locator("#les-plus-lus").inner_text() == "LES PLUS LUS"
    lead_image = page.locator(".lead-article__img")
    assert lead_image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert no_horizontal_scroll(page), "the home page scrolls sideways"
    screenshot(page, f"home-{device}.png")

    lead = Article.objects.published().get(
        is_featured=True, title=page.locator(".lead-article__title a").inner_text()
    )
    views_before = sum(DailyViews.objects.filter(article=lead).values_list("views", flat=True))
    page.locator(".lead-article__title a").click()
    page.wait_for_url(f"**{lead.get_absolute_url()}")
    assert page.locator("h1").inner_text() == lead.title
    crumbs = page.locator(".breadcrumb").text_content()
    assert "NOTRE CONTINENT" in crumbs and lead.category.name in crumbs
    assert page.get_by_text("Publié le").is_visible()
    assert page.get_by_role("heading", name="Réagir à cet article").is_visible()
    # The cover comes from its srcset (640 or 1,280 px WebP), whichever fits the screen.
    cover = page.locator(".article-cover img")
    assert cover.evaluate("img => img.complete && img.naturalWidth > 0")
    assert cover.evaluate("img => img.currentSrc").endswith(".webp")
    assert no_horizontal_scroll(page), "the article page scrolls sideways"
    screenshot(page, f"article-{device}.png")

    # Keyboard: the first Tab reaches the skip link, which leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    # Back to top, from the footer.
    page.locator(".back-to-top").click()
    # A function, not an expression string, which Playwright would eval under the page's CSP.
    page.wait_for_url("**#haut")
    page.wait_for_function("() => window.scrollY === 0", polling=100)

    # Headless chromium says so in its user agent: a robot, not counted.
    flush_views()
    assert sum(DailyViews.objects.filter(article=lead).values_list("views", flat=True)) == (
        views_before
    )
    assert not errors, errors
    assert not failed, failed
    context.close()
