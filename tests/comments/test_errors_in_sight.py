"""A comment post that fails comes back at the form: its action ends with the error
summary's anchor, the summary lists every error (each field's a link to the field), the
page title starts with "Erreur : ", and the reader's text is still there."""

import re

from tests.pages import block


def summary(response):
    return block(response, r'<div class="error-summary"')


def test_the_form_posts_to_the_error_summarys_anchor(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(
        r'<form id="comment-form"[^>]* action="[^"]*/commentaires/#erreurs-commentaire"', html
    )
    # No error, no summary, no prefix.
    assert 'class="error-summary"' not in html
    assert "<title>Erreur" not in html


def test_a_failed_post_shows_every_error_linked_to_its_field(article, post_comment):
    response = post_comment(article, name="", email="pas-une-adresse", body="Mon avis.")
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r"<title>Erreur : Le fleuve Sénégal en crue — NOTRE CONTINENT</title>", html)
    found = summary(response)
    assert 'id="erreurs-commentaire"' in found and 'tabindex="-1"' in found
    assert "2 erreurs sont à corriger" in found
    assert '<a href="#id_name">Nom : Ce champ est obligatoire.</a>' in found
    assert '<a href="#id_email">Adresse e-mail :' in found
    # The summary sits inside the form, above the fields; what was typed is kept.
    form = block(response, r'<form id="comment-form"')
    assert form.index('class="error-summary"') < form.index('name="name"')
    assert re.search(r">\s*Mon avis.</textarea>", form)


def test_errors_of_hidden_fields_are_listed_without_a_link(article, post_comment):
    response = post_comment(article, token="forgé")
    assert response.status_code == 400
    found = summary(response)
    assert "une erreur est à corriger" in found
    assert "<a " not in found  # the token is no field a reader can reach


def test_a_refused_flood_shows_its_message_in_the_summary(article, post_comment):
    assert post_comment(article, ip="203.0.113.9").status_code == 302
    response = post_comment(article, ip="203.0.113.9", email="autre@example.org")
    assert response.status_code == 429
    assert "Patientez quelques secondes" in summary(response)
    assert response.content.decode().count("<title>Erreur : ") == 1


def test_the_section_of_the_article_is_current_after_a_failed_post(article, post_comment):
    html = post_comment(article, body="").content.decode()
    nav = html[html.index('class="category-nav__bar"') :]
    assert f'href="{article.category.get_absolute_url()}" aria-current="true"' in nav
