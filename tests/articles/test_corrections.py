"""Corrections of a published article (issue 12, part 1): the author proposes, changes or
withdraws one while the page stays as it is; a moderator approves the version they read,
or refuses it with a reason; every change of the published text is a revision."""

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import diff, services
from articles.models import BODY_MAX_LENGTH, Article, ArticleVersion, DailyViews
from comments.models import Comment
from tests import images
from tests.factories import (
    CommentFactory,
    DraftFactory,
    ModeratorFactory,
    SubmittedFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Kind = ArticleVersion.Kind
Outcome = ArticleVersion.Outcome
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Firefox/140.0"}


def published(**fields):
    """An article published as the site publishes one: submitted (version 1), then
    published by a moderator in that version."""
    article = SubmittedFactory(**fields)
    services.publish(article, by=ModeratorFactory(), version=1, notify=False)
    article.refresh_from_db()
    return article


def text_of(article, **changes):
    fields = {
        name: getattr(article, name) for name in ArticleVersion.TEXT_FIELDS if name != "cover_image"
    }
    return {**fields, **changes}


def propose(article, note="Une date était fausse.", is_factual=False, replaces=None, **changes):
    return services.propose_correction(
        article,
        by=article.author,
        text=text_of(article, **changes),
        note=note,
        is_factual=is_factual,
        replaces=replaces,
    )


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def page(response):
    return unescape(response.content.decode())


# The rules, through the services ----------------------------------------------------


class TestProposal:
    def test_a_proposal_waits_and_the_live_text_stays(self):
        article = published(title="Le marché de Sandaga")
        before = Article.objects.get(pk=article.pk)
        correction = propose(article, title="Le marché Sandaga", body="<p>Texte corrigé.</p>")
        assert (correction.number, correction.kind, correction.outcome) == (
            2,
            Kind.CORRECTION,
            Outcome.PENDING,
        )
        assert correction.changed_fields == ["title", "body"]
        live = Article.objects.get(pk=article.pk)
        assert live.text_snapshot() == before.text_snapshot()
        assert live.updated_at == before.updated_at and live.revised_at is None

    def test_a_second_proposal_is_refused_while_one_waits(self):
        article = published()
        propose(article, title="Premier essai")
        with pytest.raises(ValidationError) as refused:
            propose(article, title="Second essai")
        assert refused.value.code == "correction_waiting"
        assert ArticleVersion.objects.waiting_corrections().count() == 1

    def test_the_database_holds_one_waiting_correction_per_article(self):
        article = published()
        correction = propose(article, title="Corrigé")
        with pytest.raises(IntegrityError), transaction.atomic():
            ArticleVersion.objects.create(
                article=article, number=correction.number + 1, kind=Kind.CORRECTION, title="x"
            )

    def test_changing_the_waiting_correction_makes_a_new_number(self):
        article = published()
        first = propose(article, title="Premier essai")
        second = propose(article, title="Second essai", replaces=first.number)
        first.refresh_from_db()
        assert first.outcome == Outcome.SUPERSEDED
        assert (second.number, second.outcome) == (first.number + 1, Outcome.PENDING)
        # A form opened on the first one (another tab) saves nothing now.
        with pytest.raises(ValidationError) as refused:
            propose(article, title="Troisième", replaces=first.number)
        assert refused.value.code == "changed_since_opened"

    def test_a_correction_must_say_why_and_change_something(self):
        article = published()
        with pytest.raises(ValidationError) as no_note:
            propose(article, note="   ", title="Autre titre")
        assert no_note.value.code == "no_correction_note"
        with pytest.raises(ValidationError) as no_change:
            propose(article)
        assert no_change.value.code == "no_change"
        assert not ArticleVersion.objects.waiting_corrections().exists()

    def test_a_body_over_the_limit_is_refused(self):
        article = published()
        with pytest.raises(ValidationError) as refused:
            propose(article, body="<p>" + "a" * BODY_MAX_LENGTH + "</p>")
        assert refused.value.code == "max_length"

    def test_only_a_published_article_takes_a_correction(self):
        draft = DraftFactory()
        with pytest.raises(ValidationError) as refused:
            propose(draft, title="Autre")
        assert refused.value.code == "bad_transition"

    def test_the_proposed_body_is_cleaned(self):
        article = published()
        correction = propose(article, body='<p onclick="x()">Bon<script>alert(1)</script></p>')
        assert "script" not in correction.body and "onclick" not in correction.body

    def test_withdrawal_closes_it_and_changes_nothing_online(self):
        article = published(title="Titre d'origine")
        propose(article, title="Titre corrigé")
        closed = services.withdraw_correction(article)
        assert closed.outcome == Outcome.WITHDRAWN
        assert Article.objects.get(pk=article.pk).title == "Titre d'origine"
        with pytest.raises(ValidationError) as nothing:
            services.withdraw_correction(article)
        assert nothing.value.code == "no_correction"
        # Withdrawn, it no longer blocks a new one.
        assert propose(article, title="Autre titre").outcome == Outcome.PENDING

    def test_sending_the_article_back_to_draft_closes_its_correction(self):
        article = published()
        correction = propose(article, title="Corrigé")
        services.send_back_to_draft(article, by=ModeratorFactory())
        correction.refresh_from_db()
        assert correction.outcome == Outcome.SENT_BACK


class TestDecision:
    def test_approval_takes_the_version_read_and_keeps_url_date_figures_comments(self, committed):
        article = published(title="Le port de Dakar")
        DailyViews.add(article.pk, count=5)
        comment = CommentFactory(article=article, status=Comment.Status.APPROVED)
        before = Article.objects.with_view_totals().get(pk=article.pk)
        correction = propose(article, title="Le port autonome de Dakar", is_factual=True)
        mail.outbox.clear()
        moderator = ModeratorFactory()
        with committed():
            services.approve_correction(article, by=moderator, version=correction.number)
        after = Article.objects.with_view_totals().get(pk=article.pk)
        assert after.title == "Le port autonome de Dakar"
        assert (after.slug, after.published_at, after.total_views) == (
            before.slug,
            before.published_at,
            before.total_views,
        )
        assert list(after.comments.all()) == [comment]
        assert after.revised_at is not None and after.updated_at > before.updated_at
        assert after.correction_note == "Une date était fausse."
        correction.refresh_from_db()
        assert (correction.outcome, correction.decided_by) == (Outcome.PUBLISHED, moderator)
        assert [m.to for m in mail.outbox] == [[article.author.email]]
        assert "est en ligne" in mail.outbox[0].subject

    @pytest.mark.parametrize("forged", [None, 1, 3, 999])
    def test_approval_of_another_number_is_refused(self, forged):
        article = published(title="Titre d'origine")
        correction = propose(article, title="Titre corrigé")
        assert correction.number == 2
        with pytest.raises(ValidationError) as refused:
            services.approve_correction(article, by=ModeratorFactory(), version=forged)
        assert refused.value.code in ("no_version_read", "changed_since_review")
        assert Article.objects.get(pk=article.pk).title == "Titre d'origine"

    def test_approval_of_a_version_changed_since_it_was_read_is_refused(self):
        article = published(title="Titre d'origine")
        read = propose(article, title="Version lue")
        propose(article, title="Version glissée ensuite", replaces=read.number)
        with pytest.raises(ValidationError):
            services.approve_correction(article, by=ModeratorFactory(), version=read.number)
        assert Article.objects.get(pk=article.pk).title == "Titre d'origine"

    def test_approval_of_a_withdrawn_correction_is_refused(self):
        article = published(title="Titre d'origine")
        correction = propose(article, title="Titre corrigé")
        services.withdraw_correction(article)
        with pytest.raises(ValidationError):
            services.approve_correction(article, by=ModeratorFactory(), version=correction.number)
        assert Article.objects.get(pk=article.pk).title == "Titre d'origine"

    def test_a_moderator_may_mark_it_factual_and_word_the_line(self):
        article = published()
        correction = propose(article, title="Autre titre", note="pour faire joli")
        services.approve_correction(
            article,
            by=ModeratorFactory(),
            version=correction.number,
            is_factual=True,
            public_note="Le nom du ministre était mal orthographié.",
        )
        article.refresh_from_db()
        assert article.correction_note == "Le nom du ministre était mal orthographié."

    def test_a_correction_not_factual_says_no_correction_line(self):
        article = published()
        correction = propose(article, title="Titre plus clair")
        services.approve_correction(article, by=ModeratorFactory(), version=correction.number)
        article.refresh_from_db()
        assert article.revised_at is not None
        assert (article.corrected_at, article.correction_note) == (None, "")

    def test_refusal_needs_a_reason_and_tells_the_author(self, committed):
        article = published(title="Titre d'origine")
        correction = propose(article, title="Titre corrigé")
        with pytest.raises(ValidationError):
            services.refuse_correction(
                article, by=ModeratorFactory(), version=correction.number, reason="  "
            )
        mail.outbox.clear()
        with committed():
            services.refuse_correction(
                article, by=ModeratorFactory(), version=correction.number, reason="Source absente."
            )
        correction.refresh_from_db()
        assert (correction.outcome, correction.note) == (Outcome.REJECTED, "Source absente.")
        assert "Source absente." in mail.outbox[0].body
        assert Article.objects.get(pk=article.pk).title == "Titre d'origine"


class TestCover:
    def test_a_proposed_cover_waits_apart_and_goes_live_on_approval(self):
        article = published()
        moderator = ModeratorFactory()
        article.set_cover(images.upload())
        services.edit(article, by=moderator)  # a revision: the moderator's new cover
        first_cover = article.versions.first()
        assert (first_cover.kind, first_cover.changed_fields) == (
            Kind.MODERATOR_EDIT,
            ["cover_image"],
        )
        live_cover, thumbnail = article.cover_image.name, article.cover_thumbnail.name
        correction = services.propose_correction(
            article,
            by=article.author,
            text=text_of(article),
            cover=images.upload(),
            note="Une meilleure photo.",
            is_factual=False,
        )
        assert correction.cover_image not in ("", live_cover)
        assert default_storage.exists(correction.cover_image)
        assert default_storage.exists(correction.cover_thumbnail)
        assert Article.objects.get(pk=article.pk).cover_image.name == live_cover
        services.approve_correction(article, by=moderator, version=correction.number)
        article.refresh_from_db()
        assert article.cover_image.name == correction.cover_image
        assert article.cover_thumbnail.name == correction.cover_thumbnail
        correction.refresh_from_db()
        assert correction.changed_fields == ["cover_image"]
        # The replaced cover stays with the revision that names it, for a restoration.
        assert default_storage.exists(live_cover)
        restored = services.restore_revision(article, by=moderator, version=first_cover.number)
        article.refresh_from_db()
        assert restored.changed_fields == ["cover_image"]
        assert (article.cover_image.name, article.cover_thumbnail.name) == (live_cover, thumbnail)

    @pytest.mark.parametrize("how", ["refuse", "withdraw"])
    def test_the_files_of_a_proposal_that_never_goes_live_are_deleted(
        self, how, django_capture_on_commit_callbacks
    ):
        article = published()
        with django_capture_on_commit_callbacks(execute=True):
            correction = services.propose_correction(
                article,
                by=article.author,
                text=text_of(article),
                cover=images.upload(),
                note="Une photo.",
                is_factual=False,
            )
        with django_capture_on_commit_callbacks(execute=True):
            if how == "refuse":
                services.refuse_correction(
                    article, by=ModeratorFactory(), version=correction.number, reason="Floue."
                )
            else:
                services.withdraw_correction(article)
        assert not default_storage.exists(correction.cover_image)
        assert not default_storage.exists(correction.cover_thumbnail)

    def test_changing_the_text_keeps_the_proposed_cover(self, django_capture_on_commit_callbacks):
        article = published()
        first = services.propose_correction(
            article,
            by=article.author,
            text=text_of(article),
            cover=images.upload(),
            note="Une photo.",
            is_factual=False,
        )
        with django_capture_on_commit_callbacks(execute=True):
            second = propose(article, replaces=first.number, title="Et un titre")
        assert second.cover_image == first.cover_image
        assert default_storage.exists(second.cover_image)

    def test_a_refused_proposal_leaves_no_stray_file(self):
        article = published()
        before = (
            set(default_storage.listdir("covers")[1]) if default_storage.exists("covers") else set()
        )
        with pytest.raises(ValidationError):
            services.propose_correction(
                article,
                by=article.author,
                text=text_of(article),
                cover=images.upload(),
                note="   ",  # refused: no note
                is_factual=False,
            )
        after = (
            set(default_storage.listdir("covers")[1]) if default_storage.exists("covers") else set()
        )
        assert after == before


class TestRevisions:
    def test_a_moderators_edit_in_the_admin_is_a_revision(self, moderator_client, moderator):
        article = published(title="Titre d'origine")
        url = reverse("admin:articles_article_change", args=[article.pk])
        form = moderator_client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None and k != "cover_image"}
        data.update(
            title="Titre revu par la modération",
            category=article.category_id,
            author=article.author_id,
            body=article.body,
        )
        response = moderator_client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        revision = article.versions.first()
        assert (revision.kind, revision.outcome, revision.created_by) == (
            Kind.MODERATOR_EDIT,
            Outcome.PUBLISHED,
            moderator,
        )
        assert revision.changed_fields == ["title"]
        article.refresh_from_db()
        assert article.revised_at is not None

    def test_featuring_is_not_a_revision(self):
        article = published()
        services.feature(article, by=ModeratorFactory())
        article.refresh_from_db()
        assert article.revised_at is None and article.versions.count() == 1

    def test_restoring_an_earlier_revision_makes_a_new_one(self):
        article = published(title="Titre d'origine")
        correction = propose(article, title="Titre corrigé")
        moderator = ModeratorFactory()
        services.approve_correction(article, by=moderator, version=correction.number)
        restored = services.restore_revision(article, by=moderator, version=1)
        article.refresh_from_db()
        assert article.title == "Titre d'origine"
        assert (restored.number, restored.kind, restored.outcome) == (
            3,
            Kind.RESTORATION,
            Outcome.PUBLISHED,
        )
        assert "n° 1" in restored.note
        assert [v.number for v in article.revisions()] == [3, 2, 1]

    @pytest.mark.parametrize("number", [None, 2, 42])
    def test_only_a_revision_can_be_restored(self, number):
        article = published()
        propose(article, title="En attente")  # number 2: waiting, not a revision
        with pytest.raises(ValidationError):
            services.restore_revision(article, by=ModeratorFactory(), version=number)


