"""Estimators pickled by an older release load with the parameters added since at their defaults.

A model artifact outlives the code that wrote it: the registry keeps models for rollback and
retraining clones the serving one. ``clone`` and ``get_params`` read every constructor
parameter, so a parameter added after the artifact was written must exist on the loaded object;
it gets its default, which is what the older code did. A class whose constructor default
changed from what older artifacts were trained with names their value in ``_defaults_on_load``.
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar


class DefaultsOnLoad:
    """Mixin (before ``BaseEstimator``): on unpickling, fill missing constructor parameters."""

    _defaults_on_load: ClassVar[dict[str, Any]] = {}
    """Parameter -> the value an artifact written before it existed behaves by, where that is
    not the constructor default."""

    def __setstate__(self, state: dict[str, Any]) -> None:
        parent = super()
        if hasattr(parent, "__setstate__"):
            parent.__setstate__(state)
        else:  # pragma: no cover - every estimator here derives from BaseEstimator
            self.__dict__.update(state)
        for name, parameter in inspect.signature(type(self).__init__).parameters.items():
            if parameter.default is not inspect.Parameter.empty and name not in self.__dict__:
                setattr(self, name, self._defaults_on_load.get(name, parameter.default))
