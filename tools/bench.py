"""`make bench`: the interactive-speed targets of the course, measured in one run.

Prints a table and writes build/bench.json. All kernel measurements use a warm build slot
(the warm-up compiles the notebooks' dependencies first, as `make test` does).

  fresh kernel → :dep course → first inline plot      target ≤ 10 s
  first cell that trains a small burn model            target ≤ 3 s beyond its compute time
  median of 20 trivial cells (`let x = 1 + 1; x`)      target ≤ 1.0 s
  each notebook                                        target ≤ 60 s
  all notebooks                                        target ≤ 15 min

and the compute speed of the course's own kernels against straightforward NumPy versions
(benches/: an MLP training step, Euler–Maruyama on 10^5 paths, a 512×512 SVD, 10^6 Metropolis
steps), as ratios, after checking that both sides computed the same thing; and the time of a
training step of the course's networks against PyTorch on the CPU, with one thread and with
every core on both sides, after checking that both sides trained.

  python tools/bench.py [all|training|kernels]     (make bench WHAT=…)
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import nbformat  # noqa: E402
from nbrunner import BUDGET, BUILD, NOTEBOOKS, BuildSlot, execute, warm_up  # noqa: E402

DEP = ':dep course = { path = "../support-crate" }'


def scratch(name: str, sources: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "rust", "display_name": "Rust (course)", "language": "rust"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    path = BUILD / "bench" / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def run(path: Path, slot: BuildSlot):
    result, nb = execute(path, slot, notebook_limit=None, cwd=NOTEBOOKS)
    if result.failure:
        raise SystemExit(f"bench: {path.name} failed:\n{result.failure}")
    result.notebook = nb
    return result


def fresh_kernel_to_plot(slot: BuildSlot, repeats: int = 3) -> float:
    path = scratch(
        "kernel-to-plot",
        [DEP, "use course::prelude::*;", 'Plot::new("first plot").line(&linspace(0.0, 1.0, 50), &linspace(0.0, 1.0, 50), "")'],
    )
    times = []
    for _ in range(repeats):
        r = run(path, slot)
        times.append(r.cells[-1].end - r.started)
    return statistics.median(times)


FIT = (
    "let x = course::linspace(-1.0, 1.0, 64);\n"
    "let y: Vec<f64> = x.iter().map(|t| (3.0 * t).sin()).collect();\n"
    "let (model, report) = course::nn::fit_regressor_1d(&x, &y, &[32, 32], course::nn::Activation::Tanh, 300, 1e-2, 0);\n"
    'println!("COMPUTE {}", report.seconds);'
)


def first_burn_cell(slot: BuildSlot) -> tuple[float, float]:
    """(cell time minus its compute time, compute time) of the first cell that trains a burn MLP."""
    r = run(scratch("first-burn", [DEP, FIT]), slot)
    text = "".join(o.get("text", "") for o in r.notebook.cells[-1].outputs)
    compute = float(text.split("COMPUTE", 1)[1].split()[0])
    return r.cells[-1].seconds - compute, compute


def trivial_cells(slot: BuildSlot, n: int = 20) -> tuple[float, float]:
    r = run(scratch("trivial", [DEP, "use course::prelude::*;"] + ["let x = 1 + 1; x"] * n), slot)
    t = [c.seconds for c in r.cells[2:]]
    return statistics.median(t), max(t)


ROOT = BUILD.parent


def compute_kernels() -> list[dict]:
    """Times benches/kernels.rs (release) and benches/kernels.py (NumPy, one BLAS thread: the
    Rust side is single-threaded too) and checks they agree before comparing."""
    rust = json.loads(subprocess.run(
        ["cargo", "run", "--quiet", "--release", "--locked", "-p", "course", "--example", "kernels"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    numpy = json.loads(subprocess.run([sys.executable, str(ROOT / "benches" / "kernels.py")],
                                      env=env, check=True, capture_output=True, text=True).stdout)
    import math
    agree = {
        # both fits reach a small loss from their own random initializations
        "mlp_step": max(rust["mlp_step"]["final_loss"], numpy["mlp_step"]["final_loss"]) < 1e-2,
        # both means within 4 s.e. (+ the O(dt) weak bias) of the exact e^{-1}
        "sde_1e5_paths": all(abs(d["sde_1e5_paths"]["mean"] - math.exp(-1)) < 4 * 0.86 / math.sqrt(1e5) + 5e-3 for d in (rust, numpy)),
        # the same matrix, the same singular values
        "svd_512": all(abs(rust["svd_512"][k] - numpy["svd_512"][k]) <= 1e-9 * numpy["svd_512"]["s_max"] for k in ("s_max", "s_min")),
        # both acceptance rates at the closed form (2/π) arctan(2/2.4)
        "metropolis_1e6": all(abs(d["metropolis_1e6"]["acceptance"] - 2 / math.pi * math.atan(2 / 2.4)) < 3e-3 for d in (rust, numpy)),
    }
    rows = []
    for k, label in [("mlp_step", "MLP 1-32-32-1 Adam step (f32)"), ("sde_1e5_paths", "Euler–Maruyama, 10^5 paths × 100 steps"),
                     ("svd_512", "SVD 512×512 (U, Σ, Vᵀ)"), ("metropolis_1e6", "10^6 random-walk Metropolis steps")]:
        r, n = rust[k]["seconds"], numpy[k]["seconds"]
        rows.append({"kernel": label, "rust_seconds": r, "numpy_seconds": n, "rust_over_numpy": r / n, "results_agree": agree[k]})
    return rows, numpy.get("numpy")


# What both sides must reach (the median over seeds 0, 1, 2 of the value in benches/README.md),
# each bound several times the worst value measured on either side and well below what an
# untrained or trivial model scores:
# - TimeMlp, mean loss of the last 50 steps, against the target's mean square 2/3: measured
#   2.1e-4–5.4e-4; bound ten times that.
# - tiny MLP, last loss, against 0.43: measured 2e-5–6.4e-5; bound 150 times that.
# - VAE on the images, negative ELBO in nats (last 50 steps): measured 29.8–30.2; the mean image
#   as independent Bernoullis scores 49.2, the data's own entropy is 9.2.
# - VAE on the moons: measured 1.67–1.78; a fitted Gaussian's negative log-likelihood is 1.88.
# - GANs, energy distance of 2000 samples to the data: non-saturating (1000 steps) 0.02–0.47
#   on seeds 0–2, medians 0.04 (PyTorch) and 0.38 (engine); over seeds 0–9 the engine gives
#   0.009–1.44 (burn's autodiff gave the same spread, 0.009–1.94: the seeds that drop modes
#   differ by chance), so its bound is on "left the untrained generator behind", not on
#   "covered every mode"; WGAN-GP (300 steps) 0.019–0.031; an untrained generator scores
#   1.3–1.4 and a fitted Gaussian 0.085.
# - CNN, cross-entropy (last 50 steps): 0.0035–0.058; chance is ln 4 = 1.39.
# - LSTM, squared error (last 50 steps): 0.003–0.009; predicting 1 scores 1/6.
TRAINED = {
    "timemlp_w64": 5e-3, "timemlp_w128": 5e-3, "timemlp_w256": 5e-3, "tiny_mlp": 1e-2,
    "vae_images": 35.0, "vae_moons": 2.0, "gan_nonsaturating": 0.6, "wgan_gp": 0.08, "cnn": 0.3, "lstm": 0.04,
}
TRAINING_LABELS = {
    "timemlp_w64": "TimeMlp 18-64-64-64-2, batch 256",
    "timemlp_w128": "TimeMlp 18-128-128-128-2, batch 256",
    "timemlp_w256": "TimeMlp 18-256-256-256-2, batch 256",
    "tiny_mlp": "MLP 1-32-32-1 tanh, full batch 64",
    "vae_images": "VAE 144-128-2, Bernoulli, batch 128",
    "vae_moons": "VAE 2-64-64-2, learned scales, batch 128",
    "gan_nonsaturating": "NS-GAN 2-64-64-2 and 2-64-64-1, batch 128",
    "wgan_gp": "WGAN-GP, same nets, n_critic 5, batch 128",
    "cnn": "CNN 16×16, conv 4 and 8 channels, batch 32",
    "lstm": "LSTM 2-16-1, length 10, batch 32",
}


def training_vs_pytorch(threads: int) -> dict:
    """Times benches/training.rs (engine, release) and benches/training.py (PyTorch, in the
    environment COURSE_BENCH_PYTHON), both with `threads` threads (COURSE_THREADS, which both
    read), and checks that both trained (the final value of each row, a loss or a distance,
    below its bound in TRAINED)."""
    env = dict(os.environ, COURSE_THREADS=str(threads))
    engine = json.loads(subprocess.run(
        ["cargo", "run", "--quiet", "--release", "--locked", "-p", "course", "--example", "training"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout)
    python = os.environ.get("COURSE_BENCH_PYTHON", sys.executable)
    torch = json.loads(subprocess.run([python, str(ROOT / "benches" / "training.py")],
                                      env=env, check=True, capture_output=True, text=True).stdout)
    rows = []
    for k, label in TRAINING_LABELS.items():
        e, t = engine[k], torch[k]
        rows.append({
            "network": label, "engine_seconds_per_step": e["seconds_per_step"], "torch_seconds_per_step": t["seconds_per_step"],
            "engine_over_torch": e["seconds_per_step"] / t["seconds_per_step"],
            "engine_final": e["final"], "torch_final": t["final"],
            "both_trained": max(e["final"], t["final"]) < TRAINED[k], "bound": TRAINED[k],
        })
    return {"threads": threads, "torch": torch["torch"], "rows": rows}


def training_runs() -> list[dict]:
    """The comparison on one thread, then on every core (once if the machine has one)."""
    cores = os.cpu_count() or 1
    return [training_vs_pytorch(t) for t in sorted({1, cores})]


def print_training(runs: list[dict]) -> None:
    for training in runs:
        print(f"\n{'training step (best of 3 runs)':<44} {'engine ms':>10} {'PyTorch ms':>11} {'engine/PyTorch':>15}  final values (bound)")
        for r in training["rows"]:
            print(f"{r['network']:<44} {1e3 * r['engine_seconds_per_step']:10.3f} {1e3 * r['torch_seconds_per_step']:11.3f} "
                  f"{r['engine_over_torch']:15.2f}  {r['engine_final']:.3g}, {r['torch_final']:.3g} (< {r['bound']:g})"
                  + ("" if r["both_trained"] else "  NOT TRAINED"))
        n = training["threads"]
        print(f"(PyTorch {training['torch']} on the CPU; {n} thread{'s' if n > 1 else ''} on both sides)")


def main(what: str = "all") -> None:
    if what not in ("all", "training", "kernels"):
        raise SystemExit(f"bench: WHAT must be all, training or kernels, got {what!r}")
    report = {"machine": {"cores": os.cpu_count(), "cpu": cpu_name(), "python": platform.python_version()}}
    if what in ("training", "kernels"):
        if what == "training":
            report["training"] = training_runs()
            print_training(report["training"])
        else:
            kernels, numpy_version = compute_kernels()
            report["compute"] = {"numpy": numpy_version, "kernels": kernels}
            print_kernels(kernels, numpy_version)
        out = BUILD / f"bench-{what}.json"
        out.parent.mkdir(parents=True, exist_ok=True)  # run directly, before make setup made build/
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"report: {out.relative_to(BUILD.parent)}")
        check_agreement(report)
        return
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    rows = []
    with BuildSlot.free_in(BUILD / "evcxr-slots") as slot:
        report["warm_up_seconds"] = round(warm_up(paths, slot), 2)
        k2p = fresh_kernel_to_plot(slot)
        rows.append(("fresh kernel → :dep → first plot (median of 3)", k2p, 10.0))
        med, worst = trivial_cells(slot)
        rows.append(("trivial cell, median of 20", med, 1.0))
        rows.append(("trivial cell, slowest of 20", worst, None))
        overhead, compute = first_burn_cell(slot)
        rows.append(("first burn MLP training cell, beyond compute", overhead, 3.0))
        rows.append(("  its compute (300 Adam steps, MLP 1-32-32-1)", compute, None))
        total = 0.0
        for p in paths:
            r = run(p, slot)
            total += r.seconds
            rows.append((f"notebook {p.stem}", r.seconds, BUDGET))
        rows.append(("all notebooks", total, 15 * 60.0))
    kernels, numpy_version = compute_kernels()
    report["compute"] = {"numpy": numpy_version, "kernels": kernels}
    report["training"] = training_runs()
    report["measurements"] = [
        {"what": w, "seconds": None if v is None else round(v, 3), "target_seconds": t, "met": None if v is None or t is None else v <= t}
        for w, v, t in rows
    ]
    out = BUILD / "bench.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"machine: {report['machine']['cores']} cores, {report['machine']['cpu']}; warm-up {report['warm_up_seconds']} s")
    print(f"{'measurement':<52} {'seconds':>9} {'target':>8}  met")
    for w, v, t in rows:
        val = "n/a" if v is None else f"{v:9.2f}"
        tgt = "" if t is None else f"≤ {t:g}"
        met = "" if v is None or t is None else ("yes" if v <= t else "NO")
        print(f"{w:<52} {val:>9} {tgt:>8}  {met}")
    print_kernels(kernels, numpy_version)
    print_training(report["training"])
    print(f"report: {out.relative_to(BUILD.parent)}")
    check_agreement(report)


def print_kernels(kernels: list[dict], numpy_version: str) -> None:
    print(f"\n{'kernel (best of 3)':<42} {'Rust s':>10} {'NumPy s':>10} {'Rust/NumPy':>11}  same result")
    for k in kernels:
        print(f"{k['kernel']:<42} {k['rust_seconds']:10.2e} {k['numpy_seconds']:10.2e} {k['rust_over_numpy']:11.2f}  {'yes' if k['results_agree'] else 'NO'}")
    print(f"(NumPy {numpy_version}, one BLAS thread)")


def check_agreement(report: dict) -> None:
    if not all(k["results_agree"] for k in report.get("compute", {}).get("kernels", [])):
        raise SystemExit("bench: a Rust kernel and its NumPy version disagree (see the table)")
    if not all(r["both_trained"] for run in report.get("training", []) for r in run["rows"]):
        raise SystemExit("bench: a network did not train on one side (see the table)")


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    t0 = time.monotonic()
    main(*sys.argv[1:2])
    print(f"bench took {time.monotonic() - t0:.0f} s")
