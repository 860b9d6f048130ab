from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_readership"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="article",
            name="articles_ar_status_de59cf_idx",
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["status", "-published_at", "-id"], name="article_status_published_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["category", "-published_at", "-id"],
                name="article_category_published_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["author", "-published_at", "-id"],
                name="article_author_published_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("is_featured", True)),
                fields=["status", "-published_at", "-id"],
                name="article_featured_idx",
            ),
        ),
    ]
