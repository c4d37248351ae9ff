//! Writes every chart kind in kk, ru and en and in each theme to `target/gallery/` as SVG,
//! and converts the SVGs to PNG with headless Chromium when it is installed.
//!
//! `cargo run -p kpi-core --example chart_gallery [-- FILTER [WIDTH]]` (WIDTH in CSS px, e.g.
//! 320 to look at a narrow widget).

use kpi_core::chart::{
    examples, layout_chart, scene_to_svg, ChartKind, ChartOptions, Size, ThemeName,
};
use kpi_core::i18n::Lang;
use std::path::PathBuf;
use std::process::Command;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let filter = std::env::args().nth(1).unwrap_or_default();
    let width: Option<f64> = std::env::args().nth(2).and_then(|w| w.parse().ok());
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/gallery");
    std::fs::create_dir_all(&dir)?;
    let themes = [
        (ThemeName::Light, "light"),
        (ThemeName::Dark, "dark"),
        (ThemeName::HighContrast, "hc"),
    ];
    let mut written = Vec::new();
    for (name, input) in examples::gallery() {
        for lang in Lang::ALL {
            for (theme, theme_name) in themes {
                let file = format!("{name}-{}-{theme_name}", lang.code());
                if !file.contains(&filter) {
                    continue;
                }
                let size = match input.kind() {
                    ChartKind::KpiCard => Size::new(300.0, 220.0),
                    ChartKind::RiskGauge => Size::new(340.0, 260.0),
                    ChartKind::Heatmap | ChartKind::Table => Size::new(720.0, 460.0),
                    _ => Size::new(640.0, 400.0),
                };
                let size = width.map_or(size, |w| Size::new(w, size.height));
                let chart = layout_chart(&input, size, &ChartOptions::new(lang, theme))?;
                let overlaps = chart.scene.overlapping_texts(0.5).len();
                let outside = chart.scene.texts_outside(0.5).len();
                if overlaps + outside > 0 {
                    eprintln!("{file}: {overlaps} overlapping, {outside} outside");
                }
                let svg = scene_to_svg(&chart.scene, 1.0)?;
                let path = dir.join(format!("{file}.svg"));
                std::fs::write(&path, svg)?;
                written.push((path, size));
            }
        }
    }
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok());
    if let Some(chromium) = chromium {
        for (svg, size) in &written {
            let png = svg.with_extension("png");
            let status = Command::new(chromium)
                .args([
                    "--headless",
                    "--disable-gpu",
                    "--no-sandbox",
                    "--hide-scrollbars",
                    "--force-device-scale-factor=1",
                ])
                .arg(format!(
                    "--window-size={},{}",
                    size.width as u32, size.height as u32
                ))
                .arg(format!("--screenshot={}", png.display()))
                .arg(format!("file://{}", svg.canonicalize()?.display()))
                .output()?;
            if !status.status.success() {
                eprintln!("chromium failed for {}", svg.display());
            }
        }
    }
    println!("{} charts in {}", written.len(), dir.display());
    Ok(())
}
