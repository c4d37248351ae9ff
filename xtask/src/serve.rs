//! A small static file server for the demo: `demo/` at `/`, the built widgets
//! at `/kpi/`. Optionally sends the strict Content-Security-Policy of docs/widgets.md.

use anyhow::{anyhow, Result};
use std::path::{Component, Path, PathBuf};

/// The strict policy the widgets must work under (docs/widgets.md).
pub const STRICT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data: blob:; worker-src 'self'; connect-src 'self'; \
object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

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
    let server = tiny_http::Server::http(("127.0.0.1", *port))
        .map_err(|e| anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    if !options.quiet {
        println!("Demo dashboard:   http://127.0.0.1:{port}/");
        println!("Portal example:   http://127.0.0.1:{port}/portal.html");
        println!("(Ctrl+C to stop)");
    }
    serve_on(server, options)
}

/// Serves on an already bound server (tests bind port 0 and read the port).
pub fn serve_on(server: tiny_http::Server, options: Options) -> Result<()> {
    let root = crate::root();
    for request in server.incoming_requests() {
        // One thread per request: a response that the browser reads slowly (a large data
        // file streamed with progress) must not hold back the others.
        let root = root.clone();
        let options = options.clone();
        std::thread::spawn(move || respond(&root, &options, request));
    }
    Ok(())
}

fn respond(root: &Path, options: &Options, request: tiny_http::Request) {
    let url = request.url().to_string();
    let response = match resolve(root, &url) {
        Some(path) if path.is_file() => match std::fs::read(&path) {
            Ok(bytes) => tiny_http::Response::from_data(bytes)
                .with_header(header("Content-Type", content_type(&path)))
                .with_header(header("Cache-Control", "no-store")),
            Err(_) => not_found(),
        },
        _ => not_found(),
    };
    let response = if options.strict_csp {
        response.with_header(header("Content-Security-Policy", STRICT_CSP))
    } else {
        response
    };
    let _ = request.respond(response);
}

fn not_found() -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_string("not found")
        .with_status_code(404)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|_| unreachable!("static header names and values are valid"))
}

/// Maps a URL path to a file, refusing anything that leaves the served folders.
fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path)?;
    let (base, rest) = match path.strip_prefix("/kpi/") {
        Some(rest) => (root.join("dist").join("kpi-widgets"), rest.to_string()),
        None => (root.join("demo"), path.trim_start_matches('/').to_string()),
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
}
