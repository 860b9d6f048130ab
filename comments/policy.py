"""The moderation policy: every rule that decides a new comment's fate, in one place.

Comments come from the site's form only: the form, the view and services.post_comment()
apply these rules to each one. What a moderator decides afterwards, in the admin, is no
rule of the policy: it goes through services.moderate().

Refused outright (the comment is never stored):
  - a filled honeypot field;
  - a form older than `form_max_age` (2 hours) or already used once;
  - more than one comment per `flood_seconds` (15 s) from one IP address or one e-mail
    (HTTP 429) — counted with ``cache.add``, shared by every worker when the cache is Redis;
  - a body longer than `max_length` (3000 characters) or holding a NUL byte;
  - a typed name that poses as the site or its team (notrecontinent.reserved). A signed-in
    reader signs with their account's name, which the accounts app checks.

Stored, with a status decided by ``initial_status()``, first matching rule wins (the
reason a comment is held is kept on it, for the moderators):
  1. a word of the blocked list → spam;
  2. a word of the moderation list → pending;
  3. `link_threshold` (2) links or more → pending;
  4. a trusted commenter → approved;
  5. anyone else → pending.

Word lists are matched on the name and the text after notrecontinent.textnorm's
normalisation, as whole words: full-width or look-alike letters, invisible characters,
spaced letters, leetspeak and accents do not hide a listed word.

Trusted, meaning approved without a moderator, takes a proven identity with an approved
comment behind it:
  - a signed-in staff member;
  - a signed-in user with an approved comment of their account;
  - an anonymous commenter who proved the address by clicking the link e-mailed to it
    (services.confirm_email() decides such a comment again), when that address already
    has an approved comment that was itself proven (confirmed, or posted signed in).
A typed address alone is never trusted: anyone can type anyone's address.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from notrecontinent.reserved import RESERVED_MESSAGE, poses_as_team
from notrecontinent.textnorm import TermList, email_key, normalise

from .models import Comment, ModerationSettings

FORM_TOKEN_SALT = "comments.form-token"
# One confirmation e-mail per address in this time: the form cannot be used to flood
# someone's mailbox.
CONFIRMATION_MAIL_SECONDS = 10 * 60

_LINK_RE = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|edu|gov|int|mil|net|org)\b(?:/\S*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Decision:
    status: str
    # Why the comment is held or classed as spam, in French for the moderators; empty
    # when it is approved.
    reason: str = ""


# Refusals ------------------------------------------------------------------------------


def check_body(body, config=None):
    """Refuse a body that is too long or holds a NUL byte."""
    config = config or ModerationSettings.load()
    if "\x00" in body:
        raise ValidationError(_("Le texte contient un caractère interdit."), code="nul")
    if len(body) > config.max_length:
        raise ValidationError(
            _("Votre commentaire est trop long : %(length)d caractères pour %(max)d au maximum."),
            params={"length": len(body), "max": config.max_length},
            code="too_long",
        )


# Names an account may not take but a signature may: "Anonyme" is how many readers sign,
# and speaks for nobody.
SIGNATURES_ALLOWED = {"anonyme"}


def check_name(name):
    """Refuse a signature that poses as the newsroom: readers would take the comment for
    the site's own word."""
    if poses_as_team(name) and normalise(name).strip() not in SIGNATURES_ALLOWED:
        raise ValidationError(RESERVED_MESSAGE, code="reserved_name")


def make_form_token(article_id):
    """A signed, timestamped, single-use token tying a form to its article."""
    return signing.TimestampSigner(salt=FORM_TOKEN_SALT).sign_object(
        {"a": article_id, "n": secrets.token_urlsafe(12)}
    )


def check_form_token(token, article_id, config=None):
    """Refuse a missing, forged, stale (older than form_max_age) or replayed form."""
    config = config or ModerationSettings.load()
    expired = ValidationError(
        _("Ce formulaire a expiré ou a déjà été envoyé. Vérifiez votre texte et renvoyez-le."),
        code="stale_form",
    )
    try:
        data = signing.TimestampSigner(salt=FORM_TOKEN_SALT).unsign_object(
            token or "", max_age=config.form_max_age
        )
    except (signing.BadSignature, ValueError, TypeError):
        raise expired from None
    if not isinstance(data, dict) or data.get("a") != article_id or not data.get("n"):
        raise expired
    # The first use of a nonce claims it for as long as the token could be valid.
    if not cache.add(f"comments:nonce:{data['n']}", 1, timeout=config.form_max_age + 60):
        raise expired


def _flood_keys(ip_address, email):
    keys = []
    if ip_address:
        keys.append(f"comments:flood:ip:{ip_address}")
    if key := email_key(email):
        digest = hashlib.sha256(key.encode()).hexdigest()
        keys.append(f"comments:flood:email:{digest}")
    return keys


def is_flooding(*, ip_address, email, config=None):
    """True when this IP or this e-mail already commented within flood_seconds.

    Each key is claimed with cache.add, which is atomic in Redis, so two workers
    receiving two comments at the same moment cannot both let them through.
    """
    config = config or ModerationSettings.load()
    if not config.flood_seconds:
        return False
    claimed = [
        cache.add(key, 1, timeout=config.flood_seconds) for key in _flood_keys(ip_address, email)
    ]
    return not all(claimed)


