#!/usr/bin/env python3
"""Run a scenario script as root inside a real Debian kernel booted with virtme-ng.

    python3 tools/vm.py [--kernel 6.1|6.12|IMAGE] SCRIPT OUTDIR   # SCRIPT runs with $OUT = OUTDIR
    python3 tools/vm.py [--kernel …] --scenarios OUTDIR        # kmod/ built, all.sh run: the VM tests' run

The kernel is always named, never the newest one that happens to be installed: 6.1 is
Debian 12's own (linux-image-amd64), 6.12 the newer one it also ships
(linux-image-6.12-amd64); an image path (/boot/vmlinuz-VERSION) names any other.  The
default is 6.1.  The machine's root filesystem is shared read-only with the guest; OUTDIR is
shared read-write and is where the scenario leaves its captures and logs.  KVM is not used
(--disable-kvm): boots take 20–60 s under software emulation.  When something needed is
missing, one line says what to install.
"""
from __future__ import annotations

import argparse
import compileall
import glob
import os
import py_compile
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

APT = "apt-get install -y qemu-system-x86 tcpdump tshark iproute2"
# the kernels the VM suite runs on: name -> (Debian package of the image, of its headers)
KERNELS = {
    "6.1": ("linux-image-amd64", "linux-headers-amd64"),
    "6.12": ("linux-image-6.12-amd64", "linux-headers-6.12-amd64"),
}
DEFAULT_KERNEL = "6.1"
# host routes burst.sh adds and deletes on each kernel.  The burst tests the capture (ring,
# drop counting: exact whatever the size), not what a kernel answers: on 6.1 the issue's
# 20,000-change burst (40,000 frames with their ACKs, nlmon and the BPF source beside it), on
# 6.12 half that, so that two kernels keep the suite within its CI time
BURST_ROUTES = {"6.1": 10_000, "6.12": 5_000}
# where Debian puts images, headers and modules (module-level so that tests can point elsewhere)
BOOT, SRC, MODULES = "/boot", "/usr/src", "/lib/modules"
ROOT = Path(__file__).resolve().parents[1]
# the repository's Python that the guest runs: nlscope itself, the probes and what they import
# SELinux enabled in place of AppArmor (Debian's kernels have both, AppArmor first in CONFIG_LSM):
# with no policy loaded it decides nothing, and captures/scenarios/bpf.sh loads a minimal one
# (selinux.cil: unknown classes allowed, permissive) for the kernel's NETLINK_SELINUX notifications
KERNEL_ARGS = "security=selinux"
# virtual CPUs of a guest (--cpus): two for a VM alone; VMs booted side by side on a machine of
# two cores take one each (the VM tests' conftest says why)
CPUS = 2
PYTHON_DIRS = ("nlscope", "dissectors", "captures/scenarios", "kmod/tools")
_compile_lock = threading.Lock()


class VMError(Exception):
    pass


def _version_key(version: str) -> list:
    return [(0, int(x)) if x.isdigit() else (1, x) for x in re.split(r"[.+~-]", version)]


def _packages(kernel: str) -> tuple[str, str]:
    """The apt packages of a kernel name or image, for the one line that says what to install."""
    if kernel in KERNELS:
        return KERNELS[kernel]
    version = kernel.split("vmlinuz-", 1)[-1]
    return f"linux-image-{version}", f"linux-headers-{version}"


def kernel_image(kernel: str) -> str:
    """The /boot image of a kernel: a name of KERNELS (its newest build installed, 6.1 never
    taken for 6.12) or an image path.  Missing: VMError naming the package to install."""
    if "/" in kernel:
        if not os.path.isfile(kernel) or "vmlinuz-" not in os.path.basename(kernel):
            raise VMError(f"no kernel image {kernel}; install it: apt-get install -y {_packages(kernel)[0]}")
        return kernel
    if kernel not in KERNELS:
        raise VMError(f"unknown kernel {kernel!r}: name one of {', '.join(KERNELS)} or an image path /boot/vmlinuz-*")
    # 6.1 is 6.1.0-57-amd64 and not 6.12.117+deb12-amd64: the version goes on with . or -
    mine = re.compile(rf"{re.escape(kernel)}[.-].*-amd64")
    images = [p for p in glob.glob(os.path.join(BOOT, "vmlinuz-*")) if mine.fullmatch(p.split("vmlinuz-", 1)[1])]
    if not images:
        raise VMError(f"no {kernel} kernel in {BOOT}; install it: apt-get install -y {KERNELS[kernel][0]}")
    return max(images, key=lambda p: _version_key(p.split("vmlinuz-", 1)[1]))


def headers_for(image: str, kernel: str | None = None) -> str:
    """The kernel headers that match a /boot/vmlinuz-VERSION image (to build modules for it)."""
    version = image.split("vmlinuz-", 1)[1]
    path = os.path.join(SRC, f"linux-headers-{version}")
    if not os.path.isdir(path):
        package = _packages(kernel or image)[1]
        raise VMError(f"no headers for kernel {version} in {path}; install them: apt-get install -y {package}")
    return path


def modules_for(image: str, kernel: str | None = None) -> str:
    """The module tree of an image: the guest loads nlmon, dummy… from it."""
    version = image.split("vmlinuz-", 1)[1]
    path = os.path.join(MODULES, version)
    if not os.path.isdir(path):
        raise VMError(f"no modules for kernel {version} in {path}; install them: "
                      f"apt-get install -y {_packages(kernel or image)[0]}")
    return path


