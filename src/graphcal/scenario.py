"""The step recorder: what a scenario test does through the ``graph`` fixture.

::

    organizer = graph.persona("organizer")
    with graph.step("1: organizer creates the event", source="seed 001 example 1") as s:
        r = organizer.post("/me/events", json=body)
        s.response(r, schema="event")      # evidence + SCHEMA-1
        s.check("EVT-CREATE-1", r)         # soft: recorded, the scenario goes on
        event = s.require(r.body, "the created event")   # hard: falsy -> blocked, stop
        path = f"/me/events/{s.field(event, 'id', what='the created event')}"   # never event["id"]

Every request a persona client makes inside a step is recorded as evidence. A check that
raises is verdict ``error``, never a crash. A failed ``require`` marks the step ``blocked``
and stops the scenario; so does an exception in the scenario code (step ``error``). The
invariants declared by the scenario marker and never checked become ``blocked``.

Scenario code never crashes on a target's answer: it reads the target's data only through
``s.field``, ``s.items`` and ``s.pick``, inside a step. A missing or malformed field blocks the
step (and the rest) with a reason naming what was missing and the answer it came from; verdict
``error`` stays reserved for graphcal's own bugs.

A request the target keeps throttling or dropping past the client's retry budget
(``TransientError``) makes its step ``transient`` and stops the scenario; the invariants it did
not reach are ``transient``, never failures. A check about an answer the client recovered (a
write whose own answer was lost, found by a read-back) is ``transient`` too: it could not be
observed; checks on the item read back are judged, and the scenario goes on with it.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from types import TracebackType
from collections.abc import Mapping
from typing import Any, Callable, NoReturn, TypeVar
from urllib.parse import quote, unquote

import httpx

from graphcal.cassettes import Scrubber, decode_anchor, encode_anchor, explain
from graphcal.client import GraphClient, GraphResponse, TransientError
from graphcal.errors import GraphcalError
from graphcal.invariants.registry import CATALOG, Outcome, load_catalog
from graphcal.personas import Cast, User
from graphcal.profiles import Profile
from graphcal.results import (
    CheckResult, DocDeviation, Exchange, ScenarioResult, StepResult, StepStatus, Verdict,
)
from graphcal.targets import Target
from graphcal.verdicts import verdict_of

T = TypeVar("T")
_PACKAGE_DIR = str(Path(__file__).parent)
# What an id cannot hold to be a path segment (/me/events/{id}): control characters, which httpx
# refuses, and the delimiters that would address another resource. Graph's ids are URL-safe base64.
_NOT_IN_A_PATH_SEGMENT = re.compile(r"[\x00-\x1f\x7f/?#]")


class ScenarioStopped(Exception):
    """The scenario cannot go on (a step was blocked or errored); the plugin ends it quietly."""


class Blocked(ScenarioStopped):
    """``step.require`` got nothing: this step and the rest of the scenario are blocked."""


class AnchorError(GraphcalError):
    """A replay asked for an anchor the recording never made."""


class Anchors:
    """Values a scenario generates when it talks to a real target and reads back on replay."""

    def __init__(self, recorded: dict[str, Any] | None, *, replay: bool, nodeid: str) -> None:
        self.values: dict[str, Any] = dict(recorded or {})
        self.replay = replay
        self.nodeid = nodeid

    def get(self, name: str, make: Callable[[], T]) -> T:
        if name not in self.values:
            if self.replay:
                raise AnchorError(f"the cassette provenance of {self.nodeid} has no anchor {name!r}: "
                                  "the scenario changed since it was recorded; re-record it with "
                                  "--target emulator --record-mode=rewrite")
            self.values[name] = encode_anchor(make())
        # Read back from the stored form on every run, so recording and replay see equal values.
        return decode_anchor(self.values[name])


class Step:
    """One documented step: its exchanges, checks, and status. Use it as a context manager."""

    def __init__(self, graph: "Graph", result: StepResult) -> None:
        self.graph = graph
        self.result = result

    # -- context manager --------------------------------------------------------------
    def __enter__(self) -> "Step":
        self.graph._current = self
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool:
        self.graph._current = None
        if exc is None:
            if any(c.verdict in (Verdict.FAIL, Verdict.ERROR) for c in self.result.checks):
                self.result.status = StepStatus.FAILED
            return False
        if isinstance(exc, Blocked):
            self.result.status = StepStatus.BLOCKED
            self.result.reason = str(exc)
            return False
        if isinstance(exc, TransientError):
            self.result.status = StepStatus.TRANSIENT
            self.result.reason = str(exc)
            raise ScenarioStopped(self.result.reason) from exc
        if isinstance(exc, Exception) and not isinstance(exc, ScenarioStopped):
            self.result.status = StepStatus.ERROR
            self.result.reason = describe_exception(exc, self.graph.scenario.nodeid)
            raise ScenarioStopped(self.result.reason) from exc
        return False  # pytest outcomes (skip, fail) pass through untouched

    # -- what a scenario calls ---------------------------------------------------------
    def response(self, r: GraphResponse, *, schema: str | None = None) -> GraphResponse:
        """Name ``r`` as this step's evidence; with ``schema``, check SCHEMA-1 on its body."""
        index = self._exchange_index(r)
        self.result.primary = index
        if schema is not None:
            if r.body is None:
                what = r.json_error or "an empty body"
                self._record("SCHEMA-1", Outcome.fail(f"expected a JSON {schema} payload, got {what}"), index)
            else:
                self.check("SCHEMA-1", r.body, schema)
        return r

    def check(self, invariant_id: str, *args: Any, **kwargs: Any) -> Outcome:
        """Run a catalog invariant on payloads; record its verdict with evidence. Never raises."""
        load_catalog()
        inv = CATALOG.get(invariant_id)
        evidence = self._evidence_for([*args, *kwargs.values()])
        if inv is None:
            outcome = Outcome.fail(f"unknown invariant id {invariant_id}; `graphcal invariants` lists them")
            self._record(invariant_id, outcome, evidence, error=True)
            return outcome
        lost = self.graph._recovered_among([*args, *kwargs.values()])
        if lost is not None:  # the answer this check is about was never seen: nothing to judge
            outcome = Outcome.fail(f"transient: not observed: {lost}")
            self._record(invariant_id, outcome, evidence, transient=True)
            return outcome
        try:
            outcome = inv(*args, **kwargs)
            if not isinstance(outcome, Outcome):
                raise TypeError(f"the check returned {type(outcome).__name__}, not an Outcome")
        except Exception as exc:  # a broken check is the harness's error, not the target's
            outcome = Outcome.fail(f"the check raised {describe_exception(exc, None)}")
            self._record(invariant_id, outcome, evidence, error=True)
            return outcome
        self._record(invariant_id, outcome, evidence)
        return outcome

    def require(self, value: T, what: str) -> T:
        """``value`` if truthy; else block this step and the rest of the scenario."""
        if value:
            return value
        last = self._last_exchange()
        context = f" (last exchange: {self.result.exchanges[last].summary()})" if last is not None else ""
        raise Blocked(f"could not get {what}{context}")

    def require_status(self, r: GraphResponse, *statuses: int, what: str) -> GraphResponse:
        """``r`` if it answered one of the documented ``statuses``; else block this step and the
        rest. For a write whose effect later checks read back: a write that was throttled (429),
        unavailable (503) or otherwise not done must block them, never pass or fail them. A
        ``recovered`` write (its answer was lost, a read-back or a repeated DELETE's 404 showed it
        happened) goes on: the effect is there, only its own answer's status is unknown (checks of
        that answer are transient)."""
        if r.status in statuses or r.recovered:
            return r
        wanted = " or ".join(str(code) for code in statuses)
        raise Blocked(f"could not get {what}: {r.summary()}, not the documented {wanted}")

    # -- reading the target's answers: a missing or malformed field blocks, never crashes --------
    def field(self, payload: Any, *path: str, what: str) -> Any:
        """``payload[path[0]][path[1]]...`` read from a target's answer, or block this step.

        A target may answer anything; ``payload["id"]`` on its answer would crash the scenario
        (verdict ``error``, which means a bug of graphcal's). Here a payload that is not a JSON
        object, a key missing or null, or an ``id`` that is not a non-empty string usable as a URL
        path segment blocks the
        steps that need the value, with a reason naming ``what`` (e.g. "the created event"),
        the missing path and the answer the payload came from.
        """
        if not path:
            raise TypeError("field() needs at least one key")
        value = payload
        for depth, key in enumerate(path):
            if not isinstance(value, Mapping):
                where = f"{what}{_dotted(path[:depth], ' at ')}"
                self._block(f"{where} is not a JSON object but {_kind(value)}, so it has no {_dotted(path)}",
                            payload)
            if value.get(key) is None:
                self._block(f"{what} has no {_dotted(path[:depth + 1])}", payload)
            value = value[key]
        if path[-1] == "id" and not (isinstance(value, str) and value
                                     and not _NOT_IN_A_PATH_SEGMENT.search(value)):
            self._block(f"{what} has no usable {_dotted(path)} (got {value!r})", payload)
        return self._inherit(value, payload)

    def items(self, page: Any, *, what: str) -> list[Mapping[str, Any]]:
        """The ``value`` list of a collection page, each item a JSON object, or block this step.

        Listed items are read further (their ids, their start); each keeps the page's answer
        as its origin, so a later ``field`` on one names the listing it came from.
        """
        listed = self.field(page, "value", what=what)
        if not isinstance(listed, list):
            self._block(f"{what} has a 'value' that is {_kind(listed)}, not a list", page)
        for index, item in enumerate(listed):
            if not isinstance(item, Mapping):
                self._block(f"{what} lists {_kind(item)} as item {index}, not a JSON object", page)
            self._inherit(item, page)
        return listed

    def pick(self, items: list[Any], match: Callable[[Any], Any], *, what: str) -> Any:
        """The first of the target's ``items`` that ``match`` accepts, or block this step.

        For "the instance on 2017-10-09": a target that lost it blocks the steps that act on
        it, with a reason, instead of a ``KeyError``. ``match`` may itself read with ``field``.
        """
        for item in items:
            if match(item):
                return self._inherit(item, items)
        self._block(f"found no {what} among the {len(items)} listed", items, last_exchange=False)

    def _block(self, reason: str, payload: Any, *, last_exchange: bool = True) -> NoReturn:
        """Raise Blocked with ``reason`` and the answer ``payload`` came from (else, with
        ``last_exchange``, the step's last exchange)."""
        origin = self.graph._origin_of(payload)
        if origin is None and last_exchange:
            last = self._last_exchange()
            origin = f"last exchange: {self.result.exchanges[last].summary()}" if last is not None else None
        elif origin is not None:
            origin = f"answer: {origin}"
        raise Blocked(f"{reason} ({origin})" if origin else reason)

    def _inherit(self, value: T, parent: Any) -> T:
        """``value``, read out of ``parent``, comes from the same answer."""
        origin = self.graph._origin_of(parent)
        if origin is not None and isinstance(value, (Mapping, list)):
            self.graph._origins.setdefault(id(value), (value, origin))
        return value

    def doc_deviation(self, golden: Any, message: str) -> None:
        """Report a defect of the documentation (never a target failure)."""
        name = getattr(golden, "name", None) or getattr(golden, "key", None) or str(golden)
        provenance = getattr(golden, "provenance", None)
        if hasattr(provenance, "to_json"):
            provenance = provenance.to_json()
        elif provenance is not None and not isinstance(provenance, (dict, str)):
            provenance = vars(provenance) if hasattr(provenance, "__dict__") else str(provenance)
        self.graph.scenario.doc_deviations.append(
            DocDeviation(str(name), provenance, message, self.result.index))

    def note(self, message: str) -> None:
        """Record what the target did where no page states what it must do: information for the
        report, never a verdict."""
        self.result.notes.append(self.graph.scrubber.text(message))

    def doc_deviations(self, golden: Any) -> None:
        """Report every defect a golden payload records of its documentation (``doc_defects``)."""
        for defect in golden.doc_defects:
            self.doc_deviation(golden, str(defect))

    # -- internals ---------------------------------------------------------------------
    def _record(self, invariant_id: str, outcome: Outcome, exchange: int | None,
                *, error: bool = False, transient: bool = False) -> None:
        inv = CATALOG.get(invariant_id)
        if error or inv is None:
            verdict, quirk = Verdict.ERROR, None
        elif transient:
            verdict, quirk = Verdict.TRANSIENT, None
        else:
            verdict, quirk = verdict_of(inv.severity, outcome)
        scrub = self.graph.scrubber.data
        self.result.checks.append(CheckResult(
            invariant_id, verdict, scrub(outcome.message), scrub(_jsonable(outcome.expected)),
            scrub(_jsonable(outcome.actual)), scrub(outcome.diff) if outcome.diff else None,
            exchange, quirk))

    def _evidence_for(self, args: list[Any]) -> int | None:
        """The exchange a check is about: a response among its arguments, else the one named
        with ``response()``, else the step's last."""
        for arg in args:
            if isinstance(arg, GraphResponse):
                return self._exchange_index(arg)
        return self.result.primary if self.result.primary is not None else self._last_exchange()

    def _last_exchange(self) -> int | None:
        return len(self.result.exchanges) - 1 if self.result.exchanges else None

    def _exchange_index(self, r: GraphResponse) -> int:
        seen = self.graph._seen.get(id(r))
        if seen is not None and seen[0] is r and seen[1] is self.result:
            return seen[2]
        self.graph._observe(r)  # a response from outside this step's persona clients
        return len(self.result.exchanges) - 1


