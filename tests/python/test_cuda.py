"""The CUDA backend: devices, copies, memory, streams, random numbers, and every kind of
kernel compared with the CPU backend's results (and with PyTorch's CUDA results where
torch sees a GPU). Tests that need a GPU skip cleanly without one."""
import math

import numpy as np
import pytest

import libtensor as lt
import libtensor.nn.functional as F

try:
    import torch
    TORCH_CUDA = torch.cuda.is_available()
except ImportError:  # pragma: no cover - torch is always there in CI
    torch = None
    TORCH_CUDA = False

gpu = pytest.mark.skipif(not lt.cuda.is_available(), reason="no CUDA device")


@pytest.fixture(autouse=True, scope="module")
def exact_convolutions():
    """float32 convolutions without TF32 (PyTorch's default allows it in cuDNN), so that
    they compare with the CPU's at float32 tolerances; test_cudnn_algorithm_choices turns
    it on."""
    lt.backends.cudnn.allow_tf32 = False
    yield
    lt.backends.cudnn.allow_tf32 = True

FLOATS = [lt.float32, lt.float64, lt.float16, lt.bfloat16]
TOL = {lt.float32: (1e-5, 1e-5), lt.float64: (1e-12, 1e-12), lt.float16: (2e-3, 2e-3), lt.bfloat16: (1.6e-2, 1.6e-2)}


def close(mine, ref, rtol=1e-5, atol=1e-6):
    """mine (any device) against ref (cpu), NaN where ref has NaN."""
    assert mine.shape == ref.shape, (mine.shape, ref.shape)
    assert mine.dtype == ref.dtype, (mine.dtype, ref.dtype)
    mine, ref = mine.detach().cpu(), ref.detach()
    a, b = (t.to(lt.float64).numpy() if t.dtype.is_floating_point else t.numpy() for t in (mine, ref))
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, equal_nan=True)


def equal(a, b):
    return a.shape == b.shape and a.dtype == b.dtype and a.cpu().tolist() == b.cpu().tolist()


def both(fn, *inputs, grad=True, rtol=1e-5, atol=1e-6, out_index=None):
    """Runs fn on cpu inputs and on their cuda copies; compares results and gradients."""
    def prepared(device):
        made = []
        for x in inputs:
            if isinstance(x, lt.Tensor):
                y = x.detach().to(device)
                if grad and x.dtype.is_floating_point:
                    y.requires_grad_(True)
                made.append(y)
            else:
                made.append(x)
        return made

    cpu_in, gpu_in = prepared("cpu"), prepared("cuda")
    ref, got = fn(*cpu_in), fn(*gpu_in)
    refs, gots = (ref, got) if isinstance(ref, (tuple, list)) else ((ref,), (got,))
    for r, g in zip(refs, gots):
        assert g.device.type == "cuda"
        close(g, r, rtol, atol)
    if grad:
        floats = [i for i, x in enumerate(cpu_in) if isinstance(x, lt.Tensor) and x.requires_grad]
        outs = [(r, g) for r, g in zip(refs, gots) if r.dtype.is_floating_point and r.requires_grad]
        if floats and outs:
            seeds = [lt.randn(*r.shape, dtype=r.dtype) for r, _ in outs]
            lt.autograd.backward([r for r, _ in outs], seeds)
            lt.autograd.backward([g for _, g in outs], [s.cuda() for s in seeds])
            for i in floats:
                if cpu_in[i].grad is not None:
                    close(gpu_in[i].grad, cpu_in[i].grad, rtol * 10, atol * 10)
    return got


# --- without a GPU ------------------------------------------------------------------------------

@pytest.mark.skipif(lt.cuda.is_available(), reason="a CUDA device is present")
def test_without_a_device_everything_says_so():
    assert lt.cuda.device_count() == 0
    with pytest.raises(RuntimeError, match="(?i)cuda"):
        lt.ones(2).cuda()
    with pytest.raises(RuntimeError, match="(?i)cuda"):
        lt.zeros(3, device="cuda")
    with pytest.raises(RuntimeError, match="(?i)cuda"):
        lt.ones(2).pin_memory()
    assert lt.cuda.memory_allocated() == 0 or lt.cuda.is_built()
    lt.cuda.empty_cache()
    lt.cuda.manual_seed(1)
    lt.cuda.manual_seed_all(1)


# --- devices, copies, memory ---------------------------------------------------------------------

@gpu
def test_device_queries():
    assert lt.cuda.is_built() and lt.cuda.device_count() >= 1
    assert 0 <= lt.cuda.current_device() < lt.cuda.device_count()
    props = lt.cuda.get_device_properties(0)
    assert props.total_memory > 1 << 30 and props.major >= 7 and props.name == lt.cuda.get_device_name()
    assert lt.cuda.get_device_capability() == (props.major, props.minor)
    lt.cuda.synchronize()
    with pytest.raises(RuntimeError, match=r"\[to\].*does not exist"):
        lt.ones(2).to(f"cuda:{lt.cuda.device_count()}")


@gpu
@pytest.mark.parametrize("dtype", [lt.bool, lt.uint8, lt.int8, lt.int16, lt.int32, lt.int64] + FLOATS)
def test_round_trip_every_dtype(dtype):
    x = (lt.randn(5, 7) * 50).to(dtype)
    g = x.cuda()
    assert g.device == lt.device("cuda", 0) and g.is_cuda and g.dtype == dtype
    assert equal(g.cpu(), x)
    assert equal(x.to("cuda:0").to("cpu"), x)
    assert equal(g.t().cpu(), x.t())                     # non-contiguous source on the GPU
    assert equal(x.t().cuda().cpu(), x.t())              # non-contiguous source on the CPU
    h = lt.empty(7, 5, dtype=dtype).t()
    h.copy_(g)                                              # into a non-contiguous CPU tensor
    assert equal(h, x)
    assert equal(g.to(lt.float64).cpu(), x.to(lt.float64))  # cast on the device


@gpu
def test_tensor_factories_on_the_device():
    assert lt.zeros(3, device="cuda").device.type == "cuda"
    assert lt.tensor([1.5, 2.5], device="cuda").cpu().tolist() == [1.5, 2.5]
    assert lt.arange(10, device="cuda").cpu().tolist() == list(range(10))
    close(lt.linspace(-1, 1, 7, device="cuda"), lt.linspace(-1, 1, 7))
    assert lt.full((2, 2), 7, device="cuda").cpu().tolist() == [[7, 7], [7, 7]]
    assert lt.ones(2, 3).cuda(0).device.index == 0
    assert lt.as_tensor(np.arange(4.0), device="cuda").cpu().tolist() == [0, 1, 2, 3]


@gpu
def test_pinned_memory_and_non_blocking_copies():
    x = lt.randn(1000, 100)
    p = x.pin_memory()
    assert p.is_pinned() and not x.is_pinned() and equal(p, x)
    g = p.to("cuda", non_blocking=True)
    back = lt.empty(1000, 100).pin_memory()
    back.copy_(g, non_blocking=True)
    lt.cuda.synchronize()
    assert equal(back, x)


@gpu
def test_caching_allocator_statistics_and_reuse():
    lt.cuda.empty_cache()
    base = lt.cuda.memory_allocated()
    x = lt.empty(1 << 20, device="cuda")                    # 4 MiB
    assert lt.cuda.memory_allocated() - base >= 4 << 20
    assert lt.cuda.memory_reserved() >= lt.cuda.memory_allocated()
    del x
    assert lt.cuda.memory_allocated() == base
    hits = lt.cuda.memory_stats()["num_cache_hits"]
    y = lt.empty(1 << 20, device="cuda")                    # served from the cache
    assert lt.cuda.memory_stats()["num_cache_hits"] == hits + 1
    small = [lt.empty(100, device="cuda") for _ in range(100)]  # small blocks split one segment
    del y, small
    peak = lt.cuda.max_memory_allocated()
    assert peak >= 4 << 20
    lt.cuda.reset_peak_memory_stats()
    assert lt.cuda.max_memory_allocated() == lt.cuda.memory_allocated()
    lt.cuda.empty_cache()


