"""Every rule of the moderation policy, each alone, through the comment form."""

import pytest
from django.core import signing

from comments import policy, remember
from comments.models import Comment, ModerationSettings
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

TRUSTED = "fidele@example.org"


@pytest.fixture
def trusted(client, article):
    """The test client, signed in as a reader whose account has an approved comment."""
    reader = UserFactory(email=TRUSTED)
    CommentFactory(article=ArticleFactory(), user=reader, email=TRUSTED)
    client.force_login(reader)
    return reader


def settings_with(**values):
    config = ModerationSettings.load()
    for name, value in values.items():
        setattr(config, name, value)
    config.save()
    return config


def only_comment():
    (comment,) = Comment.objects.order_by("-pk")[:1]
    return comment


# Approved at once ----------------------------------------------------------------------


def test_a_typed_address_with_an_approved_comment_is_not_trusted(article, post_comment):
    CommentFactory(email=TRUSTED, status=Comment.Status.APPROVED)
    response = post_comment(article, email=TRUSTED)
    assert response.status_code == 302
    comment = only_comment()
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason == (
        "Adresse e-mail non confirmée (elle a déjà un commentaire approuvé)"
    )


def test_a_typed_address_of_a_signed_in_commenter_is_not_trusted(article, post_comment):
    """The account's approved comments make the account trusted, not its address."""
    owner = UserFactory(email=TRUSTED)
    CommentFactory(user=owner, email=TRUSTED, status=Comment.Status.APPROVED)
    post_comment(article, email=TRUSTED.upper())
    assert only_comment().status == Comment.Status.PENDING


def test_a_signed_in_staff_member_is_approved_at_once(moderator_client, article, post_comment):
    post_comment(article)
    assert only_comment().status == Comment.Status.APPROVED


def test_a_signed_in_user_with_an_approved_comment_is_approved_at_once(
    client, article, post_comment
):
    user = UserFactory()
    CommentFactory(user=user, email="ancienne@example.org", status=Comment.Status.APPROVED)
    client.force_login(user)
    post_comment(article)
    comment = only_comment()
    assert comment.status == Comment.Status.APPROVED
    assert comment.user == user
    assert comment.email == user.email  # the account's address, not the one posted


# Held as pending -----------------------------------------------------------------------


def test_a_first_comment_from_an_email_waits(article, post_comment):
    response = post_comment(article, email="nouveau@example.org")
    assert response.status_code == 302
    comment = only_comment()
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason == (
        "Commentateur pas encore de confiance (aucun commentaire approuvé)"
    )


def test_a_signed_in_user_without_an_approved_comment_waits(client, article, post_comment):
    client.force_login(UserFactory())
    post_comment(article)
    assert only_comment().status == Comment.Status.PENDING


def test_a_suspended_user_is_not_trusted(client, article, post_comment):
    user = UserFactory()
    CommentFactory(user=user, email=user.email, status=Comment.Status.APPROVED)
    assert policy.is_trusted(user=user, email=user.email)
    user.is_active = False
    assert not policy.is_trusted(user=user, email=user.email)


def test_two_links_hold_a_trusted_comment(article, post_comment, trusted):
    post_comment(article, body="Voir https://a.example.com et www.b.org")
    assert only_comment().status == Comment.Status.PENDING
    assert only_comment().hold_reason == "2 liens (seuil : 2)"


def test_one_link_does_not_hold_a_trusted_comment(article, post_comment, trusted):
    post_comment(article, body="La source : https://a.example.com/rapport")
    assert only_comment().status == Comment.Status.APPROVED


def test_the_link_threshold_is_a_setting(article, post_comment, trusted):
    settings_with(link_threshold=1)
    post_comment(article, body="La source : https://a.example.com/rapport")
    assert only_comment().status == Comment.Status.PENDING
    assert only_comment().hold_reason == "1 lien (seuil : 1)"


def test_a_word_of_the_moderation_list_holds_a_trusted_comment(article, post_comment, trusted):
    settings_with(moderation_words="casino\nargent facile")
    post_comment(article, body="De l'ARGENT FACILE pour tous.")
    assert only_comment().status == Comment.Status.PENDING
    assert only_comment().hold_reason == "Mot à modérer : « argent facile »"


