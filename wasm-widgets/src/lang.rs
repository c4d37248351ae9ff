//! The language of a request, shared by the chart and the engine builds.

use crate::error::{ErrorCode, WidgetError, WidgetResult};
use kpi_model::i18n::Lang;

/// Language from a code (`kk`, `ru-RU` …); absent: [`Lang::default()`] (Kazakh), the one default
/// language of the widgets (`DEFAULT_LANG` in messages.js). An unknown code is an error.
pub fn lang_of(code: Option<&str>) -> WidgetResult<Lang> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(Lang::default()),
        Some(c) => {
            let primary = c.split(['-', '_']).next().unwrap_or(c);
            Lang::from_code(primary).ok_or_else(|| {
                WidgetError::new(
                    ErrorCode::BadArgument,
                    format!("lang {c:?}: expected kk, ru, en or ky"),
                )
            })
        }
    }
}
