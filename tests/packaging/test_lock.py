"""requirements.lock (what ``make install`` and CI install) pins every dependency that
pyproject.toml declares, extras included, to one version that the declaration allows."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from lapor_nlp.paths import CHECKOUT_ROOT

LOCK = CHECKOUT_ROOT / "requirements.lock"


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)", line)
        assert match, f"not an exact pin: {line!r}"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((CHECKOUT_ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        lines += extra
    return [Requirement(line) for line in lines]


def test_every_declared_dependency_is_pinned_to_an_allowed_version() -> None:
    pins = _pins()
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in requirements.lock: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, outside {requirement}: run `make lock`"
        )


def test_the_lock_holds_no_local_path_or_index() -> None:
    lines = [line.split("#", 1)[0] for line in LOCK.read_text(encoding="utf-8").splitlines()]
    text = "\n".join(lines)
    assert "file:" not in text and "--" not in text and "@" not in text
