"""captures/{,6.12/}drbd.pcapng: captures/scenarios/drbd.sh on 6.1 and 6.12 (not in all.sh: recorded
with tools/vm.py and kept here) against what drbdsetup-84 was given and printed in the same run
(captures/{,6.12/}drbd.log): the family the kernel announced, every command of drbd_genl.h, each
request's options, each refusal's code and text, `show` (the shared secret root sees and nobody
does not), `get-gi`, `status --verbose --statistics`, and the two listeners' lines: `events` (one
line a DRBD_EVENT: its states, helpers, sync progress) and `events2` (one line a notification);
every message decodes whole."""
from __future__ import annotations

import re

import pytest

import dissectors
from tests.conftest import KERNEL_CAPTURES as KERNELS, assert_decodes_whole, decode_file, scenario_runs

dissectors.load_families()
from dissectors.families.genl import drbd as D  # noqa: E402

H = D.H
S = "/lib/drbd/drbdsetup-84 "


@pytest.fixture(scope="module", params=list(KERNELS))
def run(request):
    """(kernel, messages, [(command, its output lines)], the whole log) of one kernel's recording."""
    d = KERNELS[request.param]
    return request.param, decode_file(d / "drbd.pcapng"), scenario_runs(d / "drbd.log"), (d / "drbd.log").read_text()


def _drbd(msgs) -> list:
    return [m for m in msgs if m.family == "drbd"]


def _requests(msgs) -> list:
    """drbdsetup's requests, in order, with the kernel's reply (same seq and port id) or its error."""
    out = []
    for i, m in enumerate(msgs):
        if m.family == "drbd" and m.direction == "to kernel":
            answers = [r for r in msgs[i + 1:] if r.seq == m.seq and r.pid == m.pid and r.direction == "from kernel"]
            out.append((m, answers))
    return out


def _first(m, field):
    return m.tree.first(field)


def _commands(runs) -> list[tuple[str, list[str]]]:
    return [(c.removeprefix(S), out) for c, out in runs if c.startswith(S)]


def test_decodes_whole(run):
    _, msgs, _, _ = run
    assert_decodes_whole(msgs)
    assert all(m.tree.first("genl.version") == 1 for m in _drbd(msgs))   # GENL_MAGIC_VERSION: 1 on both


def test_the_family_announced(run):
    """CTRL_CMD_NEWFAMILY as genl_magic_func.h registers it: the name, version 1, hdrsize 8, maxattr 24,
    one op a GENL_op (GENL_doit: ADMIN_PERM; GENL_op_init: what it sets), the group "events"."""
    _, msgs, _, _ = run
    fam = next(m for m in msgs if m.type_name == "CTRL_CMD_NEWFAMILY" and _first(m, "genl.ctrl.family_name") == "drbd")
    t = fam.tree
    assert (t.first("genl.ctrl.version"), t.first("genl.ctrl.hdrsize"), t.first("genl.ctrl.maxattr")) == \
        (1, D.HDRSIZE, D.TOP_MAXTYPE)
    ops = dict(zip([n.value for n in t.find_all("genl.ctrl.op.id")],
                   [n.value for n in t.find_all("genl.ctrl.op.flags")]))
    want = {}
    for _, num, how, _ in D.OPS:
        if how != "events":
            want[num] = (1 if how == "doit" else 0) | (2 if "doit" in how else 0) | (4 if "dumpit" in how else 0) | 8
    assert ops == want   # GENL_ADMIN_PERM 1, CAP_DO 2, CAP_DUMP 4, CAP_HASPOL 8 (the family's policy)
    assert [n.value for n in t.find_all("genl.ctrl.mcast_grp.name")] == list(D.MCAST_GROUPS)


def test_every_command_of_drbd_genl_h(run):
    _, msgs, _, _ = run
    assert {m.type_name for m in _drbd(msgs)} == {name for name, _, _, _ in D.OPS}


