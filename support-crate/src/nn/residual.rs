//! A residual network is the forward Euler scheme of an ODE.
//!
//! $L$ residual blocks with step $h = T/L$ and shared weights,
//! $$x_{k+1} = x_k + h\,\tanh(x_kW + b),\qquad k = 0,\dots,L-1,$$
//! are exactly forward Euler for $\dot x = f(x) = \tanh(xW+b)$ on $[0, T]$. Euler's global error is
//! $O(h)$: as the network gets deeper the output converges to the flow $\varphi_T(x_0)$ of the
//! ODE, with error $\approx C/L$. (A network whose blocks have their own weights $W_k$ is Euler for a
//! time-dependent field $f(t, x)$; the "neural ODE" takes this limit as the model.)
//!
//! ## Reference
//! He, Zhang, Ren & Sun (2016), *Deep residual learning for image recognition*; E (2017), *A
//! proposal on machine learning via dynamical systems*; Haber & Ruthotto (2017), *Stable
//! architectures for deep neural networks*; Chen, Rubanova, Bettencourt & Duvenaud (2018),
//! *Neural ordinary differential equations*.
//!
//! Used in notebooks/10-architectures.ipynb (and see notebooks/07-odes-and-dynamical-systems.ipynb).

use super::codec::{Wire, decode};
use super::engine::call;
use super::wire::Value;
use ndarray::Array2;

/// The output of a ResNet of `n_layers` blocks $x\mapsto x + h\tanh(xW+b)$, $h$ = `t_end / n_layers`,
/// all sharing `w` (`dim × dim`) and `b`, applied to each row of `x0` (burn, `f32`).
///
/// # Panics
/// If the shapes disagree, `n_layers == 0` or `t_end` is not finite and > 0.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // f(x) = tanh(0·x + b): constant speed tanh(b), so x(T) = x0 + T tanh(b) at any depth.
/// let y = course::nn::resnet_flow(&array![[0.0]], &[0.5], &array![[1.0]], 2.0, 7);
/// assert!((y[[0, 0]] - (1.0 + 2.0 * 0.5f64.tanh())).abs() < 1e-6);
/// ```
pub fn resnet_flow(w: &Array2<f64>, b: &[f64], x0: &Array2<f64>, t_end: f64, n_layers: usize) -> Array2<f64> {
    let args = vec![w.to_wire(), Value::F64s(b.to_vec()), x0.to_wire(), t_end.into(), n_layers.into()];
    decode("resnet_flow", &call("resnet_flow", Value::List(args)))
}

