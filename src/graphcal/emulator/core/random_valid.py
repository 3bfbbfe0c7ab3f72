"""The random-but-schema-valid mode (issue 15): every JSON answer of a Graph call keeps the
status and headers the reference gave it, and its body is replaced by random data that is valid
against the schema of that answer's type (``schemas/``, through :mod:`graphcal.schema`).

Serve it with ``graphcal emulator serve --random-valid SEED`` or ``EmulatorServer(random_valid=SEED)``.
It is an output stage, not a feature: :func:`replace` runs in ``core.output.finish`` after the
fault transforms; the reference logic underneath runs unchanged (so a scenario's writes still
land, and the next answer is random again). The token endpoint is not a Graph answer: intact.

Why statuses stay: the status is the reference's decision (201 for a create, 404 for an id the
target never gave out) and every endpoint documents one success status; randomising it would
stop nearly every scenario at its first step, and transient statuses (429/503) are the chaos
mode's business. Random bodies are what reaches the checks and the scenario code.

The generator: our own, over the generated schemas (``generate(type_name, rng)``), drawing from
a ``random.Random`` seeded per answer with (seed, method, path and query, how many times that
request was answered), so a run is reproducible whatever order pytest runs scenarios in.
hypothesis-jsonschema was the other candidate: it takes drafts 4/6/7 with local ``$ref``s only,
while ours are 2020-12 documents that reference each other (recursively: an event lists its
``instances``), put ``$ref`` beside ``type`` (ignored before 2019-09) and dispatch subtypes with
``if``/``then`` on ``@odata.type``; and a hypothesis strategy only draws inside ``@given``
(starting from the simplest example), not once per request in a server. The schemas use a small
set of keywords (:data:`KEYWORDS`); one the generator does not know is an error, not a guess.
``tests/emulator/core/test_emulator_random_valid.py`` validates what it generates, with
hypothesis choosing the seeds.
"""

from __future__ import annotations

import base64
import random
import string
import threading
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable
from urllib.parse import urldefrag, urljoin

from graphcal import schema

KEYWORDS = frozenset({
    "$schema", "$id", "$defs", "$comment", "title", "description", "type", "$ref", "allOf", "enum",
    "const", "properties", "required", "items", "format", "pattern", "minimum", "maximum",
    "minLength", "contentEncoding", "if", "then", "else",
})
MAX_DEPTH = 4  # below this, objects carry their required keys only, arrays are empty, nullables null
_TEXTS = ("", " ", "x", "Lunch", "Zoë 会議 🗓", "2017-10-09T12:00:00", "null", "#microsoft.graph.event",
          "https://example.invalid/v1.0/me/events", "AdeleV@contoso.com", "a\nb", "\u200b")
_BASE64 = r"^[A-Za-z0-9+/_-]*={0,2}$"
_TIME_OF_DAY = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,12})?)?$"
_LOCAL_DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$"
_EPOCH = datetime(1990, 1, 1, tzinfo=timezone.utc)

Part = tuple[dict[str, Any], str]  # a (sub)schema and the URI its relative $refs resolve against


