"""Text as a word list sees it: one normalisation for every list of words the site matches.

The moderators' forbidden and held words (comments.policy) and the names reserved for the
newsroom (notrecontinent.reserved) are matched against ``normalise(text)``, never against
the text as typed, so that disguises fold back to the plain word:

1. NFKC: full-width, mathematical, circled and superscript letters and ligatures become
   plain letters ("ｃａｓｉｎｏ", "𝐜𝐚𝐬𝐢𝐧𝐨", "ﬁ");
2. invisible characters go: every Default_Ignorable_Code_Point (format characters of
   category Cf such as the zero-width space and joiners, the soft hyphen, bidi controls,
   variation selectors, Hangul fillers), the combining grapheme joiner;
3. accents folded (NFD, combining marks removed): "É" and "E" are one letter, so are "ç"
   and "c";
4. confusable letters folded to their Latin prototype in Unicode's TR39 confusables data
   (``confusable_homoglyphs``, which ships confusables.txt as data), before casefolding
   (the Greek capital "Ν" is an N) and after it (the Cyrillic "і", "а", the Greek "ο",
   "ν", the dotless "ı" become "i", "a", "o", "v", "i");
5. "_" is a separator like a space, and runs of separators become one space;
6. a run of three or more single letters between separators is one word again:
   "c a s i n o", "c.a.s.i.n.o", "c-a-s-i-n-o" → "casino";
7. digits and symbols standing for letters inside a word are folded (leetspeak): 0→o,
   1→i, 3→e, 4→a, 5→s, 7→t, @→a, $→s, €→e, !→i, |→i. A number alone ("2024", "5 ans")
   stays a number; "!" ending a word stays punctuation.

``TermList`` then finds a listed word or expression in normalised text as a whole word —
bounded by anything that is not a letter, so "classe" does not hold "ass" — with "i" and
"l" interchangeable (TR39 folds "I", "l", "1" and "|" together; "1" may stand for either).

Why ``confusable_homoglyphs``: a maintained package (last release 2024, Unicode 15.1 data)
generated from Unicode's own confusables.txt, with a command to regenerate it; Django's
ecosystem already relies on it against look-alike usernames (django-registration). The
other candidate, ``confusables``, last released in 2021 with Unicode 13 data, and its
``normalize()`` enumerates every combination of readings, exponential in the text's
length: unusable on a comment. The data lists each character's confusables in both
directions; TR39's prototypes of non-ASCII characters are the only ASCII entries (checked
by tests/test_textnorm.py), which is the fold used here. TR39's folds of one ASCII letter
into another ("m"→"rn", "d"→"cl") are left out: they would hold "click" for a word list
that holds "dick", and nobody disguises a word that way.
"""

import contextlib
import hashlib
import re
import unicodedata

from confusable_homoglyphs import confusables

EMAIL_KEY_LENGTH = 254

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt, stable since 6.x);
# Python's unicodedata does not expose the property. Category Cf is removed as well.
_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_IGNORABLE_RE = re.compile(f"[{_IGNORABLE}]")

# Digits and symbols read as letters inside a word.
LEET = str.maketrans(
    {
        **{"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"},
        **{"@": "a", "$": "s", "€": "e", "!": "i", "|": "i"},
    }
)
_LEET_SYMBOLS = "@$€!|"
# A word for the leet fold: letters and digits, and the symbols above inside or at the
# start of it ("@rnaque", "ca$ino"); "!" or "|" that ends it is punctuation ("casino!").
_TRAILING_PUNCTUATION = "!|"
# One character of a word: a letter, a digit, or a symbol that stands for a letter.
_CHAR = rf"[^\W_]|[{re.escape(_LEET_SYMBOLS)}]"
# Only the words that hold such a digit or symbol are looked at.
_WORD_RE = re.compile(
    rf"(?<!{_CHAR})(?=(?:{_CHAR})*?[013457{re.escape(_LEET_SYMBOLS)}])(?:{_CHAR})+"
)
# A separator between letters: a run of anything else.
_SEP_RE = re.compile(rf"(?:(?!{_CHAR}).)+")
# Three or more one-character words in a row, with separators between them.
_SPACED_RE = re.compile(
    rf"(?<!{_CHAR})(?:{_CHAR})(?:{_SEP_RE.pattern}(?:{_CHAR})){{2,}}(?!{_CHAR})"
)
_SPACES_RE = re.compile(r"[\s_]+")


class _CharTable(dict):
    """A str.translate table filled on first sight of each character, so that a text
    costs one pass in C per step. Bounded: past _TABLE_SIZE characters, an odd one is
    computed again each time rather than kept."""

    def __init__(self, fold):
        super().__init__()
        self.fold = fold

    def __missing__(self, code):
        folded = self.fold(chr(code))
        if len(self) < _TABLE_SIZE:
            self[code] = folded
        return folded


_TABLE_SIZE = 20_000


