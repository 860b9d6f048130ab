"""Issue 11, reaching every reader: the current section, the phone menu, the order of an
article page, its pitch and credits, image sizes, the editor without its icon font, text
typed without JavaScript, and errors brought into sight."""

import re

import pytest
from django.urls import reverse

from articles.forms import ArticleForm, body_html
from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, UserFactory
from tests.pages import block

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code in (200, 400), response.status_code
    return response.content.decode()


def current_links(page):
    """{aria-current value: [link text]} in the desktop bar of sections."""
    bar = page[page.index('class="category-nav__bar"') :]
    bar = bar[: bar.index("</ul>")]
    found = {}
    for value, text in re.findall(r'aria-current="([^"]+)">([^<]+)</a>', bar):
        found.setdefault(value, []).append(text)
    return found


# The current section


def test_home_is_the_current_section_on_the_home_page_only(client):
    category = CategoryFactory(name="Santé")
    ArticleFactory(category=category)
    assert current_links(html(client.get("/"))) == {"page": ["Accueil"]}
    assert current_links(html(client.get(reverse("articles:search") + "?q=eau"))) == {}


def test_a_category_page_marks_its_section(client):
    category = CategoryFactory(name="Santé")
    CategoryFactory(name="Sport")
    ArticleFactory(category=category)
    page = html(client.get(category.get_absolute_url()))
    assert current_links(page) == {"page": ["Santé"]}
    # The phone menu says it too, and names the section on its button.
    menu = block(client.get(category.get_absolute_url()), r'<details class="category-nav__menu"')
    assert 'aria-current="page">Santé</a>' in menu
    assert 'class="category-nav__current">· Santé</span>' in menu


def test_an_article_marks_its_section_as_true_not_as_the_page(client):
    article = ArticleFactory(category=CategoryFactory(name="Sport"))
    assert current_links(html(client.get(article.get_absolute_url()))) == {"true": ["Sport"]}


def test_the_editor_of_an_article_marks_no_section(client):
    author = UserFactory()
    draft = ArticleFactory(author=author, status=Article.Status.DRAFT, published_at=None)
    client.force_login(author)
    assert current_links(html(client.get(reverse("articles:edit", args=[draft.pk])))) == {}


# The phone menu: every section, without JavaScript


def test_the_phone_menu_holds_every_section_in_a_details_element(client):
    categories = [CategoryFactory(name=f"Rubrique {n}") for n in range(12)]
    response = client.get("/")
    menu = block(response, r'<details class="category-nav__menu"')
    assert "<summary>Rubriques" in menu
    links = re.findall(r"<a href=\"([^\"]+)\"", menu)
    assert links == ["/"] + [c.get_absolute_url() for c in categories]


# An article page, in the order of the reference page


def test_on_a_phone_most_read_comes_after_the_pitch_and_before_the_comments(client):
    article = ArticleFactory()
    page = html(client.get(article.get_absolute_url()))
    order = [
        page.index('<main id="contenu"'),
        page.index('<aside class="pitch"'),
        page.index('<aside class="page-aside"'),
        page.index('id="les-plus-lus"'),
        page.index('<section class="comments"'),
    ]
    assert order == sorted(order)
    # The pitch is inside the main content, the comments after the aside.
    main = page[order[0] : page.index("</main>")]
    assert '<aside class="pitch"' in main and 'class="comments"' not in main


def test_the_creator_credit_shows_under_the_title_and_again_at_the_end(client):
    article = ArticleFactory(creator_credit="Ousmane Ka, membre du collectif")
    page = html(client.get(article.get_absolute_url()))
    credit = "Article écrit par le créateur de contenu : Ousmane Ka, membre du collectif"
    text = re.sub(r"\s+", " ", page)
    assert text.count(credit) == 2
    assert text.index(credit, text.index('class="article-body"')) > text.index(
        'class="article-body"'
    )


def test_the_pitch_says_cliquez_ici_to_readers_and_ecrire_to_signed_in_authors(client):
    article = ArticleFactory()
    pitch = block(client.get(article.get_absolute_url()), r'<aside class="pitch"')
    assert re.search(r'<a class="pitch-link" href="/accounts/signup/">Cliquez-ici</a>', pitch)
    assert "Écrire un article" not in pitch

    client.force_login(UserFactory())
    pitch = block(client.get(article.get_absolute_url()), r'<aside class="pitch"')
    assert f'href="{reverse("articles:create")}">Écrire un article</a>' in pitch
    assert "Cliquez-ici" not in pitch and "/accounts/signup/" not in pitch


