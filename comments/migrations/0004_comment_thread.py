import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_threads(apps, schema_editor):
    """Each reply gets the top-level comment of its thread, one depth after the other."""
    Comment = apps.get_model("comments", "Comment")
    depth = 2
    while Comment.objects.filter(depth=depth).exists():
        parents_thread = Comment.objects.filter(pk=OuterRef("parent")).values("thread")[:1]
        Comment.objects.filter(depth=depth).update(
            thread=Coalesce(Subquery(parents_thread), F("parent"))
        )
        depth += 1


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_comment_hold_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="thread",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="comments.comment",
                verbose_name="fil",
            ),
        ),
        migrations.RunPython(fill_threads, migrations.RunPython.noop, elidable=True),
    ]
