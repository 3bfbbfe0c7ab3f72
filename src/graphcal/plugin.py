"""The pytest plugin: ``--target``, ``--persona-config``, ``--profile``, ``--report-dir``, the
``graph`` fixture, cassettes through pytest-recording, and results written at session end.

A scenario test fails in pytest when a MUST invariant fails or errors (unless the target
profile expects it) or when a step could not proceed; SHOULD failures, quirks and
documentation deviations are reported, never failed.

``graph`` is composed of fixtures with one job each; a conftest overrides any of them by name:

- ``graphcal_scenario``: this scenario's result, registered in the run
- ``graphcal_target``: the run's target, opened once per session
- ``graphcal_cassette``: this scenario's cassette file (pytest-recording's dir and name)
- ``graphcal_provenance``: the cassette's sidecar, read on replay and when ``once`` keeps a cassette
- ``graphcal_profile``: the target profile that judges this scenario
- ``graphcal_claimed``: skips the scenario when that profile does not claim its feature
- ``graphcal_cast``, ``graphcal_anchors``: who plays which role; the values a replay sends again
- ``graphcal_clock``: the clock polls wait by (virtual on replay)
- ``graphcal_recording``: writes the cassette's sidecar after recording

Recording is configured through pytest-recording's own fixtures: ``vcr_cassette_dir``
(``<cassette dir>/<feature>/``) and ``vcr_config`` (scrubbing, matching), answered for
scenarios only; its ``default_cassette_name`` (the test name) and ``record_mode`` are used as
they are, and its ``rewrite`` deletes the cassette it is about to record.
"""

from __future__ import annotations

import json
import platform
import time
import uuid
from pathlib import Path
from typing import Any, Iterator, NoReturn

import pytest

from graphcal import __version__
from graphcal.cassettes import (
    CANONICAL_BASE, Provenance, Scrubber, explain, register_matchers, vcr_options,
)
from graphcal.client import Clock, TransientError, VirtualClock, use_clock
from graphcal.errors import ConfigError, GraphcalError
from graphcal.invariants.registry import load_catalog
from graphcal.personas import Cast, load_persona_config
from graphcal.profiles import Profile, check_profile, load_profile, read_profile
from graphcal.results import STOPPED, RunResult, ScenarioResult, ScenarioStatus, StepResult, StepStatus
from graphcal.scenario import Anchors, Graph, ScenarioStopped, describe_exception
from graphcal.targets import Target, TargetSpec, check_options, open_target, parse_target
from graphcal.verdicts import breaks_the_test, failure_reasons, judge, transient_reasons

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
    group.addoption("--chaos", default=None, metavar="RATE",
                    help="emulator target: disturb this fraction of requests (429, 503, drops, "
                         "lost answers) to test the run under transient faults")
    group.addoption("--chaos-seed", default=None, type=int, metavar="N",
                    help="the seed of --chaos (same seed, same chaos)")


