"""Fresh traffic from a real kernel: the module builds and loads, the scenarios run, and the
decodes of the fresh captures show the values the module and the tools were told to send.
Every test runs once per kernel (tests/vm/conftest.py)."""
import json
import re

import pytest
import vm

from tests.captures.tool_output import check_stations
from tests.conftest import CAPTURES, decode_file
from tests.expect import TEST_VALUES, check
from tests.vm.kernels import for_kernel

pytestmark = pytest.mark.vm
SECTIONS = ["rtnl-extack", "nlscope-test", "classic", "nl80211", "mixed", "rtnl-deep", "genl-more", "nf-diag", "monitors",
            "objects", "stations"]  # captured by tcpdump


def test_booted_the_kernel_named(vm_out, vm_kernel):
    """With 6.12 installed beside 6.1, the suite used to boot the newest image whatever it meant."""
    version = vm.kernel_image(vm_kernel).split("vmlinuz-", 1)[1]
    assert version.startswith(vm_kernel + ".")
    assert (vm_out / "scenario.log").read_text().splitlines()[0] == f"kernel {version}"


def test_kmod_built(vm_out, vm_kernel):
    # build_kmod fails on any compiler warning, so reaching here means a clean build
    version = vm.kernel_image(vm_kernel).split("vmlinuz-", 1)[1]
    for ko in ("nlscope_test.ko", "netlink_exam.ko"):
        # the module's .modinfo says the kernel its headers were for: "vermagic=VERSION SMP …\0"
        magic = re.search(rb"vermagic=([^ \0]+)", (vm_out / "kmod" / ko).read_bytes())
        assert magic and magic.group(1).decode() == version, (ko, magic)


def test_every_section_ran(vm_out):
    log = (vm_out / "scenario.log").read_text()
    for s in SECTIONS + ["burst", "tui-live"]:
        assert f"{s} rc=0" in log, log


@pytest.mark.parametrize("name", SECTIONS)
def test_capture_lost_nothing(vm_out, name):
    log = (vm_out / f"{name}.tcpdump.log").read_text()
    assert "0 packets dropped by kernel" in log, log
    captured = int(re.search(r"(\d+) packets captured", log).group(1))
    assert captured > 0


def test_module_load_unload_clean(vm_out):
    log = (vm_out / "nlscope-test.log").read_text() + (vm_out / "classic.log").read_text()
    assert "+ insmod" in log and log.count("rc=0") >= 4
    assert "rmmod nlscope_test\nrc=0" in log and "rmmod netlink_exam\nrc=0" in log
    dmesg = (vm_out / "dmesg.log").read_text().splitlines()
    bad = [line for line in dmesg if any(w in line for w in ("BUG:", "Oops", "general protection", "WARNING:",
                                                              "kmemleak", "Call Trace"))]
    assert not bad, bad


def test_classic_example_on_its_private_protocol(vm_out):
    """Protocol 17 is invisible to nlmon: the programs' own output shows the round trip."""
    text = TEST_VALUES["classic"]["text"]
    recv = (vm_out / "exam_recv.17.log").read_text()
    assert "announce type 0x12" in recv and repr(text) in recv
    assert text in (vm_out / "classic.log").read_text()  # /proc/netlink_exam_buffer


def test_client_saw_what_the_decode_shows(vm_out):
    """nt_client.py's own account (buffers, cookie, errors) agrees with the capture."""
    log = (vm_out / "nlscope-test.log").read_text()
    n = TEST_VALUES["scenario"]["dump_count"]
    m = re.search(rf"dump: {n} entries in (\d+) buffers", log)
    assert m and int(m.group(1)) >= 2, log
    assert f"'cookie': '{TEST_VALUES['notify']['cookie']}'" in log
    assert f"'msg': '{TEST_VALUES['fail']['message']}'" in log


@pytest.mark.parametrize("name", SECTIONS)
def test_fresh_capture_matches_expected(vm_out, vm_kernel, name):
    exp = for_kernel(json.loads((CAPTURES / f"{name}.expected.json").read_text()), vm_kernel)
    msgs = decode_file(vm_out / f"{name}.pcap")
    check(msgs, exp)
    for m in msgs:
        assert not m.malformed, (m.frame, m.info)
        if m.claimed:
            bad = [n for n in m.tree.walk() if n.status]
            assert not bad, (name, m.frame, m.type_name, [(n.name, n.status) for n in bad])


def test_fresh_station_counters_are_what_iw_printed(vm_out):
    """This run's counters, times and flags of every station, as iw printed them."""
    log = (vm_out / "stations.log").read_text()
    assert check_stations(decode_file(vm_out / "stations.pcap"), log) >= 3


def _frames(path):
    from nlscope.sources import read_capture
    return [fr.header + fr.data for fr in read_capture(str(path))]


REORDER = 8   # frames two packet sockets may see in another order (see below)


