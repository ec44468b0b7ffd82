"""The decode context: generic-netlink ids learned by position, in bounded memory."""
import tracemalloc

from dissectors import Context, decode_frame
from dissectors.core.registry import GENL_HISTORY
from tests.dissectors.wireguard_frames import newfamily

N = 300_000


def test_ids_flipping_again_and_again_keep_memory_flat():
    """Issue 13 item 9: every re-announcement was kept forever (a list per id growing with
    each flip of the id between two names)."""
    ctx = Context()
    tracemalloc.start()
    try:
        for i in range(N):
            ctx.learn_genl(0x15, "wireguard" if i % 2 else "notwg", i)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(ctx.genl_ids[0x15]) <= GENL_HISTORY
    assert peak < 256 << 10, peak
    # the latest learnings still answer by position; the first still names what came before it
    assert ctx.genl_name(0x15, N - 1) == "wireguard" and ctx.genl_name(0x15, N - 2) == "notwg"
    assert ctx.genl_name(0x15, N - 10) == "notwg" and ctx.genl_name(0x15) == "wireguard"
    assert ctx.genl_name(0x15, 0) == "notwg" and ctx.genl_name(0x15, -5) == "notwg"
    # in the stretch whose learnings were dropped the name is not guessed
    assert ctx.genl_name(0x15, N // 2) is None
    # decoding a message of that stretch again learns nothing back
    ctx.learn_genl(0x15, "wireguard", N // 2 + 1)
    assert len(ctx.genl_ids[0x15]) <= GENL_HISTORY and ctx.genl_name(0x15, N // 2 + 1) is None


def test_every_id_of_the_kernels_range_flipping_stays_bounded():
    """Announcements through the decoder, over every id the kernel can allocate."""
    ctx = Context()
    pos = 0
    for rnd in range(GENL_HISTORY + 4):
        for fid in range(0x11, 0x400, 7):
            pos += len(decode_frame(newfamily(fid, f"f{rnd % 2}"), 16, ctx, pos=pos))
    assert max(len(v) for v in ctx.genl_ids.values()) <= GENL_HISTORY
    assert ctx.genl_name(0x11, pos) == f"f{(GENL_HISTORY + 3) % 2}"


def test_a_few_reannouncements_are_all_kept():
    ctx = Context()
    for pos, name in ((10, "a"), (20, "b"), (30, "a")):
        ctx.learn_genl(0x20, name, pos)
    assert [ctx.genl_name(0x20, p) for p in (5, 10, 15, 20, 29, 30, 99)] == ["a", "a", "a", "b", "b", "a", "a"]
