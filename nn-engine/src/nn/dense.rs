//! Dense networks trained in fused `f32` passes: the hot path of every MLP the course trains.
//!
//! A network $x\mapsto W_L^\top\phi(\cdots\phi(W_1^\top x+b_1)\cdots)+b_L$ on a batch $X$
//! ($n\times d_0$, one example per row) runs forward as
//! $$A_0 = X,\qquad Z_l = A_{l-1}W_l + \mathbf 1 b_l^\top,\qquad A_l = \phi(Z_l)\ (A_L = Z_L),$$
//! and backward, from $G_L = \partial\hat L/\partial A_L$, as
//! $$\Delta_l = G_l\odot\phi'(Z_l),\quad \nabla_{W_l}\hat L = A_{l-1}^\top\Delta_l,\quad
//!   \nabla_{b_l}\hat L = \Delta_l^\top\mathbf 1,\quad G_{l-1} = \Delta_l W_l^\top .$$
//! Each line is one matrix product (`matrixmultiply`'s `sgemm`, the kernel under ndarray and
//! burn's ndarray backend) followed by one pass over its result that adds the bias and applies
//! $\phi$ (or multiplies by $\phi'$), then one fused Adam pass over all parameters.
//!
//! ## Why not burn's autodiff here
//! The same step through burn 0.21 (`Autodiff<NdArray<f32>>`, `Linear`, burn's `Adam`) spends
//! most of its time outside the matrix products: every elementwise operation allocates a
//! tensor and makes a pass of its own, the graph is recorded and walked, and Adam makes about
//! ten passes per parameter tensor. Measured on the course's TimeMlp (18-128-128-128-2,
//! batch 256, one core): burn 2.35 ms per step, PyTorch 1.39 ms, this file 0.6 ms (the numbers
//! of `make bench` are in the README). burn still initializes every network (its Kaiming-uniform
//! `Linear` from the same seed, so a seed gives the weights it always gave) and trains the
//! course's other architectures; its autodiff is the oracle of this file's gradients (tests).
//!
//! ## Threads, and the same numbers on any number of them
//! Every product is split into contiguous blocks of rows (or columns) of its *result*, one
//! block per thread: each entry is computed by one thread with the same sequence of operations
//! whatever the split, and every sum over the batch (bias gradients, the loss) runs in one
//! fixed order. So a seed gives bit-identical losses and weights on 1 or 16 threads (a test
//! holds it). The threads are `COURSE_THREADS` if set, else all the cores; small products run
//! on the calling thread alone, where waking another costs more than it saves.

use super::convert::f32_rows;
use burn::nn::Linear;
use burn::tensor::Tensor;
use burn::tensor::backend::Backend;
use ndarray::Array2;
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::Thread;

/// The nonlinearity $\phi$ of the hidden layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// $z\,\sigma(z)$.
    Silu,
    /// $\max(z, 0)$.
    Relu,
    /// $\tanh z$.
    Tanh,
}

