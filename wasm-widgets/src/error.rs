//! Structured errors crossing the WebAssembly boundary: a stable code for programs, a
//! message in kk/ru/en for people, and the technical detail for the console.

use kpi_model::i18n::Lang;
use std::fmt;
use wasm_bindgen::JsValue;

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
    /// The code as JavaScript sees it (`error.code`).
    pub fn as_str(self) -> &'static str {
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

    /// The message a reader of the page sees, in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        use ErrorCode::*;
        match (self, lang) {
            (BadSpec, Lang::Kk) => "Диаграмма сипаттамасы қате.",
            (BadSpec, Lang::Ru) => "Неверное описание диаграммы.",
            (BadSpec, Lang::En) => "The chart description is not valid.",
            (UnknownKind, Lang::Kk) => "Диаграмманың бұл түрі қолжетімсіз.",
            (UnknownKind, Lang::Ru) => "Такой вид диаграммы недоступен.",
            (UnknownKind, Lang::En) => "This kind of chart is not available.",
            (BadArgument, Lang::Kk) => "Виджетке қате мән берілді.",
            (BadArgument, Lang::Ru) => "Виджету передано неверное значение.",
            (BadArgument, Lang::En) => "The widget was given an invalid value.",
            (TooLarge, Lang::Kk) => "Деректер тым көп: шектен асып кетті.",
            (TooLarge, Lang::Ru) => "Слишком много данных: превышен предел.",
            (TooLarge, Lang::En) => "Too much data: a limit was exceeded.",
            (Canvas, Lang::Kk) => "Браузер диаграмманы сала алмайды.",
            (Canvas, Lang::Ru) => "Браузер не может нарисовать диаграмму.",
            (Canvas, Lang::En) => "The browser cannot draw the chart.",
            (Draw, Lang::Kk) => "Диаграмманы салу кезінде қате шықты.",
            (Draw, Lang::Ru) => "Ошибка при рисовании диаграммы.",
            (Draw, Lang::En) => "The chart could not be drawn.",
            (Import, Lang::Kk) => "Деректер файлын оқу мүмкін болмады.",
            (Import, Lang::Ru) => "Не удалось прочитать файл данных.",
            (Import, Lang::En) => "The data file could not be read.",
            (NotFound, Lang::Kk) => "Сұралған деректер табылмады.",
            (NotFound, Lang::Ru) => "Запрошенные данные не найдены.",
            (NotFound, Lang::En) => "The requested data were not found.",
            (ViewUnavailable, Lang::Kk) => {
                "Деректер жиынынан диаграмма құру әзірге қолжетімсіз; деректерді тікелей беріңіз."
            }
            (ViewUnavailable, Lang::Ru) => {
                "Построение диаграммы из набора данных пока недоступно; передайте данные напрямую."
            }
            (ViewUnavailable, Lang::En) => {
                "Charts computed from a dataset are not available yet; pass the chart data directly."
            }
        }
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

impl From<WidgetError> for JsValue {
    /// A JavaScript `Error` named `KpiError` with `code`, `detail` and `messages` (`kk`,
    /// `ru`, `en`) properties.
    fn from(e: WidgetError) -> JsValue {
        let err = js_sys::Error::new(&e.to_string());
        err.set_name("KpiError");
        let messages = js_sys::Object::new();
        for lang in Lang::ALL {
            // Reflect::set on a fresh plain object cannot fail.
            let _ =
                js_sys::Reflect::set(&messages, &lang.code().into(), &e.code.message(lang).into());
        }
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
            assert!(kk != ru && ru != en && kk != en, "{code:?}");
            assert!(!code.as_str().is_empty());
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
