"""GraphClient: a thin httpx client that speaks Graph as one persona.

It never raises on what the server answers: a non-JSON body, an HTML 404 or an error envelope
all come back as a ``GraphResponse`` the scenario can check. It raises only when the server
cannot be reached at all (``TargetError``), or when a request still meets throttling or a lost
connection after its retry budget (``TransientError``: the target was busy, not wrong).

Retries (the budget: ``max_retries``, default 5, each wait the ``Retry-After`` asked for, capped
at ``max_retry_wait_s``) answer a 429, a 503 or a connection lost before an answer, for a
request that is safe to repeat:

- GET, HEAD, OPTIONS, PUT, PATCH, DELETE: idempotent in effect, repeated as they are. A
  repeated DELETE answered 404 means the first one deleted it: the answer is marked
  ``recovered`` (the effect happened; its own answer was never seen).
- a POST whose JSON body carries a ``transactionId``: Graph creates the event once per
  transactionId, so the create is repeated as it is.
- any request after a 429: Graph refused it unprocessed and asks for the same request again
  after ``Retry-After`` (``concepts/throttling.md``).
- any other POST (after a 503 or a lost connection) only with ``effect=probe``
  (``graphcal.probes``): before repeating it the client asks ``probe()``
  whether the write already happened; a created item (a dict) or ``True`` (an action's effect
  seen) ends the request with a ``recovered`` answer built from it, ``None``/``False`` repeats it.
  Without a probe such a POST is never repeated blindly.

A ``recovered`` answer is not the target's own answer to the write: checks about that answer
(its status, its headers) are verdict ``transient`` (``graphcal.scenario``); its body, when it
holds the item read back from the target, is the target's data and is judged. Time (sleeps,
deadlines) goes through a ``Clock`` so a replay runs polling and back-off on virtual time.
"""

from __future__ import annotations

import email.utils
import functools
import json
import re
import ssl
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, TypeVar

import certifi
import httpx

from graphcal.errors import GraphcalError, TargetError

T = TypeVar("T")

# Which persona sends the request in flight: the cassette filter reads it to write
# ``Bearer persona:<role>`` instead of the token, even when two roles share one user.
CURRENT_PERSONA: ContextVar[str | None] = ContextVar("graphcal_current_persona", default=None)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
RETRY_STATUSES = frozenset({429, 503})
# Retries after the first attempt. Graph's guidance on 429 is to honour Retry-After and retry
# until it succeeds; five bounds a step at about five Retry-After waits while a request that is
# refused one time in five still completes all but once in 15,000 (0.2 ** 6).
DEFAULT_MAX_RETRIES = 5
DEFAULT_MAX_RETRY_WAIT_S = 60.0  # the longest Retry-After honoured
# Connection failures after which the request may or may not have reached the target.
LOST_CONNECTION = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.ReadTimeout,
                   httpx.ConnectError, httpx.CloseError)
# The answer a recovered write stands for: a created item, or an action whose effect was seen.
RECOVERED_CREATE, RECOVERED_ACTION = 201, 202
# Not evidence: the secret, and transport details that differ between record and replay.
UNSHOWN_HEADERS = frozenset({"authorization", "host", "accept-encoding", "connection", "user-agent",
                             "content-length"})


# --- time -------------------------------------------------------------------------------

