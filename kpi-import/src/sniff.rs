//! What a source is: its format (by content first, then extension) and, for
//! text, its encoding (UTF-8 with or without BOM, UTF-16 with BOM,
//! Windows-1251), decoded to UTF-8.

/// The format of a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Csv,
    Xlsx,
    Json,
    /// Parquet or Arrow IPC (read with the `parquet` feature).
    Columnar(Container),
}

/// The container of a columnar source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Container {
    /// Apache Parquet.
    Parquet,
    /// Arrow IPC file format (`.arrow`, `.feather` v2).
    ArrowFile,
    /// Arrow IPC stream format (`.arrows`).
    ArrowStream,
}

impl Container {
    /// The format's name, for messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Container::Parquet => "Parquet",
            Container::ArrowFile => "Arrow IPC",
            Container::ArrowStream => "Arrow IPC stream",
        }
    }

    /// The container a file's bytes announce, if any: Parquet starts with
    /// `PAR1`, an Arrow IPC file with `ARROW1`, a stream with the
    /// continuation marker `FF FF FF FF`. An extension of one of them on
    /// other bytes names the container too (a damaged file gets that
    /// format's message, not "binary, not CSV").
    fn of(name: &str, bytes: &[u8]) -> Option<Container> {
        if bytes.starts_with(b"PAR1") {
            return Some(Container::Parquet);
        }
        if bytes.starts_with(b"ARROW1") {
            return Some(Container::ArrowFile);
        }
        if bytes.starts_with(&[0xFF, 0xFF, 0xFF, 0xFF]) {
            return Some(Container::ArrowStream);
        }
        match extension(name).as_str() {
            "parquet" | "parq" | "pq" => Some(Container::Parquet),
            "arrow" | "feather" | "ipc" => Some(Container::ArrowFile),
            "arrows" => Some(Container::ArrowStream),
            _ => None,
        }
    }
}

/// Why a source cannot be read at all.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Unreadable {
    /// 1-based row (line) the problem was found on, when it has one.
    pub row: Option<u64>,
    pub message: String,
}

impl Unreadable {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Unreadable {
            row: None,
            message: message.into(),
        }
    }
    pub(crate) fn at(row: u64, message: impl Into<String>) -> Self {
        Unreadable {
            row: Some(row),
            message: message.into(),
        }
    }
}

fn extension(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Extensions of files read as lines of text (a line longer than the limit is an error).
#[cfg(not(target_arch = "wasm32"))]
const LINE_EXTENSIONS: &[&str] = &["csv", "tsv", "txt"];

/// Extensions of files with no lines to cap: spreadsheets, JSON and the binary
/// Parquet and Arrow IPC containers, read whole.
#[cfg(not(target_arch = "wasm32"))]
const WHOLE_EXTENSIONS: &[&str] = &[
    "xlsx", "xlsm", "json", "parquet", "parq", "pq", "arrow", "feather", "ipc", "arrows",
];

/// Whether a file name has an extension the importer reads (for folder walks).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn known_extension(name: &str) -> bool {
    let ext = extension(name);
    LINE_EXTENSIONS.contains(&ext.as_str()) || WHOLE_EXTENSIONS.contains(&ext.as_str())
}

/// Whether a file is read whole, with no cap on its line length (by its extension).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn read_whole(name: &str) -> bool {
    WHOLE_EXTENSIONS.contains(&extension(name).as_str())
}

/// Detects the format: zip magic → XLSX; `[`/`{` first → JSON; otherwise
/// text → CSV. Old binary workbooks and binary garbage are refused.
pub(crate) fn detect_format(name: &str, bytes: &[u8]) -> Result<Format, Unreadable> {
    let ext = extension(name);
    if bytes.is_empty() {
        return Err(Unreadable::new("the file is empty"));
    }
    if let Some(c) = Container::of(name, bytes) {
        return Ok(Format::Columnar(c));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(Format::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Unreadable::new(
            "this is an old binary Excel workbook (.xls); save it as .xlsx or CSV",
        ));
    }
    if matches!(ext.as_str(), "xlsx" | "xlsm") {
        return Err(Unreadable::new(
            "the file has an .xlsx name but is not an XLSX workbook (it may be truncated or damaged)",
        ));
    }
    let first = first_text_byte(bytes);
    if ext == "json" || matches!(first, Some(b'[') | Some(b'{')) {
        return Ok(Format::Json);
    }
    if looks_binary(bytes) {
        return Err(Unreadable::new(
            "the file is binary, not CSV, XLSX or JSON text",
        ));
    }
    Ok(Format::Csv)
}

