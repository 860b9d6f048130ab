"""Comments stored before addresses had a key get theirs from the migration."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from comments.models import Comment
from tests.factories import ArticleFactory

BEFORE_KEYS = [("comments", "0005_comment_thread_indexes")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_stored_comments_get_their_address_key():
    article = ArticleFactory()
    old_apps = migrate(BEFORE_KEYS)
    OldComment = old_apps.get_model("comments", "Comment")
    addresses = ["Awa@Example.ORG", "élodie@EXÄMPLE.sn", ""]
    for address in addresses:
        OldComment.objects.create(article_id=article.pk, name="Ancien", email=address, body="x")

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    keys = dict(Comment.objects.values_list("email", "email_key"))
    assert keys == {
        "Awa@Example.ORG": "awa@example.org",
        "élodie@EXÄMPLE.sn": "élodie@xn--exmple-cua.sn",
        "": "",
    }
    assert not Comment.objects.filter(email_confirmed_at__isnull=False).exists()
    assert Comment.objects.by_email("AWA@example.org").count() == 1
