from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
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


def media(request, path):
    """Uploaded files, in the one-machine setup (SERVE_MEDIA); MEDIA_ROOT is read per request."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# 500.html must render when nothing else works, so its few styles are inline, without a
# nonce (no context processor runs for it). The page shows nothing from users: inline
# styles are harmless there, and the rest of the policy stays.
@csp_override(settings.SECURE_CSP | {"style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})
def server_error(request):
    return defaults.server_error(request)