/// The first non-space byte after any BOM (UTF-16 read by its low byte).
fn first_text_byte(bytes: &[u8]) -> Option<u8> {
    let (body, step) = if bytes.starts_with(&[0xFF, 0xFE]) {
        (&bytes[2..], 2)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        (bytes.get(3..).unwrap_or(&[]), 2)
    } else if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        (&bytes[3..], 1)
    } else {
        (bytes, 1)
    };
    body.iter()
        .step_by(step)
        .take(4096)
        .copied()
        .find(|b| !b.is_ascii_whitespace())
}

fn has_utf16_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// Control bytes other than tab, CR, LF and form feed in the first 8 KiB of a
/// file without a UTF-16 BOM mean binary data (text in any supported
/// encoding has none); NUL-rich text is UTF-16 without BOM, refused with its own message.
fn looks_binary(bytes: &[u8]) -> bool {
    if has_utf16_bom(bytes) {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C) && b != 0)
        .count();
    let nuls = head.iter().filter(|&&b| b == 0).count();
    // UTF-16 text without a BOM: every other byte is NUL, nothing else odd.
    if nuls * 3 >= head.len() && controls == 0 {
        return false;
    }
    controls > 0 || nuls > 0
}

/// The encoding a text source was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1251,
}

impl Encoding {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Windows1251 => "Windows-1251",
        }
    }
}

/// Text decoded to UTF-8: `text[start..]` is the content (after any BOM).
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: Vec<u8>,
    pub start: usize,
    pub encoding: Encoding,
}

fn line_of(bytes: &[u8], offset: usize) -> u64 {
    memchr::memchr_iter(b'\n', &bytes[..offset.min(bytes.len())]).count() as u64 + 1
}

/// Decodes a text source to UTF-8 without copying when it already is UTF-8.
/// A file that switches encoding part-way (UTF-8 rows then Windows-1251
/// rows, or the reverse) is refused with the first row in the other encoding.
pub(crate) fn decode(bytes: Vec<u8>) -> Result<Decoded, Unreadable> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let (enc, encoding) = if bytes[0] == 0xFF {
            (encoding_rs::UTF_16LE, Encoding::Utf16Le)
        } else {
            (encoding_rs::UTF_16BE, Encoding::Utf16Be)
        };
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[2..]);
        if had_errors {
            let row = text
                .find('\u{fffd}')
                .map(|i| line_of(text.as_bytes(), i))
                .unwrap_or(1);
            return Err(Unreadable::at(
                row,
                format!(
                    "invalid {} text (odd byte count or broken surrogate pair)",
                    encoding.name()
                ),
            ));
        }
        return Ok(Decoded {
            text: text.into_owned().into_bytes(),
            start: 0,
            encoding,
        });
    }
    let (start, bom) = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        (3, true)
    } else {
        (0, false)
    };
    let head = &bytes[..bytes.len().min(8192)];
    if !bom && head.iter().filter(|&&b| b == 0).count() * 3 >= head.len() {
        return Err(Unreadable::new(
            "the file looks like UTF-16 text without a byte-order mark; save it as UTF-8 (or UTF-16 with BOM)",
        ));
    }
    match std::str::from_utf8(&bytes[start..]) {
        Ok(_) => Ok(Decoded {
            text: bytes,
            start,
            encoding: if bom {
                Encoding::Utf8Bom
            } else {
                Encoding::Utf8
            },
        }),
        Err(e) => {
            let bad = start + e.valid_up_to();
            let before = &bytes[start..bad];
            if bom || !before.is_ascii() {
                let row = line_of(&bytes, bad);
                return Err(Unreadable::at(
                    row,
                    format!(
                        "row {row} is not valid UTF-8 although the rows before it are UTF-8: the file mixes encodings; save it again in one encoding (UTF-8)"
                    ),
                ));
            }
            // No UTF-8 before the first non-ASCII byte: Windows-1251, unless
            // UTF-8 Cyrillic shows up later (the reverse mix).
            if let Some(off) = utf8_cyrillic_run(&bytes[bad..]) {
                let row = line_of(&bytes, bad + off);
                let first = line_of(&bytes, bad);
                return Err(Unreadable::at(
                    row,
                    format!(
                        "row {row} is UTF-8 but row {first} is Windows-1251: the file mixes encodings; save it again in one encoding (UTF-8)"
                    ),
                ));
            }
            let (text, _, _) = encoding_rs::WINDOWS_1251.decode(&bytes);
            Ok(Decoded {
                text: text.into_owned().into_bytes(),
                start: 0,
                encoding: Encoding::Windows1251,
            })
        }
    }
}

