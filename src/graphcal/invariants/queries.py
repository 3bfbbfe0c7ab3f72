"""Query options on the mailbox's collections: ``$select``, ``$top``, ``$filter``, ``$orderby``,
``$count`` and paging by ``@odata.nextLink`` (EVT-QRY-*).

Feature key ``events``: the OData options of ``/me/events``, ``/me/calendarView``,
``/me/events/{id}/instances`` and ``/me/messages`` are answers of the mailbox's collections,
which the feature-layout rules give to the events feature (the emulator's one OData parser is the
core's, its query-option faults are declared by ``features/events``).

Which page documents which option for which collection is :data:`DOCUMENTED`; a scenario checks
an invariant only where a page documents the option for that collection, and records what the
target did with an undocumented one as information (``Step.note``), never as a verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from graphcal import timezones
from graphcal.invariants.common import obj
from graphcal.invariants.registry import MUST, Outcome, invariant

FEATURE = "events"
API = "api-reference/v1.0/api"
QUERY = "concepts/query-parameters.md"

# option -> collection -> the page that documents the option for it (None: no page does).
# Collections: events (/me/events), calendarView (/me/calendarView), instances
# (/me/events/{id}/instances), messages (/me/messages). The list pages of events, instances and
# messages say the method "supports the OData Query Parameters"; calendarView's says "some of"
# them and names $select (createdDateTime and lastModifiedDateTime cannot be selected) and, on
# calendar-list-calendarview.md, $top; Prefer: odata.maxpagesize is documented only for delta.
DOCUMENTED: dict[str, dict[str, str | None]] = {
    "$select": {"events": f"{API}/user-list-events.md#example",
                "calendarView": f"{API}/user-list-calendarview.md#query-parameters",
                "instances": f"{API}/event-list-instances.md#example",
                "messages": f"{API}/user-list-messages.md#example-1-list-all-messages"},
    "$top": {"events": f"{API}/user-list-events.md#optional-query-parameters",
             "calendarView": f"{API}/calendar-list-calendarview.md#query-parameters",
             "instances": f"{API}/event-list-instances.md#query-parameters",
             "messages": f"{API}/user-list-messages.md#list-messages"},
    "paging": {"events": f"{QUERY}#skip-parameter", "calendarView": f"{QUERY}#skip-parameter",
               "instances": f"{QUERY}#skip-parameter", "messages": f"{API}/user-list-messages.md#list-messages"},
    "nextLink keeps the query": {"events": None, "calendarView": None, "instances": None,
                                 "messages": f"{API}/user-list-messages.md#list-messages"},
    "$orderby": {"events": f"{QUERY}#skip-parameter", "calendarView": None,
                 "instances": f"{API}/event-list-instances.md#query-parameters",
                 "messages": f"{QUERY}#orderby-parameter"},
    "$filter": {"events": f"{API}/calendar-list-events.md#example-2-get-events-by-filtering-on-the-subject-property",
                "calendarView": None,
                "instances": f"{API}/event-list-instances.md#query-parameters",
                "messages": f"{API}/user-list-messages.md#using-filter-and-orderby-in-the-same-query"},
    "$count": {"events": f"{API}/user-list-events.md#optional-query-parameters", "calendarView": None,
               "instances": f"{API}/event-list-instances.md#query-parameters",
               "messages": f"{QUERY}#count-parameter"},
    "Prefer: odata.maxpagesize": {"events": None, "calendarView": None, "instances": None,
                                  "messages": None},
}


def documented(option: str, collection: str) -> str | None:
    """The page that documents ``option`` for ``collection``, or None."""
    return DOCUMENTED[option][collection]


def _matrix(option: str) -> str:
    return "; ".join(f"{c}: {page or 'not documented (information only)'}"
                     for c, page in DOCUMENTED[option].items())


def _annotation(key: str) -> bool:
    """``@odata.etag``, ``@odata.type`` (a derived type's items carry it), ``x@odata.y``."""
    return "@" in key


def _ids(items: Iterable[Any]) -> list[Any]:
    return [obj(item).get("id") for item in items]


def page_items(pages: Iterable[Any]) -> list[Any]:
    """Every item of every page, in order (a page that is not a collection adds none)."""
    out: list[Any] = []
    for page in pages:
        value = obj(page).get("value")
        out.extend(value if isinstance(value, list) else [])
    return out


@invariant("EVT-QRY-SELECT-1", "$select returns the selected properties plus id and @odata.etag",
           source=f"{QUERY}#select-parameter", feature=FEATURE, severity=MUST,
           explanation="$select filters the properties (columns) of each item; the documented "
                       "responses carry exactly the selected properties plus id and @odata.etag "
                       "(a selected property that has no value is there as null). Checked on every "
                       "page of the answer, so a later page that forgot the $select fails too. "
                       "Annotations (@odata.type of a derived type) are allowed. Per collection: "
                       + _matrix("$select") + ". calendarView cannot select createdDateTime "
                       "or lastModifiedDateTime (user-list-calendarview.md): no scenario selects them.")
def select_returns_selected(items: Any, selected: Iterable[str]) -> Outcome:
    wanted = set(selected) | {"id"}
    problems = []
    for n, item in enumerate(items if isinstance(items, list) else []):
        item = obj(item)
        keys = {k for k in item if not _annotation(k)}
        extra, missing = sorted(keys - wanted), sorted(wanted - keys)
        if "@odata.etag" not in item:
            missing.append("@odata.etag")
        if extra or missing:
            problems.append(f"item {n} ({item.get('id')!r}): "
                            + "; ".join(filter(None, [extra and f"not selected: {', '.join(extra)}",
                                                      missing and f"missing: {', '.join(missing)}"])))
    if not isinstance(items, list) or not items:
        return Outcome.fail("no items to look at: the answer listed nothing", actual=items)
    if problems:
        return Outcome.fail(f"{len(problems)} of {len(items)} items: " + " | ".join(problems[:3]),
                            expected=sorted(wanted | {"@odata.etag"}), actual=sorted(obj(items[0])))
    return Outcome.ok()


@invariant("EVT-QRY-TOP-1", "$top sizes the pages",
           source=f"{QUERY}#top-parameter", feature=FEATURE, severity=MUST,
           explanation="$top sets the page size: the first page holds $top items when at least "
                       "that many match (all of them when fewer do), and no page holds more. Per "
                       "collection: " + _matrix("$top") + ".")
def top_sizes_pages(pages: Any, top: int, matching: int) -> Outcome:
    sizes = [len(obj(page).get("value") or []) for page in (pages if isinstance(pages, list) else [])]
    if not sizes:
        return Outcome.fail("no page came back", actual=pages)
    over = [(n, size) for n, size in enumerate(sizes) if size > top]
    if over:
        return Outcome.fail(f"$top={top}, but page {over[0][0] + 1} holds {over[0][1]} items",
                            expected=f"at most {top} per page", actual=sizes)
    if sizes[0] != min(top, matching):
        return Outcome.fail(f"$top={top} with {matching} matching items, but the first page holds "
                            f"{sizes[0]}", expected=min(top, matching), actual=sizes)
    return Outcome.ok()


@invariant("EVT-QRY-PAGE-1", "Following @odata.nextLink reaches every item exactly once",
           source=f"{QUERY}#skip-parameter", feature=FEATURE, severity=MUST,
           explanation="Outlook's message, event and calendar collections page by an "
                       "@odata.nextLink (with $skip) that returns the next page of results: "
                       "following it from the first page to the last gives every item of the "
                       "result once, none twice. The items the scenario created and knows to "
                       "match must each appear exactly once; no item may appear twice. Per "
                       "collection: " + _matrix("paging") + ".")
def paging_reaches_every_item_once(pages: Any, expected_ids: Iterable[str]) -> Outcome:
    ids = _ids(page_items(pages if isinstance(pages, list) else []))
    twice = sorted({i for i in ids if ids.count(i) > 1}, key=str)
    missing = [i for i in expected_ids if i not in ids]
    problems = []
    if twice:
        problems.append(f"{len(twice)} item(s) listed more than once: {twice[:3]}")
    if missing:
        problems.append(f"{len(missing)} matching item(s) never listed: {missing[:3]}")
    if problems:
        return Outcome.fail(f"over {len(pages)} page(s): " + "; ".join(problems),
                            expected=list(expected_ids), actual=ids)
    return Outcome.ok()


# the options a nextLink must carry over, compared case-insensitively by name
CARRIED = ("$select", "$filter", "$orderby", "$top", "$count")


def _query(url: str) -> dict[str, list[str]]:
    return {k.lower(): v for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


@invariant("EVT-QRY-PAGE-2", "@odata.nextLink keeps the request's query options",
           source=f"{API}/user-list-messages.md#list-messages", feature=FEATURE, severity=MUST,
           explanation="The next page is the entire nextLink URL, which includes any query "
                       "parameters of the initial request: its $select, $filter, $orderby, $top "
                       "and $count are the request's. Per collection: "
                       + _matrix("nextLink keeps the query") + " (for the event collections the "
                       "later pages' items are held to $select, $filter and $orderby instead).")
def next_link_keeps_query(params: Mapping[str, str], pages: Any) -> Outcome:
    sent = {k.lower(): str(v) for k, v in params.items() if k.lower() in CARRIED}
    links = [obj(page).get("@odata.nextLink") for page in (pages if isinstance(pages, list) else [])]
    links = [link for link in links if link]
    if not links:
        return Outcome.fail("no @odata.nextLink to look at", actual=pages)
    for n, link in enumerate(links):
        if not isinstance(link, str):
            return Outcome.fail(f"nextLink {n + 1} is not a URL", actual=link)
        carried = _query(link)
        lost = {k: v for k, v in sent.items() if carried.get(k) != [v]}
        if lost:
            return Outcome.fail(f"nextLink {n + 1} does not carry {', '.join(sorted(lost))} as sent",
                                expected=sent, actual={k: carried.get(k) for k in sent})
    return Outcome.ok()


def _value(item: Any, path: str) -> Any:
    value: Any = item
    for part in path.split("/"):
        value = obj(value).get(part)
    return value


def _sort_key(path: str, value: Any) -> Any:
    if path.endswith("dateTime") and isinstance(value, str):
        return timezones.parse_local(value)
    return value.casefold() if isinstance(value, str) else value


@invariant("EVT-QRY-ORDER-1", "$orderby orders the items, ascending or desc",
           source=f"{QUERY}#orderby-parameter", feature=FEATURE, severity=MUST,
           explanation="$orderby=<property> sorts ascending (the default, or asc) and "
                       "<property> desc sorts descending; the order runs across pages. dateTime "
                       "values compare as times, strings case-insensitively. Per collection: "
                       + _matrix("$orderby") + ".")
def ordered_by(items: Any, path: str, descending: bool) -> Outcome:
    values = [_value(item, path) for item in (items if isinstance(items, list) else [])]
    if len(values) < 2 or any(v is None for v in values):
        return Outcome.fail(f"cannot see an order: {len(values)} item(s), "
                            f"{sum(v is None for v in values)} without {path}", actual=values)
    try:
        keys = [_sort_key(path, v) for v in values]
        wrong = [n for n in range(1, len(keys)) if (keys[n] > keys[n - 1] if descending
                                                     else keys[n] < keys[n - 1])]
    except (TypeError, ValueError) as exc:
        return Outcome.fail(f"{path} values do not compare: {exc}", actual=values)
    if wrong:
        n = wrong[0]
        return Outcome.fail(f"{path} {'desc' if descending else 'asc'}: item {n} ({values[n]!r}) "
                            f"comes after {values[n - 1]!r}",
                            expected=sorted(values, key=lambda v: _sort_key(path, v), reverse=descending),
                            actual=values)
    return Outcome.ok()


@invariant("EVT-QRY-FILTER-1", "$filter leaves out the items that do not match",
           source=f"{QUERY}#filter-parameter", feature=FEATURE, severity=MUST,
           explanation="$filter retrieves just the subset of the collection that matches: an item "
                       "the scenario created not to match never comes back, on any page (that "
                       "every matching item comes back is EVT-QRY-PAGE-1). Per collection: "
                       + _matrix("$filter") + ".")
def filter_leaves_out(pages: Any, excluded_ids: Iterable[str]) -> Outcome:
    ids = _ids(page_items(pages if isinstance(pages, list) else []))
    leaked = [i for i in excluded_ids if i in ids]
    if not isinstance(pages, list) or not pages:
        return Outcome.fail("no page came back", actual=pages)
    if leaked:
        return Outcome.fail(f"{len(leaked)} item(s) that do not match the filter came back: {leaked[:3]}",
                            expected="none of them", actual=ids)
    return Outcome.ok()


@invariant("EVT-QRY-COUNT-1", "$count=true gives @odata.count, the number of matching items",
           source=f"{QUERY}#count-parameter", feature=FEATURE, severity=MUST,
           explanation="$count=true includes the total number of items of the collection (that "
                       "match the filter) in @odata.count beside the page. Per collection: "
                       + _matrix("$count") + ".")
def count_is_total(page: Any, matching: int) -> Outcome:
    count = obj(page).get("@odata.count")
    if not isinstance(count, int) or isinstance(count, bool):
        return Outcome.fail(f"@odata.count is {count!r}, not an integer", expected=matching, actual=count)
    if count != matching:
        return Outcome.fail(f"@odata.count is {count}, but {matching} items match",
                            expected=matching, actual=count)
    return Outcome.ok()
