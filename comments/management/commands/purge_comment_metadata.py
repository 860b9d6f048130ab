from django.core.management.base import BaseCommand

from comments.models import METADATA_RETENTION_DAYS, Comment


class Command(BaseCommand):
    help = (
        "Efface l'adresse IP et le navigateur des commentaires de plus de 90 jours "
        "(tâche quotidienne du planificateur)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=METADATA_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        comments = Comment.objects.purge_metadata(days=days)
        self.stdout.write(f"{comments} commentaire(s) purgé(s) (plus de {days} jours).")
