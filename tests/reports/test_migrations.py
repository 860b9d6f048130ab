"""Report moved from the comments app: its rows and its permissions come along."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reports.models import Report
from tests.factories import ArticleFactory, CommentFactory, UserFactory

# Report still in comments, and the moderators' group given its permissions there.
BEFORE_THE_MOVE = [("articles", "0002_moderators_group"), ("comments", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def moderators_report_permissions():
    group = Group.objects.get(name="Modérateurs")
    return set(
        group.permissions.filter(codename__endswith="_report").values_list(
            "content_type__app_label", "codename"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_reports_and_their_permissions_survive_the_move_both_ways():
    reporter, comment, article = UserFactory(), CommentFactory(), ArticleFactory()
    # Back to before the moderators' group, so that its data migration runs again.
    migrate([("articles", "0001_initial"), ("comments", "0001_initial")])
    old_apps = migrate(BEFORE_THE_MOVE)
    OldReport = old_apps.get_model("comments", "Report")
    on_comment = OldReport.objects.create(
        comment_id=comment.pk, reason="hate", reporter_id=reporter.pk, ip_address="203.0.113.4"
    )
    on_article = OldReport.objects.create(article_id=article.pk, reason="other", details="faux")
    assert moderators_report_permissions() == {
        ("comments", "view_report"),
        ("comments", "change_report"),
    }

    migrate(latest())
    assert "comments_report" not in connection.introspection.table_names()
    moved = Report.objects.get(pk=on_comment.pk)
    assert (moved.comment, moved.reporter, moved.reason, moved.ip_address) == (
        comment,
        reporter,
        "hate",
        "203.0.113.4",
    )
    assert Report.objects.get(pk=on_article.pk).details == "faux"
    assert moderators_report_permissions() == {
        ("reports", "view_report"),
        ("reports", "change_report"),
    }
    assert not Permission.objects.filter(
        content_type__app_label="comments", codename__endswith="_report"
    ).exists()

    # And back: the rows return to the comments app's table.
    old_apps = migrate(BEFORE_THE_MOVE)
    assert old_apps.get_model("comments", "Report").objects.count() == 2
    assert ("comments", "view_report") in moderators_report_permissions()
    migrate(latest())
    assert Report.objects.count() == 2