def test_reference_date_formats_stay(client):
    article = ArticleFactory()
    page = html(client.get(article.get_absolute_url()))
    assert re.search(r"Publié le\s*<time[^>]*>\d\d/\d\d/\d{4} \d\d:\d\d:\d\d</time>", page)


# Images: dimensions, sources by width, lazy below the fold


def test_covers_have_dimensions_and_both_webp_widths(client):
    article = ArticleFactory(cover=True)
    cover = block(client.get(article.get_absolute_url()), r'<figure class="article-cover"')
    img = re.search(r"<img [^>]+>", cover).group(0)
    assert 'width="1280" height="720"' in img
    assert f'srcset="{article.cover_thumbnail.url} 640w, {article.cover_image.url} 1280w"' in img
    assert "sizes=" in img and 'loading="lazy"' not in img  # the cover is the page's picture

    home = html(client.get("/"))
    lead = re.search(r'<img class="lead-article__img"[^>]+>', home).group(0)
    assert 'width="1280" height="720"' in lead and "640w" in lead


def test_every_image_of_the_lists_has_dimensions_and_loads_lazily(client):
    category = CategoryFactory()
    for _ in range(3):
        ArticleFactory(cover=True, category=category)
    page = html(client.get(category.get_absolute_url()))
    images = re.findall(r'<img class="card-article__img"[^>]+>', page)
    assert len(images) == 3
    for img in images:
        assert 'width="640" height="360"' in img and 'loading="lazy"' in img


# The editor


def test_the_editor_pulls_no_icon_font_and_names_itself_in_french(client):
    media = str(ArticleForm().media)
    assert "material-icons" not in media
    assert "js/editor.js" in media and "css/editor.css" in media
    client.force_login(UserFactory())
    page = html(client.get(reverse("articles:create")))
    assert "material-icons" not in page
    # Without JavaScript the label names the textarea; editor.js moves it to the editor.
    assert re.search(r'<label[^>]* for="id_body"[^>]*>\s*Texte', page)


@pytest.mark.parametrize(
    "typed, stored",
    [
        (
            "Premier paragraphe.\r\nAvec un retour à la ligne.\r\n\r\nSecond paragraphe.",
            "<p>Premier paragraphe.<br>Avec un retour à la ligne.</p>\n\n<p>Second paragraphe.</p>",
        ),
        ("Un <3 & des « guillemets »", "<p>Un &lt;3 &amp; des « guillemets »</p>"),
        ("<p>Déjà du HTML</p><p>de l'éditeur</p>", "<p>Déjà du HTML</p><p>de l'éditeur</p>"),
        ("", ""),
    ],
)
def test_text_typed_without_the_editor_keeps_its_paragraphs(typed, stored):
    assert body_html(typed) == stored


def test_a_draft_written_without_javascript_keeps_its_paragraphs(client):
    category = CategoryFactory()
    me = UserFactory()
    client.force_login(me)
    response = client.post(
        reverse("articles:create"),
        {
            "title": "Sans JavaScript",
            "summary": "",
            "body": "Un.\r\n\r\nDeux <3 trois.",
            "category": category.pk,
            "action": "save",
        },
    )
    assert response.status_code == 302
    body = Article.objects.get(title="Sans JavaScript").body
    assert body == "<p>Un.</p>\n\n<p>Deux &lt;3 trois.</p>"


def test_the_article_form_brings_its_errors_into_sight(client):
    client.force_login(UserFactory())
    response = client.post(reverse("articles:create"), {"title": "", "action": "save"})
    page = html(response)
    assert page.count("<title>Erreur : Écrire un article — NOTRE CONTINENT</title>") == 1
    summary = block(response, r'<div class="error-summary"')
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    assert '<a href="#id_title">Titre : Ce champ est obligatoire.</a>' in summary
    assert '<a href="#id_category">Catégorie : Ce champ est obligatoire.</a>' in summary
