"""Training steps of the course's networks in PyTorch: the other half of `make bench`'s
comparison (benches/training.rs is the engine half; benches/README.md defines the inputs).

Each network is the engine's computation written the way a PyTorch user would: the same
layers, activations, loss, data, batch size, number of steps, and burn's Adam (β₁ 0.9, β₂ 0.999,
ε 10⁻⁵; the GANs' β = (0.5, 0.9), as in the engine). Each row is the best time per step over
seeds 0, 1, 2 and the median of the value its "trained" check bounds.

Run: python benches/training.py  — prints one JSON object. Threads: COURSE_THREADS (default 1),
the same number the engine uses.
"""

from __future__ import annotations

import json
import math
import os
import time

import torch
import torch.nn.functional as F

N_STEPS, WARM_UP = 300, 20
N_FREQS, MAX_FREQ = 8, 100.0
# burn 0.21's AdamConfig defaults (PyTorch's ε is 1e-8).
ADAM_EPS = 1e-5


def frac(i: int, a: float) -> float:
    v = i * a
    return v - math.floor(v)


def uniform(i: int, p: int) -> float:
    """frac(i, √p): independent uniforms for distinct primes p, as in benches/training.rs."""
    return frac(i, math.sqrt(p))


def normals(i: int, p: int, q: int) -> tuple[float, float]:
    """Two standard normals by Box–Muller from uniform(i, p) and uniform(i, q)."""
    r = math.sqrt(-2 * math.log(1 - uniform(i, p)))
    t = 2 * math.pi * uniform(i, q)
    return r * math.cos(t), r * math.sin(t)


def tail(losses: list[float]) -> float:
    """The mean of the last 50 losses: the end-of-training loss the checks bound."""
    return sum(losses[-50:]) / 50


def best_of_3(run) -> dict:
    """Over seeds 0, 1, 2: the best seconds per step of run(seed) (which returns seconds per
    step and the value the trained check bounds) and the median of those values."""
    results = [run(seed) for seed in range(3)]
    return {"seconds_per_step": min(s for s, _ in results), "final": sorted(v for _, v in results)[1]}


def timed(n_steps: int, train):
    """Seconds per step of the n_steps steps taken by train(), and what it returned."""
    start = time.perf_counter()
    out = train()
    return (time.perf_counter() - start) / n_steps, out


def batches(n: int, batch: int, gen: torch.Generator):
    """Random minibatch indices (the whole set when batch ≥ n)."""
    return torch.randint(n, (batch,), generator=gen) if batch < n else slice(None)


def adam(params, lr: float, betas=(0.9, 0.999)) -> torch.optim.Adam:
    """Adam with burn's ε (and burn's default betas unless given)."""
    return torch.optim.Adam(params, lr=lr, betas=betas, eps=ADAM_EPS)


def mlp(dims: list[int], act) -> torch.nn.Sequential:
    """Linear layers of widths dims with act() between them (PyTorch's default initialization,
    which is burn's: uniform weights and biases of bound 1/√fan_in)."""
    layers = []
    for a, b in zip(dims[:-1], dims[1:]):
        layers += [torch.nn.Linear(a, b), act()]
    return torch.nn.Sequential(*layers[:-1])


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


def inside(label: int, a: float, b: float) -> bool:
    """Whether (a, b) (in radii, b pointing down) lies in the disk, square, triangle or cross."""
    if label == 0:
        return a * a + b * b <= 1
    if label == 1:
        return abs(a) <= 0.8 and abs(b) <= 0.8
    if label == 2:
        return all(a * math.cos(t) + b * math.sin(t) <= 0.5 for t in (math.pi / 2 + 2 * math.pi * k / 3 for k in range(3)))
    return (abs(a) <= 0.3 and abs(b) <= 1) or (abs(b) <= 0.3 and abs(a) <= 1)


