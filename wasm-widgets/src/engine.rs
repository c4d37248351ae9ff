//! The engine build (`--features engine`): datasets loaded from files and answered by
//! [`kpi_engine::Engine`]. It is the module the dataset worker (`kpi-worker.js`)
//! loads; the main thread's chart module is built without it, so that the import
//! (CSV, XLSX, zip) and the indicator and risk computations are not in its download.

use crate::error::{ErrorCode, WidgetError, WidgetResult};
use crate::{spec_text, to_js};
use kpi_engine::{EngineError, EngineOptions, PeerSpec, ViewRequest};
use kpi_import::Source;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Largest data file read in the browser (bytes).
pub const MAX_FILE_BYTES: usize = 1024 * 1024 * 1024;

/// An engine error as a widget error: requests for what the data lacks are `not-found`.
fn engine_error(e: EngineError) -> WidgetError {
    let code = match &e {
        EngineError::UnknownOrg { .. }
        | EngineError::UnknownProgramme { .. }
        | EngineError::UnknownIndicator { .. }
        | EngineError::NotApplicable { .. }
        | EngineError::NoData { .. } => ErrorCode::NotFound,
        EngineError::UnknownKind { .. } => ErrorCode::UnknownKind,
        EngineError::BadRequest { .. } => ErrorCode::BadSpec,
        EngineError::Catalogue { .. } | EngineError::Criteria { .. } => ErrorCode::Import,
        // A kind of error added later: shown as a bad request until it gets its own code.
        _ => ErrorCode::BadSpec,
    };
    WidgetError::new(code, e.to_string())
}

/// One file of a load: its name and bytes, checked.
pub fn source(name: &str, bytes: Vec<u8>) -> WidgetResult<Source> {
    if bytes.is_empty() {
        return Err(WidgetError::new(
            ErrorCode::Import,
            format!("{name}: the file is empty"),
        ));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(WidgetError::new(
            ErrorCode::TooLarge,
            format!(
                "{name}: {} bytes, at most {MAX_FILE_BYTES} are read",
                bytes.len()
            ),
        ));
    }
    let name = if name.trim().is_empty() { "data" } else { name };
    Ok(Source {
        name: name.to_string(),
        bytes,
    })
}

/// Builds an engine from checked sources.
pub fn engine(sources: &[Source]) -> WidgetResult<kpi_engine::Engine> {
    engine_from(sources.to_vec())
}

/// [`engine`] taking the sources by value: the file contents are not copied again (for
/// the national sample, 225 MB less to copy and to hold while the files are parsed).
pub fn engine_from(sources: Vec<Source>) -> WidgetResult<kpi_engine::Engine> {
    if sources.is_empty() {
        return Err(WidgetError::new(ErrorCode::Import, "no data files given"));
    }
    kpi_engine::Engine::from_owned_sources(sources, &EngineOptions::default()).map_err(engine_error)
}

/// Empties `value`'s `ArrayBuffer` (`ArrayBuffer.prototype.transfer(0)`, where the browser
/// has it), so that its memory is freed now rather than when the caller lets go of it.
fn release(value: &JsValue) {
    let buffer = match value.dyn_ref::<js_sys::Uint8Array>() {
        Some(a) => a.buffer().into(),
        None => value.clone(),
    };
    if let Some(transfer) = js_sys::Reflect::get(&buffer, &"transfer".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        // A buffer that cannot be transferred (shared, or detached already) stays as it is.
        let _ = transfer.call1(&buffer, &JsValue::from(0));
    }
}

fn bytes_of(value: &JsValue) -> Option<Vec<u8>> {
    if let Some(a) = value.dyn_ref::<js_sys::Uint8Array>() {
        Some(a.to_vec())
    } else {
        value
            .dyn_ref::<js_sys::ArrayBuffer>()
            .map(|b| js_sys::Uint8Array::new(b).to_vec())
    }
}

