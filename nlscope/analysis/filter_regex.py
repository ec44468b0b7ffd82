"""`matches`: a display filter's regular expression, run in time linear in the text (RE2).

Why RE2 (the google-re2 package), not Python's `re`, nor the `regex` module with a timeout:
- `re` backtracks: `^(a+)+$` against a 31-character name ran for 70 s, and a match in
  progress cannot be interrupted.
- `regex` is PCRE-like (as Wireshark's PCRE2) and takes `timeout=`, but a timeout's verdict
  depends on the machine's load (the same filter would match on an idle machine and fail on
  a busy one), and its compiler unrolls counted repeats: the 24 characters
  `((a{1000}){1000}){1000}` exhausted 2 GB while compiling, where no timeout applies.
- RE2 matches in time linear in the text, builds its program within a memory budget, and
  refuses at compile time what it cannot run in linear time: backreferences and lookaround,
  the PCRE2 features given up (the refusal says so).  A pattern is case-insensitive, as
  Wireshark compiles every `matches` (PCRE2_CASELESS); `(?-i)` in it makes it sensitive.
Linear is not free: a search costs about (program size × text length), and when RE2's DFA
runs out of its memory budget it falls back to a slower simulation.  So the program is
bounded (MAX_PROGRAM instructions: a search of a 64 KiB attribute stays near a second at
worst here), and the filter bounds its total work on one message (FilterTimeout).
"""
from __future__ import annotations

from typing import Callable

from .filter_errors import FilterError, quote

# RE2 program instructions a `matches` may compile to; `^veth[0-9]+$` takes 12, an
# alternation of 100 interface names about 600.  Worst case measured on this project's
# machine: 1,007 instructions, 0.7-1.8 s against 64 KiB (the largest netlink attribute).
MAX_PROGRAM = 2000
# characters in a pattern, checked before RE2 compiles it: compiling costs about the
# pattern's length times its character classes' size (190,000 `\p{L}` took 76 s to refuse)
MAX_PATTERN = 1000
# RE2's memory for the program and its DFA cache: 1 MiB, not RE2's default 8 MiB, so an
# oversized pattern is refused early (0.03 s, not 1.1 s) — searches were no slower for it
MAX_MEMORY = 1 << 20


def _options():
    import re2
    opts = re2.Options()
    opts.log_errors = False      # RE2 would log the refusal to stderr itself; we say it once
    opts.never_capture = True    # `matches` asks only whether: no groups to record
    opts.max_mem = MAX_MEMORY
    opts.case_sensitive = False  # Wireshark's `matches` is caseless; `(?-i)` turns that off
    return opts


def compile_regex(pattern: str, column: int, text: str) -> Callable[[str], bool]:
    """search(value) -> does the pattern occur in it?  FilterError (at `column` of the filter
    `text`) for a pattern RE2 refuses, or one longer than MAX_PATTERN or MAX_PROGRAM."""
    import re2
    if len(pattern) > MAX_PATTERN:
        raise FilterError(f"regular expression of {len(pattern):,} characters, more than the {MAX_PATTERN:,} "
                          f"allowed: use a shorter one, or several 'matches' joined by 'or'", column, text)
    try:
        rx = re2.compile(pattern, _options())
    except re2.error as exc:
        why = exc.args[0] if exc.args else "invalid"
        if isinstance(why, bytes):
            why = why.decode("utf-8", "backslashreplace")
        # lookaround is "invalid perl operator: (?=", a backreference "invalid escape sequence: \\1"
        lost = why.startswith("invalid perl operator") or why[-2:-1] == "\\" and why[-1:].isdigit()
        hint = " (RE2 syntax: no lookaround or backreferences)" if lost else ""
        raise FilterError(f"bad regular expression: {quote(why, 80)}{hint}", column, text) from None
    except (TypeError, UnicodeError):
        raise FilterError("bad regular expression: not valid text", column, text) from None
    if rx.programsize > MAX_PROGRAM:
        raise FilterError(f"regular expression too large ({rx.programsize} RE2 instructions, at most "
                          f"{MAX_PROGRAM}): use a shorter one, or several 'matches' joined by 'or'",
                          column, text)
    search = rx.search

    def found(value: str) -> bool:
        return search(value) is not None
    return found
