"""scikit-learn's estimator protocol, without importing scikit-learn.

``FrameScorer`` must work with ``clone``, ``get_params``/``set_params`` and ``Pipeline``,
but every ``framing score`` imports it, and importing ``sklearn.base`` (which pulls in
scipy) is about a second of a one-sentence run that otherwise starts in two. scikit-learn
clones any object with ``get_params`` and asks a pipeline step for its tags through
``__sklearn_tags__``; this mixin answers both, importing scikit-learn only when scikit-learn
itself asks (so it is already loaded).
"""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["TransformerParams"]


class TransformerParams:
    """``get_params``/``set_params`` read from ``__init__``'s signature (parameters stored
    as given, as scikit-learn's convention asks), ``fit_transform``, and a transformer's
    tags."""

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return sorted(
            p.name
            for p in signature.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for name in self._param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                params.update({f"{name}__{k}": v for k, v in value.get_params().items()})
            params[name] = value
        return params

    def set_params(self, **params: Any):
        valid = set(self._param_names())
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {sorted(valid)!r}."
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def fit_transform(self, X, y=None, **fit_params):  # noqa: N803 - scikit-learn signature
        return self.fit(X, y, **fit_params).transform(X)

    def __sklearn_tags__(self):
        from sklearn.base import BaseEstimator, TransformerMixin

        class _Transformer(TransformerMixin, BaseEstimator):
            pass

        return _Transformer().__sklearn_tags__()

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._param_names())
        return f"{type(self).__name__}({shown})"
