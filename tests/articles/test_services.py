"""articles/services.py: each change of an article with all its effects, and only once
the transaction commits (the e-mails' contents: test_workflow.py); the articles' part of
an account's data export."""

import json
import re

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.db import transaction
from django.template import Context, Template

from articles import services
from articles.models import Article, DailyViews
from tests.factories import (
    ArticleFactory,
    DraftFactory,
    ModeratorFactory,
    SubmittedFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def moderator():
    return ModeratorFactory(email="relecture@example.org")


def submitted(**kwargs):
    return SubmittedFactory(**kwargs)


def publish(article, moderator, **kwargs):
    """Publish the version under review, as a moderator who has read it."""
    version = article.version_under_review().number
    return services.publish(article, by=moderator, version=version, **kwargs)


def cover_files(article):
    return [article.cover_image.name, article.cover_thumbnail.name]


def most_read():
    """The titles "Les plus lus" shows now, in its order."""
    html = Template("{% load articles_tags %}{% most_read %}").render(Context())
    return re.findall(r'class="most-read-title"[^>]*>([^<]+)</a>', html)


# (service call, starting article, state after, who is e-mailed)
CHANGES = {
    "submit": (lambda a, m: services.submit(a), DraftFactory, Status.SUBMITTED, "moderators"),
    "withdraw": (lambda a, m: services.withdraw(a), submitted, Status.DRAFT, None),
    "publish": (
        lambda a, m: publish(a, m),
        submitted,
        Status.PUBLISHED,
        "author",
    ),
    "reject": (
        lambda a, m: services.reject(a, by=m, reason="Sources ?"),
        submitted,
        Status.REJECTED,
        "author",
    ),
    "feature": (lambda a, m: services.feature(a, by=m), ArticleFactory, Status.PUBLISHED, None),
    "unfeature": (
        lambda a, m: services.unfeature(a, by=m),
        ArticleFactory,
        Status.PUBLISHED,
        None,
    ),
    "send back to draft": (
        lambda a, m: services.send_back_to_draft(a, by=m),
        ArticleFactory,
        Status.DRAFT,
        None,
    ),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_each_change_mails_whom_it_should_once_committed(committed, moderator, change):
    call, factory, state, mailed = change
    article = factory()
    with committed():
        call(article, moderator)
        assert mail.outbox == []  # nothing before the commit
    article.refresh_from_db()
    assert article.status == state
    expected = {
        "moderators": [["relecture@example.org"]],
        "author": [[article.author.email]],
        None: [],
    }[mailed]
    assert [m.to for m in mail.outbox] == expected


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_rolled_back_change_sends_nothing_and_changes_nothing(committed, moderator, change):
    call, factory, state, mailed = change
    article = factory()
    before = article.status
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        call(article, moderator)
        raise RuntimeError("something failed after the change")
    article.refresh_from_db()
    assert article.status == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("factory", "call"),
    [
        (DraftFactory, lambda a, m: services.submit(a, notify=False)),
        (submitted, lambda a, m: publish(a, m, notify=False)),
        (submitted, lambda a, m: services.reject(a, by=m, reason="Non.", notify=False)),
    ],
    ids=["submit", "publish", "reject"],
)
def test_notify_false_makes_the_change_without_a_mail(committed, moderator, factory, call):
    article = factory()
    before = article.status
    with committed():
        call(article, moderator)
    article.refresh_from_db()
    assert article.status != before
    assert mail.outbox == []


def test_publication_and_unpublication_show_in_most_read_at_once(moderator):
    online = ArticleFactory(title="Déjà en ligne")
    waiting = submitted(title="Bientôt en ligne")
    DailyViews.add(online.pk, count=5)
    DailyViews.add(waiting.pk, count=9)
    assert most_read() == ["Déjà en ligne"]  # now cached
    publish(waiting, moderator)
    assert set(most_read()) == {"Déjà en ligne", "Bientôt en ligne"}
    services.send_back_to_draft(online, by=moderator)
    assert most_read() == ["Bientôt en ligne"]
    services.delete(waiting)
    assert most_read() == []


def test_feature_and_unfeature_change_the_home_page_lead(client, moderator):
    ArticleFactory(title="La plus récente")
    older = ArticleFactory(title="Mise à la une")
    Article.objects.filter(pk=older.pk).update(published_at=older.published_at.replace(year=2020))
    older.refresh_from_db()
    assert client.get("/").context["lead"].title == "La plus récente"
    services.feature(older, by=moderator)
    assert client.get("/").context["lead"] == older
    services.unfeature(older, by=moderator)
    assert client.get("/").context["lead"].title == "La plus récente"


def test_delete_removes_the_row_then_its_cover_files(committed):
    article = DraftFactory(cover=True)
    files = cover_files(article)
    with committed():
        services.delete(article)
        assert all(default_storage.exists(name) for name in files)  # not before the commit
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not any(default_storage.exists(name) for name in files)


def test_a_rolled_back_deletion_keeps_the_row_and_its_files(committed):
    article = DraftFactory(cover=True)
    pk, files = article.pk, cover_files(article)
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        services.delete(article)
        raise RuntimeError("something failed after the deletion")
    assert Article.objects.filter(pk=pk).exists()
    assert all(default_storage.exists(name) for name in files)


def test_delete_unpublished_by_keeps_what_is_online(committed):
    author = UserFactory()
    published = ArticleFactory(author=author, cover=True)
    sent_back = ArticleFactory(author=author)
    services.send_back_to_draft(sent_back, by=ModeratorFactory())
    gone = [
        DraftFactory(author=author, cover=True),
        submitted(author=author),
        ArticleFactory(author=author, status=Status.REJECTED, published_at=None),
        sent_back,
    ]
    someone_else = DraftFactory()
    with committed():
        assert services.delete_unpublished_by(author) == len(gone)
    assert not Article.objects.filter(pk__in=[a.pk for a in gone]).exists()
    assert not any(default_storage.exists(name) for name in cover_files(gone[0]))
    assert Article.objects.filter(pk__in=[published.pk, someone_else.pk]).count() == 2
    assert all(default_storage.exists(name) for name in cover_files(published))


@pytest.mark.django_db(transaction=True)
def test_files_go_with_a_real_commit_and_stay_after_a_real_rollback():
    """No captured callbacks: real transactions, as in production."""
    kept, deleted = DraftFactory(cover=True), DraftFactory(cover=True)
    kept_pk = kept.pk
    with pytest.raises(RuntimeError), transaction.atomic():
        services.delete(kept)
        raise RuntimeError("something failed after the deletion")
    services.delete(deleted)
    assert Article.objects.filter(pk=kept_pk).exists()
    assert all(default_storage.exists(name) for name in cover_files(kept))
    assert not any(default_storage.exists(name) for name in cover_files(deleted))


# The articles' part of an account's data export


def test_export_lists_every_article_of_the_author_in_every_state():
    author = UserFactory()
    published = ArticleFactory(author=author, title="En ligne")
    DraftFactory(author=author, title="Brouillon")
    ArticleFactory(author=author, title="Refusé", status=Article.Status.REJECTED, published_at=None)
    ArticleFactory(title="D'un autre auteur")
    rows = services.export_author_data(author)
    assert json.loads(json.dumps(rows)) == rows
    by_title = {row["title"]: row for row in rows}
    assert set(by_title) == {"En ligne", "Brouillon", "Refusé"}
    assert by_title["En ligne"]["url"] == published.get_absolute_url()
    assert by_title["En ligne"]["body"] == published.body
    assert (by_title["Brouillon"]["status"], by_title["Brouillon"]["url"]) == ("draft", None)


def test_export_of_an_author_without_articles_is_empty():
    assert services.export_author_data(UserFactory()) == []
