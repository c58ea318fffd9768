"""odplay's settings file: the one place for what a user sets once (theme, keys, speed, layout).

A TOML file in the platform's config folder (platformdirs: `~/.config/odplay/config.toml` on
Linux, `~/Library/Application Support/odplay/config.toml` on macOS, `%APPDATA%\\odplay\\...` on
Windows), or the file `ODPLAY_CONFIG` names. `odplay config path` says where; `odplay config
show` prints what is in effect. Every key is optional:

    theme = "textual-dark"        # any Textual theme: textual-light, nord, gruvbox, ...
    speed = 1.0                   # simulated seconds per wall second at start: 0.1 ... 50
    layout = "panels"             # or "focus": one panel at a time, large (a projector); z
    [keys]                        # binding id = the keys for it, comma-separated
    "odplay.next-step" = "n,j"

A file that cannot be read or holds a wrong value is reported with its line, and odplay goes on
with the defaults: a typo in a settings file never keeps the playground from opening.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The simulated-time speeds the playground steps between (the session's SPEEDS).
SPEEDS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0)
#: A key binding's id as odplay names them (see `?` in the playground, or README's key table).
_BINDING_ID = re.compile(r"^odplay\.[a-z-]+$")
_KEYS = re.compile(r"^[a-z0-9_+]+(,[a-z0-9_+]+)*$")
#: The playground's layouts: every panel the terminal has room for, or one at a time, large.
LAYOUTS = ("panels", "focus")


@dataclass(frozen=True)
class Config:
    theme: str = "textual-dark"
    speed: float = 1.0
    layout: str = "panels"
    keys: dict[str, str] = field(default_factory=dict)
    #: Where each value came from: "default", or the file.
    source: str = "default"


@dataclass(frozen=True)
class ConfigProblem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message} (odplay goes on with the defaults)"


def config_path() -> Path:
    """The settings file odplay reads: ODPLAY_CONFIG if set, else the platform's place."""
    named = os.environ.get("ODPLAY_CONFIG")
    if named:
        return Path(named)
    from platformdirs import user_config_path

    return user_config_path("odplay", appauthor=False) / "config.toml"


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf'^\s*"?{re.escape(key)}"?\s*=', line):
            return number
    return 0


def load_config(path: Path | None = None) -> tuple[Config, ConfigProblem | None]:
    """The settings in effect, and what was wrong with the file if anything was."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(), None
    except (OSError, UnicodeDecodeError) as exc:
        return Config(), ConfigProblem(path, 0, f"cannot read it: {exc}")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else len(text.rstrip("\n").splitlines())
        return Config(), ConfigProblem(path, line, str(exc))
    try:
        return _checked(data, str(path)), None
    except _Wrong as wrong:
        return Config(), ConfigProblem(path, _line_of(text, wrong.key), wrong.message)


class _Wrong(ValueError):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key, self.message = key, message


def _checked(data: dict[str, Any], source: str) -> Config:
    unknown = set(data) - {"theme", "speed", "layout", "keys"}
    if unknown:
        key = sorted(unknown)[0]
        raise _Wrong(key, f"unknown setting {key!r}; odplay knows theme, speed, layout and [keys]")
    theme = data.get("theme", Config.theme)
    if not isinstance(theme, str) or not theme:
        raise _Wrong("theme", "theme is the name of a Textual theme, such as textual-light")
    speed = data.get("speed", Config.speed)
    if isinstance(speed, bool) or not isinstance(speed, int | float) or speed not in SPEEDS:
        raise _Wrong("speed", f"speed is one of {', '.join(f'{s:g}' for s in SPEEDS)}")
    layout = data.get("layout", Config.layout)
    if layout not in LAYOUTS:
        raise _Wrong("layout", f"layout is one of {', '.join(repr(n) for n in LAYOUTS)}")
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        raise _Wrong("keys", '[keys] is a table: "odplay.next-step" = "n,j"')
    for binding, pressed in keys.items():
        if not _BINDING_ID.match(binding):
            raise _Wrong(binding, f"{binding!r} is not a binding id such as odplay.next-step")
        if not isinstance(pressed, str) or not _KEYS.match(pressed):
            raise _Wrong(binding, f'{binding}: keys are Textual key names, such as "n,j"')
    return Config(theme=theme, speed=float(speed), layout=layout, keys=dict(keys), source=source)


def to_toml(config: Config) -> str:
    """The settings in effect, written as the file would say them."""
    lines = [
        f"# from: {config.source}",
        f'theme = "{config.theme}"',
        f"speed = {config.speed:g}",
        f'layout = "{config.layout}"',
        "[keys]",
    ]
    lines += [f'"{binding}" = "{keys}"' for binding, keys in sorted(config.keys.items())]
    return "\n".join(lines) + "\n"
