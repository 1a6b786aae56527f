"""The import contract: imports point down the layers of the architecture, never up, never in a circle, and
no import hides inside a function to dodge one. The engine imports nothing of Django or of the app."""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Bottom first; a module may import only from its own layer or those below.
LAYERS = [
    ("engine", ["kaohe/scoring/"]),
    ("base", ["kaohe/refusals.py", "kaohe/numbers.py", "kaohe/workflow/states.py", "kaohe/cache.py"]),
    ("data", ["kaohe/doctype/", "kaohe/models.py", "kaohe/workflow/models.py"]),
    ("rules", ["kaohe/workflow/", "kaohe/permissions.py", "kaohe/imports/"]),
    ("reads", ["kaohe/services/", "kaohe/report/", "kaohe/printing/"]),
    ("writes", ["kaohe/actions/"]),
    ("faces", ["kaohe/desk/", "kaohe/api/", "kaohe/management/", "kaohe/urls.py", "kaohe/admin.py",
               "kaohe/templatetags/"]),
]
RANK = {name: n for n, (name, _paths) in enumerate(LAYERS)}
UNLAYERED = {"kaohe/apps.py", "kaohe/__init__.py"}


def layer_of(path: str) -> str | None:
    if "admin" in Path(path).name:
        return "faces"  # each concept's admin lives beside its model but is an interface
    best = None
    for name, prefixes in LAYERS:
        for prefix in prefixes:
            matches = path == prefix or (prefix.endswith("/") and path.startswith(prefix))
            if matches and (best is None or len(prefix) > best[1]):
                best = (name, len(prefix))
    return best[0] if best else None


def modules() -> dict[str, Path]:
    found = {}
    for file in (ROOT / "kaohe").rglob("*.py"):
        rel = file.relative_to(ROOT).as_posix()
        if "/migrations/" in rel:
            continue
        name = rel[:-3].replace("/", ".")
        found[name.removesuffix(".__init__")] = file
    return found


def resolve(module: str, node: ast.ImportFrom | ast.Import, known: dict) -> list[str]:
    """The app modules an import statement reaches (``from kaohe.x import y`` reaches kaohe.x.y if a module)."""
    targets = []
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".")
            is_package = known[module].name == "__init__.py"
            package = package[: len(package) - node.level + (1 if is_package else 0)]
            base = ".".join(package + ([base] if base else []))
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name.startswith("kaohe"):
            targets.append(name)
    return targets


def graph():
    known = modules()
    edges, inner = defaultdict(set), []
    for module, file in known.items():
        tree = ast.parse(file.read_text(encoding="utf-8"))
        top = {id(n) for n in tree.body}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in resolve(module, node, known):
                if target == module:
                    continue
                if id(node) in top:
                    edges[module].add(target)
                else:
                    inner.append((module, node.lineno, target))
    return known, edges, inner


def path_of(module: str, known: dict) -> str:
    return known[module].relative_to(ROOT).as_posix()


def test_every_module_has_a_layer():
    known = modules()
    missing = [p for m in known if layer_of(p := path_of(m, known)) is None and p not in UNLAYERED
               and not p.endswith("__init__.py")]
    assert missing == []


def test_imports_point_down_only():
    known, edges, _inner = graph()
    upward = []
    for source, targets in edges.items():
        source_layer = layer_of(path_of(source, known))
        for target in targets:
            target_layer = layer_of(path_of(target, known))
            if source_layer and target_layer and RANK[target_layer] > RANK[source_layer]:
                upward.append(f"{source} ({source_layer}) -> {target} ({target_layer})")
    assert upward == []


def test_no_import_inside_a_function():
    _known, _edges, inner = graph()
    assert [f"{m}:{line} imports {t}" for m, line, t in inner] == []


def test_no_cycles():
    known, edges, _inner = graph()
    # __init__ modules only re-export; the cycle that matters is between modules that define things.
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target):], target])
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[node] = 2

    for module in sorted(known):
        if module not in state:
            visit(module, [])
    assert cycles == []


def test_the_engine_imports_nothing_of_django_or_the_app():
    known = modules()
    found = []
    for module, file in known.items():
        if not module.startswith("kaohe.scoring"):
            continue
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [f"{module}: {n}" for n in names if n.split(".")[0] in {"django", "kaohe"}]
    assert found == []


def test_the_contract_sees_an_upward_import():
    """The checker itself can fail: a module of the data layer importing an action is reported."""
    assert layer_of("kaohe/doctype/scheme.py") == "data" and layer_of("kaohe/actions/ledger.py") == "writes"
    assert layer_of("kaohe/doctype/scheme_admin.py") == "faces"
    assert layer_of("kaohe/workflow/models.py") == "data" and layer_of("kaohe/workflow/route.py") == "rules"
    assert RANK["writes"] > RANK["data"]
