"""The repository's tools/*.py scripts, imported by path for their tests (tools/ is no package),
and what their generators make, or a test failure (never a skip) saying how to get their source."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load(name: str):
    """tools/NAME.py as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated(gen, source: Path) -> dict[str, str]:
    """gen.generate(source): file name -> text, or a failure naming how to get the source."""
    try:
        return gen.generate(source)
    except FileNotFoundError as e:
        pytest.fail(str(e))