/// Whether the file `name` whose content starts with `head` is an XLSX workbook, which this
/// module reads only as the cell stream of the spreadsheet module (`workbookCells`): the
/// worker asks before loading, and fetches that module only when some file is one. The
/// first 16 bytes are enough to tell.
#[wasm_bindgen(js_name = isWorkbook)]
pub fn is_workbook(name: &str, head: &[u8]) -> bool {
    kpi_import::is_workbook(name, head)
}

fn lang(value: &JsValue) -> WidgetResult<kpi_model::i18n::Lang> {
    crate::lang::lang_of(value.as_string().as_deref())
}

/// A loaded dataset with every indicator and risk computed once.
#[wasm_bindgen]
pub struct Engine {
    inner: kpi_engine::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// Loads the files `[{name, bytes}]` (`bytes`: `Uint8Array` or `ArrayBuffer`) as one
    /// dataset: organisations, observations, students, grades and surveys together.
    pub fn load(files: JsValue) -> Result<Engine, JsValue> {
        Engine::load_files(files, false)
    }

    /// [`Engine::load`] for files handed over to the engine (transferred to the dataset
    /// worker): each file's `ArrayBuffer` is emptied once its bytes are copied into the
    /// engine, so the input is not held twice while it is parsed.
    #[wasm_bindgen(js_name = loadTransferred)]
    pub fn load_transferred(files: JsValue) -> Result<Engine, JsValue> {
        Engine::load_files(files, true)
    }
}

impl Engine {
    fn load_files(files: JsValue, release_input: bool) -> Result<Engine, JsValue> {
        let files: js_sys::Array = files.dyn_into().map_err(|_| {
            WidgetError::new(
                ErrorCode::BadArgument,
                "load: expected an array of {name, bytes}",
            )
        })?;
        let mut sources = Vec::with_capacity(files.length() as usize);
        for (i, file) in files.iter().enumerate() {
            let name = js_sys::Reflect::get(&file, &"name".into())
                .ok()
                .and_then(|n| n.as_string())
                .ok_or_else(|| {
                    WidgetError::new(
                        ErrorCode::BadArgument,
                        format!("load: file {i}: name must be a string"),
                    )
                })?;
            let value = js_sys::Reflect::get(&file, &"bytes".into()).unwrap_or(JsValue::UNDEFINED);
            let bytes = bytes_of(&value).ok_or_else(|| {
                WidgetError::new(
                    ErrorCode::BadArgument,
                    format!("load: {name}: bytes must be a Uint8Array or ArrayBuffer"),
                )
            })?;
            if release_input {
                release(&value);
            }
            sources.push(source(&name, bytes)?);
        }
        Ok(Engine {
            inner: engine_from(sources)?,
        })
    }
}

#[wasm_bindgen]
impl Engine {
    fn ranking_rows(
        &self,
        peers: &JsValue,
        lang: &JsValue,
    ) -> Result<Vec<kpi_engine::RankingRow>, JsValue> {
        let spec: PeerSpec = if peers.is_undefined() || peers.is_null() {
            PeerSpec::default()
        } else {
            serde_json::from_str(&spec_text(peers)?)
                .map_err(|e| WidgetError::new(ErrorCode::BadSpec, format!("peers: {e}")))?
        };
        Ok(self.inner.ranking(&spec, self::lang(lang)?))
    }

    /// What the dataset holds, labels in `lang`: `{organisations, years, levels, regions,
    /// indicators, issues, issue_count}`.
    pub fn info(&self, lang: JsValue) -> Result<JsValue, JsValue> {
        to_js(&self.inner.info(self::lang(&lang)?))
    }