@gpu
def test_out_of_memory_says_how_much():
    with pytest.raises(lt.cuda.OutOfMemoryError, match=r"\[allocate\].*out of memory.*tried to allocate"):
        lt.empty(1 << 44, dtype=lt.uint8, device="cuda")   # 16 TiB
    x = lt.ones(10, device="cuda")                          # still works after the failure
    assert x.sum().item() == 10


@gpu
def test_index_errors_found_by_kernels_come_at_the_next_wait():
    # Gathers and cross_entropy do not stall the device to check their indices: the kernel
    # posts a bad one, and the CPU's IndexError comes at the next wait for the device.
    # Writes through indices (index_put) wait and raise at once. The device stays usable.
    x, bad = lt.randn(5, 3, device="cuda"), lt.tensor([1, 7], device="cuda")
    y = x[bad]
    with pytest.raises(IndexError, match=r"\[index\] index 7 is out of bounds for dimension 0 with size 5"):
        lt.cuda.synchronize()
    lt.cuda.synchronize()                                   # reported once
    assert y.shape == (2, 3) and x[bad - 5].sum().item() == pytest.approx(x.cpu()[[1, 2]].sum().item(), rel=1e-6)
    emb = lt.nn.Embedding(4, 2).cuda()
    with pytest.raises(IndexError, match="index 4 is out of bounds"):
        emb(lt.tensor([[0, 4]], device="cuda")).cpu()
    logits = lt.randn(3, 5, device="cuda")
    for target, match in ((lt.tensor([0, 5, 1]), "target 5 is out of bounds for 5 classes"),
                          (lt.tensor([0, -2, -100]), "target -2 is out of bounds for 5 classes")):
        loss = F.cross_entropy(logits, target.cuda())
        with pytest.raises(IndexError, match=r"\[cross_entropy\] " + match):
            loss.item()
        with pytest.raises(IndexError, match=match):       # the CPU's message, at once
            F.cross_entropy(logits.cpu(), target)
    assert math.isfinite(F.cross_entropy(logits, lt.tensor([0, 4, -100], device="cuda")).item())
    with pytest.raises(IndexError, match="index 9 is out of bounds"):
        x.index_put_((lt.tensor([9], device="cuda"),), lt.ones(3, device="cuda"))
    with pytest.raises(IndexError, match="index 0 is out of bounds for dimension 0 with size 0"):
        lt.empty(0, 3, device="cuda")[lt.tensor([0], device="cuda")]   # nothing to read instead: at once
    with pytest.raises(IndexError, match="out of bounds"):  # and so again
        x[bad]
        lt.cuda.synchronize()
    assert x.sum().item() == pytest.approx(x.cpu().sum().item(), rel=1e-5)


@gpu
def test_index_driven_operators_report_under_their_names():
    # Gathers composed of index (gather, index_select, embedding, nll_loss, one_hot with a
    # given class count) report at the next wait under their own names, and a negative
    # index is an error for them, as on the CPU; scatters wait and raise at once.
    x, minus_one = lt.randn(3, 4, device="cuda"), lt.tensor([-1], device="cuda")
    later = {
        "gather": lambda: x.gather(1, minus_one.view(1, 1)),
        "index_select": lambda: x.index_select(0, lt.tensor([3], device="cuda")),
        "embedding": lambda: F.embedding(minus_one, x),
        "nll_loss": lambda: F.nll_loss(x, lt.tensor([0, 4, 1], device="cuda")),
        "one_hot": lambda: F.one_hot(lt.tensor([0, 3], device="cuda"), 3),
    }
    for op, f in later.items():
        f()
        with pytest.raises(IndexError, match=rf"^\[{op}\] index -?\d is out of bounds for dimension \d with size \d"):
            lt.cuda.synchronize()
    for op, f in (("scatter_add", lambda: x.scatter_add(1, minus_one.view(1, 1), lt.ones(1, 1, device="cuda"))),
                  ("index_copy", lambda: x.index_copy_(0, lt.tensor([0, 3], device="cuda"), lt.ones(2, 4, device="cuda"))),
                  ("scatter_reduce", lambda: x.scatter_reduce(1, minus_one.view(1, 1), lt.ones(1, 1, device="cuda"), "amax"))):
        before = x.cpu()
        with pytest.raises(IndexError, match=rf"^\[{op}\] index -?\d is out of bounds"):
            f()
        assert lt.equal(x.cpu(), before)
    assert F.nll_loss(x, lt.tensor([0, -100, 3], device="cuda")).isfinite().item()
    assert x[minus_one].cpu().tolist() == x.cpu()[-1:].tolist()   # x[-1] still counts from the end


COMPOSITIONS = {
    "tensordot": (lambda a, b: lt.tensordot(a, b.t(), 1), (5, 4), (3, 4)),
    "kron": (lambda a, b: lt.kron(a, b), (2, 3), (3, 2)),
    "cross": (lambda a, b: lt.cross(a, b, dim=1), (4, 3), (4, 3)),
    "diag_embed": (lambda a, b: lt.diag_embed(a + b, 1, 0, 2), (3, 4), (3, 4)),
    "cdist": (lambda a, b: lt.cdist(a, b), (5, 4), (3, 4)),
    "addr": (lambda a, b: lt.addr(a @ b.t(), a[:, 0], b[:, 1], beta=0.5, alpha=2), (5, 4), (3, 4)),
    "logaddexp": (lambda a, b: lt.logaddexp(a, b), (5, 4), (1, 4)),
    "fmax": (lambda a, b: lt.fmax(a, b), (5, 4), (5, 4)),
    "diff": (lambda a, b: lt.diff(a, 2, 0, prepend=b), (5, 4), (3, 4)),
    "nanmean": (lambda a, b: lt.nanmean(a.masked_fill(a > 1, math.nan), 1), (5, 4), (1,)),
    "logit": (lambda a, b: lt.logit(a.sigmoid(), 1e-3), (5, 4), (1,)),
    "sinc": (lambda a, b: lt.sinc(a * b), (5, 4), (5, 4)),
    "erfinv": (lambda a, b: lt.erfinv(a.tanh()), (5, 4), (1,)),
    "stacks": (lambda a, b: (lt.hstack([a, a]), lt.dstack([a, b]), lt.column_stack([a[:, 0], b[:, 0]])), (5, 4),
               (5, 4)),
    "meshgrid": (lambda a, b: lt.meshgrid(a[0], b[0], indexing="xy"), (5, 4), (3, 4)),
    "quantile": (lambda a, b: (lt.quantile(a, b[0].sigmoid(), 1), lt.nanquantile(a.masked_fill(a > 1, math.nan), 0.3),
                               lt.nanmedian(a, 0).values), (5, 4), (3,)),
    "cov": (lambda a, b: (lt.cov(a, aweights=b.abs()), lt.corrcoef(a)), (5, 4), (4,)),
    "dist_renorm": (lambda a, b: (lt.dist(a, b, 3), lt.renorm(a, 2, 0, 1.0)), (5, 4), (1, 4)),
    "running_sums": (lambda a, b: (lt.logcumsumexp(a * 30, 0), lt.trapezoid(a, b.exp().cumsum(0)),
                                   lt.cumulative_trapezoid(a, dx=0.5, dim=0)), (5, 4), (4,)),
    "tuples": (lambda a, b: (lt.block_diag(a, b), lt.cartesian_prod(a[0], b[0]), lt.combinations(a[1], 3)),
               (5, 4), (2, 3)),
    "view_scatters": (lambda a, b: (lt.select_scatter(a, b[0], 0, 2), lt.slice_scatter(a, b, 0, 1, None, 2),
                                    lt.diagonal_scatter(a, b[1], -1)), (5, 4), (2, 4)),
    "products": (lambda a, b: (lt.addbmm(a, b.view(2, 5, 2), b[:16].view(2, 2, 4), beta=0.5), lt.vdot(a[0], a[1])),
                 (5, 4), (20,)),
    "elementwise_more": (lambda a, b: (lt.acosh(a.abs() + 1), lt.atanh(a.tanh() * 0.9),
                                       lt.ldexp(a, lt.arange(4, device=a.device))), (5, 4), (1,)),
}


