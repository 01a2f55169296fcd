"""The console entry point as users run it: usage mistakes are one line, exit code 2."""

import subprocess
import sys

import pytest

CASES = [
    (["score", "--bogus", "x"], "No such option: --bogus", "framing score --help"),
    (["nosuch"], "No such command 'nosuch'", "framing --help"),
    (["score"], "Missing argument", "framing score --help"),
    (["lexicon", "check"], "Missing argument", "framing lexicon check --help"),
]


@pytest.mark.parametrize("args,problem,hint", CASES)
def test_usage_mistakes_are_one_line(args, problem, hint):
    run = subprocess.run([sys.executable, "-m", "framing", *args], capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stdout == ""
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith("framing: error: ") and problem in line and hint in line


def test_help_and_bare_command():
    help_run = subprocess.run(
        [sys.executable, "-m", "framing", "--help"], capture_output=True, text=True
    )
    assert help_run.returncode == 0 and "score" in help_run.stdout
    bare = subprocess.run([sys.executable, "-m", "framing"], capture_output=True, text=True)
    assert bare.returncode == 2 and "Usage" in bare.stdout + bare.stderr
