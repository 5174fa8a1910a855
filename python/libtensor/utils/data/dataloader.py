"""DataLoader: batches from a dataset, in the main process or in worker processes.

With num_workers > 0, each worker is a forked process that receives lists of indices
(or, for an IterableDataset, requests for its next batch) and sends back collated
batches; the main process hands out up to prefetch_factor batches per worker ahead and
yields them in sampler order. Workers run their kernels on one thread, so two workers
do not fight over the cores, and seed libtensor's and Python's generators with
base_seed + worker_id, as PyTorch's do.
"""
import itertools
import multiprocessing
import queue
import random
import traceback
from dataclasses import dataclass
from typing import Any, Callable, Iterator, List, Optional

from ... import _C
from ..._C import Generator
from .collate import default_collate, default_convert
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler


@dataclass(frozen=True)
class WorkerInfo:
    id: int
    num_workers: int
    seed: int
    dataset: Any


_worker_info: Optional[WorkerInfo] = None


def get_worker_info() -> Optional[WorkerInfo]:
    """In a worker process, who this worker is (for splitting an IterableDataset); None in the main process."""
    return _worker_info


class _WorkerError:
    """An exception raised in a worker, carried to the main process as text."""

    def __init__(self, worker_id: int, exc: BaseException):
        self.worker_id, self.type = worker_id, type(exc)
        self.text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))

    def reraise(self):
        message = f"Caught {self.type.__name__} in DataLoader worker process {self.worker_id}.\n" \
                  f"Original {self.text}"
        try:
            error = self.type(message)
        except Exception:
            error = RuntimeError(message)
        raise error


class _End:
    """A worker's IterableDataset is exhausted."""


def _fetch(dataset, indices, auto_collation: bool, collate_fn: Callable):
    if auto_collation:
        return collate_fn([dataset[i] for i in indices])
    return collate_fn(dataset[indices])


def _next_batch(iterator, batch_size: Optional[int], drop_last: bool, collate_fn: Callable):
    if batch_size is None:
        return collate_fn(next(iterator))
    items = list(itertools.islice(iterator, batch_size))
    if not items or (drop_last and len(items) < batch_size):
        raise StopIteration
    return collate_fn(items)


def _worker_loop(dataset, tasks, results, collate_fn, auto_collation, batch_size, drop_last, seed, worker_id,
                 num_workers, init_fn):
    global _worker_info
    _C.set_num_threads(1)
    _C.manual_seed(seed)
    random.seed(seed)
    _worker_info = WorkerInfo(worker_id, num_workers, seed, dataset)
    iterator = None
    try:
        if init_fn is not None:
            init_fn(worker_id)
        if isinstance(dataset, IterableDataset):
            iterator = iter(dataset)
    except Exception as e:  # reported with the first task
        init_error: Optional[_WorkerError] = _WorkerError(worker_id, e)
    else:
        init_error = None
    while True:
        task = tasks.get()
        if task is None:
            break
        number, indices = task
        if init_error is not None:
            results.put((number, init_error))
            continue
        try:
            if iterator is not None:
                try:
                    data = _next_batch(iterator, batch_size, drop_last, collate_fn)
                except StopIteration:
                    data = _End()
            else:
                data = _fetch(dataset, indices, auto_collation, collate_fn)
        except Exception as e:
            data = _WorkerError(worker_id, e)
        results.put((number, data))


