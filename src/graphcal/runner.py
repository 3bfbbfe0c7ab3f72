"""``graphcal run``: the scenario suites in-process under pytest, against one target.

Exit codes: 0 every scenario passed (MUST invariants hold, judged by the target profile),
1 some scenario failed, 2 the run could not be made (bad target, config, no suites...),
3 nothing failed but some verdicts are transient (the target throttled or dropped connections
past the retry budget): a nightly job tells throttling from a regression. Failures win: a run
with both exits 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import pytest

from graphcal.errors import ConfigError
from graphcal.personas import load_persona_config
from graphcal.targets import check_options, parse_target, probe_reachable


def find_suites(start: Path | None = None) -> Path:
    """``suites/`` of the project: under the working directory, else beside the source tree."""
    here = (start or Path.cwd()).resolve()
    for base in (here, *here.parents):
        if (base / "suites").is_dir() and (base / "pyproject.toml").exists():
            return base / "suites"
    source_root = Path(__file__).resolve().parents[2]  # src/graphcal/runner.py -> project
    if (source_root / "suites").is_dir():
        return source_root / "suites"
    raise ConfigError("cannot find the scenario suites (a suites/ folder beside pyproject.toml); "
                      "run graphcal from a graphcal checkout")


EXIT_TRANSIENT = 3


def run_command(target: str, persona_config: str | None, report_dir: str,
                record_mode: str | None, pytest_args: Sequence[str] = (), profile: str | None = None,
                chaos: str | None = None, chaos_seed: int | None = None) -> int:
    spec = parse_target(target, default="emulator")  # bad target: one clear error, exit 2
    rate = 0.0
    if chaos is not None:
        from graphcal.emulator.core.chaos import parse_rate

        rate = parse_rate(chaos)
    check_options(spec, record_mode=record_mode, persona_config=persona_config, profile=profile,
                  chaos=rate)
    if spec.kind == "url" and persona_config:
        # told here as one "graphcal: ..." line, before pytest starts
        load_persona_config(persona_config)
        probe_reachable(spec.base_url or "")
    suites = find_suites()
    extra = [a for a in pytest_args if a != "--"]
    # paths among the extra arguments (`graphcal run -- suites/events`) narrow the run
    narrowed = any(not a.startswith("-") and Path(a.split("::")[0]).exists() for a in extra)
    args = [*([] if narrowed else [str(suites)]), f"--rootdir={suites.parent}", f"--target={target}",
            f"--report-dir={report_dir}", "-p", "no:cacheprovider", "-q",
            # graphcal is imported already (this very module): nothing to rewrite, no warning
            "-W", "ignore::pytest.PytestAssertRewriteWarning", *extra]
    if persona_config:
        args.append(f"--persona-config={persona_config}")
    if record_mode:
        args.append(f"--record-mode={record_mode}")
    if profile:
        args.append(f"--profile={Path(profile).resolve()}")
    if rate:
        args.append(f"--chaos={rate}")
    if chaos_seed is not None:
        args.append(f"--chaos-seed={chaos_seed}")
    code = pytest.main(args)
    if code == pytest.ExitCode.OK:
        return EXIT_TRANSIENT if has_transients(Path(report_dir) / "results.json") else 0
    if code == pytest.ExitCode.TESTS_FAILED:
        return 1
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print(f"graphcal: no scenarios found under {suites}")
    return 2


def has_transients(results: Path) -> bool:
    """Whether the run's results hold a transient verdict or scenario (no file: no)."""
    try:
        data = json.loads(results.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(data.get("totals", {}).get("transient")) or any(
        s.get("status") == "transient" for s in data.get("scenarios", []))