class ProfileBook:
    """The target profiles a session judges by: each read once and checked against the catalog;
    their notes (a renamed feature key) kept to be said once at the end."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory  # profiles/<name>.toml
        self._profiles: dict[str, Profile] = {}
        self.notes: list[str] = []

    def get(self, name: str, *, file: Path | None = None, required: bool = False) -> Profile:
        """``file`` (a profile named by path, checked to exist), else ``profiles/<name>.toml``
        (none: the target claims everything); ``required`` when the user named it (a persona
        config's ``profile =``)."""
        key = str(file) if file is not None else name
        if key not in self._profiles:
            path = file or self.directory / f"{name}.toml"
            if required and not path.exists():
                raise ConfigError(f"the persona config names profile {name!r}, but {path} does not "
                                  f"exist; create it (see profiles/emulator.toml) or drop the line")
            profile = read_profile(file) if file is not None else load_profile(name, self.directory)
            check_profile(profile, load_catalog())
            self._profiles[key] = profile
            self.note(*profile.notes)
        return self._profiles[key]

    def note(self, *notes: str) -> None:
        self.notes.extend(n for n in notes if n not in self.notes)


class GraphcalSession:
    """Per pytest session: the options, the target (and its scrubber), and the run's results."""

    def __init__(self, config: pytest.Config, spec: TargetSpec, chaos: float = 0.0) -> None:
        self.config = config
        self.spec = spec
        self.chaos = chaos  # the emulator's chaos rate (--chaos)
        self.record_mode: str | None = config.getoption("--record-mode", default=None)
        root = Path(config.rootpath)
        self.cassette_dir = Path(config.getoption("--cassette-dir") or root / "cassettes").resolve()
        self.profiles = ProfileBook(root / "profiles")
        profile_file = config.getoption("--profile")
        self.profile_file = Path(profile_file).resolve() if profile_file else None  # --profile
        report_dir = config.getoption("--report-dir")
        self.report_dir = Path(report_dir) if report_dir else None
        self.target: Target | None = None
        self.scrubber = Scrubber(CANONICAL_BASE)
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
            target = open_target(self.spec, self.config.getoption("--persona-config"),
                                 chaos=self.chaos, chaos_seed=self.config.getoption("--chaos-seed"))
            if self.profile_file is not None:
                target.profile, target.profile_file = self.profile_file.stem, self.profile_file
            try:  # a profile mistake is told once, before any scenario runs
                if target.profile:
                    self.profiles.get(target.profile, file=target.profile_file,
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


def _session(config: pytest.Config) -> GraphcalSession:
    return config.stash[SESSION_KEY]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "scenario(feature, invariants): a graphcal scenario test and the invariants it checks")
    try:
        spec = parse_target(config.getoption("--target"))
        persona_config = config.getoption("--persona-config")
        chaos = 0.0
        if config.getoption("--chaos") is not None:
            from graphcal.emulator.core.chaos import parse_rate  # the emulator: only when asked

            chaos = parse_rate(config.getoption("--chaos"))
        check_options(spec, record_mode=config.getoption("--record-mode", default=None),
                      persona_config=persona_config, profile=config.getoption("--profile"), chaos=chaos)
        if spec.kind == "url" and persona_config:
            load_persona_config(persona_config)  # a file mistake is told before anything runs
    except GraphcalError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[SESSION_KEY] = GraphcalSession(config, spec, chaos)
    # registered now, after every entry-point plugin: these fixtures win over pytest-recording's
    # whatever order the plugins loaded in (a conftest still wins over both)
    config.pluginmanager.register(RecordingFixtures(), "graphcal-recording-fixtures")


def _feature(item: pytest.Item) -> str | None:
    """A scenario's feature ("" when its marker names none); None for any other test."""
    marker = item.get_closest_marker("scenario")
    return None if marker is None else marker.kwargs.get("feature", "")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # pytest-recording uses a cassette only for tests marked `vcr` (what it records and where
    # comes from the fixtures in RecordingFixtures), and blocks the network for `block_network`
    session = _session(config)
    if session.cassette_mode == "off":
        return
    for item in items:
        if _feature(item) is None:
            continue
        item.add_marker(pytest.mark.vcr)
        if session.cassette_mode == "replay":
            item.add_marker(pytest.mark.block_network)


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    register_matchers(vcr)


class RecordingFixtures:
    """pytest-recording's fixtures, answered for scenarios; any other test gets pytest-recording's
    own answer (the same-named fixture one level down)."""

    @pytest.fixture
    def vcr_cassette_dir(self, request: pytest.FixtureRequest, vcr_cassette_dir: str) -> str:
        """A scenario's cassettes live in ``<cassette dir>/<feature>/``."""
        feature = _feature(request.node)
        if feature is None:
            return vcr_cassette_dir
        return str(_session(request.config).cassette_dir / (feature or "misc"))

    @pytest.fixture
    def vcr_config(self, request: pytest.FixtureRequest, vcr_config: dict[str, Any]) -> dict[str, Any]:
        """How a scenario's traffic is scrubbed and matched (``graphcal.cassettes``)."""
        if _feature(request.node) is None:
            return vcr_config
        state = _session(request.config)
        return {**vcr_config, **vcr_options(lambda: state.scrubber)}


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session: pytest.Session) -> Any:
    state = _session(session.config)
    if not session.config.option.collectonly and any(_feature(i) is not None for i in session.items):
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


# --- the graph fixture and its parts -----------------------------------------------------------

def _cannot_start(scenario: ScenarioResult, problem: GraphcalError) -> NoReturn:
    """The scenario errors before its first step: recorded, and one line in pytest."""
    scenario.status, scenario.error = ScenarioStatus.ERROR, str(problem)
    judge(scenario, load_catalog(), Profile(""))
    pytest.fail(str(problem), pytrace=False)


@pytest.fixture
def graphcal_scenario(request: pytest.FixtureRequest) -> ScenarioResult:
    """This scenario's result (feature and invariants from its marker), registered in the run."""
    item = request.node
    marker = item.get_closest_marker("scenario")
    declared = list(marker.kwargs.get("invariants", ())) if marker else []
    scenario = ScenarioResult(item.nodeid, item.name, _feature(item) or "", declared)
    _session(request.config).run.scenarios.append(scenario)
    return scenario


