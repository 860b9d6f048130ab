"""The moderators' queue of reports, and what the comments' admin shows of them."""

import re

import pytest
from django.urls import reverse

from comments.models import Comment
from reports.models import Report
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reports_report_changelist")
COMMENTS = reverse("admin:comments_comment_changelist")


def test_reports_queue(moderator_client, moderator):
    comment = CommentFactory(body="insulte")
    article = ArticleFactory(title="Article signalé")
    Report.objects.create(comment=comment, reason=Report.Reason.HATE, details="grave")
    Report.objects.create(article=article, reason=Report.Reason.FALSE)
    html = moderator_client.get(CHANGELIST).content.decode()
    assert "insulte" in html and "Article signalé" in html
    response = moderator_client.get(CHANGELIST, {"objet": "article"})
    assert [r.article for r in response.context["cl"].result_list] == [article]
    reports = Report.objects.filter(comment=comment)
    moderator_client.post(
        CHANGELIST,
        {"action": "remove_reported_comments", "_selected_action": [r.pk for r in reports]},
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    report = reports.get()
    assert (report.is_resolved, report.resolved_by) == (True, moderator)


def test_resolve_reports(moderator_client, moderator):
    report = Report.objects.create(comment=CommentFactory(), reason=Report.Reason.SPAM)
    moderator_client.post(CHANGELIST, {"action": "resolve", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert (report.is_resolved, report.resolved_by) == (True, moderator)
    assert report.resolved_at is not None


def test_change_pages_open(moderator_client):
    comment = CommentFactory(parent=CommentFactory())
    Report.objects.create(comment=comment, reason=Report.Reason.SPAM)
    report = Report.objects.create(article=comment.article, reason=Report.Reason.OTHER, details="?")
    for url in (
        reverse("admin:reports_report_change", args=[report.pk]),
        CHANGELIST,
        COMMENTS + "?signale=any",
    ):
        assert moderator_client.get(url).status_code == 200, url


def test_a_comment_shows_what_readers_reported(moderator_client):
    comment = CommentFactory()
    Report.objects.create(comment=comment, reason=Report.Reason.HATE, details="Propos blessants")
    response = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert "Propos blessants" in response.content.decode()


def test_the_comments_list_counts_and_filters_open_reports(moderator_client, moderator):
    reported, handled = CommentFactory(), CommentFactory()
    CommentFactory()  # never reported
    for _ in range(2):
        Report.objects.create(comment=reported, reason=Report.Reason.HATE)
    Report.objects.create(comment=handled, reason=Report.Reason.SPAM).resolve(by=moderator)
    html = moderator_client.get(COMMENTS).content.decode()
    cells = re.findall(r'<td class="field-open_reports">([^<]*)</td>', html)
    assert sorted(cells) == ["-", "-", "2"]  # the empty value shows as a dash
    link = f'<a href="{CHANGELIST}?is_resolved__exact=0">Signalements à traiter</a>'
    assert f"{link} : <strong>2</strong>" in html

    def rows(query):
        return {c.pk for c in moderator_client.get(COMMENTS, query).context["cl"].result_list}

    assert rows({"signale": "open"}) == {reported.pk}
    assert rows({"signale": "any"}) == {reported.pk, handled.pk}