def test_moderation_words_match_whole_words_only(article, post_comment, trusted):
    settings_with(moderation_words="casino")
    post_comment(article, body="Les casinotiers du port ont protesté.")
    assert only_comment().status == Comment.Status.APPROVED


@pytest.mark.parametrize(
    "body",
    [
        "Le meilleur ｃａｓｉｎｏ",
        "Un cаsinо en ligne",
        "c.a.s.i.n.o",
        "cas\u200bino",
        "C4\u00adS1N0",
    ],
)
def test_word_lists_see_through_disguises(article, post_comment, trusted, body):
    """The corpus of disguises is tests/test_textnorm.py's; here, that the policy uses it."""
    settings_with(moderation_words="casino")
    post_comment(article, body=body)
    assert only_comment().status == Comment.Status.PENDING
    assert only_comment().hold_reason == "Mot à modérer : « casino »"


def test_innocent_french_passes_the_word_lists(article, post_comment, trusted):
    settings_with(blocked_words="ass\ncon\ncul", moderation_words="pute")
    post_comment(
        article,
        body="Une classe, une association, le conseil, un calcul, la députée, une dispute, "
        "l'Élève à Thiès.",
    )
    assert only_comment().status == Comment.Status.APPROVED


def test_the_name_is_checked_too(article, post_comment):
    settings_with(moderation_words="casino")
    post_comment(article, name="Casino Royal")
    assert only_comment().status == Comment.Status.PENDING
    assert only_comment().hold_reason == "Mot à modérer : « casino »"


# Spam ----------------------------------------------------------------------------------


def test_a_word_of_the_blocked_list_is_spam(article, post_comment, trusted):
    settings_with(blocked_words="viagra")
    response = post_comment(article, body="Viagra pas cher")
    assert response.status_code == 302  # the spammer is not told
    assert only_comment().status == Comment.Status.SPAM


def test_the_blocked_list_wins_over_the_moderation_list(article, post_comment):
    settings_with(blocked_words="viagra", moderation_words="pas cher")
    post_comment(article, body="Viagra pas cher")
    assert only_comment().status == Comment.Status.SPAM
    assert only_comment().hold_reason == "Mot interdit : « viagra »"


# Refused outright ----------------------------------------------------------------------


def test_a_filled_honeypot_is_refused(article, post_comment):
    response = post_comment(article, website="http://spam.example.com")
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert "n&#x27;a pas pu être enregistré" in response.content.decode()


def test_a_form_older_than_two_hours_is_refused(article, post_comment, clock):
    old_token = policy.make_form_token(article.pk)
    clock.shift(2 * 3600 + 5)
    response = post_comment(article, token=old_token)
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert "Ce formulaire a expiré" in response.content.decode()


def test_a_form_just_under_two_hours_old_is_accepted(article, post_comment, clock):
    token = policy.make_form_token(article.pk)
    clock.shift(2 * 3600 - 60)
    assert post_comment(article, token=token).status_code == 302


def test_a_replayed_form_is_refused(article, post_comment, no_flood):
    token = policy.make_form_token(article.pk)
    assert post_comment(article, token=token).status_code == 302
    response = post_comment(article, token=token, email="autre@example.org")
    assert response.status_code == 400
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("token", [None, "", "forged", "eyJhIjoxfQ:1abc:deadbeef"])
def test_a_missing_or_forged_token_is_refused(article, post_comment, token):
    response = post_comment(article, token=token)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_token_of_another_article_is_refused(article, post_comment):
    other = ArticleFactory()
    response = post_comment(article, token=policy.make_form_token(other.pk))
    assert response.status_code == 400


def test_a_second_comment_from_one_ip_within_15_seconds_is_refused(article, post_comment):
    assert post_comment(article, ip="203.0.113.7", email="a@example.org").status_code == 302
    response = post_comment(article, ip="203.0.113.7", email="b@example.org")
    assert response.status_code == 429
    assert "Patientez quelques secondes" in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_second_comment_from_one_email_within_15_seconds_is_refused(article, post_comment):
    assert post_comment(article, ip="203.0.113.7", email="a@example.org").status_code == 302
    response = post_comment(article, ip="203.0.113.8", email="A@example.org")
    assert response.status_code == 429
    assert Comment.objects.count() == 1


