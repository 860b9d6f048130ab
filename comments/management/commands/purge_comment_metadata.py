import datetime

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from comments.models import Comment, Report

RETENTION_DAYS = 90


class Command(BaseCommand):
    help = (
        "Efface l'adresse IP et le navigateur des commentaires et signalements de plus de 90 jours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=RETENTION_DAYS)

    def handle(self, *args, days, **options):
        before = timezone.now() - datetime.timedelta(days=days)
        comments = (
            Comment.objects.filter(created_at__lt=before)
            .filter(Q(ip_address__isnull=False) | ~Q(user_agent=""))
            .update(ip_address=None, user_agent="")
        )
        reports = Report.objects.filter(created_at__lt=before, ip_address__isnull=False).update(
            ip_address=None
        )
        self.stdout.write(
            f"{comments} commentaire(s) et {reports} signalement(s) purgés (plus de {days} jours)."
        )