def _shifted(a):
    """a + n I: well conditioned."""
    return a + a.shape[-1] * lt.eye(a.shape[-1], dtype=a.dtype, device=a.device)


def _spd(a):
    """a a^T + n I: symmetric positive-definite."""
    return a @ a.mT + a.shape[-1] * lt.eye(a.shape[-1], dtype=a.dtype, device=a.device)


# The linalg kernels (one block per matrix; backends/cuda/linalg_kernels.cu) and what is
# built on them. The 300 x 300 cases take more rows than a block has threads.
LINALG = {
    "lu_factor": (lambda a, b: tuple(lt.linalg.lu_factor(_shifted(a))), (3, 6, 6), (1,)),
    "lu_rectangular": (lambda a, b: (*lt.linalg.lu(a[..., :4, :]), *lt.linalg.lu(a[..., :4])), (3, 6, 6), (1,)),
    "lu_solve": (lambda a, b: tuple(lt.linalg.lu_solve(*lt.linalg.lu_factor(_shifted(a)), c, left=left, adjoint=adj)
                                    for left, c in ((True, b), (False, b.mT)) for adj in (False, True)),
                 (3, 6, 6), (3, 6, 2)),
    "solve": (lambda a, b: (lt.linalg.solve(_shifted(a), b), lt.linalg.solve(_shifted(a), b[0, :, 0]),
                            lt.linalg.solve(_shifted(a), b.mT, left=False)), (2, 1, 6, 6), (3, 6, 2)),
    "inv_det": (lambda a, b: (lt.linalg.inv(_shifted(a)), lt.linalg.det(a), *lt.linalg.slogdet(a), lt.logdet(_spd(a))),
                (3, 6, 6), (1,)),
    "solve_triangular": (lambda a, b: tuple(lt.linalg.solve_triangular(_shifted(a), b, upper=up, unitriangular=unit)
                                            for up in (True, False) for unit in (True, False)), (3, 6, 6), (3, 6, 2)),
    "cholesky": (lambda a, b: (lt.linalg.cholesky(_spd(a)), lt.linalg.cholesky(_spd(a), upper=True),
                               lt.cholesky_solve(b, lt.linalg.cholesky(_spd(a))),
                               lt.cholesky_inverse(lt.linalg.cholesky(_spd(a)))), (3, 6, 6), (3, 6, 2)),
    "matrix_power": (lambda a, b: (lt.linalg.matrix_power(_shifted(a), -2), lt.linalg.matrix_power(a, 3)), (3, 6, 6),
                     (1,)),
    # Eigenvectors are unique up to their signs: compared (and differentiated) as |V|.
    "eigh": (lambda a, b: (lt.linalg.eigh(a + a.mT).eigenvalues, lt.linalg.eigh(a + a.mT).eigenvectors.abs(),
                           lt.linalg.eigvalsh(a, UPLO="U"), lt.linalg.eigh(a[:, :5, :5]).eigenvectors.abs()),
             (3, 6, 6), (1,)),
    "matrix_exp": (lambda a, b: (lt.linalg.matrix_exp(a), lt.linalg.matrix_exp(a * 20)), (3, 6, 6), (1,)),
    "large": (lambda a, b: (lt.linalg.solve(_shifted(a), b), lt.linalg.cholesky(_spd(a)),
                            lt.linalg.slogdet(_shifted(a)).logabsdet,
                            lt.linalg.eigvalsh(a / 30)), (300, 300), (300, 3)),  # eigenvalues of order 1
}


@gpu
def test_linalg_errors_on_the_device():
    with pytest.raises(lt.linalg.LinAlgError, match=r"\[linalg.inv\] the diagonal element 2 is zero"):
        lt.linalg.inv(lt.tensor([[1.0, 2.0], [2.0, 4.0]], device="cuda"))
    L, info = lt.linalg.cholesky_ex(-lt.eye(3, device="cuda"))
    assert info.item() == 1
    assert lt.linalg.lu_factor_ex(lt.zeros(2, 3, 3, device="cuda")).info.cpu().tolist() == [1, 1]
    LU, pivots = lt.linalg.lu_factor(lt.eye(3, device="cuda"))
    with pytest.raises(IndexError, match=r"\[linalg.lu_solve\] pivot 9 is out of range \[1, 3\]"):
        lt.linalg.lu_solve(LU, pivots + 8, lt.ones(3, 1, device="cuda"))
        lt.cuda.synchronize()
    with pytest.raises(IndexError, match=r"\[linalg.lu_unpack\] pivot 0 is out of range \[1, 3\]"):
        lt.lu_unpack(LU, pivots * 0)
        lt.cuda.synchronize()
    with pytest.raises(lt.linalg.LinAlgError, match=r"\[linalg.eigh\] the algorithm failed to converge"):
        lt.linalg.eigh(lt.tensor([[1.0, math.nan], [math.nan, 2.0]], device="cuda"))
    w = lt.linalg.eigvalsh(lt.tensor([[0, 1e25], [1e25, 0]], device="cuda"))  # squares overflow float32
    assert np.allclose(w.cpu().numpy(), [-1e25, 1e25], rtol=1e-6, atol=0)
    assert lt.linalg.solve(lt.eye(3, device="cuda"), lt.ones(3, device="cuda")).cpu().tolist() == [1, 1, 1]


@gpu
@pytest.mark.parametrize("table,name", [("compositions", n) for n in sorted(COMPOSITIONS)]
                         + [("linalg", n) for n in sorted(LINALG)])
@pytest.mark.parametrize("dtype", [lt.float32, lt.float64])
def test_compositions_match_the_cpu(table, name, dtype):
    # Composed of other operators, they run on the device's kernels of those: forward and
    # gradients as on the CPU. The factorizations add in another order than Eigen's
    # blocked ones: ten times the tolerance.
    fn, sa, sb = (COMPOSITIONS if table == "compositions" else LINALG)[name]
    scale = 1 if table == "compositions" else 10
    lt.manual_seed(5)
    both(fn, lt.randn(*sa, dtype=dtype), lt.randn(*sb, dtype=dtype),
         rtol=scale * (1e-4 if dtype == lt.float32 else 1e-10), atol=scale * (1e-5 if dtype == lt.float32 else 1e-12))


@gpu
def test_index_compositions_and_searching_on_the_device():
    x = lt.randn(4, 5)
    i = lt.tensor([[0, -1], [7, 19]])
    both(lambda t, j: lt.take(t, j), x, i)
    both(lambda t, j: t.index_fill(1, j, -2.0), x, lt.tensor([0, -2]))
    both(lambda t, s: lt.isin(t, s), lt.randint(0, 9, (6, 5)), lt.tensor([3, 1, 8]), grad=False)
    both(lambda t, s: lt.bucketize(t, s, right=True), x, lt.tensor([-1.0, 0.0, 0.5]), grad=False)
    assert equal(lt.tril_indices(5, 4, -1, device="cuda"), lt.tril_indices(5, 4, -1).cuda())
    lt.take(x.cuda(), lt.tensor([20], device="cuda"))
    with pytest.raises(IndexError, match=r"\[take\] index 20 is out of bounds"):
        lt.cuda.synchronize()