def _loops(log: str) -> dict:
    m = re.search(r"loops: r0 data (\S+) meta (\S+), r1 (\S+)", log)
    return {"d0": m.group(1), "m0": m.group(2), "d1": m.group(3)}


SIZES = {"M": 1024, "k": 1}   # drbdsetup's --resync-rate 40M: KiB/s; --size 6M: sectors of 512 bytes


def test_requests_carry_what_drbdsetup_was_given(run):
    _, msgs, runs, log = run
    reqs = _requests(msgs)
    loops = _loops(log)

    def req(type_name, nth=0, **fields):
        found = [(m, a) for m, a in reqs if m.type_name == type_name
                 and all(_first(m, k.replace("__", ".")) == v for k, v in fields.items())]
        assert len(found) > nth, (type_name, fields)
        return found[nth]

    m, _ = req("DRBD_ADM_NEW_RESOURCE", drbd__cfg_context__ctx_resource_name="r0")
    assert (_first(m, "drbd.resource_opts.cpu_mask"), _first(m, "drbd.resource_opts.on_no_data")) == \
        ("1", H.OND_IO_ERROR)
    m, _ = req("DRBD_ADM_NEW_MINOR", drbd__hdr__minor=0)
    assert (_first(m, "drbd.cfg_context.ctx_resource_name"), _first(m, "drbd.cfg_context.ctx_volume")) == ("r0", 0)
    m, _ = req("DRBD_ADM_ATTACH", drbd__hdr__minor=0)
    assert {k: _first(m, "drbd.disk_conf." + k) for k in (
        "backing_dev", "meta_dev", "meta_dev_idx", "on_io_error", "resync_rate", "c_plan_ahead", "al_extents",
        "disk_flushes", "md_flushes")} == {
        "backing_dev": loops["d0"], "meta_dev": loops["m0"], "meta_dev_idx": H.DRBD_MD_INDEX_FLEX_EXT,
        "on_io_error": H.EP_DETACH, "resync_rate": 40 * SIZES["M"], "c_plan_ahead": 0, "al_extents": 257,
        "disk_flushes": 0, "md_flushes": 0}
    m, _ = req("DRBD_ADM_ATTACH", drbd__hdr__minor=1)
    assert (_first(m, "drbd.disk_conf.backing_dev"), _first(m, "drbd.disk_conf.meta_dev"),
            _first(m, "drbd.disk_conf.meta_dev_idx"), _first(m, "drbd.disk_conf.disk_timeout")) == \
        (loops["d1"], loops["d1"], H.DRBD_MD_INDEX_FLEX_INT, 0)   # drbdsetup's "internal": flex-internal
    m, _ = req("DRBD_ADM_CHG_DISK_OPTS", drbd__hdr__minor=1)
    assert (_first(m, "drbd.disk_conf.al_extents"), _first(m, "drbd.disk_conf.read_balancing")) == \
        (509, H.RB_LEAST_PENDING)
    m, _ = req("DRBD_ADM_RESOURCE_OPTS", drbd__cfg_context__ctx_resource_name="r1")
    assert (_first(m, "drbd.resource_opts.on_no_data"), _first(m, "drbd.resource_opts.cpu_mask")) == \
        (H.OND_SUSPEND_IO, "0")
    m, _ = req("DRBD_ADM_CONNECT", drbd__cfg_context__ctx_resource_name="r0")
    assert {k: _first(m, k) for k in (
        "drbd.cfg_context.ctx_my_addr", "drbd.cfg_context.ctx_peer_addr", "drbd.net_conf.wire_protocol",
        "drbd.net_conf.cram_hmac_alg", "drbd.net_conf.shared_secret", "drbd.net_conf.verify_alg",
        "drbd.net_conf.ping_timeo", "drbd.net_conf.max_buffers", "drbd.net_conf.after_sb_0p")} == {
        "drbd.cfg_context.ctx_my_addr": "127.0.0.1:7788", "drbd.cfg_context.ctx_peer_addr": "127.0.0.2:7788",
        "drbd.net_conf.wire_protocol": H.DRBD_PROT_C, "drbd.net_conf.cram_hmac_alg": "sha1",
        "drbd.net_conf.shared_secret": f"<{len('nlsSecret84') + 1} bytes>", "drbd.net_conf.verify_alg": "crc32c",
        "drbd.net_conf.ping_timeo": 20, "drbd.net_conf.max_buffers": 4000,
        "drbd.net_conf.after_sb_0p": H.ASB_DISCARD_ZERO_CHG}
    m, _ = req("DRBD_ADM_PRIMARY", drbd__hdr__minor=0)
    assert _first(m, "drbd.set_role_parms.assume_uptodate") == 1   # --force
    m, _ = req("DRBD_ADM_START_OV", drbd__hdr__minor=0)
    assert (_first(m, "drbd.start_ov_parms.ov_start_sector"), _first(m, "drbd.start_ov_parms.ov_stop_sector")) == \
        (0, 4096)
    m, _ = req("DRBD_ADM_CHG_NET_OPTS")
    assert (_first(m, "drbd.net_conf.ping_int"), _first(m, "drbd.net_conf.ko_count")) == (7, 5)
    m, _ = req("DRBD_ADM_RESIZE", drbd__hdr__minor=0)
    assert _first(m, "drbd.resize_parms.resize_size") == 6 * 1024 * 2
    m, _ = req("DRBD_ADM_RESOURCE_OPTS", drbd__hdr__flags=1)
    assert _first(m, "drbd.resource_opts.cpu_mask") == "1"   # --set-defaults --cpu-mask 1
    m, _ = req("DRBD_ADM_DETACH", drbd__hdr__minor=0)
    assert _first(m, "drbd.detach_parms.force_detach") == 1
    for name in ("DRBD_ADM_DISCONNECT", "DRBD_ADM_CHG_NET_OPTS"):   # a connection: no minor, no resource
        m, _ = req(name)
        assert _first(m, "drbd.hdr.minor") == 0xFFFFFFFF and _first(m, "drbd.cfg_context.ctx_resource_name") is None
    # each request answered once, in a reply of its command (or, refused by genl, an NLMSG_ERROR)
    for m, answers in reqs:
        kinds = [a.type_name for a in answers if a.type_name != "NLMSG_DONE"]
        assert kinds and set(kinds) <= {m.type_name, "NLMSG_ERROR"} or m.type_name in (
            "DRBD_ADM_GET_INITIAL_STATE", "DRBD_ADM_GET_STATUS", "DRBD_ADM_GET_RESOURCES", "DRBD_ADM_GET_DEVICES",
            "DRBD_ADM_GET_CONNECTIONS", "DRBD_ADM_GET_PEER_DEVICES"), (m.frame, m.type_name, kinds)


