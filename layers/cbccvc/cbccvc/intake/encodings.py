"""Decode the bytes of a text export (CSV, tab-separated text, JSON) into Unicode.

Agencies' text files come in these encodings:

- UTF-8, with or without a byte order mark (BOM);
- UTF-16 with a BOM (Excel's "Unicode Text", tab-separated) or without one;
- Windows-1258, the Vietnamese Windows code page, which stores most tone marks as combining
  characters (the text is normalised to NFC);
- the legacy font encodings TCVN3 (ABC) and VNI (see ``legacy_encodings``).

A single-byte file is decoded the way under which most of its words are Vietnamese syllables.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from cbccvc.intake.errors import UnreadableFileError
from cbccvc.intake.legacy_encodings import DECODERS, LegacyEncoding, syllable_score

# Detection reads the start of the file only. 64 KiB is hundreds of rows.
SAMPLE_BYTES = 65_536
# A decoded text with more control characters than this share is a binary file, not text.
MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_WINDOWS_1258 = "cp1258"


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str  # Python codec name, or the legacy encoding's name
    legacy: LegacyEncoding | None = None
    # The file's own bytes when they are ``text`` in UTF-8 (after a byte order mark, if any), so
    # parsers can skip encoding it.
    utf8: bytes | None = None


def decode_export_text(data: bytes, file_name: str) -> DecodedText:
    """Decode a text export; raise UnreadableFileError("FILE_ENCODING_UNKNOWN") for binary content."""
    decoded = _decode(data, file_name)
    text = decoded.text.replace("\x00", "") if "\x00" in decoded.text else decoded.text
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    _reject_binary(text, file_name)
    utf8 = None
    # normalize() returns its argument itself when the text is already NFC.
    if text is decoded.text and decoded.encoding in ("utf-8", "utf-8-sig"):
        utf8 = data
    return DecodedText(text, decoded.encoding, decoded.legacy, utf8)


def decode_text(data: bytes) -> str:
    """Decode a text file without legacy-encoding detection (for small operator files like unit lists)."""
    return decode_export_text(data, "").text


def _decode(data: bytes, file_name: str) -> DecodedText:
    encoding = _encoding_from_bom(data) or _utf16_without_bom(data)
    if encoding:
        try:
            return DecodedText(data.decode(encoding), encoding)
        except UnicodeDecodeError as error:
            raise UnreadableFileError("FILE_ENCODING_UNKNOWN", file=file_name) from error
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return _decode_single_byte(data)


def _encoding_from_bom(data: bytes) -> str | None:
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Recognise UTF-16 text without a BOM: mostly ASCII, so every other byte is zero."""
    sample = data[:SAMPLE_BYTES - SAMPLE_BYTES % 2]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / (len(sample) / 2)
    odd_zeros = sample[1::2].count(0) / (len(sample) / 2)
    if odd_zeros > 0.4 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.4 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _decode_single_byte(data: bytes) -> DecodedText:
    """Choose between Windows-1258, TCVN3 and VNI by how Vietnamese the sample reads."""
    sample = data[:SAMPLE_BYTES]
    latin1 = sample.decode("latin-1")
    windows_text = unicodedata.normalize("NFC", sample.decode(_WINDOWS_1258, errors="replace"))
    best: LegacyEncoding | None = None
    best_score = syllable_score(windows_text)
    for encoding, decode in DECODERS.items():
        score = syllable_score(decode(latin1))
        if score > best_score:
            best, best_score = encoding, score
    if best is not None:
        return DecodedText(DECODERS[best](data.decode("latin-1")), best.value, best)
    # Windows-1258 leaves five bytes undefined; a file using them is damaged there anyway.
    return DecodedText(data.decode(_WINDOWS_1258, errors="replace"), _WINDOWS_1258)


def _reject_binary(text: str, file_name: str) -> None:
    sample = text[:SAMPLE_BYTES]
    if not sample:
        return
    controls = sum(1 for char in sample if char < " " and char not in _ALLOWED_CONTROLS)
    if controls / len(sample) > MAX_CONTROL_SHARE:
        raise UnreadableFileError("FILE_ENCODING_UNKNOWN", file=file_name)
