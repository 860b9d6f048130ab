from django.core.management.base import BaseCommand

from reports.models import METADATA_RETENTION_DAYS, Report


class Command(BaseCommand):
    help = (
        "Efface l'adresse IP des signalements de plus de 90 jours "
        "(tâche quotidienne du planificateur)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=METADATA_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        reports = Report.objects.purge_metadata(days=days)
        self.stdout.write(f"{reports} signalement(s) purgé(s) (plus de {days} jours).")