@gpu
def test_counts_writes_and_draws_on_the_device():
    x = lt.randn(40, 5)
    both(lambda t: lt.histc(t, 7), x, grad=False)
    both(lambda t: lt.histc(t, 4, -1, 1), x, grad=False)
    both(lambda t: lt.unique_consecutive(t.round(), return_inverse=True, return_counts=True, dim=None), x[:, 0],
         grad=False)
    both(lambda t: lt.argwhere(t > 1), x, grad=False)
    both(lambda t, s: lt.put(t, lt.tensor([0, -1, 7], device=t.device), s, accumulate=True), x, lt.randn(3))
    both(lambda t: t.clone().fill_diagonal_(3.0, wrap=True), x[:12, :3])
    both(lambda t: (lt.isposinf(t / 0), lt.isneginf(t / 0)), x, grad=False)
    assert equal(lt.logspace(0, 3, 7, base=2, device="cuda"), lt.logspace(0, 3, 7, base=2).cuda())
    # random_ draws the CPU's numbers for the same seed, as every random fill.
    lt.manual_seed(8)
    on_gpu = lt.empty(1000, dtype=lt.int32, device="cuda").random_(-5, 5).cpu()
    lt.manual_seed(8)
    assert equal(on_gpu, lt.empty(1000, dtype=lt.int32).random_(-5, 5))
    with pytest.raises(RuntimeError, match=r"^\[quantile\] q values must be in the range"):
        lt.quantile(x.cuda(), lt.tensor([0.5, 2.0], device="cuda"))


@gpu
def test_item_of_any_one_element_shape():
    # A one-element tensor of any shape, strided or not (GradScaler's found_inf is (1,)).
    for shape in ((), (1,), (1, 1, 1)):
        assert lt.full(shape, 2.5, device="cuda").item() == 2.5
    assert lt.arange(6, device="cuda").view(2, 3)[1:, 2:].item() == 5
    assert lt.ones(1, dtype=lt.bool, device="cuda").item() is True


@gpu
def test_streams_and_events():
    s = lt.cuda.Stream()
    assert s != lt.cuda.default_stream() and lt.cuda.current_stream() == lt.cuda.default_stream()
    start, end = lt.cuda.Event(enable_timing=True), lt.cuda.Event(enable_timing=True)
    with lt.cuda.stream(s):
        assert lt.cuda.current_stream() == s
        a = lt.randn(1024, 1024, device="cuda")
        start.record()
        for _ in range(10):
            a = a @ a / 32
        end.record()
    assert lt.cuda.current_stream() == lt.cuda.default_stream()
    end.synchronize()
    assert end.query() and s.query()
    assert start.elapsed_time(end) > 0
    lt.cuda.default_stream().wait_stream(s)
    assert math.isfinite(a.sum().item())


# --- random numbers: the CPU's numbers ------------------------------------------------------------

@gpu
@pytest.mark.parametrize("make", [
    lambda d: lt.randn(1000, device=d),
    lambda d: lt.rand(333, dtype=lt.float64, device=d),
    lambda d: lt.randint(-5, 9, (257,), device=d),
    lambda d: lt.empty(100, device=d).uniform_(-2, 3),
    lambda d: lt.empty(101, device=d).normal_(1, 2),
    lambda d: lt.empty(100, device=d).bernoulli_(0.3),
    lambda d: lt.empty(64, device=d).exponential_(2.0),
    lambda d: lt.randperm(50, device=d),
    lambda d: lt.multinomial(lt.tensor([0.1, 0.2, 0.7], device=d), 20, replacement=True),
    lambda d: lt.multinomial(lt.rand(4, 10, device=d), 5),
    lambda d: F.dropout(lt.ones(300, device=d), 0.4),
])
def test_same_seed_same_numbers_as_the_cpu(make):
    lt.manual_seed(1234)
    cpu = make("cpu")
    lt.manual_seed(1234)
    got = make("cuda")
    assert got.device.type == "cuda"
    close(got, cpu, rtol=1e-6, atol=1e-7)


@gpu
def test_each_device_has_its_own_generator():
    lt.manual_seed(7)
    a, b = lt.randn(10), lt.randn(10)
    lt.manual_seed(7)
    first = lt.randn(10)
    lt.cuda.manual_seed(99)                                 # seeds the GPU's generator only, as in PyTorch
    assert equal(first, a) and equal(lt.randn(10), b)
    on_gpu = lt.randn(10, device="cuda")
    lt.manual_seed(99)
    assert equal(on_gpu, lt.randn(10))                      # the same numbers from the same seed


# --- elementwise -------------------------------------------------------------------------------------

UNARY = ["exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan", "asin",
         "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf", "erfc", "sigmoid", "floor", "ceil", "round", "trunc",
         "frac", "neg", "abs", "sign", "relu", "lgamma", "digamma", "exp2", "isnan", "isinf", "isfinite"]


@gpu
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", UNARY)
def test_unary_matches_the_cpu(name, dtype):
    x = lt.randn(33, 17) * 2
    if name in ("log", "log1p", "log2", "log10", "sqrt", "rsqrt", "lgamma", "digamma"):
        x = x.abs() + 0.1
    if name in ("asin", "acos"):
        x = x.clamp(-0.99, 0.99)
    x = x.to(dtype)
    x[0, :3] = lt.tensor([float("nan"), float("inf"), -float("inf")]).to(dtype)
    rtol, atol = TOL[dtype]
    fn = getattr(lt, name)
    both(lambda t: fn(t), x, grad=dtype == lt.float64 and name not in ("isnan", "isinf", "isfinite", "round",
                                                                         "floor", "ceil", "trunc", "sign"),
         rtol=max(rtol, 2e-5 if dtype == lt.float32 else rtol), atol=atol)
    both(lambda t: fn(t.t()), x, grad=False, rtol=max(rtol, 2e-5), atol=atol)  # strided


BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "pow", "atan2", "remainder", "fmod", "copysign", "hypot",
          "xlogy", "eq", "ne", "lt", "le", "gt", "ge"]


@gpu
@pytest.mark.parametrize("dtype", [lt.float32, lt.float64, lt.float16])
@pytest.mark.parametrize("name", BINARY)
def test_binary_matches_the_cpu_with_broadcasting(name, dtype):
    a, b = lt.randn(4, 1, 6).to(dtype), lt.randn(5, 1).to(dtype)
    if name == "pow":
        a = a.abs() + 0.5
    fn = getattr(lt, name)
    rtol, atol = TOL[dtype]
    both(fn, a, b, grad=dtype == lt.float64 and name not in ("eq", "ne", "lt", "le", "gt", "ge", "remainder", "fmod"),
         rtol=max(rtol, 2e-5), atol=max(atol, 1e-5))
    if name not in ("maximum", "minimum", "hypot"):  # tensor-only in PyTorch
        both(lambda x: fn(x, 2.5), a, grad=False, rtol=max(rtol, 2e-5), atol=max(atol, 1e-5))


@gpu
@pytest.mark.parametrize("dtype", [lt.int64, lt.int32, lt.int16, lt.uint8, lt.bool])
def test_integer_and_bool_arithmetic(dtype):
    a = (lt.randn(6, 7) * 20).to(dtype)
    b = (lt.randn(6, 7) * 5).to(dtype)
    ops = [lt.eq, lt.lt, lt.maximum, lt.logical_and, lt.logical_xor]
    if dtype != lt.bool:
        ops += [lt.add, lt.mul, lambda x, y: x // (y % 7 + 1), lambda x, y: x % (y % 7 + 1),
                lt.bitwise_and, lt.bitwise_xor, lambda x, y: x.abs()]
    else:
        ops += [lt.bitwise_or, lambda x, y: ~x]
    for op in ops:
        both(op, a, b, grad=False)


@gpu
def test_ternary_and_in_place():
    c, a, b = lt.randn(5, 6) > 0, lt.randn(5, 6), lt.randn(1, 6)
    both(lt.where, c, a, b)
    both(lambda x, lo, hi: lt.clamp(x, lo, hi), a, -lt.rand(5, 1), lt.rand(6))
    both(lambda x, y: lt.lerp(x, y, 0.3), a, b)
    both(lambda x: x.clone().add_(1).mul_(3).clamp_(-1, 2), a, grad=False)
    both(lambda x: lt.nan_to_num(x.log()), a, grad=False)
    both(lambda x: x.masked_fill(x > 0, -1.0), a)
    both(lambda x, y: lt.addcmul(x, x, y, value=0.5), a, b)


# --- reductions, scans, sorting -------------------------------------------------------------------------

