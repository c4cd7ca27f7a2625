//! The journal club: the twelve papers of the seed syllabus, each mapped to the notebook where
//! its idea is implemented and checked, and how much of the paper that notebook implements.
//!
//! Used in notebooks/37-capstone-and-journal-club.ipynb.

/// One seed paper and where the course implements it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paper {
    /// Authors, short form.
    pub authors: &'static str,
    /// Year of the version cited by the seed syllabus.
    pub year: u32,
    /// Title.
    pub title: &'static str,
    /// arXiv identifier (or journal reference).
    pub reference: &'static str,
    /// The notebook (file stem in `notebooks/`) where its central idea is implemented.
    pub notebook: &'static str,
    /// The idea, and what the notebook checks, in one line.
    pub idea: &'static str,
    /// How much of the paper's method the notebook implements.
    pub coverage: Coverage,
    /// The public items of the course crate (functions, types) that implement it and that the
    /// notebook calls: the journal-club talk starts from their source.
    pub code: &'static [&'static str],
}

impl Paper {
    /// The items of [`Paper::code`] that `notebook_source` (the notebook's file, as text) never
    /// names: a paper is implemented in a notebook only if the notebook runs its code.
    ///
    /// # Examples
    /// ```
    /// use course::generative::applications::SEED_PAPERS;
    /// let vincent = &SEED_PAPERS[0];
    /// assert_eq!(vincent.uncalled("let j = dsm_objective(&x); let e = esm_objective(&x); let t = dsm_target(&x);"), Vec::<&str>::new());
    /// assert_eq!(vincent.uncalled("let j = dsm_objective(&x);"), vec!["esm_objective", "dsm_target"]);
    /// ```
    pub fn uncalled(&self, notebook_source: &str) -> Vec<&'static str> {
        self.code.iter().copied().filter(|name| !mentions(notebook_source, name)).collect()
    }
}