class Clock:
    """Wall-clock time: what live, emulator and url runs use."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


class VirtualClock(Clock):
    """Replay time: sleeping advances the clock instantly, so back-off costs nothing.

    Requests take no time on replay, so a poll that timed out while recording would poll more
    often than the recording did; ``exhausted`` names the exceptions that say "no more recorded
    answers": ``eventually`` then ends as the recording did, with the last value.
    """

    def __init__(self, exhausted: tuple[type[BaseException], ...] = ()) -> None:
        self.now = 0.0
        self.exhausted = exhausted

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


_CLOCK: ContextVar[Clock] = ContextVar("graphcal_clock", default=Clock())


def current_clock() -> Clock:
    return _CLOCK.get()


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    token = _CLOCK.set(clock)
    try:
        yield clock
    finally:
        _CLOCK.reset(token)


def eventually(probe: Callable[[], T], *, deadline_s: float, initial_delay_s: float = 0.5,
               max_delay_s: float = 8.0, factor: float = 2.0) -> T:
    """Call ``probe`` until it returns something truthy or ``deadline_s`` has passed.

    Graph delivers meeting messages and responses eventually, with no documented delay, so a
    scenario polls with exponential back-off instead of sleeping a fixed time. Returns the
    first truthy value, or the last (falsy) value when the deadline passes, so the caller can
    hand it to ``step.require`` and block the scenario with a readable reason.
    """
    if deadline_s < 0 or initial_delay_s < 0 or max_delay_s < 0 or factor < 1:
        raise ValueError("eventually() needs non-negative delays and factor >= 1")
    clock = current_clock()
    exhausted = getattr(clock, "exhausted", ())
    end = clock.monotonic() + deadline_s
    delay = initial_delay_s
    attempts = 0
    value: T
    while True:
        try:
            value = probe()
        except exhausted:
            if not attempts:
                raise
            return value  # the recording ran out here: it timed out after these polls
        attempts += 1
        remaining = end - clock.monotonic()
        if value or remaining <= 0:
            return value
        clock.sleep(min(delay, remaining))
        delay = min(max_delay_s, delay * factor) if delay else min(max_delay_s, 0.1)


# --- Prefer headers -----------------------------------------------------------------------

def prefer_timezone(name: str) -> dict[str, str]:
    """``Prefer: outlook.timezone="<name>"``: start/end come back in that zone."""
    return {"Prefer": f'outlook.timezone="{name}"'}


def prefer_body_type(kind: str) -> dict[str, str]:
    """``Prefer: outlook.body-content-type="text|html"``."""
    if kind not in ("text", "html"):
        raise ValueError(f"body content type must be 'text' or 'html', not {kind!r}")
    return {"Prefer": f'outlook.body-content-type="{kind}"'}


def prefer_immutable_id() -> dict[str, str]:
    """``Prefer: IdType="ImmutableId"``: ids that survive moves."""
    return {"Prefer": 'IdType="ImmutableId"'}


def prefer_max_page_size(size: int) -> dict[str, str]:
    """``Prefer: odata.maxpagesize=<n>``."""
    return {"Prefer": f"odata.maxpagesize={int(size)}"}


def prefer(*headers: Mapping[str, str]) -> dict[str, str]:
    """Merge several header dicts, joining their ``Prefer`` values (Graph takes a list)."""
    merged: dict[str, str] = {}
    prefs: list[str] = []
    for h in headers:
        for key, value in h.items():
            if key.lower() == "prefer":
                prefs.append(value)
            else:
                merged[key] = value
    if prefs:
        merged["Prefer"] = ", ".join(prefs)
    return merged


class TransientError(GraphcalError):
    """A request the target kept refusing with 429/503 or lost connections within the retry
    budget (or a write that could not be repeated safely): the step cannot complete, and that
    says the target was busy, not that it broke a documented claim."""

    def __init__(self, method: str, url: str, attempts: list[str], why: str = "") -> None:
        self.method, self.url, self.attempts = method, url, list(attempts)
        path = httpx.URL(url).raw_path.decode("ascii", "replace")
        seen = _counted(attempts)
        if all(a.isdigit() for a in attempts):
            seen = f"the target answered {seen}"
        super().__init__(f"transient: {method} {path}: {seen}" + (f" ({why})" if why else ""))


def _counted(attempts: list[str]) -> str:
    """["503", "503", "503"] -> "503 three times"; mixed answers listed in order."""
    words = {1: "once", 2: "twice", 3: "three times", 4: "four times"}
    if len(set(attempts)) == 1:
        return f"{attempts[0]} {words.get(len(attempts), f'{len(attempts)} times')}"
    return ", then ".join(attempts)


# --- requests and responses ---------------------------------------------------------------

@dataclass(frozen=True)
class SentRequest:
    """What was sent, without the Authorization header (evidence must hold no secret)."""

    method: str
    url: str
    headers: dict[str, str]
    body: Any = None  # the JSON body sent, if any

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "url": self.url, "headers": self.headers, "body": self.body}


@dataclass
class GraphResponse:
    status: int
    headers: httpx.Headers
    text: str
    body: Any  # parsed JSON, or None when the answer was empty or not JSON
    json_error: str | None  # why ``body`` is None when there was content
    request: SentRequest
    persona: str
    elapsed_s: float = 0.0
    retries: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    # what the retries met (["503", "connection lost (RemoteProtocolError)"]), in order
    attempts: list[str] = field(default_factory=list)
    # set when this answer stands for a write whose own answer was lost: why, and what showed
    # that the write happened; checks about it cannot be judged (verdict transient)
    recovered: str | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def error(self) -> dict[str, Any] | None:
        """The Graph error envelope's ``error`` object, when the body is one."""
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return self.body["error"]
        return None

    def summary(self) -> str:
        """One readable line: ``POST /v1.0/me/events -> 201`` plus what went wrong, if anything."""
        path = httpx.URL(self.request.url).raw_path.decode("ascii", "replace")
        line = f"{self.request.method} {path} -> {self.status}"
        if self.error:
            line += f" {self.error.get('code', '')}: {self.error.get('message', '')}".rstrip(": ")
        elif self.json_error:
            line += f" ({self.json_error})"
        return line

    def __repr__(self) -> str:
        return f"<GraphResponse {self.summary()} as {self.persona}>"