@gpu
@pytest.mark.parametrize("dtype", [lt.float32, lt.float64, lt.float16, lt.int64, lt.int32, lt.bool])
def test_reductions_match_the_cpu(dtype):
    x = (lt.randn(37, 129) * 3).to(dtype)
    floating = dtype.is_floating_point
    rtol = 1e-2 if dtype == lt.float16 else 1e-5
    for dim in (None, 0, 1, (0, 1)):
        kw = {} if dim is None else {"dim": dim}
        if dtype != lt.bool:
            both(lambda t: t.sum(**kw), x, grad=floating, rtol=rtol, atol=1e-3)
            both(lambda t: t.amax(**kw) if dim is not None else t.max(), x, grad=False)
            both(lambda t: t.amin(**kw) if dim is not None else t.min(), x, grad=False)
        if floating:
            both(lambda t: t.mean(**kw), x, rtol=rtol, atol=1e-3)
            both(lambda t: t.var(**kw), x, rtol=10 * rtol, atol=1e-3)
        both(lambda t: t.any(**kw) if dim is None or isinstance(dim, int) else t.any(), x, grad=False)
        both(lambda t: t.all(**kw) if dim is None or isinstance(dim, int) else t.all(), x, grad=False)
    if dtype != lt.bool:
        both(lambda t: t.max(dim=1), x, grad=False)
        both(lambda t: t.argmin(dim=0), x, grad=False)
        both(lambda t: (t[:5, :6] / 2 if floating else t[:5, :6] % 3 + 1).prod(dim=1), x, grad=floating, rtol=rtol)
    big = lt.randn(3_000_000)                               # one long row, split across blocks
    both(lambda t: t.sum(), big, grad=False, rtol=1e-4, atol=1e-2)
    both(lambda t: t.view(3000, 1000).sum(0), big, grad=False, rtol=1e-4, atol=1e-3)  # columns


@gpu
@pytest.mark.parametrize("shape,dim", [((16384, 384), 0), ((100_000, 3), 0), ((300_000, 1), 0), ((70, 5000), 0),
                                       ((4, 750_000), 1), ((2, 3, 200_000), 2), ((3, 70_000, 2), 1)])
def test_long_reductions_split_across_blocks(shape, dim):
    # Few outputs over many elements (a bias's gradient, a whole-tensor sum): the kernels
    # split each output's elements across blocks, then combine the parts.
    x = lt.randn(*shape)
    both(lambda t: t.sum(dim), x, rtol=1e-4, atol=1e-3)
    both(lambda t: t.amax(dim), x, grad=False)
    both(lambda t: (t > 0).all(dim), x, grad=False)
    both(lambda t: t.to(lt.float16).sum(dim), x, grad=False, rtol=1e-2, atol=1e-1)


@gpu
def test_scalar_operands_take_the_flat_loop():
    # A Python number is a 0-dim operand that every element reads.
    x = lt.randn(1000, 37)
    both(lambda t: t * 0.125, x)
    both(lambda t: 3 - t, x)
    both(lambda t: t[1:] / 7, x)                            # not 16-byte aligned
    both(lambda t, s: t + s, x, lt.tensor(2.5))
    both(lambda t: t.to(lt.float16) * 0.5, x, rtol=1e-3, atol=1e-3)
    both(lambda t: lt.where(t > 0, t, 0.0), x)
    both(lambda t: t.masked_fill(t > 1, float("-inf")), x)


@gpu
@pytest.mark.parametrize("dtype", [lt.float32, lt.float64, lt.float16, lt.bfloat16])
@pytest.mark.parametrize("blas", ["cublaslt", "cublas", "own"])
def test_addmm_adds_the_input_inside_the_product(dtype, blas):
    # alpha 1: one product that adds the input as it writes (linear's bias by cuBLASLt's
    # epilogue; other inputs through gemm's beta); otherwise the composition. Inputs of
    # every broadcast shape, operands transposed or not.
    lt.backends.cuda.preferred_blas_library("own" if blas == "own" else "cublas")
    lt._C._set_backend_flag("blas_epilogues", blas == "cublaslt")
    try:
        rtol, atol = {lt.float32: (1e-4, 1e-4), lt.float64: (1e-10, 1e-10), lt.float16: (1e-2, 2e-2),
                      lt.bfloat16: (5e-2, 1e-1)}[dtype]
        a, b = lt.randn(33, 20).to(dtype), lt.randn(20, 45).to(dtype)
        for c in (lt.randn(45), lt.randn(1, 45), lt.randn(33, 1), lt.randn(33, 45), lt.randn(())):
            c = c.to(dtype)
            for beta, alpha in ((1, 1), (0.5, 1), (0, 1), (1, 2)):
                both(lambda c, x, y: lt.addmm(c, x, y, beta=beta, alpha=alpha), c, a, b, rtol=rtol, atol=atol)
        both(lambda c, x, y: lt.addmm(c, x.t(), y.t()), lt.randn(45).to(dtype), lt.randn(20, 33).to(dtype),
             lt.randn(45, 20).to(dtype), rtol=rtol, atol=atol)
        both(lambda x, w, bias: F.linear(x, w, bias), lt.randn(4, 7, 20).to(dtype), lt.randn(45, 20).to(dtype),
             lt.randn(45).to(dtype), rtol=rtol, atol=atol)
        # A bias that starts off its storage's alignment, and an odd width.
        both(lambda x, w, bias: F.linear(x, w, bias[1:]), lt.randn(9, 20).to(dtype), lt.randn(45, 20).to(dtype),
             lt.randn(46).to(dtype), rtol=rtol, atol=atol)
        both(lambda x, w, bias: F.linear(x, w, bias), lt.randn(9, 3).to(dtype), lt.randn(5, 3).to(dtype),
             lt.randn(5).to(dtype), rtol=rtol, atol=atol)
    finally:
        lt.backends.cuda.preferred_blas_library("cublas")
        lt._C._set_backend_flag("blas_epilogues", True)


@gpu
def test_scans_sorts_and_searches():
    x = lt.randn(6, 300)
    x[0, 5] = float("nan")
    both(lambda t: t.cumsum(1), x, rtol=1e-4, atol=1e-4)
    both(lambda t: t.cumsum(0), x, rtol=1e-4, atol=1e-4)
    both(lambda t: t[:, :20].cumprod(1), x)
    both(lambda t: t.cummax(1), x, grad=False)
    both(lambda t: t.sort(1), x, grad=False)
    both(lambda t: t.sort(0, descending=True), x, grad=False)
    both(lambda t: t.argsort(1, stable=True), lt.randint(0, 5, (4, 3000)).to(lt.float32), grad=False)
    both(lambda t: t.topk(7, dim=1), x[1:], grad=False)
    both(lambda t: t.kthvalue(3, dim=1), x[1:], grad=False)
    both(lambda t: t.median(dim=1), x[1:], grad=False)
    both(lambda s, v: lt.searchsorted(s, v), lt.sort(lt.randn(100))[0], lt.randn(30), grad=False)
    both(lambda t: lt.bincount(t), lt.randint(0, 20, (500,)), grad=False)
    both(lambda t: lt.unique(t, return_counts=True), lt.randint(0, 9, (200,)), grad=False)
    both(lambda t: lt.nonzero(t > 0.5), x[1:], grad=False)
    both(lambda t: t[t > 0], x[1:], grad=False)


# --- indexing -------------------------------------------------------------------------------------------

