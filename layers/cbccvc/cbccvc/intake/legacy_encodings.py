"""Vietnamese text typed in the pre-Unicode font encodings TCVN3 (ABC) and VNI, and its repair.

Before Unicode, Vietnamese offices typed with fonts whose glyph slots held Vietnamese letters
in place of Latin-1 characters: the ``.Vn…`` fonts (.VnTime, .VnArial) of the TCVN3 (ABC)
encoding and the ``VNI-…`` fonts (VNI-Times). A file or an Excel cell keeps the byte (or the
Latin-1 character) of each slot, so "Họ và tên" typed in .VnTime reads "Hä vµ tªn" without
the font, and in VNI-Times "Hoï vaø teân".

- TCVN3 is table VN3 of TCVN 5712:1993, the Vietnamese standard for 8-bit coded character
  sets. It has one byte per precomposed lower-case letter (0xA8–0xFE), the seven upper-case
  letters Ă Â Ê Ô Ơ Ư Đ at 0xA1–0xA7, and five combining tone marks at 0xB0–0xB4. Upper-case
  letters with a tone mark have no code, because the "H" fonts (.VnTimeH) draw the lower-case
  codes as capitals. Converted text therefore comes out in lower case there.
- VNI (the VNI-Windows chart of VNI Software) writes a letter as its base letter followed by
  one byte for the diacritic and tone, for example "a" + "ù" for á and "a" + "á" for ấ. The
  exceptions are the single-byte letters ơ ư đ, the toned i and ỵ.

Both are detected by reading the text as Vietnamese syllables: the decoding under which more
words are valid Vietnamese syllables wins. The unit tests pin the spelling of every letter in
both encodings and round-trip a sentence with every tone on every vowel.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum


class LegacyEncoding(StrEnum):
    TCVN3 = "TCVN3 (ABC)"
    VNI = "VNI"

    @property
    def fonts(self) -> str:
        """Name the fonts typed in this encoding, as officers know them."""
        return ".VnTime, .VnArial" if self is LegacyEncoding.TCVN3 else "VNI-Times, VNI-Helve"


# --- TCVN3 (TCVN 5712:1993, table VN3) ------------------------------------------------------

# Byte → letter, in the order of the standard's chart. Bytes not listed keep their Latin-1
# meaning (digits, ASCII letters and punctuation are the same as ASCII).
_TCVN3_CHART: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    # Combining tone marks: grave, hook above, tilde, acute, dot below.
    0xB0: "\u0300", 0xB1: "\u0309", 0xB2: "\u0303", 0xB3: "\u0301", 0xB4: "\u0323",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
_TCVN3_ENCODE = {letter: chr(code) for code, letter in _TCVN3_CHART.items() if len(letter) == 1
                 and not unicodedata.combining(letter)}


def decode_tcvn3(text: str) -> str:
    """Convert TCVN3 text (bytes read as Latin-1) to NFC Unicode."""
    return unicodedata.normalize("NFC", text.translate(_TCVN3_CHART))


def encode_tcvn3(text: str) -> str:
    """Convert Unicode text to TCVN3, as Latin-1 characters; letters without a code stay as they are."""
    return "".join(_TCVN3_ENCODE.get(char, char) for char in unicodedata.normalize("NFC", text))


# --- VNI (VNI-Windows chart) -----------------------------------------------------------------

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_TONES = (_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT)

# Byte for a tone mark alone, as (lower-case, upper-case) font characters.
_VNI_TONE = {_ACUTE: ("ù", "Ù"), _GRAVE: ("ø", "Ø"), _HOOK: ("û", "Û"), _TILDE: ("õ", "Õ"), _DOT: ("ï", "Ï")}
# Byte for a circumflex (on a, e, o) or a breve (on a), alone or with each tone.
_VNI_CIRCUMFLEX = {"": ("â", "Â"), _ACUTE: ("á", "Á"), _GRAVE: ("à", "À"), _HOOK: ("å", "Å"),
                   _TILDE: ("ã", "Ã"), _DOT: ("ä", "Ä")}
_VNI_BREVE = {"": ("ê", "Ê"), _ACUTE: ("é", "É"), _GRAVE: ("è", "È"), _HOOK: ("ú", "Ú"),
              _TILDE: ("ü", "Ü"), _DOT: ("ë", "Ë")}
# Letters with a single byte of their own: ơ ư đ, i with each tone, and ỵ.
_VNI_SINGLE = {"ơ": ("ô", "Ô"), "ư": ("ö", "Ö"), "đ": ("ñ", "Ñ"),
               "í": ("í", "Í"), "ì": ("ì", "Ì"), "ỉ": ("æ", "Æ"), "ĩ": ("ó", "Ó"), "ị": ("ò", "Ò"),
               "ỵ": ("î", "Î")}


def _vni_chart() -> dict[str, str]:
    """Return every Vietnamese letter (both cases) mapped to its VNI spelling."""
    chart: dict[str, str] = {}
    for lower in _vietnamese_letters():
        decomposed = unicodedata.normalize("NFD", lower)
        base, marks = decomposed[0], decomposed[1:]
        tone = next((mark for mark in marks if mark in _TONES), "")
        modifier = next((mark for mark in marks if mark in (_CIRCUMFLEX, _BREVE, _HORN)), "")
        for case in (0, 1):
            letter = lower.upper() if case else lower
            chart[letter] = _vni_spelling(lower, base, modifier, tone, case)
    return chart


def _vni_spelling(lower: str, base: str, modifier: str, tone: str, case: int) -> str:
    shown_base = base.upper() if case else base
    if lower in _VNI_SINGLE:
        return _VNI_SINGLE[lower][case]
    if modifier == _HORN:  # ơ and ư carry their tone byte after their own byte
        horned = unicodedata.normalize("NFC", base + _HORN)
        return _VNI_SINGLE[horned][case] + (_VNI_TONE[tone][case] if tone else "")
    if modifier == _CIRCUMFLEX:
        return shown_base + _VNI_CIRCUMFLEX[tone][case]
    if modifier == _BREVE:
        return shown_base + _VNI_BREVE[tone][case]
    return shown_base + (_VNI_TONE[tone][case] if tone else "")


def _vietnamese_letters() -> list[str]:
    """Return the 67 lower-case Vietnamese letters outside ASCII (vowels with marks, and đ)."""
    letters = ["đ"]
    for vowel in ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"):
        letters.extend(unicodedata.normalize("NFC", vowel + tone) for tone in ("", *_TONES))
    return [letter for letter in letters if not letter.isascii()]


_VNI_ENCODE = _vni_chart()
# Decoding accepts a diacritic byte of either case after a base letter of either case, because
# people mixed VNI-Times with its capital fonts. The base letter decides the case.
_VNI_DECODE: dict[str, str] = {}
for _letter, _spelling in _VNI_ENCODE.items():
    _VNI_DECODE[_spelling] = _letter
    if len(_spelling) == 2:
        _VNI_DECODE.setdefault(_spelling[0] + _spelling[1].swapcase(), _letter)
_VNI_PATTERN = re.compile("|".join(re.escape(key) for key in sorted(_VNI_DECODE, key=len, reverse=True)))


def decode_vni(text: str) -> str:
    """Convert VNI text (bytes read as Latin-1) to NFC Unicode."""
    return _VNI_PATTERN.sub(lambda match: _VNI_DECODE[match.group()], text)


def encode_vni(text: str) -> str:
    """Convert Unicode text to VNI, as Latin-1 characters."""
    return "".join(_VNI_ENCODE.get(char, char) for char in unicodedata.normalize("NFC", text))


DECODERS = {LegacyEncoding.TCVN3: decode_tcvn3, LegacyEncoding.VNI: decode_vni}

# Latin-1 characters that text in each encoding cannot contain: the bytes TCVN3 leaves unassigned
# (Unicode text has "à" and "Á" there), and VNI's diacritic bytes where no base letter precedes them.
_TCVN3_UNASSIGNED = frozenset(chr(code) for code in range(0xA0, 0x100) if code not in _TCVN3_CHART)
_VNI_DIACRITICS = frozenset(spelling[1] for spelling in _VNI_DECODE if len(spelling) == 2)


def impossible_in(value: str, encoding: LegacyEncoding) -> bool:
    """Tell whether ``value`` contains a character that text in ``encoding`` never has."""
    if encoding is LegacyEncoding.TCVN3:
        return not _TCVN3_UNASSIGNED.isdisjoint(value)
    leftover = _VNI_PATTERN.sub("", value)
    return not _VNI_DIACRITICS.isdisjoint(leftover)


# --- detection ---------------------------------------------------------------------------------

# Vowel nuclei of Vietnamese syllables without their tone mark, with the glides that end them.
_NUCLEI = (
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây", "eo",
    "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo", "ôi", "ơi", "ua", "uâ", "uă", "ue", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya",
    "uyê", "uyu", "ươi", "ươu", "yêu",
)
_SYLLABLE = re.compile(
    "^(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    f"(?:{'|'.join(sorted(_NUCLEI, key=len, reverse=True))})"
    "(?:ch|ng|nh|[cmnpt])?$"
)
_WORD = re.compile(r"[^\W\d_]+")
# The Vietnamese letters of Latin-1: text made of these and ASCII may be Unicode Vietnamese already.
_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_TONE_SET = frozenset(_TONES)
# A value may be legacy text only if all its characters are Latin-1: Unicode Vietnamese almost
# always has a letter above U+00FF (ă ơ ư đ or a letter with a dot below or a hook).
_LATIN1_MAX = "\u00ff"


def is_vietnamese_syllable(word: str) -> bool:
    """Tell whether ``word`` (one word, any case) is a well-formed Vietnamese syllable."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(char in _TONE_SET for char in decomposed) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(char for char in decomposed if char not in _TONE_SET))
    return _SYLLABLE.match(bare) is not None


