"""The course's compute kernels in straightforward NumPy: the other half of `make bench`'s
comparison (benches/kernels.rs is the Rust half; benches/README.md defines the inputs).

Run: python benches/kernels.py  — prints one JSON object.
"""

from __future__ import annotations

import json
import time

import numpy as np


def best_of(repeats, f):
    best, out = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def mlp_fit(n_steps=300, lr=1e-2, seed=0):
    """MLP 1-32-32-1 (tanh), full-batch Adam on the MSE, float32 like burn; returns losses."""
    rng = np.random.default_rng(seed)
    x = np.linspace(-1, 1, 64, dtype=np.float32)[:, None]
    y = np.sin(3 * x)
    sizes = [1, 32, 32, 1]
    params = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        bound = 1 / np.sqrt(a)  # burn's default: Kaiming-uniform-like bound 1/sqrt(fan_in)
        params += [rng.uniform(-bound, bound, (a, b)).astype(np.float32), rng.uniform(-bound, bound, b).astype(np.float32)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    b1, b2, eps = 0.9, 0.999, 1e-8
    losses = []
    for t in range(1, n_steps + 1):
        w1, c1, w2, c2, w3, c3 = params
        h1 = np.tanh(x @ w1 + c1)
        h2 = np.tanh(h1 @ w2 + c2)
        out = h2 @ w3 + c3
        err = out - y
        losses.append(float(np.mean(err**2)))
        g_out = 2 * err / err.size
        g_w3, g_c3 = h2.T @ g_out, g_out.sum(0)
        g_h2 = (g_out @ w3.T) * (1 - h2**2)
        g_w2, g_c2 = h1.T @ g_h2, g_h2.sum(0)
        g_h1 = (g_h2 @ w2.T) * (1 - h1**2)
        g_w1, g_c1 = x.T @ g_h1, g_h1.sum(0)
        grads = [g_w1, g_c1, g_w2, g_c2, g_w3, g_c3]
        for i, g in enumerate(grads):
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            params[i] = params[i] - lr * (m[i] / (1 - b1**t)) / (np.sqrt(v[i] / (1 - b2**t)) + eps)
    return losses


def euler_maruyama_ou(n_paths=100_000, n_steps=100, x0=1.0, t_end=1.0, theta=1.0, sigma=1.0, seed=0):
    rng = np.random.default_rng(seed)
    dt = t_end / n_steps
    x = np.full(n_paths, x0)
    for _ in range(n_steps):
        x += -theta * x * dt + sigma * np.sqrt(dt) * rng.standard_normal(n_paths)
    return x


def svd_input(n=512):
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return np.sin(i + 2 * j + 1.0) / np.sqrt(n) + np.eye(n)


def metropolis(n_steps=1_000_000, step=2.4, seed=0):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(n_steps)
    logu = np.log(rng.random(n_steps))
    chain = np.empty(n_steps)
    x, lx, accepted = 0.0, 0.0, 0
    for k in range(n_steps):
        y = x + step * z[k]
        ly = -0.5 * y * y
        if logu[k] < ly - lx:
            x, lx = y, ly
            accepted += 1
        chain[k] = x
    return accepted / n_steps


def main():
    t_fit, losses = best_of(3, mlp_fit)
    t_sde, xt = best_of(3, euler_maruyama_ou)
    a = svd_input()
    t_svd, s = best_of(3, lambda: np.linalg.svd(a)[1])
    t_mh, acc = best_of(1, metropolis)
    print(json.dumps({
        "mlp_step": {"seconds": t_fit / 300, "final_loss": losses[-1]},
        "sde_1e5_paths": {"seconds": t_sde, "mean": float(xt.mean())},
        "svd_512": {"seconds": t_svd, "s_max": float(s[0]), "s_min": float(s[-1])},
        "metropolis_1e6": {"seconds": t_mh, "acceptance": acc},
        "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()
