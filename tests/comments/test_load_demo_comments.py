import pytest
from django.core.management import call_command

from articles.models import DailyViews
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, ModeratorFactory

pytestmark = pytest.mark.django_db


def test_demo_threads_go_under_the_most_read_articles_and_show():
    ModeratorFactory()
    read, unread = ArticleFactory(), ArticleFactory()
    DailyViews.add(read.pk, count=50)
    call_command("load_demo_comments")
    assert not unread.comments.exists()
    comments = read.comments.all()
    assert comments.count() >= 3
    assert all(c.status == Comment.Status.APPROVED for c in comments)
    assert comments.filter(depth=3).exists()


def test_demo_comments_are_loaded_only_on_a_site_without_comments(client):
    existing = CommentFactory()
    DailyViews.add(existing.article.pk, count=50)
    call_command("load_demo_comments")
    assert Comment.objects.count() == 1
