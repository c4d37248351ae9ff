//! Structured errors crossing the WebAssembly boundary: a stable code for programs, a
//! message in kk/ru/en/ky for people, and the technical detail for the console.

use kpi_model::i18n::Lang;
use std::fmt;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What went wrong, as a stable code that JavaScript can switch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// The chart specification is not an object, or a field has the wrong type.
    BadSpec,
    /// The `kind` is not one of the chart kinds this build draws.
    UnknownKind,
    /// An argument is outside what the widget accepts (size, index, key).
    BadArgument,
    /// The input is larger than the limits allow (too many points, too large a file).
    TooLarge,
    /// The canvas cannot be drawn on (no 2D context).
    Canvas,
    /// Drawing failed in the backend.
    Draw,
    /// The data file could not be read.
    Import,
    /// The dataset has no data for the request (unknown organisation or indicator).
    NotFound,
    /// Charts computed from a dataset are not available in this build.
    ViewUnavailable,
}

impl ErrorCode {
    /// Every code.
    pub const ALL: [ErrorCode; 9] = [
        ErrorCode::BadSpec,
        ErrorCode::UnknownKind,
        ErrorCode::BadArgument,
        ErrorCode::TooLarge,
        ErrorCode::Canvas,
        ErrorCode::Draw,
        ErrorCode::Import,
        ErrorCode::NotFound,
        ErrorCode::ViewUnavailable,
    ];

    /// The code as JavaScript sees it (`error.code`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadSpec => "bad-spec",
            ErrorCode::UnknownKind => "unknown-kind",
            ErrorCode::BadArgument => "bad-argument",
            ErrorCode::TooLarge => "too-large",
            ErrorCode::Canvas => "canvas",
            ErrorCode::Draw => "draw",
            ErrorCode::Import => "import",
            ErrorCode::NotFound => "not-found",
            ErrorCode::ViewUnavailable => "view-unavailable",
        }
    }

    /// The message a reader of the page sees, in `lang` (from `js/messages.js`).
    pub fn message(self, lang: Lang) -> &'static str {
        let [kk, ru, en, ky] = MESSAGES[self as usize];
        match lang {
            Lang::Kk => kk,
            Lang::Ru => ru,
            Lang::En => en,
            Lang::Ky => ky,
        }
    }
}

/// The texts people read have one source, `wasm-widgets/js/messages.js`. In the browser an
/// error takes them from that module (`JS_MESSAGES` below); [`ErrorCode::message`] and
/// `Display` (Rust callers, native tests) read the same file at compile time, and the
/// build fails when it lacks a code or a language.
const MESSAGES_JS: &str = include_str!("../js/messages.js");

/// `[kk, ru, en, ky]` of every code, in the order of [`ErrorCode::ALL`], found at compile
/// time (a code without its `ky:` line stops the build).
const MESSAGES: [[&str; 4]; ErrorCode::ALL.len()] = {
    let js = MESSAGES_JS.as_bytes();
    let Some(table) = find(js, 0, b"export const MESSAGES = {") else {
        panic!("messages.js has no `export const MESSAGES = {{`");
    };
    let mut out = [[""; 4]; ErrorCode::ALL.len()];
    let mut i = 0;
    while i < ErrorCode::ALL.len() {
        let code = ErrorCode::ALL[i];
        assert!(code as usize == i, "ErrorCode::ALL is in declaration order");
        // The line `  'code': {` (a quote after a space, the code, `': {`).
        let name = code.as_str().as_bytes();
        let mut at = table;
        let entry = loop {
            if at + name.len() + 5 > js.len() || starts_with(js, at, b"\n};") {
                panic!("messages.js: an error code of error.rs has no entry in MESSAGES");
            }
            if js[at] == b' '
                && js[at + 1] == b'\''
                && starts_with(js, at + 2, name)
                && starts_with(js, at + 2 + name.len(), b"': {")
            {
                break at + name.len() + 6;
            }
            at += 1;
        };
        out[i] = [
            entry_text(js, entry, b"kk"),
            entry_text(js, entry, b"ru"),
            entry_text(js, entry, b"en"),
            entry_text(js, entry, b"ky"),
        ];
        i += 1;
    }
    out
};

