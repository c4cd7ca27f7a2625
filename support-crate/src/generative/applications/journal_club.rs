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
/// // Not all of them are implemented as written yet; those that are not say what is missing.
/// assert_eq!(SEED_PAPERS.iter().filter(|p| p.coverage.is_implemented()).count(), 7);
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
    },
    Paper {
        authors: "J. Sohl-Dickstein, E. Weiss, N. Maheswaranathan, S. Ganguli",
        year: 2015,
        title: "Deep unsupervised learning using nonequilibrium thermodynamics",
        reference: "arXiv:1503.03585",
        notebook: "31-diffusion-models-ddpm",
        idea: "a generative model as the reversal of a fixed noising Markov chain, trained by an ELBO",
        coverage: Coverage::Implemented,
    },
    Paper {
        authors: "J. Ho, A. Jain, P. Abbeel",
        year: 2020,
        title: "Denoising diffusion probabilistic models",
        reference: "arXiv:2006.11239",
        notebook: "31-diffusion-models-ddpm",
        idea: "ε-prediction, the closed-form forward process and ancestral sampling",
        coverage: Coverage::Implemented,
    },
    Paper {
        authors: "Y. Song, J. Sohl-Dickstein, D. Kingma, A. Kumar, S. Ermon, B. Poole",
        year: 2021,
        title: "Score-based generative modeling through stochastic differential equations",
        reference: "arXiv:2011.13456",
        notebook: "32-score-sdes-and-edm",
        idea: "VP/VE SDEs, the reverse SDE and the probability-flow ODE with exact likelihood",
        coverage: Coverage::Implemented,
    },
    Paper {
        authors: "Q. Zhang, Y. Chen",
        year: 2021,
        title: "Diffusion normalizing flow",
        reference: "arXiv:2110.07579",
        notebook: "34-flows-and-flow-matching",
        idea: "a learned forward drift joins normalizing flows and diffusion models",
        coverage: Coverage::ProseOnly("the jointly trained forward drift is described, not trained; flow matching and reflow stand in"),
    },
    Paper {
        authors: "T. Karras, M. Aittala, T. Aila, S. Laine",
        year: 2022,
        title: "Elucidating the design space of diffusion-based generative models",
        reference: "arXiv:2206.00364",
        notebook: "32-score-sdes-and-edm",
        idea: "σ(t) = t, preconditioning and Heun's sampler: quality at fewer function evaluations",
        coverage: Coverage::Partial("the deterministic Heun sampler and preconditioning; the stochastic sampler (S_churn) is missing"),
    },
    Paper {
        authors: "L. Yang, Z. Zhang, Y. Song, et al.",
        year: 2022,
        title: "Diffusion models: a comprehensive survey of methods and applications",
        reference: "arXiv:2209.00796",
        notebook: "37-capstone-and-journal-club",
        idea: "the map of the field: samplers, likelihoods, conditioning and applications (inverse problems, science)",
        coverage: Coverage::Implemented,
    },
    Paper {
        authors: "Q. Zhang, Y. Chen",
        year: 2022,
        title: "Path integral sampler: a stochastic control approach for sampling",
        reference: "arXiv:2111.15141",
        notebook: "35-stochastic-control-and-sampling",
        idea: "sampling an unnormalized density by optimal control, with an unbiased estimate of Z",
        coverage: Coverage::Implemented,
    },
    Paper {
        authors: "B. Holzschuh, S. Vegetti, N. Thuerey",
        year: 2023,
        title: "Score matching via differentiable physics",
        reference: "arXiv:2301.10250",
        notebook: "35-stochastic-control-and-sampling",
        idea: "learning a score through the steps of a differentiable simulator",
        coverage: Coverage::Partial("a linear simulator (particles in a harmonic trap) and a score linear in fixed features"),
    },
    Paper {
        authors: "M. Xu, L. Yu, Y. Song, C. Shi, S. Ermon, J. Tang",
        year: 2022,
        title: "GeoDiff: a geometric diffusion model for molecular conformation generation",
        reference: "arXiv:2203.02923",
        notebook: "35-stochastic-control-and-sampling",
        idea: "a rotation-equivariant denoiser gives a rotation-invariant generated distribution",
        coverage: Coverage::Partial("an equivariant denoiser linear in radial features, on noisy triangles; no network, no molecular potential"),
    },
    Paper {
        authors: "Y. Lipman, R. Chen, H. Ben-Hamu, M. Nickel, M. Le",
        year: 2023,
        title: "Flow matching for generative modeling",
        reference: "arXiv:2210.02747",
        notebook: "34-flows-and-flow-matching",
        idea: "regress a velocity field on conditional paths; OT paths sample in few steps",
        coverage: Coverage::Implemented,
    },
    Paper {
        authors: "T. Chen, G.-H. Liu, E. Theodorou",
        year: 2023,
        title: "Likelihood training of Schrödinger bridge using forward-backward SDEs theory",
        reference: "arXiv:2110.11291",
        notebook: "36-schrodinger-bridges",
        idea: "a bridge between two data sets trained by alternating forward and backward drifts",
        coverage: Coverage::Partial("the bridge is trained by IPF / mean matching (De Bortoli et al.); the FBSDE likelihood objective is prose only"),
    },
];
