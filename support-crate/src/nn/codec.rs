//! How the nn types cross to the engine and back: every argument and result of an engine call
//! as a [`Value`]. Compiled into the course crate, which the engine depends on, so both sides
//! use these same functions.

use super::wire::{Value, WireError};
use super::{Activation, Block, Cell, CnnConfig, GradientProfile, Init, MlpConfig, OptimizerKind, RecurrentConfig, TrainConfig, TrainReport};
use crate::data::sequences::SequenceTask;
use ndarray::{Array2, Array3};

/// A type with a wire form.
pub trait Wire: Sized {
    fn to_wire(&self) -> Value;
    fn from_wire(v: &Value) -> Result<Self, WireError>;
}

fn err(msg: String) -> WireError {
    WireError(msg)
}

impl Wire for Array2<f64> {
    fn to_wire(&self) -> Value {
        Value::List(vec![self.nrows().into(), self.ncols().into(), Value::F64s(self.iter().copied().collect())])
    }
    fn from_wire(v: &Value) -> Result<Self, WireError> {
        let a = v.items(3)?;
        Array2::from_shape_vec((a[0].usize()?, a[1].usize()?), a[2].f64s()?.to_vec()).map_err(|e| err(format!("matrix: {e}")))
    }
}

impl Wire for Array3<f64> {
    fn to_wire(&self) -> Value {
        let (a, b, c) = self.dim();
        Value::List(vec![a.into(), b.into(), c.into(), Value::F64s(self.iter().copied().collect())])
    }
    fn from_wire(v: &Value) -> Result<Self, WireError> {
        let a = v.items(4)?;
        Array3::from_shape_vec((a[0].usize()?, a[1].usize()?, a[2].usize()?), a[3].f64s()?.to_vec()).map_err(|e| err(format!("array: {e}")))
    }
}

impl Wire for Vec<Array2<f64>> {
    fn to_wire(&self) -> Value {
        Value::List(self.iter().map(Wire::to_wire).collect())
    }
    fn from_wire(v: &Value) -> Result<Self, WireError> {
        v.list()?.iter().map(Array2::from_wire).collect()
    }
}

macro_rules! wire_enum {
    ($t:ty, $($variant:path => $code:expr),+) => {
        impl Wire for $t {
            fn to_wire(&self) -> Value {
                Value::U64(match self { $($variant => $code),+ })
            }
            fn from_wire(v: &Value) -> Result<Self, WireError> {
                match v.u64()? {
                    $($code => Ok($variant),)+
                    c => Err(err(format!("{}: unknown code {c}", stringify!($t)))),
                }
            }
        }
    };
}

wire_enum!(Activation, Activation::Relu => 0, Activation::Tanh => 1);
impl Wire for Init {
    fn to_wire(&self) -> Value {
        match self {
            Init::Xavier => Value::U64(0),
            Init::He => Value::U64(1),
            Init::TooSmall => Value::U64(2),
            Init::TooLarge => Value::U64(3),
            Init::Std(s) => Value::F64(*s),
        }
    }
    fn from_wire(v: &Value) -> Result<Self, WireError> {
        match v {
            Value::F64(s) => Ok(Init::Std(*s)),
            _ => match v.u64()? {
                0 => Ok(Init::Xavier),
                1 => Ok(Init::He),
                2 => Ok(Init::TooSmall),
                3 => Ok(Init::TooLarge),
                c => Err(err(format!("Init: unknown code {c}"))),
            },
        }
    }
}
wire_enum!(Block, Block::Plain => 0, Block::Residual => 1, Block::Highway => 2);
wire_enum!(Cell, Cell::Rnn => 0, Cell::Lstm => 1);
wire_enum!(OptimizerKind, OptimizerKind::Sgd => 0, OptimizerKind::Adam => 1);

impl Wire for MlpConfig {
    fn to_wire(&self) -> Value {
        Value::List(vec![
            self.dim_in.into(),
            self.width.into(),
            self.depth.into(),
            self.dim_out.into(),
            self.activation.to_wire(),
            self.init.to_wire(),
            self.batch_norm.into(),
            self.dropout.into(),
            self.block.to_wire(),
        ])
    }
    fn from_wire(v: &Value) -> Result<Self, WireError> {
        let a = v.items(9)?;
        Ok(MlpConfig {
            dim_in: a[0].usize()?,
            width: a[1].usize()?,
            depth: a[2].usize()?,
            dim_out: a[3].usize()?,
            activation: Activation::from_wire(&a[4])?,
            init: Init::from_wire(&a[5])?,
            batch_norm: a[6].bool()?,
            dropout: a[7].f64()?,
            block: Block::from_wire(&a[8])?,
        })
    }
}

impl Wire for TrainConfig {
    fn to_wire(&self) -> Value {
        Value::List(vec![self.n_steps.into(), self.lr.into(), self.batch_size.into(), self.optimizer.to_wire(), self.seed.into()])
    }
    fn from_wire(v: &Value) -> Result<Self, WireError> {
        let a = v.items(5)?;
        Ok(TrainConfig {
            n_steps: a[0].usize()?,
            lr: a[1].f64()?,
            batch_size: a[2].usize()?,
            optimizer: OptimizerKind::from_wire(&a[3])?,
            seed: a[4].u64()?,
        })
    }
}

