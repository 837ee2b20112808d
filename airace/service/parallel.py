"""Ingest on Dask: clean and extract in parallel worker processes, write through one writer.

The main process reads the sources (listing folders, splitting JSONL, WARC and feed files into
items: cheap) and sends items in small batches to Dask workers, which do the expensive part:
HTML main-text extraction, normalisation, language detection and claim extraction. Results come
back to the main process, the only writer, which stores each document with its claims in one
transaction as before, so idempotence (the content hash) and crash safety are the sequential
pipeline's. At most ``window`` batches are in flight, so memory is flat in the corpus size.

A worker that dies mid-run loses nothing: its batches are pure functions of their items and
Dask runs them again on another worker. A run that is killed leaves only whole documents, and
running it again stores the rest (the stored ones come back as duplicates).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, suppress
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING, Any

from airace.errors import AiraceError, describe_failure
from airace.model import Claim, Document, ItemResult, ItemStatus, RunReport

if TYPE_CHECKING:
    from airace.config import Settings
    from airace.ingest.sources import Item
    from airace.service.pipeline import OnItem
    from airace.store.repository import Store

# Items per task: each batch costs a scatter and a task (a few milliseconds of the writer's
# time); 64 gave 2 workers 1.9x one worker on 4,000 documents here, 16 gave 1.6x.
BATCH = 64
# Times a batch is sent again after its worker died before it gives up.
RETRIES = 3
# Dask's statistical profiler keeps a call tree per task prefix on every worker that grows
# with the distinct stacks it has seen: measured here, about 1 KB per document on each worker
# over 10,000 documents (flat without it). The workers we start run without it.
LOCAL_CONFIG = {"distributed.worker.profile.enabled": False}


@dataclass(frozen=True, slots=True)
class Prepared:
    """A cleaned document and its claims, ready to store (or the reason it failed)."""

    origin: str
    document: Document | None
    claims: tuple[Claim, ...]
    failure: ItemResult | None = None


def prepare_batch(items: Sequence[Item], extract: bool) -> list[Prepared]:
    """Clean and extract a batch of items (runs on a worker; pure, so Dask may rerun it)."""
    return [_prepare(item, extract) for item in items]


def ingest_parallel(
    sources: Sequence[str],
    store: Store,
    settings: Settings,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    extract: bool = True,
    on_item: OnItem | None = None,
    window: int | None = None,
) -> RunReport:
    """Ingest like ``pipeline.ingest``, cleaning and extracting on Dask workers.

    Args:
        sources: files, folders (text, HTML, Markdown, JSONL, feeds, WARC), URLs.
        store: the one writer.
        settings: limits for files and fetches.
        workers: local worker processes to start (default: one per core); ignored with
            ``scheduler``.
        scheduler: address of an existing Dask scheduler (``tcp://host:8786``).
        extract: extract claims too.
        on_item: called after each stored item (progress).
        window: batches in flight at most (default: four per worker).

    Raises:
        AiraceError: the scheduler cannot be reached.
    """
    import dask
    from dask.distributed import Client, LocalCluster

    from airace.service.pipeline import read_all

    report = RunReport()
    with ExitStack() as stack:
        stack.enter_context(dask.config.set(LOCAL_CONFIG))
        if scheduler is not None:
            try:
                client = stack.enter_context(Client(scheduler, timeout="10s"))
            except OSError as error:
                raise AiraceError(
                    f"cannot reach the Dask scheduler: {error}", key="scheduler"
                ) from None
        else:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=50,
                )
            )
            client = stack.enter_context(Client(cluster))
        http = None
        if any(source.startswith(("http://", "https://")) for source in sources):
            from airace.ingest.fetch import new_client

            http = stack.enter_context(new_client(settings))
        size = len(client.scheduler_info().get("workers", {})) or 1
        limit = window or 4 * size
        items = read_all(sources, settings, http)
        batches: Iterator[list[Any]] = iter(lambda: list(islice(items, BATCH)), [])
        flight = _Flight(client, extract)
        for batch in _take(batches, limit):
            flight.submit(batch)
        while flight:
            for prepared in flight.next_done():
                for result in _store_batch(prepared, store):
                    report.add(result)
                    if on_item is not None:
                        on_item(result)
            for batch in _take(batches, limit - len(flight)):
                flight.submit(batch)
    return report


class _Flight:
    """The batches on the cluster. Each batch is scattered to a worker and its task reads it
    from there: a task graph that embeds its data keeps it alive on the scheduler (measured:
    400 KB held per 200 KB task), scattered data is freed with its future. The batch itself
    stays here until its result is in, so a batch whose worker died, data and all, is sent
    again; that is what makes a killed worker lose nothing."""

    def __init__(self, client: Any, extract: bool) -> None:
        self.client = client
        self.extract = extract
        self.batches: dict[Any, tuple[list[Item], Any, int]] = {}  # task -> batch, data, tries

    def __len__(self) -> int:
        return len(self.batches)

    def submit(self, batch: list[Item], tries: int = 0) -> None:
        import time

        for attempt in range(RETRIES + 1):
            try:  # one future for the whole batch
                [data] = self.client.scatter([batch], hash=False)
                break
            except OSError:  # the worker chosen has just died: the scheduler drops it soon
                if attempt == RETRIES:
                    raise
                time.sleep(0.5 * (attempt + 1))
        task = self.client.submit(prepare_batch, data, self.extract, pure=False)
        self.batches[task] = (batch, data, tries)

    def next_done(self) -> Iterator[list[Prepared]]:
        """Wait for at least one batch; yield the results of those done, resend the lost."""
        from dask.distributed import wait

        # Futures cancelled with a dead worker's data raise here; they are resent below.
        with suppress(Exception):
            wait(list(self.batches), return_when="FIRST_COMPLETED")
        done = [task for task in self.batches if task.status != "pending"]
        for task in done:
            batch, data, tries = self.batches.pop(task)
            try:
                prepared = task.result()
            except Exception:  # a dead worker, lost data: the batch goes again
                if tries >= RETRIES:
                    raise
                prepared = None
            finally:
                task.release()
                data.release()
            if prepared is None:
                self.submit(batch, tries + 1)
            else:
                yield prepared


def _prepare(item: Item, extract: bool) -> Prepared:
    from airace.service.pipeline import clean_and_extract

    if isinstance(item, AiraceError):
        origin = item.where or "?"
        return Prepared(origin, None, (), ItemResult(origin, ItemStatus.FAILED, item.reason))
    try:
        document, claims = clean_and_extract(item, extract=extract)
        return Prepared(item.origin, document, tuple(claims))
    except AiraceError as error:
        origin = error.where or item.origin
        return Prepared(origin, None, (), ItemResult(origin, ItemStatus.FAILED, error.reason))
    except Exception as error:  # a bug must not sink the batch; the reason names it
        failed = ItemResult(item.origin, ItemStatus.FAILED, describe_failure(error))
        return Prepared(item.origin, None, (), failed)


def _store_batch(batch: Sequence[Prepared], store: Store) -> list[ItemResult]:
    """Store a batch's documents in one transaction; failures keep their place in order."""
    ready = [(p.document, list(p.claims)) for p in batch if p.document is not None]
    try:
        stored = iter(store.add_documents(ready))
    except AiraceError as error:
        failed = ItemResult("batch", ItemStatus.FAILED, error.reason)
        return [p.failure or replace(failed, origin=p.origin) for p in batch]
    results = []
    for prepared in batch:
        if prepared.document is None:
            assert prepared.failure is not None
            results.append(prepared.failure)
        else:
            results.append(next(stored))
    return results


def _take(batches: Iterator[list[Any]], count: int) -> Iterator[list[Any]]:
    for _ in range(count):
        batch = next(batches, None)
        if batch is None:
            return
        yield batch
