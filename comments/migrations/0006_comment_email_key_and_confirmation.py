from django.db import migrations, models

from notrecontinent.textnorm import email_key

BATCH = 2000


def fill_email_keys(apps, schema_editor):
    """Every stored comment gets the key its address is compared by (by primary key
    batches: cost in proportion to the table, once)."""
    Comment = apps.get_model("comments", "Comment")
    last = 0
    while True:
        rows = list(
            Comment.objects.filter(pk__gt=last)
            .exclude(email="")
            .order_by("pk")
            .only("pk", "email")[:BATCH]
        )
        if not rows:
            return
        for row in rows:
            row.email_key = email_key(row.email)
        Comment.objects.bulk_update(rows, ["email_key"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_comment_thread_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="email_confirmed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="adresse confirmée le"
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="email_key",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=254,
                verbose_name="adresse e-mail normalisée",
            ),
        ),
        # Addresses are looked up by their key now.
        migrations.AlterField(
            model_name="comment",
            name="email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="adresse e-mail"),
        ),
        # Last: PostgreSQL alters no table whose rows this transaction has just updated.
        migrations.RunPython(fill_email_keys, migrations.RunPython.noop, elidable=True),
    ]
