//! A loosely typed value, as it arrives from JS (serde-wasm-bindgen) or JSON (serde_json), so
//! that validation can name the exact field and say what is allowed, instead of serde's generic
//! "invalid type" messages.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

#[derive(Clone, Debug, PartialEq)]
pub enum Raw {
    Null,
    Bool(bool),
    /// A JS number, or a JSON number with a fraction or exponent.
    Num(f64),
    /// An integer that arrived as an integer (JSON integer literal, JS BigInt, safe integer).
    Int(i128),
    Str(String),
    List(Vec<Raw>),
    Map(Vec<(String, Raw)>),
    /// A value JSON cannot carry (a function, a symbol), by its type name.
    Other(String),
}

impl Raw {
    pub fn type_name(&self) -> &'static str {
        match self {
            Raw::Null => "null",
            Raw::Bool(_) => "a boolean",
            Raw::Num(_) | Raw::Int(_) => "a number",
            Raw::Str(_) => "a string",
            Raw::List(_) => "an array",
            Raw::Map(_) => "an object",
            Raw::Other(_) => "another kind of value",
        }
    }

    pub fn get(&self, key: &str) -> Option<&Raw> {
        match self {
            Raw::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A short, safe rendering of the value for error messages (never more than ~40 chars).
    pub fn preview(&self) -> String {
        match self {
            Raw::Null => "null".into(),
            Raw::Bool(b) => if *b { "true" } else { "false" }.into(),
            Raw::Num(x) => float_text(*x),
            Raw::Int(i) => int_text(*i),
            Raw::Str(s) => quote(s),
            Raw::List(_) => "an array".into(),
            Raw::Map(_) => "an object".into(),
            Raw::Other(t) => t.chars().take(32).collect(),
        }
    }
}

pub use super::num::float_text as fmt_f64;
use super::num::{float_text, int_text, quote};

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any plain value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        i128::try_from(v)
            .map(Raw::Int)
            .map_err(|_| E::custom("integer too large"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Num(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Raw::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Raw>()? {
            out.push((k, v));
        }
        Ok(Raw::Map(out))
    }
}

/// Marker keys that the JS side uses to carry what JSON cannot: NaN and the infinities, BigInts,
/// and values of other types (functions, symbols), so validation can still name them.
pub const MARK_NUM: &str = "\u{1}num";
pub const MARK_INT: &str = "\u{1}int";
pub const MARK_OTHER: &str = "\u{1}other";

impl Raw {
    /// Parse JSON (as produced by the page's JSON.stringify with the markers above) into a Raw.
    /// Errors are plain descriptions; the caller names the field.
    pub fn parse_json(text: &str) -> Result<Raw, String> {
        let mut p = JsonParser {
            s: text.as_bytes(),
            i: 0,
            depth: 0,
        };
        let v = p.value()?;
        p.ws();
        if p.i != p.s.len() {
            return Err(format!("unexpected text at byte {}", p.i));
        }
        Ok(v)
    }
}

struct JsonParser<'a> {
    s: &'a [u8],
    i: usize,
    depth: u32,
}

impl JsonParser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\n' | b'\r' | b'\t') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, lit: &str) -> Result<(), String> {
        if self.s[self.i..].starts_with(lit.as_bytes()) {
            self.i += lit.len();
            Ok(())
        } else {
            Err(format!("expected {lit} at byte {}", self.i))
        }
    }

    fn value(&mut self) -> Result<Raw, String> {
        self.ws();
        self.depth += 1;
        if self.depth > 64 {
            return Err("nested too deeply".into());
        }
        let v = match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string().map(Raw::Str),
            Some(b't') => self.eat("true").map(|_| Raw::Bool(true)),
            Some(b'f') => self.eat("false").map(|_| Raw::Bool(false)),
            Some(b'n') => self.eat("null").map(|_| Raw::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(format!("unexpected input at byte {}", self.i)),
        };
        self.depth -= 1;
        v
    }

    fn object(&mut self) -> Result<Raw, String> {
        self.i += 1;
        let mut out = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Raw::Map(out));
        }
        loop {
            self.ws();
            let k = self.string()?;
            self.ws();
            self.eat(":")?;
            let v = self.value()?;
            out.push((k, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    break;
                }
                _ => return Err(format!("expected , or }} at byte {}", self.i)),
            }
        }
        // Unwrap the JS side's markers.
        if let [(k, Raw::Str(s))] = out.as_slice() {
            match k.as_str() {
                MARK_NUM => return Ok(Raw::Num(super::num::parse_f64(s).unwrap_or(f64::NAN))),
                MARK_INT => {
                    return s.parse().map(Raw::Int).or_else(|_| Ok(Raw::Str(s.clone())));
                }
                MARK_OTHER => return Ok(Raw::Other(s.clone())),
                _ => {}
            }
        }
        Ok(Raw::Map(out))
    }

    fn array(&mut self) -> Result<Raw, String> {
        self.i += 1;
        let mut out = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(Raw::List(out));
        }
        loop {
            out.push(self.value()?);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Raw::List(out));
                }
                _ => return Err(format!("expected , or ] at byte {}", self.i)),
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        if self.peek() != Some(b'"') {
            return Err(format!("expected a string at byte {}", self.i));
        }
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while self.i < self.s.len() && self.s[self.i] != b'"' && self.s[self.i] != b'\\' {
                self.i += 1;
            }
            out.push_str(std::str::from_utf8(&self.s[start..self.i]).map_err(|_| "bad UTF-8")?);
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let esc = *self.s.get(self.i + 1).ok_or("unfinished escape")?;
                    self.i += 2;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hex = self.s.get(self.i..self.i + 4).ok_or("short \\u escape")?;
                            let code = u32::from_str_radix(
                                std::str::from_utf8(hex).map_err(|_| "bad \\u escape")?,
                                16,
                            )
                            .map_err(|_| "bad \\u escape")?;
                            self.i += 4;
                            // Lone surrogates (JSON.stringify emits them escaped) become U+FFFD.
                            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                        }
                        _ => return Err("bad escape".into()),
                    }
                }
                _ => return Err("unterminated string".into()),
            }
        }
    }

    fn number(&mut self) -> Result<Raw, String> {
        let start = self.i;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.peek() {
            self.i += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).map_err(|_| "bad number")?;
        // JS numbers are doubles: keep them as Num so "1.5" and "1e400" are judged as written.
        super::num::parse_f64(text)
            .map(Raw::Num)
            .ok_or_else(|| format!("bad number {}", quote(text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_json_with_markers() {
        let v = Raw::parse_json(r#"{"n":{"\u0001num":"NaN"},"k":{"\u0001int":"12345678901234567890"},"f":{"\u0001other":"a function"},"s":"a\"b\u00e9","l":[1,2.5,-3e2,true,null]}"#).unwrap();
        assert!(matches!(v.get("n"), Some(Raw::Num(x)) if x.is_nan()));
        assert_eq!(v.get("k"), Some(&Raw::Int(12345678901234567890)));
        assert_eq!(v.get("f"), Some(&Raw::Other("a function".into())));
        assert_eq!(v.get("s"), Some(&Raw::Str("a\"bé".into())));
        assert_eq!(
            v.get("l"),
            Some(&Raw::List(vec![
                Raw::Num(1.0),
                Raw::Num(2.5),
                Raw::Num(-300.0),
                Raw::Bool(true),
                Raw::Null
            ]))
        );
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for bad in [
            "",
            "{",
            "[1,",
            "{\"a\" 1}",
            "\"\\u12\"",
            "tru",
            "{\"a\":1}x",
            &"[".repeat(200),
        ] {
            assert!(Raw::parse_json(bad).is_err(), "{bad}");
        }
    }
}
