//! Packed items: the C type of each array.array typecode and NumPy dtype, and how values become
//! their bytes (IEEE half precision included), written in bulk into a data buffer.

use std::mem::size_of;

use super::build::put;

use crate::model::objects::ElementSource;
use crate::model::scenario::{Const, Container, Dtype, Scenario, Values};

/// The C type of a packed item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Bool,
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    F16,
    F32,
    F64,
}

impl Item {
    pub fn of(s: &Scenario) -> Item {
        match s.container {
            Container::Array(tc) => match tc.0 {
                'b' => Item::I8,
                'B' => Item::U8,
                'h' => Item::I16,
                'H' => Item::U16,
                'i' => Item::I32,
                'I' => Item::U32,
                'l' if s.profile.c_long_bits() == 32 => Item::I32,
                'L' if s.profile.c_long_bits() == 32 => Item::U32,
                'l' | 'q' => Item::I64,
                'L' | 'Q' => Item::U64,
                'f' => Item::F32,
                _ => Item::F64,
            },
            Container::Ndarray(dt) => match dt {
                Dtype::Bool => Item::Bool,
                Dtype::Int8 => Item::I8,
                Dtype::Uint8 => Item::U8,
                Dtype::Int16 => Item::I16,
                Dtype::Uint16 => Item::U16,
                Dtype::Int32 => Item::I32,
                Dtype::Uint32 => Item::U32,
                Dtype::Int64 => Item::I64,
                Dtype::Uint64 => Item::U64,
                Dtype::Float16 => Item::F16,
                Dtype::Float32 => Item::F32,
                Dtype::Float64 => Item::F64,
            },
            // The packed counterpart of a boxed container: int64 or float64.
            _ if s.values.is_float() => Item::F64,
            _ => Item::I64,
        }
    }

    pub fn size(self) -> usize {
        match self {
            Item::Bool | Item::I8 | Item::U8 => 1,
            Item::I16 | Item::U16 | Item::F16 => 2,
            Item::I32 | Item::U32 | Item::F32 => 4,
            Item::I64 | Item::U64 | Item::F64 => 8,
        }
    }
}

/// f64 → IEEE half, round to nearest even (NumPy's float16 cast).
pub fn f16_bits(x: f64) -> u16 {
    let f = x as f32;
    let b = f.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xff) as i32;
    let man = b & 0x7f_ffff;
    if exp == 0xff {
        return sign | 0x7c00 | if man != 0 { 0x200 } else { 0 };
    }
    let e = exp - 127 + 15;
    if e >= 0x1f {
        return sign | 0x7c00;
    }
    if e <= 0 {
        if e < -10 {
            return sign;
        }
        let m = man | 0x80_0000;
        let shift = (14 - e) as u32;
        let half = 1 << (shift - 1);
        let rounded = m + half - 1 + ((m >> shift) & 1);
        return sign | (rounded >> shift) as u16;
    }
    let rounded = man + 0xfff + ((man >> 13) & 1);
    if rounded & 0x80_0000 != 0 {
        let e = e + 1;
        if e >= 0x1f {
            return sign | 0x7c00;
        }
        return sign | ((e as u16) << 10);
    }
    sign | ((e as u16) << 10) | (rounded >> 13) as u16
}

pub fn f16_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = ((h >> 10) & 0x1f) as i32;
    let man = (h & 0x3ff) as f64;
    sign * match exp {
        0 => man * 2f64.powi(-24),
        0x1f => {
            if man == 0.0 {
                f64::INFINITY
            } else {
                f64::NAN
            }
        }
        e => (1.0 + man / 1024.0) * 2f64.powi(e - 15),
    }
}

/// Items from..to as `T`, one tight loop per kind of values (so it compiles to plain stores).
/// Ints fit in i64: the scenario keeps start + n within C long.
#[inline]
pub(super) fn fill_range<T: Copy>(
    base: usize,
    from: u64,
    to: u64,
    src: &ElementSource,
    of_int: impl Fn(i64) -> T,
    of_float: impl Fn(f64) -> T,
) {
    let at = |j: u64| base + j as usize * size_of::<T>();
    // SAFETY (all loops): items from..to lie inside the data buffer.
    match src.values() {
        // `[b + start] * n`: one value n times.
        Values::IntOffset { base, start } if src.repeats() => {
            let v = of_int((base + start) as i64);
            for j in from..to {
                unsafe { put(at(j), v) };
            }
        }
        // int_offset is refused for packed containers; its values are int_range's from base + start.
        Values::IntRange { start } | Values::IntOffset { start, .. } => {
            let s = (start + src.values().offset()) as i64;
            for j in from..to {
                unsafe { put(at(j), of_int(s.wrapping_add(j as i64))) };
            }
        }
        Values::FloatRange { start } => {
            let s = start as i64;
            for j in from..to {
                unsafe { put(at(j), of_float(s.wrapping_add(j as i64) as f64)) };
            }
        }
        Values::IntMod { k } => {
            for j in from..to {
                unsafe { put(at(j), of_int((j % k) as i64)) };
            }
        }
        Values::Constant(Const::Int(c)) => {
            let v = of_int(c as i64);
            for j in from..to {
                unsafe { put(at(j), v) };
            }
        }
        Values::Constant(Const::Float(f)) => {
            let v = of_float(f);
            for j in from..to {
                unsafe { put(at(j), v) };
            }
        }
    }
}
