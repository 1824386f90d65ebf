//! A loosely typed value, built on serde's `Deserialize` the way `serde_json::Value` is, as it
//! arrives from JS (serde-wasm-bindgen) or JSON (serde_json). The boundary types hold their
//! fields as `Loose`, so that `TryFrom` can name the exact field and say what is allowed,
//! instead of serde's generic "invalid type" messages.
//!
//! Reading one never fails: a value serde cannot read (a function, a symbol, a BigInt past
//! 64 bits) becomes [`Loose::Unreadable`], and nesting stops at [`MAX_DEPTH`] (a cyclic object
//! would otherwise recurse until the stack runs out).

use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::model::num::{float_text, quote};

/// Objects and arrays nested deeper than this are not read.
pub const MAX_DEPTH: u32 = 16;

#[derive(Clone, Debug, PartialEq)]
pub enum Loose {
    Null,
    Bool(bool),
    /// A JS number, or a JSON number with a fraction or exponent.
    Num(f64),
    /// An integer that arrived as an integer (JSON integer literal, JS BigInt, safe integer).
    Int(i128),
    Str(String),
    List(Vec<Loose>),
    Map(Vec<(String, Loose)>),
    /// A value serde could not read, with serde's reason (a function, a symbol, a BigInt past
    /// 64 bits, or nesting past [`MAX_DEPTH`]).
    Unreadable(String),
}

impl Loose {
    pub fn type_name(&self) -> &'static str {
        match self {
            Loose::Null => "null",
            Loose::Bool(_) => "a boolean",
            Loose::Num(_) | Loose::Int(_) => "a number",
            Loose::Str(_) => "a string",
            Loose::List(_) => "an array",
            Loose::Map(_) => "an object",
            Loose::Unreadable(_) => "a value that cannot be read",
        }
    }

    pub fn get(&self, key: &str) -> Option<&Loose> {
        match self {
            Loose::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A short, safe rendering of the value for error messages (never more than ~40 chars).
    pub fn preview(&self) -> String {
        match self {
            Loose::Null => "null".into(),
            Loose::Bool(b) => if *b { "true" } else { "false" }.into(),
            Loose::Num(x) => float_text(*x),
            Loose::Int(i) => i.to_string(),
            Loose::Str(s) => quote(s),
            Loose::List(_) => "an array".into(),
            Loose::Map(_) => "an object".into(),
            Loose::Unreadable(why) => {
                format!(
                    "a value that cannot be read: {}",
                    quote(why).trim_matches('"')
                )
            }
        }
    }
}

impl Default for Loose {
    /// A field that is absent reads as null (both mean "missing" to the checks).
    fn default() -> Loose {
        Loose::Null
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Loose, D::Error> {
        Depth(0).deserialize(d)
    }
}

/// Reads a value `.0` levels deep.
#[derive(Clone, Copy)]
struct Depth(u32);

impl<'de> DeserializeSeed<'de> for Depth {
    type Value = Loose;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
        if self.0 > MAX_DEPTH {
            return Ok(Loose::Unreadable(format!(
                "nested more than {MAX_DEPTH} levels deep"
            )));
        }
        // A value serde cannot read is kept as such, for the field's own message to name.
        // (serde-wasm-bindgen reads each value from its own JsValue, so nothing is left half read.)
        Ok(d.deserialize_any(self)
            .unwrap_or_else(|e| Loose::Unreadable(e.to_string())))
    }
}

impl<'de> Visitor<'de> for Depth {
    type Value = Loose;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any plain value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Loose, E> {
        Ok(Loose::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
        Ok(Loose::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
        Ok(Loose::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Loose, E> {
        Ok(Loose::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Loose, E> {
        i128::try_from(v)
            .map(Loose::Int)
            .map_err(|_| E::custom("integer too large"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Loose, E> {
        Ok(Loose::Num(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
        Ok(Loose::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Loose, E> {
        Ok(Loose::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Loose, E> {
        Ok(Loose::Null)
    }
    fn visit_none<E>(self) -> Result<Loose, E> {
        Ok(Loose::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Depth(self.0 + 1))? {
            out.push(v);
        }
        Ok(Loose::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
        let mut out = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            out.push((k, map.next_value_seed(Depth(self.0 + 1))?));
        }
        Ok(Loose::Map(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_and_names_what_it_cannot() {
        let v: Loose = serde_json::from_str(
            r#"{"n":12345678901234567890,"s":"a\"b\u00e9","l":[1,2.5,-3e2,true,null]}"#,
        )
        .unwrap();
        assert_eq!(v.get("n"), Some(&Loose::Int(12345678901234567890)));
        assert_eq!(v.get("s"), Some(&Loose::Str("a\"bé".into())));
        assert_eq!(
            v.get("l"),
            Some(&Loose::List(vec![
                Loose::Int(1),
                Loose::Num(2.5),
                Loose::Num(-300.0),
                Loose::Bool(true),
                Loose::Null
            ]))
        );
        // A tree of values, each read from its own node, as serde-wasm-bindgen reads JsValues.
        let tree: serde_json::Value =
            serde_json::from_str(&format!("{}1{}", "[".repeat(40), "]".repeat(40))).unwrap();
        let deep = Loose::deserialize(tree).unwrap();
        let mut at = &deep;
        let mut depth = 0;
        while let Loose::List(items) = at {
            at = &items[0];
            depth += 1;
        }
        assert!(matches!(at, Loose::Unreadable(_)), "{at:?}");
        assert_eq!(depth, MAX_DEPTH + 1);
    }
}
