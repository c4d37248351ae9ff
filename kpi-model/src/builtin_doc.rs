//! Built-in data files (the metric dictionary, aliases, indicator catalogue, risk criteria)
//! compiled at build time, so that no TOML parser is linked where only they are read (the
//! browser engine).
//!
//! Each crate's `build.rs` parses its `data/*.toml` with the `toml` crate and writes it
//! as a JSON document (the `kpi-builtin-doc` crate): the values of the fields the
//! reading types declare `Spanned` are written `{"$__span": [start, end], "$__value": v}`
//! with their byte span in the TOML file, and the document records the byte offset where
//! each line of the file starts. [`read`] deserializes such a document into the same
//! `#[derive(Deserialize)]` types the TOML parser fills, `Spanned` fields
//! ([`serde_spanned::Spanned`], which `toml::Spanned` is) included, so the built-in data
//! and the positions in it are those of the TOML file. Tests in each crate compare the
//! result with `toml::from_str` of the file.

use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde_json::Value;

/// Where the lines of the original file start, to turn byte offsets into lines.
///
/// ```
/// use kpi_model::builtin_doc::LineStarts;
/// let lines = LineStarts::of_text("a = 1\nb = 2\n");
/// assert_eq!(lines.line_of(0), 1);
/// assert_eq!(lines.line_of(6), 2);
/// assert_eq!(lines.line_col(8), (2, 3));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    /// The line starts of `text`.
    pub fn of_text(text: &str) -> LineStarts {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts(starts)
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, byte: usize) -> usize {
        self.0.partition_point(|&start| start <= byte).max(1)
    }

    /// 1-based line and column of a byte offset. The column counts bytes: the
    /// text itself is not kept (the built-in files' positions only appear in
    /// messages about the built-in files).
    pub fn line_col(&self, byte: usize) -> (usize, usize) {
        let line = self.line_of(byte);
        let start = self.0.get(line - 1).copied().unwrap_or(0);
        (line, byte.saturating_sub(start) + 1)
    }
}

/// An error reading a compiled-in document (a build defect, never bad input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError(String);

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DocError {}

impl de::Error for DocError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DocError(msg.to_string())
    }
}

/// Reads a JSON document written by the `kpi-builtin-doc` crate into `T`, with the
/// line starts of the file it came from.
///
/// ```
/// use kpi_model::builtin_doc::read;
/// #[derive(serde::Deserialize)]
/// struct File { code: serde_spanned::Spanned<String>, weight: f64 }
/// // `code = "x"\nweight = 2.5\n` as build.rs writes it when `code` is declared spanned.
/// let doc = r#"{"line_starts":[0,11,24],"root":{"code":{"$__span":[7,10],"$__value":"x"},"weight":2.5}}"#;
/// let (file, lines): (File, _) = read(doc).unwrap();
/// assert_eq!(file.code.get_ref(), "x");
/// assert_eq!(file.code.span(), 7..10);
/// assert_eq!(file.weight, 2.5);
/// assert_eq!(lines.line_of(20), 2);
/// ```
pub fn read<T: DeserializeOwned>(json: &str) -> Result<(T, LineStarts), DocError> {
    let doc: Value = serde_json::from_str(json).map_err(|e| DocError(e.to_string()))?;
    let line_starts = doc
        .get("line_starts")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_u64)
                .map(|n| n as usize)
                .collect()
        })
        .ok_or_else(|| DocError("no `line_starts` in the document".into()))?;
    let root = doc
        .get("root")
        .ok_or_else(|| DocError("no `root` in the document".into()))?;
    let value = T::deserialize(Node(root))?;
    Ok((value, LineStarts(line_starts)))
}

/// The key of a spanned value's `[start, end]` byte span.
const SPAN: &str = "$__span";
/// The key of a spanned value's value.
const VALUE: &str = "$__value";

/// One value of the document: bare, or `{"$__span": [start, end], "$__value": value}`
/// for the fields the reading types declare `Spanned`. Each `deserialize_*` method calls
/// only the visitor method its type needs, which keeps the code generated per
/// deserialized type small (this runs in the browser engine).
#[derive(Clone, Copy)]
struct Node<'a>(&'a Value);

