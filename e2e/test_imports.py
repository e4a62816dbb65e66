"""The drawing of the imports: no cycle among the project's Python modules (the imports that run, at any
depth of the code) or the reference app's ES modules, and the arrows between the packages point one way (the
README's "what is in the box"). Plain file reading: no browser, nothing imported."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("fake_fal", "media_app", "qcut_builds", "e2e", "fixtures")
APP_JS = ROOT / "media_app" / "static" / "js"
# `import x from "./a.js"`, `export { y } from "./b.js"`, `import "./c.js"`: the relative ones are ours.
JS_IMPORT = re.compile(
    r"""^\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]|^\s*import\s*['"](\.[^'"]+)['"]""", re.M
)
# What each package may import of the others: e2e uses everything, the fake only the clips.
MAY_USE = {
    "fake_fal": {"fixtures"},  # the clips it serves
    "fixtures": set(),
    "media_app": {"fake_fal"},
    "qcut_builds": {"fake_fal", "media_app"},
    "e2e": {"fake_fal", "media_app", "qcut_builds", "fixtures"},
}

Graph = dict[str, set[str]]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def python_graph() -> Graph:
    """Each project module and the project modules it imports, at any depth of its code."""
    files = {module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}
    return {name: set(_imports(name, path, files)) for name, path in files.items()}


def _imports(name: str, path: Path, known: dict[str, Path]) -> Iterable[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(package, node.module, node.level)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(f"{target}."):
                yield target  # a module importing its own package's __init__ is no edge of the drawing
                break


def _runtime_nodes(tree: ast.AST) -> Iterable[ast.AST]:
    """Every node that runs: an import under `if TYPE_CHECKING:` only names a type for the checker."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (child for orelse in node.orelse for child in [orelse, *_runtime_nodes(orelse)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _absolute(package: str, module: str | None, level: int) -> str:
    if level == 0:
        return module or ""
    base = package.split(".")[: len(package.split(".")) - level + 1]
    return ".".join([*base, *([module] if module else [])])


def js_graph() -> Graph:
    files = {path.resolve(): path for path in APP_JS.rglob("*.js")}
    graph: Graph = {}
    for resolved in files:
        text = resolved.read_text(encoding="utf-8")
        targets = {(resolved.parent / (a or b)).resolve() for a, b in JS_IMPORT.findall(text)}
        graph[str(resolved.relative_to(ROOT))] = {str(t.relative_to(ROOT)) for t in targets if t in files}
    return graph


def cycle_in(graph: Graph) -> list[str] | None:
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        return list(error.args[1])
    return None


@pytest.mark.parametrize("language", ["python", "javascript"])
def test_the_imports_have_no_cycle(language: str) -> None:
    graph = python_graph() if language == "python" else js_graph()

    assert len(graph) > 10, f"the {language} drawing should hold the project's modules, it holds {len(graph)}"
    cycle = cycle_in(graph)
    assert cycle is None, f"{language} imports go round: {' -> '.join(cycle or [])}"


def test_the_packages_import_one_way() -> None:
    crossings = sorted(
        f"{module} -> {target}"
        for module, targets in python_graph().items()
        for target in targets
        if (top := target.split(".")[0]) != (own := module.split(".")[0]) and top not in MAY_USE[own]
    )
    assert not crossings, f"imports against the drawing's arrows: {crossings}"


def test_a_cycle_is_seen() -> None:
    assert cycle_in({"a": {"b"}, "b": {"a"}}) is not None
    assert cycle_in({"a": {"b"}, "b": set()}) is None
