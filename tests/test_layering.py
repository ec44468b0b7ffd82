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