class Generator:
    """Random JSON values valid against the schemas, drawn from ``rng``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.documents = schema.documents()

    # -- schema plumbing ---------------------------------------------------------------------

    def _resolve(self, ref: str, base: str) -> Part:
        uri, fragment = urldefrag(urljoin(base, ref))
        node: Any = self.documents[uri]
        for token in [t for t in fragment.split("/") if t]:
            node = node[token]
        return node, uri

    def _flatten(self, parts: Iterable[Part]) -> list[Part]:
        """The parts with every ``$ref`` and ``allOf`` member they apply pulled in."""
        out: list[Part] = []
        todo = list(parts)
        while todo:
            node, base = todo.pop(0)
            unknown = set(node) - KEYWORDS
            if unknown:
                raise ValueError(f"the random-valid generator does not know {sorted(unknown)}")
            base = node.get("$id", base)
            out.append((node, base))
            if "$ref" in node:
                todo.append(self._resolve(node["$ref"], base))
            todo.extend((member, base) for member in node.get("allOf", ()))
            if "else" in node:  # delta items: a removed marker (then) or an item (else, no "@removed")
                todo.append((self.rng.choice((node["then"], node["else"])), base))
            elif "if" in node and "allOf" not in node["then"]:
                # a page without nextLink needs a deltaLink: this one always has one (valid either way)
                todo.append((node["then"], base))
        return out

    def _subtypes(self, parts: list[Part]) -> dict[str, Part]:
        """``@odata.type`` value -> the schema it selects, from the parts' ``if``/``then`` dispatch."""
        found: dict[str, Part] = {}
        for node, base in parts:
            for case in node.get("then", {}).get("allOf", ()):
                const = case["if"]["properties"]["@odata.type"]["const"]
                found[const] = self._resolve(case["then"]["$ref"], base)
        return found

    # -- values --------------------------------------------------------------------------------

    def value(self, parts: Iterable[Part], depth: int = 0) -> Any:
        parts = self._flatten(parts)
        for node, _ in parts:
            if "const" in node:
                return node["const"]
        enums = [node["enum"] for node, _ in parts if "enum" in node]
        if enums:
            allowed = [v for v in enums[0] if all(v in e for e in enums[1:])]
            if depth >= MAX_DEPTH and None in allowed:
                return None
            return self.rng.choice(allowed)
        kinds = self._kinds(parts)
        if "null" in kinds and (len(kinds) == 1 or depth >= MAX_DEPTH or self.rng.random() < 0.1):
            return None
        kind = self.rng.choice(sorted(kinds - {"null"}))
        if kind == "object":
            return self._object(parts, depth)
        if kind == "array":
            items = [(node["items"], base) for node, base in parts if "items" in node]
            length = 0 if depth >= MAX_DEPTH or not items else self.rng.choice((0, 1, 1, 2, 3))
            return [self.value(items, depth + 1) for _ in range(length)]
        if kind == "string":
            return self._string(parts)
        if kind == "boolean":
            return self.rng.random() < 0.5
        return self._number(parts, kind)

    def _kinds(self, parts: list[Part]) -> set[str]:
        kinds: set[str] | None = None
        for node, _ in parts:
            if "type" in node:
                declared = node["type"] if isinstance(node["type"], list) else [node["type"]]
                kinds = set(declared) if kinds is None else kinds & set(declared)
        if kinds is not None:
            return kinds
        if any("properties" in node or "then" in node for node, _ in parts):
            return {"object"}
        return {"string"}  # e.g. {"pattern": "^#"}

    def _object(self, parts: list[Part], depth: int) -> dict[str, Any]:
        subtypes = self._subtypes(parts)
        type_schemas = [(node["properties"]["@odata.type"], base) for node, base in parts
                        if "@odata.type" in node.get("properties", {})]
        own = [v for node, _ in type_schemas for v in node.get("enum", ()) if v not in subtypes]
        choices = [None, *own, *subtypes]
        odata_type = self.rng.choice(choices) if type_schemas or subtypes else None
        if odata_type in subtypes:
            parts = self._flatten([*parts, subtypes[odata_type]])
        properties: dict[str, list[Part]] = {}
        required: set[str] = set()
        for node, base in parts:
            for key, sub in node.get("properties", {}).items():
                properties.setdefault(key, []).append((sub, base))
            required.update(node.get("required", ()))
        keep = (0.6, 0.35, 0.2, 0.1)[min(depth, 3)] if depth < MAX_DEPTH else 0.0
        out: dict[str, Any] = {}
        if odata_type is not None:
            out["@odata.type"] = odata_type
        for key, key_parts in properties.items():
            if key != "@odata.type" and (key in required or self.rng.random() < keep):
                out[key] = self.value(key_parts, depth + 1)
        if self.rng.random() < 0.05:  # the schemas are open: a key nobody documented is valid
            out["graphcalRandomExtra"] = self.rng.choice(_TEXTS)
        return out

    def _string(self, parts: list[Part]) -> str:
        formats = {node["format"] for node, _ in parts if "format" in node}
        patterns = {node["pattern"] for node, _ in parts if "pattern" in node}
        rng = self.rng
        if schema.LOCAL_DATE_TIME_FORMAT in formats or _LOCAL_DATE_TIME in patterns:
            text = self._instant().strftime("%Y-%m-%dT%H:%M:%S")
            return text + rng.choice(("", ".0000000", f".{rng.randrange(10**7):07d}"))
        if "date-time" in formats:
            text = self._instant().strftime("%Y-%m-%dT%H:%M:%S")
            return text + rng.choice(("Z", ".1234567Z", "+05:30", "-08:00"))
        if "date" in formats:
            return self._instant().strftime("%Y-%m-%d")
        if "uuid" in formats:
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if _BASE64 in patterns:
            return base64.b64encode(rng.randbytes(rng.randrange(0, 24))).decode()
        if _TIME_OF_DAY in patterns:
            return f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}" + \
                rng.choice(("", ".0000000"))
        if patterns == {"^#"}:
            return "#microsoft.graph." + "".join(rng.choices(string.ascii_letters, k=8))
        if formats or patterns:
            raise ValueError(f"the random-valid generator has no strings for {formats or patterns}")
        minimum = max((node.get("minLength", 0) for node, _ in parts), default=0)
        text = rng.choice(_TEXTS) if rng.random() < 0.5 else \
            "".join(rng.choices(string.ascii_letters + string.digits, k=rng.randrange(1, 16)))
        return text if len(text) >= minimum else text + "x" * minimum

    def _number(self, parts: list[Part], kind: str) -> int | float:
        low = max((node["minimum"] for node, _ in parts if "minimum" in node), default=-1000)
        high = min((node["maximum"] for node, _ in parts if "maximum" in node), default=100000)
        if kind == "integer":
            return self.rng.randint(int(low), int(high))
        return round(self.rng.uniform(low, high), 3)

    def _instant(self) -> datetime:
        return _EPOCH + timedelta(seconds=self.rng.randrange(50 * 365 * 86400))