# The diff ---------------------------------------------------------------------------


def test_the_word_diff_counts_and_marks_words():
    result = diff.word_diff(
        "<p>Le maire a inauguré le pont.</p><p>Fin.</p>",
        "<p>Le préfet a inauguré le nouveau pont.</p><p>Fin.</p>",
    )
    assert (result.added, result.removed) == (2, 1)
    assert "<del>maire</del>" in result.html and "<ins>préfet</ins>" in result.html
    assert "<ins>nouveau</ins>" in result.html
    assert "\n" in result.html  # the paragraphs stay apart


def test_the_word_diff_escapes_what_authors_typed():
    result = diff.word_diff("<p>a</p>", "<p>a &lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert "<script>" not in result.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.html


# The author's pages -----------------------------------------------------------------


def correction_post(article, **changes):
    data = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "cover_caption": article.cover_caption,
        "cover_credit": article.cover_credit,
        "creator_credit": article.creator_credit,
        "note": "Le chiffre était faux.",
        "replaces": "",
    }
    return {**data, **changes}


class TestAuthorPages:
    def test_the_ladder(self, client):
        article = published()
        url = reverse("articles:correct", args=[article.pk])
        assert client.get(url).status_code == 302  # to log in
        client.force_login(UserFactory())
        assert client.get(url).status_code == 404  # someone else's
        assert client.post(url, correction_post(article, title="x")).status_code == 404
        client.force_login(article.author)
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["form"]["title"].value() == article.title
        assert not ArticleVersion.objects.waiting_corrections().exists()

    def test_a_draft_is_not_corrected_but_edited(self, client):
        draft = DraftFactory()
        client.force_login(draft.author)
        response = client.get(reverse("articles:correct", args=[draft.pk]))
        assert response.status_code == 302
        assert messages_of(response) == ["Seul un article publié peut être corrigé."]

    def test_propose_and_the_live_page_is_unchanged(self, client):
        article = published(title="Titre d'origine")
        client.force_login(article.author)
        my_articles = page(client.get(reverse("articles:my_articles")))
        assert "Proposer une correction" in my_articles
        response = client.post(
            reverse("articles:correct", args=[article.pk]),
            correction_post(article, title="Titre corrigé", is_factual="on"),
        )
        assert response.status_code == 302
        correction = article.waiting_correction()
        assert (correction.title, correction.is_factual) == ("Titre corrigé", True)
        live = page(client.get(article.get_absolute_url(), **BROWSER))
        assert "Titre d'origine" in live and "Titre corrigé" not in live
        assert "Mis à jour le" not in live
        my_articles = page(client.get(reverse("articles:my_articles")))
        assert "Modifier la correction" in my_articles
        # The form now shows the waiting correction, and its number.
        form = client.get(reverse("articles:correct", args=[article.pk])).context["form"]
        assert form["title"].value() == "Titre corrigé"
        assert form["replaces"].value() == correction.number

    def test_a_second_form_opened_before_the_first_was_sent_saves_nothing(self, client):
        article = published()
        client.force_login(article.author)
        url = reverse("articles:correct", args=[article.pk])
        client.post(url, correction_post(article, title="Premier envoi"))
        response = client.post(url, correction_post(article, title="Double envoi"))
        assert response.status_code == 200
        assert "attend déjà la relecture" in page(response)
        assert [v.title for v in ArticleVersion.objects.waiting_corrections()] == ["Premier envoi"]

    @pytest.mark.parametrize("forged", ["abc", "٣", "-1", "9" * 30])
    def test_a_forged_number_is_a_clear_refusal(self, client, forged):
        article = published()
        client.force_login(article.author)
        response = client.post(
            reverse("articles:correct", args=[article.pk]),
            correction_post(article, title="Corrigé", replaces=forged),
        )
        assert response.status_code == 200
        assert "rechargez la page" in page(response)
        assert not ArticleVersion.objects.waiting_corrections().exists()

    def test_withdraw(self, client):
        article = published()
        propose(article, title="Corrigé")
        client.force_login(UserFactory())
        url = reverse("articles:withdraw_correction", args=[article.pk])
        assert client.post(url).status_code == 404
        client.force_login(article.author)
        assert client.get(url).status_code == 405
        response = client.post(url, follow=True)
        assert messages_of(response) == [
            "Votre correction est retirée : l'article en ligne n'a pas changé."
        ]
        assert not ArticleVersion.objects.waiting_corrections().exists()
        response = client.post(url)  # again: nothing waits
        assert messages_of(response) == ["Aucune correction de cet article n'attend la relecture."]


