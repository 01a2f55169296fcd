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


COMMANDS = [["score"], ["actors"], ["profile"], ["map"], ["lexicon", "check"], ["lexicon", "list"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_paragraphs_wrap_as_prose(command):
    # typer keeps a docstring's line breaks: at 80 columns each ~90-character source line
    # wrapped on its own, leaving one- or two-word lines in the middle of a paragraph
    from typer.testing import CliRunner

    from framing.cli import app

    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=80, env={"COLUMNS": "80"})
    assert result.exit_code == 0
    description = result.stdout.split("╭")[0]  # the prose above the option panels
    paragraphs: list[list[str]] = [[]]
    for line in description.splitlines():
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    assert len(paragraphs) >= 2
    for lines in paragraphs[1:]:  # after the usage line
        # a line that is not its paragraph's last is nearly full: at least 5 words
        assert all(len(line.split()) >= 5 for line in lines[:-1]), lines
