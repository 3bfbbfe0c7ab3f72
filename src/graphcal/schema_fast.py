"""The fast path of ``graphcal.schema``: compiled validators (jsonschema-rs) that answer valid/invalid.

jsonschema stays the reference: ``graphcal.schema.validate`` returns ``[]`` when the compiled
validator accepts a payload and otherwise asks jsonschema for the readable violations. So the
compiled validator must never accept what jsonschema rejects; three things make it agree:

- formats: ``date``, ``uuid`` and ``graphcal-local-date-time`` are checked by jsonschema's own
  ``FormatChecker`` functions, called back from Rust; ``date-time`` (jsonschema checks it with
  rfc3339-validator, 5 us a string in Python) becomes ``RFC3339_PATTERN``, the same check as one
  regex; a format jsonschema does not check is not checked here either;
- patterns: jsonschema runs ``re.search`` (Python semantics: ``\\d`` is any Unicode decimal digit,
  ``$`` also matches before a final newline), jsonschema-rs runs ECMA-262 regexes (``\\d`` is
  ASCII, ``$`` is the end). ``translate_pattern`` rewrites the patterns it can prove equivalent;
  any other pattern is checked by ``re.search`` called back from Rust (keyword ``PY_PATTERN``);
- payloads are JSON-decoded values (dict with str keys, list, str, int, float, bool, None).
  Outside JSON the two differ (a tuple is an array to jsonschema-rs only; NaN is a number to
  jsonschema only), and a value jsonschema-rs cannot convert falls back to jsonschema.

Without a jsonschema-rs wheel for the platform ``AVAILABLE`` is False and graphcal validates
with jsonschema alone.
"""

from __future__ import annotations

import functools
import re
import sys
from array import array
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from jsonschema import FormatChecker

try:
    import jsonschema_rs
except ImportError:  # no wheel for this platform: jsonschema alone
    jsonschema_rs = None  # type: ignore[assignment]

AVAILABLE = jsonschema_rs is not None
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
PY_PATTERN = "x-graphcal-python-pattern"  # a pattern translate_pattern could not rewrite
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples"})  # values there are data, not schemas
_ESCAPABLE = frozenset(".^$*+?()[]{}|/\\-")
_QUANTIFIER = re.compile(r"\{\d+(,\d*)?\}")
DIGIT_PLANES_END = 0x20000

# rfc3339_validator.validate_rfc3339(value.upper()) as an ECMA-262 regex: RFC3339_REGEX (ASCII
# digits; "$" also before a final newline; T and Z in either case) plus its calendar check
# (year 0000 invalid, days of the month, February 29th in Gregorian leap years only). Digits are
# [0-9], not \d: jsonschema-rs reads \d as ASCII or as Unicode depending on its regex engine.
_D = "[0-9]"
_YEAR = f"(?:[1-9]{_D}{{3}}|0[1-9]{_D}{{2}}|00[1-9]{_D}|000[1-9])"
_LEAP_YEAR = f"(?:{_D}{{2}}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = f"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]{_D}|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]{_D}|30)|02-(?:0[1-9]|1{_D}|2[0-8]))"
_TIME = f"(?:[01]{_D}|2[0-3]):[0-5]{_D}:[0-5]{_D}(?:\\.{_D}+)?(?:[Zz]|[+-](?:[01]{_D}|2[0-3]):[0-5]{_D})"
RFC3339_PATTERN = f"^(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)[Tt]{_TIME}\\n?$"


class UntranslatablePattern(ValueError):
    """A pattern uses syntax whose Python and ECMA-262 meanings may differ."""


def characters(start: int, stop: int) -> str:
    """The code points start..stop-1 as one string, surrogates left out."""
    codes = array("I", range(start, min(stop, 0xD800)))
    codes.extend(range(max(start, 0xE000), stop))
    return codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")


@functools.cache
def _python_decimal_digits() -> str:
    """What Python's ``\\d`` matches in a str pattern, as character-class ranges (every decimal
    digit is in planes 0-1; tests/schema checks that for the running Python's Unicode tables)."""
    found = re.finditer(r"\d+", characters(0, DIGIT_PLANES_END))
    return "".join(f"{m.group()[0]}-{m.group()[-1]}" if len(m.group()) > 1 else m.group() for m in found)


