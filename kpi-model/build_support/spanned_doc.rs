//! Build-time half of `kpi_model::builtin_doc`: turns a TOML data file into the spanned
//! JSON document the crates compile in, so that the TOML parser runs at build time only.
//! Included by the `build.rs` of kpi-model, kpi-import, kpi-indicators and kpi-risk
//! (`#[path = "../kpi-model/build_support/spanned_doc.rs"] mod spanned_doc;`), which
//! have `toml`, `serde` and `serde_json` as build-dependencies.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{json, Map, Value};

/// A TOML value with its byte span in the file, as `[start, end, value]`.
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

/// Parses `data` (relative to the crate) and writes its spanned JSON document to
/// `$OUT_DIR/<out_name>`.
pub fn compile(data: &str, out_name: &str) {
    let source = Path::new(data);
    println!("cargo::rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(source)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", source.display()));
    // The runtime readers strip a byte-order mark before parsing; so does this.
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let SpannedNode(root) = toml::from_str(body)
        .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", source.display()));
    let mut line_starts = vec![0];
    line_starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
    let doc = json!({ "line_starts": line_starts, "root": root });
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo")).join(out_name);
    std::fs::write(&dest, doc.to_string())
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}
