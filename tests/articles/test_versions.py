"""Publish exactly what was reviewed: each submission is a numbered version; a moderator
publishes the version they read, and nothing once the text has changed since."""

import re
import threading
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleVersion
from tests.factories import (
    ArticleFactory,
    DraftFactory,
    ModeratorFactory,
    SubmittedFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Article.Status
Outcome = ArticleVersion.Outcome
CHANGELIST = reverse("admin:articles_article_changelist")
SPAM = "<p>Gagnez au casino : http://casino.example</p>"


def text(response):
    return unescape(response.content.decode())


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def swap_text(article, **fields):
    """What a bad-faith author does: withdraw, change the text, submit again."""
    services.withdraw(article)
    Article.objects.filter(pk=article.pk).update(**fields)
    article.refresh_from_db()
    return services.submit(article)


def confirmation_page(client, *articles):
    return client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [a.pk for a in articles]}
    )


def confirm(client, page, *articles):
    """Post back the confirmation page's form, as the moderator's "Publier" does."""
    shown = dict(re.findall(r'name="(version-\d+)" value="(\d+)"', page.content.decode()))
    return client.post(
        CHANGELIST,
        {
            "action": "publish",
            "_selected_action": [a.pk for a in articles],
            "post": "yes",
            **shown,
        },
    )


def change_form(article, **extra):
    """The change form as it was shown for `article` (its fields, the version shown)."""
    version = article.version_under_review() if article.is_submitted else None
    return {
        "reviewed_version": version.number if version else "",
        "title": article.title,
        "slug": article.slug,
        "author": article.author_id,
        "summary": article.summary,
        "body": article.body,
        "category": article.category_id,
        "cover_caption": article.cover_caption,
        "cover_credit": article.cover_credit,
        "creator_credit": article.creator_credit,
        **extra,
    }


# The versions


def test_each_submission_is_a_numbered_copy_of_the_text():
    article = DraftFactory(title="Les pirogues", body="<p>Premier jet.</p>", cover=True)
    first = services.submit(article)
    assert (first.number, first.kind, first.outcome) == (1, "submission", Outcome.PENDING)
    assert (first.title, first.body, first.created_by) == (
        "Les pirogues",
        "<p>Premier jet.</p>",
        article.author,
    )
    assert first.cover_image == article.cover_image.name != ""
    assert first.changed_fields == []

    second = swap_text(article, body="<p>Deuxième jet.</p>")
    first.refresh_from_db()
    assert first.outcome == Outcome.WITHDRAWN
    assert first.decided_by == article.author
    assert (second.number, second.changed_fields) == (2, ["body"])
    assert article.version_under_review() == second


def test_one_version_under_review_per_article_is_a_database_rule():
    article = SubmittedFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleVersion.objects.create(article=article, number=2, title="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleVersion.objects.create(
            article=article, number=1, title="x", outcome=Outcome.WITHDRAWN
        )


def test_publishing_names_the_version_read_and_records_who_and_when():
    moderator = ModeratorFactory()
    article = SubmittedFactory()
    services.publish(article, by=moderator, version=1)
    version = article.versions.get()
    assert (version.outcome, version.decided_by) == (Outcome.PUBLISHED, moderator)
    assert version.decided_at == article.reviewed_at


def test_the_swap_is_refused_whatever_path_the_text_took():
    """The issue's attack, and a text changed behind the versions' back (a direct write):
    the version read is no longer the text, so nothing is published."""
    moderator = ModeratorFactory()
    swapped = SubmittedFactory(body="<p>Un texte honnête.</p>")
    swap_text(swapped, body=SPAM)
    tampered = SubmittedFactory()
    Article.objects.filter(pk=tampered.pk).update(title="Titre changé en douce")

    for article in (swapped, tampered):
        with pytest.raises(ValidationError) as refused:
            services.publish(article, by=moderator, version=1)
        assert refused.value.code == "changed_since_review"
        article.refresh_from_db()
        assert (article.status, article.published_at) == (Status.SUBMITTED, None)
    with pytest.raises(ValidationError):
        services.publish(tampered, by=moderator, version=tampered.version_under_review().number)

    services.publish(swapped, by=moderator, version=2)  # read, then published
    swapped.refresh_from_db()
    assert swapped.body == SPAM and swapped.is_public


