"""The extension points other features build on: routes list, event hooks, store, access, reset."""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from graphcal.emulator import app as app_module
from graphcal.emulator.features.scheduling import mail
from graphcal.emulator.app import create_app
from graphcal.emulator.core.auth import mailbox
from graphcal.emulator.core.errors import GraphError
from graphcal.emulator.app import FAULTS
from graphcal.emulator.server import EmulatorServer

from tests.emulator.support import assert_graph_error, client, lunch


def test_create_app_returns_an_asgi_app_with_the_documented_state() -> None:
    app = create_app()
    assert callable(app)
    assert {"store", "faults", "event_hooks", "mailbox_access", "seed"} <= set(vars(app.state)["_state"])
    assert app.state.faults == frozenset()
    assert [f.key for f in app_module.FEATURES] == ["calendars", "events", "recurrence", "scheduling"]


def test_every_fault_has_a_one_line_description() -> None:
    assert FAULTS
    for name, declared in FAULTS.items():
        description = declared.fault.description
        assert name == name.strip() and "\n" not in description and description


async def _hello(request: Request) -> JSONResponse:
    owner = mailbox(request)  # the feature reuses auth + mailbox resolution
    if request.query_params.get("fail"):
        raise GraphError(409, "ErrorConflict", "feature said no")
    return JSONResponse({"owner": owner.userPrincipalName})


def test_extra_routes_are_served_with_auth_and_graph_errors() -> None:
    with EmulatorServer() as srv:
        pass
    srv.app = create_app(extra_routes=[Route("/v1.0/me/hello", _hello, methods=["GET"])])
    with srv, client(srv) as c:
        assert c.get("me/hello").json() == {"owner": "AlexW@contoso.com"}
        assert_graph_error(c.get("me/hello", params={"fail": "1"}), 409, "ErrorConflict")
        assert_graph_error(httpx.get(srv.base_url + "/me/hello"), 401, "InvalidAuthenticationToken")


def test_event_hooks_are_called_once_per_write_under_the_lock(server: EmulatorServer, alex: httpx.Client) -> None:
    calls: list[tuple] = []
    store = server.app.state.store
    hooks = server.app.state.event_hooks

    def on_create(request, store_, event, sent):  # noqa: ANN001
        assert store_ is store and store.lock._is_owned()  # type: ignore[attr-defined]
        calls.append(("create", event.id, sent.get("subject")))

    def on_update(request, store_, event, sent, before):  # noqa: ANN001
        calls.append(("update", event.id, before["subject"], event.fields["subject"]))

    def on_delete(request, store_, event):  # noqa: ANN001
        calls.append(("delete", event.id))

    hooks.on_create.append(on_create)
    hooks.on_update.append(on_update)
    hooks.on_delete.append(on_delete)
    try:
        ev = alex.post("me/events", json=lunch(transactionId="hook")).json()
        alex.post("me/events", json=lunch(transactionId="hook"))  # a retry creates nothing
        alex.patch(f"me/events/{ev['id']}", json={"subject": "New"})
        alex.delete(f"me/events/{ev['id']}")
    finally:
        hooks.on_create.remove(on_create)
        hooks.on_update.remove(on_update)
        hooks.on_delete.remove(on_delete)
    assert calls == [("create", ev["id"], "Lunch"), ("update", ev["id"], "Lunch", "New"),
                     ("delete", ev["id"])]


def test_a_failing_hook_is_a_500_graph_error_not_a_dropped_connection(
        server: EmulatorServer, alex: httpx.Client) -> None:
    def broken(request, store_, event, sent):  # noqa: ANN001
        raise RuntimeError("feature bug")
    server.app.state.event_hooks.on_create.append(broken)
    try:
        r = alex.post("me/events", json=lunch())
    finally:
        server.app.state.event_hooks.on_create.remove(broken)
    err = assert_graph_error(r, 500, "InternalServerError")
    assert "feature bug" in err["message"]


