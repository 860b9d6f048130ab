"""Report moves to the reports app, with its rows.

Django's recipe for moving a model between apps: here the table is renamed and the
model leaves this app's state; reports/migrations/0001_initial.py adopts it in state
only, with its content type and permissions.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        # The moderators' group was given its permissions on comments.Report there.
        ("articles", "0002_moderators_group"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="Report", table="reports_report"),
            ],
            state_operations=[
                migrations.DeleteModel(name="Report"),
            ],
        ),
    ]
