"""The one normalisation behind every word list: disguises fold back, French stays French."""

import unicodedata

import pytest
from confusable_homoglyphs import confusables

from notrecontinent.textnorm import TermList, email_key, normalise

SPAM_WORDS = TermList(["casino", "viagra", "arnaque", "argent facile", "escroc", "bitcoin"])

# (what a spammer types, the listed word it must be found as): 40 disguises.
EVASIONS = [
    ("ｃａｓｉｎｏ en ligne", "casino"),  # full-width letters
    ("Le 𝐜𝐚𝐬𝐢𝐧𝐨 du coin", "casino"),  # mathematical bold
    ("ℂ𝔸𝕊𝕀ℕ𝕆", "casino"),  # double-struck
    ("ⓒⓐⓢⓘⓝⓞ", "casino"),  # circled letters
    ("CASINO !", "casino"),  # capitals
    ("vіagra pas cher", "viagra"),  # Cyrillic і
    ("Cаsinо", "casino"),  # Cyrillic а and о
    ("Vıagra", "viagra"),  # dotless i
    ("ѵiagra", "viagra"),  # Cyrillic izhitsa
    ("ɑrnaque", "arnaque"),  # Latin alpha
    ("arn\u200baque", "arnaque"),  # zero-width space
    ("ar\u00adnaque", "arnaque"),  # soft hyphen
    ("arn\u2060aque", "arnaque"),  # word joiner
    ("vi\u200dagra", "viagra"),  # zero-width joiner
    ("cas\ufe0fino", "casino"),  # variation selector
    ("c\u034fasino", "casino"),  # combining grapheme joiner
    ("\u202ecasino", "casino"),  # right-to-left override
    ("c̵a̵s̵i̵n̵o̵", "casino"),  # combining strokes
    ("cásínó", "casino"),  # accents
    ("c a s i n o", "casino"),  # spaced letters
    ("c.a.s.i.n.o", "casino"),
    ("c-a-s-i-n-o", "casino"),
    ("c_a_s_i_n_o", "casino"),
    ("c/a/s/i/n/o", "casino"),
    ("c\u3000a\u3000s\u3000i\u3000n\u3000o", "casino"),  # ideographic spaces
    ("c4s1n0", "casino"),  # leetspeak
    ("ca$ino", "casino"),
    ("@rnaque", "arnaque"),
    ("V1AGRA", "viagra"),
    ("v!agra", "viagra"),
    ("vl4gra", "viagra"),  # l for i
    ("3scr0c", "escroc"),
    ("€scroc", "escroc"),
    ("b1tc0in", "bitcoin"),
    ("c 4 s 1 n 0", "casino"),  # spaced leetspeak
    ("De l'ARGENT-FACILE", "argent facile"),
    ("argentfacile.com", "argent facile"),
    ("a r g e n t  f a c i l e", "argent facile"),
    ("«casino»", "casino"),
    ("casino2024", "casino"),
]


@pytest.mark.parametrize(("text", "word"), EVASIONS)
def test_a_disguised_word_is_found(text, word):
    assert SPAM_WORDS.find(text) == word


# A moderator's list of rude French words, and texts that hold them only as parts of
# innocent words.
RUDE_WORDS = TermList(["ass", "con", "cul", "pute", "nazi", "sexe", "salope"])

INNOCENT = [
    "Une classe de trente élèves, une association, un bassin de rétention.",
    "La conférence du conseil régional a été reconduite.",
    "Le calcul est juste ; il faut reculer pour comprendre la culture.",
    "La députée a tranché la dispute.",
    "Élève, été, garçon, cœur, naïf, forêt, Noël, Thiès, Sénégal, Côte d'Ivoire, où.",
    "Le 1er mai, 3e édition, à 7 h, il y a 5 ans, en 2024.",
    "Ça coûte 100 $ ou 90 € !",
    "Bonjour à tous, c'est-à-dire à chacun d'entre vous.",
    "L'Assemblée nationale et le Conseil constitutionnel.",
    "Un saxophone, des sexagénaires, la consolidation des comptes.",
]


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_french_passes(text):
    assert RUDE_WORDS.find(text) is None


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Quel c0n", "con"),
        ("S4L0PE", "salope"),
        ("sa1ope", "salope"),
        ("saIope", "salope"),  # capital I for l
        ("ΝΑΖΙ", "nazi"),  # Greek capitals
        ("s e x e", "sexe"),
        ("Sèxé", "sexe"),
    ],
)
def test_rude_words_are_found_through_disguises(text, word):
    assert RUDE_WORDS.find(text) == word


def test_listed_words_are_normalised_like_the_text():
    assert TermList(["ARNAQUÉ", "Ｃａｓｉｎｏ"]).find("arnaque ou casino") == "ARNAQUÉ"
    assert TermList(["Ｃａｓｉｎｏ"]).find("c.a.s.i.n.o") == "Ｃａｓｉｎｏ"


def test_an_empty_or_blank_list_finds_nothing():
    assert not TermList([])
    assert not TermList(["  ", "\u200b"])
    assert TermList(["", "\u200b"]).find("n'importe quoi") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ｃａｓｉｎｏ", "casino"),
        ("Élève à l'école", "eleve a l'ecole"),
        ("il  y\ta\n", "il y a"),
        ("En 2024, 5 ans.", "en 2024, 5 ans."),
        ("casino!", "casino!"),
        ("Rédacti0n", "redaction"),
        ("A d m i n", "admin"),
        ("ΝΑΝΑ", "nana"),  # Greek capital nu is an N, not a v
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_normalise_is_idempotent():
    for text, _word in EVASIONS:
        once = normalise(text)
        assert normalise(once) == once


def test_the_confusables_data_gives_at_most_one_ascii_prototype_per_character():
    """The fold relies on it: a non-ASCII character's only ASCII homoglyph in the TR39
    data is its prototype. A new release of the data that broke this would fail here."""
    for char, homoglyphs in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        ascii_ones = {h["c"] for h in homoglyphs if h["c"].isascii() and h["c"].isalnum()}
        assert len(ascii_ones) <= 1, (char, unicodedata.name(char, "?"), ascii_ones)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Awa@Example.ORG", "awa@example.org"),
        ("ａｗａ@example.org", "awa@example.org"),
        (" awa@exämple.sn ", "AWA@XN--EXMPLE-CUA.SN"),
        ("Élodie@exemple.sn", "élodie@EXEMPLE.SN"),
    ],
)
def test_email_keys_meet_across_case_and_unicode_forms(a, b):
    assert email_key(a) == email_key(b)


def test_email_keys_keep_look_alike_domains_apart():
    # Cyrillic "а" in the domain: another mailbox, which must never share its trust.
    assert email_key("awa@pаypal.com") != email_key("awa@paypal.com")


def test_an_email_key_is_never_longer_than_its_column():
    long_address = "a@" + ".".join(["ﷺ" * 3] * 40) + ".sn"
    key = email_key(long_address)
    assert len(key) <= 254
    assert key != email_key(long_address + "x")
    assert email_key("") == ""