impl Act {
    /// The wire code of `net_new`: 0 SiLU, 1 ReLU, 2 tanh.
    pub fn from_code(code: u8) -> Option<Act> {
        match code {
            0 => Some(Act::Silu),
            1 => Some(Act::Relu),
            2 => Some(Act::Tanh),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Threads

/// Work (multiply–adds) below which a product runs on the calling thread only: handing a block
/// to a spinning worker costs about a microsecond, ~2·10⁵ multiply–adds take about four.
const PARALLEL_WORK: usize = 1 << 18;

static THREADS: OnceLock<usize> = OnceLock::new();
/// Upper bound on the blocks a product is split into (tests set it; 0 = the thread count).
static SPLIT: AtomicUsize = AtomicUsize::new(0);

/// The number of threads training uses: `COURSE_THREADS` (≥ 1) if set, else every core.
///
/// # Panics
/// If `COURSE_THREADS` is set to anything but a positive integer.
pub fn threads() -> usize {
    *THREADS.get_or_init(|| match std::env::var("COURSE_THREADS") {
        Ok(v) => match v.trim().parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => panic!("COURSE_THREADS must be a positive integer (the number of threads for training), got {v:?}"),
        },
        Err(_) => std::thread::available_parallelism().map_or(1, |n| n.get()),
    })
}

/// Runs `f` with products split into at most `blocks` pieces (a test's way to compare splits
/// within one process; the split, not the number of threads, is what could change numbers).
pub fn with_split<R>(blocks: usize, f: impl FnOnce() -> R) -> R {
    let old = SPLIT.swap(blocks, Ordering::SeqCst);
    let r = f();
    SPLIT.store(old, Ordering::SeqCst);
    r
}

/// How many blocks a product of `work` multiply–adds with `len` splittable rows is cut into.
fn blocks_for(work: usize, len: usize) -> usize {
    let limit = match SPLIT.load(Ordering::Relaxed) {
        0 => threads(),
        s => s,
    };
    if work < PARALLEL_WORK || limit == 1 {
        return 1;
    }
    limit.min(len.div_ceil(8)).max(1)
}

/// Rows `[start, end)` of block `i` of `blocks` over `len` rows (multiples of 8 but the last).
fn block(len: usize, blocks: usize, i: usize) -> (usize, usize) {
    let per = len.div_ceil(blocks).div_ceil(8) * 8;
    ((i * per).min(len), ((i + 1) * per).min(len))
}

/// A job of [`for_blocks`]: the function, its number of blocks and of participating threads.
type Job = (*const (dyn Fn(usize) + Sync), usize, usize);

/// One pool thread: the generation it is told to run, the last it finished, and whether it is
/// parked (then it needs an unpark).
struct Worker {
    go: AtomicU64,
    done: AtomicU64,
    sleeping: AtomicBool,
    panicked: AtomicBool,
    thread: OnceLock<Thread>,
}

/// The training threads. A step hands out a dozen products of tens of microseconds each, so
/// the workers spin between them (about a millisecond, then park): waking a parked thread costs
/// ~40 µs, more than most products take (rayon's pool measured 3× slower than one thread on
/// the TimeMlp step for that reason).
struct Pool {
    workers: Vec<Worker>,
    /// The current job; written by the caller holding `caller`, read by workers between their
    /// `go` and their `done`, while the caller waits.
    job: UnsafeCell<Option<Job>>,
    /// One caller at a time; the generation counter.
    caller: Mutex<u64>,
}

// SAFETY: `job` is written only under `caller`, before the workers are told to go, and read by
// them only until they report done, which the writer waits for.
unsafe impl Sync for Pool {}

fn pool() -> &'static Pool {
    static POOL: OnceLock<&'static Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let n = threads() - 1;
        let workers = (0..n).map(|_| Worker { go: AtomicU64::new(0), done: AtomicU64::new(0), sleeping: AtomicBool::new(false), panicked: AtomicBool::new(false), thread: OnceLock::new() }).collect();
        let pool: &'static Pool = Box::leak(Box::new(Pool { workers, job: UnsafeCell::new(None), caller: Mutex::new(0) }));
        for k in 0..n {
            let handle = std::thread::Builder::new()
                .name(format!("course-nn-{}", k + 1))
                .spawn(move || work(pool, k))
                .expect("the nn engine could not start its training threads");
            pool.workers[k].thread.set(handle.thread().clone()).expect("set once");
        }
        pool
    })
}

/// The loop of pool thread `k` (block index `k + 1` of each job it takes part in).
fn work(pool: &'static Pool, k: usize) {
    let me = &pool.workers[k];
    let mut seen = 0;
    loop {
        let mut spins = 0u32;
        let generation = loop {
            let g = me.go.load(Ordering::Acquire);
            if g != seen {
                break g;
            }
            if spins < 1 << 13 {
                spins += 1;
                std::hint::spin_loop();
            } else {
                me.sleeping.store(true, Ordering::SeqCst);
                if me.go.load(Ordering::SeqCst) == seen {
                    std::thread::park();
                }
                me.sleeping.store(false, Ordering::SeqCst);
            }
        };
        seen = generation;
        // SAFETY: the caller set the job before `go` and waits for our `done`.
        let (f, blocks, p) = unsafe { (*pool.job.get()).expect("a job with its go signal") };
        let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut i = k + 1;
            while i < blocks {
                // SAFETY: the function outlives the job (the caller waits for `done`).
                unsafe { (*f)(i) };
                i += p;
            }
        }));
        if ok.is_err() {
            me.panicked.store(true, Ordering::SeqCst);
        }
        me.done.store(generation, Ordering::Release);
    }
}

/// Calls `f(i)` for `i in 0..blocks`: block `i` on participant `i mod p` (the calling thread
/// is participant 0), `p` = min(blocks, threads).
fn for_blocks(blocks: usize, f: impl Fn(usize) + Sync) {
    let p = if blocks <= 1 { 1 } else { blocks.min(threads()) };
    if p == 1 {
        (0..blocks.max(1)).for_each(f);
        return;
    }
    let pool = pool();
    let mut generation = pool.caller.lock().unwrap_or_else(|e| e.into_inner());
    *generation += 1;
    let g = *generation;
    let erased: &(dyn Fn(usize) + Sync) = &f;
    // SAFETY: only the lifetime is erased; the workers stop using `f` before we return.
    let erased: *const (dyn Fn(usize) + Sync + 'static) = unsafe { std::mem::transmute(erased) };
    unsafe { *pool.job.get() = Some((erased, blocks, p)) };
    let helpers = &pool.workers[..p - 1];
    for w in helpers {
        w.go.store(g, Ordering::SeqCst);
        if w.sleeping.load(Ordering::SeqCst) {
            w.thread.get().expect("started").unpark();
        }
    }
    let mut i = 0;
    while i < blocks {
        f(i);
        i += p;
    }
    for w in helpers {
        let mut spins = 0u32;
        while w.done.load(Ordering::Acquire) != g {
            spins += 1;
            if spins < 1 << 12 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
        if w.panicked.swap(false, Ordering::SeqCst) {
            panic!("nn engine: a training thread panicked");
        }
    }
}

/// A pointer that blocks share; each writes a disjoint part.
#[derive(Clone, Copy)]
struct Shared(*mut f32);
// SAFETY: every use writes rows (or columns) that no other block touches.
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

impl Shared {
    /// The pointer (a method, so that closures capture the `Sync` wrapper, not its field).
    fn at(self, offset: usize) -> *mut f32 {
        // SAFETY: callers stay within the buffer the pointer came from.
        unsafe { self.0.add(offset) }
    }
}

// ---------------------------------------------------------------------------------------------
// Kernels

/// Defines a function whose body is compiled twice, for AVX2 + FMA and for baseline x86-64,
/// and runs the first when the CPU has those features: the elementwise passes then use 8-wide
/// vectors (the engine is built for any x86-64, which guarantees only 4-wide SSE2). Both
/// versions do the same operations in the same order (no fused multiply–add is introduced), so
/// they give the same numbers.
macro_rules! wide {
    ($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$doc])*
        fn $name($($arg: $ty),*) {
            #[inline(always)]
            fn body($($arg: $ty),*) $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2,fma")]
                fn avx2($($arg: $ty),*) {
                    body($($arg),*)
                }
                if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
                    // SAFETY: the CPU has the features `avx2` is compiled for.
                    return unsafe { avx2($($arg),*) };
                }
            }
            body($($arg),*)
        }
    };
}