_HIDDEN = re.compile(r"<(head|script|style)\b.*?</\1\s*>", re.S | re.I)
_MARKUP = re.compile(r"<[^>]*>")


def parse_body(content: bytes, content_type: str | None) -> tuple[Any, str | None, str]:
    """Decode a response body: (parsed JSON or None, why not JSON, text)."""
    text = content.decode("utf-8", errors="replace")
    if not content.strip():
        return None, None, text
    try:
        return json.loads(text), None, text
    except ValueError:
        kind = content_type or "no Content-Type"
        shown = text
        if "html" in kind.lower() or text.lstrip().startswith("<"):
            # an HTML error page: its words say what happened, its markup says nothing
            shown = _MARKUP.sub(" ", _HIDDEN.sub(" ", text))
        snippet = " ".join(shown.split())[:120]
        return None, f"not JSON: {kind}, {len(content)} bytes: {snippet!r}", text


def retry_after_seconds(value: str | None, *, default: float) -> float:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return default
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, when.timestamp() - time.time())


ResponseObserver = Callable[[GraphResponse], None]


@functools.lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    """One TLS context per process: building one (loading CA certificates) costs ~25 ms, and a
    scenario makes a client per persona."""
    return ssl.create_default_context(cafile=certifi.where())


class GraphClient:
    """Graph requests as one persona against one base URL (``.../v1.0``)."""

    def __init__(self, base_url: str, token: str | None, *, persona: str,
                 transport: httpx.BaseTransport | None = None, timeout_s: float = 30.0,
                 max_retries: int = DEFAULT_MAX_RETRIES,
                 max_retry_wait_s: float = DEFAULT_MAX_RETRY_WAIT_S) -> None:
        self.base_url = base_url.rstrip("/")
        self.persona = persona
        self.max_retries = max_retries
        self.max_retry_wait_s = max_retry_wait_s
        self.observers: list[ResponseObserver] = []
        self._answered = False  # a connection refused before any answer is a wrong --target
        self._token = token
        self._transport = transport
        self._http = httpx.Client(transport=transport, timeout=timeout_s, verify=_ssl_context(),
                                  headers={"Accept": "application/json"})

    def with_token(self, token: str | None, *, persona: str) -> "GraphClient":
        """A client on the same target that sends ``token`` instead (None: no Authorization
        header at all), named ``persona`` in evidence and cassettes: how a scenario asks what
        the target does with a missing, malformed or expired token."""
        return GraphClient(self.base_url, token, persona=persona, transport=self._transport,
                           max_retries=self.max_retries, max_retry_wait_s=self.max_retry_wait_s)

    def __repr__(self) -> str:  # never show the token
        return f"<GraphClient {self.persona} at {self.base_url}>"

    def close(self) -> None:
        self._http.close()

    def url(self, path: str) -> str:
        """Absolute URL for a Graph path (``/me/events``) or an absolute link (nextLink)."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def get(self, path: str, *, params: Mapping[str, Any] | None = None,
            headers: Mapping[str, str] | None = None) -> GraphResponse:
        return self.request("GET", path, params=params, headers=headers)

    def post(self, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None,
             headers: Mapping[str, str] | None = None,
             effect: Callable[[], Any] | None = None) -> GraphResponse:
        """``effect``: the probe that tells whether this POST already happened (module doc)."""
        return self.request("POST", path, params=params, json=json, headers=headers, effect=effect)

    def patch(self, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None,
              headers: Mapping[str, str] | None = None) -> GraphResponse:
        return self.request("PATCH", path, params=params, json=json, headers=headers)

    def put(self, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None,
            headers: Mapping[str, str] | None = None) -> GraphResponse:
        return self.request("PUT", path, params=params, json=json, headers=headers)

    def delete(self, path: str, *, params: Mapping[str, Any] | None = None,
               headers: Mapping[str, str] | None = None) -> GraphResponse:
        return self.request("DELETE", path, params=params, headers=headers)

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                json: Any = None, headers: Mapping[str, str] | None = None,
                effect: Callable[[], Any] | None = None) -> GraphResponse:
        method = method.upper()
        url = self.url(path)
        send_headers = dict(headers or {})
        clock = current_clock()
        repeatable = (method in IDEMPOTENT_METHODS or effect is not None
                      or (isinstance(json, Mapping) and bool(json.get("transactionId"))))
        attempts: list[str] = []
        maybe_done = False  # an earlier attempt may have been processed (503, lost connection)
        while True:
            response, failure = self._attempt(method, url, params, json, send_headers, clock)
            if failure is None:
                break
            attempts.append(failure)
            # A 429 is a refusal (concepts/throttling.md: wait Retry-After and send the request
            # again), so any request may be repeated after one; a 503 or a lost connection may
            # hide a processed write.
            if not repeatable and not failure.startswith("429"):
                raise TransientError(method, url, attempts, "a write that is not safe to repeat")
            if len(attempts) > self.max_retries:
                raise TransientError(method, url, attempts)
            maybe_done = maybe_done or not failure.startswith("429")
            wait = retry_after_seconds(response.headers.get("Retry-After") if response else None,
                                       default=2.0 ** (len(attempts) - 1))
            clock.sleep(min(wait, self.max_retry_wait_s))
            if effect is not None and maybe_done:
                found = effect()
                if found:
                    response = self._recovered(method, url, json, send_headers, found, attempts)
                    break
        response.retries = len(attempts)
        response.attempts = attempts
        if maybe_done and response.recovered is None:
            response.recovered = self._already_done(method, json, response, attempts)
        for observe in self.observers:
            observe(response)
        return response

    def _attempt(self, method: str, url: str, params: Mapping[str, Any] | None, body: Any,
                 headers: dict[str, str], clock: Clock) -> tuple[GraphResponse | None, str | None]:
        """One try: (its answer, None), or (the answer if any, what made it worth a retry)."""
        try:
            response = self._send_once(method, url, params, body, headers, clock)
        except LOST_CONNECTION as exc:
            if isinstance(exc, httpx.ConnectError) and not self._answered:
                raise self._unreachable(url, exc) from exc
            return None, f"connection lost ({type(exc).__name__})"
        self._answered = True
        if response.status in RETRY_STATUSES:
            return response, str(response.status)
        return response, None

    def _recovered(self, method: str, url: str, body: Any, headers: dict[str, str], found: Any,
                   attempts: list[str]) -> GraphResponse:
        """The answer a write stands for once its probe found the effect: the item found
        (as created) or, for an action, no content (as accepted)."""
        item = found if isinstance(found, (dict, list)) else None
        shown = {k: v for k, v in headers.items() if k.lower() not in UNSHOWN_HEADERS}
        return GraphResponse(
            status=RECOVERED_CREATE if item is not None else RECOVERED_ACTION,
            headers=httpx.Headers({"content-type": "application/json"} if item is not None else {}),
            text="", body=item, json_error=None, request=SentRequest(method, url, shown, body),
            persona=self.persona,
            recovered=f"the answer to {method} was lost ({_counted(attempts)}); a read-back "
                      "found the write had happened")

    @staticmethod
    def _already_done(method: str, body: Any, response: GraphResponse, attempts: list[str]) -> str | None:
        """Why a repeated write's answer does not say what the write did, if it does not."""
        lost = _counted(attempts)
        if method == "DELETE" and response.status == 404:
            return f"the DELETE was repeated after {lost}; its 404 means the first attempt deleted it"
        if method == "POST" and isinstance(body, Mapping) and body.get("transactionId"):
            return (f"the create was repeated with its transactionId after {lost}: the answer is "
                    "to the repeat, not to the create")
        return None

    @staticmethod
    def _unreachable(url: str, exc: Exception) -> TargetError:
        return TargetError(f"cannot reach {url} ({type(exc).__name__}: {exc}); "
                           "is the target server running and is --target right?")

    def pages(self, path: str, *, params: Mapping[str, Any] | None = None,
              headers: Mapping[str, str] | None = None, max_pages: int = 1000) -> Iterator[GraphResponse]:
        """Yield each page of a collection, following ``@odata.nextLink``.

        Stops after a page without a nextLink, a page that is not a successful JSON object
        (yielded, so the caller sees it), ``max_pages`` (a guard against endless paging,
        a reported service fault), or a nextLink that is not a URL under the target's base URL:
        the persona's token is never sent elsewhere, and the page (with its link) is evidence.
        """
        response = self.get(path, params=params, headers=headers)
        for _ in range(max_pages):
            yield response
            next_link = response.body.get("@odata.nextLink") if (
                response.ok and isinstance(response.body, dict)) else None
            if not isinstance(next_link, str) or not next_link.startswith(self.base_url + "/") \
                    or any(c < " " or c == "\x7f" for c in next_link):
                return
            response = self.get(next_link, headers=headers)

    def _send_once(self, method: str, url: str, params: Mapping[str, Any] | None, body: Any,
                   headers: dict[str, str], clock: Clock) -> GraphResponse:
        request = self._http.build_request(method, url, params=params, json=body, headers=headers)
        if self._token is not None:
            request.headers["Authorization"] = f"Bearer {self._token}"
        shown_headers = {k: v for k, v in request.headers.items() if k.lower() not in UNSHOWN_HEADERS}
        sent = SentRequest(method, str(request.url), shown_headers, body)
        started = clock.monotonic()
        persona_token = CURRENT_PERSONA.set(self.persona)
        try:
            raw = self._http.send(request)
            content = raw.read()
        except LOST_CONNECTION:
            raise  # request() decides: a wrong --target, or a connection lost mid-run
        except httpx.TransportError as exc:
            raise self._unreachable(sent.url, exc) from exc
        finally:
            CURRENT_PERSONA.reset(persona_token)
        parsed, json_error, text = parse_body(content, raw.headers.get("content-type"))
        return GraphResponse(status=raw.status_code, headers=raw.headers, text=text, body=parsed,
                             json_error=json_error, request=sent, persona=self.persona,
                             elapsed_s=clock.monotonic() - started)

