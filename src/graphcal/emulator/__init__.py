"""The reference emulator of Microsoft Graph calendars (Starlette app served by uvicorn).

Entry points: :func:`graphcal.emulator.app.create_app` and
:class:`graphcal.emulator.server.EmulatorServer` (``reset()`` empties the mailboxes).

Extending it (a feature lives in its own modules; the core stays as it is):

- Routes: a module exports ``ROUTES`` (built with ``routing.mailbox_routes(suffix,
  {"GET": handler, ...})`` so ``/me`` and ``/users/{id|upn}`` both work and other methods
  answer 405) and is listed in ``app.ROUTE_MODULES`` (match order), or passed as
  ``create_app(extra_routes=...)``. Handlers call ``auth.mailbox(request)`` (Bearer check +
  access), ``serialize.prefs(request)``, ``odata.parse``/``apply``/``collection_body``, and
  answer with ``routing.json_response``; raising ``errors.GraphError`` gives Graph's body.
- Event hooks: ``app.state.event_hooks`` (``hooks.EventHooks``): ``on_create``, ``on_update``,
  ``on_delete`` lists, called after each event write while ``store.lock`` is held.
- Store: ``app.state.store`` (``store.Store``), the only shared state, one ``RLock``; events
  are ``StoredEvent`` records; a feature's own state (series exceptions, messages) is
  ``store.extension(<its module name>, factory)``, nowhere else (a reset drops it).
- Access: ``app.state.mailbox_access(principal, owner, request) -> bool``.
- Faults: names in ``faults.FAULTS``; read ``request.app.state.faults``.
"""