/// `C = A·B` (`beta` = 0) or `C += A·B` (`beta` = 1) for an `m × k` matrix A and a `k × n`
/// matrix B given by their row and column strides, C row-major with row stride `rsc`.
///
/// # Safety
/// The pointers must cover the strided extents; C must not overlap A or B.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn gemm(m: usize, k: usize, n: usize, a: *const f32, (rsa, csa): (isize, isize), b: *const f32, (rsb, csb): (isize, isize), beta: f32, c: *mut f32, rsc: isize) {
    if m == 0 || n == 0 {
        return;
    }
    unsafe { matrixmultiply::sgemm(m, k, n, 1.0, a, rsa, csa, b, rsb, csb, beta, c, rsc, 1) }
}

/// A linear layer on `n` rows: `out = x W + 1 bᵀ` (`x` is `n × din`, `w` `din × dout`).
pub(crate) fn linear_forward(x: &[f32], n: usize, w: &[f32], b: &[f32], out: &mut Vec<f32>) {
    let (din, dout) = (w.len() / b.len(), b.len());
    out.resize(n * dout, 0.0);
    unsafe { gemm(n, din, dout, x.as_ptr(), (din as isize, 1), w.as_ptr(), (dout as isize, 1), 0.0, out.as_mut_ptr(), dout as isize) };
    out.chunks_exact_mut(dout).for_each(|r| r.iter_mut().zip(b).for_each(|(v, c)| *v += c));
}

/// A linear layer's gradients: `∇W = xᵀ Δ` (`x` is `n × din`, `delta` `n × dout`) and
/// `∇b = Δᵀ 1`, overwriting `gw` and `gb`.
pub(crate) fn linear_grads(x: &[f32], delta: &[f32], n: usize, din: usize, dout: usize, gw: &mut [f32], gb: &mut [f32]) {
    unsafe { gemm(din, n, dout, x.as_ptr(), (1, din as isize), delta.as_ptr(), (dout as isize, 1), 0.0, gw.as_mut_ptr(), dout as isize) };
    gb.fill(0.0);
    delta.chunks_exact(dout).for_each(|r| gb.iter_mut().zip(r).for_each(|(s, v)| *s += v));
}

/// $e^x$ in `f32` for $x\in[-87, 88]$, to within 2 ulp (Cephes' `expf`: $x = n\ln 2 + r$,
/// $|r|\le\frac12\ln 2$, a degree-7 polynomial for $e^r$, times $2^n$ by the exponent bits).
/// Written without branches or calls, so that loops over it vectorize.
#[inline(always)]
fn exp_f32(x: f32) -> f32 {
    const MAGIC: f32 = 12_582_912.0; // 1.5·2^23: adding it rounds to an integer
    let t = x * std::f32::consts::LOG2_E + MAGIC;
    let n = t - MAGIC;
    let r = x - n * 0.693_359_4 - n * -2.121_944_4e-4;
    let mut p = 1.987_569_1e-4_f32;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 5.000_000_1e-1;
    let er = p * r * r + r + 1.0;
    // t's low mantissa bits hold n: 2^n from the bits, in integer arithmetic that vectorizes
    // (a float → int `as` cast saturates and checks for NaN, one element at a time).
    er * f32::from_bits(t.to_bits().wrapping_sub(MAGIC.to_bits()).wrapping_add(127) << 23)
}

/// $\sigma(z) = 1/(1+e^{-z})$ with the exponent clamped to $[-80, 80]$ (as `activation::sigmoid`).
#[inline(always)]
fn sigmoid_f32(z: f32) -> f32 {
    1.0 / (1.0 + exp_f32((-z).clamp(-80.0, 80.0)))
}

