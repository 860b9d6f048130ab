from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from notrecontinent.mail import retry_waiting_now


class Command(BaseCommand):
    help = (
        "Avance à maintenant les e-mails qui attendent un nouvel essai "
        "(le serveur d'envoi répond de nouveau) ; le worker les envoie aussitôt."
    )

    def handle(self, *args, **options):
        count = retry_waiting_now()
        self.stdout.write(
            ngettext(
                "%(count)d e-mail remis en file pour maintenant.",
                "%(count)d e-mails remis en file pour maintenant.",
                count,
            )
            % {"count": count}
        )
