from django.core.management.base import BaseCommand

from comments.services import erase_commenter_data


class Command(BaseCommand):
    help = "Anonymise les commentaires d'une adresse e-mail (les discussions restent lisibles)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        count = erase_commenter_data(email=email)
        self.stdout.write(f"{count} commentaire(s) anonymisé(s).")
