"""Every environment variable the system reads, defined once: name, type, default, what it accepts, meaning.

settings.py reads its values through `load()`, which parses and validates them with environs; a wrong value
stops the start with a message naming the variable and what it accepts. `python -m ivig.config.env
markdown` writes docs/configuration.md from the same registry (a test fails when that file is stale).
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, cast

import marshmallow as ma
from django.core.exceptions import ImproperlyConfigured
from environs import Env

Kind = Literal["str", "bool", "int", "float", "decimal", "url", "list", "path", "database", "choice"]

PROJECT_DIR = Path(__file__).resolve().parents[3]
DOC_PATH = PROJECT_DIR / "docs" / "configuration.md"


@dataclass(frozen=True)
class Setting:
    """One environment variable. `default` is the parsed value used when it is unset (or empty)."""

    name: str
    kind: Kind
    default: Any
    help: str
    group: str
    minimum: float | None = None
    maximum: float | None = None
    above: bool = False  # the minimum itself is not allowed (a ratio or a duration above 0)
    choices: tuple[str, ...] = ()
    production_default: Any = None  # the default when IVIG_ENV=production, when it differs
    default_doc: str | None = None  # how the docs show a default that is not a plain value
    accepts_doc: str | None = None  # what the value may be, when the type alone does not say
    check: Callable[[str], str | None] | None = None  # returns a complaint about a raw value, or None
    read_by: Literal["app", "make", "tests"] = "app"

    def accepts(self) -> str:
        """Say in words what the variable accepts."""
        if self.accepts_doc:
            return self.accepts_doc
        if self.kind == "bool":
            return "true or false (also 1/0, yes/no, on/off)"
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind in {"int", "float", "decimal"}:
            noun = "a whole number" if self.kind == "int" else "a number"
            low = "above" if self.above else "from"
            if self.minimum is not None and self.maximum is not None:
                return (
                    f"{noun} {low} {_num(self.minimum)} {'up ' if self.above else ''}to {_num(self.maximum)}"
                )
            if self.minimum is not None:
                return f"{noun} {'above' if self.above else 'of at least'} {_num(self.minimum)}"
            return noun
        return {
            "str": "text",
            "url": "an http:// or https:// address",
            "list": "comma-separated values",
            "path": "a directory path",
            "database": "a database URL such as postgres://user:pass@host:5432/ivig or sqlite:////path/db.sqlite3",
        }[self.kind]

    def shown_default(self) -> str:
        if self.default_doc is not None:
            return self.default_doc
        if self.production_default is None and (self.default is None or self.default in ("", [])):
            return "none"
        if isinstance(self.default, bool):
            return "`true`" if self.default else "`false`"
        if isinstance(self.default, list):
            text = ", ".join(f"`{item}`" for item in self.default) or "none"
        else:
            text = f"`{_num(self.default) if isinstance(self.default, float | Decimal) else self.default}`"
        if self.production_default is not None:
            shown = self.production_default
            text += f" (production: `{','.join(shown) if isinstance(shown, list) else shown}`)"
        return text


def _num(value: float | Decimal) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@functools.cache
def registry() -> dict[str, Setting]:
    """Every variable by name, from ivig.config.variables (which imports Setting from here, hence lazily)."""
    from ivig.config.variables import VARIABLES

    by_name: dict[str, Setting] = {}
    for setting in VARIABLES:
        if setting.name in by_name:
            raise RuntimeError(f"{setting.name} is defined twice")
        by_name[setting.name] = setting
    return by_name


class _MappingEnv(Env):
    """environs reading a given mapping (os.environ by default), an empty value counting as unset."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        super().__init__(eager=True)
        self._source = environ

    def _get_value(self, env_key: str, default: Any) -> Any:
        value = self._source.get(env_key, "")
        if registry()[env_key].kind == "str":
            return value if value else default  # a single space may be meant (a scanner's separator)
        return value.strip() if value.strip() else default


def _validators(setting: Setting) -> list[Callable[[Any], Any]]:
    rules: list[Callable[[Any], Any]] = []
    if setting.minimum is not None or setting.maximum is not None:
        rules.append(
            ma.validate.Range(
                min=setting.minimum,
                max=setting.maximum,
                min_inclusive=not setting.above,
                error=setting.accepts(),
            )
        )
    if setting.kind == "url":
        rules.append(ma.validate.URL(schemes={"http", "https"}, require_tld=False, error=setting.accepts()))
    return rules


def _parse(env: _MappingEnv, setting: Setting, default: Any) -> Any:
    name, rules = setting.name, _validators(setting)
    if setting.kind == "bool":
        return env.bool(name, default)
    if setting.kind == "int":
        return env.int(name, default, validate=rules)
    if setting.kind == "float":
        return env.float(name, default, validate=rules)
    if setting.kind == "decimal":
        return env.decimal(name, default, validate=rules)
    if setting.kind == "url":
        value = env.str(name, default, validate=rules)
        return value.rstrip("/") if value else value
    if setting.kind == "list":
        return [item.strip() for item in env.list(name, default, subcast=str) if item.strip()]
    if setting.kind == "path":
        return env.path(name, default)
    if setting.kind == "database":
        value = env.str(name, default)
        if value:
            env.dj_db_url(name)  # validation only: settings.py parses it with its connection options
        return value
    raw = env.str(name, default)
    raw = raw.strip() if isinstance(raw, str) and setting.kind == "choice" else raw
    if setting.kind == "choice":
        if raw == "" and default == "":
            return ""  # unset, and the variable means something by being unset (IVIG_ENV)
        chosen = {choice.lower(): choice for choice in setting.choices}.get(str(raw).lower())
        if chosen is None:
            raise ma.ValidationError(setting.accepts())
        return chosen
    return raw


