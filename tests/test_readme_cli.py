"""The README's command-line usage matches the Typer app: every command and option it shows
exists, and every command of the app is shown."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import typer.main
from typer.core import TyperGroup

from newsledger.cli import app

Command = Any

README = Path(__file__).resolve().parent.parent / "README.md"
INVOCATION = re.compile(r"(?:^|[\s/])newsledger\s+(.*)$")


def usage_lines() -> list[str]:
    """The argument part of each ``newsledger …`` line inside the README's code blocks."""
    lines: list[str] = []
    in_block = False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_block = not in_block
            continue
        if in_block and (match := INVOCATION.search(line.split(" # ")[0])):
            lines.append(match.group(1).strip())
    return lines


def root() -> TyperGroup:
    command = typer.main.get_command(app)
    assert isinstance(command, TyperGroup)
    return command


def resolve(words: list[str]) -> tuple[Command, list[str]]:
    """The command the words name and the words left for its options and arguments."""
    command: Command = root()
    while words and isinstance(command, TyperGroup) and words[0] in command.commands:
        command = command.commands[words[0]]
        words = words[1:]
    return command, words


def options(command: Command) -> set[str]:
    return {name for param in command.params for name in (*param.opts, *param.secondary_opts)}


def all_commands(group: TyperGroup, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, TyperGroup):
            found.extend(all_commands(command, (*prefix, name)))
    return found


def test_readme_shows_usage() -> None:
    assert len(usage_lines()) > 10


def test_every_command_and_option_in_the_readme_exists() -> None:
    wrong: list[str] = []
    for line in usage_lines():
        words = shlex.split(line.replace("…", ""), comments=True)
        command, rest = resolve(words)
        if isinstance(command, TyperGroup):
            wrong.append(f"{line!r}: no such command")
            continue
        known = options(command)
        for word in rest:
            flag = word.split("=")[0].strip("[]")
            if flag.startswith("--") and flag not in known:
                wrong.append(f"{line!r}: {flag} is not an option of {command.name}")
    assert wrong == []


def test_every_command_of_the_app_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [
        " ".join(path)
        for path in all_commands(root())
        if not re.search(rf"\b{re.escape(path[-1])}\b", text)
    ]
    assert missing == []