def test_comments_from_other_addresses_are_not_slowed(article, post_comment):
    assert post_comment(article, ip="203.0.113.7", email="a@example.org").status_code == 302
    assert post_comment(article, ip="203.0.113.8", email="b@example.org").status_code == 302


def test_the_flood_window_ends_after_15_seconds(article, post_comment, clock):
    assert post_comment(article, ip="203.0.113.7").status_code == 302
    clock.shift(14)
    assert post_comment(article, ip="203.0.113.7").status_code == 429
    clock.shift(2)
    assert post_comment(article, ip="203.0.113.7").status_code == 302


def test_a_refused_flood_keeps_what_was_typed(article, post_comment):
    post_comment(article, ip="203.0.113.7")
    response = post_comment(article, ip="203.0.113.7", body="Mon texte soigneusement écrit")
    assert "Mon texte soigneusement écrit" in response.content.decode()


def test_a_body_over_3000_characters_is_refused(article, post_comment):
    response = post_comment(article, body="a" * 3001)
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert "trop long" in response.content.decode()


def test_a_body_of_3000_characters_is_accepted(article, post_comment):
    assert post_comment(article, body="a" * 3000).status_code == 302


def test_the_maximum_length_is_a_setting(article, post_comment):
    settings_with(max_length=200)
    assert post_comment(article, body="a" * 201).status_code == 400


@pytest.mark.parametrize("field", ["body", "name"])
def test_a_nul_byte_is_refused(article, post_comment, field):
    response = post_comment(article, **{field: "Bonjour\x00le monde"})
    assert response.status_code == 400
    assert not Comment.objects.exists()


RESERVED = (
    "Ce nom est réservé à l'équipe de Notre Continent : choisissez-en un autre, qui ne "
    "laisse pas croire que vous parlez au nom du site."
)


@pytest.mark.parametrize(
    "name",
    [
        "La rédaction",
        "LA REDACTION",
        "admin",
        "ＡＤＭＩＮ",  # full-width
        "A d m i n",  # spaced
        "Rédacti0n",  # a digit for a letter
        "Аdmin",  # Cyrillic А
        "Ad\u200bmin",  # zero-width space
        "L'équipe de Notre Continent",
        "Équipe officielle",
        "Awa, modératrice",
        "Anonyme officiel",
    ],
)
def test_a_name_posing_as_the_team_is_refused(article, post_comment, name):
    response = post_comment(article, name=name)
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert response.context["comment_form"].errors["name"] == [RESERVED]


def test_the_refusal_is_in_french_beside_the_name(article, post_comment):
    html = post_comment(article, name="La rédaction", body="Mon avis").content.decode()
    assert 'id="id_name_error"' in html
    assert "Ce nom est réservé à l&#x27;équipe de Notre Continent" in html
    assert "Mon avis</textarea>" in html


@pytest.mark.parametrize(
    "name",
    [
        "Aminata Touré",
        "Redouane",
        "Marie Direction-Sow",
        "Badminton Club de Ziguinchor",
        "Équipe verte de Thiès",
        "Administration des douanes",
        # Refused as an account's name, but how many readers sign: it speaks for nobody.
        "Anonyme",
        "ANONYME",
    ],
)
def test_citizens_names_sign_comments(article, post_comment, name):
    assert post_comment(article, name=name).status_code == 302
    assert only_comment().name == name


def test_a_team_member_comments_under_the_accounts_name(client, article, post_comment):
    client.force_login(UserFactory(display_name="La rédaction", is_staff=True))
    assert post_comment(article, name="Awa Diop").status_code == 302
    assert only_comment().name == "La rédaction"


def test_a_remembered_name_is_checked_as_posted_and_never_remembered(client, article, post_comment):
    # A cookie signed before the rule, prefilling the form with a team name.
    client.cookies[remember.COOKIE] = signing.dumps(
        {"n": "Admin", "e": "awa@example.org"}, salt=remember.SALT
    )
    response = post_comment(article, name="Admin", remember="on")
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert remember.COOKIE not in response.cookies


def test_check_body_refuses_nul_bytes_on_its_own():
    with pytest.raises(Exception, match="caractère interdit"):
        policy.check_body("a\x00b", ModerationSettings())


def test_count_links():
    assert policy.count_links("rien ici") == 0
    assert policy.count_links("https://a.org/x et http://b.net") == 2
    assert policy.count_links("www.exemple.sn puis exemple.com") == 2