class Graph:
    """The ``graph`` fixture: one scenario's view of the run's target."""

    def __init__(self, target: Target, scenario: ScenarioResult, cast: Cast, anchors: Anchors,
                 scrubber: Scrubber, profile: Profile) -> None:
        self.target = target
        self.profile = profile
        self.scenario = scenario
        self.cast = cast
        self.anchors = anchors
        self.scrubber = scrubber
        self._clients: dict[str, GraphClient] = {}
        self._current: Step | None = None
        # id(response) -> (response, step, exchange index): which evidence a response is
        self._seen: dict[int, tuple[GraphResponse, StepResult, int]] = {}
        # id(payload) -> (payload, "step n: METHOD url -> status"): which answer a body came from
        self._origins: dict[int, tuple[Any, str]] = {}
        # id(response or body) -> (it, why): answers standing for a write whose answer was lost
        self._recovered: dict[int, tuple[Any, str]] = {}
        # event id -> the role that created it and has not deleted it yet (cleanup_after_stop)
        self._created: dict[str, str] = {}

    @property
    def kind(self) -> str:
        """The target kind: emulator, replay, url or live."""
        return self.target.kind

    def persona(self, role: str) -> GraphClient:
        """A client acting as ``role`` (organizer, attendee, delegate, owner, alex, ...)."""
        if role not in self._clients:
            self.cast.user_key(role)  # unknown role: one clear error
            client = self.target.client(role, self.cast)
            client.observers.append(self._observe)
            client.observers.append(lambda r, role=role: self._track(role, r))
            self._clients[role] = client
        return self._clients[role]

    def persona_with_token(self, role: str, token: str | None, label: str) -> GraphClient:
        """A client for ``role``'s target that sends ``token`` instead of ``role``'s (None: no
        Authorization header), named ``<role>_<label>`` in evidence and cassettes (``label``:
        lowercase letters, digits and ``_``, as persona placeholders are); its exchanges are
        evidence like any persona's. For the authentication scenarios."""
        name = f"{role}_{label}"
        client = self.persona(role).with_token(token, persona=name)
        client.observers.append(self._observe)
        self._clients[name] = client  # closed with the others
        return client

    def expired_token(self, role: str) -> str | None:
        """A token for ``role`` that the target issued already expired, or None when it cannot
        (``Target.expired_token``); whether it could is anchored, so a replay knows too."""
        issued: list[str | None] = []

        def issue() -> bool:
            issued.append(self.target.expired_token(role, self.cast))
            return issued[0] is not None
        if not self.anchor(f"expired-token:{role}", issue):
            return None
        return issued[0] if issued else self.target.expired_token(role, self.cast)

    def user(self, role: str) -> User:
        """Who plays ``role``: id, userPrincipalName, displayName, mail, email_address()."""
        return self.cast.user(role)

    def step(self, title: str, *, source: str | None = None) -> Step:
        result = StepResult(len(self.scenario.steps) + 1, title, source)
        self.scenario.steps.append(result)
        return Step(self, result)

    def anchor(self, name: str, make: Callable[[], T]) -> T:
        """A value made on a recording or live run and read back from the cassette on replay."""
        return self.anchors.get(name, make)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def cleanup_after_stop(self) -> None:
        """After a transient stop, delete the events the scenario created and did not delete (its
        own last steps, which would have, did not run). A step of its own; its DELETEs are retried
        like any; a cleanup that still meets throttling is recorded transient, nothing more."""
        if not self._created or not any(s.status is StepStatus.TRANSIENT for s in self.scenario.steps):
            return
        try:
            with self.step("cleanup after the transient stop: delete what the scenario created",
                           source="api-reference/v1.0/api/event-delete.md") as s:
                for event_id, role in list(self._created.items()):
                    s.response(self.persona(role).delete(f"/me/events/{quote(event_id, safe='')}"))
        except ScenarioStopped:
            pass  # the step says transient: what is left is in its reason

    def _track(self, role: str, r: GraphResponse) -> None:
        """Which events the scenario created (a 201 to a POST .../events) and deleted since."""
        path = httpx.URL(r.request.url).path.rstrip("/")
        method = r.request.method
        if method == "POST" and path.endswith("/events") and r.status == 201 and isinstance(r.body, dict):
            if isinstance(r.body.get("id"), str):
                self._created[r.body["id"]] = role
        elif method == "DELETE" and (r.status in (204, 404) or r.recovered):
            self._created.pop(unquote(path.rsplit("/", 1)[-1]), None)

    def _observe(self, r: GraphResponse) -> None:
        step = self._current or (Step(self, self.scenario.steps[-1]) if self.scenario.steps else None)
        if step is None:
            return  # setup traffic before the first step is not evidence
        data = self.scrubber.data
        exchange = Exchange(
            persona=r.persona,
            request=data({"method": r.request.method, "url": r.request.url,
                          "headers": r.request.headers, "body": r.request.body}),
            status=r.status,
            headers=data({k: v for k, v in r.headers.items()
                          if k.lower() not in ("set-cookie", "date", "server")}),
            body=data(r.body), json_error=r.json_error,
            text=data(r.text[:4000]) if r.body is None and r.text else None,
            elapsed_ms=r.elapsed_s * 1000, attempts=list(r.attempts), recovered=r.recovered)
        step.result.exchanges.append(exchange)
        if r.recovered:
            # the answer (status, headers) was never seen; its body, when there is one, is the
            # item read back from the target, judged like any answer of the target
            self._recovered[id(r)] = (r, r.recovered)
        self._seen[id(r)] = (r, step.result, len(step.result.exchanges) - 1)
        if isinstance(r.body, (dict, list)):
            self._origins[id(r.body)] = (r.body, f"step {step.result.title.split(':')[0]}, {exchange.summary()}")

    def _recovered_among(self, values: list[Any]) -> str | None:
        """Why one of ``values`` (a response or its body) is not the target's own answer."""
        for value in values:
            entry = self._recovered.get(id(value))
            if entry is not None and entry[0] is value:
                return entry[1]
        return None

    def _origin_of(self, payload: Any) -> str | None:
        entry = self._origins.get(id(payload))
        return entry[1] if entry is not None and entry[0] is payload else None


def describe_exception(exc: BaseException, nodeid: str | None) -> str:
    """One line: what was raised and where in the scenario, or the cassette's explanation."""
    explained = explain(exc, nodeid)
    if explained:
        return explained
    if isinstance(exc, GraphcalError):
        return str(exc)
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if not f.filename.startswith(_PACKAGE_DIR) and "site-packages" not in f.filename]
    frame = (own or frames or [None])[-1]
    where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _dotted(path: tuple[str, ...], prefix: str = "") -> str:
    """('start', 'dateTime') -> "'start.dateTime'" ("" for no path)."""
    return f"{prefix}{'.'.join(path)!r}" if path else ""


def _kind(value: Any) -> str:
    """What a JSON value is, for a reason: "null", "a list", "the string 'x'"."""
    if value is None:
        return "null"
    if isinstance(value, (str, int, float, bool)):
        return f"the {type(value).__name__} {value!r}"
    return f"a {type(value).__name__}"


def _jsonable(value: Any) -> Any:
    """Evidence values as JSON data (tuples -> lists, objects -> their repr)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, GraphResponse):
        return {"status": value.status, "body": value.body}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return repr(value)
