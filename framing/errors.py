"""The one exception type for mistakes a user can make (bad files, bad options)."""

from __future__ import annotations


class FramingError(Exception):
    """A user-facing error: the CLI prints it as one line and exits with code 2.

    The message names the file (or option) and the problem, e.g.
    ``lexicons/x.toml: frame 'foo' / term '': empty term``.
    """
