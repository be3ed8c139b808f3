"""Each package's ``__all__`` is its public surface.

Every name listed in ``__all__`` exists in the package, and every public name the package's
``__init__`` defines (a function, a class or an assigned name, no leading underscore) is listed.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "newsledger"
PACKAGES = ["newsledger"] + sorted(
    f"newsledger.{init.parent.name}" for init in PACKAGE.glob("*/__init__.py")
)


def defined_names(init: Path) -> set[str]:
    """Public names bound at the top level of ``init`` by def, class or assignment."""
    names: set[str] = set()
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {name for name in names if not name.startswith("_")}


def _init(package: str) -> Path:
    parts = package.split(".")[1:]
    return PACKAGE.joinpath(*parts, "__init__.py")


@pytest.mark.parametrize("package", PACKAGES)
def test_all_names_exist(package: str) -> None:
    module = importlib.import_module(package)
    exported = getattr(module, "__all__", [])
    assert len(exported) == len(set(exported)), "a name is listed twice"
    assert [name for name in exported if not hasattr(module, name)] == []


@pytest.mark.parametrize("package", PACKAGES)
def test_public_definitions_are_exported(package: str) -> None:
    defined = defined_names(_init(package))
    module = importlib.import_module(package)
    if defined:
        assert hasattr(module, "__all__"), f"{package} defines {sorted(defined)} but has no __all__"
    assert sorted(defined - set(getattr(module, "__all__", []))) == []
