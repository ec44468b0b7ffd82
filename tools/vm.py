#!/usr/bin/env python3
"""Run a scenario script as root inside a real Debian kernel booted with virtme-ng.

    python3 tools/vm.py SCRIPT OUTDIR          # SCRIPT runs with $OUT = OUTDIR (writable)

The machine's root filesystem is shared read-only with the guest; OUTDIR is shared
read-write and is where the scenario leaves its captures and logs.  KVM is not used
(--disable-kvm): boots take 20–40 s under software emulation.  When something needed is
missing, one line says what to install.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

APT = "apt-get install -y qemu-system-x86 linux-image-amd64 linux-headers-amd64 tcpdump tshark iproute2"


class VMError(Exception):
    pass


def kernel_image() -> str:
    """The newest Debian kernel installed under /boot (never a hard-coded version)."""
    images = glob.glob("/boot/vmlinuz-*")
    if not images:
        raise VMError(f"no kernel image in /boot; install one: {APT}")

    def key(p):
        return [int(x) if x.isdigit() else x for x in re.split(r"[.-]", p.split("vmlinuz-", 1)[1])]
    return sorted(images, key=key)[-1]


def headers_for(image: str) -> str:
    """The kernel headers that match a /boot/vmlinuz-VERSION image (to build modules for it)."""
    version = image.split("vmlinuz-", 1)[1]
    path = f"/usr/src/linux-headers-{version}"
    if not os.path.isdir(path):
        raise VMError(f"no headers for kernel {version} in {path}; install them: apt-get install -y linux-headers-amd64")
    return path


def build_kmod(dest: str) -> str:
    """Copy kmod/ to dest and build its modules for the VM's kernel; return dest."""
    src = Path(__file__).resolve().parents[1] / "kmod"
    if os.path.exists(dest):
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.o", "*.ko", "*.mod*", ".*.cmd", "Module.symvers",
                                                               "modules.order", "nlscope_test_values.h"))
    for tool in ("make", "gcc"):
        if shutil.which(tool) is None:
            raise VMError(f"{tool} not found; install it: apt-get install -y build-essential")
    proc = subprocess.run(["make", "-C", headers_for(kernel_image()), f"M={dest}", "modules"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise VMError("kmod build failed: " + " | ".join(proc.stderr.strip().splitlines()[-5:]))
    warnings = [line for line in proc.stderr.splitlines() if "warning:" in line]
    if warnings:
        raise VMError("kmod build has warnings: " + " | ".join(warnings[:5]))
    return dest


def run_scenarios(outdir: str, timeout: int = 1200) -> Path:
    """Build the modules, boot once and run captures/scenarios/all.sh; return outdir."""
    outdir = os.path.abspath(outdir)
    os.makedirs(outdir, exist_ok=True)
    kmod = build_kmod(os.path.join(outdir, "kmod"))
    script = Path(__file__).resolve().parents[1] / "captures" / "scenarios" / "all.sh"
    run(str(script), outdir, timeout=timeout, env={"KMOD": kmod})
    return Path(outdir)


def check_tools() -> None:
    for tool, how in (("qemu-system-x86_64", APT), ("vng", "pip install virtme-ng")):
        if shutil.which(tool) is None:
            raise VMError(f"{tool} not found; install it: {how}")


def run(script: str, outdir: str, timeout: int = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    """Boot the kernel, run `sh SCRIPT` as root with $OUT=outdir, return the completed process."""
    check_tools()
    img = kernel_image()
    outdir = os.path.abspath(outdir)
    os.makedirs(outdir, exist_ok=True)
    script = os.path.abspath(script)
    # PYTHON: this interpreter, with nlscope's dependencies; the guest's PATH may find another
    exports = " ".join(f"{k}={v}" for k, v in {"OUT": outdir, "REPO": str(Path(__file__).resolve().parents[1]),
                                                 "PYTHON": sys.executable, **(env or {})}.items())
    cmd = ["vng", "--run", img, "--user", "root", "--disable-kvm", "--memory", "1G", "--cpus", "2", "--rwdir", outdir,
           "--exec", f"env {exports} sh {script} > {outdir}/scenario.log 2>&1; echo $? > {outdir}/scenario.rc"]
    # its own process group, so that a timeout ends qemu too (killing vng alone leaves the
    # emulator running, and a second VM would then compete with it for the two cores)
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as p:
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            raise VMError(f"the VM did not finish in {timeout} s; it was stopped (scenario log: "
                          f"{outdir}/scenario.log)") from None
    proc = subprocess.CompletedProcess(cmd, p.returncode, out, err)
    rc_file = Path(outdir, "scenario.rc")
    if not rc_file.exists():
        tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-5:]
        raise VMError("the VM did not run the scenario (vng exit %d): %s" % (proc.returncode, " | ".join(tail)))
    return proc


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        run(argv[0], argv[1])
    except VMError as exc:
        print(f"vm: {exc}", file=sys.stderr)
        return 1
    rc = Path(argv[1], "scenario.rc").read_text().strip()
    print(Path(argv[1], "scenario.log").read_text(), end="")
    return int(rc or 1)


if __name__ == "__main__":
    sys.exit(main())
