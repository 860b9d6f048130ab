"""deploy/nginx.conf keeps to the site's rules; `make cluster-test` runs it for real."""

import re
from pathlib import Path

from django.conf import settings

from notrecontinent import images

CONF = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
MIB = 1024 * 1024


def directive(name, text=CONF):
    return re.findall(rf"^\s*{name}\s+([^;]+);", text, re.M)


def location(prefix):
    return re.search(
        rf"^    location {re.escape(prefix)} \{{\n(.*?)^    \}}", CONF, re.M | re.S
    ).group(1)


def test_body_limit_matches_the_upload_rules():
    """Room for the largest form the site accepts (a picture at its limit and the text
    fields at theirs), and no more than a megabyte of framing beyond."""
    (value,) = directive("client_max_body_size")
    size = int(value[:-1]) * {"k": 1024, "m": MIB}[value[-1].lower()]
    largest = images.MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert largest < size <= largest + MIB


def test_client_address_and_scheme_for_one_trusted_proxy():
    assert directive("proxy_set_header") == [
        "Host $http_host",
        "X-Forwarded-For $proxy_add_x_forwarded_for",
        "X-Forwarded-Proto $scheme",
        "X-Request-ID $request_id",
    ]


def test_only_reads_are_retried_on_the_other_host():
    (retried,) = directive("proxy_next_upstream", location("/"))
    assert retried.split() == ["error", "timeout", "http_502", "http_503"]
    assert "non_idempotent" not in CONF
    # The probes' 503 (database down) is their answer, not a broken host.
    (probes,) = directive("proxy_next_upstream", location("~ ^/(healthz|readyz)$"))
    assert "http_503" not in probes.split()


def test_static_and_media_are_served_by_nginx_for_a_year():
    media = location("/media/")
    assert (
        directive("add_header", media)[0] == 'Cache-Control "public, max-age=31536000, immutable"'
    )
    static = location("/static/")
    assert "gzip_static on" in static
    assert directive("add_header", static)[0] == "Cache-Control $notrecontinent_static_cache"
    hashed = re.search(r'^    "~(.*)" "public, max-age=31536000, immutable";$', CONF, re.M)
    assert re.search(hashed.group(1), "/static/css/site.3f2a9c1b7e4d.css")
    assert not re.search(hashed.group(1), "/static/css/site.css")