class DataLoader:
    def __init__(self, dataset, batch_size: Optional[int] = 1, shuffle: Optional[bool] = None, sampler=None,
                 batch_sampler=None, num_workers: int = 0, collate_fn: Optional[Callable] = None,
                 pin_memory: bool = False, drop_last: bool = False, timeout: float = 0,
                 worker_init_fn: Optional[Callable[[int], None]] = None, multiprocessing_context=None,
                 generator: Optional[Generator] = None, *, prefetch_factor: Optional[int] = None,
                 persistent_workers: bool = False, pin_memory_device: str = ""):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable "
                             "multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing. "
                             "let num_workers > 0 to enable multiprocessing.")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.dataset, self.num_workers, self.timeout = dataset, num_workers, timeout
        self.prefetch_factor = 2 if prefetch_factor is None and num_workers > 0 else prefetch_factor
        self.pin_memory, self.pin_memory_device = pin_memory, pin_memory_device  # CPU tensors: nothing to pin
        self.worker_init_fn, self.multiprocessing_context, self.generator = worker_init_fn, multiprocessing_context, \
            generator
        self.persistent_workers = persistent_workers
        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            if shuffle not in (None, False):
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified shuffle option, but got "
                                 f"shuffle={shuffle}")
            if sampler is not None or batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler and batch_sampler")
        else:
            if sampler is not None and shuffle:
                raise ValueError("sampler option is mutually exclusive with shuffle")
            if batch_sampler is not None:
                if batch_size != 1 or shuffle or sampler is not None or drop_last:
                    raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                                     "and drop_last")
                batch_size, drop_last = None, False
            elif batch_size is None and drop_last:
                raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with "
                                 "drop_last")
            if sampler is None:
                sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
            if batch_size is not None and batch_sampler is None:
                batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size, self.drop_last, self.sampler, self.batch_sampler = batch_size, drop_last, sampler, \
            batch_sampler
        self._auto_collation = batch_sampler is not None or (self._iterable and batch_size is not None)
        self.collate_fn = collate_fn if collate_fn is not None else (
            default_collate if self._auto_collation else default_convert)

    def __len__(self) -> int:
        if self._iterable:
            n = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else (n + self.batch_size - 1) // self.batch_size
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)

    def _index_lists(self) -> Iterator:
        return iter(self.batch_sampler if self.batch_sampler is not None else self.sampler)

    def __iter__(self) -> Iterator:
        # Drawn with or without workers (as PyTorch does), so that a seeded shuffle visits the
        # same order either way.
        base_seed = int(_C.randint(0, 2 ** 62, (1,), generator=self.generator).item()) \
            if self.generator is not None else int(_C.randint(0, 2 ** 62, (1,)).item())
        if self.num_workers == 0:
            return self._single_process()
        return self._multi_process(base_seed)

    def _single_process(self) -> Iterator:
        if self._iterable:
            iterator = iter(self.dataset)
            while True:
                try:
                    yield _next_batch(iterator, self.batch_size, self.drop_last, self.collate_fn)
                except StopIteration:
                    return
        for indices in self._index_lists():
            yield _fetch(self.dataset, indices, self._auto_collation, self.collate_fn)

    def _multi_process(self, base_seed: int) -> Iterator:
        context = self.multiprocessing_context
        if context is None or isinstance(context, str):
            context = multiprocessing.get_context(context or "fork")
        results = context.Queue()
        tasks = [context.Queue() for _ in range(self.num_workers)]
        workers = []
        for i in range(self.num_workers):
            w = context.Process(target=_worker_loop, daemon=True,
                                args=(self.dataset, tasks[i], results, self.collate_fn, self._auto_collation,
                                      self.batch_size, self.drop_last, base_seed + i, i, self.num_workers,
                                      self.worker_init_fn))
            w.start()
            workers.append(w)
        try:
            yield from self._ordered(tasks, results, workers)
        finally:
            for q in tasks:
                q.put(None)
            for w in workers:
                w.join(timeout=5)
                if w.is_alive():
                    w.terminate()

    def _ordered(self, tasks, results, workers) -> Iterator:
        """Keeps up to prefetch_factor tasks per worker in flight and yields results in task order."""
        active = list(range(self.num_workers))  # workers whose IterableDataset is not exhausted
        index_lists = None if self._iterable else self._index_lists()
        sent, done, pending, owner = 0, 0, {}, {}
        exhausted = False

        def send() -> bool:
            nonlocal sent, exhausted
            if exhausted or not active:
                return False
            worker = active[sent % len(active)]
            if index_lists is not None:
                try:
                    indices = next(index_lists)
                except StopIteration:
                    exhausted = True
                    return False
            else:
                indices = None
            tasks[worker].put((sent, indices))
            owner[sent] = worker
            sent += 1
            return True

        for _ in range(self.prefetch_factor * self.num_workers):
            if not send():
                break
        while done < sent:
            while done not in pending:
                try:
                    number, data = results.get(timeout=self.timeout if self.timeout > 0 else 5.0)
                except queue.Empty:
                    if self.timeout > 0:
                        raise RuntimeError(f"DataLoader timed out after {self.timeout} seconds")
                    dead = [i for i, w in enumerate(workers) if not w.is_alive()]
                    if dead:
                        raise RuntimeError(f"DataLoader worker(s) {dead} exited unexpectedly")
                    continue
                pending[number] = data
            data = pending.pop(done)
            done += 1
            if isinstance(data, _WorkerError):
                data.reraise()
            if isinstance(data, _End):
                worker = owner[done - 1]
                if worker in active:
                    active.remove(worker)
                send()  # to a worker that still has data
                continue
            send()
            yield data