@gpu
def test_indexing_gather_scatter():
    x = lt.randn(8, 9)
    idx = lt.tensor([3, 0, 7, 3])
    both(lambda t: t[idx], x)                               # cpu indices index a cuda tensor, as in PyTorch
    both(lambda t, i: t[:, i], x, idx)
    both(lambda t, i: t[i, i], x, idx)
    both(lambda t, i: t.index_select(1, i), x, idx)
    both(lambda t, i: t.gather(1, i), x, lt.randint(0, 9, (8, 4)))
    both(lambda t, i, s: t.scatter_add(0, i, s), x, lt.randint(0, 8, (3, 9)), lt.randn(3, 9), rtol=1e-5)
    both(lambda t, i, v: t.index_put((i,), v, accumulate=True), x, idx, lt.ones(4, 9))
    both(lambda t, i, v: t.index_put((i,), v), x, lt.tensor([3, 0, 7]), lt.ones(3, 9) * 5, grad=False)
    both(lambda t, i, v: t.scatter_reduce(0, i, v, "amax"), x, lt.randint(0, 8, (5, 9)), lt.randn(5, 9), grad=False)
    with pytest.raises(IndexError, match="out of bounds"):
        x.cuda()[lt.tensor([9]).cuda()].cpu()               # a gather reports at the next wait
    both(lambda t: t.gather(1, lt.zeros(8, 1, dtype=lt.int64)), x)  # a cpu index moves to the tensor's device
    with pytest.raises(RuntimeError, match="device"):       # a cuda index into a cpu tensor is refused
        x.gather(1, lt.zeros(8, 1, dtype=lt.int64, device="cuda"))


# --- neural-network kernels ------------------------------------------------------------------------------

@gpu
@pytest.mark.parametrize("dtype", [lt.float32, lt.float64, lt.float16, lt.bfloat16])
@pytest.mark.parametrize("shape", [(7, 5), (4, 1000), (2, 3, 4100), (64, 33)])
def test_softmax_family_and_norms(shape, dtype):
    x = (lt.randn(*shape) * 3).to(dtype)
    x.view(-1)[0] = -float("inf")
    rtol, atol = TOL[dtype]
    grad = dtype != lt.bfloat16
    both(lambda t: lt.softmax(t, -1), x, grad=grad, rtol=rtol * 10, atol=atol * 10)
    both(lambda t: lt.log_softmax(t, -1), x[..., 1:], grad=grad, rtol=rtol * 10, atol=atol * 10)
    both(lambda t: lt.softmax(t, 0), x, grad=grad, rtol=rtol * 10, atol=atol * 10)
    n = shape[-1]
    w, b = lt.randn(n).to(dtype), lt.randn(n).to(dtype)
    finite = x.clone().nan_to_num(0, 0, 0)
    both(lambda t, w, b: F.layer_norm(t, (n,), w, b), finite, w, b, grad=grad, rtol=rtol * 20, atol=atol * 20)
    both(lambda t, w: F.rms_norm(t, (n,), w, eps=1e-6), finite, w, grad=grad, rtol=rtol * 20, atol=atol * 20)
    both(lambda t: F.rms_norm(t, (n,)), finite, grad=grad, rtol=rtol * 20, atol=atol * 20)


@gpu
@pytest.mark.parametrize("dtype", [lt.float32, lt.float64, lt.float16, lt.bfloat16])
def test_activations(dtype):
    x = (lt.randn(33, 70) * 3).to(dtype)
    rtol, atol = TOL[dtype]
    for approximate in ("none", "tanh"):
        both(lambda t: F.gelu(t, approximate=approximate), x, grad=dtype != lt.bfloat16, rtol=rtol * 10,
             atol=atol * 10)
    both(F.silu, x, grad=dtype != lt.bfloat16, rtol=rtol * 10, atol=atol * 10)
    both(lambda t: F.leaky_relu(t, 0.1), x, grad=dtype != lt.bfloat16, rtol=rtol, atol=atol)


@gpu
def test_losses_and_embeddings():
    logits, target = lt.randn(64, 65), lt.randint(0, 65, (64,))
    target[3] = -100
    both(lambda x, t: F.cross_entropy(x, t), logits, target, rtol=1e-5)
    both(lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1, reduction="sum"), logits, target, rtol=1e-5, atol=1e-4)
    both(lambda x, t, w: F.cross_entropy(x, t, weight=w), logits, target, lt.rand(65), rtol=1e-5)
    both(lambda x, t: F.mse_loss(x, t), logits, lt.zeros(64, 65))
    with pytest.raises(RuntimeError, match="device"):       # mixed devices are refused, not a crash
        F.cross_entropy(logits.cuda(), target)
    weight = lt.randn(100, 16)
    ids = lt.randint(0, 100, (8, 30))
    both(lambda w, i: F.embedding(i, w), weight, ids)
    both(lambda w, i: F.embedding(i, w, padding_idx=3), weight, ids)


@gpu
@pytest.mark.parametrize("dtype", [lt.float32, lt.float64, lt.float16, lt.bfloat16])
def test_matrix_products(dtype):
    rtol, atol = {lt.float32: (1e-4, 1e-4), lt.float64: (1e-12, 1e-12), lt.float16: (1e-2, 1e-2),
                  lt.bfloat16: (5e-2, 5e-2)}[dtype]
    a, b = lt.randn(4, 33, 17).to(dtype), lt.randn(17, 9).to(dtype)
    both(lt.matmul, a, b, rtol=rtol, atol=atol)
    both(lambda x, y: x.transpose(1, 2) @ y, lt.randn(4, 17, 33).to(dtype), lt.randn(17, 9).to(dtype), rtol=rtol, atol=atol)
    both(lambda x, y: x @ y.t(), lt.randn(50, 20).to(dtype), lt.randn(30, 20).to(dtype), rtol=rtol, atol=atol)
    both(lambda x, y: x @ y, lt.randn(7).to(dtype), lt.randn(7, 3).to(dtype), rtol=rtol, atol=atol)
    both(lambda x, y, b: F.linear(x, y, b), lt.randn(8, 6).to(dtype), lt.randn(5, 6).to(dtype), lt.randn(5).to(dtype),
         rtol=rtol, atol=atol)


@pytest.fixture
def own_gemm():
    """Products and convolutions on libtensor's tiled GEMM, the ROCm build's path."""
    lt.backends.cuda.preferred_blas_library("own")
    lt.backends.cudnn.enabled = False
    yield
    lt.backends.cuda.preferred_blas_library("cublas")
    lt.backends.cudnn.enabled = True


@gpu
@pytest.mark.parametrize("dtype", [lt.float32, lt.float64, lt.float16, lt.bfloat16])
def test_tiled_gemm_matches_the_cpu(dtype, own_gemm):
    assert lt.backends.cuda.preferred_blas_library() == "own"
    rtol, atol = {lt.float32: (1e-4, 1e-4), lt.float64: (1e-12, 1e-12), lt.float16: (1e-2, 1e-2),
                  lt.bfloat16: (5e-2, 5e-2)}[dtype]
    for (n, k, m) in [(1, 1, 1), (63, 17, 65), (130, 70, 200), (64, 64, 64), (5, 300, 3)]:
        a, b = lt.randn(n, k).to(dtype), lt.randn(k, m).to(dtype)
        both(lt.matmul, a, b, rtol=rtol, atol=atol * k ** 0.5)
        both(lambda x, y: x.t() @ y.t(), lt.randn(k, n).to(dtype), lt.randn(m, k).to(dtype), rtol=rtol,
             atol=atol * k ** 0.5)
    # Batches, one of them broadcast (batch stride 0), and addmm's bias.
    both(lt.matmul, lt.randn(3, 33, 20).to(dtype), lt.randn(20, 70).to(dtype), rtol=rtol, atol=atol * 5)
    both(lt.matmul, lt.randn(1, 33, 20).to(dtype).expand(4, 33, 20), lt.randn(4, 20, 9).to(dtype), rtol=rtol,
         atol=atol * 5)
    both(lambda c, x, y: lt.addmm(c, x, y, beta=0.5, alpha=2), lt.randn(30, 40).to(dtype), lt.randn(30, 20).to(dtype),
         lt.randn(20, 40).to(dtype), rtol=rtol, atol=atol * 10)


