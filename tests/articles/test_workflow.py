"""The publication workflow end to end, with its e-mails (sent by tasks on commit)."""

from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    DraftFactory,
    ModeratorFactory,
    SubmittedFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://www.notrecontinent.com"
    return settings.SITE_URL


def test_submission_mails_each_moderator_and_superuser_separately(committed):
    ModeratorFactory(email="awa@example.org")
    ModeratorFactory(email="moussa@example.org")
    UserFactory(is_staff=True, is_superuser=True, email="admin@example.org")
    ModeratorFactory(email="")  # no address
    ModeratorFactory(email="parti@example.org", is_active=False)
    UserFactory(email="citoyen@example.org")  # not a moderator
    UserFactory(is_staff=True, email="staff@example.org")  # staff, not in the group
    article = DraftFactory(title="Les pêcheurs de Joal & leurs pirogues")

    with committed():
        services.submit(article)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "admin@example.org",
        "awa@example.org",
        "moussa@example.org",
    ]
    assert all(len(m.to) == 1 for m in mail.outbox)
    message = mail.outbox[0]
    assert message.subject == (
        "[Notre Continent] Article à relire : « Les pêcheurs de Joal & leurs pirogues »"
    )
    assert article.byline_name in message.body
    assert reverse("admin:articles_article_change", args=[article.pk]) in message.body
    assert reverse("articles:preview", args=[article.pk]) in message.body
    assert "&amp;" not in message.body


def test_a_moderator_submitting_is_not_mailed_about_their_own_text(committed):
    moderator = ModeratorFactory(email="awa@example.org")
    ModeratorFactory(email="moussa@example.org")
    with committed():
        services.submit(DraftFactory(author=moderator))
    assert [m.to for m in mail.outbox] == [["moussa@example.org"]]


def test_publication_mails_the_author_with_the_absolute_link(committed, site_url):
    moderator = ModeratorFactory()
    article = SubmittedFactory(title="Joal")

    with committed():
        services.publish(article, by=moderator, version=1)

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.published_at is not None
    assert article.reviewed_by == moderator
    assert article.reviewed_at is not None
    (message,) = mail.outbox
    assert message.to == [article.author.email]
    assert message.subject == "[Notre Continent] Votre article « Joal » est publié"
    assert f"{site_url}{article.get_absolute_url()}" in message.body


def test_rejection_mails_the_author_with_the_reason(committed, site_url):
    moderator = ModeratorFactory()
    article = SubmittedFactory(title="Joal")

    with committed():
        services.reject(article, by=moderator, reason="  Citez vos sources, s'il vous plaît.  ")

    article.refresh_from_db()
    assert article.status == Status.REJECTED
    assert article.rejection_reason == "Citez vos sources, s'il vous plaît."
    assert (article.reviewed_by, article.published_at) == (moderator, None)
    (message,) = mail.outbox
    assert message.to == [article.author.email]
    assert message.subject == "[Notre Continent] Votre article « Joal » n'a pas été retenu"
    assert "Citez vos sources, s'il vous plaît." in message.body
    assert f"{site_url}{reverse('articles:edit', args=[article.pk])}" in message.body


def test_rejection_needs_a_reason(committed):
    article = SubmittedFactory()
    with committed(), pytest.raises(ValidationError):
        services.reject(article, by=ModeratorFactory(), reason="   ")
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED
    assert mail.outbox == []


def test_no_mail_to_a_suspended_or_deleted_author(committed):
    moderator = ModeratorFactory()
    suspended = SubmittedFactory()
    suspended.author.is_active = False
    suspended.author.save()
    orphan = SubmittedFactory(author=None)
    with committed():
        services.publish(suspended, by=moderator, version=1)
        services.reject(orphan, by=moderator, reason="Hors sujet.")
    assert mail.outbox == []


def test_nothing_is_sent_when_the_transaction_rolls_back(committed):
    ModeratorFactory(email="awa@example.org")
    article = DraftFactory()
    with committed():
        try:
            with transaction.atomic():
                services.submit(article)
                raise RuntimeError("something failed after the submission")
        except RuntimeError:
            pass
    assert mail.outbox == []
    article.refresh_from_db()
    assert article.status == Status.DRAFT