impl<'a> Node<'a> {
    /// The span (empty at 0 when the document did not keep it) and the value.
    fn parts(self) -> Result<(Range<usize>, &'a Value), DocError> {
        let Some(span) = self.0.get(SPAN) else {
            return Ok((0..0, self.0));
        };
        let bound = |i: usize| span.get(i).and_then(Value::as_u64).map(|n| n as usize);
        match (bound(0), bound(1), self.0.get(VALUE)) {
            (Some(s), Some(e), Some(value)) => Ok((s..e, value)),
            _ => Err(DocError(format!("bad spanned value {}", self.0))),
        }
    }

    fn value(self) -> Result<&'a Value, DocError> {
        self.parts().map(|(_, v)| v)
    }

    fn wrong(value: &Value, expected: &str) -> DocError {
        DocError(format!("expected {expected}, found {value}"))
    }
}

impl<'de> IntoDeserializer<'de, DocError> for Node<'_> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Node<'_> {
    type Error = DocError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DocError> {
        match self.value()? {
            Value::Null => visitor.visit_unit(),
            Value::Bool(_) => self.deserialize_bool(visitor),
            Value::Number(_) => self.deserialize_f64(visitor),
            Value::String(_) => self.deserialize_str(visitor),
            Value::Array(_) => self.deserialize_seq(visitor),
            Value::Object(_) => self.deserialize_map(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DocError> {
        match self.value()? {
            Value::Bool(b) => visitor.visit_bool(*b),
            other => Err(Node::wrong(other, "a boolean")),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DocError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DocError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DocError> {
        match self.value()? {
            // Integers stay integers (TOML tells them apart), as the TOML parser gives them.
            Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => visitor.visit_i64(i),
                (None, Some(u), _) => visitor.visit_u64(u),
                (None, None, Some(f)) => visitor.visit_f64(f),
                _ => Err(Node::wrong(self.0, "a number")),
            },
            other => Err(Node::wrong(other, "a number")),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DocError> {
        match self.value()? {
            Value::String(s) => visitor.visit_str(s),
            other => Err(Node::wrong(other, "a string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DocError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DocError> {
        match self.value()? {
            Value::Array(items) => {
                visitor.visit_seq(de::value::SeqDeserializer::new(items.iter().map(Node)))
            }
            other => Err(Node::wrong(other, "an array")),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DocError> {
        match self.value()? {
            Value::Object(map) => visitor.visit_map(de::value::MapDeserializer::new(
                map.iter().map(|(k, v)| (k.as_str(), Node(v))),
            )),
            other => Err(Node::wrong(other, "a table")),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DocError> {
        // TOML has no null: a value that is present is `Some`.
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DocError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DocError> {
        if serde_spanned::de::is_spanned(name) {
            // The field asks for its position, as the TOML deserializer gives it.
            let (span, _) = self.parts()?;
            return visitor.visit_map(serde_spanned::de::SpannedDeserializer::new(self, span));
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DocError> {
        match self.value()? {
            // Unit variants, written as strings in the TOML files.
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            other => Err(Node::wrong(other, "an enum variant name")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DocError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i128 u8 u16 u32 u128 f32 char
        bytes byte_buf unit unit_struct tuple tuple_struct identifier
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_count_lines_from_one() {
        let lines = LineStarts::of_text("ab\n\ncd");
        // Offsets 0–2 are line 1 (the newline included), 3 is the empty line 2, 4– line 3.
        let got: Vec<usize> = (0..6).map(|b| lines.line_of(b)).collect();
        assert_eq!(got, [1, 1, 1, 2, 3, 3]);
        assert_eq!(lines.line_col(5), (3, 2));
    }

    #[test]
    fn spans_the_document_did_not_keep_are_empty_and_bad_ones_are_errors() {
        #[derive(serde::Deserialize, Debug)]
        struct F {
            a: serde_spanned::Spanned<i64>,
        }
        let (f, _) = read::<F>(r#"{"line_starts":[],"root":{"a":1}}"#).unwrap();
        assert_eq!((*f.a.get_ref(), f.a.span()), (1, 0..0));
        let e = read::<F>(r#"{"line_starts":[],"root":{"a":{"$__span":[1],"$__value":1}}}"#)
            .unwrap_err();
        assert!(e.to_string().starts_with("bad spanned value"), "{e}");
    }
}