def shape_images(n: int, size: int, noise: float):
    """The images of benches/training.rs: shape i mod 4, the fraction of each pixel's 3 × 3
    subsamples inside it plus uniform noise of standard deviation `noise`; rows of size² pixels,
    and the labels."""
    s = size
    images = []
    for i in range(n):
        radius = (0.22 + 0.12 * uniform(i + 1, 2)) * s
        cx, cy = radius + (s - 2 * radius) * uniform(i + 1, 3), radius + (s - 2 * radius) * uniform(i + 1, 5)
        row = []
        for r in range(size):
            for c in range(size):
                hits = 0
                for sr in range(3):
                    for sc in range(3):
                        x, y = c + (sc + 0.5) / 3 - cx, r + (sr + 0.5) / 3 - cy
                        hits += inside(i % 4, x / radius, y / radius)
                k = i * size * size + r * size + c + 1
                row.append(hits / 9 + noise * math.sqrt(3) * (2 * uniform(k, 7) - 1))
        images.append(row)
    return images, [i % 4 for i in range(n)]


def moons(n: int):
    """The two moons (first half upper), noise 0.05."""
    rows = []
    for i in range(n):
        t = math.pi * uniform(i + 1, 11)
        a, b = (math.cos(t), math.sin(t)) if i < n // 2 else (1 - math.cos(t), 0.5 - math.sin(t))
        z0, z1 = normals(i + 1, 13, 17)
        rows.append([a + 0.05 * z0, b + 0.05 * z1])
    return rows


def ring(n: int):
    """8 Gaussians of standard deviation 0.1 on the circle of radius 2, point i in mode i mod 8."""
    rows = []
    for i in range(n):
        angle = 2 * math.pi * (i % 8) / 8
        z0, z1 = normals(i + 1, 19, 23)
        rows.append([2 * math.cos(angle) + 0.1 * z0, 2 * math.sin(angle) + 0.1 * z1])
    return rows


def adding(n: int):
    """The adding problem with sequences of length 10 (inputs [n, 10, 2], targets [n, 1])."""
    primes = (29, 31, 37, 41, 43, 47, 53, 59, 61, 67)
    inputs, targets = [], []
    for i in range(n):
        seq = [[uniform(i + 1, p), 0.0] for p in primes]
        a, b = int(5 * uniform(i + 1, 71)), 5 + int(5 * uniform(i + 1, 73))
        seq[a][1] = seq[b][1] = 1.0
        inputs.append(seq)
        targets.append([seq[a][0] + seq[b][0]])
    return inputs, targets


def fit(net, loss_fn, n: int, n_steps: int, batch: int, lr: float, gen) -> list[float]:
    """n_steps Adam steps on loss_fn(net, minibatch indices); the loss before each step."""
    opt = adam([p for p in net.parameters() if p.requires_grad], lr)
    losses = []
    for _ in range(n_steps):
        loss = loss_fn(net, batches(n, batch, gen))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


class Vae(torch.nn.Module):
    """Encoder dim → hidden → 2·latent (means, log-variances), decoder latent → hidden reversed
    → dim, SiLU; a Bernoulli decoder (logits) or a Gaussian one with learned log-scales."""

    def __init__(self, dim: int, latent: int, hidden: list[int], scale: float | None):
        super().__init__()
        self.latent = latent
        self.encoder = mlp([dim, *hidden, 2 * latent], torch.nn.SiLU)
        self.decoder = mlp([latent, *reversed(hidden), dim], torch.nn.SiLU)
        self.log_scale = None if scale is None else torch.nn.Parameter(torch.full((dim,), math.log(scale)))

    def loss(self, x: torch.Tensor) -> torch.Tensor:
        """The negative ELBO (β = 1), one reparameterized draw per example, batch mean."""
        h = self.encoder(x)
        mu, logvar = h[:, : self.latent], h[:, self.latent :]
        z = mu + (0.5 * logvar).exp() * torch.randn_like(mu)
        out = self.decoder(z)
        if self.log_scale is None:
            recon = F.binary_cross_entropy_with_logits(out, x, reduction="none").sum(1)
        else:
            ls = self.log_scale
            recon = (0.5 * ((x - out) / ls.exp()).square() + ls + 0.5 * math.log(2 * math.pi)).sum(1)
        kl = 0.5 * (mu.square() + logvar.exp() - 1 - logvar).sum(1)
        return (recon + kl).mean()


def row(make, loss_fn, n: int, batch: int, lr: float) -> dict:
    """Per seed, a fresh network make() trained by fit() for N_STEPS steps (a throw-away one warms
    up first); the value checked is the mean of the last 50 losses."""
    def run(seed: int, n_steps: int = N_STEPS):
        torch.manual_seed(seed)
        net, gen = make(), torch.Generator().manual_seed(seed)
        seconds, losses = timed(n_steps, lambda: fit(net, loss_fn, n, n_steps, batch, lr, gen))
        return seconds, tail(losses)

    run(99, WARM_UP)
    return best_of_3(run)


