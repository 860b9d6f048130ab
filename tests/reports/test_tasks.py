"""The moderators' digest: what waits for a decision, comments and reports."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command

from comments.models import Comment
from reports import tasks
from reports.models import Report
from tests.factories import ArticleFactory, CommentFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver-site"


def sent_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_the_digest_lists_what_waits_for_each_moderator():
    first = ModeratorFactory(email="modo1@example.org")
    ModeratorFactory(email="modo2@example.org")
    UserFactory(email="lecteur@example.org")
    CommentFactory(status=Comment.Status.PENDING, name="Attente", body="À relire")
    CommentFactory()
    call_command("send_moderation_digest", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == ["modo1@example.org", "modo2@example.org"]
    message = sent_to(first.email)[0]
    assert "1 commentaire en attente de modération" in message.subject
    assert "Attente" in message.body and "À relire" in message.body
    assert "http://testserver-site/admin/comments/comment/?status__exact=pending" in message.body


def test_a_group_moderator_gets_the_digest():
    staff = UserFactory(email="groupe@example.org", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    CommentFactory(status=Comment.Status.PENDING)
    tasks.send_moderation_digest.enqueue()
    assert [m.to for m in mail.outbox] == [["groupe@example.org"]]


def test_no_digest_when_nothing_waits():
    ModeratorFactory()
    CommentFactory()
    assert tasks.send_moderation_digest.enqueue().return_value == 0
    assert mail.outbox == []


def test_the_digest_counts_open_reports_and_links_to_them(moderator):
    Report.objects.create(article=ArticleFactory(), reason=Report.Reason.FALSE)
    Report.objects.create(comment=CommentFactory(), reason=Report.Reason.SPAM).resolve(by=moderator)
    assert tasks.send_moderation_digest.enqueue().return_value == 1
    (message,) = mail.outbox
    assert "1 signalement n'est pas encore traité." in message.body
    assert "http://testserver-site/admin/reports/report/?is_resolved__exact=0" in message.body
