"""The emulator's features, one package each (``features/<key>/``, the key every tree uses).

A feature package's ``__init__`` declares ``FEATURE`` (:class:`graphcal.emulator.core.feature.Feature`):
its routes, its install hook and its faults. Features import the core, never each other.
"""
