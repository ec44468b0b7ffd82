"""Info-column functions and what they read, declared with them.

An Info function makes the Info column's text from a decoded tree.  A summary does not
need the whole tree: the function says how much it reads with `@info(...)`, and the core
decodes just that much (`Message.info`, `Message.decode`):

    @info(reads=("rtnl.link.ifname", "rtnl.link.mtu"), fast=_link_info_fast)
    def link_info(root) -> str: ...

`reads`: the fields it reads, besides the fixed header (None: every attribute of the
levels decoded); `levels`: how many levels of nests below the top it reads; `full_tree`:
it needs structs, arrays or deep nests (the whole tree is decoded); `fast`: a twin that
answers from the bytes, or None to leave it to the tree.  Every name in `reads` must be a
field declared before (with its attribute set): a typo is an error at import, naming it,
not an Info that silently differs between a summary and a full decode.
"""
from __future__ import annotations

from typing import Callable

from ..model import FIELDS

# every Info declared, so a test can check them all against the field registry
ALL_INFOS: list = []


class UnknownField(KeyError):
    """An Info function declared it reads a field nobody declared."""

    def __str__(self):
        return str(self.args[0]) if self.args else ""


def wanted_names(reads) -> frozenset:
    """The field names read, with every dotted prefix (a nest holding a needed attribute
    is needed too)."""
    out = set()
    for name in reads:
        parts = name.split(".")
        out.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return frozenset(out)


class Info:
    """An Info function with its declaration; called like the function."""

    def __init__(self, func: Callable, reads=None, levels: int = 1, full_tree: bool = False,
                 fast: Callable | None = None, check: bool = True):
        if not isinstance(levels, int) or isinstance(levels, bool) or levels < 1:
            raise ValueError(f"{func.__qualname__}: levels must be a positive integer, not {levels!r}")
        self.func = func
        self.reads = tuple(reads) if reads is not None else None
        self.levels = levels
        self.full_tree = bool(full_tree)
        self.fast = fast
        self.wanted = wanted_names(self.reads) if self.reads is not None else None
        self.__wrapped__ = func
        self.__name__ = getattr(func, "__name__", "info")
        self.__qualname__ = getattr(func, "__qualname__", self.__name__)
        self.__doc__ = getattr(func, "__doc__", None)
        self.__module__ = getattr(func, "__module__", None)
        if check:
            self.check()
            ALL_INFOS.append(self)

    def check(self) -> None:
        """Raise UnknownField naming the first field of `reads` that is not declared."""
        for name in self.reads or ():
            if name not in FIELDS:
                raise UnknownField(f"{self.__module__}.{self.__qualname__} reads {name!r}, "
                                   f"which is not a declared field")

    def __call__(self, root) -> str:
        return self.func(root)

    def __repr__(self):
        return f"<Info {self.__module__}.{self.__qualname__}>"


def info(reads=None, *, levels: int = 1, full_tree: bool = False, fast: Callable | None = None):
    """Decorator: declare what an Info function reads (see the module's docstring)."""
    if isinstance(reads, str):
        raise TypeError("reads is a sequence of field names, not one string")

    def declare(func: Callable) -> Info:
        return Info(func, reads, levels, full_tree, fast)
    return declare


def as_info(func) -> Info | None:
    """An Info for a MessageType: a declared one as it is, a bare function as one that
    reads every attribute of the top level (what a summary decodes by default)."""
    if func is None or isinstance(func, Info):
        return func
    return Info(func, check=False)
