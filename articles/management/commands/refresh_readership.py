"""Age the 7-day figures of "Les plus lus" (Readership.recent_views) to today's window.

The scheduler runs it shortly after midnight (articles.tasks.refresh_readership); when
it has not by 00:15, the site queues that task for the worker. This command does it at
once, done or not, and marks the day done.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from articles.readership import refresh_recent_views


class Command(BaseCommand):
    help = "Met à jour les lectures des 7 derniers jours (« Les plus lus »)."

    def handle(self, *args, **options):
        changed = refresh_recent_views()
        self.stdout.write(
            ngettext(
                "Lectures des 7 derniers jours mises à jour : %(count)d article.",
                "Lectures des 7 derniers jours mises à jour : %(count)d articles.",
                changed,
            )
            % {"count": changed}
        )
