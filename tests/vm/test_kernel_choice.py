"""tools/vm.py boots the kernel it is told to, builds the modules with that kernel's headers,
and says in one line which package is missing (no VM is booted here: the machine's /boot,
/usr/src and /lib/modules are replaced by a directory of empty files)."""
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import vm  # noqa: E402

V61, V612 = "6.1.0-57-amd64", "6.12.117+deb12-amd64"


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """A fake machine with Debian 12's 6.1 and 6.12 installed; returns a function adding files."""
    dirs = {name: tmp_path / name for name in ("boot", "src", "modules")}
    for d in dirs.values():
        d.mkdir()
    monkeypatch.setattr(vm, "BOOT", str(dirs["boot"]))
    monkeypatch.setattr(vm, "SRC", str(dirs["src"]))
    monkeypatch.setattr(vm, "MODULES", str(dirs["modules"]))

    def install(version, headers=True, modules=True):
        (dirs["boot"] / f"vmlinuz-{version}").write_bytes(b"")
        (dirs["boot"] / f"config-{version}").write_bytes(b"")
        if headers:
            (dirs["src"] / f"linux-headers-{version}").mkdir()
        if modules:
            (dirs["modules"] / version).mkdir()
    install(V61)
    install(V612)
    install.dirs = dirs
    return install


def test_each_name_is_its_own_kernel_not_the_newest(machine):
    """With 6.12 installed beside 6.1, the 6.1 suite used to boot 6.12 (the newest image)."""
    assert vm.kernel_image("6.1") == str(machine.dirs["boot"] / f"vmlinuz-{V61}")
    assert vm.kernel_image("6.12") == str(machine.dirs["boot"] / f"vmlinuz-{V612}")


def test_newest_build_of_a_kernel_by_number(machine):
    machine("6.1.0-9-amd64")
    machine("6.1.0-100-amd64")
    assert vm.kernel_image("6.1").endswith("vmlinuz-6.1.0-100-amd64")


def test_an_image_path_is_taken_as_it_is(machine):
    path = str(machine.dirs["boot"] / f"vmlinuz-{V61}")
    assert vm.kernel_image(path) == path
    with pytest.raises(vm.VMError, match="apt-get install -y linux-image-6.5.0-1-amd64$"):
        vm.kernel_image(str(machine.dirs["boot"] / "vmlinuz-6.5.0-1-amd64"))


@pytest.mark.parametrize("name, package", [("6.1", "linux-image-amd64"), ("6.12", "linux-image-6.12-amd64")])
def test_a_missing_kernel_names_its_package(machine, name, package):
    for p in machine.dirs["boot"].glob("vmlinuz-*"):
        p.unlink()
    with pytest.raises(vm.VMError) as exc:
        vm.kernel_image(name)
    assert "\n" not in str(exc.value) and str(exc.value).endswith(f"apt-get install -y {package}")


def test_unknown_name_is_refused():
    with pytest.raises(vm.VMError, match="unknown kernel '5.10'"):
        vm.kernel_image("5.10")


@pytest.mark.parametrize("name, version, package", [("6.1", V61, "linux-headers-amd64"),
                                                    ("6.12", V612, "linux-headers-6.12-amd64")])
def test_missing_headers_name_their_package(machine, name, version, package):
    (machine.dirs["src"] / f"linux-headers-{version}").rmdir()
    with pytest.raises(vm.VMError) as exc:
        vm.build_kmod(str(machine.dirs["boot"].parent / "kmod"), name)
    assert "\n" not in str(exc.value) and str(exc.value).endswith(f"apt-get install -y {package}")


def test_missing_modules_name_the_image_package(machine, monkeypatch):
    (machine.dirs["modules"] / V612).rmdir()
    monkeypatch.setattr(vm, "check_tools", lambda: None)
    with pytest.raises(vm.VMError, match="apt-get install -y linux-image-6.12-amd64$"):
        vm.run("/bin/true", str(machine.dirs["boot"].parent / "out"), "6.12")


@pytest.mark.parametrize("name, version", [("6.1", V61), ("6.12", V612)])
def test_kmod_is_built_with_the_headers_of_the_kernel_named(machine, monkeypatch, tmp_path, name, version):
    calls = []
    monkeypatch.setattr(vm.subprocess, "run", lambda cmd, **kw: calls.append(cmd) or SimpleNamespace(
        returncode=0, stderr=""))
    vm.build_kmod(str(tmp_path / "kmod"), name)
    assert calls == [["make", "-C", str(machine.dirs["src"] / f"linux-headers-{version}"), f"M={tmp_path / 'kmod'}",
                      "modules"]]


def test_the_command_line_names_the_kernel(machine, monkeypatch, tmp_path, capsys):
    booted = []
    monkeypatch.setattr(vm, "run", lambda script, outdir, kernel, cpus: booted.append((kernel, cpus)) or
                        (Path(outdir, "scenario.rc").write_text("0\n"), Path(outdir, "scenario.log").write_text("")))
    assert vm.main(["--kernel", "6.12", "x.sh", str(tmp_path)]) == 0
    assert vm.main(["--cpus", "1", "x.sh", str(tmp_path)]) == 0
    assert booted == [("6.12", vm.CPUS), (vm.DEFAULT_KERNEL, 1)] and vm.DEFAULT_KERNEL == "6.1"
