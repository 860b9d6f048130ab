"""A reporter's data: the account's export and deletion, the 90-day purge of addresses."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from reports.models import Report
from reports.services import erase_reporter_data, export_reporter_data
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_export_lists_the_reports_an_account_filed():
    user = UserFactory()
    comment = CommentFactory()
    mine = Report.objects.create(
        comment=comment, reason="hate", details="insultant", reporter=user, ip_address="2001:db8::1"
    )
    Report.objects.create(article=comment.article, reason="spam", reporter=UserFactory())
    Report.objects.create(article=comment.article, reason="spam")
    (row,) = export_reporter_data(user)
    assert json.loads(json.dumps(row)) == row
    assert row["id"] == mine.pk
    assert (row["target"], row["target_url"]) == ("comment", comment.get_absolute_url())
    assert (row["reason"], row["details"], row["ip_address"]) == (
        "hate",
        "insultant",
        "2001:db8::1",
    )


def test_erasure_unlinks_the_account_and_its_address_and_keeps_the_report():
    user, other = UserFactory(), UserFactory()
    article = ArticleFactory()
    mine = Report.objects.create(
        article=article, reason="spam", reporter=user, ip_address="203.0.113.1"
    )
    theirs = Report.objects.create(
        article=article, reason="spam", reporter=other, ip_address="203.0.113.2"
    )
    assert erase_reporter_data(user) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.reporter, mine.ip_address, mine.reason) == (None, None, "spam")
    assert (theirs.reporter, theirs.ip_address) == (other, "203.0.113.2")


def test_purge_clears_addresses_after_90_days():
    article = ArticleFactory()
    old = Report.objects.create(
        article=article,
        reason="spam",
        ip_address="203.0.113.2",
        created_at=timezone.now() - datetime.timedelta(days=91),
    )
    recent = Report.objects.create(
        article=article,
        reason="spam",
        ip_address="203.0.113.3",
        created_at=timezone.now() - datetime.timedelta(days=89),
    )
    out = io.StringIO()
    call_command("purge_report_metadata", stdout=out)
    assert "1 signalement(s) purgé(s)" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.reason) == (None, "spam")
    assert recent.ip_address == "203.0.113.3"