@pytest.mark.parametrize(
    ("status", "transition"),
    [
        (Status.DRAFT, lambda a, m: services.withdraw(a)),
        # A moderator publishes what its author submitted, never a draft behind their back.
        (Status.DRAFT, lambda a, m: services.publish(a, by=m, version=1)),
        (Status.REJECTED, lambda a, m: services.publish(a, by=m, version=1)),
        (Status.PUBLISHED, lambda a, m: services.submit(a)),
        (Status.PUBLISHED, lambda a, m: services.reject(a, by=m, reason="Non.")),
        (Status.DRAFT, lambda a, m: services.reject(a, by=m, reason="Non.")),
        (Status.DRAFT, lambda a, m: services.feature(a, by=m)),
    ],
)
def test_transitions_the_status_does_not_allow_are_refused(status, transition):
    article = ArticleFactory(status=status)
    with pytest.raises(ValidationError):
        transition(article, ModeratorFactory())
    article.refresh_from_db()
    assert article.status == status
    assert not article.is_featured


def test_published_at_is_set_once():
    moderator = ModeratorFactory()
    article = SubmittedFactory()
    services.publish(article, by=moderator, version=1)
    first = article.published_at
    services.send_back_to_draft(article, by=moderator)
    services.submit(article)
    services.publish(article, by=moderator, version=2)
    assert article.published_at == first


def test_send_back_to_draft_unfeatures_and_records_the_moderator():
    moderator = ModeratorFactory()
    article = ArticleFactory(is_featured=True)
    services.send_back_to_draft(article, by=moderator)
    article.refresh_from_db()
    assert (article.status, article.is_featured, article.reviewed_by) == (
        Status.DRAFT,
        False,
        moderator,
    )
    assert article.slug and article.published_at  # its URL will be the same when it is back


def test_whole_workflow_through_the_site_and_the_admin(client, committed, site_url):
    """Write, submit, get refused, correct, resubmit, get published, be read."""
    moderator = ModeratorFactory(email="moderation@example.org")
    author = UserFactory(email="awa@example.org", display_name="Awa Ndiaye")
    category = CategoryFactory(name="Société")
    client.force_login(author)

    form = {
        "title": "Le marché de Sandaga renaît",
        "summary": "Après deux ans de travaux.",
        "body": "<p>Les commerçants <em>reviennent</em>.</p>",
        "category": category.pk,
        "action": "save",
    }
    client.post(reverse("articles:create"), form)
    article = Article.objects.get()
    assert article.status == Status.DRAFT

    with committed():
        client.post(reverse("articles:submit", args=[article.pk]))
    assert [m.to for m in mail.outbox] == [["moderation@example.org"]]

    client.force_login(moderator)
    changelist = reverse("admin:articles_article_changelist")
    with committed():
        client.post(
            changelist,
            {
                "action": "reject",
                "_selected_action": [article.pk],
                "post": "yes",
                "reason": "Ajoutez le témoignage d'un commerçant.",
            },
        )
    article.refresh_from_db()
    assert article.status == Status.REJECTED
    assert mail.outbox[-1].to == ["awa@example.org"]
    assert "Ajoutez le témoignage d'un commerçant." in mail.outbox[-1].body

    client.force_login(author)
    space = unescape(client.get(reverse("articles:my_articles")).content.decode())
    assert "Refusé" in space
    assert "Ajoutez le témoignage d'un commerçant." in space
    client.post(
        reverse("articles:edit", args=[article.pk]),
        {**form, "body": form["body"] + "<blockquote>« On revit », dit Modou.</blockquote>"},
    )
    with committed():
        client.post(reverse("articles:submit", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED
    assert client.get(article.get_absolute_url()).status_code == 404

    client.force_login(moderator)
    confirmation = client.post(changelist, {"action": "publish", "_selected_action": [article.pk]})
    assert "Version n° 2" in unescape(confirmation.content.decode())
    with committed():
        client.post(
            changelist,
            {
                "action": "publish",
                "_selected_action": [article.pk],
                "post": "yes",
                f"version-{article.pk}": "2",
            },
        )
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert mail.outbox[-1].to == ["awa@example.org"]
    assert f"{site_url}/articles/{article.slug}/" in mail.outbox[-1].body

    client.logout()
    home = client.get(reverse("articles:home")).content.decode()
    assert "Le marché de Sandaga renaît" in home
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "« On revit », dit Modou." in page.content.decode()


def test_submission_mails_whoever_may_publish_like_the_comment_digest(committed):
    """Moderators are active staff holding the permission, however they got it (not a group name)."""
    from django.contrib.auth.models import Permission

    direct = UserFactory(is_staff=True, email="directe@example.org")
    direct.user_permissions.add(Permission.objects.get(codename="moderate_article"))
    outsider = UserFactory(email="pas-staff@example.org")  # in the group, but no admin access
    outsider.groups.add(ModeratorFactory().groups.get())
    with committed():
        services.submit(DraftFactory())
    assert "directe@example.org" in [m.to[0] for m in mail.outbox]
    assert "pas-staff@example.org" not in [m.to[0] for m in mail.outbox]