def test_refusals_are_what_drbdsetup_printed(run):
    """`N: Failure: (CODE) …` and `additional info from kernel:` TEXT: the reply's ret_code and info_text;
    `State change failed: (CODE) TEXT`: an enum drbd_state_rv and drbd_strings.c's words for it;
    `Operation not permitted`: genl's EPERM (GENL_ADMIN_PERM) for the user nobody."""
    _, msgs, runs, _ = run
    def failed(code):   # drbdsetup's rule: NO_ERROR and SS_SUCCESS..SS_CW_NO_NEED succeed
        return code is not None and code != H.NO_ERROR and not H.SS_SUCCESS <= code <= H.SS_CW_NO_NEED
    replies = [a for m, answers in _requests(msgs) for a in answers if a.type_name.startswith("DRBD_ADM_")
               and failed(_first(a, "drbd.hdr.ret_code"))]
    printed = []
    for cmd, out in runs:
        text = "\n".join(out)
        m = re.search(r"Failure: \((\d+)\)", text) or re.search(r"State change failed: \((-?\d+)\) (.*)", text)
        if m is None:
            continue
        info = re.search(r"additional info from kernel:\n(.*)", text)
        printed.append((int(m.group(1)), info.group(1) if info else None))
        if "State change failed" in m.group(0):
            assert D.STATE_ERRORS[int(m.group(1))] == m.group(2)
    got = [(_first(a, "drbd.hdr.ret_code"), _first(a, "drbd.cfg_reply.info_text")) for a in replies]
    assert got == printed and len(printed) >= 8
    nobody = next(c for c, out in runs if c.startswith("setpriv") and "resource-options" in c)
    assert any("Operation not permitted" in line for c, out in runs if c == nobody for line in out)
    errors = [m for m in msgs if m.type_name == "NLMSG_ERROR"]
    assert [(e.error["code"], e.error["name"]) for e in errors] == [(-1, "EPERM")]


