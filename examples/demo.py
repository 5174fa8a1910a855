"""libtensor from Python: fits y = 3x - 2 + noise by gradient descent, PyTorch-style.

Run with Debian's interpreter after `bash scripts/setup.sh`:  /usr/bin/python3 examples/demo.py
"""
import libtensor as torch  # the API follows PyTorch's, so the usual name works

torch.manual_seed(0)
x = torch.linspace(-1, 1, 64).unsqueeze(1)
y = 3 * x - 2 + 0.1 * torch.randn(64, 1)

w = torch.zeros(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for step in range(201):
    loss = ((x @ w + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.5 * w.grad
        b -= 0.5 * b.grad
    w.grad = None
    b.grad = None
    if step % 50 == 0:
        print(f"step {step:3d}  loss {loss:.4f}")

print("w =", w)
print("b =", b)
print("x[:3] =", x[:3].T)
