"""What an expected-decoding file (captures/*.expected.json) says for one kernel.

One file per scenario serves every kernel: an entry may carry "kernels", a map from a
kernel name of tools/vm.py's KERNELS to what differs there, merged over the entry:

    {"what": "…", "request": {…}, "reply": {"error": 0},
     "kernels": {"6.12": {"reply": {"error": -95, "errname": "EOPNOTSUPP"}}}}

Objects merge key by key (as deep as they go), any other value replaces, null removes a
key, and null for the whole entry ("kernels": {"6.12": null}) says the expectation does not
hold on that kernel.  With no "kernels" an entry holds on every kernel.
"""
from __future__ import annotations

import copy


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if v is None:
            out.pop(k, None)
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def for_kernel(expected: dict, kernel: str) -> dict:
    """The expected-decoding document as it holds on `kernel` (the "kernels" overrides applied)."""
    entries = []
    for e in expected["expect"]:
        over = e.get("kernels", {})
        if kernel in over and over[kernel] is None:
            continue
        entry = _merge(e, over.get(kernel) or {})
        entry.pop("kernels", None)
        entries.append(entry)
    return {**expected, "expect": entries}
