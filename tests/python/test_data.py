"""lt.utils.data against torch.utils.data where they are defined to agree (sequential order,
batching, collation, lengths, errors), and reproducible where they are random (seeded
shuffles, random_split, samplers with replacement); DataLoader workers give the same
batches as the main process."""
import collections

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import libtensor as lt  # noqa: E402
from libtensor.utils.data import (BatchSampler, ConcatDataset, DataLoader, Dataset, IterableDataset,  # noqa: E402
                                  RandomSampler, SequentialSampler, Subset, TensorDataset, default_collate,
                                  get_worker_info, random_split)

Point = collections.namedtuple("Point", "x y")


class Squares(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return {"i": i, "x": lt.full((2,), float(i * i)), "name": f"s{i}", "p": Point(i, 0.5 * i)}


class Stream(IterableDataset):
    """Numbers 0..n-1, split between workers."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(self.n))
        return iter(range(info.id, self.n, info.num_workers))


class Failing(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            raise KeyError("sample 5 is broken")
        return i


def _np(x):
    return x.numpy() if hasattr(x, "numpy") else np.asarray(x)


def test_default_collate_matches_torch():
    samples = [(np.float32(1.5), 2, True, "a", {"k": [1.0, 2.0]}, Point(1, 2.0), np.arange(3)),
               (np.float32(2.5), 3, False, "b", {"k": [3.0, 4.0]}, Point(3, 4.0), np.arange(3) + 1)]
    ours = default_collate(samples)
    theirs = torch.utils.data.default_collate(samples)

    def same(a, b):
        if isinstance(b, torch.Tensor):
            assert str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1]
            np.testing.assert_array_equal(_np(a), b.numpy())
        elif isinstance(b, dict):
            assert a.keys() == b.keys()
            for k in b:
                same(a[k], b[k])
        elif isinstance(b, (list, tuple)):
            assert type(a) is type(b) and len(a) == len(b)
            for x, y in zip(a, b):
                same(x, y)
        else:
            assert a == b
    same(ours, theirs)
    stacked = default_collate([lt.ones(2, 3), lt.zeros(2, 3)])
    assert tuple(stacked.shape) == (2, 2, 3)


@pytest.mark.parametrize("batch_size,drop_last", [(1, False), (3, False), (3, True), (5, True), (None, False)])
def test_sequential_batches_match_torch(batch_size, drop_last):
    x = np.arange(22, dtype=np.float32).reshape(11, 2)
    y = np.arange(11)
    ours = list(DataLoader(TensorDataset(lt.tensor(x), lt.tensor(y)), batch_size=batch_size, drop_last=drop_last))
    theirs = list(torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.tensor(x), torch.tensor(y)),
                                              batch_size=batch_size, drop_last=drop_last))
    assert len(ours) == len(theirs)
    assert len(DataLoader(TensorDataset(lt.tensor(x)), batch_size=batch_size, drop_last=drop_last)) == len(theirs)
    for (a, b), (c, d) in zip(ours, theirs):
        np.testing.assert_array_equal(a.numpy(), c.numpy())
        np.testing.assert_array_equal(b.numpy(), d.numpy())


def test_shuffle_is_a_seeded_permutation():
    ds = TensorDataset(lt.arange(50))

    def order(seed):
        g = lt.Generator()
        g.manual_seed(seed)
        return [int(v) for b in DataLoader(ds, batch_size=7, shuffle=True, generator=g) for v in b[0].tolist()]
    a, b, c = order(1), order(1), order(2)
    assert sorted(a) == list(range(50)) and a == b and a != c
    lt.manual_seed(3)
    e1 = [v for b in DataLoader(ds, batch_size=50, shuffle=True) for v in b[0].tolist()]
    e2 = [v for b in DataLoader(ds, batch_size=50, shuffle=True) for v in b[0].tolist()]
    assert e1 != e2  # a new order each epoch
    lt.manual_seed(3)
    assert e1 == [v for b in DataLoader(ds, batch_size=50, shuffle=True) for v in b[0].tolist()]


def test_samplers():
    data = list(range(10))
    assert list(SequentialSampler(data)) == data
    g = lt.Generator()
    g.manual_seed(0)
    draws = list(RandomSampler(data, replacement=True, num_samples=100, generator=g))
    assert len(draws) == 100 and set(draws) <= set(data) and len(set(draws)) > 5
    g.manual_seed(0)
    perm = list(RandomSampler(data, num_samples=25, generator=g))
    assert len(perm) == 25 and sorted(perm[:10]) == data and sorted(perm[10:20]) == data
    assert list(BatchSampler(range(7), 3, False)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(BatchSampler(range(7), 3, True)) == [[0, 1, 2], [3, 4, 5]]
    assert len(BatchSampler(range(7), 3, False)) == 3
    with pytest.raises(ValueError):
        BatchSampler(range(7), 0, False)
    with pytest.raises(ValueError):
        RandomSampler(data, num_samples=0)


def test_random_split_and_subsets():
    ds = TensorDataset(lt.arange(10))
    g = lt.Generator()
    g.manual_seed(4)
    a, b = random_split(ds, [7, 3], generator=g)
    assert len(a) == 7 and len(b) == 3
    values = sorted(int(a[i][0]) for i in range(7)) + sorted(int(b[i][0]) for i in range(3))
    assert sorted(values) == list(range(10))
    g.manual_seed(4)
    a2, _ = random_split(ds, [7, 3], generator=g)
    assert a2.indices == a.indices
    parts = random_split(ds, [0.5, 0.3, 0.2], generator=g)
    assert [len(p) for p in parts] == [5, 3, 2]
    with pytest.raises(ValueError):
        random_split(ds, [5, 6])
    both = ConcatDataset([Subset(ds, [1, 2]), Subset(ds, [9])])
    assert len(both) == 3 and int(both[2][0]) == 9 and int(both[-3][0]) == 1


def test_dicts_strings_and_named_tuples_batch():
    batch = next(iter(DataLoader(Squares(5), batch_size=4)))
    assert batch["i"].tolist() == [0, 1, 2, 3]
    assert tuple(batch["x"].shape) == (4, 2)
    assert batch["name"] == ["s0", "s1", "s2", "s3"]
    assert isinstance(batch["p"], Point) and batch["p"].y.dtype == lt.float64


@pytest.mark.parametrize("num_workers", [1, 2, 3])
def test_workers_give_the_main_process_batches(num_workers):
    ds = Squares(23)
    main = list(DataLoader(ds, batch_size=4))
    workers = list(DataLoader(ds, batch_size=4, num_workers=num_workers, prefetch_factor=1))
    assert len(main) == len(workers) == 6
    for m, w in zip(main, workers):
        assert m["i"].tolist() == w["i"].tolist() and m["name"] == w["name"]
        np.testing.assert_array_equal(m["x"].numpy(), w["x"].numpy())
    # A seeded shuffle gives the same order with and without workers.
    g1, g2 = lt.Generator(), lt.Generator()
    g1.manual_seed(9)
    g2.manual_seed(9)
    s1 = [b["i"].tolist() for b in DataLoader(ds, batch_size=5, shuffle=True, generator=g1)]
    s2 = [b["i"].tolist() for b in DataLoader(ds, batch_size=5, shuffle=True, generator=g2, num_workers=2)]
    assert s1 == s2


def test_iterable_dataset_with_and_without_workers():
    assert [b.tolist() for b in DataLoader(Stream(10), batch_size=4)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    got = [b.tolist() for b in DataLoader(Stream(10), batch_size=2, num_workers=2)]
    assert sorted(v for b in got for v in b) == list(range(10))
    assert got[0] == [0, 2] and got[1] == [1, 3]  # workers take turns, as in PyTorch
    with pytest.raises(ValueError):
        DataLoader(Stream(3), shuffle=True)


def test_worker_errors_and_seeds():
    with pytest.raises(KeyError, match="sample 5 is broken"):
        list(DataLoader(Failing(), batch_size=2, num_workers=2))
    with pytest.raises(KeyError, match="sample 5 is broken"):
        list(DataLoader(Failing(), batch_size=2))
    seeds = []

    def init(worker_id):
        info = get_worker_info()
        assert info.id == worker_id and info.num_workers == 2
        seeds.append(info.seed)
    # Worker seeds differ per worker; the init function runs in the workers (not visible here).
    batches = list(DataLoader(Squares(6), batch_size=2, num_workers=2, worker_init_fn=init))
    assert len(batches) == 3 and seeds == []


def test_argument_errors():
    ds = TensorDataset(lt.arange(4))
    with pytest.raises(ValueError):
        DataLoader(ds, sampler=SequentialSampler(ds), shuffle=True)
    with pytest.raises(ValueError):
        DataLoader(ds, batch_sampler=BatchSampler(range(4), 2, False), batch_size=2)
    with pytest.raises(ValueError):
        DataLoader(ds, num_workers=-1)
    with pytest.raises(ValueError):
        DataLoader(ds, prefetch_factor=2)
    assert len(DataLoader(ds, batch_sampler=BatchSampler(range(4), 3, False))) == 2
