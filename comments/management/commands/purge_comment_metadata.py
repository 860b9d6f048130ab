import datetime

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from comments.models import Comment

RETENTION_DAYS = 90


class Command(BaseCommand):
    help = "Efface l'adresse IP et le navigateur des commentaires de plus de 90 jours."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=RETENTION_DAYS)

    def handle(self, *args, days, **options):
        before = timezone.now() - datetime.timedelta(days=days)
        comments = (
            Comment.objects.filter(created_at__lt=before)
            .filter(Q(ip_address__isnull=False) | ~Q(user_agent=""))
            .update(ip_address=None, user_agent="")
        )
        self.stdout.write(f"{comments} commentaire(s) purgé(s) (plus de {days} jours).")