# The moderators' pages --------------------------------------------------------------


class TestAdmin:
    def review_url(self, article):
        return reverse("admin:articles_article_correction", args=[article.pk])

    def test_only_moderators_review(self, client):
        article = published()
        propose(article, title="Corrigé")
        client.force_login(UserFactory(is_staff=True))
        assert client.get(self.review_url(article)).status_code == 403
        assert (
            client.post(self.review_url(article), {"_approve": "1", "version": "2"}).status_code
            == 403
        )
        assert Article.objects.get(pk=article.pk).title != "Corrigé"

    def test_the_diff_is_escaped(self, moderator_client):
        article = published()
        propose(
            article,
            title='<script>alert("titre")</script>',
            body="<p>Un texte &lt;img src=x onerror=alert(1)&gt; piégé.</p>",
            cover_caption="<b>gras</b>",
            note="<script>alert('note')</script>",
        )
        response = moderator_client.get(self.review_url(article))
        html = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>gras" not in html
        assert "&lt;script&gt;alert(&quot;titre&quot;)&lt;/script&gt;" in html
        assert "&lt;img" in html

    def test_approve_the_version_shown(self, moderator_client):
        article = published(title="Titre d'origine")
        correction = propose(article, title="Titre corrigé", is_factual=True)
        review = moderator_client.get(self.review_url(article))
        assert "Titre corrigé" in page(review)
        shown = re.search(r'name="version" value="(\d+)"', review.content.decode()).group(1)
        assert int(shown) == correction.number
        response = moderator_client.post(
            self.review_url(article),
            {"_approve": "1", "version": shown, "is_factual": "on", "public_note": "Le titre."},
        )
        assert response.status_code == 302
        live = page(moderator_client.get(article.get_absolute_url(), **BROWSER))
        article.refresh_from_db()
        assert "Titre corrigé" in live
        words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", live))
        stamp = timezone.localtime(article.revised_at).strftime("%d/%m/%Y %H:%M")
        assert f"Mis à jour le {stamp}" in words
        assert "Correction" in live and "Le titre." in live

    def test_a_changed_correction_is_not_approved_from_an_old_page(self, moderator_client):
        article = published(title="Titre d'origine")
        read = propose(article, title="Lue")
        propose(article, title="Glissée", replaces=read.number)
        response = moderator_client.post(
            self.review_url(article), {"_approve": "1", "version": str(read.number)}
        )
        assert response.status_code == 302
        assert "a changé" in messages_of(response)[0]
        assert Article.objects.get(pk=article.pk).title == "Titre d'origine"

    @pytest.mark.parametrize("forged", ["", "abc", "٢", "2; DROP TABLE", "99999999999999"])
    def test_forged_versions_are_refused(self, moderator_client, forged):
        article = published(title="Titre d'origine")
        propose(article, title="Corrigé")
        response = moderator_client.post(
            self.review_url(article), {"_approve": "1", "version": forged}
        )
        assert response.status_code == 302
        assert Article.objects.get(pk=article.pk).title == "Titre d'origine"

    def test_refuse_with_a_reason(self, moderator_client):
        article = published(title="Titre d'origine")
        correction = propose(article, title="Corrigé")
        blank = moderator_client.post(
            self.review_url(article),
            {"_refuse": "1", "version": str(correction.number), "reason": " "},
        )
        assert blank.status_code == 200  # the form again, with its error
        assert article.waiting_correction() is not None
        response = moderator_client.post(
            self.review_url(article),
            {"_refuse": "1", "version": str(correction.number), "reason": "Pas de source."},
        )
        assert response.status_code == 302
        correction.refresh_from_db()
        assert correction.outcome == Outcome.REJECTED

    def test_no_waiting_correction_and_bad_ids(self, moderator_client):
        article = published()
        assert moderator_client.get(self.review_url(article)).status_code == 302
        assert moderator_client.get("/admin/articles/article/abc/correction/").status_code == 404
        assert moderator_client.get("/admin/articles/article/999999/correction/").status_code == 404

    def test_the_queue_lists_and_counts_them(self, moderator_client):
        waiting, other = published(), published()
        propose(waiting, title="Corrigé")
        changelist = reverse("admin:articles_article_changelist")
        response = moderator_client.get(changelist + "?correction=attente")
        assert list(response.context["cl"].result_list) == [waiting]
        assert 'data-status="correction">1<' in response.content.decode()
        assert other not in response.context["cl"].result_list

    def test_history_and_restore_in_the_admin(self, moderator_client):
        article = published(title="Titre d'origine")
        correction = propose(article, title="Titre corrigé")
        services.approve_correction(article, by=ModeratorFactory(), version=correction.number)
        change = moderator_client.get(reverse("admin:articles_article_change", args=[article.pk]))
        html = change.content.decode()
        assert 'name="restore" value="1"' in html and 'name="restore" value="2"' not in html
        restore_url = reverse("admin:articles_article_restore", args=[article.pk])
        response = moderator_client.post(restore_url, {"restore": "1"})
        assert response.status_code == 302
        assert Article.objects.get(pk=article.pk).title == "Titre d'origine"
        assert moderator_client.post(restore_url, {"restore": "<x>"}).status_code == 302
        assert Article.objects.get(pk=article.pk).versions.count() == 3


