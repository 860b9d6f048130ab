"""« Se souvenir de moi »: the commenter's name and e-mail, kept in their browser only.

Opt-in (the form's box), as WordPress does since 4.9.6: nothing is stored unless the box
is ticked, and posting with the box unticked forgets what was stored. The cookie is
first-party, HttpOnly, SameSite=Lax, signed (django.core.signing), and holds the two
values and nothing else.

The page cache never shares a prefilled form: the cookie is registered with
notrecontinent.pagecache as personal (apps.py), so a reader who sends it gets a page
rendered for them and never stored, exactly like a reader with a session.
"""

from django.conf import settings
from django.core import signing

COOKIE = "nc_commentateur"
SALT = "comments.remember-me"
MAX_AGE = 365 * 24 * 60 * 60
NAME_MAX = 80
EMAIL_MAX = 254


def remember(response, *, name, email):
    value = signing.dumps({"n": name[:NAME_MAX], "e": email[:EMAIL_MAX]}, salt=SALT)
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def forget(request, response):
    if COOKIE in request.COOKIES:
        response.delete_cookie(COOKIE, samesite="Lax")


def remembered(request):
    """{"name": …, "email": …} from a valid cookie, else {} (forged, old or malformed)."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return {}
    try:
        data = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return {}
    if not isinstance(data, dict):
        return {}
    name, email = data.get("n"), data.get("e")
    if not isinstance(name, str) or not isinstance(email, str):
        return {}
    return {"name": name[:NAME_MAX], "email": email[:EMAIL_MAX]}
