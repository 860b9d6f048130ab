"""A large generated dataset, to measure the site at the size of a real archive.

    manage.py generate_dataset --articles 100000 --comments 1000000 --days 30 --seed 1

Adds to the current database (SQLite or PostgreSQL), in one transaction: the site's
categories when missing, authors of every account kind, articles (mostly published, a
few drafts, submitted and refused), a power-law of daily views over the last --days days
and their rollup, comment threads three levels deep (a few articles with thousands), and
a few reports. Each app generates its own rows, in its `dataset` module (the articles'
one, articles/dataset.py, says how); this command runs them in the order of
INSTALLED_APPS.
"""

import time
from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext

from articles.dataset import Dataset, Progress, iso_date, reset_sequence
from articles.models import Readership


def dataset_parts():
    """The `dataset` modules of the installed apps, in the order of INSTALLED_APPS."""
    return [
        import_module(f"{config.name}.dataset")
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "dataset")
    ]


class Command(BaseCommand):
    help = (
        "Ajoute un jeu de données généré (rubriques, auteurs, articles, lectures, "
        "commentaires, signalements) pour mesurer le site à grande échelle."
    )

    def add_arguments(self, parser):
        for part in dataset_parts():
            if hasattr(part, "add_arguments"):
                part.add_arguments(parser)
        parser.add_argument("--seed", type=int, default=1, help="Graine du générateur.")
        parser.add_argument(
            "--today",
            type=iso_date,
            default=None,
            help="Dernier jour de l'historique (AAAA-MM-JJ), aujourd'hui par défaut.",
        )

    def handle(self, *args, seed, today, verbosity, **options):
        parts = dataset_parts()
        for part in parts:
            if hasattr(part, "check"):
                part.check(options)
        dataset = Dataset(
            seed=seed,
            today=today or timezone.localdate(),
            progress=Progress(self.stderr, verbosity > 0),
            options=options,
        )
        started = time.monotonic()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # Memory for the index builds that follow the big loads.
                    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for part in parts:
                part.generate(dataset)
            for model in dataset.loader.models:
                reset_sequence(model)
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner sees the new sizes at once.
            with connection.cursor() as cursor:
                for model in {*dataset.loader.models, Readership, get_user_model()}:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    gettext("Jeu de données : %(made)s, en %(seconds)d s.")
                    % {"made": ", ".join(dataset.summary), "seconds": time.monotonic() - started}
                )
            )