def _show(lines) -> dict:
    """drbdsetup show: {resource: {"options"|"net"|"disk"|…: {key: value}}} (the last section
    name above a `key value;` line)."""
    out, res, section = {}, None, None
    for line in lines:
        s = line.split("#", 1)[0].strip()   # `ping-timeout 20; # 1/10 seconds`
        if s.startswith("resource "):
            res = out.setdefault(s.split()[1], {})
        elif s.endswith("{"):
            section = s.split()[0]
        elif s.endswith(";") and res is not None:
            key, value = s.rstrip(";").split(None, 1)
            res.setdefault(section, {})[key] = value.split(";")[0].strip().strip('"')
    return out


# drbdsetup's option names and words -> the member and its number
SHOW_KEYS = {"after-sb-0pri": "after_sb_0p", "ping-timeout": "ping_timeo", "on-no-data-accessible": "on_no_data"}
SHOW_WORDS = {"no": 0, "yes": 1, "discard-zero-changes": H.ASB_DISCARD_ZERO_CHG, "suspend-io": H.OND_SUSPEND_IO,
              "least-pending": H.RB_LEAST_PENDING}
SECTIONS = {"options": "resource_opts", "net": "net_conf", "disk": "disk_conf"}


def _value(v: str):
    if v in SHOW_WORDS:
        return SHOW_WORDS[v]
    if re.fullmatch(r"\d+k", v):
        return int(v[:-1])   # resync-rate 40960k: KiB/s, as the member holds it
    return int(v) if v.isdigit() else v


