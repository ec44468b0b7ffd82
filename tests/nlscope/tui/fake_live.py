"""A live capture without nlmon: the real LiveStore fed by a fake LiveCapture that replays a
capture file's frames, again and again, as traffic that keeps flowing."""
from __future__ import annotations

import dataclasses
import threading
import time

from nlscope.sources import read_capture


class FakeLiveCapture:
    """What LiveStore asks of a LiveCapture: frames(), stop(), statistics()."""

    def __init__(self, path: str, batch: int = 1, pause: float = 0.02, total: int | None = None):
        self.source = [fr for fr in read_capture(path) if fr.fault is None]
        self.batch, self.pause, self.total = batch, pause, total
        self.stopped = threading.Event()
        self.passed = 0

    def frames(self, idle: bool = True, poll: float = 0.1):
        n = 0
        while not self.stopped.is_set():
            fr = self.source[n % len(self.source)]
            n += 1
            self.passed += 1
            yield dataclasses.replace(fr, number=n, time=1000.0 + n * 1e-4)
            if self.total is not None and n >= self.total:
                while not self.stopped.is_set():   # no more traffic: idle as nlmon would
                    time.sleep(poll / 10)
                    yield None
                return
            if n % self.batch == 0:
                time.sleep(self.pause)
                if idle:
                    yield None

    def stop(self) -> None:
        self.stopped.set()

    def statistics(self) -> tuple[int, int]:
        return self.passed, 0


class FakeProcessTable:
    """No /proc tracing: the replayed port ids belong to no process here (and the real
    table's watcher sets a process-wide 1 ms GIL switch interval)."""

    def __init__(self):
        self.own_portids: set = set()

    def watch(self) -> bool:
        return False

    def close(self) -> None:
        pass

    def lookup(self, protocol: int, portid: int):
        return None

    def prefetch(self, protocol: int) -> None:
        pass


def fake_live_store(monkeypatch, path: str, **kw):
    """A LiveStore on "nlmon-fake" whose frames come from `path` (see FakeLiveCapture)."""
    from nlscope.tui import live_store
    limit = kw.pop("limit", None)
    monkeypatch.setattr(live_store, "LiveCapture", lambda ifname: FakeLiveCapture(path, **kw))
    monkeypatch.setattr(live_store, "ProcessTable", FakeProcessTable)
    return live_store.LiveStore("nlmon-fake", limit=limit)


def quick_keys(monkeypatch):
    """Pilot waits, after each key, for the process to idle (its CPU time to stop growing):
    with traffic flowing it never does, and each key costs the 1 s maximum twice.  Keys
    then go at a typist's pace instead."""
    import asyncio

    import textual.app

    async def brief(*args, **kw):
        await asyncio.sleep(0.005)
    monkeypatch.setattr(textual.app, "wait_for_idle", brief)