@pytest.mark.parametrize("version", [None, 0, -1, 2, 10**40])
def test_a_version_that_is_not_the_one_under_review_is_refused(version):
    article = SubmittedFactory()
    with pytest.raises(ValidationError):
        services.publish(article, by=ModeratorFactory(), version=version)
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED


def test_rejection_and_sending_back_close_the_version_with_who_and_why():
    moderator = ModeratorFactory()
    refused, sent_back = SubmittedFactory(), SubmittedFactory()
    services.reject(refused, by=moderator, reason="Citez vos sources.")
    services.send_back_to_draft(sent_back, by=moderator)
    assert refused.versions.values_list("outcome", "decided_by", "note").get() == (
        Outcome.REJECTED,
        moderator.pk,
        "Citez vos sources.",
    )
    assert sent_back.versions.values_list("outcome", "decided_by").get() == (
        Outcome.SENT_BACK,
        moderator.pk,
    )
    # Submitted again after a refusal: a new number, and the history keeps both.
    second = services.submit(refused)
    assert second.number == 2
    assert list(refused.versions.values_list("number", "outcome")) == [
        (2, Outcome.PENDING),
        (1, Outcome.REJECTED),
    ]


# The bulk "Publier": a confirmation page shows the versions; changed articles are skipped


def test_confirmation_page_shows_each_version_and_publishes_only_on_confirmation(
    moderator_client,
):
    first = SubmittedFactory(title="Premier texte")
    second = SubmittedFactory(title="Second texte")
    swap_text(second, title="Second texte, revu")
    online = ArticleFactory(title="Déjà en ligne")

    page = confirmation_page(moderator_client, first, second, online)

    assert page.status_code == 200
    html = text(page)
    assert f'name="version-{first.pk}" value="1"' in html
    assert f'name="version-{second.pk}" value="2"' in html
    assert f'name="version-{online.pk}"' not in html
    assert "Version n° 2" in html and "modifiée depuis la version précédente : titre" in html
    assert "Seuls les articles en relecture peuvent être publiés" in html
    assert reverse("articles:preview", args=[first.pk]) in html
    assert Article.objects.filter(status=Status.PUBLISHED).count() == 1  # nothing yet

    done = confirm(moderator_client, page, first, second)
    assert done.status_code == 302
    assert messages_of(done) == ["2 articles publiés."]
    assert set(Article.objects.published().values_list("title", flat=True)) == {
        "Premier texte",
        "Second texte, revu",
        "Déjà en ligne",
    }


def test_bulk_publish_skips_what_changed_since_the_page_and_lists_it(moderator, moderator_client):
    honest = SubmittedFactory(title="Texte honnête")
    swapped = SubmittedFactory(title="Texte échangé", body="<p>Texte relu.</p>")
    also = SubmittedFactory(title="Autre texte échangé")

    page = confirmation_page(moderator_client, honest, swapped, also)
    swap_text(swapped, body=SPAM)
    swap_text(also, summary="Un autre chapô.")
    done = confirm(moderator_client, page, honest, swapped, also)

    assert messages_of(done) == [
        "1 article publié.",
        "« Texte échangé », « Autre texte échangé » : Le texte a changé depuis la version "
        "que vous avez relue : relisez la nouvelle version avant de la publier.",
    ]
    for article in (swapped, also):
        article.refresh_from_db()
        assert (article.status, article.published_at) == (Status.SUBMITTED, None)
        assert article.version_under_review().number == 2
    assert moderator_client.get(reverse("articles:detail", args=[swapped.slug])).status_code == 404
    honest.refresh_from_db()
    assert honest.is_public
    assert honest.versions.get().decided_by == moderator


def test_a_replayed_confirmation_publishes_nothing_new(moderator_client):
    article = SubmittedFactory(title="Relu une fois")
    page = confirmation_page(moderator_client, article)
    assert messages_of(confirm(moderator_client, page, article)) == ["1 article publié."]
    moderator_client.get(CHANGELIST)  # the messages are shown, and gone
    services.send_back_to_draft(article, by=ModeratorFactory())
    services.submit(article)
    swap_text(article, body=SPAM)  # version 3 now

    replay = confirm(moderator_client, page, article)

    assert replay.status_code == 302
    (message,) = messages_of(replay)
    assert "Le texte a changé depuis la version que vous avez relue" in message
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED


