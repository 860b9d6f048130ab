import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.csp import CSP
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.static import serve


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


logger = logging.getLogger(__name__)
READY_KEY = "readyz"


def _database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True


def _cache_answers():
    # A write and a read of our own key: a cache that takes writes but loses them (full,
    # read-only replica) is not ready either.
    cache.set(READY_KEY, "ok", 10)
    return cache.get(READY_KEY) == "ok"


def _migrations_applied():
    """True when the database has every migration this code knows (deploys migrate first,
    then restart the hosts: a host whose code is newer than its database waits)."""
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


@never_cache
def readyz(request):
    """Readiness, for the proxy or the orchestrator: 200 when the database, the cache and the
    migrations are ready, 503 otherwise, with a JSON body saying which. /healthz stays the
    liveness probe (the process answers and reaches its database)."""
    checks = {}
    for name, check in (
        ("database", _database_answers),
        ("cache", _cache_answers),
        ("migrations", _migrations_applied),
    ):
        try:
            checks[name] = bool(check())
        except Exception as error:  # a probe reports every failure, it never raises
            logger.warning("readyz : %s en échec (%s)", name, type(error).__name__)
            checks[name] = False
    ready = all(checks.values())
    return HttpResponse(
        json.dumps({"ready": ready, "checks": checks}),
        status=200 if ready else 503,
        content_type="application/json",
    )


# An uploaded file is never changed in place: every upload is stored under a new random
# name (notrecontinent.images), so browsers and proxies may keep it for a year.
MEDIA_CACHE_SECONDS = 365 * 24 * 60 * 60


def media(request, path):
    """Uploaded files, in the one-machine setup (SERVE_MEDIA); MEDIA_ROOT is read per request."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=MEDIA_CACHE_SECONDS, immutable=True)
    return response


# 500.html must render when nothing else works, so its few styles are inline, without a
# nonce (no context processor runs for it). The page shows nothing from users: inline
# styles are harmless there, and the rest of the policy stays.
@csp_override(settings.SECURE_CSP | {"style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})
def server_error(request):
    return defaults.server_error(request)