def test_nlscope_capture_agrees_with_tcpdump(vm_out):
    """Same scenario, same interface, two capturers: the same frames, byte for byte.  Their
    order may differ a little: skbs tapped at once on the guest's two CPUs reach each packet
    socket in the order it was handed them (one CI run saw a GETLINK 4 frames apart), so each
    frame's place may move by at most REORDER."""
    from collections import Counter
    ours, theirs = _frames(vm_out / "rtnl-extack.nlscope.pcapng"), _frames(vm_out / "rtnl-extack.pcap")
    assert ours and Counter(ours) == Counter(theirs)
    places: dict = {}
    for i, f in enumerate(theirs):
        places.setdefault(f, []).append(i)
    seen: Counter = Counter()
    for i, f in enumerate(ours):
        j = places[f][seen[f]]
        seen[f] += 1
        assert abs(i - j) <= REORDER, (i, j, f.hex())


@pytest.mark.parametrize("name", ["mixed", "nl80211"])
def test_nlscope_capture_loses_nothing(vm_out, name):
    """With process lookups on, nlscope leaves out only its own questions to the kernel."""
    log = (vm_out / f"{name}.nlscope.log").read_text()
    assert "dropped 0 (PACKET_STATISTICS)" in log, log
    ours, theirs = _frames(vm_out / f"{name}.nlscope.pcapng"), _frames(vm_out / f"{name}.pcap")
    it = iter(theirs)
    assert all(any(f == t for t in it) for f in ours[:-2])  # in order, a subsequence of tcpdump's


def test_process_attribution(vm_out):
    import nlscope
    procs = set()
    for name in ("mixed", "nl80211"):
        cap = nlscope.open(str(vm_out / f"{name}.nlscope.pcapng"))
        procs |= {m.process.comm for m in cap if m.process and m.direction == "to kernel"}
        named = cap.filter('nlscope.process == "iw"' if name == "nl80211" else 'nlscope.process == "nft"')
        assert named, name
    assert {"ip", "ss", "iw", "nft"} <= procs, procs


def test_live_tui_driven_by_pilot(vm_out):
    """`nlscope live` in the VM: messages appear, the process column names ip, pause holds
    updates back without losing them, and 'w' saves a pcapng that reads back the same."""
    import nlscope
    log = (vm_out / "tui-live.log").read_text()
    r = json.loads((vm_out / "tui-live.json").read_text())
    assert r["worker_started"] and r["appeared"] and r["rows"] > 0 and r["list_rows"] == r["rows"], log
    assert "ip" in r["processes"], r["processes"]
    assert r["follow_cursor_at_end"]
    assert r["paused_rows_unchanged"] and r["backlog"] > 0 and r["status_paused"]
    assert r["rows_after_resume"] >= r["rows"] + r["backlog"]
    saved = nlscope.open(str(vm_out / "tui-live.saved.pcapng"))
    assert [[m.type_name, m.info] for m in saved] == r["shown"]
    assert any(m.process and m.process.comm == "ip" for m in saved)


def test_burst_is_kept_up_with_or_drops_are_counted_exactly(vm_out, vm_kernel):
    """Route changes from one `ip -batch` (20,000 on 6.1, 10,000 on 6.12: vm.BURST_ROUTES),
    with the BPF source capturing beside (tests/vm/test_bpf.py checks its side): every frame
    the kernel passed nlscope's socket is either in the saved file or in PACKET_STATISTICS'
    drop count, never silently lost."""
    import nlscope
    log = (vm_out / "burst.log").read_text()
    assert "ip -batch rc=0" in log and "nlscope rc=0" in log, log
    assert f"burst: {vm.BURST_ROUTES[vm_kernel]} host routes added and deleted" in log, log
    changes = 2 * vm.BURST_ROUTES[vm_kernel]
    m = re.search(r"nlscope: (\d+) frames captured on nlmon0; the kernel passed (\d+) and dropped (\d+)", log)
    assert m, log
    written, passed, dropped = map(int, m.groups())
    assert written == passed - dropped, log
    cap = nlscope.open(str(vm_out / "burst.nlscope.pcapng"))
    frames = {msg.frame for msg in cap}
    assert len(frames) == written
    assert not [msg for msg in cap if msg.malformed]
    routes = sum(1 for msg in cap if msg.type_name in ("RTM_NEWROUTE", "RTM_DELROUTE") and msg.direction == "to kernel")
    if dropped == 0:
        assert routes == changes, routes
    else:
        assert routes <= changes


def test_every_genl_family_the_kernel_registers_is_declared(vm_out):
    """issue 17: every family `genl ctrl list` shows once every module registering one is loaded
    (captures/scenarios/genl-families.sh) has a dissector, by the name the kernel gives it; the
    names are what genl printed, and the capture's decode announces the same ones."""
    from dissectors import GENL_FAMILIES, load_families
    load_families()
    assert "genl-families rc=0" in (vm_out / "scenario.log").read_text()
    printed = set(re.findall(r"^Name: (.+?)\s*$", (vm_out / "genl-families.log").read_text(), re.M))
    msgs = decode_file(vm_out / "genl-families.pcap")
    announced = {n.value for m in msgs if m.type_name == "CTRL_CMD_NEWFAMILY"
                 for n in m.tree.find_all("genl.ctrl.family_name")}
    # the built-in families and those of every module loaded (47 on 6.1.0-57, 53 on 6.12)
    assert announced == printed and len(printed) >= 47
    assert {"nlctrl", "drbd", "TCM-USER", "pmcraid", "SMBD_GENL", "nl80211", "wireguard"} <= printed
    assert sorted(printed - set(GENL_FAMILIES)) == []
