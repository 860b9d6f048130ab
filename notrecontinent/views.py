from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
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
