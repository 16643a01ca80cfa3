"""The layers point one way: faq/ never imports bot/, and no module imports itself round a cycle.

Imports are read from the source (ast), inside functions too, so an import hidden in a function
counts. Imports under ``if TYPE_CHECKING:`` are left out: they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("faq", "bot")
LOWER, UPPER = "faq", "bot"   # the lower floor must never import the upper


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:``."""
    skipped: set[int] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test):
            skipped.update(id(i) for b in n.body for i in ast.walk(b))
    return skipped


def imports_of(root: Path, path: Path, modules: set[str]) -> set[str]:
    """The project's modules that ``path`` imports (a name imported from a package counts as its
    submodule when there is one)."""
    name = module_name(root, path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skipped = _type_checking_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in modules else base)
    return {m for m in found if m in modules and m != name}


def import_graph(root: Path, packages=PACKAGES) -> dict[str, set[str]]:  # noqa: ANN001
    paths = [p for pkg in packages for p in sorted((root / pkg).rglob("*.py"))]
    modules = {module_name(root, p) for p in paths}
    return {module_name(root, p): imports_of(root, p, modules) for p in paths}


def upward_imports(graph: dict[str, set[str]], lower: str = LOWER, upper: str = UPPER) -> list[str]:
    return sorted(f"{m} imports {i}" for m, deps in graph.items() if m.split(".")[0] == lower
                  for i in deps if i.split(".")[0] == upper)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each cycle once (as found by a depth-first walk), as the list of modules round it."""
    found: list[list[str]] = []
    state: dict[str, int] = {}   # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for dep in sorted(graph.get(m, ())):
            if state.get(dep) == 1:
                found.append(path[path.index(dep):] + [dep])
            elif dep not in state:
                visit(dep)
        path.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    return found


# -- the project ----------------------------------------------------------------
def test_faq_never_imports_bot():
    assert upward_imports(import_graph(ROOT)) == []


def test_no_import_cycle():
    assert cycles(import_graph(ROOT)) == []


def test_the_graph_reads_the_real_tree():
    graph = import_graph(ROOT)
    assert "bot.loading" in graph and "faq.matcher" in graph["bot.loading"]
    assert "bot.core" in graph["bot.__main__"]          # imported inside a function


# -- the checker can fail ---------------------------------------------------------
def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_an_upward_import_inside_a_function_is_found(tmp_path):
    root = _package(tmp_path, {
        "faq/__init__.py": "", "faq/low.py": "def f():\n    from bot import high\n",
        "bot/__init__.py": "", "bot/high.py": "from faq import low\n",
    })
    graph = import_graph(root)
    assert upward_imports(graph) == ["faq.low imports bot.high"]
    assert cycles(graph) == [["bot.high", "faq.low", "bot.high"]]


def test_a_cycle_through_relative_imports_is_found_and_type_checking_is_not_one(tmp_path):
    root = _package(tmp_path, {
        "faq/__init__.py": "",
        "bot/__init__.py": "",
        "bot/a.py": "from . import b\n",
        "bot/b.py": "from .c import thing\n",
        "bot/c.py": "import bot.a\nthing = 1\n",
        "bot/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot.e import X\n",
        "bot/e.py": "from bot import d\n",
    })
    graph = import_graph(root)
    assert upward_imports(graph) == []
    assert cycles(graph) == [["bot.a", "bot.b", "bot.c", "bot.a"]]
