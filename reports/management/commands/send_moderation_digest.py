from django.core.management.base import BaseCommand

from reports.tasks import send_moderation_digest


class Command(BaseCommand):
    help = "Met en file le récapitulatif des modérateurs (le planificateur le fait chaque matin)."

    def handle(self, *args, **options):
        result = send_moderation_digest.enqueue()
        self.stdout.write(f"Récapitulatif mis en file ({result.status}).")
