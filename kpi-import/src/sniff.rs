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
        let encoding = if bytes[0] == 0xFF {
            Encoding::Utf16Le
        } else {
            Encoding::Utf16Be
        };
        let (text, had_errors) = decode_utf16(&bytes[2..], encoding == Encoding::Utf16Le);
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
            text: text.into_bytes(),
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
            Ok(Decoded {
                text: decode_windows_1251(&bytes).into_bytes(),
                start: 0,
                encoding: Encoding::Windows1251,
            })
        }
    }
}

/// UTF-16 text (without its BOM) as UTF-8, as the WHATWG decoder reads it: an unpaired
/// surrogate or a last odd byte becomes U+FFFD, and the flag says whether any did. Written
/// with the standard library rather than encoding_rs: with the spreadsheet reader gone
/// from the browser's engine module, these two decoders are all it needs, and encoding_rs
/// would bring every encoding's tables (tests compare both with encoding_rs byte by byte).
fn decode_utf16(bytes: &[u8], little_endian: bool) -> (String, bool) {
    let units = bytes.chunks_exact(2).map(|p| {
        if little_endian {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut had_errors = bytes.len() % 2 == 1;
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    for c in char::decode_utf16(units) {
        text.push(c.unwrap_or_else(|_| {
            had_errors = true;
            char::REPLACEMENT_CHARACTER
        }));
    }
    if bytes.len() % 2 == 1 {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    (text, had_errors)
}

/// The characters of the Windows-1251 bytes 0x80–0xFF (the WHATWG index; bytes below
/// 0x80 are ASCII).
const WINDOWS_1251_HIGH: [char; 128] = [
    '\u{0402}', '\u{0403}', '\u{201A}', '\u{0453}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{20AC}', '\u{2030}', '\u{0409}', '\u{2039}', '\u{040A}', '\u{040C}', '\u{040B}', '\u{040F}',
    '\u{0452}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{0098}', '\u{2122}', '\u{0459}', '\u{203A}', '\u{045A}', '\u{045C}', '\u{045B}', '\u{045F}',
    '\u{00A0}', '\u{040E}', '\u{045E}', '\u{0408}', '\u{00A4}', '\u{0490}', '\u{00A6}', '\u{00A7}',
    '\u{0401}', '\u{00A9}', '\u{0404}', '\u{00AB}', '\u{00AC}', '\u{00AD}', '\u{00AE}', '\u{0407}',
    '\u{00B0}', '\u{00B1}', '\u{0406}', '\u{0456}', '\u{0491}', '\u{00B5}', '\u{00B6}', '\u{00B7}',
    '\u{0451}', '\u{2116}', '\u{0454}', '\u{00BB}', '\u{0458}', '\u{0405}', '\u{0455}', '\u{0457}',
    '\u{0410}', '\u{0411}', '\u{0412}', '\u{0413}', '\u{0414}', '\u{0415}', '\u{0416}', '\u{0417}',
    '\u{0418}', '\u{0419}', '\u{041A}', '\u{041B}', '\u{041C}', '\u{041D}', '\u{041E}', '\u{041F}',
    '\u{0420}', '\u{0421}', '\u{0422}', '\u{0423}', '\u{0424}', '\u{0425}', '\u{0426}', '\u{0427}',
    '\u{0428}', '\u{0429}', '\u{042A}', '\u{042B}', '\u{042C}', '\u{042D}', '\u{042E}', '\u{042F}',
    '\u{0430}', '\u{0431}', '\u{0432}', '\u{0433}', '\u{0434}', '\u{0435}', '\u{0436}', '\u{0437}',
    '\u{0438}', '\u{0439}', '\u{043A}', '\u{043B}', '\u{043C}', '\u{043D}', '\u{043E}', '\u{043F}',
    '\u{0440}', '\u{0441}', '\u{0442}', '\u{0443}', '\u{0444}', '\u{0445}', '\u{0446}', '\u{0447}',
    '\u{0448}', '\u{0449}', '\u{044A}', '\u{044B}', '\u{044C}', '\u{044D}', '\u{044E}', '\u{044F}',
];

/// Windows-1251 text as UTF-8 (every byte is a character).
fn decode_windows_1251(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    let mut rest = bytes;
    while !rest.is_empty() {
        // ASCII runs are copied whole (most of a CSV: delimiters, digits, codes).
        let run = rest
            .iter()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        text.extend(rest[..run].iter().map(|&b| char::from(b)));
        if let Some(&b) = rest.get(run) {
            text.push(WINDOWS_1251_HIGH[usize::from(b & 0x7F)]);
        }
        rest = rest.get(run + 1..).unwrap_or(&[]);
    }
    text
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
    fn windows_1251_is_encoding_rs_for_every_byte() {
        let all: Vec<u8> = (0..=255).collect();
        let (want, _) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(&all);
        assert_eq!(decode_windows_1251(&all), want);
        // By hand: А (0xC0), я (0xFF), Ё (0xA8), Ў (0xA1), € (0x88), № (0xB9).
        assert_eq!(
            decode_windows_1251(&[0xC0, 0xFF, 0xA8, 0xA1, 0x88, 0xB9]),
            "АяЁЎ€№"
        );
    }

    #[test]
    fn utf16_is_encoding_rs_with_its_errors() {
        let cases: [&[u8]; 7] = [
            b"",
            &[0x41, 0x00, 0x1F, 0x04],             // "AП" (LE)
            &[0x3D, 0xD8, 0x00, 0xDE],             // 😀 (LE pair)
            &[0x3D, 0xD8, 0x41, 0x00],             // lone high surrogate
            &[0x00, 0xDE, 0x41, 0x00],             // lone low surrogate
            &[0x41, 0x00, 0x42],                   // odd byte count
            &[0xFD, 0xFF, 0x0A, 0x00, 0x3D, 0xD8], // U+FFFD written, then a cut pair
        ];
        for bytes in cases {
            for le in [true, false] {
                let enc = if le {
                    encoding_rs::UTF_16LE
                } else {
                    encoding_rs::UTF_16BE
                };
                let (want, errors) = enc.decode_without_bom_handling(bytes);
                assert_eq!(
                    decode_utf16(bytes, le),
                    (want.into_owned(), errors),
                    "{bytes:?} le={le}"
                );
            }
        }
        assert_eq!(decode_utf16(&[0x1F, 0x04, 0x30, 0x04], true).0, "Па");
        assert_eq!(decode_utf16(&[0x04, 0x1F, 0x04, 0x30], false).0, "Па");
    }

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
