"""Report, moved here from the comments app with its rows and permissions.

The table already exists (comments/migrations/0002_move_report_to_reports.py renamed
it), so the model is created in the migration state only. Its content type changes app
rather than being replaced, so the permissions that point to it, and the groups
holding them ("Modérateurs"), now apply to reports.Report.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(from_app, to_app):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.using(schema_editor.connection.alias).filter(
            app_label=from_app, model="report"
        ).update(app_label=to_app)
        ContentType.objects.clear_cache()

    return move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0002_moderators_group"),
        ("comments", "0002_move_report_to_reports"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Report",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "reason",
                            models.CharField(
                                choices=[
                                    ("illegal", "Contenu illicite"),
                                    ("hate", "Propos haineux ou discriminatoires"),
                                    ("harassment", "Harcèlement ou menace"),
                                    ("privacy", "Atteinte à la vie privée"),
                                    ("false", "Fausse information"),
                                    ("spam", "Publicité ou contenu indésirable"),
                                    ("other", "Autre"),
                                ],
                                max_length=20,
                                verbose_name="motif",
                            ),
                        ),
                        (
                            "details",
                            models.TextField(blank=True, max_length=2000, verbose_name="précisions"),
                        ),
                        (
                            "ip_address",
                            models.GenericIPAddressField(
                                blank=True, null=True, verbose_name="adresse IP"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                db_index=True,
                                default=django.utils.timezone.now,
                                verbose_name="signalé le",
                            ),
                        ),
                        (
                            "is_resolved",
                            models.BooleanField(db_index=True, default=False, verbose_name="traité"),
                        ),
                        (
                            "resolved_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="traité le"),
                        ),
                        (
                            "article",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reports",
                                to="articles.article",
                                verbose_name="article",
                            ),
                        ),
                        (
                            "comment",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reports",
                                to="comments.comment",
                                verbose_name="commentaire",
                            ),
                        ),
                        (
                            "reporter",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="reports",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="signalé par",
                            ),
                        ),
                        (
                            "resolved_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="traité par",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "signalement",
                        "verbose_name_plural": "signalements",
                        "ordering": ["is_resolved", "-created_at"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("comment__isnull", False), ("article__isnull", True)),
                                    models.Q(("comment__isnull", True), ("article__isnull", False)),
                                    _connector="OR",
                                ),
                                name="report_targets_one_thing",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(
            move_content_type("comments", "reports"), move_content_type("reports", "comments")
        ),
    ]