class Values:
    """The parsed environment, read by settings.py with one typed getter per kind."""

    def __init__(self, parsed: dict[str, Any], given: set[str]) -> None:
        self._parsed, self._given = parsed, given

    def is_set(self, name: str) -> bool:
        return name in self._given

    def _get(self, name: str, *kinds: Kind) -> Any:
        if registry()[name].kind not in kinds:
            raise TypeError(f"{name} is a {registry()[name].kind}, not a {' or '.join(kinds)}")
        return self._parsed[name]

    def text(self, name: str) -> str:
        return cast("str", self._get(name, "str", "url", "choice"))

    def flag(self, name: str) -> bool:
        return cast("bool", self._get(name, "bool"))

    def integer(self, name: str) -> int:
        return cast("int", self._get(name, "int"))

    def optional_integer(self, name: str) -> int | None:
        return cast("int | None", self._get(name, "int"))

    def number(self, name: str) -> float:
        return cast("float", self._get(name, "float"))

    def decimal(self, name: str) -> Decimal:
        return cast("Decimal", self._get(name, "decimal"))

    def strings(self, name: str) -> list[str]:
        return cast("list[str]", self._get(name, "list"))

    def optional_path(self, name: str) -> Path | None:
        return cast("Path | None", self._get(name, "path"))

    def database_url(self, name: str) -> str:
        return cast("str", self._get(name, "database"))


def load(environ: Mapping[str, str] | None = None) -> Values:
    """Parse every variable the app reads; raise ImproperlyConfigured naming each wrong one."""
    source = os.environ if environ is None else environ
    env = _MappingEnv(source)
    parsed: dict[str, Any] = {}
    problems: list[str] = []
    production = str(source.get("IVIG_ENV", "")).strip().lower() == "production"
    for setting in registry().values():
        if setting.read_by != "app":
            continue
        default = setting.default
        if production and setting.production_default is not None:
            default = setting.production_default
        raw = source.get(setting.name, "")
        try:
            complaint = setting.check(raw.strip()) if setting.check and raw.strip() else None
            if complaint:
                raise ma.ValidationError(complaint)
            parsed[setting.name] = _parse(env, setting, default)
        except (ma.ValidationError, ValueError):
            problems.append(f"{setting.name}={raw!r} is not valid: it accepts {setting.accepts()}.")
    if problems:
        raise ImproperlyConfigured("Invalid environment variable(s):\n  " + "\n  ".join(problems))
    given = {name for name in registry() if str(source.get(name, "")).strip()}
    return Values(parsed, given)


def time_zone_complaint(raw: str) -> str | None:
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "not a time zone"
    return None


def uri_complaint(raw: str) -> str | None:
    return None if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S+", raw) else "not a URI"


def proxy_header_complaint(raw: str) -> str | None:
    return None if re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", raw) else "not a header name"


def origins_complaint(raw: str) -> str | None:
    items = [item.strip() for item in raw.split(",") if item.strip()]
    bad = [item for item in items if not re.match(r"https?://\S+$", item)]
    return f"not an origin: {bad[0]}" if bad else None


def markdown() -> str:
    """The configuration page: every variable, grouped, as the registry defines it."""
    lines = [
        "# Configuration",
        "",
        "<!-- Generated by `python -m ivig.config.env markdown` from src/ivig/config/variables.py:"
        " do not edit by hand. -->",
        "",
        "All settings come from the environment; none are needed for the demo. An empty value counts"
        " as unset."
        " A wrong value stops the start with a message naming the variable and what it accepts.",
    ]
    groups: dict[str, list[Setting]] = {}
    for setting in registry().values():
        groups.setdefault(setting.group, []).append(setting)
    for group, settings in groups.items():
        lines += ["", f"## {group}", "", "| Variable | Default | Accepts | Meaning |", "|---|---|---|---|"]
        for s in settings:
            meaning = s.help + {"make": " (read by the Makefile)", "tests": " (read by the tests)"}.get(
                s.read_by, ""
            )
            cells = [f"`{s.name}`", s.shown_default(), s.accepts(), meaning]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    lines += [
        "",
        "The centre's name, phone numbers (appointments, nurse line, after hours) and address are"
        " site settings,"
        " edited by an Admin on the Site settings page.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ivig.config.env", description=__doc__)
    parser.add_argument("command", choices=["markdown"])
    parser.add_argument("--output", type=Path, default=DOC_PATH, help="'-' prints to standard output")
    args = parser.parse_args(argv)
    text = markdown()
    if str(args.output) == "-":
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