wide! {
/// Adds `bias` to every row of `z` (`rows × bias.len()`) and applies `act` in place, keeping
/// $\sigma(z)$ in `aux` for SiLU (its derivative needs it).
fn bias_act(z: &mut [f32], aux: &mut [f32], bias: &[f32], act: Option<Act>) {
    let d = bias.len();
    match act {
        None => z.chunks_exact_mut(d).for_each(|r| r.iter_mut().zip(bias).for_each(|(v, b)| *v += b)),
        Some(Act::Silu) => {
            for (r, s) in z.chunks_exact_mut(d).zip(aux.chunks_exact_mut(d)) {
                for ((v, s), b) in r.iter_mut().zip(s).zip(bias) {
                    let x = *v + b;
                    *s = sigmoid_f32(x);
                    *v = x * *s;
                }
            }
        }
        Some(Act::Relu) => z.chunks_exact_mut(d).for_each(|r| r.iter_mut().zip(bias).for_each(|(v, b)| *v = (*v + b).max(0.0))),
        Some(Act::Tanh) => z.chunks_exact_mut(d).for_each(|r| r.iter_mut().zip(bias).for_each(|(v, b)| *v = (*v + b).tanh())),
    }
}
}

wide! {
/// `g ← g ⊙ φ'(z)` from the layer's output `a = φ(z)` (and `aux` = σ(z) for SiLU):
/// SiLU $\sigma(1 + z(1-\sigma)) = \sigma + a(1-\sigma)$, ReLU $[a>0]$, tanh $1-a^2$.
fn times_act_derivative(g: &mut [f32], a: &[f32], aux: &[f32], act: Act) {
    match act {
        Act::Silu => g.iter_mut().zip(a).zip(aux).for_each(|((g, a), s)| *g *= s + a * (1.0 - s)),
        Act::Relu => g.iter_mut().zip(a).for_each(|(g, a)| *g = if *a > 0.0 { *g } else { 0.0 }),
        Act::Tanh => g.iter_mut().zip(a).for_each(|(g, a)| *g *= 1.0 - a * a),
    }
}
}

wide! {
/// Adam's update of one block of parameters `p`, moments `m`, `v`, gradient `g`:
/// `[β₁, β₂, factor, ε√(1 − β₂ᵗ), lr]` in `k`.
fn adam_pass(p: &mut [f32], m: &mut [f32], v: &mut [f32], g: &[f32], k: [f32; 5]) {
    let [b1, b2, factor, eps, lr] = k;
    for (((p, m), v), g) in p.iter_mut().zip(m).zip(v).zip(g) {
        *m = *m * b1 + g * (1.0 - b1);
        *v = *v * b2 + g * g * (1.0 - b2);
        *p -= lr * (*m * factor / (v.sqrt() + eps));
    }
}
}

// ---------------------------------------------------------------------------------------------
// The network

/// An MLP's parameters, all layers in one buffer: for layer $l$, $W_l$ ($d_{l-1}\times d_l$,
/// row-major, as burn's `Linear` stores it) then $b_l$.
#[derive(Clone, Debug)]
pub struct DenseNet {
    dims: Vec<usize>,
    act: Act,
    params: Vec<f32>,
    /// Where each layer's weights start (its bias follows them).
    offsets: Vec<usize>,
}

/// The activations a backward pass needs, kept between forward and backward (and reused from
/// step to step, so a step allocates nothing).
#[derive(Default, Debug)]
pub struct Tape {
    n: usize,
    /// `acts[0]` the input, `acts[l]` the output of layer `l`.
    acts: Vec<Vec<f32>>,
    /// σ(z) of each SiLU layer.
    aux: Vec<Vec<f32>>,
    /// Gradient buffers: the current layer's and the next one's.
    g: [Vec<f32>; 2],
}

impl DenseNet {
    /// A network with widths `dims` (input first) and the given weights and biases per layer
    /// (`weights[l]` row-major $d_{l-1}\times d_l$).
    ///
    /// # Panics
    /// If fewer than two widths are given or a buffer's length does not match its layer.
    pub fn from_layers(dims: &[usize], act: Act, weights: &[Vec<f32>], biases: &[Vec<f32>]) -> DenseNet {
        assert!(dims.len() >= 2 && weights.len() == dims.len() - 1 && biases.len() == dims.len() - 1, "DenseNet: {} widths need {} layers, got {} and {}", dims.len(), dims.len().saturating_sub(1), weights.len(), biases.len());
        let mut params = Vec::new();
        let mut offsets = Vec::new();
        for (l, w) in dims.windows(2).enumerate() {
            assert_eq!(weights[l].len(), w[0] * w[1], "DenseNet: layer {l}'s weights must be {} × {}", w[0], w[1]);
            assert_eq!(biases[l].len(), w[1], "DenseNet: layer {l}'s bias must have {} entries", w[1]);
            offsets.push(params.len());
            params.extend(&weights[l]);
            params.extend(&biases[l]);
        }
        DenseNet { dims: dims.to_vec(), act, params, offsets }
    }

