import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.models import Report

RETENTION_DAYS = 90


class Command(BaseCommand):
    help = "Efface l'adresse IP des signalements de plus de 90 jours."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=RETENTION_DAYS)

    def handle(self, *args, days, **options):
        before = timezone.now() - datetime.timedelta(days=days)
        reports = Report.objects.filter(created_at__lt=before, ip_address__isnull=False).update(
            ip_address=None
        )
        self.stdout.write(f"{reports} signalement(s) purgé(s) (plus de {days} jours).")
