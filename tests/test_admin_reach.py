"""The moderators' admin at 1280 px: lists that fit (short date columns, the moderators'
stylesheet on every page), a date filter of a few links rather than one link per day,
French everywhere, and each app named once on the dashboard."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, CommentFactory, DraftFactory

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")
COMMENTS = reverse("admin:comments_comment_changelist")


def test_the_dashboard_names_each_app_once(moderator_client, moderator):
    moderator.is_superuser = True
    moderator.save()
    html = moderator_client.get("/admin/").content.decode()
    captions = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', html)
    assert "Comptes" in captions and "Adresses e-mail" in captions
    assert len(captions) == len(set(captions)), captions


@pytest.mark.parametrize("url", [ARTICLES, COMMENTS, "/admin/"])
def test_every_admin_page_has_the_moderators_stylesheet(moderator_client, url):
    html = moderator_client.get(url).content.decode()
    assert html.count('href="/static/css/admin.css"') == 1
    # No navigation sidebar: the lists get the page's width.
    assert 'id="nav-sidebar"' not in html


def test_the_date_filter_is_a_few_links_whatever_the_days(moderator_client):
    # Articles on 21 different days of one month: a date hierarchy drilled down to them.
    for day in range(1, 22):
        ArticleFactory(published_at=f"2026-03-{day:02d}T10:00:00+00:00")
    html = moderator_client.get(ARTICLES).content.decode()
    assert 'class="xfull"' not in html and "toplinks" not in html  # no date hierarchy
    published = html[html.index('data-filter-title="publié le"') :]
    published = published[: published.index("</details>")]
    assert len(re.findall(r"<a ", published)) <= 7
    last_week = moderator_client.get(ARTICLES + "?published_at__gte=2026-03-15").context["cl"]
    assert last_week.result_count == 7


def test_list_dates_are_short(moderator_client):
    ArticleFactory(published_at="2026-03-05T10:00:00+00:00", title="Daté")
    DraftFactory(title="Sans date")
    CommentFactory(created_at="2026-03-06T08:30:00+00:00")
    html = moderator_client.get(ARTICLES).content.decode()
    row = html[html.index("Daté") :]
    assert '<td class="field-published">05/03/2026<br>10:00</td>' in row[: row.index("</tr>")]
    row = html[html.index("Sans date") :]
    assert '<td class="field-published">-</td>' in row[: row.index("</tr>")]
    html = moderator_client.get(COMMENTS).content.decode()
    assert '<td class="field-posted">06/03/2026<br>08:30</td>' in html


def test_the_action_pages_breadcrumb_is_in_french(moderator_client):
    article = ArticleFactory(status=Article.Status.SUBMITTED)
    page = moderator_client.post(
        ARTICLES, {"action": "reject", "_selected_action": [article.pk]}
    ).content.decode()
    trail = page[page.index('class="breadcrumbs"') :]
    assert ">Accueil</a>" in trail[: trail.index("</ol>")] and ">Home<" not in page
