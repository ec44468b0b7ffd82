"""captures/{,6.12/}ksmbd.pcapng: captures/scenarios/ksmbd.sh on 6.1 and 6.12 (not in all.sh:
recorded with tools/vm.py and kept here) against what the tools printed in the same run
(captures/{,6.12/}ksmbd.log): ksmbd.conf as ksmbd.mountd sent it, the port the kernel took, the
password hash ksmbd.adduser wrote, one login a smbclient run, the shares they asked, what each
run printed (logon failures, tree connects refused, the share list, put and get), the daemon's own
log (its pid, a heartbeat a line), and the family the kernel announced; every message decodes whole."""
from __future__ import annotations

import base64
import json
import re

import pytest

import dissectors
from dissectors import Context, format_tree
from nlscope.messages import messages
from nlscope.sources import read_capture
from tests.conftest import KERNEL_CAPTURES as KERNELS, assert_decodes_whole, decode_file, scenario_runs

dissectors.load_families()
from dissectors.families.genl import ksmbd as K  # noqa: E402

H = K.H
E = "KSMBD_EVENT_"


@pytest.fixture(scope="module", params=list(KERNELS))
def run(request):
    """(kernel, messages, [(command, its output lines)], the whole log) of one kernel's recording."""
    d = KERNELS[request.param]
    log = (d / "ksmbd.log").read_text()
    return request.param, decode_file(d / "ksmbd.pcapng"), scenario_runs(d / "ksmbd.log"), log


def _output(runs, start: str) -> list[str]:
    return next(out for cmd, out in runs if cmd.startswith(start))


def _smbd(msgs) -> list:
    return [m for m in msgs if m.family == "SMBD_GENL"]


def _events(msgs, name: str) -> list:
    return [m for m in msgs if m.type_name == E + name]


def _config(runs) -> dict:
    """ksmbd.conf as the scenario printed it: {section: {key: value}}."""
    out, section = {}, None
    for line in next(o for c, o in runs if c.startswith("cat ") and c.endswith("ksmbd.conf")):
        line = line.strip()
        if line.startswith("["):
            section = out.setdefault(line.strip("[]"), {})
        elif "=" in line:
            k, _, v = line.partition("=")
            section[k.strip()] = v.strip()
    return out


def _clients(runs) -> list[tuple[str, str, str, list[str]]]:
    """Each smbclient run: (user, share asked — IPC$ for -L —, password, what it printed)."""
    out = []
    for cmd, lines in runs:
        if cmd.startswith("smbclient "):
            user, password = re.search(r"-U (\S+?)%(\S+)", cmd).groups()
            share = "IPC$" if " -L " in cmd else re.search(r"//127\.0\.0\.1/(\S+)", cmd).group(1)
            out.append((user, share, password, lines))
    return out


def _sessions(msgs) -> list[list]:
    """The SMBD_GENL messages split at each LOGIN_REQUEST: one smbclient run each (the runs are
    one after the other, each one session)."""
    out = []
    for m in _smbd(msgs):
        if m.type_name == E + "LOGIN_REQUEST":
            out.append([])
        if out:
            out[-1].append(m)
    return out


def test_every_message_decodes_whole(run):
    _, msgs, _, _ = run
    assert _smbd(msgs)
    assert_decodes_whole(msgs)


def test_the_capture_lost_nothing(run):
    *_, log = run
    assert re.search(r"=== end of capture ksmbd: (\d+) packets received by filter 0 packets dropped by kernel", log)


def test_the_family_the_kernel_announced(run):
    """nlctrl's answer to the daemon's genl_ctrl_resolve: maxattr is the kernel's KSMBD_EVENT_MAX
    (15 on 6.1: no login extension; 17 on 6.12) and an op for every event 0..max."""
    kernel, msgs, _, _ = run
    (fam,) = [m for m in msgs if m.family == "nlctrl" and m.tree.first("genl.ctrl.family_name") == "SMBD_GENL"]
    top = H.KSMBD_EVENT_SPNEGO_AUTHEN_RESPONSE if kernel == "6.1" else H.KSMBD_EVENT_LOGIN_RESPONSE_EXT
    assert fam.tree.first("genl.ctrl.maxattr") == top
    assert sorted(n.value for n in fam.tree.find_all("genl.ctrl.op.id")) == list(range(top + 1))
    assert fam.tree.first("genl.ctrl.version") == H.KSMBD_GENL_VERSION
    assert {m.tree.first("genl.version") for m in _smbd(msgs)} == {H.KSMBD_GENL_VERSION}


def test_starting_up_is_the_conf_the_daemon_read(run):
    _, msgs, runs, _ = run
    g = _config(runs)["global"]
    (m,) = _events(msgs, "STARTING_UP")
    t = m.tree
    assert t.first("ksmbd.startup.netbios_name") == g["netbios name"]
    assert t.first("ksmbd.startup.work_group") == g["workgroup"]
    assert t.first("ksmbd.startup.server_string") == g["server string"]
    assert t.first("ksmbd.startup.tcp_port") == int(g["tcp port"])
    assert t.first("ksmbd.startup.ipc_timeout") == int(g["ipc timeout"])
    assert g["bind interfaces only"] == "yes"
    assert [n.value for n in t.find_all("ksmbd.startup.interface")] == g["interfaces"].split()
    # the kernel's own account of the port it listens on (/sys/class/ksmbd-control/stats)
    (stats,) = _output(runs, "cat /sys/class/ksmbd-control/stats")
    assert stats.split()[1:3] == ["running", str(t.first("ksmbd.startup.tcp_port"))]


