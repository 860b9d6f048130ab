from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from notrecontinent.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde (make backup) dans la base de DATABASE_URL et dans "
        "MEDIA_ROOT, puis compare le nombre de lignes de chaque table."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="le dossier notrecontinent-<date> de la sauvegarde")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, folder, interactive, **options):
        database = connection.settings_dict["NAME"]
        if interactive:
            answer = input(
                f"La base « {database} » et les images seront remplacées par {folder}. "
                "Tapez « oui » pour continuer : "
            )
            if answer.strip().lower() != "oui":
                raise CommandError("Restauration annulée.")
        try:
            differences = restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if differences:
            lines = [
                f"  {table} : {want} attendues, {got} trouvées"
                for table, (want, got) in differences.items()
            ]
            raise CommandError(
                "Restauration faite, mais des tables diffèrent de la sauvegarde :\n"
                + "\n".join(lines)
            )
        self.stdout.write(f"Restauration faite : {folder}, chaque table a ses lignes.")
