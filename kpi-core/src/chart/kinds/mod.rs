//! The ten chart kinds: input types and layout.

pub mod compare;
pub mod trend;

use super::geom::Rect;
use super::layout::Ctx;
use super::spec::Text;
use crate::i18n::Lang;

/// A text from an optional input field, `None` when absent or blank.
pub(crate) fn opt_text(t: &Option<Text>, lang: Lang) -> Option<String> {
    t.as_ref()
        .map(|t| t.get(lang).trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The header of a chart; returns the y below it.
pub(crate) fn heading(ctx: &mut Ctx, area: Rect, title: &str, subtitle: &str) -> f64 {
    ctx.header(area, title, subtitle)
}