    /// The network of burn `Linear` layers `layers` with `act` between them (a copy of their
    /// weights; a missing bias is zero).
    pub fn from_linears<B: Backend>(layers: &[Linear<B>], act: Act) -> DenseNet {
        let f32s = |t: Tensor<B, 1>| t.into_data().convert::<f32>().to_vec::<f32>().expect("f32 parameters");
        let dims: Vec<usize> = std::iter::once(layers[0].weight.dims()[0]).chain(layers.iter().map(|l| l.weight.dims()[1])).collect();
        let weights: Vec<Vec<f32>> = layers.iter().map(|l| f32s(l.weight.val().flatten(0, 1))).collect();
        let biases: Vec<Vec<f32>> = layers.iter().map(|l| l.bias.as_ref().map_or_else(|| vec![0.0; l.weight.dims()[1]], |b| f32s(b.val()))).collect();
        DenseNet::from_layers(&dims, act, &weights, &biases)
    }

    /// The layer widths, input first.
    pub fn dims(&self) -> &[usize] {
        &self.dims
    }

    /// All parameters, layer by layer ($W_l$ then $b_l$).
    pub fn params(&self) -> &[f32] {
        &self.params
    }

    /// Mutable access to the parameters (the optimizer's).
    pub fn params_mut(&mut self) -> &mut [f32] {
        &mut self.params
    }

    /// $(W_l, b_l)$ of layer `l`.
    pub fn layer(&self, l: usize) -> (&[f32], &[f32]) {
        let (din, dout) = (self.dims[l], self.dims[l + 1]);
        let o = self.offsets[l];
        (&self.params[o..o + din * dout], &self.params[o + din * dout..o + din * dout + dout])
    }

    fn n_layers(&self) -> usize {
        self.dims.len() - 1
    }

    /// The forward pass on `n` rows of `x` (row-major `n × d_0`); the output (`n × d_L`) is
    /// `tape.output()`.
    ///
    /// # Panics
    /// If `x.len() != n · d_0`.
    pub fn forward(&self, x: &[f32], n: usize, tape: &mut Tape) {
        assert_eq!(x.len(), n * self.dims[0], "DenseNet::forward: x must be {n} × {}", self.dims[0]);
        let layers = self.n_layers();
        tape.n = n;
        tape.acts.resize_with(layers + 1, Vec::new);
        tape.aux.resize_with(layers, Vec::new);
        tape.acts[0].clear();
        tape.acts[0].extend_from_slice(x);
        for l in 0..layers {
            let (din, dout) = (self.dims[l], self.dims[l + 1]);
            let act = (l + 1 < layers).then_some(self.act);
            let (done, rest) = tape.acts.split_at_mut(l + 1);
            let (input, out) = (&done[l], &mut rest[0]);
            out.resize(n * dout, 0.0);
            let aux = &mut tape.aux[l];
            aux.resize(if act == Some(Act::Silu) { n * dout } else { 0 }, 0.0);
            let (w, b) = self.layer(l);
            let blocks = blocks_for(n * din * dout, n);
            let (out_p, aux_p) = (Shared(out.as_mut_ptr()), Shared(aux.as_mut_ptr()));
            for_blocks(blocks, |i| {
                let (r0, r1) = block(n, blocks, i);
                if r0 == r1 {
                    return;
                }
                // SAFETY: block i owns rows r0..r1 of out and aux.
                let (o, s) = unsafe {
                    (
                        std::slice::from_raw_parts_mut(out_p.at(r0 * dout), (r1 - r0) * dout),
                        if act == Some(Act::Silu) { std::slice::from_raw_parts_mut(aux_p.at(r0 * dout), (r1 - r0) * dout) } else { &mut [][..] },
                    )
                };
                unsafe { gemm(r1 - r0, din, dout, input[r0 * din..].as_ptr(), (din as isize, 1), w.as_ptr(), (dout as isize, 1), 0.0, o.as_mut_ptr(), dout as isize) };
                bias_act(o, s, b, act);
            });
        }
    }