def generate(type_name: str, rng: random.Random) -> Any:
    """A random value valid against ``type_name``'s schema (``event``, ``collection:event``,
    ``error``..., the names :func:`graphcal.schema.validate` takes)."""
    return Generator(rng).value([(schema.root_schema(type_name), "")])


# -- the output stage --------------------------------------------------------------------------

# The last segment of an answer's @odata.context (its entity set or property) -> the item type.
_CONTEXT_TYPES = {"events": "event", "instances": "event", "calendarView": "event", "calendar": "calendar",
                  "calendars": "calendar", "messages": "message", "mailboxSettings": "mailboxSettings"}


def answer_type(status: int, body: Any) -> str | None:
    """The schema type of a JSON answer, as the harness would name it, or None (no schema of ours:
    such an answer, e.g. ``/me``, stays as the reference wrote it)."""
    if not isinstance(body, dict):
        return None
    if status >= 400:
        return "error"
    context = body.get("@odata.context")
    if not isinstance(context, str) or "#" not in context:
        return None
    segments = [s.split("(")[0] for s in context.split("#", 1)[1].split("/") if s != "$entity"]
    item = _CONTEXT_TYPES.get(segments[-1]) if segments else None
    if item is None:
        return None
    return f"collection:{item}" if isinstance(body.get("value"), list) else item


class RandomValid:
    """The state of the mode on ``app.state.random_valid``: the seed and how many times each
    request was answered (one random stream per answer)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._seen: dict[str, int] = {}
        self._lock = threading.Lock()

    def rng(self, method: str, path: str, query: str) -> random.Random:
        key = f"{method} {path}?{query}"
        with self._lock:
            n = self._seen[key] = self._seen.get(key, 0) + 1
        return random.Random(f"{self.seed}|{key}|{n}")

    def replace(self, method: str, path: str, query: str, status: int, body: Any) -> Any:
        type_name = answer_type(status, body)
        if type_name is None:
            return body
        rng = self.rng(method, path, query)
        random_body = generate(type_name, rng)
        if type_name != "error" and rng.random() < 0.5:
            _anchor(random_body, body, type_name, rng)
        return random_body


def _anchor(random_body: dict[str, Any], reference: dict[str, Any], type_name: str, rng: random.Random) -> None:
    """Half the answers keep the reference's ids (and a page its nextLink and item count), the
    rest of the body random: the scenario then gets past the step that read the id, so the
    checks and steps after it see random data too. Still valid: ids are strings, items items."""
    kind, _, item_type = type_name.partition(":")
    if not item_type:
        if isinstance(reference.get("id"), str):
            random_body["id"] = reference["id"]
        return
    listed = [item for item in reference.get("value", ()) if isinstance(item, dict)]
    random_body["value"] = [{**generate(item_type, rng), **({"id": item["id"]} if "id" in item else {})}
                            for item in listed]
    random_body.pop("@odata.nextLink", None)
    if "@odata.nextLink" in reference:
        random_body["@odata.nextLink"] = reference["@odata.nextLink"]