@pytest.mark.parametrize("posted", ["", "abc", "1.0", "9" * 5000, "-1", "١"])
def test_a_forged_version_field_is_refused_in_french_not_a_500(moderator_client, posted):
    article = SubmittedFactory(title="Texte")
    response = moderator_client.post(
        CHANGELIST,
        {
            "action": "publish",
            "_selected_action": [article.pk],
            "post": "yes",
            f"version-{article.pk}": posted,
        },
    )
    assert response.status_code == 302
    (message,) = messages_of(response)
    assert message.startswith("« Texte » : ")
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED


# The change form: it carries the version shown, and "Enregistrer et publier" publishes it


def test_review_page_shows_the_version_and_the_history(moderator, moderator_client):
    author = UserFactory(display_name="Awa Ndiaye")
    article = SubmittedFactory(author=author)
    services.reject(article, by=moderator, reason="Ajoutez vos sources.")
    services.submit(article)

    html = text(moderator_client.get(change_url(article)))

    assert 'name="reviewed_version" value="2"' in html
    assert "n° 2, soumission de l'auteur, le " in html and "par Awa Ndiaye" in html
    assert "Historique des versions" in html
    rows = re.findall(r'<tr data-version="(\d+)" data-outcome="(\w+)">', html)
    assert rows == [("2", "pending"), ("1", "rejected")]
    assert "Ajoutez vos sources." in html
    assert f"{moderator.public_name} ({moderator.username})" in html


def test_the_history_says_who_published_which_version_and_when(moderator, moderator_client):
    article = SubmittedFactory()
    swap_text(article, body="<p>Version deux.</p>")
    confirm(moderator_client, confirmation_page(moderator_client, article), article)
    article.refresh_from_db()

    html = text(moderator_client.get(change_url(article)))

    rows = re.findall(r'<tr data-version="(\d+)" data-outcome="(\w+)">', html)
    assert rows == [("2", "published"), ("1", "withdrawn")]
    published_row = html[html.index('data-version="2"') : html.index('data-version="1"')]
    assert "Publiée" in published_row
    assert moderator.username in published_row
    assert timezone.localtime(article.reviewed_at).strftime("%d/%m/%Y %H:%M") in published_row