    /// The last forward pass's output, `n × d_L` row-major.
    pub fn output<'t>(&self, tape: &'t Tape) -> &'t [f32] {
        &tape.acts[self.n_layers()]
    }

    /// The backward pass of the last forward pass: from `g_out` $=\partial\hat L/\partial A_L$
    /// (`n × d_L`), writes $\nabla_\theta\hat L$ into `grad` (same layout as the parameters)
    /// and, if `g_in` is given, $\partial\hat L/\partial X$ into it (`n × d_0`).
    ///
    /// # Panics
    /// If a buffer's length does not match.
    pub fn backward(&self, tape: &mut Tape, g_out: &[f32], grad: &mut [f32], g_in: Option<&mut [f32]>) {
        let (n, layers) = (tape.n, self.n_layers());
        assert_eq!(g_out.len(), n * self.dims[layers], "DenseNet::backward: g_out must be {n} × {}", self.dims[layers]);
        assert_eq!(grad.len(), self.params.len(), "DenseNet::backward: grad must have one entry per parameter");
        let [mut g, mut g_next] = std::mem::take(&mut tape.g);
        g.clear();
        g.extend_from_slice(g_out);
        let mut g_in = g_in;
        for l in (0..layers).rev() {
            let (din, dout) = (self.dims[l], self.dims[l + 1]);
            let o = self.offsets[l];
            let (gw, gb) = grad[o..o + din * dout + dout].split_at_mut(din * dout);
            let input = &tape.acts[l];
            // ∇W = Aᵀ Δ (din × dout), split by columns; ∇b = Δᵀ 1 with the same columns.
            let blocks = blocks_for(n * din * dout, dout);
            let (gw_p, gb_p) = (Shared(gw.as_mut_ptr()), Shared(gb.as_mut_ptr()));
            let delta = &g;
            for_blocks(blocks, |i| {
                let (c0, c1) = block(dout, blocks, i);
                if c0 == c1 {
                    return;
                }
                // SAFETY: block i owns columns c0..c1 of ∇W and entries c0..c1 of ∇b.
                unsafe { gemm(din, n, c1 - c0, input.as_ptr(), (1, din as isize), delta[c0..].as_ptr(), (dout as isize, 1), 0.0, gw_p.at(c0), dout as isize) };
                let gb = unsafe { std::slice::from_raw_parts_mut(gb_p.at(c0), c1 - c0) };
                gb.fill(0.0);
                for r in delta.chunks_exact(dout) {
                    gb.iter_mut().zip(&r[c0..c1]).for_each(|(s, v)| *s += v);
                }
            });
            if l == 0 && g_in.is_none() {
                break;
            }
            // G_{l-1} = Δ Wᵀ (n × din), split by rows, times φ'(Z_{l-1}) on the same rows.
            let target: &mut Vec<f32> = &mut g_next;
            target.resize(n * din, 0.0);
            let (w, _) = self.layer(l);
            let below = (l > 0).then(|| (&tape.acts[l], &tape.aux[l - 1]));
            let blocks = blocks_for(n * din * dout, n);
            let t_p = Shared(target.as_mut_ptr());
            let act = self.act;
            for_blocks(blocks, |i| {
                let (r0, r1) = block(n, blocks, i);
                if r0 == r1 {
                    return;
                }
                // SAFETY: block i owns rows r0..r1 of the target.
                let t = unsafe { std::slice::from_raw_parts_mut(t_p.at(r0 * din), (r1 - r0) * din) };
                unsafe { gemm(r1 - r0, dout, din, delta[r0 * dout..].as_ptr(), (dout as isize, 1), w.as_ptr(), (1, dout as isize), 0.0, t.as_mut_ptr(), din as isize) };
                if let Some((a, aux)) = below {
                    let aux = if act == Act::Silu { &aux[r0 * din..r1 * din] } else { &[][..] };
                    times_act_derivative(t, &a[r0 * din..r1 * din], aux, act);
                }
            });
            std::mem::swap(&mut g, &mut g_next);
            if l == 0 {
                if let Some(gi) = g_in.take() {
                    assert_eq!(gi.len(), n * din, "DenseNet::backward: g_in must be {n} × {din}");
                    gi.copy_from_slice(&g);
                }
            }
        }
        tape.g = [g, g_next];
    }

    /// The outputs on `n` rows of `x` (inference: no tape kept).
    pub fn predict(&self, x: &[f32], n: usize) -> Vec<f32> {
        let mut tape = Tape::default();
        self.forward(x, n, &mut tape);
        std::mem::take(&mut tape.acts[self.n_layers()])
    }

    /// The outputs on the rows of `x`, as an `n × d_L` matrix in `f64`.
    pub fn predict_rows(&self, x: &Array2<f64>) -> Array2<f64> {
        let out = self.predict(&f32_rows(x), x.nrows());
        let d = self.dims[self.n_layers()];
        Array2::from_shape_fn((x.nrows(), d), |(i, j)| f64::from(out[i * d + j]))
    }
}

// ---------------------------------------------------------------------------------------------
// Adam

/// Adam with burn's defaults ($\beta_1 = 0.9$, $\beta_2 = 0.999$, $\varepsilon = 10^{-5}$; the GANs
/// set their own $\beta$s) and
/// burn's arithmetic: after $t$ steps,
/// $$\theta \leftarrow \theta - \text{lr}\,\frac{m_t\sqrt{1-\beta_2^t}/(1-\beta_1^t)}{\sqrt{v_t} + \varepsilon\sqrt{1-\beta_2^t}}
///   = \theta - \text{lr}\,\frac{\hat m_t}{\sqrt{\hat v_t}+\varepsilon},$$
/// in one pass over all parameters.
#[derive(Clone, Debug)]
pub struct AdamState {
    m: Vec<f32>,
    v: Vec<f32>,
    t: i32,
    beta1: f32,
    beta2: f32,
}

impl AdamState {
    const EPS: f32 = 1e-5;

    /// Zero moments for `n` parameters, burn's default $\beta_1$, $\beta_2$.
    pub fn new(n: usize) -> AdamState {
        AdamState::with_betas(n, 0.9, 0.999)
    }