@pytest.fixture
def graphcal_target(request: pytest.FixtureRequest) -> Target:
    """The run's target, opened once per session (normally before the first test)."""
    try:
        return _session(request.config).open()
    except GraphcalError as exc:
        pytest.exit(str(exc), returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture
def graphcal_cassette(vcr_cassette_dir: str, default_cassette_name: str) -> Path:
    """This scenario's cassette file, where pytest-recording reads and writes it."""
    return Path(vcr_cassette_dir) / f"{default_cassette_name}.yaml"


@pytest.fixture
def graphcal_provenance(request: pytest.FixtureRequest, graphcal_scenario: ScenarioResult,
                        graphcal_cassette: Path) -> Provenance | None:
    """The cassette's sidecar, read on replay and when ``once`` keeps a cassette (and its
    anchors); None when there is none to read. The cassette is named in the scenario's result."""
    state = _session(request.config)
    mode, cassette, nodeid = state.cassette_mode, graphcal_cassette, request.node.nodeid
    keeps = mode == "record" and state.record_mode not in FRESH_RECORD_MODES and cassette.exists()
    provenance: Provenance | None = None
    problem: GraphcalError | None = None
    try:
        if mode == "replay" or keeps:
            provenance = Provenance.read(cassette, nodeid)
    except GraphcalError as exc:
        problem = exc
    if problem is not None:  # outside the except: pytest shows one line, no exception chain
        _cannot_start(graphcal_scenario, problem)
    if mode == "replay" and provenance is not None:  # the run says whose recordings it replayed
        sources = state.run.target.setdefault("recorded_from", [])
        source = str(provenance.target.get("name") or provenance.target.get("kind") or "unknown")
        if source not in sources:
            sources.append(source)
    if mode != "off":
        root = state.cassette_dir.parent
        graphcal_scenario.cassette = str(cassette.relative_to(root) if cassette.is_relative_to(root)
                                         else cassette)
    return provenance


@pytest.fixture
def graphcal_profile(request: pytest.FixtureRequest, graphcal_scenario: ScenarioResult,
                     graphcal_target: Target, graphcal_provenance: Provenance | None) -> Profile:
    """The target profile that judges this scenario: ``--profile``, else on replay the recording
    target's, else the target's own."""
    state, target = _session(request.config), graphcal_target
    problem: GraphcalError | None = None
    try:
        if state.cassette_mode == "replay" and graphcal_provenance is not None and not target.profile_file:
            profile = state.profiles.get(graphcal_provenance.target.get("profile", ""))
        else:
            profile = state.profiles.get(target.profile, file=target.profile_file)
    except GraphcalError as exc:
        problem = exc
    if problem is not None:
        _cannot_start(graphcal_scenario, problem)
    graphcal_scenario.profile = profile.name
    return profile


@pytest.fixture
def graphcal_claimed(graphcal_scenario: ScenarioResult, graphcal_profile: Profile) -> None:
    """Skips this scenario when its profile does not claim its feature."""
    feature = graphcal_scenario.feature
    if feature and feature in graphcal_profile.unsupported_features:
        reason = f"target profile {graphcal_profile.name!r} does not claim feature {feature!r}"
        judge(graphcal_scenario, load_catalog(), graphcal_profile, skipped_reason=reason)
        pytest.skip(reason)


@pytest.fixture
def graphcal_cast(request: pytest.FixtureRequest, graphcal_target: Target,
                  graphcal_provenance: Provenance | None) -> Cast:
    """Who plays which role: on replay the recorded cast, else the target's."""
    if _session(request.config).cassette_mode == "replay":
        assert graphcal_provenance is not None
        return Cast.from_json(graphcal_provenance.cast)
    assert graphcal_target.cast is not None
    return graphcal_target.cast


@pytest.fixture
def graphcal_anchors(request: pytest.FixtureRequest, graphcal_provenance: Provenance | None) -> Anchors:
    """The values a replay must send again (run ids, times): the recorded ones on replay, the
    kept ones when ``once`` keeps a cassette, else made fresh as the scenario asks."""
    replay = _session(request.config).cassette_mode == "replay"
    recorded = graphcal_provenance.anchors if graphcal_provenance is not None else None
    return Anchors(recorded, replay=replay, nodeid=request.node.nodeid)


@pytest.fixture
def graphcal_clock(request: pytest.FixtureRequest) -> Iterator[Clock]:
    """The clock ``eventually()`` waits by: wall time, or on replay a virtual clock (waiting
    costs nothing; "no more recorded answers" ends a poll as it ended while recording)."""
    from vcr.errors import CannotOverwriteExistingCassetteException

    replay = _session(request.config).cassette_mode == "replay"
    clock = VirtualClock(exhausted=(CannotOverwriteExistingCassetteException,)) if replay else Clock()
    with use_clock(clock):
        yield clock


@pytest.fixture
def graphcal_recording(request: pytest.FixtureRequest, vcr: Any, graphcal_claimed: None,
                       graphcal_target: Target, graphcal_cassette: Path, graphcal_cast: Cast,
                       graphcal_anchors: Anchors) -> Iterator[None]:
    """After a recorded scenario, writes its cassette's sidecar (target, date, cast, anchors).
    It needs ``graphcal_claimed``: a scenario its profile skips records nothing."""
    yield
    state = _session(request.config)
    cassette = graphcal_cassette
    if state.cassette_mode == "record" and (getattr(vcr, "dirty", False) or not cassette.exists()):
        Provenance(target=graphcal_target.describe(), recorded_at=Provenance.now(),
                   graphcal_version=__version__, scenario=request.node.nodeid,
                   record_mode=state.record_mode or "", cast=graphcal_cast.to_json(),
                   anchors=dict(graphcal_anchors.values)).write(cassette)


@pytest.fixture
def graph(request: pytest.FixtureRequest, graphcal_scenario: ScenarioResult, graphcal_target: Target,
          graphcal_profile: Profile, graphcal_claimed: None, graphcal_cast: Cast,
          graphcal_anchors: Anchors, graphcal_clock: Clock, graphcal_recording: None) -> Iterator[Graph]:
    """The run's target as this scenario sees it: personas, steps, anchors."""
    g = Graph(graphcal_target, graphcal_scenario, graphcal_cast, graphcal_anchors,
              _session(request.config).scrubber, graphcal_profile)
    yield g
    g.close()
    graphcal_scenario.anchors = dict(graphcal_anchors.values)


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
    except TransientError as exc:  # met between steps: the scenario stops there, undecided
        scenario.steps.append(StepResult(len(scenario.steps) + 1, "(between steps)", None,
                                         status=StepStatus.TRANSIENT, reason=str(exc)))
        result = True
    except pytest.skip.Exception as exc:
        scenario.duration_s = time.perf_counter() - started
        judge(scenario, catalog, g.profile, skipped_reason=str(exc.msg))
        raise
    except Exception as exc:
        raised = exc
        scenario.status = ScenarioStatus.ERROR
        scenario.error = describe_exception(exc, pyfuncitem.nodeid)
    g.cleanup_after_stop()
    scenario.duration_s = time.perf_counter() - started
    judge(scenario, catalog, g.profile)
    if raised is not None and not isinstance(raised, GraphcalError) and explain(raised) is None:
        raise raised  # a bug in the scenario itself: keep its traceback
    reasons = failure_reasons(scenario)
    if reasons:
        # the first line is what pytest's short summary shows: make it name what failed
        tags = [f"{v.id} {v.verdict.value}" for v in scenario.invariants.values() if breaks_the_test(v)]
        tags += [f"{v.id} unexpected pass" for v in scenario.invariants.values()
                 if v.unexpected_pass and v.unexpected_pass["strict"]]
        tags += [f"step {s.index} {s.status.value}" for s in scenario.steps if s.status in STOPPED]
        pytest.fail(f"{', '.join(tags) or 'scenario error'} on target {g.kind}:\n  " + "\n  ".join(reasons),
                    pytrace=False)
    if scenario.status is ScenarioStatus.TRANSIENT:
        # Undecided, not passed and not failed: pytest's skip says so (a pass would claim the
        # unobserved checks, a failure or xfail would blame the target for being busy).
        pytest.skip("graphcal transient: " + "; ".join(transient_reasons(scenario)))
    return result


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    state = _session(config)
    if not state.run.scenarios and not state.run.received and not state.profiles.notes:
        return
    from graphcal.report.console import summary_lines

    terminalreporter.section("graphcal")
    for note in state.profiles.notes:
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
        worker_output["graphcal_notes"] = json.dumps(state.profiles.notes)
        return
    if state.report_dir is not None:
        from graphcal.report import write_reports

        state.written = write_reports(state.run.to_json(), state.report_dir)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist controller: collect the scenarios a worker ran."""
    output = getattr(node, "workeroutput", {})
    state = _session(node.config)
    state.profiles.note(*json.loads(output.get("graphcal_notes") or "[]"))
    run = state.run
    if output.get("graphcal_scenarios"):
        run.received.extend(json.loads(output["graphcal_scenarios"]))
    for source in json.loads(output.get("graphcal_recorded_from") or "[]"):  # replay: whose cassettes
        if source not in run.target.setdefault("recorded_from", []):
            run.target["recorded_from"].append(source)
