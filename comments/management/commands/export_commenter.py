import json

from django.core.management.base import BaseCommand

from comments.services import export_commenter_data


class Command(BaseCommand):
    help = "Exporte en JSON les données des commentaires d'une adresse e-mail."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        data = export_commenter_data(email=email)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
