"""The legacy Vietnamese font encodings TCVN3 (ABC) and VNI: round trips, known spellings, detection."""

from __future__ import annotations

import unicodedata

import pytest

from cbccvc.intake.legacy_encodings import (
    LegacyEncoding,
    convert_value,
    decode_tcvn3,
    decode_vni,
    detect_legacy,
    encode_tcvn3,
    encode_vni,
    is_vietnamese_syllable,
    may_be_legacy,
)

# Every tone (none, grave, acute, hook, tilde, dot below) on every vowel, and đ.
EVERY_TONE = (
    "ma mà má mả mã mạ, căn cằn cắn cẳn cẵn cặn, tân tần tấn tẩn tẫn tận, me mè mé mẻ mẽ mẹ, "
    "mê mề mế mể mễ mệ, mi mì mí mỉ mĩ mị, bo bò bó bỏ bõ bọ, cô cồ cố cổ cỗ cộ, bơ bờ bớ bở bỡ bợ, "
    "mu mù mú mủ mũ mụ, tư từ tứ tử tữ tự, ly lỳ lý lỷ lỹ lỵ, đi đâu."
)
_ALL_LOWER_LETTERS = {
    unicodedata.normalize("NFC", vowel + tone)
    for vowel in ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
    for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
} | {"đ"}


# The charts, letter by letter: á à ả ã ạ ă ắ … ỵ đ, then the same in upper case for VNI.
LETTERS = "áàảãạăắằẳẵặâấầẩẫậéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵđ"
TCVN3_CHART = "¸µ¶·¹¨¾»¼½Æ©ÊÇÈÉËÐÌÎÏÑªÕÒÓÔÖÝ×ØÜÞãßáâä«èåæçé¬íêëìîóïñòô\xadøõö÷ùýúûüþ®"
VNI_CHART = [
    "aù", "aø", "aû", "aõ", "aï", "aê", "aé", "aè", "aú", "aü", "aë", "aâ", "aá", "aà", "aå", "aã", "aä",
    "eù", "eø", "eû", "eõ", "eï", "eâ", "eá", "eà", "eå", "eã", "eä", "í", "ì", "æ", "ó", "ò", "où", "oø",
    "oû", "oõ", "oï", "oâ", "oá", "oà", "oå", "oã", "oä", "ô", "ôù", "ôø", "ôû", "ôõ", "ôï", "uù", "uø", "uû",
    "uõ", "uï", "ö", "öù", "öø", "öû", "öõ", "öï", "yù", "yø", "yû", "yõ", "î", "ñ",
]


def test_tcvn3_chart() -> None:
    assert [encode_tcvn3(letter) for letter in LETTERS] == list(TCVN3_CHART)
    assert decode_tcvn3(TCVN3_CHART) == LETTERS


def test_vni_chart() -> None:
    assert [encode_vni(letter) for letter in LETTERS] == VNI_CHART
    assert [encode_vni(letter.upper()) for letter in LETTERS] == [spelling.upper() for spelling in VNI_CHART]
    assert decode_vni(" ".join(VNI_CHART)) == " ".join(LETTERS)


def test_sentence_covers_every_letter() -> None:
    letters = {char for char in EVERY_TONE if char.isalpha()}
    assert _ALL_LOWER_LETTERS - {"a", "e", "i", "o", "u", "y"} <= letters


def test_tcvn3_round_trip() -> None:
    # TCVN3 codes upper case only for Ă Â Ê Ô Ơ Ư Đ; lower case covers every letter.
    text = EVERY_TONE + " Ă Â Ê Ô Ơ Ư Đ"
    encoded = encode_tcvn3(text)
    assert encoded.isascii() is False
    assert max(encoded) <= "\u00ff"
    assert decode_tcvn3(encoded) == text


def test_vni_round_trip() -> None:
    for text in (EVERY_TONE, EVERY_TONE.upper(), EVERY_TONE.title()):
        encoded = encode_vni(text)
        assert max(encoded) <= "\u00ff"
        assert decode_vni(encoded) == text


@pytest.mark.parametrize(("legacy", "unicode"), [
    ("Hä vµ tªn", "Họ và tên"),
    ("Ngµy sinh", "Ngày sinh"),
    ("Giíi tÝnh", "Giới tính"),
    ("Sè ®Þnh danh c¸ nh©n", "Số định danh cá nhân"),
    ("Tr­êng §¹i häc", "Trường Đại học"),
])
def test_tcvn3_known_spellings(legacy: str, unicode: str) -> None:
    assert decode_tcvn3(legacy) == unicode


@pytest.mark.parametrize(("legacy", "unicode"), [
    ("Hoï vaø teân", "Họ và tên"),
    ("Nguyeãn Vaên Ñaït", "Nguyễn Văn Đạt"),
    ("Tröôøng Ñaïi hoïc", "Trường Đại học"),
    ("NGUYEÃN THÒ HÖÔØNG", "NGUYỄN THỊ HƯỜNG"),
    ("Thò xaõ", "Thị xã"),
])
def test_vni_known_spellings(legacy: str, unicode: str) -> None:
    assert decode_vni(legacy) == unicode


def test_tcvn3_combining_marks_composed() -> None:
    # Bytes 0xB0–0xB4 are tone marks typed after the letter.
    assert decode_tcvn3("a\xb3") == "á"
    assert decode_tcvn3("\xa9\xb4") == "ậ"


@pytest.mark.parametrize(("samples", "expected"), [
    (["NguyÔn V¨n An", "TrÇn ThÞ B×nh", "Lª Hoµng C­êng"], LegacyEncoding.TCVN3),
    (["Nguyeãn Vaên An", "Traàn Thò Bình", "Leâ Hoaøng Cöôøng"], LegacyEncoding.VNI),
    (["Tô Thành Tâm", "Lê Hà", "Hà Tú"], None),
    (["José Müller", "Ñandú"], None),
])
def test_detect_legacy(samples: list[str], expected: LegacyEncoding | None) -> None:
    assert all(may_be_legacy(sample) for sample in samples)
    assert detect_legacy(samples) == expected


def test_may_be_legacy_skips_unicode() -> None:
    assert not may_be_legacy("Nguyễn Văn An")
    assert not may_be_legacy("Nguyen Van An")
    assert may_be_legacy("Lª Hoµng")


def test_convert_value_keeps_unicode_values() -> None:
    assert convert_value("NguyÔn", LegacyEncoding.TCVN3) == "Nguyễn"
    assert convert_value("Thò", LegacyEncoding.VNI) == "Thị"
    assert convert_value("Tô Thành Tâm", LegacyEncoding.VNI) is None
    assert convert_value("Tô Thành Tâm", LegacyEncoding.TCVN3) is None
    assert convert_value("Lê Hà", LegacyEncoding.TCVN3) is None
    assert convert_value("U01", LegacyEncoding.TCVN3) is None


@pytest.mark.parametrize(("word", "valid"), [
    ("nguyễn", True), ("trường", True), ("khuya", True), ("giường", True), ("quốc", True), ("ngoằng", True),
    ("hoù", False), ("vaứ", False), ("hä", False), ("tiếngg", False), ("mạà", False),
])
def test_syllable_shape(word: str, valid: bool) -> None:
    assert is_vietnamese_syllable(word) is valid
