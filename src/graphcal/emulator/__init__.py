"""The reference emulator of Microsoft Graph calendars (Starlette app served by uvicorn).

Entry points: :func:`graphcal.emulator.app.create_app` and
:class:`graphcal.emulator.server.EmulatorServer` (``reset()`` empties the mailboxes).

Extending it (a feature lives in its own modules; the core stays as it is):

- Routes: a module exports ``ROUTES`` (built with ``routing.mailbox_routes(suffix,
  {"GET": handler, ...})`` so ``/me`` and ``/users/{id|upn}`` both work and other methods
  answer 405) and is listed in ``app.ROUTE_MODULES`` (match order), or passed as
  ``create_app(extra_routes=...)``. Handlers call ``auth.mailbox(request)`` (Bearer check +
  access), ``serialize.prefs(request)``, ``odata.parse``/``apply``/``collection_body`` (one
  OData parser; a collection of another type passes its ``odata.Properties`` table, as
  ``routes_messages`` does), ``serialize.user_context(routing.context_user(...), path, select=q.select_order)`` for
  ``@odata.context`` (the one rule: $select as written, ``/$entity`` on items), and answer
  with ``routing.json_response``; raising ``errors.GraphError`` gives Graph's body.
- Event hooks: ``app.state.event_hooks`` (``hooks.EventHooks``), registered by a feature's
  ``install(app)`` (module listed in ``app.FEATURE_MODULES``). The event item and collection
  routes are defined once, in ``routes_events``; features plug in, never shadow them:
  ``on_create``, ``on_update``, ``on_delete`` (called after each event write while
  ``store.lock`` is held; ``routes_cancel`` removes through the same delete path), ``before_create`` (the POSTed JSON), ``virtual`` (the resolver
  chain behind the store: an id that is not stored is resolved, updated and deleted by the
  first ``VirtualEvents`` source that knows it, e.g. recurrence's occurrences) and
  ``properties`` (extra $select/$expand properties of a single-event GET).
- Store: ``app.state.store`` (``store.Store``), the only shared state, one ``RLock``; events
  are ``StoredEvent`` records; a feature's own state (series exceptions, messages) is
  ``store.extension(<its module name>, factory)``, nowhere else (a reset drops it).
- Access: ``app.state.mailbox_access(principal, owner, request) -> bool``.
- Faults: names in ``faults.FAULTS``; read ``request.app.state.faults``.
"""