def test_the_share_config_is_the_conf_the_daemon_read(run):
    _, msgs, runs, _ = run
    share = _config(runs)["nlsshare"]
    (m,) = [m for m in _events(msgs, "SHARE_CONFIG_RESPONSE") if m.tree.first("ksmbd.share_response.share_name")
            == "nlsshare"]
    assert m.tree.first("ksmbd.share_response.path") == share["path"]
    vetos = [n.value for n in m.tree.find_all("ksmbd.share_response.veto")]
    assert "/" + "/".join(vetos) + "/" == share["veto files"]
    assert m.tree.first("ksmbd.share_response.flags.writeable") is (share["writeable"] == "yes")


def _database(runs) -> dict[str, bytes]:
    """The user database as the scenario printed it (`cat ksmbdpwd.db`): user -> NT hash."""
    lines = next(o for c, o in runs if c.startswith("cat ") and c.endswith(".db"))
    return {u: base64.b64decode(b64) for u, b64 in (x.split(":") for x in lines)}


def test_the_password_hash_is_the_database_and_stays_redacted(run):
    kernel, msgs, runs, _ = run
    ((user, nt_hash),) = _database(runs).items()
    assert any(f"Adding user `{user}'" in x for x in _output(runs, "ksmbd.adduser"))
    answers = [m for m in _events(msgs, "LOGIN_RESPONSE") if m.tree.first("ksmbd.login_response.account") == user]
    # decoded again with --show-secrets: the bytes of each answer's hash are the database's
    revealed = [m for m in messages(read_capture(str(KERNELS[kernel] / "ksmbd.pcapng")), Context(show_secrets=True))
                if m.type_name == E + "LOGIN_RESPONSE" and m.tree.first("ksmbd.login_response.account") == user]
    assert answers and len(revealed) == len(answers)
    for m in revealed:
        got = m.tree.first("ksmbd.login_response.password_hash")
        assert got[:m.tree.first("ksmbd.login_response.hash_sz")] == nt_hash
    # and nowhere otherwise: tree, JSON, values
    b64 = base64.b64encode(nt_hash).decode()
    for m in msgs:
        text = "\n".join([format_tree(m.tree), json.dumps(m.to_json())] + [repr(n.value) for n in m.tree.walk()])
        assert nt_hash.hex() not in text and nt_hash[:6].hex() not in text and b64 not in text


def test_one_login_a_client_run_with_what_each_printed(run):
    kernel, msgs, runs, _ = run
    clients = _clients(runs)
    sessions = _sessions(msgs)
    assert [s[0].tree.first("ksmbd.login_request.account") for s in sessions] == [c[0] for c in clients]
    users = set(_database(runs))
    (added,) = [c for c, _ in runs if c.startswith("ksmbd.adduser ")]
    real_password = re.search(r"-p (\S+)", added).group(1)
    for (user, share, password, printed), session in zip(clients, sessions):
        names = [m.type_name[len(E):] for m in session]
        (answer,) = [m for m in session if m.type_name == E + "LOGIN_RESPONSE"]
        status = answer.tree.first("ksmbd.login_response.status")
        asked = [m.tree.first("ksmbd.share_request.share_name") for m in session
                 if m.type_name == E + "SHARE_CONFIG_REQUEST"]
        if any("NT_STATUS_LOGON_FAILURE" in x for x in printed):
            assert not asked
            if user in users:   # a wrong password: the kernel checked it, and logs the session out so
                (out,) = [m for m in session if m.type_name == E + "LOGOUT_REQUEST"]
                assert out.tree.first("ksmbd.logout.account_flags.bad_password") is True
                assert password != real_password
            else:               # no such user: the daemon says so, nothing is logged out
                assert status == H.KSMBD_USER_FLAG_BAD_USER and "LOGOUT_REQUEST" not in names
            continue
        assert status & H.KSMBD_USER_FLAG_OK and answer.tree.first("ksmbd.login_response.account") == user
        assert asked == [share.lower()]   # the kernel casefolds the share's name
        (config,) = [m for m in session if m.type_name == E + "SHARE_CONFIG_RESPONSE"]
        trees = [m for m in session if m.type_name == E + "TREE_CONNECT_REQUEST"]
        if any("tree connect failed" in x for x in printed):
            assert not trees, (user, share)
            continue
        (tree,) = trees
        assert (tree.tree.first("ksmbd.tree_request.share"), tree.tree.first("ksmbd.tree_request.account")) == (
            share.lower(), user)
        assert config.tree.first("ksmbd.share_response.share_name") == share
        assert names[-2:] == ["TREE_DISCONNECT_REQUEST", "LOGOUT_REQUEST"]