def energy_distance(x: torch.Tensor, y: torch.Tensor) -> float:
    """2 E|X − Y| − E|X − X'| − E|Y − Y'| over all pairs (course::generative::metrics)."""
    x, y = x.double(), y.double()
    return (2 * torch.cdist(x, y).mean() - torch.cdist(x, x).mean() - torch.cdist(y, y).mean()).item()


def fd_grad_norm(critic, x: torch.Tensor, h: float = 1e-2) -> torch.Tensor:
    """‖∇f(x)‖ by central differences, as the engine computes it (burn has no double backward)."""
    sq = 0
    for i in range(x.shape[1]):
        e = torch.zeros_like(x)
        e[:, i] = h
        sq = sq + ((critic(x + e) - critic(x - e)) / (2 * h)).square()
    return (sq + 1e-12).sqrt()


def train_gan(data: torch.Tensor, wgan: bool, n_steps: int, seed: int):
    """The engine's loop: n_critic critic steps (5 with the gradient penalty λ = 0.1, else 1),
    then one generator step; Adam β = (0.5, 0.9), lr 10⁻³, batch 128, 2-D noise, ReLU 2-64-64
    nets. Returns the generator and, as the engine reports them, the per-step generator loss,
    critic loss and the critic's distance estimate (JS or W₁)."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    g, c = mlp([2, 64, 64, 2], torch.nn.ReLU), mlp([2, 64, 64, 1], torch.nn.ReLU)
    opt_g, opt_c = adam(g.parameters(), 1e-3, (0.5, 0.9)), adam(c.parameters(), 1e-3, (0.5, 0.9))
    b, n_critic = 128, 5 if wgan else 1
    history = []
    for _ in range(n_steps):
        for _ in range(n_critic):
            xr = data[batches(data.shape[0], b, gen)]
            xf = g(torch.randn(b, 2, generator=gen)).detach()
            fr, ff = c(xr), c(xf)
            if wgan:
                w = fr.mean() - ff.mean()
                eps = torch.rand(b, 1, generator=gen)
                pen = (fd_grad_norm(c, eps * xr + (1 - eps) * xf) - 1).square().mean()
                loss = 0.1 * pen - w
            else:
                loss = F.softplus(-fr).mean() + F.softplus(ff).mean()
            opt_c.zero_grad(set_to_none=True)
            loss.backward()
            opt_c.step()
            c_loss = loss.item()
            dist = w.item() if wgan else (math.log(4) - c_loss) / 2
        ff = c(g(torch.randn(b, 2, generator=gen)))
        loss = -ff.mean() if wgan else F.softplus(-ff).mean()
        opt_g.zero_grad(set_to_none=True)
        loss.backward()
        opt_g.step()
        history.append((loss.item(), c_loss, dist))
    return g, history


def gan_row(data: torch.Tensor, wgan: bool, n_steps: int) -> dict:
    train_gan(data, wgan, WARM_UP, 99)

    def run(seed):
        seconds, (g, _) = timed(n_steps, lambda: train_gan(data, wgan, n_steps, seed))
        with torch.no_grad():
            samples = g(torch.randn(2000, 2, generator=torch.Generator().manual_seed(1234)))
        return seconds, energy_distance(samples, data)

    return best_of_3(run)


def cnn() -> torch.nn.Sequential:
    """conv 3×3 (1 → 4), ReLU, max-pool 2, conv 3×3 (4 → 8), ReLU, max-pool 2, linear 128 → 4;
    the engine's initialization: He-normal kernels, Xavier-normal linear layer, zero biases."""
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(4, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(8 * 4 * 4, 4))
    for layer in (net[0], net[3]):
        torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        torch.nn.init.zeros_(layer.bias)
    torch.nn.init.xavier_normal_(net[7].weight)
    torch.nn.init.zeros_(net[7].bias)
    return net