def test_save_and_publish_publishes_the_version_shown(moderator, moderator_client):
    article = SubmittedFactory()
    response = moderator_client.post(change_url(article), change_form(article, _publish="1"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_public
    assert article.versions.get().outcome == Outcome.PUBLISHED


def test_a_moderators_own_change_is_the_version_they_publish(moderator, moderator_client):
    article = SubmittedFactory(body="<p>Texte de l'auteur, avec une fote.</p>")
    form = change_form(article, body="<p>Texte de l'auteur, sans faute.</p>", _publish="1")

    assert moderator_client.post(change_url(article), form).status_code == 302

    article.refresh_from_db()
    assert article.is_public and article.body == "<p>Texte de l'auteur, sans faute.</p>"
    edit, submission = article.versions.all()
    assert (edit.number, edit.kind, edit.created_by, edit.changed_fields) == (
        2,
        "moderator_edit",
        moderator,
        ["body"],
    )
    assert (edit.outcome, edit.decided_by) == (Outcome.PUBLISHED, moderator)
    assert (submission.outcome, submission.decided_by) == (Outcome.SUPERSEDED, moderator)


def test_a_moderator_saving_without_change_records_no_version(moderator_client):
    article = SubmittedFactory()
    assert moderator_client.post(change_url(article), change_form(article)).status_code == 302
    assert article.versions.count() == 1


@pytest.mark.parametrize("publish", [True, False], ids=["save and publish", "save"])
def test_a_form_opened_before_the_author_resubmitted_saves_nothing(moderator_client, publish):
    article = SubmittedFactory(body="<p>Texte relu.</p>")
    shown = change_form(article, body="<p>Texte relu, corrigé.</p>")  # the page, opened now
    if publish:
        shown["_publish"] = "1"
    swap_text(article, body=SPAM)

    response = moderator_client.post(change_url(article), shown)

    assert response.status_code == 200
    assert "Cet article a changé depuis que vous avez ouvert cette page" in text(response)
    article.refresh_from_db()
    assert (article.status, article.body) == (Status.SUBMITTED, SPAM)  # the author's text
    assert article.versions.count() == 2


def test_a_form_opened_before_the_author_withdrew_saves_nothing(moderator_client):
    article = SubmittedFactory()
    shown = change_form(article, title="Titre du modérateur")
    services.withdraw(article)
    Article.objects.filter(pk=article.pk).update(title="Titre de l'auteur")

    response = moderator_client.post(change_url(article), shown)

    assert response.status_code == 200
    article.refresh_from_db()
    assert (article.status, article.title) == (Status.DRAFT, "Titre de l'auteur")


@pytest.mark.parametrize("posted", ["abc", "2", "-1", "9" * 5000])
def test_a_forged_version_on_the_change_form_saves_nothing(moderator_client, posted):
    article = SubmittedFactory(title="Titre")
    response = moderator_client.post(
        change_url(article), change_form(article, title="Autre", reviewed_version=posted)
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title == "Titre"


# Where moderators find the number


def test_changelist_and_preview_show_the_version_number(moderator_client):
    article = SubmittedFactory(title="Texte numéroté")
    swap_text(article, summary="Autre chapô.")
    changelist = text(moderator_client.get(CHANGELIST))
    row = changelist[changelist.index("Texte numéroté") :]
    assert "n° 2" in row[: row.index("</tr>")]
    preview = text(moderator_client.get(reverse("articles:preview", args=[article.pk])))
    assert "Version n° 2, soumise le " in preview


# Races: the author's swap against the moderator's publication


def race(*jobs):
    """Run the jobs at the same moment, each in its own thread and connection; a refusal
    (ValidationError) is an outcome, anything else an error."""
    start = threading.Barrier(len(jobs), timeout=30)
    errors = []

    def run(job):
        try:
            start.wait()
            job()
        except ValidationError:
            pass
        except Exception as exc:  # reported in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_publication_racing_a_swap_never_puts_unread_text_online():
    """A moderator publishes version 1 while its author withdraws, swaps and resubmits:
    whichever wins, what is online is version 1's text, or nothing."""
    moderator = ModeratorFactory()
    statuses = []
    for _ in range(8):
        article = SubmittedFactory(body="<p>Texte relu.</p>")

        def publish(pk=article.pk):
            services.publish(Article.objects.get(pk=pk), by=moderator, version=1)

        def swap(pk=article.pk):
            mine = Article.objects.get(pk=pk)
            services.withdraw(mine)
            mine.body = SPAM
            mine.save()
            services.submit(mine)

        race(publish, swap)
        article.refresh_from_db()
        if article.is_published:
            assert article.body == "<p>Texte relu.</p>"
            assert article.versions.get(outcome=Outcome.PUBLISHED).number == 1
        else:
            assert not article.versions.filter(outcome=Outcome.PUBLISHED).exists()
        statuses.append(article.status)
    assert set(statuses) <= {Status.PUBLISHED, Status.SUBMITTED}


# Articles under review when versions came in


@pytest.mark.django_db(transaction=True)
def test_articles_under_review_before_versions_get_their_version_1():
    author, category = UserFactory(), ArticleFactory().category
    executor = MigrationExecutor(connection)
    before = [("articles", "0006_view_batches")]
    executor.migrate(before)
    old = (
        MigrationExecutor(connection)
        .loader.project_state(before)
        .apps.get_model("articles", "Article")
    )
    waiting = old.objects.create(
        title="En relecture avant", slug="avant", body="<p>Relu.</p>", status="submitted",
        category_id=category.pk, author_id=author.pk, submitted_at=timezone.now(),
    )  # fmt: skip
    old.objects.create(title="Brouillon", slug="brouillon", category_id=category.pk)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    version = ArticleVersion.objects.get()
    assert (version.article_id, version.number, version.created_by) == (waiting.pk, 1, author)
    assert (version.body, version.created_at) == ("<p>Relu.</p>", waiting.submitted_at)
    article = Article.objects.get(pk=waiting.pk)
    services.publish(article, by=ModeratorFactory(), version=1)
    article.refresh_from_db()
    assert article.is_public
