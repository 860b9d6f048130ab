"""Keyboard focus is visible on every control a reader tabs through: a ring at least
2 px wide whose colour stands out 3:1 from what surrounds it (WCAG 2.4.7, 1.4.11), on
the red buttons too. Debian's chromium, driven by Playwright, pressing Tab."""

import pytest

from articles.models import DailyViews
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.e2e

# The focused element, its ring and the colour behind it (the first opaque background of
# its ancestors: the ring is drawn outside the element, on that background).
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let behind = el.parentElement, background = "rgb(255, 255, 255)";
  while (behind) {
    const colour = getComputedStyle(behind).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { background = colour; break; }
    behind = behind.parentElement;
  }
  return {
    name: (el.getAttribute("aria-label") || el.textContent || el.name || el.id || el.tagName).trim().slice(0, 40),
    tag: el.tagName, outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
    colour: style.outlineColor, background,
  };
}"""


def luminance(rgb):
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("width", [360, 1280])
def test_focus_is_visible_on_every_control_tabbed_to(browser, live_server, transactional_db, width):
    article = ArticleFactory(title="Le marché de Sandaga rouvre", cover=True)
    CommentFactory(article=article, name="Aminata")
    DailyViews.add(article.pk, count=12)  # in "Les plus lus"
    page = browser.new_context(
        locale="fr-FR", viewport={"width": width, "height": 800}, reduced_motion="reduce"
    ).new_page()
    page.goto(live_server.url + article.get_absolute_url())

    seen, invisible = [], []
    for _ in range(150):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "BODY":
            break
        seen.append(focused["name"])
        ratio = contrast(focused["colour"], focused["background"])
        if focused["outline"] in ("none", "hidden") or focused["width"] < 2 or ratio < 3:
            invisible.append(
                f"{focused['name']}: {focused['outline']} {focused['width']}px, {ratio:.1f}:1"
            )

    # The main controls were reached: the search, the red buttons, the sections (the
    # phone's menu, the desktop's bar), the comment form, the back-to-top link.
    sections = "Rubriques" if width == 360 else "Accueil"
    for control in [
        "Aller au contenu",
        "q",
        "Rechercher",
        "Publier un article",
        sections,
        "Le marché de Sandaga rouvre",  # "Les plus lus"
        "name",
        "body",
        "Publier le commentaire",
        "Haut de page ↑",
    ]:
        assert any(name.startswith(control) for name in seen), (control, seen)
    assert invisible == [], invisible
