//! The wire format between the course crate and the nn engine: a small tree of values,
//! encoded as tagged little-endian bytes.
//!
//! This file is compiled into both sides (the engine includes it with `#[path]`), so the two
//! always agree on the format. It has no dependencies and knows nothing of burn.

/// A value that crosses the boundary: the arguments of a call, or its result.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Unit,
    Bool(bool),
    U64(u64),
    F64(f64),
    Str(String),
    F64s(Vec<f64>),
    U64s(Vec<u64>),
    List(Vec<Value>),
}

/// What went wrong while decoding, or a value of the wrong kind.
#[derive(Clone, Debug, PartialEq)]
pub struct WireError(pub String);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Value {
    /// The bytes of this value.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.write(&mut out);
        out
    }

    /// The number of bytes [`Value::encode`] writes (so that the buffer is allocated once:
    /// training tables of megabytes cross the wire).
    fn encoded_len(&self) -> usize {
        1 + match self {
            Value::Unit => 0,
            Value::Bool(_) => 1,
            Value::U64(_) | Value::F64(_) => 8,
            Value::Str(s) => 8 + s.len(),
            Value::F64s(v) => 8 + 8 * v.len(),
            Value::U64s(v) => 8 + 8 * v.len(),
            Value::List(v) => 8 + v.iter().map(Value::encoded_len).sum::<usize>(),
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Value::Unit => out.push(0),
            Value::Bool(b) => out.extend([1, *b as u8]),
            Value::U64(v) => {
                out.push(2);
                out.extend(v.to_le_bytes());
            }
            Value::F64(v) => {
                out.push(3);
                out.extend(v.to_le_bytes());
            }
            Value::Str(s) => {
                out.push(4);
                out.extend((s.len() as u64).to_le_bytes());
                out.extend(s.as_bytes());
            }
            Value::F64s(v) => {
                out.push(5);
                out.extend((v.len() as u64).to_le_bytes());
                v.iter().for_each(|a| out.extend_from_slice(&a.to_le_bytes()));
            }
            Value::U64s(v) => {
                out.push(6);
                out.extend((v.len() as u64).to_le_bytes());
                v.iter().for_each(|a| out.extend_from_slice(&a.to_le_bytes()));
            }
            Value::List(v) => {
                out.push(7);
                out.extend((v.len() as u64).to_le_bytes());
                v.iter().for_each(|a| a.write(out));
            }
        }
    }

    /// The value encoded in `bytes` (all of them).
    pub fn decode(bytes: &[u8]) -> Result<Value, WireError> {
        let mut pos = 0;
        let v = Value::read(bytes, &mut pos)?;
        if pos != bytes.len() {
            return Err(WireError(format!("{} trailing bytes after the value", bytes.len() - pos)));
        }
        Ok(v)
    }

    fn read(b: &[u8], pos: &mut usize) -> Result<Value, WireError> {
        fn take<'a>(b: &'a [u8], pos: &mut usize, n: usize) -> Result<&'a [u8], WireError> {
            let end = pos.checked_add(n).filter(|&e| e <= b.len()).ok_or_else(|| WireError("truncated value".into()))?;
            let s = &b[*pos..end];
            *pos = end;
            Ok(s)
        }
        fn word(b: &[u8], pos: &mut usize) -> Result<[u8; 8], WireError> {
            Ok(take(b, pos, 8)?.try_into().expect("8 bytes"))
        }
        fn len(b: &[u8], pos: &mut usize, item: usize) -> Result<usize, WireError> {
            let n = u64::from_le_bytes(word(b, pos)?) as usize;
            if n.saturating_mul(item) > b.len() - *pos {
                return Err(WireError(format!("length {n} exceeds the message")));
            }
            Ok(n)
        }
        let tag = take(b, pos, 1)?[0];
        Ok(match tag {
            0 => Value::Unit,
            1 => Value::Bool(take(b, pos, 1)?[0] != 0),
            2 => Value::U64(u64::from_le_bytes(word(b, pos)?)),
            3 => Value::F64(f64::from_le_bytes(word(b, pos)?)),
            4 => {
                let n = len(b, pos, 1)?;
                let s = take(b, pos, n)?;
                Value::Str(String::from_utf8(s.to_vec()).map_err(|_| WireError("string is not UTF-8".into()))?)
            }
            5 => {
                let n = len(b, pos, 8)?;
                Value::F64s(take(b, pos, 8 * n)?.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes"))).collect())
            }
            6 => {
                let n = len(b, pos, 8)?;
                Value::U64s(take(b, pos, 8 * n)?.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect())
            }
            7 => {
                let n = len(b, pos, 1)?;
                Value::List((0..n).map(|_| Value::read(b, pos)).collect::<Result<_, _>>()?)
            }
            t => return Err(WireError(format!("unknown tag {t}"))),
        })
    }

    fn kind(&self) -> &'static str {
        match self {
            Value::Unit => "unit",
            Value::Bool(_) => "bool",
            Value::U64(_) => "u64",
            Value::F64(_) => "f64",
            Value::Str(_) => "string",
            Value::F64s(_) => "f64 list",
            Value::U64s(_) => "u64 list",
            Value::List(_) => "list",
        }
    }

    fn wrong(&self, want: &str) -> WireError {
        WireError(format!("expected a {want}, got a {}", self.kind()))
    }

    pub fn bool(&self) -> Result<bool, WireError> {
        if let Value::Bool(v) = self { Ok(*v) } else { Err(self.wrong("bool")) }
    }
    pub fn u64(&self) -> Result<u64, WireError> {
        if let Value::U64(v) = self { Ok(*v) } else { Err(self.wrong("u64")) }
    }
    pub fn usize(&self) -> Result<usize, WireError> {
        self.u64().map(|v| v as usize)
    }
    pub fn f64(&self) -> Result<f64, WireError> {
        if let Value::F64(v) = self { Ok(*v) } else { Err(self.wrong("f64")) }
    }
    pub fn str(&self) -> Result<&str, WireError> {
        if let Value::Str(v) = self { Ok(v) } else { Err(self.wrong("string")) }
    }
    pub fn f64s(&self) -> Result<&[f64], WireError> {
        if let Value::F64s(v) = self { Ok(v) } else { Err(self.wrong("f64 list")) }
    }
    pub fn u64s(&self) -> Result<&[u64], WireError> {
        if let Value::U64s(v) = self { Ok(v) } else { Err(self.wrong("u64 list")) }
    }
    pub fn usizes(&self) -> Result<Vec<usize>, WireError> {
        self.u64s().map(|v| v.iter().map(|&a| a as usize).collect())
    }
    pub fn list(&self) -> Result<&[Value], WireError> {
        if let Value::List(v) = self { Ok(v) } else { Err(self.wrong("list")) }
    }
    /// The `n` items of a list, or an error naming the count.
    pub fn items(&self, n: usize) -> Result<&[Value], WireError> {
        let v = self.list()?;
        if v.len() == n { Ok(v) } else { Err(WireError(format!("expected {n} items, got {}", v.len()))) }
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::F64(v)
    }
}
impl From<u64> for Value {
    fn from(v: u64) -> Self {
        Value::U64(v)
    }
}
impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::U64(v as u64)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Str(v.to_owned())
    }
}
impl From<Vec<f64>> for Value {
    fn from(v: Vec<f64>) -> Self {
        Value::F64s(v)
    }
}
impl From<&[f64]> for Value {
    fn from(v: &[f64]) -> Self {
        Value::F64s(v.to_vec())
    }
}
impl From<&[usize]> for Value {
    fn from(v: &[usize]) -> Self {
        Value::U64s(v.iter().map(|&a| a as u64).collect())
    }
}
impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Self {
        Value::List(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_kind() {
        let v = Value::List(vec![
            Value::Unit,
            Value::Bool(true),
            Value::U64(u64::MAX),
            Value::F64(-0.0),
            Value::F64(f64::NAN),
            Value::Str("σ → ∞".into()),
            Value::F64s(vec![1.5, f64::INFINITY]),
            Value::U64s(vec![0, 7]),
            Value::List(vec![]),
        ]);
        assert_eq!(v.encoded_len(), v.encode().len());
        let back = Value::decode(&v.encode()).unwrap();
        // NaN != NaN: compare bitwise through a second encoding.
        assert_eq!(back.encode(), v.encode());
    }

    #[test]
    fn rejects_truncated_and_oversized_messages() {
        let bytes = Value::F64s(vec![1.0, 2.0]).encode();
        for cut in 0..bytes.len() {
            assert!(Value::decode(&bytes[..cut]).is_err(), "prefix of length {cut} accepted");
        }
        let mut huge = vec![5u8];
        huge.extend(u64::MAX.to_le_bytes());
        assert!(Value::decode(&huge).unwrap_err().0.contains("exceeds"));
        assert!(Value::decode(&[9]).unwrap_err().0.contains("unknown tag"));
    }

    #[test]
    fn accessors_name_the_expected_kind() {
        assert_eq!(Value::F64(1.0).u64().unwrap_err().0, "expected a u64, got a f64");
        assert!(Value::List(vec![Value::Unit]).items(2).unwrap_err().0.contains("expected 2 items"));
    }
}
