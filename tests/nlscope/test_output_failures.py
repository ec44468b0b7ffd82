"""Output that cannot be written, or not as it is (issue 13, item 6): a full disk, stdout
closed, an encoding without the characters printed, a timestamp past what a date holds —
one line on stderr and status 2, or escaped text, never a traceback."""
import os
import re
import struct
import subprocess
import sys

import pytest

from tests.conftest import CAPTURES
from tests.nlscope.sources import craft

EXTACK = CAPTURES / "rtnl-extack.pcapng"
DEEP = CAPTURES / "rtnl-deep.pcapng"   # 577 frames: a parallel read forks workers for it


def nlscope(*args, stdout=subprocess.PIPE, env=None, shell_redirect=None):
    cmd = [sys.executable, "-m", "nlscope", *map(str, args)]
    if shell_redirect is not None:  # e.g. ">&-": the shell closes the descriptor before nlscope starts
        import shlex
        cmd = ["sh", "-c", "exec " + " ".join(map(shlex.quote, cmd)) + " " + shell_redirect]
    return subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})


def one_line(r) -> str:
    err = r.stderr.decode()
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.parametrize("args", [["read", "-j", "1", EXTACK], ["read", "-V", "-j", "2", DEEP],
                                  ["read", "-T", "json", "-j", "1", DEEP], ["read", "-j", "2", DEEP],
                                  ["stats", EXTACK], ["fields"]], ids=lambda a: " ".join(map(str, a[:-1] or a)))
def test_a_full_disk_on_stdout_is_one_line(args):
    with open("/dev/full", "w") as full:
        r = nlscope(*args, stdout=full)
    assert r.returncode == 2
    assert "cannot write standard output: No space left on device" in one_line(r)


@pytest.mark.parametrize("args", [["read", EXTACK], ["read", "-V", "-j", "2", DEEP], ["stats", EXTACK], ["fields"]],
                         ids=lambda a: " ".join(map(str, a[:-1] or a)))
def test_a_closed_stdout_is_one_line(args):
    r = nlscope(*args, stdout=None, shell_redirect=">&-")
    assert r.returncode == 2 and "standard output is closed" in one_line(r)


def test_a_closed_stdout_with_q_and_w_writes_the_file_and_nothing_into_it(tmp_path):
    """The descriptor a closed stdout leaves free is not taken by the -w file (or what is
    printed would go into the capture)."""
    out = tmp_path / "out.pcapng"
    r = nlscope("read", "-q", "-w", out, EXTACK, stdout=None, shell_redirect=">&-")
    assert r.returncode == 0, r.stderr
    back = nlscope("read", "-T", "json", out)
    want = nlscope("read", "-T", "json", EXTACK).stdout.count(b"\n")
    assert back.returncode == 0 and back.stdout.count(b"\n") == want


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize("args", [["read", "-j", "1"], ["read", "-j", "2"], ["read", "-V"], ["read", "-T", "json"],
                                  ["stats"]], ids=" ".join)
def test_an_encoding_without_the_characters_escapes_them(encoding, args):
    r = nlscope(*args, CAPTURES / "mixed.pcapng", env={"PYTHONIOENCODING": encoding})
    assert r.returncode == 0 and b"Traceback" not in r.stderr, r.stderr.decode()[-500:]
    r.stdout.decode(encoding)
    if args[0] == "read" and "-V" not in args and "json" not in args:
        assert b"U\\u2192K" in r.stdout  # the arrow of the Dir column
    if "json" in args:
        import json
        assert [json.loads(x)["direction"] for x in r.stdout.decode(encoding).splitlines()][:2] == ["to kernel",
                                                                                                     "from kernel"]


def test_the_c_locale_prints_as_utf_8():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIO", "PYTHONUTF8"))}
    r = subprocess.run([sys.executable, "-m", "nlscope", "read", str(EXTACK)], capture_output=True,
                       env={**env, "LC_ALL": "C"})
    assert r.returncode == 0 and "U→K".encode() in r.stdout, r.stderr


def _one_frame(tsresol: int, ticks: int, tsoffset: int | None = None) -> bytes:
    done = craft.cooked(craft.DONE)
    o = [(craft.IF_TSRESOL, bytes([tsresol]))]
    if tsoffset is not None:
        o.append((craft.IF_TSOFFSET, struct.pack("<q", tsoffset)))
    return craft.shb() + craft.idb(253, options=craft.opts(*o)) + craft.epb(0, ticks, done)


@pytest.mark.parametrize("what,raw", [
    ("2^40 s", _one_frame(0, 2**40)),                       # if_tsresol 10^0: ticks are seconds
    ("2^62 s", _one_frame(0, 2**62)),                       # past what time_t holds
    ("negative", _one_frame(9, 5, tsoffset=-2**40)),       # if_tsoffset is signed
], ids=["2^40 s", "2^62 s", "negative"])
def test_absolute_time_of_a_garbage_timestamp(tmp_path, what, raw):
    path = tmp_path / "t.pcapng"
    path.write_bytes(raw)
    for mode in (["-t", "a"], ["-t", "a", "-V"], ["-t", "d"], ["-T", "json"]):
        r = nlscope("read", *mode, path)
        assert r.returncode == 0 and r.stderr == b"", (what, mode, r.stderr.decode()[-300:])
    row = nlscope("read", "-t", "a", path).stdout.decode().splitlines()[1]
    assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d{6}", row.split()[1]), row
