"""What a hostile capture can make nlscope print: no control character reaches the terminal,
in any mode (issue 13, item 5); JSON escapes them and keeps the true value."""
import json
import os
import struct
import subprocess
import sys

import pytest

from tests.dissectors.build import msg, nla
from tests.nlscope.sources import craft

IFNAME = "ev\x1b[31mil\nforged"
C1_NAME = "x\u009b2J\u202egnp"           # a C1 CSI and a right-to-left override, as UTF-8
EXTACK = "bad\a\x1b]0;pwned\x07 value\r\n"
COMM = "ev\x1b[2Jil"                      # a process name in nlscope's packet comment
RTM_NEWLINK, NLMSG_ERROR = 16, 2
NLM_F_REQUEST, NLM_F_CAPPED, NLM_F_ACK_TLVS = 1, 0x100, 0x200


def _link(name: str, seq: int) -> bytes:
    ifinfo = struct.pack("<BxHiII", 0, 1, 7, 0, 0)
    return msg(RTM_NEWLINK, 0, ifinfo + nla(3, name.encode() + b"\0"), seq=seq)


def _error() -> bytes:
    request = msg(RTM_NEWLINK, NLM_F_REQUEST, struct.pack("<BxHiII", 0, 1, 7, 0, 0), seq=9)[:16]
    body = struct.pack("<i", -22) + request + nla(1, EXTACK.encode() + b"\0")
    return msg(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, body, seq=9, pid=4242)


def hostile_pcapng() -> bytes:
    frames = [_link(IFNAME, 1), _link(C1_NAME, 2), _error()]
    o = craft.opts((craft.IF_TSRESOL, bytes([9])))
    out = [craft.shb(), craft.idb(253, options=o)]
    for i, f in enumerate(frames):
        comment = craft.opts((craft.OPT_COMMENT, f"nlscope.process pid=77 comm={COMM}".encode())) if i == 0 else b""
        out.append(craft.epb(0, 1_700_000_000 * 10**9 + i, craft.cooked(f), options=comment))
    return b"".join(out)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.pcapng"
    path.write_bytes(hostile_pcapng())
    return path


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "nlscope", *map(str, args)], capture_output=True,
                          env={**os.environ, **(env or {})})


def _controls(text: str, allowed: str = "\n") -> set:
    return {c for c in text if not c.isprintable() and c not in allowed}


MODES = [["read", "-j", "1"], ["read", "-j", "2"], ["read", "-V"], ["read", "-V", "-j", "2"], ["read", "-t", "a"],
         ["read", "-T", "fields", "-e", "rtnl.link.ifname", "-e", "netlink.error", "-e", "nlscope.process"],
         ["read", "-T", "json"], ["stats"]]


@pytest.mark.parametrize("mode", MODES, ids=" ".join)
def test_no_control_character_reaches_the_terminal(hostile, mode):
    r = run(*mode, hostile)
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert not _controls(out, "\n\t" if "fields" in mode else "\n"), mode
    if mode[0] == "read" and "json" not in mode:
        assert "\\e[31mil\\nforged" in out
    if mode[:2] == ["read", "-j"] or mode == ["read", "-t", "a"]:
        lines = out.splitlines()
        assert len(lines) == 4  # the header and one row a message: no forged line
        assert "\\a\\e]0;pwned\\a value\\r\\n" in lines[3]
    if "-V" in mode:
        assert f"process {COMM}".replace("\x1b", "\\e") in out


def test_fields_cells_cannot_be_forged(hostile):
    r = run("read", "-T", "fields", "-e", "rtnl.link.ifname", "-e", "frame.number", hostile)
    rows = [line.split("\t") for line in r.stdout.decode().splitlines()]
    assert rows[0] == ["ev\\e[31mil\\nforged", "1"] and rows[1] == ["x\\x9b2J\\u202egnp", "2"]
    assert all(len(row) == 2 for row in rows)


def test_json_escapes_and_keeps_the_true_value(hostile):
    r = run("read", "-T", "json", hostile)
    text = r.stdout.decode()
    assert "\u009b" not in text and "\u202e" not in text and "\\u009b" in text and "\\u202e" in text
    objs = [json.loads(line) for line in text.splitlines()]
    assert len(objs) == 3

    def values(node):
        yield node.get("value")
        for c in node.get("children", ()):
            yield from values(c)
    assert IFNAME in set(values(objs[0]["tree"])) and C1_NAME in set(values(objs[1]["tree"]))
    assert objs[2]["error"]["extack"]["msg"] == EXTACK
    assert objs[0]["process"]["comm"] == COMM


def test_errors_on_stderr_are_escaped_too(tmp_path):
    bad = tmp_path / "evil\x1b[2J\nname.pcap"
    bad.write_bytes(b"not a capture at all")
    r = run("read", bad)
    err = r.stderr.decode()
    assert r.returncode == 2 and len(err.splitlines()) == 1 and not _controls(err) and "evil\\e[2J\\nname" in err