def test_show_is_the_status_reply(run):
    """`show all`: every option drbdsetup printed is the member of the minor's GET_STATUS dump part
    (the shared secret redacted, its length the printed one's + the NUL); as nobody, `show 0`
    prints no shared-secret, and the kernel's reply holds none (DRBD_F_SENSITIVE)."""
    _, msgs, runs, _ = run
    reqs = _requests(msgs)
    shown = _show(next(out for c, out in _commands(runs) if c == "show all"))
    assert set(shown) == {"r0", "r1"}
    dump = next(answers for m, answers in reqs if m.type_name == "DRBD_ADM_GET_STATUS" and "DUMP" in m.flag_names
                and len([a for a in answers if a.type_name == "DRBD_ADM_GET_STATUS"]) == 2)
    parts = {_first(a, "drbd.cfg_context.ctx_resource_name"): a for a in dump if a.type_name == "DRBD_ADM_GET_STATUS"}
    checked = 0
    for res, sections in shown.items():
        for section, values in sections.items():
            if section not in SECTIONS:
                continue
            for key, v in values.items():
                field = f"drbd.{SECTIONS[section]}.{SHOW_KEYS.get(key, key.replace('-', '_'))}"
                got = _first(parts[res], field)
                want = f"<{len(v) + 1} bytes>" if key == "shared-secret" else v if isinstance(got, str) else _value(v)
                assert got == want, (res, field)
                checked += 1
        vol, part = sections["volume"], parts[res]
        assert (_first(part, "drbd.disk_conf.backing_dev"), f"minor {_first(part, 'drbd.hdr.minor')}") == \
            (vol["disk"], vol["device"])
        assert _first(part, "drbd.disk_conf.meta_dev_idx") == H.DRBD_MD_INDEX_FLEX_INT if vol["meta-disk"] == \
            "internal" else _first(part, "drbd.disk_conf.meta_dev") == vol["meta-disk"]
        addrs = (_first(part, "drbd.cfg_context.ctx_my_addr"), _first(part, "drbd.cfg_context.ctx_peer_addr"))
        assert tuple(f"ipv4 {a}" for a in addrs) == (sections["_this_host"]["address"],
                                                      sections["_remote_host"]["address"])
    assert checked == sum(len(v) for r in shown.values() for k, v in r.items() if k in SECTIONS) == 23
    nobody = _show(next(out for c, out in runs if c.startswith("setpriv") and c.endswith("show 0")))
    assert "shared-secret" not in nobody["r0"]["net"] and shown["r0"]["net"]["shared-secret"] == "nlsSecret84"
    i = next(i for i, (m, _) in enumerate(reqs) if m.type_name == "DRBD_ADM_RESOURCE_OPTS" and m.pid and
             _first(m, "drbd.hdr.flags") == 0 and _first(m, "drbd.cfg_context.ctx_resource_name") == "r0")
    before = [a for m, answers in reqs[:i] if m.type_name == "DRBD_ADM_GET_STATUS" for a in answers
              if a.type_name == "DRBD_ADM_GET_STATUS"]
    unpriv = before[-1]   # nobody's show, just before nobody's resource-options
    assert _first(unpriv, "drbd.net_conf.cram_hmac_alg") == "sha1"
    assert unpriv.tree.find("drbd.net_conf.shared_secret") is None
    assert all(m.tree.find("drbd.net_conf.shared_secret") is None for m in msgs if m.type_name == "DRBD_EVENT")


def test_get_gi_is_the_uuids(run):
    """get-gi: the four UUIDs of STATE_INFO's uuids, then the meta-data flags drbdmeta's order prints."""
    _, msgs, runs, _ = run
    line = next(out for c, out in _commands(runs) if c == "get-gi 0")[0]
    fields = line.split(":")
    reply = next(a for m, answers in _requests(msgs) if m.type_name == "DRBD_ADM_GET_STATUS"
                 and _first(m, "drbd.hdr.minor") == 0 for a in answers
                 if _first(a, "drbd.state_info.uuids") is not None and
                 a.tree.find("drbd.state_info.uuids").show.split(":") == fields[:4])
    flags = _first(reply, "drbd.state_info.disk_flags")
    order = [H.MDF_CONSISTENT, H.MDF_WAS_UP_TO_DATE, H.MDF_PRIMARY_IND, H.MDF_CONNECTED_IND, H.MDF_FULL_SYNC,
             H.MDF_PEER_OUT_DATED, H.MDF_CRASHED_PRIMARY]
    assert [str(int(bool(flags & b))) for b in order] == fields[4:11]
    assert [n.value for n in reply.tree.find_all("drbd.state_info.uuids.uuid")] == [int(f, 16) for f in fields[:4]]


# 8.4's drbdsetup prints DRBD 9's words in status and events2 (user/v84/drbdsetup.c): a connection
# below WFReportParams as its 8.4 word (WFConnection: Connecting), from WFReportParams on Connected; a
# peer device's replication Off below Connected, Established at Connected, the rest as 8.4's word
CONNECTION_WORDS = {H.C_WF_CONNECTION: "Connecting"}
REPLICATION_WORDS = {H.C_CONNECTED: "Established"}


def connection_word(v: int) -> str:
    return "Connected" if v >= H.C_WF_REPORT_PARAMS else CONNECTION_WORDS.get(v, D.CONN_WORDS[v])


def replication_word(v: int) -> str:
    return "Off" if v < H.C_CONNECTED else REPLICATION_WORDS.get(v, D.CONN_WORDS[v])


def _kv(text: str) -> dict:
    return dict(w.split(":", 1) for w in text.split() if ":" in w)


