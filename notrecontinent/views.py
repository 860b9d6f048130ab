from django.conf import settings
from django.db import DatabaseError, connection
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