def syllable_score(text: str) -> int:
    """Count the non-ASCII words of ``text`` that are Vietnamese syllables, minus those that are not."""
    score = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        score += 1 if is_vietnamese_syllable(word) else -1
    return score


def may_be_legacy(value: str) -> bool:
    """Tell whether a cell's text could be TCVN3 or VNI read as Latin-1 (cheap pre-check)."""
    return not value.isascii() and max(value) <= _LATIN1_MAX


def detect_legacy(samples: Iterable[str]) -> LegacyEncoding | None:
    """Return the legacy encoding the samples are written in, or None when they read best as they are.

    ``samples`` are texts that passed ``may_be_legacy``; a decoding is chosen only when it
    makes more words valid syllables than the text as it is.
    """
    joined = "\n".join(samples)
    best: LegacyEncoding | None = None
    best_score = syllable_score(joined)
    for encoding, decode in DECODERS.items():
        score = syllable_score(decode(joined))
        if score > best_score:
            best, best_score = encoding, score
    return best


def convert_value(value: str, encoding: LegacyEncoding) -> str | None:
    """Return ``value`` decoded from ``encoding``, or None when it is not text in that encoding.

    In a column found to be in ``encoding``, a value is left unchanged when it contains a
    character the encoding never has, or when it is already Vietnamese and its decoding reads
    worse.
    A value that reads as well both ways ("Thò" is "Thị" in VNI) follows the column.
    """
    if impossible_in(value, encoding):
        return None
    decoded = DECODERS[encoding](value)
    if decoded == value:
        return None
    if _VIETNAMESE_LATIN1.issuperset(char for char in value if char > "\x7f") and (
            syllable_score(decoded) < syllable_score(value)):
        return None
    return decoded