def may_send_confirmation(email):
    """True at most once per CONFIRMATION_MAIL_SECONDS for one address (claims the turn)."""
    key = email_key(email)
    if not key:
        return False
    digest = hashlib.sha256(key.encode()).hexdigest()
    return cache.add(f"comments:confirm-mail:{digest}", 1, timeout=CONFIRMATION_MAIL_SECONDS)


# Decision ------------------------------------------------------------------------------


def count_links(text):
    return len(_LINK_RE.findall(text))


@lru_cache(maxsize=16)
def _term_list(words):
    return TermList(words)


def find_word(text, words, *, normalised=False):
    """A listed word or expression found in text as a whole word (the first in the text),
    after both are normalised (notrecontinent.textnorm); returned as it was listed."""
    return _term_list(tuple(words)).find(text, normalised=normalised)


def is_trusted(*, user=None, email="", email_confirmed=False):
    """Whether a comment may be approved without a moderator (see the module docstring)."""
    if user is not None and user.is_authenticated:
        if not user.is_active:
            return False
        return user.is_staff or Comment.objects.visible().filter(user=user).exists()
    if not email_confirmed:
        return False
    return Comment.objects.visible().by_email(email).proven().exists()


def initial_status(*, body, email, name="", user=None, email_confirmed=False, config=None):
    """The status a new comment starts in: first matching rule wins (see module docstring).

    `email_confirmed`: the commenter proved the address (services.confirm_email()).
    """
    config = config or ModerationSettings.load()
    text = normalise(f"{name}\n{body}")
    if word := find_word(text, config.blocked_word_list, normalised=True):
        return Decision(
            Comment.Status.SPAM, gettext("Mot interdit : « %(word)s »") % {"word": word}
        )
    if word := find_word(text, config.moderation_word_list, normalised=True):
        return Decision(
            Comment.Status.PENDING, gettext("Mot à modérer : « %(word)s »") % {"word": word}
        )
    if (links := count_links(f"{name}\n{body}")) >= config.link_threshold:
        reason = ngettext(
            "%(count)d lien (seuil : %(threshold)d)",
            "%(count)d liens (seuil : %(threshold)d)",
            links,
        ) % {"count": links, "threshold": config.link_threshold}
        return Decision(Comment.Status.PENDING, reason)
    if is_trusted(user=user, email=email, email_confirmed=email_confirmed):
        return Decision(Comment.Status.APPROVED)
    signed_in = user is not None and user.is_authenticated
    if not signed_in and not email_confirmed and Comment.objects.visible().by_email(email).exists():
        # Perhaps a returning reader, perhaps someone typing a known reader's address.
        return Decision(
            Comment.Status.PENDING,
            gettext("Adresse e-mail non confirmée (elle a déjà un commentaire approuvé)"),
        )
    return Decision(
        Comment.Status.PENDING,
        gettext("Commentateur pas encore de confiance (aucun commentaire approuvé)"),
    )


def _listed_words_in(text, words):
    """Every listed word found in (normalised) text, as listed."""
    found, remaining = [], list(words)
    while remaining and (word := find_word(text, remaining, normalised=True)):
        found.append(word)
        remaining.remove(word)
    return found


def _added_word(old_text, new_text, words):
    """A listed word the new text has and the old one had not (a moderator approved the
    old text with its words)."""
    already = set(_listed_words_in(old_text, words))
    return find_word(new_text, [w for w in words if w not in already], normalised=True)


def status_after_edit(comment, body, *, user=None, config=None):
    """The status a comment takes when its author changes its text to `body`.

    - A comment still waiting for its first decision (no moderator has seen it) is
      decided again, as if posted now (initial_status).
    - An approved comment stays approved unless the edit adds what would have held it:
      a blocked word it had not (spam), a word of the moderation list it had not, or one
      link more than it had (pending) — an innocent comment, once approved, cannot be turned into an
      advertisement.
    - A moderator's other decisions are kept (services.edit_comment refuses those edits).
    """
    config = config or ModerationSettings.load()
    if comment.status != Comment.Status.APPROVED:
        if comment.moderated_at is None:
            return initial_status(
                body=body,
                name=comment.name,
                email=comment.email,
                user=user,
                email_confirmed=comment.is_email_confirmed,
                config=config,
            )
        return Decision(comment.status, comment.hold_reason)
    text = normalise(f"{comment.name}\n{body}")
    old_text = normalise(f"{comment.name}\n{comment.body}")
    if word := _added_word(old_text, text, config.blocked_word_list):
        return Decision(
            Comment.Status.SPAM,
            gettext("Modifié, mot interdit : « %(word)s »") % {"word": word},
        )
    if word := _added_word(old_text, text, config.moderation_word_list):
        return Decision(
            Comment.Status.PENDING,
            gettext("Modifié, mot à modérer : « %(word)s »") % {"word": word},
        )
    before, after = count_links(comment.body), count_links(body)
    if after > before:
        return Decision(
            Comment.Status.PENDING,
            ngettext(
                "Modifié, lien ajouté (%(before)d avant, %(after)d après)",
                "Modifié, liens ajoutés (%(before)d avant, %(after)d après)",
                after - before,
            )
            % {"before": before, "after": after},
        )
    return Decision(Comment.Status.APPROVED)
