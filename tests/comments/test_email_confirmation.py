"""Proof of an address: the optional confirmation e-mail of anonymous commenters, its link,
and what the moderation policy makes of a confirmed address."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from comments import services
from comments.models import EMAIL_CONFIRMATION_MAX_AGE, Comment
from tests.factories import CommentFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "awa@example.org"
LINK_RE = re.compile(r"http://testserver-site(/commentaires/confirmation/[^/\s]+/)")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver-site"


@pytest.fixture
def post(post_comment, no_flood, django_capture_on_commit_callbacks):
    """Post as an anonymous reader, running what the transaction queued (the e-mails)."""

    def run(article, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return post_comment(article, **fields)

    return run


@pytest.fixture
def confirm(client, django_capture_on_commit_callbacks):
    """Click the link, then the button of the page it opens."""

    def run(path):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path)

    return run


def link_in(message):
    (path,) = LINK_RE.findall(message.body)
    return path


def latest():
    return Comment.objects.latest("pk")


def proven_history(address=ADDRESS):
    """An approved comment from `address` that its owner confirmed."""
    return CommentFactory(email=address, email_confirmed_at="2024-10-04T15:26:57Z")


# The form --------------------------------------------------------------------------------


def test_anonymous_readers_are_offered_the_confirmation(client, article):
    response = client.get(article.get_absolute_url())
    assert 'name="confirm_email"' in response.content.decode()


def test_signed_in_readers_are_not_offered_it(client, article):
    client.force_login(UserFactory())
    response = client.get(article.get_absolute_url())
    assert 'name="confirm_email"' not in response.content.decode()


def test_asking_sends_one_email_with_the_comment_and_a_link(client, article, post):
    response = post(article, email=ADDRESS, body="Mon avis sur la crue.", confirm_email="on")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [ADDRESS]
    assert message.subject.endswith("Confirmez l'adresse e-mail de votre commentaire")
    assert "Mon avis sur la crue." in message.body
    assert "Le fleuve Sénégal en crue" in message.body
    assert link_in(message)
    page = client.get(response["Location"]).content.decode()
    assert "Un e-mail vient d&#x27;être envoyé à votre adresse" in page


def test_not_asking_sends_nothing(article, post):
    post(article, email=ADDRESS)
    assert mail.outbox == []
    assert latest().status == Comment.Status.PENDING


def test_spam_gets_no_email(article, post):
    config = services.policy.ModerationSettings.load()
    config.blocked_words = "casino"
    config.save()
    post(article, email=ADDRESS, body="Le meilleur c4sino", confirm_email="on")
    assert latest().status == Comment.Status.SPAM
    assert mail.outbox == []


def test_one_email_per_address_every_ten_minutes(client, article, post, clock):
    post(article, email=ADDRESS, confirm_email="on")
    # The same mailbox however it is typed.
    response = post(article, email="AWA@ｅｘａｍｐｌｅ.ORG", confirm_email="on")
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert len(mail.outbox) == 1
    page = client.get(response["Location"]).content.decode()
    assert "Un e-mail de confirmation a déjà été envoyé à cette adresse" in page
    clock.shift(10 * 60 + 1)
    post(article, email=ADDRESS, confirm_email="on")
    assert len(mail.outbox) == 2


# The link --------------------------------------------------------------------------------


def test_opening_the_link_confirms_nothing_until_the_button(client, article, post):
    """Mail scanners fetch links: only the page's button (a POST) confirms."""
    post(article, email=ADDRESS, body="Mon avis.", confirm_email="on")
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = response.content.decode()
    assert "Mon avis." in page
    assert "Confirmer mon adresse" in page
    assert latest().email_confirmed_at is None


def test_a_first_confirmed_comment_still_waits_for_a_moderator(article, post, confirm):
    post(article, email=ADDRESS, confirm_email="on")
    response = confirm(link_in(mail.outbox[0]))
    assert response.status_code == 200
    assert "votre adresse est confirmée" in response.content.decode()
    comment = latest()
    assert comment.email_confirmed_at is not None
    assert comment.status == Comment.Status.PENDING


def test_a_confirmed_address_with_a_proven_approved_comment_is_approved_at_once(
    client, article, post, confirm
):
    proven_history(address="Awa@EXAMPLE.org")  # the history, typed another way
    post(article, email=ADDRESS, confirm_email="on")
    assert latest().status == Comment.Status.PENDING  # typed: not trusted yet
    path = link_in(mail.outbox[0])
    mail.outbox.clear()
    response = confirm(path)
    comment = latest()
    assert comment.status == Comment.Status.APPROVED
    assert comment.hold_reason == ""
    assert comment.moderated_by is None
    assert "votre commentaire est publié" in response.content.decode()
    # The approval has the effects of any approval: the article's author is told.
    assert [m.to for m in mail.outbox] == [[article.author.email]]
    assert comment.body in client.get(article.get_absolute_url()).content.decode()


def _confirmation_mail():
    (message,) = [m for m in mail.outbox if LINK_RE.search(m.body)]
    return message


