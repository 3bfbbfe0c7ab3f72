"""The ``graphcal`` command. Each subcommand is a thin shell over one module's function.

A GraphcalError (or any user-caused error) ends in one line on stderr and exit code 2;
never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Sequence

from graphcal import __version__
from graphcal.errors import GraphcalError


def _cmd_schemas_build(args: argparse.Namespace) -> int:
    from graphcal.schemagen import build_command

    return build_command(metadata=args.metadata, out=args.out, types=args.types)


def _cmd_emulator_serve(args: argparse.Namespace) -> int:
    from graphcal.emulator.server import serve_command

    return serve_command(host=args.host, port=args.port, seed=args.seed, faults=args.fault,
                         random_valid=args.random_valid, chaos=args.chaos, chaos_seed=args.chaos_seed)


def _cmd_emulator_faults(args: argparse.Namespace) -> int:
    from graphcal.emulator.server import faults_command

    return faults_command(feature=args.feature, as_json=args.json)


def _cmd_emulator_fault_matrix(args: argparse.Namespace) -> int:
    from graphcal.faultmatrix import fault_matrix_command

    return fault_matrix_command(feature=args.feature, names=args.fault, as_json=args.json)


def _cmd_run(args: argparse.Namespace) -> int:
    from graphcal.runner import run_command

    return run_command(target=args.target, persona_config=args.persona_config,
                       report_dir=args.report_dir, record_mode=args.record_mode,
                       pytest_args=args.pytest_args, profile=args.profile,
                       chaos=args.chaos, chaos_seed=args.chaos_seed)


def _cmd_invariants(args: argparse.Namespace) -> int:
    from graphcal.invariants.listing import invariants_command

    return invariants_command(feature=args.feature, as_json=args.json)


def _cmd_report(args: argparse.Namespace) -> int:
    from graphcal.report import report_command

    return report_command(results=args.results, out=args.out)


def _cmd_diff(args: argparse.Namespace) -> int:
    from graphcal.report.rundiff import diff_command

    return diff_command(before=args.before, after=args.after, as_json=args.json)


def _chaos_options(parser: argparse.ArgumentParser, when: str) -> None:
    parser.add_argument("--chaos", default=None, metavar="RATE",
                        help=f"{when}answer this fraction of Graph requests (0..1) with 429, 503, a "
                             "dropped connection or a lost answer (the write happens)")
    parser.add_argument("--chaos-seed", default=None, type=int, metavar="N",
                        help="seed of --chaos: same seed and requests, same chaos")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="graphcal", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"graphcal {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the scenario suites against a target and write a report")
    run.add_argument("--target", default="emulator",
                     help="emulator | replay | url:<base> | live (default: emulator)")
    run.add_argument("--persona-config", default=None,
                     help="TOML file of users and their tokens for url: targets (example: docs/emulator-personas.toml)")
    run.add_argument("--profile", default=None, metavar="FILE",
                     help="judge the run by this target profile file (default: the target's own)")
    run.add_argument("--report-dir", default="reports/latest", help="where results are written")
    run.add_argument("--record-mode", default=None,
                     help="pytest-recording record mode (none, once, new_episodes, all, rewrite)")
    _chaos_options(run, "with --target emulator: ")
    run.add_argument("pytest_args", nargs=argparse.REMAINDER,
                     help="extra arguments for pytest, after --")
    run.set_defaults(func=_cmd_run)

    inv = sub.add_parser("invariants", help="list the invariant catalog")
    inv.add_argument("--feature", default=None, help="only this feature tag")
    inv.add_argument("--json", action="store_true", help="machine-readable output")
    inv.set_defaults(func=_cmd_invariants)

    rep = sub.add_parser("report", help="render a results.json as Markdown/HTML/JUnit")
    rep.add_argument("results", help="path to a results.json")
    rep.add_argument("--out", default=None, help="output folder (default: beside results.json)")
    rep.set_defaults(func=_cmd_report)

    diff = sub.add_parser("diff", help="compare two runs: new failures, fixes, changed shapes")
    diff.add_argument("before", help="results.json (or run folder) of the earlier run")
    diff.add_argument("after", help="results.json (or run folder) of the later run")
    diff.add_argument("--json", action="store_true", help="machine-readable output")
    diff.set_defaults(func=_cmd_diff)

    emu = sub.add_parser("emulator", help="the reference emulator of Graph calendars")
    emu_sub = emu.add_subparsers(dest="emulator_command", required=True, metavar="COMMAND")
    serve = emu_sub.add_parser("serve", help="serve the emulator on loopback")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    serve.add_argument("--seed", default=None, help="JSON seed file (default: the documented users)")
    serve.add_argument("--fault", action="append", default=[],
                       help="turn on a named fault switch (repeatable); `graphcal emulator faults` lists them")
    serve.add_argument("--random-valid", type=int, default=None, metavar="SEED",
                       help="answer every Graph call with a random body valid against its type's schema "
                            "(status and headers kept), seeded")
    _chaos_options(serve, "")
    serve.set_defaults(func=_cmd_emulator_serve)
    faults = emu_sub.add_parser("faults", help="list the fault switches by feature")
    faults.add_argument("--feature", default=None, help="only this feature's (core, events, ...)")
    faults.add_argument("--json", action="store_true", help="machine-readable output")
    faults.set_defaults(func=_cmd_emulator_faults)
    matrix = emu_sub.add_parser("fault-matrix", help="run the suites once per fault: is each caught by its invariants?")
    matrix.add_argument("--feature", default=None, help="only this feature's faults (core, events, ...)")
    matrix.add_argument("--fault", action="append", default=[], help="only this fault (repeatable)")
    matrix.add_argument("--json", action="store_true", help="machine-readable output")
    matrix.set_defaults(func=_cmd_emulator_fault_matrix)

    schemas = sub.add_parser("schemas", help="JSON Schemas from Graph's v1.0 metadata")
    schemas_sub = schemas.add_subparsers(dest="schemas_command", required=True, metavar="COMMAND")
    build = schemas_sub.add_parser("build", help="generate JSON Schemas from a CSDL file")
    build.add_argument("--metadata", required=True, help="Graph v1.0 CSDL (cleanMetadata.xml)")
    build.add_argument("--out", required=True, help="output folder, e.g. schemas/")
    build.add_argument("--types", help="comma-separated root types (default: the calendar types)")
    build.set_defaults(func=_cmd_schemas_build)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except GraphcalError as exc:
        print(f"graphcal: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("graphcal: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`graphcal invariants | head`): stop quietly, as cat does; point
        # stdout at devnull so the interpreter's final flush does not raise again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a killed writer


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