    /// What the load rejected: `{tables, rows, cells}` (all 0 when nothing was lost).
    pub fn rejected(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.report().rejected())
    }

    /// The risk ranking of the peer group `peers` (`{level, year, region, ownership,
    /// locality, orgs}`), names in `lang`.
    pub fn ranking(&self, peers: JsValue, lang: JsValue) -> Result<JsValue, JsValue> {
        to_js(&self.ranking_rows(&peers, &lang)?)
    }

    /// [`Engine::ranking`] as JSON text, for the dataset worker: it posts the text, and the
    /// page parses it. A national ranking is about 11 MB of JSON; parsed in the worker, it
    /// was then copied object by object into the page (structured clone), where a string is
    /// copied whole.
    #[wasm_bindgen(js_name = rankingJson)]
    pub fn ranking_json(&self, peers: JsValue, lang: JsValue) -> Result<String, JsValue> {
        serde_json::to_string(&self.ranking_rows(&peers, &lang)?)
            .map_err(|e| WidgetError::new(ErrorCode::Draw, format!("result: {e}")).into())
    }

    /// The chart input of a view request (`{kind, org, programme, indicator, indicators,
    /// year, peers, top, bottom, lang}`), ready for `new Chart({kind, data})`.
    pub fn chart(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let request = ViewRequest::from_json(&spec_text(&request)?).map_err(engine_error)?;
        to_js(&self.inner.chart(&request).map_err(engine_error)?)
    }

    /// Number of organisations.
    #[wasm_bindgen(js_name = organisationCount)]
    pub fn organisation_count(&self) -> u32 {
        self.inner.dataset().organisations().len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_and_empty_load_are_import_errors() {
        assert_eq!(
            source("a.csv", Vec::new()).unwrap_err().code,
            ErrorCode::Import
        );
        assert_eq!(engine(&[]).unwrap_err().code, ErrorCode::Import);
    }

    #[test]
    fn engine_errors_keep_their_meaning() {
        let e = engine_error(EngineError::UnknownOrg { org: "X".into() });
        assert_eq!(e.code, ErrorCode::NotFound);
        assert!(e.detail.contains("`X`"));
        let e = engine_error(EngineError::UnknownKind { kind: "pie".into() });
        assert_eq!(e.code, ErrorCode::UnknownKind);
    }

    #[test]
    fn the_bundled_sample_answers_a_ranking_and_a_chart() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../demo/data");
        let sources: Vec<Source> = ["organisations.csv", "observations.csv"]
            .iter()
            .map(|n| source(n, std::fs::read(format!("{dir}/{n}")).unwrap()).unwrap())
            .collect();
        let engine = engine(&sources).unwrap();
        let info = engine.info(kpi_model::i18n::Lang::En);
        assert!(!info.organisations.is_empty());
        let peers = PeerSpec {
            level: Some(kpi_model::Level::University),
            ..PeerSpec::default()
        };
        let rows = engine.ranking(&peers, kpi_model::i18n::Lang::En);
        assert!(!rows.is_empty());
        let request: ViewRequest = serde_json::from_value(serde_json::json!({
            "kind": "risk-gauge", "org": rows[0].org_id
        }))
        .unwrap();
        assert_eq!(engine.chart(&request).unwrap().kind(), "risk-gauge");
    }
}

/// Runs the engine's worker pool on this thread, forever: what a pool worker (a Web Worker
/// the dataset worker starts, with this module on the same shared memory) calls once. Only
/// in the engine module built with shared memory.
#[cfg(target_feature = "atomics")]
#[wasm_bindgen(js_name = runPoolWorker)]
pub fn run_pool_worker() {
    kpi_pool::work();
}

/// Announces `workers` pool workers, started by the caller with this module on the same
/// shared memory (each calls `runPoolWorker`): loads are spread over them from now on.
/// Only in the engine module built with shared memory.
#[cfg(target_feature = "atomics")]
#[wasm_bindgen(js_name = announcePoolWorkers)]
pub fn announce_pool_workers(workers: u32) {
    kpi_pool::announce(workers as usize);
}

/// The threads a load is spread over: this one and the pool workers announced (1 in the
/// engine module without shared memory).
#[wasm_bindgen(js_name = poolThreads)]
pub fn pool_threads() -> u32 {
    kpi_pool::threads() as u32
}
