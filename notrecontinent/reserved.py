"""Names that pose as the site or its team: no citizen signs with them.

A name a citizen chooses — an account's display name, username or full name
(accounts.validators), a comment's signature (comments.policy) — is refused when, after
the normalisation of every word list (notrecontinent.textnorm: case, accents, look-alike
letters, invisible characters, spaced letters, leetspeak), it
  - holds a word that names the newsroom or its staff ("La rédaction", "Rédacti0n",
    "ＡＤＭＩＮ", "A d m i n", "Adrnin", "modérateur2", "Notre-Continent"), or
  - is made of nothing but generic words of a team ("Équipe", "L'équipe officielle",
    "Support", "L'administration") — "Équipe verte de Thiès", an association, or
    "Administration des douanes", a public body, stay allowed.
The rule lives here, below both apps, because comments may not import accounts; each app
decides who is exempt (staff accounts may take these names: they are the team).
"""

from django.utils.translation import gettext_lazy as _

from notrecontinent.textnorm import TermList, normalise, words

# Found anywhere in a name, as a word.
STAFF_NAMES = TermList(
    [
        "rédaction",
        "rédac",
        "rédacteur en chef",
        "rédactrice en chef",
        "newsroom",
        "notre continent",
        "modération",
        "modérateur",
        "modérateurs",
        "modératrice",
        "modératrices",
        "moderator",
        "administrateur",
        "administrateurs",
        "administratrice",
        "administrator",
        "admin",
        "admins",
        "sysadmin",
        "superadmin",
        "webmaster",
        "staff",
    ]
)
# A name made of these alone (and of FILLER) speaks for the site.
GENERIC_NAMES = {
    *words(
        "équipe team officiel officielle service client support contact site direction "
        "système system bot robot root anonyme administration"
    )
}
FILLER = {*words("le la les l de du des d et the of à a au aux en pour par notre nos votre")}

RESERVED_MESSAGE = _(
    "Ce nom est réservé à l'équipe de Notre Continent : choisissez-en un autre, qui ne "
    "laisse pas croire que vous parlez au nom du site."
)


def poses_as_team(name):
    """True when `name` poses as the site or its team (see the module docstring)."""
    folded = normalise(name)
    # Also read as a reader would in most fonts: "rn" is an "m" ("Adrnin").
    for reading in {folded, folded.replace("rn", "m")}:
        if STAFF_NAMES.find(reading, normalised=True):
            return True
        found = set(words(reading))
        if found & GENERIC_NAMES and found <= GENERIC_NAMES | FILLER:
            return True
    return False
