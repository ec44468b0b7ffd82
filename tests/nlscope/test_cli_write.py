"""`read -w OUT` (issue 13, item 7): never onto the capture being read, whatever it is called;
OUT replaced only when the run succeeds, through a temporary file beside it."""
import os
import shutil
import stat
import subprocess
import sys

import pytest

from tests.conftest import CAPTURES

EXTACK = CAPTURES / "rtnl-extack.pcapng"
ERRORS = "netlink.type == NLMSG_ERROR && netlink.error != 0"


def nlscope(*args, cwd=None, stdin=None):
    return subprocess.run([sys.executable, "-m", "nlscope", *map(str, args)], capture_output=True, cwd=cwd,
                          stdin=stdin)


def one_line(r) -> str:
    err = r.stderr.decode()
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


def leftovers(d) -> list[str]:
    return [p.name for p in d.iterdir() if p.name.endswith(".part")]


@pytest.fixture
def capture(tmp_path):
    path = tmp_path / "in.pcapng"
    shutil.copy(EXTACK, path)
    return path


@pytest.mark.parametrize("spelling", ["same", "relative", "symlink", "hardlink", "stdin"])
def test_w_refuses_to_write_onto_the_capture_it_reads(capture, spelling):
    d = capture.parent
    before = capture.read_bytes()
    src, out, stdin = str(capture), str(capture), None
    if spelling == "relative":
        out = "./sub/../in.pcapng"
        (d / "sub").mkdir()
    elif spelling == "symlink":
        os.symlink(capture, d / "link.pcapng")
        out = str(d / "link.pcapng")
    elif spelling == "hardlink":
        os.link(capture, d / "hard.pcapng")
        out = str(d / "hard.pcapng")
    elif spelling == "stdin":
        src, stdin = "-", open(capture, "rb")
    try:
        r = nlscope("read", "-q", "-w", out, src, cwd=d, stdin=stdin)
    finally:
        if stdin is not None:
            stdin.close()
    assert r.returncode == 2 and "is the capture being read" in one_line(r)
    assert capture.read_bytes() == before and not leftovers(d)


@pytest.mark.parametrize("bad", ["missing", "not a capture"])
def test_an_existing_output_is_untouched_when_the_input_fails(tmp_path, bad):
    out = tmp_path / "out.pcapng"
    out.write_bytes(b"precious")
    src = tmp_path / "in.pcapng"
    if bad != "missing":
        src.write_bytes(b"hello, this is not a capture")
    r = nlscope("read", "-w", out, src)
    assert r.returncode == 2 and one_line(r)
    assert out.read_bytes() == b"precious" and not leftovers(tmp_path)


def test_a_successful_write_replaces_the_output_keeping_its_mode_and_links(capture):
    d = capture.parent
    target = d / "target.pcapng"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    os.symlink(target, d / "out.pcapng")
    r = nlscope("read", "-q", "-Y", ERRORS, "-w", d / "out.pcapng", capture)
    assert r.returncode == 0, r.stderr
    assert (d / "out.pcapng").is_symlink() and stat.S_IMODE(target.stat().st_mode) == 0o640
    rows = nlscope("read", target).stdout.decode().splitlines()[1:]
    assert len(rows) == 11 and all("NLMSG_ERROR" in row for row in rows)
    assert not leftovers(d)


def test_a_new_output_gets_the_mode_open_would_give(capture):
    out = capture.parent / "new.pcapng"
    r = subprocess.run(["sh", "-c", f"umask 027 && exec {sys.executable} -m nlscope read -q -w {out} {capture}"],
                       capture_output=True)
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_a_truncated_input_writes_the_frames_before_the_fault(capture, tmp_path):
    cut = tmp_path / "cut.pcapng"
    data = capture.read_bytes()
    cut.write_bytes(data[:len(data) // 2 + 3])
    out = tmp_path / "out.pcapng"
    out.write_bytes(b"old")
    r = nlscope("read", "-q", "-w", out, cut)
    assert r.returncode == 2 and one_line(r)
    assert nlscope("read", out).stdout.count(b"\n") > 20 and not leftovers(tmp_path)


@pytest.mark.parametrize("out,why", [("/dev/full", "No space left on device"),
                                     ("/nonexistent/dir/out.pcapng", "No such file or directory")])
def test_an_output_that_cannot_be_written_is_one_line(capture, out, why):
    r = nlscope("read", "-q", "-w", out, capture)
    assert r.returncode == 2 and why in one_line(r)


def test_w_dash_writes_the_frames_to_stdout_and_nothing_else(capture):
    r = nlscope("read", "-Y", ERRORS, "-w", "-", capture)
    assert r.returncode == 0 and r.stdout[:4] == b"\x0a\x0d\x0d\x0a", r.stderr
    back = subprocess.run([sys.executable, "-m", "nlscope", "read", "-"], input=r.stdout, capture_output=True)
    rows = back.stdout.decode().splitlines()[1:]
    assert len(rows) == 11 and all("NLMSG_ERROR" in row for row in rows)
    refused = nlscope("read", "-V", "-w", "-", capture)
    assert refused.returncode == 2 and "add -q" in one_line(refused) and refused.stdout == b""
