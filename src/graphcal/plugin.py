"""The pytest plugin: ``--target``, ``--persona-config``, ``--profile``, ``--report-dir``, the ``graph``
fixture, cassettes through pytest-recording, and results written at session end.

A scenario test fails in pytest when a MUST invariant fails or errors (unless the target
profile expects it) or when a step could not proceed; SHOULD failures, quirks and
documentation deviations are reported, never failed.
"""

from __future__ import annotations

import json
import platform
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest

from graphcal import __version__
from graphcal.cassettes import (
    CANONICAL_BASE, Provenance, Scrubber, explain, register_matchers, vcr_options,
)
from graphcal.client import Clock, VirtualClock, use_clock
from graphcal.errors import ConfigError, GraphcalError
from graphcal.invariants.registry import load_catalog
from graphcal.personas import Cast, load_persona_config
from graphcal.profiles import Profile, check_profile, load_profile, read_profile
from graphcal.results import RunResult, ScenarioResult, ScenarioStatus, StepStatus
from graphcal.scenario import Anchors, Graph, ScenarioStopped, describe_exception
from graphcal.targets import Target, TargetSpec, check_options, open_target, parse_target
from graphcal.verdicts import breaks_the_test, failure_reasons, judge

SESSION_KEY = pytest.StashKey["GraphcalSession"]()
FRESH_RECORD_MODES = ("all", "rewrite")  # these record from scratch: new anchors


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("graphcal", "graphcal conformance suite")
    group.addoption("--target", default=None, metavar="TARGET",
                    help="emulator | replay | url:<base> | live (default: replay, the cassettes)")
    group.addoption("--persona-config", default=None, metavar="FILE",
                    help="TOML file mapping roles to users and tokens (url targets)")
    group.addoption("--profile", default=None, metavar="FILE",
                    help="judge the run by this target profile file (instead of the target's own, "
                         "or on replay the recording target's)")
    group.addoption("--report-dir", default=None, metavar="DIR",
                    help="write results.json, junit.xml, summary.md and report.html here")
    group.addoption("--cassette-dir", default=None, metavar="DIR",
                    help="where cassettes live (default: <rootdir>/cassettes)")


class GraphcalSession:
    """Per pytest session: the target, the cassette mode, and the run's results."""

    def __init__(self, config: pytest.Config, spec: TargetSpec) -> None:
        self.config = config
        self.spec = spec
        self.record_mode: str | None = config.getoption("--record-mode", default=None)
        root = Path(config.rootpath)
        self.cassette_dir = Path(config.getoption("--cassette-dir") or root / "cassettes").resolve()
        self.profile_dir = root / "profiles"
        profile_file = config.getoption("--profile")
        self.profile_file = Path(profile_file).resolve() if profile_file else None  # --profile
        report_dir = config.getoption("--report-dir")
        self.report_dir = Path(report_dir) if report_dir else None
        self.target: Target | None = None
        self.scrubber = Scrubber(CANONICAL_BASE)
        self._profiles: dict[str, Profile] = {}
        self.notes: list[str] = []  # said once at the end of the run (e.g. a renamed feature key)
        self.written: list[Path] = []  # report files of this session
        self.run = RunResult(run_id=uuid.uuid4().hex[:12], started=Provenance.now(), finished="",
                             graphcal_version=__version__,
                             target={"kind": spec.kind, "name": spec.name},
                             record_mode=self.record_mode or "none",
                             environment={"python": platform.python_version(),
                                          "platform": platform.platform(terse=True),
                                          "pytest": pytest.__version__})

    @property
    def cassette_mode(self) -> str:
        """replay (cassettes only), record (target + cassettes) or off (target only)."""
        if self.spec.kind == "replay":
            return "replay"
        return "record" if self.record_mode not in (None, "none") else "off"

    def open(self) -> Target:
        if self.target is None:
            target = open_target(self.spec, self.config.getoption("--persona-config"))
            if self.profile_file is not None:
                target.profile, target.profile_file = self.profile_file.stem, self.profile_file
            try:  # a profile mistake is told once, before any scenario runs
                if target.profile:
                    self.profile(target.profile, file=target.profile_file,
                                 required=target.kind == "url" and target.profile != "url")
            except GraphcalError:
                target.close()
                raise
            self.target = target
            self.scrubber = Scrubber(target.base_url, target.secrets)
            self.run.target = target.describe()
        return self.target

    def close(self) -> None:
        if self.target is not None:
            self.target.close()
            self.target = None

    def profile(self, name: str, *, file: Path | None = None, required: bool = False) -> Profile:
        """``file`` (a profile named by path, checked to exist), else ``profiles/<name>.toml``
        (none: the target claims everything), checked against the catalog; ``required`` when
        the user named it (a persona config's ``profile =``)."""
        key = str(file) if file is not None else name
        if key not in self._profiles:
            path = file or self.profile_dir / f"{name}.toml"
            if required and not path.exists():
                raise ConfigError(f"the persona config names profile {name!r}, but {path} does not "
                                  f"exist; create it (see profiles/emulator.toml) or drop the line")
            profile = read_profile(file) if file is not None else load_profile(name, self.profile_dir)
            check_profile(profile, load_catalog())
            self._profiles[key] = profile
            self.note(*profile.notes)
        return self._profiles[key]

    def note(self, *notes: str) -> None:
        self.notes.extend(n for n in notes if n not in self.notes)

    def cassette_path(self, item: pytest.Item, feature: str) -> Path:
        from pytest_recording.plugin import get_default_cassette_name

        name = get_default_cassette_name(getattr(item, "cls", None), item.name)
        return self.cassette_dir / (feature or "misc") / f"{name}.yaml"


