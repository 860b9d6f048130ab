"""The admin's front page tells moderators what waits for them."""

import re

import pytest

from articles import services
from comments.models import Comment
from reports.models import Report
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    DraftFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def waiting(response):
    html = response.content.decode()
    block = html[html.index('id="a-traiter"') :]
    block = block[: block.index("</table>")]
    return {
        label: int(count)
        for label, count in re.findall(r">([^<>]+)</a></th>\s*<td><strong>(\d+)</strong>", block)
    }


def test_dashboard_counts_what_waits(moderator_client):
    draft = DraftFactory()
    services.submit(draft)
    DraftFactory()  # a draft nobody submitted is not the moderators' business yet
    article = ArticleFactory()
    services.propose_correction(
        article,
        by=article.author,
        text={**article.text_snapshot(), "title": "Titre corrigé"},
        note="Le titre était faux.",
        is_factual=True,
    )
    CommentFactory(article=article, status=Comment.Status.PENDING)
    CommentFactory(article=article, status=Comment.Status.APPROVED)
    Report.objects.create(article=article, reason=Report.Reason.SPAM)
    response = moderator_client.get("/admin/")
    assert response.status_code == 200
    assert waiting(response) == {
        "Articles en relecture": 1,
        "Corrections en attente": 1,
        "Commentaires en attente": 1,
        "Signalements à traiter": 1,
    }


def test_dashboard_block_is_for_moderators_only(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert 'id="a-traiter"' not in response.content.decode()
