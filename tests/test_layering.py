"""The dissector library stands alone: importing it loads neither textual nor nlscope."""
import subprocess
import sys


def test_dissectors_import_neither_textual_nor_nlscope():
    code = ("import sys, dissectors; dissectors.load_families(); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'nlscope')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_core_never_names_a_family():
    """Families register themselves; the core imports the package, never a family module."""
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[1] / "dissectors"
    families = {p.stem for p in (root / "families").rglob("*.py")} | {p.name for p in (root / "families").iterdir()}
    families -= {"__init__", "__pycache__", "protocol", "common"}
    for f in (root / "core").glob("*.py"):
        for line in f.read_text().splitlines():
            if re.match(r"\s*(from|import)\s", line):
                assert not re.search(r"families\.\w", line), (f.name, line)
                assert not any(re.search(rf"\b{name}\b", line) for name in families), (f.name, line)


def _dissector_modules():
    import ast
    from pathlib import Path
    root = Path(__file__).resolve().parents[1] / "dissectors"
    for f in sorted(root.rglob("*.py")):
        yield f.relative_to(root.parent), ast.parse(f.read_text(), str(f))


def _imported_families(rel, tree) -> set[str]:
    """The family packages or modules (dissectors.families.X) a dissector module imports."""
    import ast
    package = list(rel.with_suffix("").parts[:-1]) if rel.name != "__init__.py" else list(rel.parent.parts)
    out = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            mod = base + (node.module.split(".") if node.module else [])
            names = [".".join(mod)] + ([".".join(mod + [a.name]) for a in node.names] if not node.module else [])
        for n in names:
            parts = n.split(".")
            if parts[:2] == ["dissectors", "families"] and len(parts) > 2:
                out.add(parts[2])
    return out


def test_no_family_imports_another_protocols_modules():
    """A protocol that promises its fields to the display filters (Protocol.fields_only_here:
    no other protocol's message holds a field named under its abbrev) has modules no other
    protocol's dissectors import (a package or module under dissectors/families, by its name):
    its fields are made by it alone."""
    import dissectors
    dissectors.load_families()
    claiming = {type(p).__module__.split(".")[2] for p in dissectors.PROTOCOLS.values() if p.fields_only_here}
    assert {"rtnetlink", "genl", "sock_diag"} <= claiming
    found = []
    for rel, tree in _dissector_modules():
        parts = rel.with_suffix("").parts
        if parts[:2] != ("dissectors", "families") or len(parts) < 3 or parts[2] == "__init__":
            continue
        own = parts[2]
        found += [(str(rel), other) for other in (_imported_families(rel, tree) & claiming) - {own}]
    assert not found, found


def test_the_import_check_resolves_relative_imports():
    import ast
    from pathlib import Path
    rel = Path("dissectors/families/genl/x.py")
    tree = ast.parse("from ..rtnetlink.link import LINK\nfrom ...core import attrs\nfrom . import protocol\n"
                     "from .. import xfrm\nimport dissectors.families.audit.records\n")
    assert _imported_families(rel, tree) == {"rtnetlink", "genl", "xfrm", "audit"}
    import pytest
    import tests.test_layering as me
    real = me._dissector_modules
    fake = (Path("dissectors/families/xfrm.py"), ast.parse("from .rtnetlink.common import RTN_NAMES\n"))
    try:
        me._dissector_modules = lambda: iter([*real(), fake])
        with pytest.raises(AssertionError, match="rtnetlink"):
            me.test_no_family_imports_another_protocols_modules()
    finally:
        me._dissector_modules = real


def test_no_context_variables_decide_what_a_decode_returns():
    """What a decode makes (levels, wanted fields, depth so far) is an explicit parameter
    (core.attrs.Request), not a context variable set around the call."""
    import ast
    found = []
    for name, tree in _dissector_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "contextvars" for a in node.names):
                found.append((str(name), node.lineno, "import contextvars"))
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "contextvars":
                found.append((str(name), node.lineno, "from contextvars"))
            elif isinstance(node, (ast.Name, ast.Attribute)) and getattr(node, "id", getattr(node, "attr", "")) \
                    in ("ContextVar", "copy_context"):
                found.append((str(name), node.lineno, "ContextVar"))
    assert not found, found


def test_no_attributes_hung_on_functions():
    """Info functions declare what they read with @info (core/info.py); nothing sets
    `f.needs`, `f.levels`, `f.full_tree`, `f.fast` on a function, nor reads such
    attributes back with getattr."""
    import ast
    found = []
    for name, tree in _dissector_modules():
        funcs = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for node in _module_level(tree.body):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
            for t in targets:
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id in funcs:
                    found.append((str(name), node.lineno, f"{t.value.id}.{t.attr} ="))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "setattr",
                                                                                                  "hasattr") \
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                    and node.args[1].value in ("needs", "levels", "full_tree", "fast", "_wanted"):
                found.append((str(name), node.lineno, f"{node.func.id}(…, {node.args[1].value!r})"))
    assert not found, found


def _module_level(stmts):
    """The statements run at import (into if/for/with/try blocks, not into functions or classes)."""
    import ast
    for s in stmts:
        yield s
        if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                yield from _module_level(getattr(s, field, None) or [])


def test_the_layering_checks_catch_what_they_forbid():
    """The two checks above find the patterns they forbid (a test that cannot fail is none)."""
    import ast
    src = ("import contextvars\nX = contextvars.ContextVar('x')\n"
           "def f(root):\n    return ''\nf.needs = ('a',)\ny = getattr(f, 'levels', 1)\n")
    tree = ast.parse(src)
    kinds = {type(n).__name__ for n in ast.walk(tree)}
    assert {"Import", "Attribute", "Assign", "Call"} <= kinds
    import tests.test_layering as me
    real = me._dissector_modules
    try:
        me._dissector_modules = lambda: iter([("fake.py", tree)])
        import pytest
        with pytest.raises(AssertionError, match="import contextvars"):
            me.test_no_context_variables_decide_what_a_decode_returns()
        with pytest.raises(AssertionError, match=r"f\.needs =.*getattr\(…, 'levels'\)"):
            me.test_no_attributes_hung_on_functions()
    finally:
        me._dissector_modules = real
