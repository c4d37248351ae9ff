//! Workbooks for the hostile cases, built in memory: a good workbook from
//! rust_xlsxwriter, and a hand-written zip container around it so that a part
//! can be replaced by a raw deflate stream with any declared size (the zip
//! writer of the `zip` crate would always declare the true one).

use flate2::{Compress, Compression, FlushCompress};
use std::io::{Cursor, Read};

/// One part of a hand-built zip: its bytes as stored, the compression method
/// (0 stored, 8 deflate), the CRC and the uncompressed size the directory declares.
pub struct Part {
    pub name: String,
    pub stored: Vec<u8>,
    pub method: u16,
    pub crc: u32,
    pub declared: u32,
}

impl Part {
    /// A part stored uncompressed, honestly described.
    pub fn plain(name: &str, data: &[u8]) -> Part {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        Part {
            name: name.to_string(),
            stored: data.to_vec(),
            method: 0,
            crc: crc.sum(),
            declared: data.len() as u32,
        }
    }
}

/// The parts of a workbook, uncompressed, in directory order.
pub fn parts_of(xlsx: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).expect("an entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("readable entry");
            (f.name().expect("entry name").to_string(), data)
        })
        .collect()
}

/// Writes a zip container (local headers, central directory, end record).
pub fn zip_of(parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let le16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let le32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for p in parts {
        let offset = out.len() as u32;
        let name = p.name.as_bytes();
        le32(&mut out, 0x0403_4b50);
        le16(&mut out, 20); // version needed
        le16(&mut out, 0); // flags
        le16(&mut out, p.method);
        le16(&mut out, 0); // time
        le16(&mut out, 0x21); // date: 1980-01-01
        le32(&mut out, p.crc);
        le32(&mut out, p.stored.len() as u32);
        le32(&mut out, p.declared);
        le16(&mut out, name.len() as u16);
        le16(&mut out, 0); // extra
        out.extend_from_slice(name);
        out.extend_from_slice(&p.stored);

        le32(&mut central, 0x0201_4b50);
        le16(&mut central, 20); // version made by
        le16(&mut central, 20);
        le16(&mut central, 0);
        le16(&mut central, p.method);
        le16(&mut central, 0);
        le16(&mut central, 0x21);
        le32(&mut central, p.crc);
        le32(&mut central, p.stored.len() as u32);
        le32(&mut central, p.declared);
        le16(&mut central, name.len() as u16);
        le16(&mut central, 0); // extra
        le16(&mut central, 0); // comment
        le16(&mut central, 0); // disk
        le16(&mut central, 0); // internal attributes
        le32(&mut central, 0); // external attributes
        le32(&mut central, offset);
        central.extend_from_slice(name);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    le32(&mut out, 0x0605_4b50);
    le16(&mut out, 0);
    le16(&mut out, 0);
    le16(&mut out, parts.len() as u16);
    le16(&mut out, parts.len() as u16);
    le32(&mut out, central.len() as u32);
    le32(&mut out, cd_offset);
    le16(&mut out, 0);
    out
}

/// `head`, then `body` repeated `times`, then `tail`, as one raw deflate
/// stream. `body` is compressed once with a full flush (which resets the
/// window), so its compressed bytes can simply be repeated: gigabytes of XML
/// from a few megabytes, without ever compressing gigabytes.
pub fn deflate_repeated(head: &[u8], body: &[u8], times: usize, tail: &[u8]) -> Vec<u8> {
    fn run(c: &mut Compress, input: &[u8], flush: FlushCompress) -> Vec<u8> {
        let mut out = Vec::with_capacity(input.len() + 1024);
        let start_in = c.total_in();
        loop {
            let done = (c.total_in() - start_in) as usize;
            out.reserve(64 << 10);
            let status = c
                .compress_vec(&input[done..], &mut out, flush)
                .expect("deflate");
            let all_in = (c.total_in() - start_in) as usize == input.len();
            let room_left = out.len() < out.capacity();
            if (all_in && room_left) || status == flate2::Status::StreamEnd {
                return out;
            }
        }
    }
    let mut c = Compress::new(Compression::best(), false);
    let mut stream = run(&mut c, head, FlushCompress::Full);
    let chunk = run(&mut c, body, FlushCompress::Full);
    for _ in 0..times {
        stream.extend_from_slice(&chunk);
    }
    stream.extend(run(&mut c, tail, FlushCompress::Finish));
    stream
}

/// A raw deflate part: `declared` is what the directory claims it expands to.
pub fn deflated(name: &str, stream: Vec<u8>, declared: u32) -> Part {
    Part {
        name: name.to_string(),
        stored: stream,
        method: 8,
        crc: 0,
        declared,
    }
}

/// The workbook `xlsx` with the part `name` replaced by `part` (the others
/// stored uncompressed, honestly described).
pub fn with_part(xlsx: &[u8], part: Part) -> Vec<u8> {
    let parts: Vec<Part> = parts_of(xlsx)
        .into_iter()
        .map(|(n, data)| {
            if n == part.name {
                Part {
                    name: part.name.clone(),
                    stored: part.stored.clone(),
                    method: part.method,
                    crc: part.crc,
                    declared: part.declared,
                }
            } else {
                Part::plain(&n, &data)
            }
        })
        .collect();
    zip_of(&parts)
}

/// A new sheet of `book` named `name` with `header` in its first row.
pub fn sheet_with_header<'a>(
    book: &'a mut rust_xlsxwriter::Workbook,
    name: &str,
    header: &[&str],
) -> &'a mut rust_xlsxwriter::Worksheet {
    let ws = book.add_worksheet();
    ws.set_name(name).expect("sheet name");
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header written");
    }
    ws
}

/// A one-sheet workbook named `sheet` with the given rows (numbers where the text parses).
pub fn workbook(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*name).expect("sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell.parse::<f64>() {
                    Ok(v) => ws.write_number(r, c, v),
                    Err(_) => ws.write_string(r, c, *cell),
                }
                .expect("cell written");
            }
        }
    }
    book.save_to_buffer().expect("workbook")
}
