"""Every public name of the library a script author uses has a docstring (help() says what it is)."""
import inspect

import dissectors
import nlscope


def _undocumented(mod):
    out = []
    for name in getattr(mod, "__all__", [n for n in dir(mod) if not n.startswith("_")]):
        obj = getattr(mod, name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        if not (obj.__doc__ or "").strip():
            out.append(name)
        if inspect.isclass(obj):
            for attr, value in vars(obj).items():
                fn = value.fget if isinstance(value, property) else value
                if not attr.startswith("_") and inspect.isfunction(fn) and not (fn.__doc__ or "").strip():
                    out.append(f"{name}.{attr}")
    return out


def test_every_public_name_has_a_docstring():
    assert _undocumented(dissectors) == [] and _undocumented(nlscope) == []