def translate_pattern(pattern: str) -> str:
    """The ECMA-262 regex that ``re.search`` semantics of ``pattern`` amount to.

    Handles literals, escaped punctuation, ``\\d``, ``^``, ``$``, groups ``(`` / ``(?:``,
    alternation, quantifiers and character classes of literals and ranges; raises
    ``UntranslatablePattern`` for anything else (``.``, ``\\w``, ``\\s``, ``\\b``, lookarounds...).
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            i, piece = _escape(pattern, i, in_class=False)
            out.append(piece)
            continue
        if char == "[":
            i, piece = _char_class(pattern, i)
            out.append(piece)
            continue
        if char == "$":
            out.append("\\n?$")  # Python's $ also matches just before a final newline
        elif char == "(":
            if pattern.startswith("(?", i) and not pattern.startswith("(?:", i):
                raise UntranslatablePattern(f"group syntax at {i} in {pattern!r}")
            out.append(char)
        elif char == "{":
            match = _QUANTIFIER.match(pattern, i)
            if match is None:
                raise UntranslatablePattern(f"literal '{{' at {i} in {pattern!r}")
            out.append(match.group())
            i = match.end()
            continue
        elif char in ".]}":
            raise UntranslatablePattern(f"{char!r} at {i} in {pattern!r}")
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _escape(pattern: str, i: int, *, in_class: bool) -> tuple[int, str]:
    escaped = pattern[i + 1 : i + 2]
    if escaped == "d":
        digits = _python_decimal_digits()
        return i + 2, digits if in_class else f"[{digits}]"
    if escaped and escaped in _ESCAPABLE:
        return i + 2, "\\" + escaped
    raise UntranslatablePattern(f"escape \\{escaped} at {i} in {pattern!r}")


def _char_class(pattern: str, i: int) -> tuple[int, str]:
    out = ["["]
    i += 1
    if pattern.startswith("^", i):
        out.append("^")
        i += 1
    first = i
    while i < len(pattern):
        char = pattern[i]
        if char == "]" and i > first:
            out.append("]")
            return i + 1, "".join(out)
        if char == "\\":
            i, piece = _escape(pattern, i, in_class=True)
            out.append(piece)
            continue
        if char in "[]&~" or pattern.startswith("--", i):  # set syntax in some regex dialects
            raise UntranslatablePattern(f"{char!r} in a character class at {i} in {pattern!r}")
        out.append(char)
        i += 1
    raise UntranslatablePattern(f"unterminated character class in {pattern!r}")


def _walk(node: Any, visit: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """A copy of a schema document with ``visit`` applied to every (sub)schema object."""
    if isinstance(node, list):
        return [_walk(item, visit) for item in node]
    if not isinstance(node, dict):
        return node
    copied = {key: value if key in _DATA_KEYWORDS else _walk(value, visit) for key, value in node.items()}
    return visit(copied)


def _fast_subschema(subschema: dict[str, Any], *, date_time_as_pattern: bool) -> dict[str, Any]:
    """``subschema`` with its pattern translated and, if asked, ``format: date-time`` as a pattern."""
    fast = dict(subschema)
    pattern = fast.pop("pattern", None)
    if isinstance(pattern, str):
        try:
            fast["pattern"] = translate_pattern(pattern)
        except UntranslatablePattern:
            fast[PY_PATTERN] = pattern
    elif pattern is not None:  # a property called "pattern": left as it is
        fast["pattern"] = pattern
    if date_time_as_pattern and fast.get("format") == "date-time":
        del fast["format"]
        if "pattern" in fast:
            fast["allOf"] = [*fast.get("allOf", []), {"pattern": RFC3339_PATTERN}]
        else:
            fast["pattern"] = RFC3339_PATTERN
    return fast


class PythonPattern:
    """Keyword ``PY_PATTERN``: ``pattern`` as jsonschema checks it, with ``re.search``."""

    def __init__(self, parent_schema: dict[str, Any], value: str, schema_path: list[str | int]) -> None:
        self.search = re.compile(value).search
        self.pattern = value

    def validate(self, instance: Any) -> None:
        if isinstance(instance, str) and not self.search(instance):
            raise ValueError(f"{instance!r} does not match {self.pattern!r}")


def format_names(documents: Iterable[Mapping[str, Any]]) -> set[str]:
    """Every ``format`` value the schema documents use."""
    found: set[str] = set()

    def collect(subschema: dict[str, Any]) -> dict[str, Any]:
        if isinstance(subschema.get("format"), str):
            found.add(subschema["format"])
        return subschema

    for document in documents:
        _walk(document, collect)
    return found


def _conforms(func: Callable[[Any], Any], raises: type[Exception] | tuple[type[Exception], ...]) -> Callable[[str], bool]:
    def check(value: str) -> bool:  # FormatChecker.conforms, without building a FormatError
        try:
            return bool(func(value))
        except raises:
            return False

    return check


def _unchecked(value: str) -> bool:
    return True


def format_callbacks(checker: FormatChecker, names: Iterable[str]) -> dict[str, Callable[[str], bool]]:
    """One callable per format name: jsonschema's check, or accept-all where jsonschema has none
    (jsonschema-rs would otherwise check e.g. ``date-time`` itself when rfc3339-validator is absent)."""
    return {name: _conforms(*checker.checkers[name]) if name in checker.checkers else _unchecked for name in names}


class FastSchemas:
    """jsonschema-rs validators over the same schema documents jsonschema uses."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]], checker: FormatChecker) -> None:
        assert jsonschema_rs is not None, "check AVAILABLE first"
        self._rewrite = functools.partial(_fast_subschema, date_time_as_pattern="date-time" in checker.checkers)
        self.registry = jsonschema_rs.Registry([(uri, _walk(doc, self._rewrite)) for uri, doc in documents.items()])
        self.formats = format_callbacks(checker, format_names(documents.values()))

    def validator(self, root_schema: dict[str, Any]) -> Any:
        """The compiled validator of ``root_schema`` (its ``$ref``s point into the documents)."""
        return jsonschema_rs.validator_for(
            _walk({"$schema": DRAFT_2020_12, **root_schema}, self._rewrite), registry=self.registry,
            formats=self.formats, validate_formats=True, keywords={PY_PATTERN: PythonPattern},
        )  # fmt: skip