class Lstm(torch.nn.Module):
    """LSTM 2 → 16 and a linear readout of the last hidden state, initialized as the engine's:
    Xavier-normal input weights and orthogonal recurrent weights per gate, forget-gate bias 3,
    and no recurrent bias (PyTorch's second bias held at zero, out of the optimizer)."""

    def __init__(self):
        super().__init__()
        n = 16
        self.lstm = torch.nn.LSTM(2, n, batch_first=True)
        self.readout = torch.nn.Linear(n, 1)
        with torch.no_grad():
            for k in range(4):  # gates i, f, g, o
                torch.nn.init.xavier_normal_(self.lstm.weight_ih_l0[k * n : (k + 1) * n])
                torch.nn.init.orthogonal_(self.lstm.weight_hh_l0[k * n : (k + 1) * n])
            self.lstm.bias_ih_l0.zero_()
            self.lstm.bias_ih_l0[n : 2 * n] = 3.0
            self.lstm.bias_hh_l0.zero_()
        self.lstm.bias_hh_l0.requires_grad_(False)
        torch.nn.init.xavier_normal_(self.readout.weight)
        torch.nn.init.zeros_(self.readout.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, (h, _) = self.lstm(x)
        return self.readout(h[-1])


def main() -> None:
    threads = int(os.environ.get("COURSE_THREADS", "1"))
    torch.set_num_threads(threads)
    out = {"torch": torch.__version__, "threads": threads}
    x, t, y = rotation_data(8192)
    u = torch.tensor(features(x, t), dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.float32)

    def rotation_loss(net, idx):
        return (net(u[idx]) - yt[idx]).square().sum(1).mean()

    for width in (64, 128, 256):
        dims = [2 + 2 * N_FREQS, width, width, width, 2]

        def run(seed):
            torch.manual_seed(seed)
            gen = torch.Generator().manual_seed(seed)
            fit(mlp(dims, torch.nn.SiLU), rotation_loss, u.shape[0], WARM_UP, 256, 5e-3, gen)  # warm-up (fresh Adam below)
            net = mlp(dims, torch.nn.SiLU)
            seconds, losses = timed(N_STEPS, lambda: fit(net, rotation_loss, u.shape[0], N_STEPS, 256, 5e-3, gen))
            return seconds, tail(losses)

        out[f"timemlp_w{width}"] = best_of_3(run)
    # The tiny MLP 1-32-32-1 (tanh), full batch of 64 points, lr 1e-2.
    xs = torch.linspace(-1, 1, 64).unsqueeze(1)
    ys = torch.sin(3 * xs)

    def run_tiny(seed):
        torch.manual_seed(seed)
        net = mlp([1, 32, 32, 1], torch.nn.Tanh)
        seconds, losses = timed(N_STEPS, lambda: fit(net, lambda m, _: (m(xs) - ys).square().mean(), 64, N_STEPS, 64, 1e-2, None))
        return seconds, losses[-1]

    out["tiny_mlp"] = best_of_3(run_tiny)
    # The VAEs of notebook 23: 12 × 12 images (Bernoulli decoder) and the moons (learned scales).
    images12 = torch.tensor(shape_images(2000, 12, 0.0)[0], dtype=torch.float32)
    out["vae_images"] = row(lambda: Vae(144, 2, [128], None), lambda m, idx: m.loss(images12[idx]), 2000, 128, 3e-3)
    xm = torch.tensor(moons(2048), dtype=torch.float32)
    out["vae_moons"] = row(lambda: Vae(2, 2, [64, 64], 0.1), lambda m, idx: m.loss(xm[idx]), 2048, 128, 5e-3)
    # The GANs of notebook 24 (the non-saturating one for the notebook's 1000 steps).
    ring_data = torch.tensor(ring(4000), dtype=torch.float32)
    out["gan_nonsaturating"] = gan_row(ring_data, False, 1000)
    out["wgan_gp"] = gan_row(ring_data, True, N_STEPS)
    # The CNN and the LSTM of notebook 10.
    images, labels = shape_images(800, 16, 0.1)
    xi, yi = torch.tensor(images, dtype=torch.float32).reshape(800, 1, 16, 16), torch.tensor(labels)
    out["cnn"] = row(cnn, lambda net, idx: F.cross_entropy(net(xi[idx]), yi[idx]), 800, 32, 0.02)
    inputs, targets = adding(1024)
    xa, ya = torch.tensor(inputs, dtype=torch.float32), torch.tensor(targets, dtype=torch.float32)
    out["lstm"] = row(Lstm, lambda net, idx: (net(xa[idx]) - ya[idx]).square().mean(), 1024, 32, 1e-2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