def test_the_article_page_costs_no_more_queries_once_corrected(client):
    plain, corrected = published(), published()
    correction = propose(corrected, title="Titre corrigé", is_factual=True)
    services.approve_correction(corrected, by=ModeratorFactory(), version=correction.number)
    for article in (plain, corrected):
        client.get(article.get_absolute_url(), **BROWSER)

    def count(article):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(article.get_absolute_url(), **BROWSER)
        assert response.status_code == 200
        return len(queries)

    assert count(corrected) == count(plain)


# What readers get elsewhere follows: cached pages, the feed, the sitemap, the search ---


def test_cached_pages_feed_sitemap_and_search_follow_an_approval(
    client, settings, committed, clock
):
    # The sitemap is kept SITEMAP_CACHE_SECONDS: the clock (and the cache, by its time)
    # moves three days on.
    settings.PAGE_CACHE_SECONDS = 60
    clock.move_to("2026-03-01 10:00:00+00:00", tick=False)
    article = published(title="Le marché de Sandaga", body="<p>Les étals sont vides.</p>")
    reader = {"HTTP_USER_AGENT": BROWSER["HTTP_USER_AGENT"], "REMOTE_ADDR": "192.0.2.7"}
    feed, sitemap = reverse("articles:feed"), "/sitemap-articles.xml"
    before = {url: client.get(url, **reader).content.decode() for url in (feed, sitemap)}
    assert (
        "Le marché de Sandaga" in client.get(article.get_absolute_url(), **reader).content.decode()
    )
    assert "2026-03-01" in before[sitemap]

    clock.move_to("2026-03-04 09:30:00+00:00", tick=False)
    correction = propose(article, title="Le marché Sandaga", body="<p>Les étals sont pleins.</p>")
    with committed():
        services.approve_correction(article, by=ModeratorFactory(), version=correction.number)

    html = client.get(article.get_absolute_url(), **reader).content.decode()
    assert "Le marché Sandaga" in html and "Mis à jour le" in html
    assert "04/03/2026 09:30" in html
    assert "2026-03-04" in client.get(sitemap, **reader).content.decode()
    feed_xml = client.get(feed, **reader).content.decode()
    assert "<title>Le marché Sandaga</title>" in feed_xml
    # The item keeps its publication date; the feed says when it was last built.
    assert "<pubDate>Sun, 01 Mar 2026 10:00:00 +0000</pubDate>" in feed_xml
    assert "<lastBuildDate>Wed, 04 Mar 2026 09:30:00 +0000</lastBuildDate>" in feed_xml
    found = Article.objects.published().search("pleins")
    assert [a.pk for a in found] == [article.pk]
    assert not list(Article.objects.published().search("vides"))


