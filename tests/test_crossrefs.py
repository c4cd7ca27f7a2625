"""Every "notebook NN" in the prose names an existing notebook, and the right one where the
sentence says what that notebook is about (tests/crossrefs.py)."""

from __future__ import annotations

import nbformat

from conftest import NOTEBOOK_PATHS
from crossrefs import check_text, notebook_terms, numbers
from nbrunner import ROOT

TERMS = notebook_terms({p.name[:2]: nbformat.read(p, as_version=4).cells[0].source.splitlines()[0] + " " + p.stem[3:].replace("-", " ") for p in NOTEBOOK_PATHS})
SLUGS = {p.stem for p in NOTEBOOK_PATHS}


def sources():
    """(where, text) for every piece of prose that may name a notebook."""
    for p in NOTEBOOK_PATHS:
        for i, cell in enumerate(nbformat.read(p, as_version=4).cells):
            yield f"{p.name} cell {i}", cell.source
    yield "README.md", (ROOT / "README.md").read_text()
    for crate in ("support-crate", "nn-engine"):
        for rs in sorted((ROOT / crate / "src").rglob("*.rs")):
            yield str(rs.relative_to(ROOT)), rs.read_text()


def test_the_checker_on_known_sentences():
    titles = {"28": "# 28 — Variational autoencoders", "29": "# 29 — GANs and Wasserstein GANs", "31": "# 31 — Diffusion models: DDPM", "32": "# 32 — Score SDEs and EDM", "33": "# 33 — Flows and flow matching"}
    terms, slugs = notebook_terms(titles), {"28-variational-autoencoders"}

    def why(text):
        return [p.why for p in check_text(text, "t", terms, slugs)]

    assert why("deep generative models (notebook 29, the VAE).") == ["“the VAE” is the subject of notebook(s) 28, not 29"]
    assert why("deep generative models (notebook 28, the VAE).") == []
    assert why("why VAEs (notebook 29) use it") != []
    assert why("why VAEs (notebook 28) use it") == []
    assert why("**Next:** notebook 29, GANs — a generator") == []
    assert why("the diffusion of notebooks 31–32, run as") == []
    assert why("see notebooks 31–34") == ["names notebook(s) 34, which do not exist"]
    assert why("see notebook 41") == ["names notebook(s) 41, which do not exist"]
    assert why("Used in notebooks/28-variational-autoencoders.ipynb.") == []
    assert why("Used in notebooks/23-vae.ipynb.") == ["no such notebook file"]
    assert why("notebook 31, diffusion models (DDPM)") == []
    assert why("notebook 33, in the order of its figures") == []  # no notebook's subject: nothing to compare
    assert numbers("26–28") == ["26", "27", "28"] and numbers("12, 14 and 26") == ["12", "14", "26"]


def test_references_name_the_right_notebook():
    problems = [p for where, text in sources() for p in check_text(text, where, TERMS, SLUGS)]
    assert not problems, "\n".join(map(str, problems))