    /// Zero moments for `n` parameters and the given $\beta_1$, $\beta_2$.
    pub fn with_betas(n: usize, beta1: f32, beta2: f32) -> AdamState {
        AdamState { m: vec![0.0; n], v: vec![0.0; n], t: 0, beta1, beta2 }
    }

    /// The number of steps taken.
    pub fn steps(&self) -> i32 {
        self.t
    }

    /// One step on `params` with gradient `grad` and learning rate `lr`.
    pub fn step(&mut self, params: &mut [f32], grad: &[f32], lr: f64) {
        assert!(params.len() == self.m.len() && grad.len() == self.m.len(), "AdamState::step: {} parameters, got {} and {} gradients", self.m.len(), params.len(), grad.len());
        self.t += 1;
        let (b1, b2) = (self.beta1, self.beta2);
        let bc2 = (1.0 - b2.powi(self.t)).sqrt();
        let factor = bc2 / (1.0 - b1.powi(self.t));
        let eps = Self::EPS * bc2;
        let lr = lr as f32;
        let n = params.len();
        let blocks = blocks_for(8 * n, n);
        let (p, m, v) = (Shared(params.as_mut_ptr()), Shared(self.m.as_mut_ptr()), Shared(self.v.as_mut_ptr()));
        for_blocks(blocks, |i| {
            let (a, b) = block(n, blocks, i);
            // SAFETY: block i owns entries a..b of each buffer.
            let (p, m, v) = unsafe {
                (
                    std::slice::from_raw_parts_mut(p.at(a), b - a),
                    std::slice::from_raw_parts_mut(m.at(a), b - a),
                    std::slice::from_raw_parts_mut(v.at(a), b - a),
                )
            };
            adam_pass(p, m, v, &grad[a..b], [b1, b2, factor, eps, lr]);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_within_two_ulp_of_the_f64_exponential() {
        // Oracle: f64 exp, rounded; 10⁵ points over the whole range the sigmoid uses.
        for i in 0..=100_000 {
            let x = -87.0 + 175.0 * i as f32 / 100_000.0;
            let (got, want) = (exp_f32(x), (x as f64).exp());
            let ulp = (want as f32).to_bits().abs_diff(got.to_bits());
            assert!(ulp <= 2, "exp({x}) = {got}, exact {want} ({ulp} ulp)");
        }
        assert_eq!(exp_f32(0.0), 1.0);
    }

    #[test]
    fn sigmoid_matches_the_closed_form_and_its_limits() {
        for i in 0..=4000 {
            let z = -100.0 + 0.05 * i as f32;
            let s = sigmoid_f32(z) as f64;
            let exact = 1.0 / (1.0 + (-(z as f64).clamp(-80.0, 80.0)).exp());
            assert!((s - exact).abs() <= 4e-7 * exact, "σ({z}) = {s} vs {exact}");
        }
        assert_eq!(sigmoid_f32(100.0), 1.0);
    }

    use crate::generative::net::{Mlp, new_mlp};
    use crate::rng::{normal_vec, seeded};
    use crate::{Inner, Train};
    use burn::module::AutodiffModule;
    use burn::optim::{AdamConfig, GradientsParams, Optimizer};
    use burn::tensor::TensorData;

    fn tensor<B: Backend>(v: &[f32], n: usize, d: usize) -> Tensor<B, 2> {
        Tensor::from_data(TensorData::new(v.to_vec(), [n, d]), &Default::default())
    }

    fn gaussian(n: usize, seed: u64) -> Vec<f32> {
        normal_vec(&mut seeded(seed), n).into_iter().map(|v| v as f32).collect()
    }

    /// The loss ⟨C, f(X)⟩ (so ∂L/∂f = C) and its gradients in both engines.
    fn both_gradients(dims: &[usize], code: u8, n: usize) -> (Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>) {
        let burn_net: Mlp<Train> = new_mlp(dims, code, 7, &Default::default());
        let net = burn_net.to_dense();
        let (x, c) = (gaussian(n * dims[0], 1), gaussian(n * dims[dims.len() - 1], 2));
        // burn: autodiff of the same loss.
        let xt = tensor::<Train>(&x, n, dims[0]).require_grad();
        let loss = (burn_net.forward(xt.clone()) * tensor::<Train>(&c, n, dims[dims.len() - 1])).sum();
        let g = loss.backward();
        let burn_dx = xt.grad(&g).unwrap().into_data().to_vec::<f32>().unwrap();
        let grads = GradientsParams::from_grads(g, &burn_net);
        // burn's gradients in this file's layout.
        let mut burn_grad = Vec::new();
        for (l, layer) in burn_net.layers().iter().enumerate() {
            let w = grads.get::<Inner, 2>(layer.weight.id).expect("weight gradient");
            let b = grads.get::<Inner, 1>(layer.bias.as_ref().unwrap().id).expect("bias gradient");
            burn_grad.extend(w.into_data().to_vec::<f32>().unwrap());
            burn_grad.extend(b.into_data().to_vec::<f32>().unwrap());
            assert_eq!(burn_grad.len(), net.offsets.get(l + 1).copied().unwrap_or(net.params.len()));
        }
        // This file.
        let mut tape = Tape::default();
        net.forward(&x, n, &mut tape);
        let (mut grad, mut dx) = (vec![0.0; net.params.len()], vec![0.0; x.len()]);
        net.backward(&mut tape, &c, &mut grad, Some(&mut dx));
        (grad, burn_grad, dx, burn_dx)
    }

    fn assert_close(a: &[f32], b: &[f32], what: &str) {
        // f32 sums of up to ~100 terms in different orders: relative to the vector's scale.
        let scale = b.iter().map(|v| v.abs()).fold(0.0f32, f32::max).max(1e-6);
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert!((x - y).abs() <= 2e-5 * scale, "{what}[{i}]: {x} vs burn {y} (scale {scale})");
        }
    }

    #[test]
    fn gradients_are_burns_autodiff_for_every_activation() {
        // Oracle: burn's reverse-mode autodiff on the same network, input and loss.
        for code in 0..3 {
            for (dims, n) in [(vec![3, 5, 4, 2], 9), (vec![18, 40, 40, 2], 300)] {
                let (g, bg, dx, bdx) = both_gradients(&dims, code, n);
                assert_close(&g, &bg, &format!("∇θ, activation {code}, dims {dims:?}"));
                assert_close(&dx, &bdx, &format!("∇x, activation {code}, dims {dims:?}"));
            }
        }
    }

    #[test]
    fn forward_is_burns_forward() {
        let burn_net: Mlp<Inner> = new_mlp(&[4, 16, 16, 3], 0, 3, &Default::default());
        let x = gaussian(50 * 4, 5);
        let want = burn_net.forward(tensor::<Inner>(&x, 50, 4)).into_data().to_vec::<f32>().unwrap();
        assert_close(&burn_net.to_dense().predict(&x, 50), &want, "f(x)");
    }

    #[test]
    fn adam_steps_are_burns_adam() {
        // Oracle: burn's Adam (defaults) on the same parameters and gradients, five steps.
        let dims = [3, 8, 2];
        let mut burn_net: Mlp<Train> = new_mlp(&dims, 0, 11, &Default::default());
        let mut net = burn_net.to_dense();
        let mut optim = AdamConfig::new().init();
        let mut adam = AdamState::new(net.params.len());
        let (x, c) = (gaussian(20 * 3, 1), gaussian(20 * 2, 2));
        let mut tape = Tape::default();
        let mut grad = vec![0.0; net.params.len()];
        for _ in 0..5 {
            let loss = (burn_net.forward(tensor::<Train>(&x, 20, 3)) * tensor::<Train>(&c, 20, 2)).sum();
            let grads = GradientsParams::from_grads(loss.backward(), &burn_net);
            burn_net = optim.step(1e-2, burn_net, grads);
            net.forward(&x, 20, &mut tape);
            net.backward(&mut tape, &c, &mut grad, None);
            adam.step(&mut net.params, &grad, 1e-2);
        }
        let burned = burn_net.valid().to_dense();
        assert_close(&net.params, &burned.params, "θ after 5 Adam steps");
        assert_eq!(adam.steps(), 5);
    }

    /// Losses and final parameters of 30 Adam steps on a 256-row batch.
    fn train_run() -> (Vec<f32>, Vec<f32>) {
        let dims = [18, 64, 64, 64, 2];
        let mut net: DenseNet = new_mlp::<Inner>(&dims, 0, 5, &Default::default()).to_dense();
        let (x, y) = (gaussian(256 * 18, 1), gaussian(256 * 2, 2));
        let mut adam = AdamState::new(net.params.len());
        let (mut tape, mut grad, mut losses) = (Tape::default(), vec![0.0; net.params.len()], Vec::new());
        for _ in 0..30 {
            net.forward(&x, 256, &mut tape);
            let g: Vec<f32> = net.output(&tape).iter().zip(&y).map(|(o, t)| o - t).collect();
            losses.push(g.iter().map(|e| e * e).sum::<f32>());
            net.backward(&mut tape, &g, &mut grad, None);
            adam.step(&mut net.params, &grad, 5e-3);
        }
        (losses, net.params)
    }

    #[test]
    fn the_same_numbers_whatever_the_split() {
        // The course's promise: a seed gives the same numbers on any number of threads. The
        // split of the products is what the thread count sets; compare bit for bit.
        let one = with_split(1, train_run);
        assert!(one.0[29] < 0.5 * one.0[0], "it trains: {} → {}", one.0[0], one.0[29]);
        for blocks in [2, 3, 4, 7] {
            let many = with_split(blocks, train_run);
            assert!(one.0 == many.0 && one.1 == many.1, "{blocks} blocks changed the numbers");
        }
    }

    #[test]
    fn blocks_cover_every_row_once() {
        for len in [1, 7, 8, 9, 100, 256, 257] {
            for blocks in 1..6 {
                let mut next = 0;
                for i in 0..blocks {
                    let (a, b) = block(len, blocks, i);
                    assert!(a <= b && (a == next || a == b));
                    next = next.max(b);
                }
                assert_eq!(next, len, "len {len}, {blocks} blocks");
            }
        }
    }
}
