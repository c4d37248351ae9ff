//! Where the tables go: a [`Sink`] opens one writer per file (memory, a
//! folder, anything implementing [`Write`]); [`Table`] writes CSV rows to it
//! and counts rows and bytes.

use super::defects::Defect;
use serde::Serialize;
use std::io::{self, Write};

/// A destination for the generated files.
pub trait Sink {
    /// The writer of one file.
    type Writer: Write;
    /// Opens the file `name` for writing.
    fn create(&mut self, name: &str) -> io::Result<Self::Writer>;
    /// Called once the file is complete (flush, close, keep).
    fn finish(&mut self, name: &str, writer: Self::Writer) -> io::Result<()>;
}

/// Keeps the files in memory, in the order they were finished.
#[derive(Default, Debug)]
pub struct MemorySink {
    files: Vec<(String, Vec<u8>)>,
}

impl MemorySink {
    /// The files written, as `(name, bytes)`.
    pub fn into_files(self) -> Vec<(String, Vec<u8>)> {
        self.files
    }
}

impl Sink for MemorySink {
    type Writer = Vec<u8>;

    fn create(&mut self, _name: &str) -> io::Result<Vec<u8>> {
        Ok(Vec::new())
    }

    fn finish(&mut self, name: &str, writer: Vec<u8>) -> io::Result<()> {
        self.files.push((name.to_string(), writer));
        Ok(())
    }
}

/// Writes files into a folder.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct DirSink {
    dir: std::path::PathBuf,
}

#[cfg(not(target_arch = "wasm32"))]
impl DirSink {
    pub(crate) fn new(dir: &std::path::Path) -> Self {
        DirSink {
            dir: dir.to_path_buf(),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Sink for DirSink {
    type Writer = io::BufWriter<std::fs::File>;

    fn create(&mut self, name: &str) -> io::Result<Self::Writer> {
        let path = self.dir.join(name);
        let file = std::fs::File::create(&path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        Ok(io::BufWriter::with_capacity(1 << 20, file))
    }

    fn finish(&mut self, _name: &str, mut writer: Self::Writer) -> io::Result<()> {
        writer.flush()
    }
}

/// What one file holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    /// File name.
    pub name: String,
    /// Data rows (without the header).
    pub rows: usize,
    /// Size in bytes.
    pub bytes: u64,
}

/// What a generation wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// One entry per file, in the order written.
    pub files: Vec<FileSummary>,
    /// Organisations per level: preschool, school, college, university.
    pub organisations: [usize; 4],
    /// Programme units (colleges' specialties and universities' programmes).
    pub programmes: usize,
    /// The planted defects (empty unless requested).
    pub defects: Vec<Defect>,
}

/// Counts the bytes going through a writer.
pub(crate) struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// One CSV table being written.
pub(crate) struct Table<W: Write> {
    pub name: &'static str,
    writer: csv::Writer<Counting<W>>,
    /// Data rows written so far.
    pub rows: usize,
}

impl<W: Write> Table<W> {
    /// Opens a table and writes its header.
    pub fn open<S: Sink<Writer = W>>(
        sink: &mut S,
        name: &'static str,
        header: &[&str],
    ) -> io::Result<Self> {
        let inner = sink.create(name)?;
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Counting { inner, bytes: 0 });
        writer.write_record(header).map_err(io::Error::other)?;
        Ok(Table {
            name,
            writer,
            rows: 0,
        })
    }

    /// The 1-based row number (as a spreadsheet shows it, header = 1) the next row gets.
    pub fn next_row_number(&self) -> usize {
        self.rows + 2
    }

    /// Writes one data row.
    pub fn row<I, T>(&mut self, fields: I) -> io::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.writer.write_record(fields).map_err(io::Error::other)?;
        self.rows += 1;
        Ok(())
    }

    /// Finishes the file.
    pub fn close<S: Sink<Writer = W>>(self, sink: &mut S) -> io::Result<FileSummary> {
        let counting = self
            .writer
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        let summary = FileSummary {
            name: self.name.to_string(),
            rows: self.rows,
            bytes: counting.bytes,
        };
        sink.finish(self.name, counting.inner)?;
        Ok(summary)
    }
}