@gpu
@pytest.mark.parametrize("kw", [dict(), dict(stride=2, padding=1), dict(groups=2)])
def test_tiled_gemm_convolutions(kw, own_gemm):
    x, w = lt.randn(2, 4, 11, 9), lt.randn(6, 4 // kw.get("groups", 1), 3, 3)
    both(lambda x, w: F.conv2d(x, w, **kw), x, w, rtol=1e-4, atol=1e-4)
    plain = {k: v for k, v in kw.items() if k != "groups"}
    both(lambda x, w: F.conv_transpose2d(x, w, **plain), lt.randn(2, 6, 5, 5), lt.randn(6, 3, 3, 3), rtol=1e-4,
         atol=1e-4)


@gpu
def test_integer_products():
    both(lt.matmul, lt.randint(-9, 9, (3, 5, 4)), lt.randint(-9, 9, (4, 6)), grad=False)


@gpu
def test_tf32_switch():
    assert lt.backends.cuda.matmul.allow_tf32 is False
    a, b = lt.randn(256, 256, device="cuda"), lt.randn(256, 256, device="cuda")
    exact = (a @ b).cpu()
    lt.backends.cuda.matmul.allow_tf32 = True
    try:
        fast = (a @ b).cpu()
    finally:
        lt.backends.cuda.matmul.allow_tf32 = False
    close(fast, exact, rtol=5e-2, atol=5e-2)


@gpu
@pytest.mark.parametrize("kw", [dict(), dict(stride=2, padding=1), dict(padding="same", dilation=2), dict(groups=2),
                                dict(stride=(2, 1), padding=(0, 2))])
def test_convolution_and_pooling(kw):
    x, w, b = lt.randn(3, 4, 11, 10), lt.randn(6, 4 // kw.get("groups", 1), 3, 3), lt.randn(6)
    both(lambda x, w, b: F.conv2d(x, w, b, **kw), x, w, b, rtol=1e-4, atol=1e-4)
    both(lambda x: F.max_pool2d(x, 3, stride=2, padding=1), x)
    both(lambda x: F.avg_pool2d(x, 2), x)
    both(lambda x: F.adaptive_avg_pool2d(x, (3, 2)), x)
    both(lambda x, w: F.conv_transpose2d(x, w, stride=2), x, lt.randn(4, 5, 3, 3), rtol=1e-4, atol=1e-4)
    both(lambda x, w: F.conv2d(x, w), x, lt.randn(8, 4, 1, 1), rtol=1e-4, atol=1e-4)  # pointwise


def test_cudnn_switches_reach_the_backend():
    cudnn = lt.backends.cudnn
    assert (cudnn.enabled, cudnn.allow_tf32, cudnn.benchmark, cudnn.deterministic) == (True, False, False, False)
    for name in ("enabled", "allow_tf32", "benchmark", "deterministic"):
        before = getattr(cudnn, name)
        setattr(cudnn, name, not before)
        assert getattr(cudnn, name) is (not before)
        assert lt._C._get_backend_flag("cudnn_" + name) is (not before)
        setattr(cudnn, name, before)
    assert cudnn.version() is None or cudnn.version() >= 90000
    assert cudnn.is_available() == (cudnn.version() is not None)
    with pytest.raises(RuntimeError, match="no switch named 'tf64'"):
        lt._C._set_backend_flag("tf64", True)


@gpu
def test_cudnn_loads_beside_pytorch():
    if torch is None or not torch.backends.cudnn.is_available():
        pytest.skip("PyTorch sees no cuDNN here")
    assert lt.backends.cudnn.is_available(), "libcudnn.so.9 did not load"
    assert lt.backends.cudnn.version() // 10000 == torch.backends.cudnn.version() // 10000


CONVOLUTIONS = [dict(), dict(stride=2, padding=1), dict(padding=2, dilation=2), dict(groups=2),
                dict(stride=(2, 1), padding=(0, 2))]


@gpu
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("kw", CONVOLUTIONS)
def test_cudnn_convolutions_match_the_cpu(dtype, kw):
    # The same convolutions through cuDNN and through the im2col kernels, against the CPU:
    # forward with bias, both adjoints (the gradients), and the transposed convolution.
    rtol, atol = {lt.float32: (1e-4, 1e-4), lt.float64: (1e-10, 1e-10), lt.float16: (1e-2, 2e-2),
                  lt.bfloat16: (5e-2, 1e-1)}[dtype]
    x, w, b = (lt.randn(3, 4, 11, 10).to(dtype), lt.randn(6, 4 // kw.get("groups", 1), 3, 3).to(dtype),
               lt.randn(6).to(dtype))
    for enabled in (True, False):
        lt.backends.cudnn.enabled = enabled
        try:
            both(lambda x, w, b: F.conv2d(x, w, b, **kw), x, w, b, rtol=rtol, atol=atol)
            both(lambda x, w: F.conv_transpose2d(x, w, stride=2), x, lt.randn(4, 5, 3, 3).to(dtype), rtol=rtol,
                 atol=atol)
        finally:
            lt.backends.cudnn.enabled = True


@gpu
@pytest.mark.parametrize("switch", ["benchmark", "deterministic", "allow_tf32"])
def test_cudnn_algorithm_choices(switch):
    # Timed choices, deterministic ones (the same bits twice) and TF32 all give the CPU's
    # result within their precision.
    x, w = lt.randn(8, 16, 20, 20), lt.randn(32, 16, 3, 3)
    setattr(lt.backends.cudnn, switch, True)
    try:
        tol = 2e-2 if switch == "allow_tf32" else 1e-4
        both(lambda x, w: F.conv2d(x, w, padding=1), x, w, rtol=tol, atol=tol)
        if switch == "deterministic":
            xs, ws = x.cuda().requires_grad_(), w.cuda().requires_grad_()
            grads = []
            for _ in range(2):
                F.conv2d(xs, ws, padding=1).square().sum().backward()
                grads.append((xs.grad.cpu(), ws.grad.cpu()))
                xs.grad = ws.grad = None
            assert equal(grads[0][0], grads[1][0]) and equal(grads[0][1], grads[1][1])
    finally:
        setattr(lt.backends.cudnn, switch, False)


@gpu
@pytest.mark.parametrize("bad", [None, "inf", "nan"])
def test_unscale_matches_the_cpu_and_pytorch(bad):
    # GradScaler's one kernel call: many tensors (more than one table), one over several
    # blocks, float64, and a transposed one through the composition.
    lt.manual_seed(3)
    cpu = [lt.randn(n) for n in [70000, 3, 1, 4099] + [17] * 40] + [lt.randn(3, 5).double(), lt.randn(6, 4).t()]
    if bad is not None:
        cpu[3][4000] = float(bad)
    gpu_grads = [g.cuda() for g in cpu]
    originals = [g.numpy().copy() for g in cpu[:4]]
    found_cpu, found_gpu = lt.zeros(1), lt.zeros(1, device="cuda")
    inv = lt.full((1,), 2.0 ** -10)
    lt._C._amp_foreach_non_finite_check_and_unscale_(cpu, found_cpu, inv)
    lt._C._amp_foreach_non_finite_check_and_unscale_(gpu_grads, found_gpu, inv.cuda())
    assert found_gpu.item() == found_cpu.item() == (0.0 if bad is None else 1.0)
    for g, c in zip(gpu_grads, cpu):
        np.testing.assert_array_equal(g.cpu().numpy(), c.numpy())  # NaN where NaN
    if TORCH_CUDA:
        ref = [torch.from_numpy(a).cuda() for a in originals]
        found_ref = torch.zeros(1, device="cuda")
        torch._amp_foreach_non_finite_check_and_unscale_(ref, found_ref, torch.full((1,), 2.0 ** -10, device="cuda"))
        assert found_ref.item() == found_cpu.item()
        for r, c in zip(ref, cpu[:4]):
            np.testing.assert_array_equal(r.cpu().numpy(), c.numpy())


@gpu
@pytest.mark.parametrize("opt", ["sgd", "adamw"])
def test_training_steps_match_the_cpu(opt):
    lt.manual_seed(0)
    model = lt.nn.Sequential(lt.nn.Linear(20, 64), lt.nn.GELU(), lt.nn.LayerNorm(64), lt.nn.Linear(64, 5))
    gpu_model = lt.nn.Sequential(lt.nn.Linear(20, 64), lt.nn.GELU(), lt.nn.LayerNorm(64), lt.nn.Linear(64, 5))
    gpu_model.load_state_dict(model.state_dict())
    gpu_model.cuda()
    assert all(p.is_cuda for p in gpu_model.parameters())

    def make(m):
        if opt == "sgd":
            return lt.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
        return lt.optim.AdamW(m.parameters(), lr=1e-2)

    o1, o2 = make(model), make(gpu_model)
    x, y = lt.randn(32, 20), lt.randint(0, 5, (32,))
    xg, yg = x.cuda(), y.cuda()
    for _ in range(20):
        for m, o, a, t in ((model, o1, x, y), (gpu_model, o2, xg, yg)):
            o.zero_grad()
            loss = F.cross_entropy(m(a), t)
            loss.backward()
            o.step()
    for p, q in zip(model.parameters(), gpu_model.parameters()):
        close(q, p, rtol=1e-3, atol=1e-4)


# --- against PyTorch's CUDA results --------------------------------------------------------------------

@gpu
@pytest.mark.skipif(not TORCH_CUDA, reason="torch sees no GPU")
def test_against_torch_cuda():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((64, 257)).astype(np.float32)
    b = rng.standard_normal((257, 31)).astype(np.float32)
    mine, ref = lt.tensor(a, device="cuda"), torch.tensor(a, device="cuda")
    cases = [
        (lambda m: m.softmax(-1), None), (lambda m: m.log_softmax(-1), None), (lambda m: m.sum(0), None),
        (lambda m: m.exp().mean(1), None), (lambda m: m.sort(1)[0], None), (lambda m: m.cumsum(1), None),
        (lambda m: m.amax(1), None),
    ]
    for fn, _ in cases:
        np.testing.assert_allclose(fn(mine).cpu().numpy(), fn(ref).cpu().numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose((mine @ lt.tensor(b, device="cuda")).cpu().numpy(),
                               (ref @ torch.tensor(b, device="cuda")).cpu().numpy(), rtol=1e-3, atol=1e-3)
    w = rng.standard_normal(257).astype(np.float32)
    np.testing.assert_allclose(
        F.layer_norm(mine, (257,), lt.tensor(w, device="cuda")).cpu().numpy(),
        torch.nn.functional.layer_norm(ref, (257,), torch.tensor(w, device="cuda")).cpu().numpy(), rtol=1e-4, atol=1e-4)


# --- autocast and GradScaler on the GPU, against torch's CUDA autocast ---------------------------

@gpu
@pytest.mark.skipif(not TORCH_CUDA, reason="torch sees no GPU")
@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_autocast_matches_torch_cuda(dtype):
    from test_autocast import OPS
    import torch.nn.functional as TF
    mismatched = []
    for name, (make, fn) in sorted(OPS.items()):
        inputs = make()
        mine = [a.cuda() for a, _ in inputs]
        ref = [b.cuda() for _, b in inputs]
        with lt.autocast("cuda", dtype=getattr(lt, dtype)):
            y = fn(_CudaLt, F, *mine)
        with torch.autocast("cuda", dtype=getattr(torch, dtype)):
            y_ref = fn(_CudaTorch, TF, *ref)
        if str(y.dtype).split(".")[-1] != str(y_ref.dtype).split(".")[-1]:
            mismatched.append((name, str(y.dtype), str(y_ref.dtype)))
            continue
        np.testing.assert_allclose(y.float().cpu().numpy(), y_ref.float().cpu().numpy(), rtol=3e-2, atol=3e-2,
                                   err_msg=name)
    assert mismatched == []


class _OnCuda:
    """A module whose tensor(...) makes CUDA tensors, for test_autocast's OPS."""

    def __init__(self, lib):
        self._lib = lib

    def __getattr__(self, name):
        return getattr(self._lib, name)

    def tensor(self, *args, **kwargs):
        return self._lib.tensor(*args, **kwargs).cuda()


_CudaLt, _CudaTorch = _OnCuda(lt), _OnCuda(torch) if torch is not None else None


@gpu
def test_autocast_banned_binary_cross_entropy():
    p, t = lt.rand(4, device="cuda"), lt.rand(4, device="cuda")
    with lt.autocast("cuda"):
        with pytest.raises(RuntimeError, match="unsafe to autocast"):
            F.binary_cross_entropy(p, t)


@gpu
@pytest.mark.skipif(not TORCH_CUDA, reason="torch sees no GPU")
def test_grad_scaler_float16_training_matches_torch():
    torch.manual_seed(0)
    ref = torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.GELU(), torch.nn.Linear(64, 10)).cuda()
    mine = lt.nn.Sequential(lt.nn.Linear(32, 64), lt.nn.GELU(), lt.nn.Linear(64, 10)).cuda()
    mine.load_state_dict({k: lt.tensor(v.detach().cpu().numpy()).cuda() for k, v in ref.state_dict().items()})
    opt, opt_ref = lt.optim.SGD(mine.parameters(), lr=0.1), torch.optim.SGD(ref.parameters(), lr=0.1)
    scaler, scaler_ref = lt.cuda.amp.GradScaler(init_scale=2.0 ** 20), torch.cuda.amp.GradScaler(init_scale=2.0 ** 20)
    rng = np.random.default_rng(1)
    for step in range(6):
        x = rng.standard_normal((16, 32)).astype(np.float32) * (1e4 if step == 2 else 1)  # one overflowing step
        y = rng.integers(0, 10, 16)
        for lib, model, o, s, Fn in ((lt, mine, opt, scaler, F), (torch, ref, opt_ref, scaler_ref,
                                                                   torch.nn.functional)):
            o.zero_grad()
            with lib.autocast("cuda", dtype=lib.float16):
                loss = Fn.cross_entropy(model(lib.tensor(x).cuda()), lib.tensor(y).cuda())
            s.scale(loss).backward()
            s.step(o)
            s.update()
        assert scaler.get_scale() == scaler_ref.get_scale()
    for p, q in zip(mine.parameters(), ref.parameters()):
        np.testing.assert_allclose(p.detach().cpu().numpy(), q.detach().cpu().numpy(), rtol=2e-2, atol=2e-3)


@gpu
def test_deterministic_mode_gives_the_same_bits():
    lt.manual_seed(0)
    values = lt.randn(200000, 16, device="cuda")
    index = lt.randint(0, 7, (200000,), device="cuda")  # heavy collisions: atomics would reorder
    x = lt.zeros(7, 16, device="cuda")
    lt.use_deterministic_algorithms(True)
    try:
        runs = [lt.index_add(x, 0, index, values).cpu() for _ in range(3)]
        pooled = lt.randn(2, 3, 33, 33, device="cuda", requires_grad=True)
        F.max_pool2d(pooled, 3, stride=1).sum().backward()
        grads = [pooled.grad.clone()]
        pooled.grad = None
        F.max_pool2d(pooled, 3, stride=1).sum().backward()
        grads.append(pooled.grad.clone())
        with pytest.raises(RuntimeError, match="no deterministic implementation on cuda"):
            x.scatter_reduce(0, index[:10].reshape(10, 1).expand(10, 16), values[:10], "prod")
    finally:
        lt.use_deterministic_algorithms(False)
    assert all(equal(r, runs[0]) for r in runs)
    assert equal(grads[0], grads[1])
    close(runs[0], lt.index_add(x.cpu(), 0, index.cpu(), values.cpu()), rtol=1e-4, atol=1e-3)


@gpu
def test_index_fill_takes_a_cpu_scalar_tensor():
    x = lt.zeros(2, 3, device="cuda")
    v = lt.tensor(2.0, requires_grad=True)
    y = x.index_fill(1, lt.tensor([0, 2], device="cuda"), v)
    y.sum().backward()
    assert y.cpu().tolist() == [[2.0, 0.0, 2.0], [2.0, 0.0, 2.0]] and v.grad.item() == 4