def _drop_invisible(char):
    if _IGNORABLE_RE.match(char) or unicodedata.category(char) == "Cf":
        return None
    return char


def _drop_mark(char):
    return None if unicodedata.combining(char) else char


def _prototype(char):
    """The ASCII prototype TR39 gives a non-ASCII character, or the character itself."""
    if char.isascii():
        return char
    found = confusables.is_confusable(char, greedy=True)
    if found:
        for homoglyph in found[0]["homoglyphs"]:
            glyph = homoglyph["c"]
            if glyph.isascii() and glyph.isalnum():
                return glyph.casefold()
    return char


_INVISIBLE = _CharTable(_drop_invisible)
_MARKS = _CharTable(_drop_mark)
_PROTOTYPES = _CharTable(_prototype)


def _fold_marks(text):
    return unicodedata.normalize("NFD", text).translate(_MARKS)


def _fold_word(match):
    word = match.group()
    stripped = word.rstrip(_TRAILING_PUNCTUATION)
    if not any(c.isalpha() for c in stripped):
        return word  # a number, or punctuation alone
    return stripped.translate(LEET) + word[len(stripped) :]


def _join_spaced(match):
    return _SEP_RE.sub("", match.group())


def normalise(text):
    """The form of `text` that word lists are matched against (see the module docstring)."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE)
    # Look-alikes are folded before casefolding, which would turn the Greek capital "Ν"
    # (an N) into "ν" (a v), and again after it, for the small letters.
    text = _fold_marks(text).translate(_PROTOTYPES)
    text = _fold_marks(text.casefold()).translate(_PROTOTYPES)
    text = _SPACES_RE.sub(" ", text)
    text = _SPACED_RE.sub(_join_spaced, text)
    return _WORD_RE.sub(_fold_word, text).strip()


_LETTER_BEFORE = r"(?<![^\W\d_])"
_LETTER_AFTER = r"(?![^\W\d_])"


def _pattern(term):
    parts = []
    for run in re.findall(r"[^\W_]+|[\W_]+", term):
        if not run[0].isalnum() or run[0] == "_":
            # A space or a mark between two words of an expression: any separator, or none.
            parts.append(r"[\W_]*")
        else:
            parts.append("".join("[il]" if c in "il" else re.escape(c) for c in run))
    return "".join(parts)


_LETTERS_RE = re.compile(r"[^\W\d_]+")


def _same_letters(word):
    # "i" and "l" (and so "1" and "|", folded to "i") are one letter for a list.
    return word.replace("l", "i")


class TermList:
    """Listed words and expressions, matched as whole words in normalised text.

    "Whole" means bounded by anything but a letter: "admin" is found in "Admin2" and
    "admin_nc", not in "badminton"; "ass" is not found in "classe". A text is read
    once, however long the list: single words are looked up in a set, expressions are
    one regular expression.
    """

    def __init__(self, terms):
        # Each listed term is normalised as the text will be; the original is what a
        # moderator reads in a hold reason.
        self.words = {}
        self.expressions = []
        patterns = []
        for term in terms:
            folded = normalise(term)
            if not folded:
                continue
            if _LETTERS_RE.fullmatch(folded):
                self.words.setdefault(_same_letters(folded), term)
            else:
                self.expressions.append(term)
                patterns.append(f"({_pattern(folded)})")
        self.regex = (
            re.compile(f"{_LETTER_BEFORE}(?:{'|'.join(patterns)}){_LETTER_AFTER}")
            if patterns
            else None
        )

    def __bool__(self):
        return bool(self.words or self.expressions)

    def find(self, text, *, normalised=False):
        """A listed term found in `text`, as it was listed, or None."""
        if not self:
            return None
        folded = text if normalised else normalise(text)
        if self.words:
            for word in _LETTERS_RE.findall(folded):
                if (term := self.words.get(_same_letters(word))) is not None:
                    return term
        if self.regex is not None and (match := self.regex.search(folded)):
            return self.expressions[match.lastindex - 1]
        return None


def email_key(address):
    """An e-mail address as compared by the site: NFKC, casefolded, domain in ASCII (IDNA).

    No confusable folding here: "раypal.com" in Cyrillic is another domain, another
    mailbox, and two mailboxes must never share the trust one of them earned.
    """
    address = unicodedata.normalize("NFKC", str(address or "")).strip().casefold()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    # Not a valid host name: compared as typed, folded.
    with contextlib.suppress(UnicodeError):
        domain = domain.encode("idna").decode("ascii")
    key = f"{local}@{domain}"
    if len(key) > EMAIL_KEY_LENGTH:
        # NFKC and punycode can lengthen an address; a digest keeps distinct ones apart.
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def words(text):
    """The words of `text` as word lists compare them: normalised, letters only, "l" as "i"."""
    return [w.replace("l", "i") for w in re.findall(r"[^\W\d_]+", normalise(text))]
