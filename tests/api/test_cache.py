"""The result cache: keyed by the store's data version, re-read after writes and after a TTL."""

from __future__ import annotations

import time
from typing import Any

import pytest

from airace.api.deps import ResultCache


class FakeStore:
    """Stands in for a Store: a data version that tests move, and a count of reads."""

    def __init__(self) -> None:
        self.current = (1, 1, 1)
        self.reads = 0
        self.during_read: Any = None

    def data_version(self) -> tuple[int, int, int]:
        self.reads += 1
        seen = self.current
        if self.during_read is not None:  # a write lands while the version is being read
            self.during_read()
            self.during_read = None
        return seen


def test_results_are_computed_once_per_version_and_key() -> None:
    cache, store = ResultCache(ttl=60), FakeStore()
    calls: list[str] = []
    for _ in range(3):
        assert cache.get(store, ("a",), lambda: calls.append("a") or "A") == "A"  # type: ignore[arg-type]
    assert calls == ["a"] and store.reads == 1  # the version is read once within the TTL
    store.current = (2, 2, 2)
    cache.invalidate()
    cache.get(store, ("a",), lambda: calls.append("a2") or "A2")  # type: ignore[arg-type]
    assert calls == ["a", "a2"]


def test_the_version_is_read_again_after_the_ttl() -> None:
    cache, store = ResultCache(ttl=0.01), FakeStore()
    cache.version(store)
    time.sleep(0.02)
    store.current = (3, 3, 3)
    assert cache.version(store) == (3, 3, 3)  # a write by another process shows up


def test_a_write_during_a_version_read_is_not_hidden_by_the_ttl() -> None:
    cache, store = ResultCache(ttl=60), FakeStore()

    def write() -> None:
        store.current = (9, 9, 9)
        cache.invalidate()

    store.during_read = write
    assert cache.version(store) == (1, 1, 1)  # read before the write committed
    assert cache.version(store) == (9, 9, 9)  # not kept: the next request reads again


def test_the_cache_is_bounded() -> None:
    cache, store = ResultCache(size=2, ttl=60), FakeStore()
    for key in "abc":
        cache.get(store, (key,), lambda key=key: key)  # type: ignore[misc]
    computed: list[str] = []
    cache.get(store, ("a",), lambda: computed.append("a") or "a")  # type: ignore[arg-type]
    assert computed == ["a"]  # the oldest entry was dropped


def test_concurrent_requests_for_a_new_result_compute_it_once() -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    cache, store = ResultCache(ttl=60), FakeStore()
    calls: list[int] = []
    started = threading.Event()

    def slow() -> str:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return "R"

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: cache.get(store, ("r",), slow), range(8)))
    assert answers == ["R"] * 8 and len(calls) == 1  # the others waited for the one


def test_while_a_new_version_is_computed_others_get_the_previous_result() -> None:
    import threading

    cache, store = ResultCache(ttl=60), FakeStore()
    cache.get(store, ("r",), lambda: "old")
    store.current = (2, 2, 2)
    cache.invalidate()
    inside, release = threading.Event(), threading.Event()

    def new() -> str:
        inside.set()
        release.wait(5)
        return "new"

    computing = threading.Thread(target=lambda: cache.get(store, ("r",), new))
    computing.start()
    inside.wait(5)
    begun = time.perf_counter()
    assert cache.get(store, ("r",), lambda: "herd") == "old"  # at once, not a second compute
    assert time.perf_counter() - begun < 0.1
    release.set()
    computing.join()
    assert cache.get(store, ("r",), lambda: "again") == "new"


def test_a_failed_computation_lets_the_next_request_try_again() -> None:
    cache, store = ResultCache(ttl=60), FakeStore()

    def broken() -> str:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cache.get(store, ("r",), broken)
    assert cache.get(store, ("r",), lambda: "ok") == "ok"
