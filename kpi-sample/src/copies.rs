//! Larger record tables for exercising the scale path: the record tables of
//! a CSV sample folder written `n` times over, each copy with its own
//! student and respondent ids, so that every count derived from them is `n`
//! times the original and every mean and share is unchanged.

use crate::FileSummary;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

/// The record tables and the column of each whose ids a copy renames.
const RECORD_TABLES: [(&str, &str); 3] = [
    ("students.csv", "student_id"),
    ("grades.csv", "student_id"),
    ("surveys.csv", "respondent_id"),
];

/// Rewrites `students.csv`, `grades.csv` and `surveys.csv` of a CSV sample
/// folder as `copies` copies of their rows: copy 0 is the original, copy
/// `k` has its ids prefixed with `R{k}-`. Streams line by line (a copy of a
/// national table is never held in memory). Returns the files rewritten.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("kpi-copies-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("students.csv"), "student_id,org_id,year\nS1,O1,2023\n").unwrap();
/// let files = kpi_sample::write_copies(&dir, 3).unwrap();
/// assert_eq!(files[0].rows, 3);
/// let text = std::fs::read_to_string(dir.join("students.csv")).unwrap();
/// assert_eq!(text, "student_id,org_id,year\nS1,O1,2023\nR1-S1,O1,2023\nR2-S1,O1,2023\n");
/// std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn write_copies(dir: &Path, copies: usize) -> std::io::Result<Vec<FileSummary>> {
    let mut written = Vec::new();
    for (name, id_column) in RECORD_TABLES {
        let path = dir.join(name);
        if !path.is_file() || copies <= 1 {
            continue;
        }
        let tmp = dir.join(format!(".{name}.copies"));
        let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
        let mut header = String::new();
        BufReader::new(std::fs::File::open(&path)?).read_line(&mut header)?;
        out.write_all(header.as_bytes())?;
        let at = header
            .trim_end()
            .split(',')
            .position(|h| h == id_column)
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{}: no {id_column} column", path.display()),
                )
            })?;
        let mut rows = 0;
        for k in 0..copies {
            let mut lines = BufReader::with_capacity(1 << 20, std::fs::File::open(&path)?).lines();
            lines.next().transpose()?;
            for line in lines {
                let line = line?;
                if k == 0 {
                    out.write_all(line.as_bytes())?;
                } else {
                    // The id field starts after `at` commas (the sample writes no
                    // quoted field before an id column).
                    let start = line
                        .match_indices(',')
                        .nth(at.wrapping_sub(1))
                        .map_or(0, |(i, _)| if at == 0 { 0 } else { i + 1 });
                    out.write_all(&line.as_bytes()[..start])?;
                    write!(out, "R{k}-")?;
                    out.write_all(&line.as_bytes()[start..])?;
                }
                out.write_all(b"\n")?;
                rows += 1;
            }
        }
        out.flush()?;
        drop(out);
        std::fs::rename(&tmp, &path)?;
        written.push(FileSummary {
            name: name.to_string(),
            rows,
            bytes: std::fs::metadata(&path)?.len(),
        });
    }
    Ok(written)
}