/// Whether `hay[at..]` starts with `needle`.
const fn starts_with(hay: &[u8], at: usize, needle: &[u8]) -> bool {
    if at + needle.len() > hay.len() {
        return false;
    }
    let mut i = 0;
    while i < needle.len() {
        if hay[at + i] != needle[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The first index at or after `from` where `hay` has `needle`.
const fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let mut at = from;
    while at + needle.len() <= hay.len() {
        if starts_with(hay, at, needle) {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// The text of the line ` lang: '…',` in the entry of messages.js that starts at
/// `entry` (and ends at its `}`). A missing language or closing quote, or a backslash in
/// the text, stops the build.
const fn entry_text(js: &'static [u8], entry: usize, lang: &[u8]) -> &'static str {
    let mut at = entry;
    let start = loop {
        if at + lang.len() + 4 > js.len() || js[at] == b'}' {
            panic!("messages.js: an error code lacks a language in MESSAGES");
        }
        if js[at] == b' '
            && starts_with(js, at + 1, lang)
            && starts_with(js, at + 1 + lang.len(), b": '")
        {
            break at + lang.len() + 4;
        }
        at += 1;
    };
    let mut end = start;
    while js[end] != b'\'' {
        if js[end] == b'\\' || js[end] == b'\n' || end + 1 == js.len() {
            panic!("messages.js: a message is not one single-quoted line without backslashes");
        }
        end += 1;
    }
    let (_, rest) = js.split_at(start);
    let (text, _) = rest.split_at(end - start);
    match std::str::from_utf8(text) {
        Ok(text) => text,
        Err(_) => panic!("messages.js is not UTF-8"),
    }
}

/// An error of an exported function.
#[derive(Clone, Debug, PartialEq)]
pub struct WidgetError {
    /// What went wrong.
    pub code: ErrorCode,
    /// The technical detail (field, value, limit), in English, for the console.
    pub detail: String,
}

impl WidgetError {
    /// An error with its detail.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        WidgetError {
            code,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for WidgetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code.message(Lang::En), self.detail)
    }
}

impl std::error::Error for WidgetError {}

/// Results of the widget crate.
pub type WidgetResult<T> = Result<T, WidgetError>;

#[wasm_bindgen(module = "/js/messages.js")]
extern "C" {
    /// `MESSAGES` of messages.js: `{code: {kk, ru, en, ky}}`, read where the module runs, so
    /// that the `.wasm` carries no copy of the texts the page already has.
    #[wasm_bindgen(thread_local_v2, js_name = MESSAGES)]
    static JS_MESSAGES: js_sys::Object;
}

impl From<WidgetError> for JsValue {
    /// A JavaScript `Error` named `KpiError` with `code`, `detail` and `messages` (`kk`,
    /// `ru`, `en`, `ky`) properties.
    fn from(e: WidgetError) -> JsValue {
        // A fresh object per error (as the page may keep or change it), with the texts of
        // messages.js. Reflect on plain objects cannot fail; a code without an entry there
        // (impossible: `MESSAGES` above would not compile) would give empty messages.
        let messages = js_sys::Object::new();
        if let Ok(texts) = JS_MESSAGES.with(|m| js_sys::Reflect::get(m, &e.code.as_str().into())) {
            if texts.is_object() {
                js_sys::Object::assign(&messages, texts.unchecked_ref());
            }
        }
        let en = js_sys::Reflect::get(&messages, &"en".into())
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default();
        let err = js_sys::Error::new(&format!("{en} ({})", e.detail));
        err.set_name("KpiError");
        let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code.as_str().into());
        let _ = js_sys::Reflect::set(&err, &"detail".into(), &e.detail.as_str().into());
        let _ = js_sys::Reflect::set(&err, &"messages".into(), &messages);
        err.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_three_distinct_messages() {
        use ErrorCode::*;
        for code in [
            BadSpec,
            UnknownKind,
            BadArgument,
            TooLarge,
            Canvas,
            Draw,
            Import,
            NotFound,
            ViewUnavailable,
        ] {
            let kk = code.message(Lang::Kk);
            let ru = code.message(Lang::Ru);
            let en = code.message(Lang::En);
            let ky = code.message(Lang::Ky);
            assert!(kk != ru && ru != en && kk != en, "{code:?}");
            assert!(
                ky != kk && ky != ru && ky != en && !ky.is_empty(),
                "{code:?}"
            );
            assert!(!code.as_str().is_empty());
        }
    }

    #[test]
    fn messages_come_from_messages_js() {
        assert_eq!(
            ErrorCode::UnknownKind.message(Lang::Ru),
            "Такой вид диаграммы недоступен."
        );
        assert_eq!(
            ErrorCode::ViewUnavailable.message(Lang::En),
            "Charts computed from a dataset are not available yet; pass the chart data directly."
        );
        for code in ErrorCode::ALL {
            for lang in Lang::ALL {
                let line = format!("{}: '{}',", lang.code(), code.message(lang));
                assert!(MESSAGES_JS.contains(&line), "{code:?} {lang:?}");
            }
        }
    }

    #[test]
    fn display_carries_the_detail() {
        let e = WidgetError::new(ErrorCode::TooLarge, "bars: 200001 > 100000");
        assert_eq!(
            e.to_string(),
            "Too much data: a limit was exceeded. (bars: 200001 > 100000)"
        );
    }
}