def test_6_1_refuses_the_share_config_of_ksmbd_tools_3_4_7(run):
    """On 6.1 every existing share's tree connect failed (smbclient printed it): the daemon's
    answers carry payload_sz 0 with their payload after the struct, which 6.1.0-57's
    ipc_validate_msg() refuses (it wants 536 + payload_sz bytes) and 6.12 takes by the length;
    the answer to a share that does not exist (536 bytes, flags 0) passes on both."""
    kernel, msgs, runs, _ = run
    for (user, share, _, printed), session in zip(_clients(runs), _sessions(msgs)):
        configs = [m for m in session if m.type_name == E + "SHARE_CONFIG_RESPONSE"]
        if not configs:
            continue
        (config,) = configs
        t = config.tree
        after = t.find("ksmbd.event.share_config_response").length - 4 - K.SHARE_RESPONSE.size
        failed = any("tree connect failed" in x for x in printed)
        if t.first("ksmbd.share_response.flags") == H.KSMBD_SHARE_FLAG_INVALID:
            configured = {name.lower() for name in _config(runs)} | {"ipc$"}
            assert share.lower() not in configured and after == 0 and failed
            continue
        assert t.first("ksmbd.share_response.payload_sz") == 0 and after > 0
        assert failed is (kernel == "6.1"), (kernel, share)


def test_the_share_list_is_in_the_rpc_answers(run):
    """smbclient -L printed the shares srvsvc's NetShareEnumAll returned: each name and comment
    is in the daemon's RPC_RESPONSE payloads, UTF-16LE (6.12: on 6.1 the IPC$ tree connect failed)."""
    kernel, msgs, runs, _ = run
    printed = _output(runs, "smbclient -s")   # the -L run is the first
    rows = [line.split(None, 2) for line in printed if re.match(r"\s+(IPC\$|nlsshare)\s", line)]
    (session, *_) = _sessions(msgs)
    payloads = b"".join(m.tree.first("ksmbd.rpc_response.payload", b"") for m in session
                        if m.type_name == E + "RPC_RESPONSE")
    if kernel == "6.1":
        assert not rows and not payloads
        return
    assert [r[0] for r in rows] == ["IPC$", "nlsshare"]
    for name, _, comment in rows:
        assert name.encode("utf-16-le") in payloads and comment.encode("utf-16-le") in payloads
    requests = [m for m in session if m.type_name == E + "RPC_REQUEST"]
    flags = [m.tree.first("ksmbd.rpc_request.flags") for m in requests]
    assert flags[0] & H.KSMBD_RPC_OPEN_METHOD and flags[-1] & H.KSMBD_RPC_CLOSE_METHOD
    # each answer is the request's handle
    answers = [m for m in session if m.type_name == E + "RPC_RESPONSE"]
    assert [m.tree.first("ksmbd.rpc_request.handle") for m in requests] == [
        m.tree.first("ksmbd.rpc_response.handle") for m in answers]


def test_put_and_get_went_to_a_writable_tree(run):
    kernel, msgs, runs, _ = run
    printed = next(o for c, o in runs if c.startswith("smbclient ") and "put " in c)
    got = _output(runs, "cat /tmp/nlscope-ksmbd/hello.back")
    if kernel == "6.1":
        assert any("tree connect failed" in x for x in printed) and not _events(msgs, "TREE_CONNECT_RESPONSE")
        return
    assert any(x.startswith("putting file") for x in printed) and got == ["hello from nlscope"]
    (answer,) = [m for m in _events(msgs, "TREE_CONNECT_RESPONSE")
                 if m.tree.first("ksmbd.tree_response.connection_flags.writable")]
    assert answer.tree.first("ksmbd.tree_response.status") == H.KSMBD_TREE_CONN_STATUS_OK


def test_the_daemons_own_log(run):
    """ksmbd.mountd -v logged a line a heartbeat, its worker's pid (libnl puts getpid() in
    nlmsg_pid) and the shares it read."""
    _, msgs, _, log = run
    daemon = log.split("=== ksmbd.mountd's log", 1)[1]
    assert daemon.count("HEARTBEAT frame from the server") == len(_events(msgs, "HEARTBEAT_REQUEST")) > 0
    (pid,) = set(re.findall(r"\[ksmbd-worker/(\d+)\]", daemon))
    sent = [m for m in _smbd(msgs) if m.direction == "to kernel"]
    assert sent and {m.tree.first("netlink.pid") for m in sent} == {int(pid)}
    shares = set(re.findall(r"New share `([^']+)'", daemon))
    answered = {m.tree.first("ksmbd.share_response.share_name") for m in _events(msgs, "SHARE_CONFIG_RESPONSE")}
    assert answered - {""} == shares


def test_every_daemon_message_was_acked(run):
    """ksmbd.mountd's libnl asks an ACK of each; handle_startup_event/handle_generic_event took them all."""
    _, msgs, _, _ = run
    sent = [m for m in _smbd(msgs) if m.direction == "to kernel"]
    acks = {m.seq: m.error["code"] for m in msgs if m.type_name == "NLMSG_ERROR"}
    assert sent and all(acks.get(m.seq) == 0 for m in sent)