def test_corrections_share_the_budget_of_texts_sent_for_review(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "submit_article": "2/h/user"}
    article = published(title="Titre d'origine")
    client.force_login(article.author)
    url = reverse("articles:correct", args=[article.pk])
    client.post(url, correction_post(article, title="Essai 1"))
    waiting = article.waiting_correction()
    client.post(url, correction_post(article, title="Essai 2", replaces=str(waiting.number)))
    waiting = article.waiting_correction()
    assert waiting.title == "Essai 2"
    response = client.post(
        url,
        correction_post(
            article, title="Essai 3", replaces=str(waiting.number), cover_image=images.upload()
        ),
    )
    assert response.status_code == 429
    assert "trop de textes" in page(response)
    assert response.context["form"]["title"].value() == "Essai 3"  # what was typed is kept
    assert article.waiting_correction() == waiting  # the one before stays, unchanged
    # The cover sent with it was stored, then removed with the undone proposal.
    assert default_storage.listdir("covers")[1] == []
    assert default_storage.listdir("covers/thumbs")[1] == []


def test_deleting_the_account_withdraws_its_waiting_corrections(django_capture_on_commit_callbacks):
    from accounts.services import delete_account

    article = published(title="Titre d'origine")
    correction = services.propose_correction(
        article,
        by=article.author,
        text=text_of(article, title="Corrigé"),
        cover=images.upload(),
        note="Un détail.",
        is_factual=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(article.author)
    correction.refresh_from_db()
    assert correction.outcome == Outcome.WITHDRAWN
    assert not default_storage.exists(correction.cover_image)
    assert Article.objects.get(pk=article.pk).title == "Titre d'origine"


def test_saving_the_admin_form_unchanged_makes_no_revision(moderator_client):
    article = published()
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = moderator_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "cover_image"}
    data.update(category=article.category_id, author=article.author_id)
    assert moderator_client.post(url, data).status_code == 302
    assert article.versions.count() == 1
    assert Article.objects.get(pk=article.pk).revised_at is None
