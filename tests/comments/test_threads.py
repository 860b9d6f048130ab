"""Threads on the article page: nesting, order, counts, placeholders, pages, query cost."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from comments import services, threads
from comments.models import MAX_DEPTH, Comment
from tests.factories import CommentFactory, bulk_threads

pytestmark = pytest.mark.django_db


def page(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def comment_ids(html):
    return [int(pk) for pk in re.findall(r'<li class="comment[^"]*" id="comment-(\d+)"', html)]


def at(minutes):
    return timezone.now() - datetime.timedelta(minutes=1000 - minutes)


# Posting replies -----------------------------------------------------------------------


def test_a_reply_nests_under_its_parent(article, post_comment):
    parent = CommentFactory(article=article)
    assert post_comment(article, parent=parent.pk).status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert (reply.depth, reply.reply_to) == (2, parent)


def test_replies_nest_down_to_depth_three(article, post_comment, no_flood):
    top = CommentFactory(article=article)
    second = CommentFactory(parent=top)
    post_comment(article, parent=second.pk)
    third = Comment.objects.get(parent=second)
    assert third.depth == MAX_DEPTH == 3


def test_a_reply_to_a_comment_at_depth_three_attaches_beside_it(article, post_comment):
    top = CommentFactory(article=article)
    second = CommentFactory(parent=top)
    third = CommentFactory(parent=second)
    post_comment(article, parent=third.pk, name="Moussa")
    reply = Comment.objects.get(name="Moussa")
    assert reply.parent == second
    assert reply.reply_to == third
    assert reply.depth == 3


def test_every_reply_knows_the_top_level_comment_of_its_thread(article):
    def post(name, parent=None):
        return services.post_comment(
            article=article, name=name, email="a@example.org", body="!", parent=parent
        )

    top = post("Premier fil")
    second = post("Deux", top)
    third = post("Trois", second)
    beside = post("Quatre", third)  # attached beside the third, at depth 3
    other = post("Autre fil")
    assert (top.thread, other.thread) == (None, None)
    assert [c.thread for c in (second, third, beside)] == [top, top, top]
    assert beside.parent == second


def test_a_reply_without_its_thread_is_refused_by_the_database(article):
    top = CommentFactory(article=article)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(article=article, name="X", body="!", parent=top, depth=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(article=article, name="X", body="!", thread=top)


@pytest.mark.parametrize(
    "parent",
    ["abc", "12abc", "-1", "1.5", "999999", "[]", "0", " ", "1e3", "１"],
)
def test_a_bad_parent_is_a_form_error(article, post_comment, parent):
    response = post_comment(article, parent=parent)
    assert response.status_code == 400
    assert "n&#x27;existe pas ou n&#x27;est plus visible" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_parent_from_another_article_is_a_form_error(article, post_comment):
    elsewhere = CommentFactory()
    response = post_comment(article, parent=elsewhere.pk)
    assert response.status_code == 400
    assert not Comment.objects.filter(name="Awa Diop").exists()


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED]
)
def test_a_parent_that_is_not_visible_is_a_form_error(article, post_comment, status):
    hidden = CommentFactory(article=article, status=status)
    response = post_comment(article, parent=hidden.pk)
    assert response.status_code == 400
    assert not Comment.objects.filter(parent=hidden).exists()


def test_a_form_error_keeps_the_parent_and_the_text(article, post_comment):
    parent = CommentFactory(article=article)
    html = post_comment(
        article, parent=parent.pk, email="pas-une-adresse", body="Mon texte"
    ).content.decode()
    assert f'name="parent" value="{parent.pk}"' in html
    assert "Mon texte" in html
    assert "Saisissez une adresse de courriel valide" in html


# Display -------------------------------------------------------------------------------


def test_count_texts(client, article):
    assert "Aucun commentaire" in page(client, article)
    CommentFactory(article=article)
    CommentFactory(article=article, status=Comment.Status.PENDING)
    CommentFactory(article=article, status=Comment.Status.SPAM)
    html = page(client, article)
    assert ">1 commentaire<" in html
    CommentFactory(article=article)
    CommentFactory(article=article, status=Comment.Status.REMOVED)
    assert ">2 commentaires<" in page(client, article)


def test_newest_thread_first_and_replies_oldest_first(client, article):
    old = CommentFactory(article=article, created_at=at(1), body="ancien fil")
    new = CommentFactory(article=article, created_at=at(2), body="nouveau fil")
    late_reply = CommentFactory(parent=old, created_at=at(9))
    early_reply = CommentFactory(parent=old, created_at=at(3))
    nested = CommentFactory(parent=early_reply, created_at=at(4))
    assert comment_ids(page(client, article)) == [
        new.pk,
        old.pk,
        early_reply.pk,
        nested.pk,
        late_reply.pk,
    ]


def test_a_reply_is_shown_inside_its_parent(client, article):
    parent = CommentFactory(article=article)
    reply = CommentFactory(parent=parent)
    html = page(client, article)
    start = html.index(f'id="comment-{parent.pk}"')
    replies = html.index('<ol class="comment-replies">', start)
    assert replies < html.index(f'id="comment-{reply.pk}"')


def test_name_text_and_site_time(client, article):
    # 15:26:57 UTC is 15:26:57 in Dakar (UTC+0, no daylight saving).
    moment = datetime.datetime(2024, 10, 4, 15, 26, 57, tzinfo=datetime.UTC)
    CommentFactory(article=article, name="Fatou", body="Très juste.", created_at=moment)
    html = page(client, article)
    assert "Fatou" in html and "Très juste." in html
    assert "Le 2024-10-04 15:26:57" in html


def test_text_keeps_line_breaks_and_links_are_nofollow(client, article):
    CommentFactory(
        article=article, body="Ligne un\nLigne deux\r\nSource : https://exemple.org/a?b=1&c=2"
    )
    html = page(client, article)
    assert "Ligne un<br>Ligne deux<br>" in html
    assert (
        '<a href="https://exemple.org/a?b=1&amp;c=2" rel="nofollow ugc noopener noreferrer">'
        in html
    )


def test_only_visible_comments_are_shown(client, article):
    shown = CommentFactory(article=article, body="visible")
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED):
        CommentFactory(article=article, status=status, body=f"caché {status}")
    html = page(client, article)
    assert comment_ids(html) == [shown.pk]
    assert "caché" not in html


def test_a_removed_comment_with_replies_leaves_a_placeholder(client, article):
    removed = CommentFactory(article=article, status=Comment.Status.REMOVED, body="propos retiré")
    reply = CommentFactory(parent=removed, body="une réponse")
    html = page(client, article)
    assert "Commentaire supprimé par la modération" in html
    assert "propos retiré" not in html
    assert comment_ids(html) == [removed.pk, reply.pk]


def test_a_comment_sent_back_to_moderation_is_not_called_removed(client, article):
    held = CommentFactory(article=article, status=Comment.Status.PENDING, body="en relecture")
    CommentFactory(parent=held, body="une réponse")
    html = page(client, article)
    assert "Commentaire en cours de modération" in html
    assert "supprimé" not in html
    assert "en relecture" not in html


def test_a_removed_comment_with_only_hidden_replies_disappears(client, article):
    removed = CommentFactory(article=article, status=Comment.Status.REMOVED)
    CommentFactory(parent=removed, status=Comment.Status.PENDING)
    html = page(client, article)
    assert comment_ids(html) == []
    assert "Commentaire supprimé" not in html


def test_a_placeholder_in_the_middle_of_a_thread(client, article):
    top = CommentFactory(article=article)
    middle = CommentFactory(parent=top, status=Comment.Status.SPAM, body="pub")
    bottom = CommentFactory(parent=middle, body="réponse à la pub")
    html = page(client, article)
    assert comment_ids(html) == [top.pk, middle.pk, bottom.pk]
    assert ">pub<" not in html


def test_the_commenter_sees_their_pending_comment_and_a_message(client, article, post_comment):
    response = post_comment(article, body="J'attends mon tour")
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    html = client.get(response["Location"]).content.decode()
    assert "J&#x27;attends mon tour" in html
    assert "en attente de modération" in html
    assert "Votre commentaire est en attente de modération" in html  # the message
    assert "Aucun commentaire" in html  # not counted: not visible


def test_others_do_not_see_a_pending_comment(client, django_user_model, article, post_comment):
    post_comment(article, body="J'attends mon tour")
    from django.test import Client

    html = page(Client(), article)
    assert "J&#x27;attends mon tour" not in html
    assert "en attente de modération" not in html


def test_reply_link_without_javascript(client, article):
    parent = CommentFactory(article=article, name="Ousmane")
    html = page(client, article)
    assert f'href="?repondre={parent.pk}#reagir"' in html
    html = page(client, article, f"?repondre={parent.pk}")
    assert f'name="parent" value="{parent.pk}"' in html
    assert "Vous répondez à Ousmane." in html


@pytest.mark.parametrize("value", ["abc", "-3", "999999", ""])
def test_a_bad_reply_parameter_is_ignored(client, article, value):
    CommentFactory(article=article)
    html = page(client, article, f"?repondre={value}")
    assert 'name="parent" id="id_parent"' in html  # no value preset


def test_no_reply_link_on_a_placeholder(client, article):
    removed = CommentFactory(article=article, status=Comment.Status.REMOVED)
    CommentFactory(parent=removed)
    assert f"repondre={removed.pk}" not in page(client, article)


# Pagination ----------------------------------------------------------------------------


def make_threads(article, n):
    return Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Lecteur {i}",
            email=f"l{i}@example.net",
            body=f"Fil numéro {i}",
            status=Comment.Status.APPROVED,
            created_at=at(i),
        )
        for i in range(n)
    )


def test_threads_paginate_past_50(client, article):
    threads = make_threads(article, 51)
    first = page(client, article)
    assert len(comment_ids(first)) == 50
    assert ">51 commentaires<" in first
    assert "?commentaires=2" in first
    second = page(client, article, "?commentaires=2")
    assert comment_ids(second) == [threads[0].pk]  # the oldest thread


def test_a_reply_stays_with_its_thread_on_a_later_page(client, article):
    threads = make_threads(article, 51)
    reply = CommentFactory(parent=threads[0])
    assert reply.pk in comment_ids(page(client, article, "?commentaires=2"))
    assert reply.pk not in comment_ids(page(client, article))


@pytest.mark.parametrize("value", ["0", "-1", "abc", "99", "2.5", "last", "9" * 30])
def test_bad_page_values_never_fail(client, article, value):
    make_threads(article, 51)
    html = page(client, article, f"?commentaires={value}")
    assert comment_ids(html)


def test_a_reply_posted_on_page_two_redirects_to_page_two(client, article, post_comment):
    threads = make_threads(article, 51)
    response = post_comment(article, parent=threads[0].pk)
    reply = Comment.objects.get(parent=threads[0])
    assert response["Location"].endswith(f"?commentaires=2#comment-{reply.pk}")


# Cost ----------------------------------------------------------------------------------


def article_page_queries(client, article):
    client.get(article.get_absolute_url())  # warm per-process caches (settings row, widgets)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def test_article_page_query_count_is_the_same_at_0_and_300_comments(client, article):
    empty = article_page_queries(client, article)
    assert bulk_threads(article, 300) == 300
    assert Comment.objects.filter(depth=3).count() == 100
    assert article_page_queries(client, article) == empty
    assert empty <= ARTICLE_PAGE_MAX_QUERIES


@pytest.mark.parametrize("n", [0, 20, 300])
def test_the_comment_section_costs_two_queries(
    client, rf, article, post_comment, django_assert_num_queries, n
):
    bulk_threads(article, n)
    post_comment(article)  # this browser now has a comment of its own waiting
    request = rf.get(article.get_absolute_url())
    request.session = client.session
    assert request.session.keys()  # read here, as the session middleware would, not counted
    with django_assert_num_queries(2):
        section = threads.build(article, request=request)
    roots = Comment.objects.top_level().count()
    assert section.page.paginator.count == roots
    assert len(section.threads) == min(roots, threads.THREADS_PER_PAGE)
    assert section.count == Comment.objects.visible().count()


# The page as the articles app serves it today: the article, then the comment section's
# two queries. Other widgets are cached.
ARTICLE_PAGE_MAX_QUERIES = 5


DECEPTIVE_LINKS = [
    "www.example.com@attacker.example",
    "https://www.example.com@attacker.example/connexion",
    "http://www.example.com:443@attacker.example",
    "HTTPS://WWW.EXAMPLE.COM@ATTACKER.EXAMPLE",
    "https://user:motdepasse@attacker.example",
    "https://www.example.com%40attacker.example",
    "http://attacker.example\\@www.example.com",
    "(www.example.com@attacker.example)",
    "www.example.com&#64;attacker.example",
]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self._href = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self.links.append([self._href, ""])

    def handle_data(self, data):
        if self._href is not None:
            self.links[-1][1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None


def comment_links(html):
    """(href, visible text) of each link in the comments' texts, read by an HTML parser."""
    parser = _Links()
    for text in re.findall(r'<div class="comment-text">(.*?)</div>', html, re.DOTALL):
        parser.feed(text)
    return parser.links


@pytest.mark.parametrize("text", DECEPTIVE_LINKS)
def test_a_link_whose_visible_host_is_not_its_real_host_stays_text(client, article, text):
    CommentFactory(article=article, body=f"Connectez-vous sur {text} vite")
    html = page(client, article)
    assert comment_links(html) == []
    assert escape(text) in html  # shown, escaped, not linked
    assert 'href="' not in html[html.index("Connectez-vous") : html.index(" vite")]


def test_honest_links_stay_clickable_and_lead_where_they_say(client, article):
    CommentFactory(
        article=article,
        body="Sources : www.exemple.sn et https://exemple.org/profil/@awa?de=a@b.sn, "
        "écrivez à awa@example.org",
    )
    links = comment_links(page(client, article))
    assert [text for _href, text in links] == [
        "www.exemple.sn",
        "https://exemple.org/profil/@awa?de=a@b.sn",
    ]
    for href, text in links:
        visible_host = urlsplit(text if "//" in text else f"https://{text}").hostname
        assert urlsplit(href).hostname == visible_host
