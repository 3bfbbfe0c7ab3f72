"""The graphcal command's manners: --version, and a reader that goes away (``| head``)."""

from __future__ import annotations

import subprocess
import sys

from graphcal import __version__
from graphcal.cli import main

import pytest


def test_version(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"graphcal {__version__}"


def test_a_closed_pipe_ends_quietly():
    # `graphcal invariants | head -1`: the reader closes after one line, the writer must stop
    # without a traceback
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from graphcal.cli import main; sys.exit(main())",
                             "invariants"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            bufsize=0)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(40)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) in (0, 141)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
