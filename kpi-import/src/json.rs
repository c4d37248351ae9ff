//! JSON sources: an array of objects (one table, named by the file), or an
//! object whose members are arrays of objects (one table per member,
//! `{ "organisations": [...], "observations": [...] }`).

use super::limits::Limits;
use super::sniff::{decode, Unreadable};
use super::table::{Body, OwnedCell, RawTable};
use kpi_model::validate::{Issue, IssueCode, Location, Severity};
use serde_json::Value;
use std::collections::HashMap;

fn error(file: &str, sheet: Option<String>, e: Unreadable, bytes: u64) -> RawTable {
    RawTable::failed(
        file,
        sheet.clone(),
        Issue {
            severity: Severity::Error,
            code: IssueCode::UnreadableFile,
            location: Location {
                file: file.to_string(),
                sheet,
                row: e.row,
                column: None,
            },
            found: None,
            expected: None,
            suggestion: None,
            message: e.message,
        },
        bytes,
    )
}

/// The deepest nesting of arrays and objects, and the line where `max` is
/// first exceeded (checked before parsing, so a hostile file cannot exhaust the stack).
fn too_deep(text: &[u8], max: usize) -> Option<u64> {
    let (mut depth, mut line, mut in_string, mut escaped) = (0usize, 1u64, false, false);
    for &b in text {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(line);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn cell(v: &Value) -> OwnedCell {
    match v {
        Value::Null => OwnedCell::Empty,
        Value::Bool(b) => OwnedCell::Bool(*b),
        Value::Number(n) => n.as_f64().map_or(
            OwnedCell::Invalid("a number out of range"),
            OwnedCell::Number,
        ),
        Value::String(s) => OwnedCell::Text(s.clone()),
        Value::Array(_) | Value::Object(_) => OwnedCell::Invalid("a nested array or object"),
    }
}

fn table(
    file: &str,
    sheet: Option<String>,
    items: &[Value],
    limits: &Limits,
    bytes: u64,
) -> RawTable {
    if items.len() as u64 > limits.max_rows {
        return error(
            file,
            sheet,
            Unreadable::new(format!(
                "{} records, more than the limit of {}",
                items.len(),
                limits.max_rows
            )),
            bytes,
        );
    }
    let mut headers: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(map) = item else {
            return error(
                file,
                sheet,
                Unreadable::at(
                    i as u64 + 1,
                    format!("record {} is not an object of named fields", i + 1),
                ),
                bytes,
            );
        };
        for k in map.keys() {
            if !index.contains_key(k) {
                if headers.len() >= limits.max_columns {
                    return error(
                        file,
                        sheet,
                        Unreadable::at(
                            i as u64 + 1,
                            format!("more than {} distinct fields", limits.max_columns),
                        ),
                        bytes,
                    );
                }
                index.insert(k.clone(), headers.len());
                headers.push(k.clone());
            }
        }
    }
    let rows: Vec<Vec<OwnedCell>> = items
        .iter()
        .map(|item| {
            let mut row = vec![OwnedCell::Empty; headers.len()];
            if let Value::Object(map) = item {
                for (k, v) in map {
                    if let Some(&c) = index.get(k) {
                        row[c] = cell(v);
                    }
                }
            }
            row
        })
        .collect();
    RawTable {
        file: file.to_string(),
        sheet,
        empty: rows.is_empty(),
        headers,
        body: Body::Records { rows },
        notes: Vec::new(),
        failed: false,
        bytes,
        in_workbook: false,
        header_row: 1,
        units: Vec::new(),
    }
}

/// Opens a JSON source as one or more tables.
pub(crate) fn open(file: &str, bytes: Vec<u8>, limits: &Limits) -> Vec<RawTable> {
    let size = bytes.len() as u64;
    let decoded = match decode(bytes) {
        Ok(d) => d,
        Err(e) => return vec![error(file, None, e, size)],
    };
    let text = &decoded.text[decoded.start..];
    if let Some(line) = too_deep(text, limits.max_json_depth) {
        return vec![error(
            file,
            None,
            Unreadable::at(
                line,
                format!("JSON nested deeper than {} levels", limits.max_json_depth),
            ),
            size,
        )];
    }
    let value: Value = match serde_json::from_slice(text) {
        Ok(v) => v,
        Err(e) => {
            return vec![error(
                file,
                None,
                Unreadable::at(e.line() as u64, format!("not valid JSON: {e}")),
                size,
            )]
        }
    };
    match value {
        Value::Array(items) => vec![table(file, None, &items, limits, size)],
        Value::Object(map) => {
            let n = map.len().max(1) as u64;
            let tables: Vec<RawTable> = map
                .iter()
                .filter_map(|(k, v)| match v {
                    Value::Array(items) => {
                        Some(table(file, Some(k.clone()), items, limits, size / n))
                    }
                    _ => None,
                })
                .collect();
            if tables.is_empty() {
                vec![error(
                    file,
                    None,
                    Unreadable::new("expected an array of records, or an object whose members are arrays of records (\"organisations\": [...])"),
                    size,
                )]
            } else {
                tables
            }
        }
        _ => vec![error(
            file,
            None,
            Unreadable::new(
                "expected an array of records, or an object whose members are arrays of records",
            ),
            size,
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_checked_before_parsing() {
        assert_eq!(too_deep(b"[[[1]]]", 3), None);
        assert_eq!(too_deep(b"[\n[[[1]]]]", 3), Some(2));
        assert_eq!(too_deep(b"[\"[[[[[\"]", 2), None);
    }

    #[test]
    fn object_of_tables() {
        let text = br#"{"organisations":[{"org_id":"A","level":"school"}],"observations":[{"org_id":"A","year":2023,"x":null}]}"#;
        let tables = open("d.json", text.to_vec(), &Limits::default());
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0].sheet.as_deref(), Some("organisations"));
        assert_eq!(tables[1].headers, vec!["org_id", "year", "x"]);
    }
}