def test_mailbox_access_policy_can_be_replaced(server: EmulatorServer, alex: httpx.Client) -> None:
    default = server.app.state.mailbox_access
    server.app.state.mailbox_access = lambda principal, owner, request: True
    try:
        assert alex.get("users/AdeleV@contoso.com/calendar").status_code == 200
    finally:
        server.app.state.mailbox_access = default
    assert_graph_error(alex.get("users/AdeleV@contoso.com/calendar"), 403, "ErrorAccessDenied")


def test_store_api_reads_what_http_wrote(server: EmulatorServer, alex: httpx.Client) -> None:
    ev = alex.post("me/events", json=lunch(recurrence={
        "pattern": {"type": "daily", "interval": 1}, "range": {"type": "numbered", "startDate": "2017-04-15",
                                                            "numberOfOccurrences": 3}})).json()
    store = server.app.state.store
    alex_user = store.user("alexw@contoso.com")
    with store.lock:
        stored = store.event(alex_user.id, ev["id"])
        assert stored.fields["type"] == "seriesMaster"
        assert stored.fields["recurrence"]["range"]["numberOfOccurrences"] == 3
        assert stored.start_utc.isoformat() == "2017-04-15T19:00:00+00:00"
        assert stored.calendar_id == store.default_calendar(alex_user.id).id
        assert [e.id for e in store.events_of(alex_user.id)] == [ev["id"]]


def test_feature_state_is_a_store_extension_dropped_by_reset(server: EmulatorServer,
                                                            alex: httpx.Client) -> None:
    adele = {"emailAddress": {"address": "AdeleV@contoso.com"}, "type": "required"}
    assert alex.post("me/events", json=lunch(attendees=[adele])).status_code == 201
    store = server.app.state.store
    with store.lock:
        delivered = store.extensions[mail.STATE_KEY]
        assert delivered is mail.mailboxes(store)
        assert [m.kind for m in delivered.of(store.user("AdeleV@contoso.com").id)] == [mail.REQUEST]
    server.reset()
    assert mail.STATE_KEY not in server.app.state.store.extensions
    assert mail.mailboxes(server.app.state.store).of(store.user("AdeleV@contoso.com").id) == []


def test_reset_empties_mailboxes_and_keeps_tokens(server: EmulatorServer, alex: httpx.Client) -> None:
    alex.post("me/events", json=lunch())
    server.app.state.store.extensions["feature"] = {"x": 1}
    server.reset()
    assert alex.get("me/events").json()["value"] == []
    assert server.app.state.store.extensions == {}


def test_concurrent_creates_are_all_stored_once(server: EmulatorServer) -> None:
    clients = [client(server) for _ in range(8)]
    try:
        def create(i: int) -> str:
            r = clients[i % 8].post("me/events", json=lunch(subject=f"c{i}"))
            assert r.status_code == 201
            return r.json()["id"]
        with ThreadPoolExecutor(8) as pool:
            ids = list(pool.map(create, range(200)))
        assert len(set(ids)) == 200
        listed = clients[0].get("me/events", params={"$top": "1000"}).json()["value"]
        assert sorted(e["id"] for e in listed) == sorted(ids)
    finally:
        for c in clients:
            c.close()


def test_concurrent_retries_with_one_transaction_id_create_one_event(server: EmulatorServer) -> None:
    barrier = threading.Barrier(8)
    clients = [client(server) for _ in range(8)]
    try:
        def retry(i: int) -> str:
            barrier.wait()
            return clients[i].post("me/events", json=lunch(transactionId="race")).json()["id"]
        with ThreadPoolExecutor(8) as pool:
            ids = set(pool.map(retry, range(8)))
        assert len(ids) == 1
        assert len(clients[0].get("me/events").json()["value"]) == 1
    finally:
        for c in clients:
            c.close()


def test_concurrent_patches_each_get_a_distinct_change_key(server: EmulatorServer, alex: httpx.Client) -> None:
    ev = alex.post("me/events", json=lunch()).json()
    clients = [client(server) for _ in range(4)]
    try:
        def patch(i: int) -> str:
            return clients[i % 4].patch(f"me/events/{ev['id']}", json={"subject": f"p{i}"}).json()["changeKey"]
        with ThreadPoolExecutor(4) as pool:
            keys = list(pool.map(patch, range(40)))
        assert len(set(keys)) == 40
    finally:
        for c in clients:
            c.close()


