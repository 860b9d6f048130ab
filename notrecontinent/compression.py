"""Compressed responses: text only, with Django's BREACH mitigation.

Django's GZipMiddleware pads each gzip stream with a random-length header field
("Heal the Breach"), so the length of a compressed page no longer tells an attacker
whether a guess matched a secret of the page. The secrets our pages carry are masked
anew for every response besides (the CSRF token, the comment form's signed single-use
token), and none is ever reflected next to a reader's input: see README, "Compression".

Only text is compressed: HTML, feeds, sitemaps, JSON, scripts and styles. Images and
uploaded files are compressed already; static files are served before this middleware
runs, by whitenoise, from the .gz and .br files collectstatic prepared.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE_TYPES = {
    "application/atom+xml",
    "application/javascript",
    "application/json",
    "application/rss+xml",
    "application/xml",
    "image/svg+xml",
}


def is_compressible(content_type):
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type.startswith("text/") or media_type in COMPRESSIBLE_TYPES


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not is_compressible(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)
