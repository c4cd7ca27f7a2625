"""Cross-references in the prose: "notebook NN", "notebooks NN–MM", "notebooks/NN-slug.ipynb".

A reference must name a notebook that exists. Where the sentence also gives the notebook's
subject, in apposition ("notebook 29, GANs", "notebook 28 (the VAE)", "the VAE (notebook 28)"),
the subject must be that notebook's: a phrase that shares no term with the named notebook but
does with another is reported ("notebook 29, the VAE": the VAE is notebook 28). A notebook's
terms are the words of its title and slug plus the usual names of what it teaches (ALIASES). A
phrase counts as a subject only if at least half of its words are such terms: "(1500 Adam
steps, batch 128)" describes a run, it does not name a notebook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that say nothing about which notebook is meant.
GENERIC = set(
    """a an and the of for in on to as with by from its their this that these those at or is are
    be it we our via vs what how why who when where which into over under each every one two
    model models network networks deep learning mathematics notebook notebooks rust welcome
    method methods sampling sampler samplers systems system idea same part section""".split()
)

# The usual names of what each notebook teaches, beyond its title (lower case, singular).
ALIASES = {
    "01": "perceptron least square regression ridge overfitting qr novikoff",
    "02": "svd pseudo-inverse pca eckart young conditioning lu pivoting linear",
    "03": "low rank randomized svd compression soft-impute",
    "04": "gradient descent sgd robbins monro flow",
    "05": "momentum adam nesterov rmsprop adaptive heavy ball",
    "06": "automatic differentiation backpropagation autodiff dual tape",
    "07": "ode euler rk4 lyapunov dynamical runge kutta integrator",
    "08": "universal approximation width depth",
    "09": "initialization normalization dropout training vanishing",
    "10": "convolution cnn lstm recurrent residual highway resnet architecture",
    "11": "attention transformer transformers self-attention softmax positional encoding causal mask multi-head key-value recall",
    "12": "probability concentration clt hoeffding chernoff",
    "13": "generalization vc dimension shattering sauer shelah rademacher pac union bound double descent implicit bias max-margin margin",
    "14": "stochastic process sde brownian itô ito girsanov maruyama milstein",
    "15": "non-convex nonconvex stationarity polyak-łojasiewicz pl saddle perturbed sde modified equation lyapunov amsgrad krylov worst-case",
    "16": "kalman kernel gaussian process gp inference representer",
    "17": "monte carlo mcmc importance mala metropolis hmc gibbs langevin",
    "18": "variational inference elbo cavi vi",
    "19": "em hidden variable mixture k-means cluster",
    "20": "boltzmann rbm energy-based energy ising",
    "21": "bayesian network belief propagation elimination",
    "22": "ntk neural tangent kernel lazy",
    "23": "mean-field mean field particle",
    "24": "reinforcement rl q-learning bellman policy",
    "25": "policy-gradient reinforce actor-critic baseline temporal-difference",
    "26": "pinn neural ode bsde dynamical black scholes",
    "27": "dgm deep galerkin pde pdes bsde hjb hamilton jacobi bellman high-dimensional closure lorenz",
    "28": "vae autoencoder variational",
    "29": "gan wgan wasserstein discriminator",
    "30": "score matching langevin ncsn denoising",
    "31": "ddpm diffusion ddim",
    "32": "edm probability-flow pf-ode score sde heun",
    "33": "guidance guided classifier-free classifier cfg conditional tilted statistical rate rates score estimation kernel empirical bayes minimax",
    "34": "flow matching normalizing cnf rectified coupling reflow",
    "35": "stochastic control path integral pis",
    "36": "schrödinger bridge sinkhorn entropic ot ipf",
    "37": "capstone journal club inpainting application",
}

WORD = re.compile(r"[A-Za-zÀ-ÿ0-9]+(?:-[A-Za-zÀ-ÿ0-9]+)*")
NUM_LIST = r"\d\d(?:\s*(?:[–—-]|,|and|or|to)\s*\d\d(?![\d.]))*"
REF = re.compile(r"\b[Nn]otebooks?\s+(" + NUM_LIST + r")(?![\d.]\d)")
PATH_REF = re.compile(r"notebooks/(\d\d-[a-z0-9-]+)(\.ipynb)?")
# The phrase in apposition after a reference: ", phrase" / " — phrase" / ": phrase" / " (phrase)".
AFTER = re.compile(r"^(?:\s*[,:]\s+|\s+—\s+|\s*\()([^.;:—()\n`$]{2,80})")
BEFORE = re.compile(r"([^.;:—()\n`$,]{2,60})\($")


def stem(word: str) -> str:
    word = word.lower()
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def words(text: str) -> set[str]:
    out = set()
    for w in WORD.findall(text):
        for part in {w, *w.split("-")}:
            s = stem(part)
            if len(s) >= 2 and s not in GENERIC and not s.isdigit():
                out.add(s)
    return out


def numbers(spec: str) -> list[str]:
    """'26–28' -> 26, 27, 28; '12, 14 and 26' -> 12, 14, 26."""
    out: list[str] = []
    for m in re.finditer(r"(\d\d)(?:\s*[–—-]\s*(\d\d))?", spec):
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) else lo
        if hi < lo:
            out.append(f"{lo:02d}>{hi:02d}")  # an inverted range: reported as missing
        out.extend(f"{k:02d}" for k in range(lo, hi + 1))
    return out


@dataclass
class Problem:
    where: str
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.where}: “{self.text}” — {self.why}"


def is_subject(phrase: str, every: set[str]) -> bool:
    """Whether at least half of the phrase's words are among `every` notebook's terms."""
    tokens = {stem(w) for w in WORD.findall(phrase) if stem(w) not in GENERIC}
    if not tokens:
        return False
    hits = sum(1 for w in tokens if words(w) & every)
    return 2 * hits >= len(tokens)


def notebook_terms(titles: dict[str, str]) -> dict[str, set[str]]:
    """NN -> the terms that name notebook NN (title words, slug words, aliases)."""
    return {nn: words(title) | words(ALIASES.get(nn, "")) for nn, title in titles.items()}


def check_text(text: str, where: str, terms: dict[str, set[str]], slugs: set[str]) -> list[Problem]:
    """Every problem with the references in `text`. `terms`: NN -> that notebook's terms
    ([`notebook_terms`]); `slugs`: the existing file stems (NN-slug)."""
    every = set().union(*terms.values())
    problems: list[Problem] = []
    for m in PATH_REF.finditer(text):
        if m.group(1) not in slugs:
            problems.append(Problem(where, m.group(0), "no such notebook file"))
    for m in REF.finditer(text):
        nns = numbers(m.group(1))
        context = text[max(0, m.start() - 30) : m.end() + 50].replace("\n", " ")
        missing = [nn for nn in nns if nn not in terms]
        if missing:
            problems.append(Problem(where, context, f"names notebook(s) {', '.join(missing)}, which do not exist"))
            continue
        phrases = []
        after = AFTER.match(text[m.end() :])
        if after:
            phrases.append(after.group(1))
        if len(nns) == 1:  # "the VAE (notebook 28)"; in "A, B (notebooks 14, 17)" the subject is ambiguous
            before = BEFORE.search(text[max(0, m.start() - 60) : m.start()])
            if before:
                phrases.append(" ".join(before.group(1).split()[-3:]))
        named = set().union(*(terms[nn] for nn in nns))
        for phrase in phrases:
            said = words(phrase)
            if not is_subject(phrase, every) or said & named:
                continue
            others = sorted(nn for nn, t in terms.items() if said & t)
            problems.append(
                Problem(where, context, f"“{phrase.strip()}” is the subject of notebook(s) {', '.join(others)}, not {', '.join(nns)}")
            )
    return problems