/// The offset of two consecutive UTF-8-encoded Cyrillic letters (`D0`/`D1`
/// lead bytes), which Windows-1251 text practically never contains.
fn utf8_cyrillic_run(bytes: &[u8]) -> Option<usize> {
    let is_lead = |b: u8| b == 0xD0 || b == 0xD1 || b == 0xD2 || b == 0xD3;
    let is_cont = |b: u8| (0x80..=0xBF).contains(&b);
    bytes
        .windows(4)
        .position(|w| is_lead(w[0]) && is_cont(w[1]) && is_lead(w[2]) && is_cont(w[3]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(detect_format("a.csv", b"org_id,name\n"), Ok(Format::Csv));
        assert_eq!(detect_format("a.txt", b"  [ {} ]"), Ok(Format::Json));
        assert_eq!(detect_format("a.bin", b"PK\x03\x04rest"), Ok(Format::Xlsx));
        assert!(detect_format("a.xlsx", b"org_id").is_err());
        assert!(detect_format("a.csv", b"").is_err());
        assert!(detect_format("a.csv", &[0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]).is_err());
        assert!(detect_format("a.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).is_err());
    }

    #[test]
    fn encodings() {
        let d = decode("ұйым\n".as_bytes().to_vec()).unwrap();
        assert_eq!(d.encoding, Encoding::Utf8);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("а\n".as_bytes());
        let d = decode(bom).unwrap();
        assert_eq!(
            (d.encoding, &d.text[d.start..]),
            (Encoding::Utf8Bom, "а\n".as_bytes())
        );
        let (cp, _, _) = encoding_rs::WINDOWS_1251.encode("код,область\nА1,Алматы\n");
        let d = decode(cp.into_owned()).unwrap();
        assert_eq!(d.encoding, Encoding::Windows1251);
        assert_eq!(
            String::from_utf8(d.text).unwrap(),
            "код,область\nА1,Алматы\n"
        );
        let mut le = vec![0xFF, 0xFE];
        for u in "год;x\n".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(le).unwrap();
        assert_eq!(
            (d.encoding, String::from_utf8(d.text).unwrap()),
            (Encoding::Utf16Le, "год;x\n".to_string())
        );
    }

    #[test]
    fn mixed_encodings_name_the_row() {
        let mut bytes = "org_id,name\nA1,Мектеп\n".as_bytes().to_vec();
        let (cp, _, _) = encoding_rs::WINDOWS_1251.encode("A2,Школа\n");
        bytes.extend_from_slice(&cp);
        let err = decode(bytes).unwrap_err();
        assert_eq!(err.row, Some(3));
        let (cp, _, _) = encoding_rs::WINDOWS_1251.encode("org_id,name\nA1,Школа\n");
        let mut bytes = cp.into_owned();
        bytes.extend_from_slice("A2,Мектеп\n".as_bytes());
        let err = decode(bytes).unwrap_err();
        assert_eq!(err.row, Some(3), "{}", err.message);
    }
}
