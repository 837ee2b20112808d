"""Turn the bytes of a text file or HTTP body into clean Unicode text.

The order of evidence is fixed, strongest first: a byte-order mark; then strict UTF-8 (a
non-ASCII text that decodes as UTF-8 by accident is vanishingly rare); then the encoding the
source declared (HTTP ``Content-Type``, XML or HTML ``meta``), which is often wrong and so is
only trusted when it decodes cleanly; and last a statistical guess by charset-normalizer, which
also knows legacy code pages such as Windows-1258 (Vietnamese) and Windows-1252. On short
Western texts charset-normalizer often ranks an exotic code page first, so among the guesses it
finds about equally clean, Windows-1252 and then Windows-1258 are preferred.

The result is NFC-normalised (Windows-1258 writes tone marks as combining characters, so
without it the same Vietnamese word would differ from its UTF-8 form) and passed through
:func:`repair_mojibake`, which undoes the classic damage of UTF-8 bytes read as Windows-1252 or
Latin-1 (``Ä‘`` for ``đ``, ``â€œ`` for ``“``) where that is unambiguous, and leaves correct text
alone.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata

from airace.errors import SourceError

# Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Marks of the encodings whose text is full of NUL bytes (the UTF-32 LE mark starts with the
# UTF-16 LE one).
_WIDE_BOMS = (codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# Encodings whose text is full of NUL bytes; a NUL means "binary" only outside these.
_WIDE_CODECS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})

# Signatures of binary formats that can start with printable bytes (PDF) or have few NULs.
_BINARY_SIGNATURES: tuple[bytes, ...] = (
    b"%PDF-",
    b"PK\x03\x04",
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"\x7fELF",
)

# How much of the start is inspected for binary content: enough for any header, cheap to scan.
_BINARY_SAMPLE = 8192

# Share of C0 control bytes (other than whitespace) above which data is not text: real text
# has none, while compressed or executable data has about one byte in ten.
_CONTROL_SHARE = 0.05
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])

# Declared names that servers use for Windows-1252 text (the WHATWG encoding standard maps
# them to windows-1252 too, since 0x80-0x9F are C1 controls in true Latin-1).
_LATIN1_ALIASES = frozenset({"iso8859-1", "ascii"})

# Guesses of charset-normalizer whose "chaos" exceeds the best one's by at most this much count
# as equally clean; the tie is broken by _PREFERRED (see the module docstring).
_CHAOS_TOLERANCE = 0.03
_PREFERRED = ("cp1252", "cp1258")

# The characters Windows-1252 gives to bytes 0x80-0x9F. Bytes it leaves undefined (0x81, 0x8D,
# 0x8F, 0x90, 0x9D) come back as the C1 controls U+0081... when decoded leniently, as Latin-1
# does for all of 0x80-0x9F; a mojibake byte is therefore any of these or U+0080-U+00FF.
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_CONTINUATION_CHARS = "\u0080-\u00bf" + _CP1252_HIGH

# Code points a UTF-8 sequence may repair to, by sequence length. Correct text holds chance
# look-alikes of mojibake ("CAFÉ—" is the valid UTF-8 pair C9 97, "lá”…" the triple E1 94 85),
# so a repair must land where mojibake of news text plausibly came from. Two bytes: Latin-1 and
# Latin Extended-A, the Vietnamese horn letters, Romanian comma letters, the combining marks of
# decomposed Latin text, Greek, core Cyrillic. Three: Indic scripts, Thai, Vietnamese precomposed
# letters, punctuation and symbols, CJK punctuation, kana and unified ideographs, Hangul, the
# byte-order mark, full-width forms. Four: emoji. The characters of Windows-1252 itself are
# always plausible (text damaged twice).
_RANGES_BY_LENGTH: dict[int, tuple[tuple[int, int], ...]] = {
    2: (
        (0x00A0, 0x017F),
        (0x01A0, 0x01B0),
        (0x0218, 0x021B),
        (0x0300, 0x030C),
        (0x031B, 0x031B),
        (0x0323, 0x0323),
        (0x0327, 0x0328),
        (0x0370, 0x03FF),
        (0x0400, 0x045F),
    ),
    3: (
        (0x0900, 0x0DFF),
        (0x0E00, 0x0E7F),
        (0x1E00, 0x1EFF),
        (0x2000, 0x2BFF),
        (0x3000, 0x30FF),
        (0x4E00, 0x9FFF),
        (0xAC00, 0xD7AF),
        (0xFEFF, 0xFEFF),
        (0xFF00, 0xFFEF),
    ),
    4: ((0x1F000, 0x1FAFF),),
}

# The characters a once-damaged multi-byte sequence is made of, as seen by a second repair.
_FIRST_LAYER = frozenset(chr(code) for code in range(0x80, 0x100)) | frozenset(_CP1252_HIGH)

# A decoded character in these Unicode categories is never the intended text.
_BAD_CATEGORIES = frozenset({"Cc", "Cn", "Co", "Cs"})

# Repairs undo one layer of damage each; text damaged twice needs two passes.
_MAX_REPAIR_PASSES = 3


def decode_bytes(data: bytes, origin: str, declared: str | None = None) -> str:
    """Decode the bytes of a text file or HTTP body to NFC text, repairing mojibake.

    Args:
        data: the raw bytes.
        origin: the file path or URL, named in errors.
        declared: an encoding the source declared (HTTP ``Content-Type`` charset, XML or HTML
            ``meta``), or a whole ``Content-Type`` value; tried after a byte-order mark and
            strict UTF-8, ignored when unknown or when the bytes do not decode with it.

    Returns:
        The decoded, NFC-normalised text, without a leading byte-order mark.

    Raises:
        SourceError: when the input is empty or only whitespace, is binary rather than text,
            or cannot be decoded.
    """
    if not data.strip():
        raise SourceError("empty file", path=origin)
    text = _decode(data, origin, _codec_name(declared))
    text = unicodedata.normalize("NFC", repair_mojibake(text.lstrip("\ufeff")))
    if not text.strip():
        raise SourceError("empty file", path=origin)
    return text


def is_probably_binary(data: bytes) -> bool:
    """Tell whether bytes are binary data rather than text in some encoding.

    Looks only at the start: a known binary signature, a NUL byte, or a high share of control
    bytes mean binary. Data that starts with a UTF-16 or UTF-32 byte-order mark is text.

    Args:
        data: the raw bytes, or their first few kilobytes.

    Returns:
        True when the data is probably not text.
    """
    if data.startswith(_BINARY_SIGNATURES):
        return True
    if data.startswith(_WIDE_BOMS):
        return False
    sample = data[:_BINARY_SAMPLE]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / len(sample) > _CONTROL_SHARE


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Windows-1252 or Latin-1, where that is safe.

    Each run of non-ASCII characters that Windows-1252 or Latin-1 can encode is turned back into
    bytes; every multi-byte sequence in it that is valid UTF-8 and decodes to a plausible
    character replaces its mojibake (``á»™`` becomes ``ộ``), the rest stays as it was. A pair
    of a capital letter and Windows-1252 punctuation (``Ã”`` for ``Ô``, ``Ä‘`` for ``đ``) can
    also be correct text in capitals ("ĐÃ”"), so such a pair on its own is repaired only when
    the same text holds some unambiguous mojibake too. A pass is kept only when it reduces the
    number of mojibake marker pairs (a UTF-8 lead character followed by a continuation
    character); text damaged twice gets a second pass.

    Args:
        text: any text.

    Returns:
        The repaired text; text without mojibake comes back unchanged (the same object).
    """
    markers = _patterns().marker
    count = len(markers.findall(text))
    for _ in range(_MAX_REPAIR_PASSES):
        if count == 0:
            break
        repaired = _repair_pass(text)
        repaired_count = len(markers.findall(repaired))
        if repaired_count >= count:
            break
        text, count = repaired, repaired_count
    return text


