"""A subset of operators, forward and backward, for compute-sanitizer memcheck: one or two
calls each on small odd-sized tensors (the tails of vectorized loops), so that every
out-of-bounds access or misaligned load shows up without a long run."""
import libtensor as lt
import libtensor.nn.functional as F

d = "cuda"
lt.manual_seed(0)
lt.backends.cudnn.enabled = False  # libtensor's own convolution kernels are what this checks
x = lt.randn(7, 131, device=d, requires_grad=True)
y = lt.randn(131, device=d)
w = lt.randn(131, device=d, requires_grad=True)
ids = lt.randint(0, 7, (5,), device=d)
classes = lt.randint(0, 131, (7,), device=d)

out = (x.exp() + y).sin() * x.t().t() + F.gelu(x) + F.gelu(x, approximate="tanh")  # elementwise
out = out + F.layer_norm(x, (131,), w, w.detach())         # fused row kernels
out = out + F.rms_norm(x, (131,), w)
out = out + x.softmax(-1) + x.log_softmax(0) + x[:, 1:].softmax(-1).sum()
loss = out.sum() + F.cross_entropy(x, classes) + (x @ x.t()).mean() + x.cumsum(1).amax()
loss = loss + F.embedding(ids, x).sum() + x.sort(1)[0][:, :3].sum() + x.topk(4, 1)[0].sum()
loss.backward()
img = lt.randn(2, 3, 13, 11, device=d, requires_grad=True)
k = lt.randn(5, 3, 3, 3, device=d, requires_grad=True)
z = F.max_pool2d(F.conv2d(img, k, padding=1), 2) .sum() + F.avg_pool2d(img, 3).sum()
z.backward()
opt = lt.optim.AdamW([w], lr=0.1)
opt.step()
x2 = x.detach().clone()
x2[ids] += 1
x2.index_put_((ids,), lt.ones(5, 131, device=d), accumulate=True)
# The tiled GEMM (ROCm's product), convolutions on it, a bfloat16 autocast step and the
# deterministic accumulation path.
lt.backends.cuda.preferred_blas_library("own")
a = lt.randn(3, 67, 45, device=d, requires_grad=True)
(a @ a.transpose(1, 2)).sum().backward()
F.conv2d(img, k, stride=2).sum().backward()
lt.backends.cuda.preferred_blas_library("cublas")
with lt.autocast("cuda", dtype=lt.bfloat16):
    h = F.cross_entropy(F.linear(x, lt.randn(9, 131, device=d)), classes % 9)
h.backward()
lt.use_deterministic_algorithms(True)
x2.index_put_((ids,), lt.ones(5, 131, device=d), accumulate=True)
lt.use_deterministic_algorithms(False)
# Long rows on the online cross_entropy kernel (odd length, unaligned), packed strided
# copies (a transpose of the outer dims), split reductions, addmm's fused bias, and an
# index error posted by a kernel and raised at the next wait.
long = lt.randn(3, 5003, device=d, requires_grad=True)
F.cross_entropy(long[:, 1:], lt.tensor([0, 4001, 5001], device=d)).backward()
q = lt.randn(2, 5, 3, 8, device=d, requires_grad=True)
(q.transpose(1, 2).contiguous() * 0.5).sum().backward()
big = lt.randn(70_000, 3, device=d)
print(big.sum(0).sum().item() + big.view(-1).sum().item())
F.linear(x, lt.randn(9, 131, device=d), lt.randn(9, device=d)).sum().backward()
try:
    x[lt.tensor([9], device=d)].cpu()
except IndexError as e:
    print("posted:", e)
m = x2 > 0
print(x2[m].sum().item(), lt.nonzero(m).shape, lt.randperm(33, device=d).sum().item(), lt.unique(ids).shape)
lt.cuda.synchronize()
print("memcheck subset done")
