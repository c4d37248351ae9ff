//! Build-time half of `kpi_model::builtin_doc`: turns a TOML data file into the spanned
//! JSON document the crates compile in, so that the TOML parser runs at build time only.
//! A build-dependency of kpi-model, kpi-import, kpi-indicators and kpi-risk, whose
//! `build.rs` each call [`compile`] on their data file.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{json, Map, Value};

/// A TOML value with its byte span in the file, as `[start, end, value]` (then trimmed
/// by `keep_spans`).
struct SpannedNode(Value);

impl<'de> Deserialize<'de> for SpannedNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = toml::Spanned::<Plain>::deserialize(d)?;
        let span = spanned.span();
        Ok(SpannedNode(json!([
            span.start,
            span.end,
            spanned.into_inner().0
        ])))
    }
}

/// A TOML value whose inner values are [`SpannedNode`]s.
struct Plain(Value);

impl<'de> Deserialize<'de> for Plain {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PlainVisitor)
    }
}

struct PlainVisitor;

impl<'de> Visitor<'de> for PlainVisitor {
    type Value = Plain;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a TOML value (dates are not used in the data files)")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Plain, E> {
        Ok(Plain(Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Plain, E> {
        Ok(Plain(Value::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Plain, E> {
        Ok(Plain(Value::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Plain, E> {
        serde_json::Number::from_f64(v)
            .map(|n| Plain(Value::Number(n)))
            .ok_or_else(|| E::custom(format!("{v} cannot be written in JSON")))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Plain, E> {
        Ok(Plain(Value::String(v.to_string())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Plain, A::Error> {
        let mut items = Vec::new();
        while let Some(SpannedNode(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Plain(Value::Array(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Plain, A::Error> {
        let mut out = Map::new();
        while let Some((k, SpannedNode(v))) = map.next_entry::<String, SpannedNode>()? {
            out.insert(k, v);
        }
        Ok(Plain(Value::Object(out)))
    }
}

/// The key of a spanned value's `[start, end]` byte span (see `kpi_model::builtin_doc`).
const SPAN: &str = "$__span";
/// The key of a spanned value's value.
const VALUE: &str = "$__value";

/// Keeps the span of the values at `spanned` paths (`indicator[].code`: the `code` key of
/// each element of the `indicator` array) as `{SPAN: [start, end], VALUE: value}`, and
/// writes every other value bare.
fn keep_spans(node: Value, path: &str, spanned: &[&str]) -> Value {
    let Value::Array(mut parts) = node else {
        unreachable!("every node is [start, end, value]")
    };
    let value = parts.pop().unwrap_or(Value::Null);
    let value = match value {
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| keep_spans(v, &format!("{path}[]"), spanned))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let inner = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    let v = keep_spans(v, &inner, spanned);
                    (k, v)
                })
                .collect(),
        ),
        other => other,
    };
    if spanned.contains(&path) {
        json!({ SPAN: [parts[0], parts[1]], VALUE: value })
    } else {
        value
    }
}

/// Parses `data` (relative to the crate) and writes its JSON document to
/// `$OUT_DIR/<out_name>`, keeping the byte spans of the values at the `spanned` paths
/// (the fields the reading types declare `Spanned`; each crate's test compares them
/// with the TOML parser's) and, when there are any, the line starts of the file.
///
/// Meant for a `build.rs` (it reads `OUT_DIR` and prints `cargo::rerun-if-changed`);
/// a data file that does not parse stops the build with its error.
///
/// ```no_run
/// // build.rs of a crate with data/criteria.toml
/// kpi_builtin_doc::compile("data/criteria.toml", "criteria.json", &["criterion[].id"]);
/// // src/: include_str!(concat!(env!("OUT_DIR"), "/criteria.json"))
/// ```
pub fn compile(data: &str, out_name: &str, spanned: &[&str]) {
    let source = Path::new(data);
    println!("cargo::rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(source)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", source.display()));
    // The runtime readers strip a byte-order mark before parsing; so does this.
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let SpannedNode(root) = toml::from_str(body)
        .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", source.display()));
    let mut line_starts = Vec::new();
    if !spanned.is_empty() {
        line_starts.push(0);
        line_starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
    }
    let doc = json!({ "line_starts": line_starts, "root": keep_spans(root, "", spanned) });
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo")).join(out_name);
    std::fs::write(&dest, doc.to_string())
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}
