from django.db import migrations, models


# Apart from 0004: PostgreSQL does not alter a table whose rows the same transaction has
# just updated under deferred foreign keys.
class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_comment_thread"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="comment",
            name="comments_co_article_8f5d2b_idx",
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                fields=["article", "status", "thread", "id"], name="comment_article_status_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("parent__isnull", True)),
                fields=["article", "-created_at", "-id", "status"],
                name="comment_thread_roots_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["thread", "status"], name="comment_thread_idx"),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("parent__isnull", True), ("thread__isnull", True)),
                    models.Q(("parent__isnull", False), ("thread__isnull", False)),
                    _connector="OR",
                ),
                name="comment_thread_matches_parent",
            ),
        ),
    ]