def _session(config: pytest.Config) -> GraphcalSession:
    return config.stash[SESSION_KEY]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "scenario(feature, invariants): a graphcal scenario test and the invariants it checks")
    try:
        spec = parse_target(config.getoption("--target"))
        persona_config = config.getoption("--persona-config")
        check_options(spec, record_mode=config.getoption("--record-mode", default=None),
                      persona_config=persona_config, profile=config.getoption("--profile"))
        if spec.kind == "url" and persona_config:
            load_persona_config(persona_config)  # a file mistake is told before anything runs
    except GraphcalError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[SESSION_KEY] = GraphcalSession(config, spec)


def _is_scenario(item: pytest.Item) -> bool:
    return item.get_closest_marker("scenario") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    session = _session(config)
    if session.cassette_mode == "off":
        return
    for item in items:
        marker = item.get_closest_marker("scenario")
        if marker is None:
            continue
        feature = marker.kwargs.get("feature", "")
        item.add_marker(pytest.mark.vcr(**vcr_options(lambda: session.scrubber,
                                                      session.cassette_dir / (feature or "misc"))))
        if session.cassette_mode == "replay":
            item.add_marker(pytest.mark.block_network)


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    register_matchers(vcr)


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session: pytest.Session) -> Any:
    state = _session(session.config)
    if not session.config.option.collectonly and any(_is_scenario(i) for i in session.items):
        try:
            state.open()
        except GraphcalError as exc:
            # a usage error is one "ERROR: ..." line (pytest.exit would print a banner), and
            # a run that never reached its target writes no report over the last good one
            state.report_dir = None
            raise pytest.UsageError(str(exc)) from None
    try:
        return (yield)
    finally:
        state.close()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # pytest-recording's own "rewrite" deletes a cassette beside the test module; ours live
    # under cassettes/<feature>/, so delete the right one before the vcr fixture loads it.
    state = _session(item.config)
    marker = item.get_closest_marker("scenario")
    if marker is not None and state.cassette_mode == "record" and state.record_mode == "rewrite":
        path = state.cassette_path(item, marker.kwargs.get("feature", ""))
        path.unlink(missing_ok=True)