/// Whether `text` contains `name` as a whole identifier (not as part of a longer one).
fn mentions(text: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// Whether the Rust sources under `src_root` define `name` as a public function, type, trait or
/// constant (`pub fn name`, `pub struct name`, …): the check that a journal-club entry points at
/// code that exists.
///
/// # Panics
/// If `src_root` is not a readable directory.
///
/// # Examples
/// ```
/// use course::generative::applications::defines_public;
/// let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
/// assert!(defines_public(&src, "train_ddpm"));
/// assert!(!defines_public(&src, "train_ddpm_by_magic"));
/// ```
pub fn defines_public(src_root: &std::path::Path, name: &str) -> bool {
    let entries = std::fs::read_dir(src_root).unwrap_or_else(|e| panic!("defines_public: src_root {} is not a readable directory ({e})", src_root.display()));
    entries.filter_map(Result::ok).any(|entry| {
        let path = entry.path();
        if path.is_dir() {
            defines_public(&path, name)
        } else if path.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            ["fn", "struct", "enum", "trait", "const", "type"].iter().any(|kind| {
                let key = format!("pub {kind} {name}");
                text.match_indices(&key).any(|(i, _)| !text[i + key.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
            })
        } else {
            false
        }
    })
}

/// How much of a paper the course implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// The method as the paper states it, computed and checked.
    Implemented,
    /// Part of the method runs; the text says what is missing.
    Partial(&'static str),
    /// Explained in prose only; the text says what stands in for it.
    ProseOnly(&'static str),
}

impl Coverage {
    /// A short label for tables: "implemented", "partial: …", "prose only: …".
    ///
    /// # Examples
    /// ```
    /// use course::generative::applications::Coverage;
    /// assert_eq!(Coverage::Implemented.label(), "implemented");
    /// assert_eq!(Coverage::Partial("no sampler").label(), "partial: no sampler");
    /// ```
    pub fn label(&self) -> String {
        match self {
            Coverage::Implemented => "implemented".to_string(),
            Coverage::Partial(what) => format!("partial: {what}"),
            Coverage::ProseOnly(what) => format!("prose only: {what}"),
        }
    }

    /// Whether the paper's method is implemented as written.
    ///
    /// # Examples
    /// ```
    /// use course::generative::applications::Coverage;
    /// assert!(Coverage::Implemented.is_implemented());
    /// assert!(!Coverage::ProseOnly("see notebook 34").is_implemented());
    /// ```
    pub fn is_implemented(&self) -> bool {
        matches!(self, Coverage::Implemented)
    }
}

/// The twelve papers of the seed syllabus's journal club, in its order.
///
/// # Examples
/// ```
/// use course::generative::applications::SEED_PAPERS;
/// assert_eq!(SEED_PAPERS.len(), 12);
/// assert!(SEED_PAPERS.iter().all(|p| p.notebook.starts_with(|c: char| c.is_ascii_digit())));
/// // Ten run as the paper states them; the other two say what is missing.
/// assert_eq!(SEED_PAPERS.iter().filter(|p| p.coverage.is_implemented()).count(), 10);
/// ```
pub const SEED_PAPERS: [Paper; 12] = [
    Paper {
        authors: "P. Vincent",
        year: 2011,
        title: "A connection between score matching and denoising autoencoders",
        reference: "Neural Computation 23(7)",
        notebook: "30-score-matching",
        idea: "denoising score matching equals explicit score matching up to a constant (checked numerically)",
        coverage: Coverage::Implemented,
        code: &["dsm_objective", "esm_objective", "dsm_target"],
    },
    Paper {
        authors: "J. Sohl-Dickstein, E. Weiss, N. Maheswaranathan, S. Ganguli",
        year: 2015,
        title: "Deep unsupervised learning using nonequilibrium thermodynamics",
        reference: "arXiv:1503.03585",
        notebook: "31-diffusion-models-ddpm",
        idea: "a generative model as the reversal of a fixed noising Markov chain, trained by an ELBO",
        coverage: Coverage::Implemented,
        code: &["ddpm_elbo_gaussian", "ddpm_elbo_mc", "ddpm_sample_path"],
    },
    Paper {
        authors: "J. Ho, A. Jain, P. Abbeel",
        year: 2020,
        title: "Denoising diffusion probabilistic models",
        reference: "arXiv:2006.11239",
        notebook: "31-diffusion-models-ddpm",
        idea: "ε-prediction, the closed-form forward process and ancestral sampling",
        coverage: Coverage::Implemented,
        code: &["train_ddpm", "DdpmModel", "ddpm_sample"],
    },
    Paper {
        authors: "Y. Song, J. Sohl-Dickstein, D. Kingma, A. Kumar, S. Ermon, B. Poole",
        year: 2021,
        title: "Score-based generative modeling through stochastic differential equations",
        reference: "arXiv:2011.13456",
        notebook: "32-score-sdes-and-edm",
        idea: "VP/VE SDEs, the reverse SDE and the probability-flow ODE with exact likelihood",
        coverage: Coverage::Implemented,
        code: &["reverse_sde", "probability_flow", "pf_ode_log_likelihood"],
    },
    Paper {
        authors: "Q. Zhang, Y. Chen",
        year: 2021,
        title: "Diffusion normalizing flow",
        reference: "arXiv:2110.07579",
        notebook: "34-flows-and-flow-matching",
        idea: "a learned forward drift, trained jointly with the backward score on the KL between path measures (backprop through the path), reaches the prior in fewer steps",
        coverage: Coverage::Implemented,
        code: &["DiffusionNormalizingFlow", "dnf_path_loss", "linear_gaussian_path_kl"],
    },
    Paper {
        authors: "T. Karras, M. Aittala, T. Aila, S. Laine",
        year: 2022,
        title: "Elucidating the design space of diffusion-based generative models",
        reference: "arXiv:2206.00364",
        notebook: "32-score-sdes-and-edm",
        idea: "σ(t) = t, preconditioning, Heun's sampler and the stochastic sampler's churn: quality at fewer function evaluations, and where churn helps (imperfect denoiser) or hurts (exact one)",
        coverage: Coverage::Implemented,
        code: &["EdmPreconditioning", "train_edm", "edm_heun", "edm_stochastic", "Churn"],
    },
    Paper {
        authors: "L. Yang, Z. Zhang, Y. Song, et al.",
        year: 2022,
        title: "Diffusion models: a comprehensive survey of methods and applications",
        reference: "arXiv:2209.00796",
        notebook: "37-capstone-and-journal-club",
        idea: "the map of the field: samplers, likelihoods, conditioning and applications (inverse problems, science)",
        coverage: Coverage::Implemented,
        code: &["inpaint_exact", "inpainting_posterior", "TwoState"],
    },
    Paper {
        authors: "Q. Zhang, Y. Chen",
        year: 2022,
        title: "Path integral sampler: a stochastic control approach for sampling",
        reference: "arXiv:2111.15141",
        notebook: "35-stochastic-control-and-sampling",
        idea: "sampling an unnormalized density by optimal control, with an unbiased estimate of Z",
        coverage: Coverage::Implemented,
        code: &["PathIntegralSampler", "log_z_estimate"],
    },
    Paper {
        authors: "B. Holzschuh, S. Vegetti, N. Thuerey",
        year: 2023,
        title: "Score matching via differentiable physics",
        reference: "arXiv:2301.10250",
        notebook: "35-stochastic-control-and-sampling",
        idea: "a score learned through the steps of a differentiable simulator: the 1-step loss is score matching, the multi-step loss differentiates through the physics",
        coverage: Coverage::Partial("1-D simulators (a linear trap and the paper's quadratic-drag toy) with exact grid oracles, 1-step and multi-step losses with gradients through the physics; a score linear in features per step, not a network; the multi-step gain holds for point estimates, not for posterior samples"),
        code: &["TrappedParticle", "SimulatorScore", "NonlinearSimulator", "PhysicsScore", "GridLaw"],
    },
    Paper {
        authors: "M. Xu, L. Yu, Y. Song, C. Shi, S. Ermon, J. Tang",
        year: 2022,
        title: "GeoDiff: a geometric diffusion model for molecular conformation generation",
        reference: "arXiv:2203.02923",
        notebook: "35-stochastic-control-and-sampling",
        idea: "an equivariant denoiser with isotropic noise gives a rotation-invariant generated law: an EGNN layer trained by denoising on Lennard-Jones clusters, checked against MCMC",
        coverage: Coverage::Partial("one EGNN layer on 5-particle soft Lennard-Jones clusters in the plane, not molecular graphs with torsions; equivariance and invariant samples reproduced, the energies of MCMC only within 1.6 (W₁)"),
        code: &["PairwiseDenoiser", "EgnnDenoiser", "LjCluster"],
    },
    Paper {
        authors: "Y. Lipman, R. Chen, H. Ben-Hamu, M. Nickel, M. Le",
        year: 2023,
        title: "Flow matching for generative modeling",
        reference: "arXiv:2210.02747",
        notebook: "34-flows-and-flow-matching",
        idea: "regress a velocity field on conditional paths; OT paths sample in few steps",
        coverage: Coverage::Implemented,
        code: &["train_flow_matching", "reflow"],
    },
    Paper {
        authors: "T. Chen, G.-H. Liu, E. Theodorou",
        year: 2023,
        title: "Likelihood training of Schrödinger bridge using forward-backward SDEs theory",
        reference: "arXiv:2110.11291",
        notebook: "36-schrodinger-bridges",
        idea: "the bridge's two policies give a lower bound on the log-likelihood (nonlinear Feynman–Kac); maximizing its halves alternately trains the bridge, checked against the closed-form Gaussian bridge and its exact likelihood",
        coverage: Coverage::Implemented,
        code: &["SbFbsde", "log_likelihood_bound_start", "gaussian_sb_policies"],
    },
];

/// The three reviews on the seed syllabus's reading list (beside the twelve papers), each mapped
/// to the notebook that follows it most closely.
///
/// # Examples
/// ```
/// use course::generative::applications::REVIEWS;
/// assert_eq!(REVIEWS.len(), 3);
/// assert!(REVIEWS.iter().all(|p| p.year == 2024));
/// ```
pub const REVIEWS: [Paper; 3] = [
    Paper {
        authors: "S. H. Chan",
        year: 2024,
        title: "Tutorial on diffusion models for imaging and vision",
        reference: "arXiv:2403.18103",
        notebook: "31-diffusion-models-ddpm",
        idea: "the DDPM ELBO term by term, ε- and v-prediction, and the sampler, on toy data and real digits",
        coverage: Coverage::Implemented,
        code: &["ddpm_elbo_gaussian", "train_ddpm", "Prediction"],
    },
    Paper {
        authors: "W. Tang, H. Zhao",
        year: 2024,
        title: "Score-based diffusion models via stochastic differential equations — a technical tutorial",
        reference: "arXiv:2402.07487",
        notebook: "32-score-sdes-and-edm",
        idea: "forward SDEs, Anderson's reverse SDE, the probability-flow ODE and its likelihood",
        coverage: Coverage::Implemented,
        code: &["reverse_sde", "probability_flow", "pf_ode_log_likelihood"],
    },
    Paper {
        authors: "M. Chen, S. Mei, J. Fan, M. Wang",
        year: 2024,
        title: "An overview of diffusion models: applications, guided generation, statistical rates and optimization",
        reference: "arXiv:2404.07771",
        notebook: "33-guided-diffusion-and-statistical-rates",
        idea: "guidance as the score of a tilted noised density (classifier = classifier-free guidance, exact on a labelled mixture) and why it does not sample the tilt; score-estimation rates in n and their propagation to the samples' KL (Girsanov)",
        coverage: Coverage::Partial("§4 guidance and §5 score-estimation rates with the kernel estimator; approximation rates of networks, low-dimensional data and optimization (§6) are prose only"),
        code: &["LabelledMixture", "train_cfg", "kernel_score", "girsanov_kl_bound"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn src() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
    }

    #[test]
    fn every_listed_item_is_public_in_the_crate() {
        for p in SEED_PAPERS.iter().chain(REVIEWS.iter()) {
            for name in p.code {
                assert!(defines_public(&src(), name), "{}: `{name}` is not a public item of the course crate", p.title);
            }
        }
    }

    #[test]
    fn implemented_papers_name_their_code() {
        for p in SEED_PAPERS.iter().chain(REVIEWS.iter()) {
            if !matches!(p.coverage, Coverage::ProseOnly(_)) {
                assert!(!p.code.is_empty(), "{}: implemented (even in part) but names no code", p.title);
            }
        }
    }

    #[test]
    fn every_notebook_calls_its_papers_code() {
        let notebooks = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../notebooks");
        for p in SEED_PAPERS.iter().chain(REVIEWS.iter()) {
            let text = std::fs::read_to_string(notebooks.join(format!("{}.ipynb", p.notebook))).unwrap_or_else(|e| panic!("{}: notebook {} ({e})", p.title, p.notebook));
            assert!(p.uncalled(&text).is_empty(), "{}: notebook {} never calls {:?}", p.title, p.notebook, p.uncalled(&text));
        }
    }

    #[test]
    fn mentions_whole_identifiers_only() {
        assert!(mentions("x = train_ddpm(a)", "train_ddpm"));
        assert!(!mentions("x = train_ddpm_fast(a)", "train_ddpm"));
        assert!(!mentions("x = my_train_ddpm(a)", "train_ddpm"));
        assert!(mentions("train_ddpm", "train_ddpm"));
    }
}
