"""The reference app's ES modules: every relative import names a file that exists, and no module imports
itself back through others (an import cycle makes one module see the other half-initialised)."""

from __future__ import annotations

import re
from pathlib import Path

from media_app.server import STATIC_DIR

JS_DIR = STATIC_DIR / "js"
# Static imports and re-exports: `import {a} from "./x.js"`, `import "./x.js"`, `export {a} from "./x.js"`.
IMPORT = re.compile(r"^\s*(?:import|export)\b[^;]*?[\s}]?[\"'](\.{1,2}/[^\"']+)[\"']", re.MULTILINE)


def _imports() -> dict[Path, list[Path]]:
    graph = {}
    for module in sorted(JS_DIR.rglob("*.js")):
        text = module.read_text(encoding="utf-8")
        graph[module] = [(module.parent / target).resolve() for target in IMPORT.findall(text)]
    return graph


def _cycle_from(start: Path, graph: dict[Path, list[Path]]) -> list[Path] | None:
    path: list[Path] = []
    done: set[Path] = set()

    def visit(module: Path) -> list[Path] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        path.append(module)
        for target in graph.get(module, []):
            found = visit(target)
            if found:
                return found
        path.pop()
        done.add(module)
        return None

    return visit(start)


def test_every_relative_import_names_an_existing_module() -> None:
    graph = _imports()
    assert len(graph) > 10, f"the app's modules should be found under {JS_DIR}"
    missing = [
        f"{module.relative_to(JS_DIR)} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if target not in graph
    ]
    assert missing == []


def test_no_module_imports_itself_back() -> None:
    graph = _imports()
    cycles = {
        " -> ".join(str(step.relative_to(JS_DIR)) for step in cycle)
        for module in graph
        if (cycle := _cycle_from(module, graph))
    }
    assert cycles == set(), "the app's modules should import one way"
