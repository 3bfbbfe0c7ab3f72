"""The reference emulator of Microsoft Graph calendars (Starlette app served by uvicorn).

Entry points: :func:`graphcal.emulator.app.create_app` and
:class:`graphcal.emulator.server.EmulatorServer` (``reset()`` empties the mailboxes).

Layout: ``core/`` is what every feature shares; ``features/<key>/`` is one package per feature
(``events``, ``recurrence``, ``scheduling``, ``calendars``: the keys of invariants/, suites/,
tests/). ``app.FEATURES`` lists the features in route match order.

- ``core/``: ``store`` (the only shared state, one ``RLock``; its ``journal`` records every
  event write for delta sync), ``routing`` (``mailbox_routes``, ``json_response``,
  ``context_user``), ``errors`` (``GraphError`` and Graph's error body), ``auth`` (tokens,
  ``mailbox(request)``), ``odata`` (the one query parser), ``prefer`` (``prefs(request)``,
  Preference-Applied), ``serialize`` (event and calendar payloads; ``user_context``, the one
  ``@odata.context`` builder), ``events`` (the event resource: validation, defaults, writes),
  ``lookup`` (what an item path names: calendar, event, its removal; ``ITEMS``), ``hooks``
  (``EventHooks``), ``faults``, ``output`` (renders every answer after the faults' transforms),
  ``random_valid`` (the random-but-schema-valid mode, an output stage: ``--random-valid SEED``),
  ``feature`` (``Feature``), ``seed``, ``bodies``, and ``users``
  (``/me``, ``/users/{id}``, mailboxSettings): the core's own routes, with sign-in, come first.
- ``features/<key>/__init__.py`` declares ``FEATURE = Feature(key, routes, install, faults)``.
  A feature imports the core and its own modules, never another feature
  (tests/emulator/core/test_emulator_layout.py checks it). Features reach each other through the
  core's event hooks: ``app.state.event_hooks``, registered by ``install(app)``:
  ``on_create``, ``on_update``, ``on_delete`` (after each stored-event write, ``store.lock``
  held; scheduling's cancel removes through ``lookup.remove``, the same path as DELETE),
  ``before_create`` (the POSTed JSON), ``virtual`` (the resolver chain behind the store: an id
  that is not stored is resolved, updated and deleted by the first ``VirtualEvents`` source
  that knows it, e.g. recurrence's occurrences) and ``properties`` (extra $select/$expand
  properties of a single-event GET). A feature's own state (series exceptions, messages) is
  ``store.extension(<its module name>, factory)``, nowhere else (a reset drops it).
- Routes: ``routing.mailbox_routes(suffix, {"GET": handler, ...})`` serves ``/me`` and
  ``/users/{id|upn}`` (other methods answer 405). Handlers call ``auth.mailbox(request)``,
  ``prefer.prefs(request)``, ``odata.parse``/``apply``/``collection_body`` (a collection of
  another type passes its ``odata.Properties`` table, as scheduling's ``messages`` does),
  ``serialize.user_context(routing.context_user(...), path, select=q.select_order)`` and answer
  with ``routing.json_response``; raising ``errors.GraphError`` gives Graph's body.
- Access: ``app.state.mailbox_access(principal, owner, request) -> bool``.
- Faults: each is declared once, by its feature (``Feature.faults``) or the core
  (``faults.CORE_FAULTS``), as ``Fault(name, description, breaks=(invariant ids))``;
  ``app.FAULTS`` collects them. A fault that only bends the output declares
  ``transform=fn(request, out)``: it rewrites the ``faults.Output`` (status, JSON body, headers)
  that ``output.finish`` renders, the one place every Graph answer passes
  (``routing.json_response``/``empty_response``, ``errors.error_response``), so the reference
  code never sees it. Any other fault is read in the logic only as ``faults.active(request or
  switches, "name")``: ``grep 'active('`` finds every place the reference bends.

A new feature package has ``__init__.py`` (docstring + ``FEATURE``), ``routes.py`` (its
``ROUTES`` and, when it plugs into the event routes, ``install``) and its logic modules; it is
added to ``app.FEATURES``, and its tests go in ``tests/emulator/<key>/``.
"""
