//! A small static file server for the demo: `demo/` at `/`, the built widgets
//! at `/kpi/`. Optionally sends the strict Content-Security-Policy of docs/widgets.md.

use anyhow::{anyhow, Result};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// The strict policy the widgets must work under (docs/widgets.md).
pub const STRICT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data: blob:; worker-src 'self'; connect-src 'self'; \
object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The headers that make a page cross-origin isolated, so that its dataset worker may use
/// shared memory and spread a load over two or more cores (docs/widgets.md, "Two cores").
pub const CROSS_ORIGIN_ISOLATION: &str =
    "Cross-Origin-Opener-Policy: same-origin\r\nCross-Origin-Embedder-Policy: require-corp\r\n";

/// Whether `file` is served with [`CROSS_ORIGIN_ISOLATION`]: the dashboard (the analyst's
/// page, which loads national exports) and every script, module and data file; not the
/// portal examples and test pages, which show the widgets on an ordinary page (the dataset
/// worker then uses the engine module without threads).
fn isolates(root: &Path, file: &Path) -> bool {
    file.extension().is_none_or(|e| e != "html") || file == root.join("demo").join("index.html")
}

/// Server options.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Send [`STRICT_CSP`] with every response.
    pub strict_csp: bool,
    /// Do not print the URL banner.
    pub quiet: bool,
}

/// Serves until the process ends.
pub fn serve(port: &u16, options: Options) -> Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", *port))
        .map_err(|e| anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    if !options.quiet {
        println!("Demo dashboard:   http://127.0.0.1:{port}/");
        println!("Portal example:   http://127.0.0.1:{port}/portal.html");
        println!("Kyrgyz portal:    http://127.0.0.1:{port}/portal-ky.html");
        println!("(Ctrl+C to stop)");
    }
    serve_on(listener, options)
}

/// Serves on an already bound listener (tests bind port 0 and read the port).
///
/// One thread per connection, and every response closes its connection: a response that
/// the browser reads slowly (a large data file streamed with progress) holds back nothing,
/// and no request waits for a thread. (tiny_http's pool, used before, could leave some of a
/// burst of parallel connections unserved while the others were kept alive: a page whose
/// modules the browser fetched over six connections at once never finished loading.)
pub fn serve_on(listener: TcpListener, options: Options) -> Result<()> {
    let root = crate::root();
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let root = root.clone();
        let options = options.clone();
        std::thread::spawn(move || {
            let _ = respond(&root, &options, stream);
        });
    }
    Ok(())
}

/// Reads one request (`GET` or `HEAD`; its headers are not needed) and answers it.
fn respond(root: &Path, options: &Options, stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
            break;
        }
    }
    let mut isolated = false;
    let mut words = request_line.split_whitespace();
    let (method, url) = (words.next().unwrap_or(""), words.next().unwrap_or("/"));
    let (status, content_type, body) = if method != "GET" && method != "HEAD" {
        (
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"method not allowed".to_vec(),
        )
    } else {
        match resolve(root, url).filter(|p| p.is_file()) {
            Some(path) => match std::fs::read(&path) {
                Ok(bytes) => {
                    isolated = isolates(root, &path);
                    ("200 OK", content_type(&path), bytes)
                }
                Err(_) => not_found(),
            },
            None => not_found(),
        }
    };
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    if options.strict_csp {
        head.push_str(&format!("Content-Security-Policy: {STRICT_CSP}\r\n"));
    }
    if isolated {
        head.push_str(CROSS_ORIGIN_ISOLATION);
    }
    head.push_str("\r\n");
    let mut out = stream;
    out.write_all(head.as_bytes())?;
    if method != "HEAD" {
        out.write_all(&body)?;
    }
    out.flush()
}

fn not_found() -> (&'static str, &'static str, Vec<u8>) {
    (
        "404 Not Found",
        "text/plain; charset=utf-8",
        b"not found".to_vec(),
    )
}

/// Maps a URL path to a file, refusing anything that leaves the served folders.
fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path)?;
    let (base, rest) = if let Some(rest) = path.strip_prefix("/kpi/") {
        (root.join("dist").join("kpi-widgets"), rest.to_string())
    } else if let Some((name, rest)) = crate::bundle::DEMOS.iter().find_map(|(_, name)| {
        path.strip_prefix(&format!("/{name}/"))
            .map(|rest| (*name, rest))
    }) {
        // The published bundles of the demo samples (`cargo xtask demo` writes them).
        (root.join("dist").join(name), rest.to_string())
    } else {
        (root.join("demo"), path.trim_start_matches('/').to_string())
    };
    let mut out = base;
    for comp in Path::new(&rest).components() {
        match comp {
            Component::Normal(c) => out.push(c),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ts" => "text/plain; charset=utf-8",
        "md" | "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_leaving_the_served_folders() {
        let root = Path::new("/srv/x");
        assert_eq!(resolve(root, "/../secret"), None);
        assert_eq!(resolve(root, "/%2e%2e/secret"), None);
        assert_eq!(
            resolve(root, "/kpi/kpi-widgets.js?v=1"),
            Some(PathBuf::from("/srv/x/dist/kpi-widgets/kpi-widgets.js"))
        );
        assert_eq!(
            resolve(root, "/data/a%20b.csv"),
            Some(PathBuf::from("/srv/x/demo/data/a b.csv"))
        );
    }

    #[test]
    fn the_dashboard_and_its_scripts_are_isolated_the_portal_pages_are_not() {
        // The repository: `/` is the dashboard's folder, served as its index.html.
        let root = &crate::root();
        let file = |url: &str| resolve(root, url).unwrap();
        assert_eq!(file("/"), root.join("demo").join("index.html"));
        assert!(isolates(root, &file("/")));
        assert!(isolates(root, &file("/index.html")));
        assert!(isolates(root, &file("/kpi/kpi-worker.js")));
        assert!(isolates(root, &file("/kpi/kpi_engine_mt_bg.wasm")));
        assert!(isolates(root, &file("/data/students.csv")));
        assert!(!isolates(root, &file("/portal.html")));
        assert!(!isolates(root, &file("/e2e/files.html")));
    }
}
