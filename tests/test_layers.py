"""The layers of crampcli (docs/architecture.md): every import of the project's own modules,
read from the source with ast (imports inside functions and under TYPE_CHECKING included),
points down the table below or sideways within a layer, and no group of modules imports
itself in a circle."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "crampcli"

# Each layer may import the layers with a lower number. The module name (without "crampcli.")
# or its first part decides the layer; a dotted entry is more specific than its package.
LAYERS: dict[str, int] = {
    "errors": 0,
    "text": 0,
    "paths": 0,
    "safefile": 0,
    "startup": 1,  # beside the others: it imports only the base, and cli.app on a miss
    "content": 2,
    "output": 3,
    "cli": 4,
    "guide": 5,
    "check": 5,
    "diary": 5,
    "profile": 5,
    "__main__": 6,
}

# Imports that point up on purpose, each with its reason.
ALLOWED_UP = {
    ("startup.entry", "cli.app"): "on a page-cache miss the start-up path hands the run to the full command",
    ("cli.run", "profile.store"): "the run reads the profile (the one import back up the layers)",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(name: str) -> int:
    parts = name.split(".")
    for size in range(len(parts), 0, -1):
        if ".".join(parts[:size]) in LAYERS:
            return LAYERS[".".join(parts[:size])]
    raise AssertionError(f"crampcli.{name} is in no layer: add it to LAYERS")


def own_imports(path: Path) -> set[str]:
    """The crampcli modules a file imports (without the "crampcli." prefix)."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name.removeprefix("crampcli.") for a in node.names if a.name.startswith("crampcli."))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and (node.module == "crampcli" or node.module.startswith("crampcli.")):
                target = node.module.removeprefix("crampcli").removeprefix(".")
            else:
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}" if target else alias.name
                if (PACKAGE / candidate.replace(".", "/")).with_suffix(".py").exists() or (
                    PACKAGE / candidate.replace(".", "/")
                ).is_dir():
                    found.add(candidate)  # `from crampcli.content import model`: the module itself
                elif target:
                    found.add(target)
    found.discard("")
    return found


def graph() -> dict[str, set[str]]:
    return {module_name(p): own_imports(p) for p in sorted(PACKAGE.rglob("*.py")) if module_name(p)}


def test_every_module_has_a_layer() -> None:
    for name in graph():
        layer_of(name)


def test_no_import_points_up_a_layer() -> None:
    up = [
        f"crampcli.{name} ({layer_of(name)}) imports crampcli.{target} ({layer_of(target)})"
        for name, targets in graph().items()
        for target in sorted(targets)
        if layer_of(target) > layer_of(name) and (name, target) not in ALLOWED_UP
    ]
    assert up == []


def test_the_allowed_imports_up_are_still_there() -> None:
    imports = graph()
    for name, target in ALLOWED_UP:
        assert target in imports[name], f"crampcli.{name} no longer imports crampcli.{target}: drop it from ALLOWED_UP"


def cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other (strongly connected components, Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in imports.get(node, ()):
            if target not in imports:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in imports.get(node, ()):
                found.append(sorted(group))

    for node in sorted(imports):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle() -> None:
    # A package's __init__ is not an edge: importing crampcli.content.load loads it first anyway.
    imports = {
        name: {t for t in targets if t not in ("content", "guide", "check", "cli", "startup")}
        for name, targets in graph().items()
    }
    assert cycles(imports) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