impl Wire for CnnConfig {
    fn to_wire(&self) -> Value {
        Value::List(vec![self.size.into(), self.n_classes.into(), Value::U64s(self.channels.iter().map(|&c| c as u64).collect())])
    }
    fn from_wire(v: &Value) -> Result<Self, WireError> {
        let a = v.items(3)?;
        let c = a[2].usizes()?;
        let channels = <[usize; 2]>::try_from(c.as_slice()).map_err(|_| err(format!("channels: expected 2, got {}", c.len())))?;
        Ok(CnnConfig { size: a[0].usize()?, n_classes: a[1].usize()?, channels })
    }
}

impl Wire for RecurrentConfig {
    fn to_wire(&self) -> Value {
        Value::List(vec![
            self.cell.to_wire(),
            self.dim_in.into(),
            self.hidden.into(),
            self.dim_out.into(),
            self.forget_bias.into(),
            self.recurrent_gain.into(),
        ])
    }
    fn from_wire(v: &Value) -> Result<Self, WireError> {
        let a = v.items(6)?;
        Ok(RecurrentConfig {
            cell: Cell::from_wire(&a[0])?,
            dim_in: a[1].usize()?,
            hidden: a[2].usize()?,
            dim_out: a[3].usize()?,
            forget_bias: a[4].f64()?,
            recurrent_gain: a[5].f64()?,
        })
    }
}

impl Wire for SequenceTask {
    fn to_wire(&self) -> Value {
        Value::List(vec![self.inputs.to_wire(), self.targets.to_wire()])
    }
    fn from_wire(v: &Value) -> Result<Self, WireError> {
        let a = v.items(2)?;
        Ok(SequenceTask { inputs: Array3::from_wire(&a[0])?, targets: Array2::from_wire(&a[1])? })
    }
}

impl Wire for TrainReport {
    fn to_wire(&self) -> Value {
        Value::List(vec![
            Value::F64s(self.losses.clone()),
            Value::List(self.grad_norms.iter().map(|g| Value::F64s(g.clone())).collect()),
            self.seconds.into(),
        ])
    }
    fn from_wire(v: &Value) -> Result<Self, WireError> {
        let a = v.items(3)?;
        Ok(TrainReport {
            losses: a[0].f64s()?.to_vec(),
            grad_norms: a[1].list()?.iter().map(|g| g.f64s().map(<[f64]>::to_vec)).collect::<Result<_, _>>()?,
            seconds: a[2].f64()?,
        })
    }
}

impl Wire for GradientProfile {
    fn to_wire(&self) -> Value {
        Value::List(vec![
            self.loss.into(),
            Value::F64s(self.weight_grad_norms.clone()),
            Value::F64s(self.signal_norms.clone()),
            Value::F64s(self.activation_ms.clone()),
        ])
    }
    fn from_wire(v: &Value) -> Result<Self, WireError> {
        let a = v.items(4)?;
        Ok(GradientProfile {
            loss: a[0].f64()?,
            weight_grad_norms: a[1].f64s()?.to_vec(),
            signal_norms: a[2].f64s()?.to_vec(),
            activation_ms: a[3].f64s()?.to_vec(),
        })
    }
}

/// Decodes a result that the engine produced for this crate: a mismatch is a bug, not a user
/// error, and says which operation.
pub(crate) fn decode<T: Wire>(op: &str, v: &Value) -> T {
    T::from_wire(v).unwrap_or_else(|e| panic!("nn engine: malformed result of {op}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Wire + PartialEq + std::fmt::Debug>(x: T) {
        let back = T::from_wire(&Value::decode(&x.to_wire().encode()).unwrap()).unwrap();
        assert_eq!(back, x);
    }

    #[test]
    fn every_type_round_trips() {
        round_trip(ndarray::array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
        round_trip(Array3::from_shape_fn((2, 3, 4), |(i, j, k)| (i * 12 + j * 4 + k) as f64));
        round_trip(MlpConfig::new(3, 8, 2, 1).with_init(Init::Std(0.01)));
        round_trip(MlpConfig::new(3, 16, 4, 2).with_init(Init::TooLarge).with_batch_norm(true).with_dropout(0.25).with_block(Block::Highway));
        round_trip(TrainConfig::adam(10, 1e-3).with_batch_size(8).with_seed(5));
        round_trip(CnnConfig::new(16, 4).with_channels([3, 5]));
        round_trip(RecurrentConfig::lstm(2, 8, 1).with_forget_bias(2.0).with_recurrent_gain(0.5));
        round_trip(TrainReport { losses: vec![1.0, 0.5], grad_norms: vec![vec![1.0, 2.0], vec![3.0, 4.0]], seconds: 0.1 });
        round_trip(GradientProfile { loss: 1.0, weight_grad_norms: vec![1.0], signal_norms: vec![2.0], activation_ms: vec![3.0] });
    }

    #[test]
    fn a_matrix_with_the_wrong_number_of_entries_is_an_error() {
        let v = Value::List(vec![2usize.into(), 2usize.into(), Value::F64s(vec![1.0])]);
        assert!(Array2::<f64>::from_wire(&v).unwrap_err().0.contains("matrix"));
    }
}
