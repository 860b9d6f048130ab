from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        # Search's SQLite triggers call articles_plain_text(): every connection needs it.
        connection_created.connect(_sqlite_functions, dispatch_uid="articles-sqlite-functions")
        post_migrate.connect(_restore_search_triggers, sender=self)


def _sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from .search import plain_text

        connection.connection.create_function(
            "articles_plain_text", 1, plain_text, deterministic=True
        )


def _restore_search_triggers(sender, using, **kwargs):
    from django.db import connections

    from .search import restore_sqlite_triggers

    restore_sqlite_triggers(connections[using])
