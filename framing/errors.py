"""The one exception type for mistakes a user can make (bad files, bad options)."""

from __future__ import annotations


class FramingError(Exception):
    """A user-facing error: the CLI prints it as one line and exits with code 2.

    The message names the file (or option) and the problem, e.g.
    ``lexicons/x.toml: frame 'foo' / term '': empty term``.
    """


class ParameterError(FramingError, ValueError):
    """A bad parameter of a library object, named as scikit-learn names it: "The
    'n_neighbors' parameter of RhetoricMap must be an integer ≥ 2, got 1". The CLI shows it
    under the flag that set it (``as_flag``): "--neighbors must be an integer ≥ 2; got 1"."""

    def __init__(self, owner: str, param: str, constraint: str, value: object):
        self.owner, self.param, self.constraint, self.value = owner, param, constraint, value
        super().__init__(f"The {param!r} parameter of {owner} must be {constraint}, got {value!r}")

    def as_flag(self, flags: dict[str, str] | None = None) -> str:
        """The message in the CLI's words: ``flags`` maps a parameter to its option
        (default: ``--`` and the name with dashes)."""
        flag = (flags or {}).get(self.param, "--" + self.param.replace("_", "-"))
        return f"{flag} must be {self.constraint}; got {self.value!r}"


class FramingWarning(UserWarning):
    """Something a user should know that does not stop the run (a skipped row, a text in a
    script the lexicon does not read). The CLI prints it as ``framing: warning: ...``."""