def test_an_account_approved_comment_is_proven_history(article, post, confirm):
    owner = UserFactory(email=ADDRESS)
    CommentFactory(user=owner, email=ADDRESS)
    post(article, email=ADDRESS, confirm_email="on")
    confirm(link_in(mail.outbox[0]))
    assert latest().status == Comment.Status.APPROVED


def test_a_typed_approved_comment_is_no_history(article, post, confirm):
    """Someone typed this address once and a moderator approved the text: that proves
    nothing about who owns the address."""
    CommentFactory(email=ADDRESS)
    post(article, email=ADDRESS, confirm_email="on")
    confirm(link_in(mail.outbox[0]))
    assert latest().status == Comment.Status.PENDING


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED]
)
def test_only_an_approved_proven_comment_is_history(article, post, confirm, status):
    CommentFactory(email=ADDRESS, email_confirmed_at="2024-10-04T15:26:57Z", status=status)
    post(article, email=ADDRESS, confirm_email="on")
    confirm(link_in(mail.outbox[0]))
    assert latest().status == Comment.Status.PENDING


def test_the_word_lists_still_hold_a_confirmed_comment(article, post, confirm):
    proven_history()
    config = services.policy.ModerationSettings.load()
    config.moderation_words = "argent facile"
    config.save()
    post(article, email=ADDRESS, body="De l'argent-f4cile !", confirm_email="on")
    confirm(link_in(mail.outbox[0]))
    comment = latest()
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason == "Mot à modérer : « argent facile »"


@pytest.mark.parametrize("status", [Comment.Status.REMOVED, Comment.Status.APPROVED])
def test_a_moderators_decision_is_never_undone(article, post, confirm, status):
    proven_history()
    post(article, email=ADDRESS, confirm_email="on")
    services.moderate([latest()], status, by=ModeratorFactory())
    confirm(link_in(_confirmation_mail()))
    comment = latest()
    assert comment.status == status
    assert comment.moderated_by is not None
    assert comment.email_confirmed_at is not None


def test_confirming_twice_changes_nothing_more(article, post, confirm):
    proven_history()
    post(article, email=ADDRESS, confirm_email="on")
    path = link_in(mail.outbox[0])
    confirm(path)
    first = latest().email_confirmed_at
    mail.outbox.clear()
    response = confirm(path)
    assert response.status_code == 200
    assert latest().email_confirmed_at == first
    assert mail.outbox == []  # no second approval notice


def test_a_confirmed_address_does_not_vouch_for_someone_typing_it(article, post, confirm):
    proven_history()
    post(article, email=ADDRESS, confirm_email="on")
    confirm(link_in(mail.outbox[0]))
    post(article, email=ADDRESS, name="Imposteur")
    impostor = latest()
    assert impostor.name == "Imposteur"
    assert impostor.status == Comment.Status.PENDING


# Bad links -------------------------------------------------------------------------------


def _confirmation_path(token):
    return reverse("comments:confirm_email", kwargs={"token": token})


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("token", ["x", "eyJjIjoxfQ:1abc:deadbeef", "a" * 500, "%00", "..", "é"])
def test_a_forged_link_is_a_clear_404(client, method, token):
    response = getattr(client, method)(_confirmation_path(token))
    assert response.status_code == 404
    assert "Ce lien de confirmation n'est pas valide" in response.content.decode()


def test_another_links_token_does_not_confirm(client):
    comment = CommentFactory(status=Comment.Status.PENDING)
    response = client.post(_confirmation_path(comment.unsubscribe_token()))
    assert response.status_code == 404
    comment.refresh_from_db()
    assert comment.email_confirmed_at is None


def test_a_link_expires_after_three_days(client, article, post, clock):
    post(article, email=ADDRESS, confirm_email="on")
    path = link_in(mail.outbox[0])
    clock.shift(EMAIL_CONFIRMATION_MAX_AGE - 60)
    assert client.get(path).status_code == 200
    clock.shift(120)
    assert client.post(path).status_code == 404
    assert latest().email_confirmed_at is None


def test_a_link_dies_with_the_address_it_was_sent_to(client, article, post):
    post(article, email=ADDRESS, confirm_email="on")
    path = link_in(mail.outbox[0])
    services.erase_commenter_data(email=ADDRESS)
    assert client.post(path).status_code == 404


def test_erasing_a_commenter_forgets_the_proof(article, post, confirm):
    post(article, email=ADDRESS, confirm_email="on")
    confirm(link_in(mail.outbox[0]))
    services.erase_commenter_data(email="AWA@example.org")
    comment = latest()
    assert (comment.email, comment.email_key, comment.email_confirmed_at) == ("", "", None)


# Addresses -------------------------------------------------------------------------------


def test_comments_are_found_by_address_however_it_is_typed():
    comment = CommentFactory(email="Élodie@Exemple.SN")
    for typed in ("élodie@exemple.sn", "ÉLODIE@EXEMPLE.SN", " élodie@exemple.sn "):
        assert list(Comment.objects.by_email(typed)) == [comment]
    assert not Comment.objects.by_email("elodie@exemple.sn").exists()  # another mailbox


def test_changing_an_address_changes_its_key():
    comment = CommentFactory(email="a@example.org")
    comment.email = "B@Example.org"
    comment.save(update_fields=["email"])
    comment.refresh_from_db()
    assert comment.email_key == "b@example.org"
