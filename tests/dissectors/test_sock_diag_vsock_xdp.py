"""AF_VSOCK and AF_XDP socket dumps (vsock_diag, xsk_diag): replies laid out as the kernel's
sk_diag_fill functions write them (net/vmw_vsock/diag.c, net/xdp/xsk_diag.c)."""
import struct

from dissectors import Context, decode_frame
from tests.dissectors.build import msg, nla

SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
NLM_F_MULTI = 2


def decode(body):
    (m,) = decode_frame(msg(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, body), protocol=SOCK_DIAG, ctx=Context())
    return m


def test_a_listening_vsock_socket():
    # family AF_VSOCK, SOCK_STREAM, TCP_LISTEN (10), no shutdown; local cid 3 port 1024, peer any
    body = struct.pack("<BBBBIIIII8s", 40, 1, 10, 0, 3, 1024, 0xFFFFFFFF, 0xFFFFFFFF, 777, b"\1" * 8)
    m = decode(body)
    assert m.claimed and not m.malformed
    assert m.info == "v_str LISTEN 3:1024 *:*"
    assert m.tree.first("sock_diag.vsock.ino") == 777
    assert not [n for n in m.tree.walk() if n.status]


def test_an_xdp_socket_with_its_rings_umem_and_stats():
    hdr = struct.pack("<BBHI8s", 44, 3, 0, 4321, b"\2" * 8)
    attrs = (nla(1, struct.pack("<II", 2, 0))                      # XDP_DIAG_INFO: ifindex 2, queue 0
             + nla(2, struct.pack("<I", 0))                        # XDP_DIAG_UID
             + nla(3, struct.pack("<I", 2048))                     # XDP_DIAG_RX_RING
             + nla(5, struct.pack("<QIIIIIIII", 1 << 22, 1, 1024, 4096, 0, 2, 0, 1, 1))   # XDP_DIAG_UMEM, ZEROCOPY
             + nla(9, struct.pack("<6Q", 1, 2, 3, 4, 5, 6)))      # XDP_DIAG_STATS
    m = decode(hdr + attrs)
    assert m.claimed and not m.malformed
    assert m.info == "xdp ino 4321 dev 2 queue 0"
    assert m.tree.first("sock_diag.xdp.ring.entries") == 2048
    assert m.tree.first("sock_diag.xdp.umem_struct.chunk_size") == 4096
    assert m.tree.first("sock_diag.xdp.stats_struct.n_tx_ring_empty") == 6
    assert not [n for n in m.tree.walk() if n.status]
