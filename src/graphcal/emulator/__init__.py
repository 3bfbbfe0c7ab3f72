"""The reference emulator of Microsoft Graph calendars (Starlette app served by uvicorn).

Public entry points: :func:`graphcal.emulator.app.create_app` and
:class:`graphcal.emulator.server.EmulatorServer`.
"""
