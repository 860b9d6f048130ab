import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from notrecontinent.backups import BackupError, backup


class Command(BaseCommand):
    help = "Sauvegarde la base de données et les images envoyées dans un dossier daté."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=os.environ.get("BACKUP_DIR", str(settings.BASE_DIR / "backups")),
            help="dossier où écrire la sauvegarde (BACKUP_DIR, sinon backups/ du projet)",
        )

    def handle(self, *args, output, **options):
        try:
            folder = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Sauvegarde écrite : {folder}")
