"""A feature of the emulator, as the app assembles it: its routes, its install hook, its faults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from graphcal.emulator.core.faults import Fault, register


@dataclass(frozen=True)
class Feature:
    key: str                                  # the feature key of invariants/, suites/, tests/
    routes: tuple[BaseRoute, ...] = ()        # in match order
    install: Callable[[Starlette], None] | None = None  # plugs into app.state.event_hooks
    faults: tuple[Fault, ...] = ()

    def __post_init__(self) -> None:
        register(self.faults)
