"""The one exception type for mistakes a user can make (bad files, bad options)."""

from __future__ import annotations


class FramingError(Exception):
    """A user-facing error: the CLI prints it as one line and exits with code 2.

    The message names the file (or option) and the problem, e.g.
    ``lexicons/x.toml: frame 'foo' / term '': empty term``.
    """


class ParameterError(FramingError, ValueError):
    """A library parameter out of range, said the way scikit-learn says it.

    ``str()`` names the parameter and its owner ("The 'lexical_weight' parameter of
    FrameScorer must be in [0, 1], got 2"); ``as_flag()`` says the same of the CLI option,
    for the CLI to print at its edge.
    """

    def __init__(self, owner: str, parameter: str, allowed: str, value: object):
        self.owner = owner
        self.parameter = parameter
        self.allowed = allowed
        self.value = value
        super().__init__(f"The {parameter!r} parameter of {owner} must be {allowed}, got {value!r}")

    def as_flag(self) -> str:
        flag = "--" + self.parameter.replace("_", "-")
        return f"{flag} must be {self.allowed}; got {self.value!r}"