def _decode(data: bytes, origin: str, declared: str | None) -> str:
    """Decode by byte-order mark, declared wide encoding, UTF-8, declaration, then guess."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as error:
                raise SourceError(
                    f"cannot decode text: it starts with a {codec} byte-order mark but is not "
                    f"valid {codec} ({error.reason} at byte {error.start})",
                    path=origin,
                    hint="Re-save the file as UTF-8",
                ) from error
    if declared in _WIDE_CODECS and b"\x00" in data[:_BINARY_SAMPLE]:
        # Without NULs the bytes are not UTF-16 or UTF-32, whatever the source says.
        wide = _try_decode(data, declared)
        if wide is not None:
            return wide
    if is_probably_binary(data):
        raise SourceError("binary file, not text", path=origin)
    if (utf8 := _try_decode(data, "utf-8")) is not None:
        return utf8
    if declared is not None:
        for codec in _declared_candidates(declared):
            if (text := _try_decode(data, codec)) is not None:
                return text
    return _guess(data, origin)


def _guess(data: bytes, origin: str) -> str:
    """Decode with the encoding charset-normalizer finds, preferring common code pages."""
    import charset_normalizer  # imported here: it takes longer to import than most decodes

    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        raise SourceError("binary file, not text", path=origin)
    tied = [match for match in results if match.chaos <= best.chaos + _CHAOS_TOLERANCE]
    for codec in _PREFERRED:
        if any(codec in match.could_be_from_charset for match in tied):
            text = _try_decode(data, codec)
            if text is not None:
                return text
    try:
        return str(best)
    except (UnicodeDecodeError, LookupError) as error:
        raise SourceError(
            f"cannot decode text as {best.encoding}",
            path=origin,
            hint="Re-save the file as UTF-8",
        ) from error


def _try_decode(data: bytes, codec: str) -> str | None:
    """Return data decoded strictly with codec, or None when it does not decode."""
    try:
        return data.decode(codec)
    except (ValueError, LookupError):  # UnicodeDecodeError, or not a text codec ("base64")
        return None


def _codec_name(declared: str | None) -> str | None:
    """Return the Python codec name of a declared charset, or None when unknown or empty."""
    if not declared:
        return None
    name = declared
    if "charset=" in name.lower():
        name = name[name.lower().index("charset=") + len("charset=") :].split(";")[0]
    name = name.strip().strip("\"'").strip()
    if not name or len(name) > 40:
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    codec: str = info.name
    return codec


def _declared_candidates(codec: str) -> tuple[str, ...]:
    """Return the codecs to try for a declared one, Windows-1252 first for Latin-1 labels."""
    if codec in _LATIN1_ALIASES:
        return ("cp1252", codec)
    return (codec,)


class _Patterns:
    """The compiled regular expressions of mojibake repair."""

    def __init__(self) -> None:
        lead = "\u00c2-\u00f4"  # bytes 0xC2-0xF4 start a multi-byte UTF-8 sequence
        self.marker = re.compile(f"[{lead}][{_CONTINUATION_CHARS}]")
        self.run = re.compile(f"[\u0080-\u00ff{_CP1252_HIGH}]{{2,}}")


@functools.cache
def _patterns() -> _Patterns:
    """Compile the mojibake patterns once, at first use."""
    return _Patterns()


@functools.cache
def _byte_of() -> dict[str, int]:
    """Map each Windows-1252 or Latin-1 character above ASCII to the byte it came from."""
    table = {chr(code): code for code in range(0x80, 0x100)}
    for code in range(0x80, 0xA0):
        try:
            table[bytes([code]).decode("cp1252")] = code
        except UnicodeDecodeError:
            continue  # undefined in Windows-1252: only the Latin-1 control stands for it
    return table


def _repair_pass(text: str) -> str:
    """Return text with one layer of mojibake undone, ambiguous pairs only given other evidence."""
    run = _patterns().run
    sure = run.sub(functools.partial(_repair_run, ambiguous=False), text)
    if sure == text:
        return text
    return run.sub(functools.partial(_repair_run, ambiguous=True), text)


def _repair_run(match: re.Match[str], *, ambiguous: bool) -> str:
    """Return a run of mojibake candidates with its valid, plausible UTF-8 sequences decoded.

    Unless ``ambiguous`` is set, a run whose only sequence is an ambiguous pair stays as it is.
    """
    run = match.group()
    byte_of = _byte_of()
    data = bytes(byte_of[char] for char in run)
    found: list[tuple[int, int, str]] = []  # (index, length, decoded character)
    previous = ""  # the character before the current position, as repaired so far
    index = 0
    while index < len(data):
        length = _sequence_length(data[index])
        decoded = _decode_sequence(data[index : index + length]) if length > 1 else None
        if decoded is not None and _plausible(decoded, length, previous):
            found.append((index, length, decoded))
            index += length
            previous = decoded
        else:
            previous = run[index]
            index += 1
    if not found:
        return run
    if not ambiguous and len(found) == 1 and _is_ambiguous(run, found[0][0], found[0][1]):
        return run
    pieces: list[str] = []
    start = 0
    for index, length, decoded in found:
        pieces += (run[start:index], decoded)
        start = index + length
    pieces.append(run[start:])
    return "".join(pieces)


def _decode_sequence(data: bytes) -> str | None:
    """Return the one character a UTF-8 byte sequence encodes, or None when it is invalid."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _is_ambiguous(run: str, index: int, length: int) -> bool:
    """Tell whether a sequence may be correct text: a capital and punctuation, as in "ĐÃ”"."""
    if length != 2:
        return False
    second = run[index + 1]
    return second in _CP1252_HIGH and unicodedata.category(second)[0] in "PS"


def _sequence_length(lead: int) -> int:
    """Return the length of the UTF-8 sequence a lead byte starts, 1 when it starts none."""
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 1


def _plausible(char: str, length: int, previous: str) -> bool:
    """Tell whether a decoded character is a believable original rather than a coincidence."""
    if "\u0080" <= char <= "\u009f":
        # A C1 control is no text's intent, but text damaged twice holds one per byte that
        # Windows-1252 leaves undefined (0x81, 0x8D...), right after the lead byte it follows.
        return previous in _FIRST_LAYER
    if char in _CP1252_HIGH:
        return True
    if unicodedata.category(char) in _BAD_CATEGORIES:
        return False
    code = ord(char)
    return any(low <= code <= high for low, high in _RANGES_BY_LENGTH.get(length, ()))
