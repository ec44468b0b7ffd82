"""The hex pane: a click selects the field of the byte under the mouse."""
import pytest

from nlscope.tui.app import NlscopeApp
from nlscope.tui.widgets.detail_tree import DetailTree
from nlscope.tui.widgets.hex_view import HexView, byte_at
from tests.conftest import CAPTURES

EXTACK = str(CAPTURES / "rtnl-extack.pcapng")


def test_every_column_of_a_line_names_its_byte():
    """The hex digits and the ASCII character of byte i all say i; the gaps say nothing."""
    line = ("000000  " + " ".join(f"{i:x}{i:x}" for i in range(8)) + "  "
            + " ".join(f"{i:x}{i:x}" for i in range(8, 16)) + "  " + "".join(f"{i:x}" for i in range(16)))
    for col, ch in enumerate(line):
        want = int(ch, 16) if col >= 8 and ch != " " else None
        assert byte_at(col) == want, (col, ch)
    assert byte_at(len(line)) is None


async def _click_byte(pilot, rel):
    """Click the first hex digit of byte `rel` of the message shown (line 0 is the border)."""
    hexv = pilot.app.query_one(HexView)
    col = 8 + (rel % 16) * 3 + (1 if rel % 16 >= 8 else 0)
    await pilot.click(HexView, offset=(col, 1 + rel // 16 - round(hexv.scroll_offset.y)))
    await pilot.pause()
    return pilot.app.query_one(DetailTree).cursor_node.data[0]


def _deepest(tree_root, offset):
    best, stack = None, [tree_root]
    while stack:
        n = stack.pop()
        if n.offset <= offset < n.offset + max(n.length, 1):
            best = n
        stack.extend(n.children or ())
    return best


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(200, 50), (140, 45)])
async def test_a_click_selects_the_field_of_that_byte(size):
    """Byte 0 selected the field 16 bytes further (the top border counted as a hex line);
    the last line selected nothing.  At 140 columns the pane is below the tree (x shows it)."""
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if size[0] < app.WIDE:
            await pilot.press("x")
        app.apply_filter("rtnl.link.mtu == 70000 && netlink.flags.request")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        m = app.query_one(HexView).msg
        assert m.length > 32
        node = await _click_byte(pilot, 0)                 # nlmsg_len
        assert node is _deepest(m.tree, m.offset) and node.offset == m.offset
        last = m.length - 1                                # the last line, its last byte
        node = await _click_byte(pilot, last)
        assert node is _deepest(m.tree, m.offset + last)
        node = await _click_byte(pilot, (last // 16) * 16)  # the last line, its first byte
        assert node is _deepest(m.tree, m.offset + (last // 16) * 16)