def _kib(v: int) -> str:
    return str(v // 2)   # sectors -> KiB, as drbdsetup prints sizes


def _yes(v) -> str:
    return "yes" if v else "no"


def _check_object(obj: str, kv: dict, m) -> int:
    """The fields of one events2/status line against the message; how many were compared."""
    def g(field, how=str):   # the member's value as drbdsetup prints it, None when not sent
        v = m.tree.first(field)
        return None if v is None else how(v)
    st, ps = "drbd.device_statistics.", "drbd.peer_device_statistics."
    common = {"name": g("drbd.cfg_context.ctx_resource_name"), "volume": g("drbd.cfg_context.ctx_volume")}
    if obj == "resource":
        want = {"name": common["name"], "role": g("drbd.resource_info.res_role", D.ROLE_WORDS.__getitem__),
                "suspended": g("drbd.resource_info.res_susp", lambda v: "user" if v else "no"),
                "write-ordering": g("drbd.resource_statistics.res_stat_write_ordering",
                                    {0: "none", 1: "drain", 2: "flush"}.get)}
    elif obj == "device":
        blocked = {(0, 0): "no", (1, 0): "upper", (0, 1): "lower", (1, 1): "upper,lower"}
        want = {**common, "minor": g("drbd.hdr.minor"),
                "disk": g("drbd.device_info.dev_disk_state", D.DISK_WORDS.__getitem__),
                "size": g(st + "dev_size", _kib), "read": g(st + "dev_read", _kib),
                "written": g(st + "dev_write", _kib),
                "al-writes": g(st + "dev_al_writes"), "bm-writes": g(st + "dev_bm_writes"),
                "upper-pending": g(st + "dev_upper_pending"), "lower-pending": g(st + "dev_lower_pending"),
                "al-suspended": g(st + "dev_al_suspended", _yes),
                "blocked": None if m.tree.first(st + "dev_size") is None else
                blocked[(m.tree.first(st + "dev_upper_blocked"), m.tree.first(st + "dev_lower_blocked"))]}
    elif obj == "connection":
        want = {"name": common["name"], "connection": g("drbd.connection_info.conn_connection_state", connection_word),
                "role": g("drbd.connection_info.conn_role", D.ROLE_WORDS.__getitem__),
                "congested": g("drbd.connection_statistics.conn_congested", _yes)}
    elif obj == "peer-device":
        susp = [w for w in ("user", "peer", "dependency")
                if m.tree.first(f"drbd.peer_device_info.peer_resync_susp_{w}")]
        want = {**common, "replication": g("drbd.peer_device_info.peer_repl_state", replication_word),
                "peer-disk": g("drbd.peer_device_info.peer_disk_state", D.DISK_WORDS.__getitem__),
                "resync-suspended": g("drbd.peer_device_info.peer_repl_state", lambda _: ",".join(susp) or "no"),
                "received": g(ps + "peer_dev_received", _kib), "sent": g(ps + "peer_dev_sent", _kib),
                "out-of-sync": g(ps + "peer_dev_out_of_sync", _kib), "pending": g(ps + "peer_dev_pending"),
                "unacked": g(ps + "peer_dev_unacked")}
    else:
        want = {**common, "minor": g("drbd.hdr.minor"), "helper": g("drbd.helper.helper_name"),
                "status": g("drbd.helper.helper_status")}
    n = 0
    for k, v in kv.items():
        if want.get(k) is not None:
            assert want[k] == v, (obj, k, kv, m.frame)
            n += 1
    return n


def test_events2_lines_are_the_notifications(run):
    """events2 (listening from the start) prints one line a notification of the "events" group: in
    the order of notify_genl_seq, each line's object and action and every value it prints are the
    message's (a copy per listener is tapped: one of each seq is kept)."""
    kernel, msgs, runs, log = run
    request_seqs = {m.seq for m in msgs if m.direction == "to kernel"}
    seen, notes = set(), []
    for m in _drbd(msgs):
        if m.pid == 0 and m.type_name != "DRBD_EVENT" and m.seq not in request_seqs and m.seq not in seen:
            seen.add(m.seq)
            notes.append(m)
    lines = [ln.split(" ", 1)[1] for ln in log.split("=== events2 all --timestamps --statistics (its output)\n")[1]
             .split("\n=== ")[0].splitlines()]
    assert lines[0] == "exists -"   # the GET_INITIAL_STATE dump, nothing there yet
    lines = lines[1:]
    assert len(lines) == len(notes) > 90
    actions = {H.NOTIFY_CREATE: "create", H.NOTIFY_CHANGE: "change", H.NOTIFY_DESTROY: "destroy",
               H.NOTIFY_CALL: "call", H.NOTIFY_RESPONSE: "response"}
    objects = {"DRBD_RESOURCE_STATE": "resource", "DRBD_DEVICE_STATE": "device", "DRBD_CONNECTION_STATE": "connection",
               "DRBD_PEER_DEVICE_STATE": "peer-device", "DRBD_HELPER": "helper"}
    compared = 0
    for line, m in zip(lines, notes):
        action, obj, rest = (line.split(" ", 2) + [""])[:3]
        assert (action, obj) == (actions[_first(m, "drbd.notification_header.nh_type") & ~H.NOTIFY_CONTINUES],
                                 objects[m.type_name]), (line, m.frame)
        compared += _check_object(obj, _kv(rest), m)
    assert compared > 400
    # the --now dump: one EXISTS a line, as a reply of port id 0 and the request's seq, then DONE
    now = next(out for c, out in _commands(runs) if c.startswith("events2 all --now"))
    req = next(m for m in msgs if m.type_name == "DRBD_ADM_GET_INITIAL_STATE" and m.seq in
               {x.seq for x in msgs if x.type_name == "DRBD_INITIAL_STATE_DONE"} and
               sum(1 for x in msgs if x.seq == m.seq and x.pid == 0) == len(now))
    parts = [x for x in msgs if x.seq == req.seq and x.pid == 0 and x.direction == "from kernel"]
    assert [x.flag_names for x in parts] == [[]] * len(now)   # dump parts without NLM_F_MULTI
    for line, m in zip(now, parts):
        action, obj, rest = (line.split(" ", 2) + [""])[:3]
        assert action == "exists" and (obj == "-") == (m.type_name == "DRBD_INITIAL_STATE_DONE")
        if obj != "-":
            assert objects[m.type_name] == obj and _check_object(obj, _kv(rest), m) >= 3


def test_events_lines_are_drbd_events(run):
    """`events` prints each DRBD_EVENT (drbd_bcast_event) by its seq: ST-prev/ST-new/ST its three
    states (cs ro ds and the suspend flags), UH/UH-post a helper before and after (its wait status),
    SP the sync progress."""
    _, msgs, _, log = run
    events = {}
    for m in msgs:
        if m.type_name == "DRBD_EVENT":
            events.setdefault(m.seq, m)
    lines = log.split("=== events all (its output)\n")[1].split("\n=== ")[0].splitlines()
    checked = set()
    for line in lines:
        seq, kind, rest = line.split(" ", 2)
        if kind == "R":   # not a DRBD_EVENT: one of the notifications events2 prints
            continue
        m = events[int(seq)]
        minor, res = re.match(r"(\d+),(\w+)\[\d+\]", rest).groups()
        assert (_first(m, "drbd.hdr.minor"), _first(m, "drbd.cfg_context.ctx_resource_name")) == (int(minor), res)
        sib = _first(m, "drbd.state_info.sib_reason")
        if kind.startswith("ST"):
            field = {"ST": "current_state", "ST-prev": "prev_state", "ST-new": "new_state"}[kind]
            p = D.state_parts(_first(m, "drbd.state_info." + field))
            flags = "".join(c if p[n] else "-" for c, n in (("s", "susp"), ("a", "aftr_isp"), ("p", "peer_isp"),
                                                           ("u", "user_isp")))
            flags = ("s" if p["susp"] else "r") + flags[1:]
            assert rest.split(" ", 1)[1] == (
                f"{{ cs:{D.CONN_WORDS[p['conn']]} ro:{D.ROLE_WORDS[p['role']]}/{D.ROLE_WORDS[p['peer']]} "
                f"ds:{D.DISK_WORDS[p['disk']]}/{D.DISK_WORDS[p['pdsk']]} {flags} }}"), line
            assert sib == D.API.SIB_STATE_CHANGE or kind == "ST" and sib == D.API.SIB_GET_STATUS_REPLY
        elif kind in ("UH", "UH-post"):
            words = rest.split()
            assert _first(m, "drbd.state_info.helper") == words[1]
            assert sib == (D.API.SIB_HELPER_PRE if kind == "UH" else D.API.SIB_HELPER_POST)
            if kind == "UH-post":
                assert int(words[2], 16) == _first(m, "drbd.state_info.helper_exit_code")
        elif kind == "SP":
            assert sib == D.API.SIB_SYNC_PROGRESS
        checked.add(int(seq))
    assert checked == set(events) and len(events) > 60


def _status(lines) -> dict:
    """status --verbose --statistics: {resource: {"resource"|"device"|"connection"|"peer-device": {key: value}}}."""
    out, res, obj = {}, None, None
    for line in lines:
        if not line.strip():
            continue
        words = line.split()
        if not line.startswith(" "):
            res, obj = out.setdefault(words[0], {}), "resource"
            words = words[1:]
        elif words[0] == "peer":
            obj, words = "connection", words[1:]
        elif words[0].startswith("volume:"):
            obj = "device" if obj == "resource" else "peer-device"
        res.setdefault(obj, {}).update(_kv(" ".join(words)))
    return out


def test_status_is_the_dumps(run):
    """`status all --verbose --statistics`: each resource's, device's, connection's and peer
    device's values are the GET_RESOURCES, GET_DEVICES, GET_CONNECTIONS and GET_PEER_DEVICES dump
    parts it asked; GET_PEER_DEVICES puts the volume number where the minor goes
    (drbd_adm_dump_peer_devices: idr_get_next over the connection's volumes)."""
    _, msgs, runs, _ = run
    shown = _status(next(o for c, o in _commands(runs) if c == "status all --verbose --statistics"))
    assert set(shown) == {"r0", "r1"}
    reqs = _requests(msgs)
    start = next(i for i, (m, _) in enumerate(reqs) if m.type_name == "DRBD_ADM_START_OV")
    objects = {"DRBD_ADM_GET_RESOURCES": "resource", "DRBD_ADM_GET_DEVICES": "device",
               "DRBD_ADM_GET_CONNECTIONS": "connection", "DRBD_ADM_GET_PEER_DEVICES": "peer-device"}
    # the one status run that asked r1's devices before the verify: its port id's dumps
    pid = [m.pid for m, _ in reqs[:start] if m.type_name == "DRBD_ADM_GET_DEVICES"
           and _first(m, "drbd.cfg_context.ctx_resource_name") == "r1"][-1]
    parts = [a for m, answers in reqs[:start] if m.pid == pid for a in answers if a.type_name in objects]
    compared = 0
    for part in parts:
        name = _first(part, "drbd.cfg_context.ctx_resource_name")
        compared += _check_object(objects[part.type_name], {"name": name, **shown[name][objects[part.type_name]]},
                                  part)
        if part.type_name == "DRBD_ADM_GET_PEER_DEVICES":
            assert _first(part, "drbd.hdr.minor") == _first(part, "drbd.cfg_context.ctx_volume")
    assert sorted((p.type_name, _first(p, "drbd.cfg_context.ctx_resource_name")) for p in parts) == sorted(
        (t, r) for r in ("r0", "r1") for t in objects)
    assert compared >= 40