def test_each_event_path_is_served_by_one_route() -> None:
    # features plug into the core's event routes (event_hooks); none shadows a path
    paths = [r.path for r in create_app().routes if isinstance(r, Route)]
    assert len(paths) == len(set(paths))
    assert "/v1.0/me/events/{event_id}" in paths


def _series(alex: httpx.Client) -> tuple[str, list[str]]:
    master = alex.post("me/events", json=lunch(recurrence={
        "pattern": {"type": "daily", "interval": 1},
        "range": {"type": "numbered", "startDate": "2017-04-15", "numberOfOccurrences": 3}})).json()
    listed = alex.get(f"me/events/{master['id']}/instances",
                      params={"startDateTime": "2017-04-01", "endDateTime": "2017-05-01"}).json()
    return master["id"], [o["id"] for o in listed["value"]]


def test_occurrences_resolve_through_the_core_item_route(server: EmulatorServer, alex: httpx.Client) -> None:
    master_id, occurrences = _series(alex)
    r = alex.get(f"users/AlexW@contoso.com/events/{occurrences[0]}", params={"$select": "subject,type"})
    # the same @odata.context as a stored event's: the path's user key and the $select
    assert r.json()["@odata.context"].endswith("users('AlexW%40contoso.com')/events(subject,type)/$entity")
    assert r.json()["type"] == "occurrence"
    assert alex.delete(f"me/events/{occurrences[1]}").status_code == 204
    assert_graph_error(alex.get(f"me/events/{occurrences[1]}"), 404, "ErrorItemNotFound")
    assert [e["id"] for e in alex.get("me/events").json()["value"]] == [master_id]  # masters only
    assert alex.delete(f"me/events/{master_id}").status_code == 204
    assert server.app.state.store.extension("graphcal.emulator.features.recurrence.routes", dict) == {}


def test_a_feature_plugs_virtual_events_into_the_core(server: EmulatorServer, alex: httpx.Client) -> None:
    real = alex.post("me/events", json=lunch()).json()
    store = server.app.state.store
    with store.lock:
        template = store.event(store.user("AlexW@contoso.com").id, real["id"])
    ghost_id = real["id"][:-4] + "Z" * 2 + real["id"][-2:]
    deleted: list[str] = []

    class Ghosts:
        def find(self, store, owner, event_id, faults):  # type: ignore[no-untyped-def]
            return dataclasses.replace(template, id=ghost_id) if event_id == ghost_id else None

        def update(self, store, owner, event, sent, faults):  # type: ignore[no-untyped-def]
            return dataclasses.replace(event, fields={**event.fields, "subject": sent["subject"]})

        def delete(self, store, owner, event):  # type: ignore[no-untyped-def]
            deleted.append(event.id)

        def listed(self, store, owner, shown, faults):  # type: ignore[no-untyped-def]
            return []
    server.app.state.event_hooks.virtual.insert(0, Ghosts())
    try:
        assert alex.get(f"me/events/{ghost_id}").json()["id"] == ghost_id
        assert alex.get(f"me/events/{real['id']}").json()["id"] == real["id"]  # stored first
        assert alex.patch(f"me/events/{ghost_id}", json={"subject": "boo"}).json()["subject"] == "boo"
        assert alex.delete(f"me/events/{ghost_id}").status_code == 204
        assert deleted == [ghost_id]
        assert [e["id"] for e in alex.get("me/events").json()["value"]] == [real["id"]]
    finally:
        server.app.state.event_hooks.virtual.pop(0)


def test_every_collection_echoes_the_paths_user_key(server: EmulatorServer, alex: httpx.Client) -> None:
    master_id, _ = _series(alex)
    window = {"startDateTime": "2017-04-01", "endDateTime": "2017-05-01"}
    for path, params in ((f"events/{master_id}/instances", window), ("calendarView", window),
                         ("messages", None), ("events", None)):
        r = alex.get(f"users/alexw@contoso.com/{path}", params=params)
        assert "$metadata#users('alexw%40contoso.com')/" in r.json()["@odata.context"], r.text
