"""The shape of newsledger's import graph, read from the source with `ast`.

Module-level imports (outside `if TYPE_CHECKING:`) form the graph that must have no cycles;
no module imports a private name (leading underscore, not dunder) from another newsledger
module; imports inside functions are few and each says why (`# noqa: PLC0415 - reason`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "newsledger"
MAX_INNER_IMPORTS = 5


@dataclass(frozen=True)
class Imported:
    """One imported name: where the import is and what it reaches."""

    module: str
    line: int
    target: str
    name: str | None
    in_function: bool
    type_checking: bool


@dataclass
class Graph:
    modules: dict[str, Path]
    imports: list[Imported] = field(default_factory=list)


def module_names(package: Path) -> dict[str, Path]:
    names: dict[str, Path] = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    parts = parts[: len(parts) - node.level + 1]
    return ".".join([*parts, node.module] if node.module else parts)


def _walk(graph: Graph, module: str, path: Path) -> None:
    is_package = path.name == "__init__.py"

    def visit(node: ast.AST, in_function: bool, type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            function = in_function or isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
            )
            guarded = type_checking or (isinstance(child, ast.If) and _is_type_checking(child.test))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    graph.imports.append(
                        Imported(module, child.lineno, alias.name, None, function, guarded)
                    )
            elif isinstance(child, ast.ImportFrom):
                base = _absolute(module, is_package, child)
                for alias in child.names:
                    graph.imports.append(
                        Imported(module, child.lineno, base, alias.name, function, guarded)
                    )
            visit(child, function, guarded)

    visit(ast.parse(path.read_text(encoding="utf-8")), False, False)


def build_graph(package: Path = PACKAGE) -> Graph:
    graph = Graph(module_names(package))
    for module, path in graph.modules.items():
        _walk(graph, module, path)
    return graph


def _resolve(graph: Graph, imported: Imported) -> str | None:
    """The newsledger module an import reaches (a submodule when the name is one)."""
    if imported.name is not None:
        full = f"{imported.target}.{imported.name}"
        if full in graph.modules:
            return full
    name = imported.target
    while name and name not in graph.modules:
        name = name.rpartition(".")[0]
    return name or None


def edges(graph: Graph) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {module: set() for module in graph.modules}
    for imported in graph.imports:
        if imported.in_function or imported.type_checking:
            continue
        if not imported.target.startswith("newsledger"):
            continue
        target = _resolve(graph, imported)
        if target and target != imported.module:
            out[imported.module].add(target)
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_graph_is_read() -> None:
    graph = build_graph()
    assert "newsledger.model" in graph.modules
    assert "newsledger.cli" in graph.modules
    assert any(edges(graph).values())


def test_cycle_finder_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    assert cycles(edges(build_graph())) == []


def test_no_private_names_imported_across_modules() -> None:
    graph = build_graph()
    private = [
        f"{i.module}:{i.line} imports {i.name} from {i.target}"
        for i in graph.imports
        if i.name is not None
        and i.target.startswith("newsledger")
        and i.name.startswith("_")
        and not i.name.startswith("__")
    ]
    assert private == []


def test_few_imports_inside_functions_each_with_a_reason() -> None:
    graph = build_graph()
    inner = [i for i in graph.imports if i.in_function]
    places = sorted({(i.module, i.line) for i in inner})
    assert len(places) <= MAX_INNER_IMPORTS, places
    unexplained = []
    for module, line in places:
        text = graph.modules[module].read_text(encoding="utf-8").splitlines()[line - 1]
        comment = text.partition("# noqa: PLC0415")[2]
        if not comment.lstrip(" -:").strip():
            unexplained.append(f"{module}:{line}")
    assert unexplained == []
