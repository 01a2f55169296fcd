"""The one exception type for mistakes a user can make (bad files, bad options)."""

from __future__ import annotations


class FramingError(Exception):
    """A user-facing error: the CLI prints it as one line and exits with code 2.

    The message names the file (or option) and the problem, e.g.
    ``lexicons/x.toml: frame 'foo' / term '': empty term``.
    """


class FramingWarning(UserWarning):
    """Something a user should know that does not stop the run (a skipped row, a text in a
    script the lexicon does not read). The CLI prints it as ``framing: warning: ...``."""
