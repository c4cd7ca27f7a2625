"""Training steps of the course's networks in PyTorch: the other half of `make bench`'s
comparison (benches/training.rs is the engine half; benches/README.md defines the inputs).

Run: python benches/training.py  — prints one JSON object. Threads: COURSE_THREADS (default 1),
the same number the engine uses.
"""

from __future__ import annotations

import json
import math
import os
import time

import torch

N_STEPS, BATCH, LR = 300, 256, 5e-3
N_FREQS, MAX_FREQ = 8, 100.0


def frac(i: int, a: float) -> float:
    v = i * a
    return v - math.floor(v)


def rotation_data(n: int):
    """x in [-1, 1]^2, t in [0, 1), y = R(2πt) x: the same numbers as benches/training.rs."""
    x = [[2 * frac(i + 1, 0.6180339887498948) - 1, 2 * frac(i + 1, math.sqrt(2)) - 1] for i in range(n)]
    t = [frac(i + 1, 1.7320508075688772) for i in range(n)]
    y = []
    for (x0, x1), ti in zip(x, t):
        c, s = math.cos(2 * math.pi * ti), math.sin(2 * math.pi * ti)
        y.append([c * x0 - s * x1, s * x0 + c * x1])
    return x, t, y


def features(x, t):
    """(x, γ(t)) with the sinusoidal embedding of course::generative::net (8 frequencies, 1 to 100)."""
    rows = []
    for xi, ti in zip(x, t):
        g = []
        for k in range(N_FREQS):
            w = MAX_FREQ ** (k / (N_FREQS - 1))
            g += [math.sin(w * ti), math.cos(w * ti)]
        rows.append(xi + g)
    return rows


def time_mlp(width: int) -> torch.nn.Module:
    layers, dims = [], [2 + 2 * N_FREQS, width, width, width, 2]
    for a, b in zip(dims[:-1], dims[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.SiLU()]
    return torch.nn.Sequential(*layers[:-1])


def train(net, u, y, n_steps, batch, lr, gen):
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    losses = []
    for _ in range(n_steps):
        idx = torch.randint(u.shape[0], (batch,), generator=gen) if batch < u.shape[0] else slice(None)
        loss = (net(u[idx]) - y[idx]).square().sum(1).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def main() -> None:
    threads = int(os.environ.get("COURSE_THREADS", "1"))
    torch.set_num_threads(threads)
    x, t, y = rotation_data(8192)
    u = torch.tensor(features(x, t), dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.float32)
    out = {"torch": torch.__version__, "threads": threads}
    for width in (64, 128, 256):
        best, final = float("inf"), float("nan")
        for seed in range(3):
            torch.manual_seed(seed)
            gen = torch.Generator().manual_seed(seed)
            net = time_mlp(width)
            train(net, u, yt, 20, BATCH, LR, gen)  # warm-up, as on the engine side (fresh Adam below)
            net = time_mlp(width)
            start = time.perf_counter()
            losses = train(net, u, yt, N_STEPS, BATCH, LR, gen)
            best = min(best, (time.perf_counter() - start) / N_STEPS)
            final = sum(losses[-50:]) / 50
        out[f"timemlp_w{width}"] = {"seconds_per_step": best, "final_loss": final}
    # The tiny MLP 1-32-32-1 (tanh), full batch of 64 points, lr 1e-2.
    xs = torch.linspace(-1, 1, 64).unsqueeze(1)
    ys = torch.sin(3 * xs)
    best, final = float("inf"), float("nan")
    for seed in range(3):
        torch.manual_seed(seed)
        net = torch.nn.Sequential(torch.nn.Linear(1, 32), torch.nn.Tanh(), torch.nn.Linear(32, 32), torch.nn.Tanh(), torch.nn.Linear(32, 1))
        start = time.perf_counter()
        losses = train(net, xs, ys, N_STEPS, 64, 1e-2, None)
        best = min(best, (time.perf_counter() - start) / N_STEPS)
        final = losses[-1]
    out["tiny_mlp"] = {"seconds_per_step": best, "final_loss": final}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