def build_kmod(dest: str, kernel: str) -> str:
    """Copy kmod/ to dest and build its modules with the headers of `kernel`; return dest."""
    src = ROOT / "kmod"
    if os.path.exists(dest):
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.o", "*.ko", "*.mod*", ".*.cmd", "Module.symvers",
                                                               "modules.order", "nlscope_test_values.h", "__pycache__"))
    headers = headers_for(kernel_image(kernel), kernel)
    for tool in ("make", "gcc"):
        if shutil.which(tool) is None:
            raise VMError(f"{tool} not found; install it: apt-get install -y build-essential")
    proc = subprocess.run(["make", "-C", headers, f"M={dest}", "modules"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise VMError("kmod build failed: " + " | ".join(proc.stderr.strip().splitlines()[-5:]))
    warnings = [line for line in proc.stderr.splitlines() if "warning:" in line]
    if warnings:
        raise VMError("kmod build has warnings: " + " | ".join(warnings[:5]))
    return dest


def run_scenarios(outdir: str, kernel: str, timeout: int = 1200, cpus: int = CPUS) -> Path:
    """Build the modules for `kernel`, boot it once and run captures/scenarios/all.sh; return outdir."""
    outdir = os.path.abspath(outdir)
    os.makedirs(outdir, exist_ok=True)
    kmod = build_kmod(os.path.join(outdir, "kmod"), kernel)
    script = ROOT / "captures" / "scenarios" / "all.sh"
    env = {"KMOD": kmod, "BURST_ROUTES": str(BURST_ROUTES.get(kernel, BURST_ROUTES[DEFAULT_KERNEL]))}
    run(str(script), outdir, kernel, timeout=timeout, env=env, cpus=cpus)
    return Path(outdir)


def compile_python(root: Path = ROOT) -> None:
    """Write the bytecode of the repository's Python (PYTHON_DIRS) beside it, for the guest.

    The guest sees the machine's files read-only, so without a __pycache__ every Python it
    starts compiles nlscope and the dissectors anew: measured under emulation, 49-54 s for
    `import nlscope.cli, dissectors…` against 19 s with the bytecode there, and a scenario run
    starts ten such processes (PYTHONDONTWRITEBYTECODE, or a fresh clone, leaves none).  The
    .pyc files are checked-hash ones: they are used only while they match the source's bytes,
    so a file edited afterwards is compiled again, never run stale."""
    with _compile_lock:  # threads running kernels side by side write the same files: one at a time
        for d in PYTHON_DIRS:
            if (root / d).is_dir():
                compileall.compile_dir(str(root / d), quiet=2, workers=1,
                                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)


def check_tools() -> None:
    for tool, how in (("qemu-system-x86_64", APT), ("vng", "pip install virtme-ng")):
        if shutil.which(tool) is None:
            raise VMError(f"{tool} not found; install it: {how}")


def run(script: str, outdir: str, kernel: str, timeout: int = 600,
        env: dict | None = None, cpus: int = CPUS) -> subprocess.CompletedProcess:
    """Boot `kernel`, run `sh SCRIPT` as root with $OUT=outdir, return the completed process."""
    check_tools()
    img = kernel_image(kernel)
    modules_for(img, kernel)
    outdir = os.path.abspath(outdir)
    os.makedirs(outdir, exist_ok=True)
    script = os.path.abspath(script)
    compile_python()
    # PYTHON: this interpreter, with nlscope's dependencies; the guest's PATH may find another
    exports = " ".join(f"{k}={v}" for k, v in {"OUT": outdir, "REPO": str(ROOT),
                                                 "PYTHON": sys.executable, **(env or {})}.items())
    cmd = ["vng", "--run", img, "--user", "root", "--disable-kvm", "--memory", "1G", "--cpus", str(cpus), "--rwdir", outdir,
           "--append", KERNEL_ARGS, "--exec", f"env {exports} sh {script} > {outdir}/scenario.log 2>&1; echo $? > {outdir}/scenario.rc; sync"]
    # sync: the guest's dirty pages of OUTDIR (9p) reach the host before the VM powers off;
    # without it a file written last (a capture killed with -9) was seen ending in zeros
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
    parser = argparse.ArgumentParser(prog="vm.py", description=__doc__.splitlines()[0])
    parser.add_argument("--kernel", default=DEFAULT_KERNEL,
                        help=f"{' or '.join(KERNELS)}, or an image path (default {DEFAULT_KERNEL})")
    parser.add_argument("--scenarios", action="store_true",
                        help="build kmod/ for the kernel and run every scenario (captures/scenarios/all.sh) "
                             "into OUTDIR, as the VM tests do; no SCRIPT then")
    parser.add_argument("--timeout", type=int, default=None, help="seconds the VM may run")
    parser.add_argument("--cpus", type=int, default=CPUS, help=f"the guest's virtual CPUs (default {CPUS})")
    parser.add_argument("script", nargs="?")
    parser.add_argument("outdir")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if (args.script is None) != args.scenarios:
        parser.error("name a SCRIPT, or --scenarios, and an OUTDIR")
    try:
        if args.scenarios:
            run_scenarios(args.outdir, args.kernel, cpus=args.cpus, **({"timeout": args.timeout} if args.timeout else {}))
        else:
            run(args.script, args.outdir, args.kernel, cpus=args.cpus,
                **({"timeout": args.timeout} if args.timeout else {}))
    except VMError as exc:
        print(f"vm: {exc}", file=sys.stderr)
        return 1
    rc = Path(args.outdir, "scenario.rc").read_text().strip()
    if not args.scenarios:
        print(Path(args.outdir, "scenario.log").read_text(), end="")
    return int(rc or 1)


if __name__ == "__main__":
    sys.exit(main())