@pytest.fixture
def graph(request: pytest.FixtureRequest) -> Iterator[Graph]:
    """The run's target as this scenario sees it: personas, steps, anchors."""
    state = _session(request.config)
    item = request.node
    marker = item.get_closest_marker("scenario")
    feature = marker.kwargs.get("feature", "") if marker else ""
    declared = list(marker.kwargs.get("invariants", ())) if marker else []
    scenario = ScenarioResult(item.nodeid, item.name, feature, declared)
    state.run.scenarios.append(scenario)
    catalog = load_catalog()
    try:
        target = state.open()
    except GraphcalError as exc:
        pytest.exit(str(exc), returncode=pytest.ExitCode.USAGE_ERROR)
    cassette = state.cassette_path(item, feature)
    mode = state.cassette_mode
    problem: GraphcalError | None = None
    try:
        if mode == "replay":
            provenance = Provenance.read(cassette, item.nodeid)
            cast = Cast.from_json(provenance.cast)
            anchors = Anchors(provenance.anchors, replay=True, nodeid=item.nodeid)
            profile = (state.profile(target.profile, file=target.profile_file) if target.profile_file
                       else state.profile(provenance.target.get("profile", "")))
            sources = state.run.target.setdefault("recorded_from", [])
            source = str(provenance.target.get("name") or provenance.target.get("kind") or "unknown")
            if source not in sources:
                sources.append(source)
        else:
            assert target.cast is not None
            cast = target.cast
            kept = None
            if mode == "record" and state.record_mode not in FRESH_RECORD_MODES and cassette.exists():
                kept = Provenance.read(cassette, item.nodeid).anchors
            anchors = Anchors(kept, replay=False, nodeid=item.nodeid)
            profile = state.profile(target.profile, file=target.profile_file)
    except GraphcalError as exc:
        problem = exc
    if problem is not None:  # outside the except: pytest shows one line, no exception chain
        scenario.status, scenario.error = ScenarioStatus.ERROR, str(problem)
        judge(scenario, catalog, Profile(""))
        pytest.fail(str(problem), pytrace=False)
    if mode != "off":
        scenario.cassette = str(cassette.relative_to(state.cassette_dir.parent)
                                if cassette.is_relative_to(state.cassette_dir.parent) else cassette)
    scenario.profile = profile.name
    if feature and feature in profile.unsupported_features:
        reason = f"target profile {profile.name!r} does not claim feature {feature!r}"
        judge(scenario, catalog, profile, skipped_reason=reason)
        pytest.skip(reason)
    g = Graph(target, scenario, cast, anchors, state.scrubber, profile)
    vcr_cassette = request.getfixturevalue("vcr") if mode != "off" else None
    from vcr.errors import CannotOverwriteExistingCassetteException

    clock = VirtualClock(exhausted=(CannotOverwriteExistingCassetteException,)) if mode == "replay" else Clock()
    with use_clock(clock):
        yield g
    g.close()
    scenario.anchors = dict(anchors.values)
    if mode == "record" and (getattr(vcr_cassette, "dirty", False) or not cassette.exists()):
        Provenance(target=target.describe(), recorded_at=Provenance.now(),
                   graphcal_version=__version__, scenario=item.nodeid,
                   record_mode=state.record_mode or "", cast=cast.to_json(),
                   anchors=scenario.anchors).write(cassette)


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Any:
    g = pyfuncitem.funcargs.get("graph")
    if not isinstance(g, Graph):
        return (yield)
    scenario = g.scenario
    catalog = load_catalog()
    started = time.perf_counter()
    raised: Exception | None = None
    result: Any = None
    try:
        result = yield
    except ScenarioStopped:
        result = True
    except pytest.skip.Exception as exc:
        scenario.duration_s = time.perf_counter() - started
        judge(scenario, catalog, g.profile, skipped_reason=str(exc.msg))
        raise
    except Exception as exc:
        raised = exc
        scenario.status = ScenarioStatus.ERROR
        scenario.error = describe_exception(exc, pyfuncitem.nodeid)
    scenario.duration_s = time.perf_counter() - started
    judge(scenario, catalog, g.profile)
    if raised is not None and not isinstance(raised, GraphcalError) and explain(raised) is None:
        raise raised  # a bug in the scenario itself: keep its traceback
    reasons = failure_reasons(scenario)
    if reasons:
        # the first line is what pytest's short summary shows: make it name what failed
        tags = [f"{v.id} {v.verdict.value}" for v in scenario.invariants.values() if breaks_the_test(v)]
        tags += [f"step {s.index} {s.status.value}" for s in scenario.steps
                 if s.status in (StepStatus.BLOCKED, StepStatus.ERROR)]
        pytest.fail(f"{', '.join(tags) or 'scenario error'} on target {g.kind}:\n  " + "\n  ".join(reasons),
                    pytrace=False)
    return result


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    state = _session(config)
    if not state.run.scenarios and not state.run.received and not state.notes:
        return
    from graphcal.report.console import summary_lines

    terminalreporter.section("graphcal")
    for note in state.notes:
        terminalreporter.write_line(f"note: {note}")
    if not state.run.scenarios and not state.run.received:
        return
    for line in summary_lines(state.run.to_json(), written=state.written):
        terminalreporter.write_line(line)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    state = _session(session.config)
    state.run.finished = Provenance.now()
    state.run.catalog = {i: {"title": v.title, "severity": v.severity.value, "feature": v.feature,
                             "source": v.source} for i, v in sorted(load_catalog().items())}
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None:  # a pytest-xdist worker: the controller writes the report
        worker_output["graphcal_scenarios"] = json.dumps([s.to_json() for s in state.run.scenarios])
        worker_output["graphcal_recorded_from"] = json.dumps(state.run.target.get("recorded_from", []))
        worker_output["graphcal_notes"] = json.dumps(state.notes)
        return
    if state.report_dir is not None:
        from graphcal.report import write_reports

        state.written = write_reports(state.run.to_json(), state.report_dir)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist controller: collect the scenarios a worker ran."""
    output = getattr(node, "workeroutput", {})
    state = _session(node.config)
    state.note(*json.loads(output.get("graphcal_notes") or "[]"))
    run = state.run
    if output.get("graphcal_scenarios"):
        run.received.extend(json.loads(output["graphcal_scenarios"]))
    for source in json.loads(output.get("graphcal_recorded_from") or "[]"):  # replay: whose cassettes
        if source not in run.target.setdefault("recorded_from", []):
            run.target["recorded_from"].append(source)
