from django.core.management.base import BaseCommand

from reports.tasks import send_moderation_digest


class Command(BaseCommand):
    help = (
        "Envoie aux modérateurs le récapitulatif de ce qui attend une décision (à lancer par cron)."
    )

    def handle(self, *args, **options):
        result = send_moderation_digest.enqueue()
        self.stdout.write(f"Récapitulatif mis en file ({result.status}).")
