//! The bindings in headless Chromium (`cargo xtask test`, or by hand:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown` in
//! `wasm-widgets/`): every kind draws on a canvas, hit testing and keyboard navigation
//! find the marks, exports carry the data, and every exported function given malformed
//! arguments returns an error while the module keeps working.
#![cfg(target_arch = "wasm32")]

use kpi_widgets::Chart;
#[cfg(feature = "engine")]
use kpi_widgets::Engine;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

const INDICATOR: &str = r#"{"code":"employment_rate","label":{"kk":"Жұмысқа орналасу","ru":"Трудоустройство","en":"Employment"},"unit":"%","formula":"employed / graduates × 100"}"#;

fn trend_spec(lang: &str) -> String {
    format!(
        r#"{{"kind":"trend","lang":"{lang}","data":{{"indicator":{INDICATOR},"unit_name":"College 1","org":"091140000123",
        "points":[{{"year":2019,"value":60.5}},{{"year":2020,"value":62.0}},{{"year":2022,"value":66.4}},{{"year":2023,"reason":"graduates = 0"}}],
        "peers":[{{"year":2019,"median":58,"q1":52,"q3":64,"n":120}},{{"year":2022,"median":61,"q1":55,"q3":67,"n":124}}]}}}}"#
    )
}

fn compare_spec(n: usize) -> String {
    let bars: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"{i:012}","org":"{i:012}","name":"College {i}","value":{},"highlight":{}}}"#,
                40.0 + (i * 37 % 50) as f64,
                i == 2
            )
        })
        .collect();
    format!(
        r#"{{"kind":"compare","lang":"ru","data":{{"indicator":{INDICATOR},"year":2023,"bars":[{}]}}}}"#,
        bars.join(",")
    )
}

fn canvas() -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

/// Share of pixels in the middle of the canvas that differ from the corner pixel.
fn ink(canvas: &HtmlCanvasElement) -> f64 {
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let bg = ctx.get_image_data(1.0, 1.0, 1.0, 1.0).unwrap().data();
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    let data = ctx
        .get_image_data(w * 0.2, h * 0.3, w * 0.6, h * 0.5)
        .unwrap()
        .data();
    let differs = data
        .chunks(4)
        .filter(|p| {
            (0..3)
                .map(|k| (p[k] as i32 - bg[k] as i32).abs())
                .sum::<i32>()
                > 40
        })
        .count();
    differs as f64 / (data.len() / 4) as f64
}

fn code(err: JsValue) -> String {
    js_sys::Reflect::get(&err, &"code".into())
        .ok()
        .and_then(|c| c.as_string())
        .unwrap_or_default()
}

fn message(err: &JsValue, lang: &str) -> String {
    js_sys::Reflect::get(err, &"messages".into())
        .and_then(|m| js_sys::Reflect::get(&m, &lang.into()))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default()
}

/// `{kind, data: {..., points: {name: column}}}` with the columns as given.
fn columns_spec(kind: &str, columns: &[(&str, JsValue)]) -> JsValue {
    let set = |o: &js_sys::Object, k: &str, v: &JsValue| {
        js_sys::Reflect::set(o, &k.into(), v).unwrap();
    };
    let points = js_sys::Object::new();
    for (name, col) in columns {
        set(&points, name, col);
    }
    let data = js_sys::Object::new();
    set(&data, "points", &points);
    let spec = js_sys::Object::new();
    set(&spec, "kind", &kind.into());
    set(&spec, "lang", &"en".into());
    set(&spec, "data", &data);
    spec.into()
}

#[wasm_bindgen_test]
fn long_series_arrive_as_typed_arrays_and_keep_every_point() {
    let n = 5_000u32;
    let years: Vec<i32> = (0..n as i32).map(|i| 1 + i).collect();
    let values: Vec<f64> = (0..n)
        .map(|i| 50.0 + (f64::from(i) * 0.01).sin() * 30.0)
        .collect();
    let spec = columns_spec(
        "trend",
        &[
            ("year", js_sys::Int32Array::from(&years[..]).into()),
            ("value", js_sys::Float64Array::from(&values[..]).into()),
        ],
    );
    let mut chart = Chart::new(spec).unwrap();
    let c = canvas();
    chart.draw(c.clone().into(), 640.0, 360.0, 1.0).unwrap();
    assert!(ink(&c) > 0.005, "plot area is empty");
    assert_eq!(chart.point_count(), n);
    assert_eq!(chart.point_order().unwrap().len(), n as usize);
    let last = chart.point(f64::from(n - 1)).unwrap();
    let value = js_sys::Reflect::get(&last, &"value".into())
        .unwrap()
        .as_f64();
    assert_eq!(value, Some(values[(n - 1) as usize]));
    let year = js_sys::Reflect::get(&last, &"year".into())
        .unwrap()
        .as_f64();
    assert_eq!(year, Some(f64::from(n)));
    // Other element types convert as `new Float64Array(view)` does: a float's exact double
    // (0.1f32 is not 0.1), NaN is no value, whole numbers stay whole.
    let spec = columns_spec(
        "trend",
        &[
            (
                "year",
                js_sys::Uint16Array::from(&[2021u16, 2022, 2023][..]).into(),
            ),
            (
                "value",
                js_sys::Float32Array::from(&[0.1f32, f32::NAN, 62.5][..]).into(),
            ),
        ],
    );
    let mut chart = Chart::new(spec).unwrap();
    chart.draw(canvas().into(), 480.0, 320.0, 1.0).unwrap();
    let got: Vec<(Option<f64>, Option<f64>)> = (0..3)
        .map(|i| {
            let p = chart.point(f64::from(i)).unwrap();
            let get = |k: &str| js_sys::Reflect::get(&p, &k.into()).unwrap().as_f64();
            (get("year"), get("value"))
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some(2021.0), Some(f64::from(0.1f32))),
            (Some(2022.0), None),
            (Some(2023.0), Some(62.5)),
        ]
    );
    // A scatter with names; columns of different lengths are a bad-spec error.
    let names = js_sys::Array::new();
    for i in 0..3 {
        names.push(&format!("Unit {i}").into());
    }
    let xs = js_sys::Float64Array::from(&[1.0, 2.0, 3.0][..]);
    let spec = columns_spec(
        "scatter",
        &[
            ("x", xs.clone().into()),
            ("y", js_sys::Float64Array::from(&[4.0, 5.0, 6.0][..]).into()),
            ("name", names.into()),
        ],
    );
    let mut chart = Chart::new(spec).unwrap();
    chart.draw(canvas().into(), 480.0, 320.0, 1.0).unwrap();
    assert_eq!(chart.point_count(), 3);
    // Texts cross as they are (quotes, line breaks, Kazakh, a character outside the BMP);
    // in a text column a number becomes its text, anything else no text.
    let tricky = ["Колледж \"Болашақ\"", "line\nbreak \\ 😀", ""];
    let names = js_sys::Array::new();
    for t in tricky {
        names.push(&t.into());
    }
    let orgs = js_sys::Array::of3(&"ORG-1".into(), &42.into(), &JsValue::NULL);
    let spec = columns_spec(
        "scatter",
        &[
            ("x", xs.clone().into()),
            ("y", js_sys::Float64Array::from(&[4.0, 5.0, 6.0][..]).into()),
            ("name", names.into()),
            ("org", orgs.into()),
        ],
    );
    let mut chart = Chart::new(spec).unwrap();
    chart.draw(canvas().into(), 480.0, 320.0, 1.0).unwrap();
    let mut got: Vec<(String, Option<String>)> = (0..3)
        .map(|i| {
            let p = chart.point(f64::from(i)).unwrap();
            let get = |k: &str| js_sys::Reflect::get(&p, &k.into()).unwrap().as_string();
            (get("label").unwrap(), get("org"))
        })
        .collect();
    got.sort();
    let mut want = vec![
        (tricky[0].to_string(), Some("ORG-1".to_string())),
        (tricky[1].to_string(), Some("42".to_string())),
        (tricky[2].to_string(), None),
    ];
    want.sort();
    assert_eq!(got, want);
    let short = js_sys::Float64Array::from(&[4.0][..]);
    let spec = columns_spec("scatter", &[("x", xs.into()), ("y", short.into())]);
    assert_eq!(code(Chart::new(spec).err().expect("an error")), "bad-spec");
}

#[wasm_bindgen_test]
fn trend_draws_at_device_pixel_ratio() {
    let c = canvas();
    let mut chart = Chart::new(JsValue::from_str(&trend_spec("kk"))).unwrap();
    assert_eq!(chart.kind(), "trend");
    chart.draw(c.clone().into(), 480.0, 300.0, 2.0).unwrap();
    // The backing store is the CSS size × dpr.
    assert_eq!((c.width(), c.height()), (960, 600));
    assert!(ink(&c) > 0.01, "plot area is empty");
    // The chart type, then the title.
    assert!(chart
        .summary()
        .unwrap()
        .starts_with("Жылдар бойынша сызықтық график: Жұмысқа орналасу"));
}

#[wasm_bindgen_test]
fn every_kind_draws_on_a_canvas() {
    let c = canvas();
    let mut kinds = std::collections::BTreeSet::new();
    for (name, input) in kpi_chart::examples::gallery() {
        let mut data = serde_json::to_value(&input).unwrap();
        let kind = data["kind"].as_str().unwrap().to_string();
        data.as_object_mut().unwrap().remove("kind");
        let spec = serde_json::json!({"kind": kind, "lang": "kk", "data": data}).to_string();
        let mut chart = Chart::new(JsValue::from_str(&spec)).unwrap();
        chart.draw(c.clone().into(), 480.0, 360.0, 1.5).unwrap();
        assert_eq!(c.width(), 720, "{name}");
        assert!(ink(&c) > 0.005, "{name}: plot area is empty");
        assert!(chart.point_count() > 0, "{name}: no data points");
        assert!(!chart.summary().unwrap().is_empty(), "{name}");
        assert!(chart.csv().unwrap().lines().count() > 2, "{name}");
        kinds.insert(kind);
    }
    assert_eq!(kinds.len(), 12);
}

#[wasm_bindgen_test]
fn compare_draws_hit_tests_and_selects() {
    let c = canvas();
    let mut chart = Chart::new(JsValue::from_str(&compare_spec(30))).unwrap();
    chart.draw(c.clone().into(), 600.0, 700.0, 1.0).unwrap();
    assert!(ink(&c) > 0.01);
    // 30 bars and the peer-median line.
    assert_eq!(chart.point_count(), 31);
    // Find the highlighted organisation's bar and hit it at the middle of its bounds.
    let mut found = None;
    for i in 0..chart.point_count() {
        let p = chart.point(i as f64).unwrap();
        let org = js_sys::Reflect::get(&p, &"org".into()).unwrap().as_string();
        if org.as_deref() == Some("000000000002") {
            found = Some((i, p));
        }
    }
    let (i, p) = found.expect("the highlighted bar is a point");
    let b = js_sys::Reflect::get(&p, &"bounds".into()).unwrap();
    let get = |k: &str| {
        js_sys::Reflect::get(&b, &k.into())
            .unwrap()
            .as_f64()
            .unwrap()
    };
    let (x, y) = (get("x") + get("w") / 2.0, get("y") + get("h") / 2.0);
    assert_eq!(chart.hit_test(x, y).unwrap(), Some(i));
    assert_eq!(chart.hit_test(-500.0, -500.0).unwrap(), None);
    let selectable = js_sys::Reflect::get(&p, &"selectable".into()).unwrap();
    assert_eq!(selectable.as_bool(), Some(true));
    let tooltip: js_sys::Array = js_sys::Reflect::get(&p, &"tooltip".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(tooltip.get(0).as_string().as_deref(), Some("College 2"));
    // Every point's text in one call, in keyboard order: its tooltip lines joined by ". ".
    let texts = chart.point_texts(0, 1000).unwrap();
    assert_eq!(texts.len(), 31);
    let order = chart.point_order().unwrap();
    let pos = order.iter().position(|&k| k == i).unwrap();
    let joined: Vec<String> = tooltip.iter().filter_map(|l| l.as_string()).collect();
    assert_eq!(texts[pos], joined.join(". "));
}

#[wasm_bindgen_test]
fn keyboard_walks_the_points() {
    let c = canvas();
    let mut chart = Chart::new(JsValue::from_str(&trend_spec("en"))).unwrap();
    chart.draw(c.into(), 480.0, 300.0, 1.0).unwrap();
    let first = chart
        .navigate(JsValue::UNDEFINED, "ArrowRight".into())
        .unwrap()
        .unwrap();
    let second = chart
        .navigate(first.into(), "ArrowRight".into())
        .unwrap()
        .unwrap();
    assert_ne!(first, second);
    assert_eq!(
        chart.navigate(second.into(), "ArrowLeft".into()).unwrap(),
        Some(first)
    );
    assert_eq!(chart.navigate(first.into(), "x".into()).unwrap(), None);
}

#[wasm_bindgen_test]
fn exports_carry_the_data_shown() {
    let c = canvas();
    let mut chart = Chart::new(JsValue::from_str(&trend_spec("ru"))).unwrap();
    chart.draw(c.into(), 480.0, 300.0, 1.0).unwrap();
    let svg = chart.svg().unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("<title>Трудоустройство</title>"));
    let csv = chart.csv().unwrap();
    assert!(csv.contains("# indicator,employment_rate,Трудоустройство"));
    assert!(csv.contains("# formula,employed / graduates × 100"));
    assert!(csv.starts_with("# chart,Трудоустройство\n"), "{csv}");
    // The exact value with full precision in the row of its year.
    assert!(csv.contains(",2022–2023,66.4,"), "{csv}");
    // A not-computable value is an empty field, never 0.
    assert!(csv.contains(",2023–2024,,"), "{csv}");
    let table = chart.table().unwrap();
    let rows: js_sys::Array = js_sys::Reflect::get(&table, &"rows".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(rows.length() >= 4);
}

#[wasm_bindgen_test]
fn malformed_arguments_are_errors_and_the_module_keeps_working() {
    let cases: Vec<(JsValue, &str)> = vec![
        (JsValue::from(3), "bad-spec"),
        (JsValue::NULL, "bad-spec"),
        (JsValue::UNDEFINED, "bad-spec"),
        (JsValue::from_str("{"), "bad-spec"),
        (JsValue::from_str("[]"), "bad-spec"),
        (JsValue::from_str(r#"{"data":{}}"#), "bad-spec"),
        (JsValue::from_str(r#"{"kind":7}"#), "bad-spec"),
        (JsValue::from_str(r#"{"kind":"pie"}"#), "unknown-kind"),
        (
            JsValue::from_str(r#"{"kind":"trend","data":[1]}"#),
            "bad-spec",
        ),
        (
            JsValue::from_str(r#"{"kind":"trend","data":{"points":{"year":1}}}"#),
            "bad-spec",
        ),
        (
            JsValue::from_str(r#"{"kind":"trend","data":{"points":[{"year":"x"}]}}"#),
            "bad-spec",
        ),
        (
            JsValue::from_str(r#"{"kind":"trend","lang":"de","data":{}}"#),
            "bad-argument",
        ),
        (
            JsValue::from_str(r#"{"kind":"trend","theme":"pink","data":{}}"#),
            "bad-argument",
        ),
        (JsValue::from_str(&"[".repeat(100_000)), "bad-spec"),
        // One item more than MAX_ITEMS (250,000) in a list.
        (
            JsValue::from_str(&format!(
                r#"{{"kind":"compare","data":{{"bars":[{}]}}}}"#,
                vec!["0"; 250_001].join(",")
            )),
            "too-large",
        ),
    ];
    for (spec, want) in cases {
        let err = Chart::new(spec).err().expect("an error");
        assert!(!message(&err, "kk").is_empty() && !message(&err, "ru").is_empty());
        assert_eq!(code(err), want);
    }
    // An object nested deeper than JSON.stringify allows is refused, not a crash.
    let deep = js_sys::Object::new();
    let mut inner: JsValue = deep.clone().into();
    for _ in 0..20_000 {
        let next = js_sys::Object::new();
        js_sys::Reflect::set(&inner, &"a".into(), &next).unwrap();
        inner = next.into();
    }
    assert!(Chart::new(deep.into()).is_err());
    // A cycle likewise.
    let cyclic = js_sys::Object::new();
    js_sys::Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    assert_eq!(code(Chart::new(cyclic.into()).err().unwrap()), "bad-spec");

    let mut chart = Chart::new(JsValue::from_str(&trend_spec("en"))).unwrap();
    // Nothing was drawn yet.
    assert_eq!(
        code(chart.hit_test(1.0, 1.0).err().unwrap()),
        "bad-argument"
    );
    assert_eq!(code(chart.csv().err().unwrap()), "bad-argument");
    // Not a canvas, bad sizes, bad ratios.
    assert_eq!(
        code(
            chart
                .draw(JsValue::from(1), 100.0, 100.0, 1.0)
                .err()
                .unwrap()
        ),
        "bad-argument"
    );
    let div = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .create_element("div")
        .unwrap();
    assert_eq!(
        code(chart.draw(div.into(), 100.0, 100.0, 1.0).err().unwrap()),
        "bad-argument"
    );
    let c = canvas();
    for (w, h, dpr) in [
        (f64::NAN, 100.0, 1.0),
        (0.0, 100.0, 1.0),
        (1e9, 100.0, 1.0),
        (100.0, 100.0, 0.0),
        (100.0, 100.0, f64::INFINITY),
    ] {
        assert_eq!(
            code(chart.draw(c.clone().into(), w, h, dpr).err().unwrap()),
            "bad-argument"
        );
    }
    chart.draw(c.clone().into(), 300.0, 200.0, 1.0).unwrap();
    assert_eq!(chart.hit_test(f64::NAN, f64::INFINITY).unwrap(), None);
    for i in [-1.0, 0.5, 1e12, f64::NAN] {
        assert_eq!(code(chart.point(i).err().unwrap()), "bad-argument");
    }
    assert_eq!(
        code(
            chart
                .navigate("x".into(), "ArrowRight".into())
                .err()
                .unwrap()
        ),
        "bad-argument"
    );
    assert_eq!(
        code(chart.navigate(JsValue::UNDEFINED, 3.into()).err().unwrap()),
        "bad-argument"
    );
    // Dataset loading (engine build): wrong types and an empty file.
    #[cfg(feature = "engine")]
    {
        let file = |name: JsValue, bytes: JsValue| {
            let o = js_sys::Object::new();
            js_sys::Reflect::set(&o, &"name".into(), &name).unwrap();
            js_sys::Reflect::set(&o, &"bytes".into(), &bytes).unwrap();
            JsValue::from(js_sys::Array::of1(&o))
        };
        assert_eq!(code(Engine::load(3.into()).err().unwrap()), "bad-argument");
        assert_eq!(
            code(
                Engine::load(file(
                    1.into(),
                    js_sys::Uint8Array::new_with_length(3).into()
                ))
                .err()
                .unwrap()
            ),
            "bad-argument"
        );
        assert_eq!(
            code(
                Engine::load(file("a.csv".into(), "text".into()))
                    .err()
                    .unwrap()
            ),
            "bad-argument"
        );
        assert_eq!(
            code(
                Engine::load(file(
                    "a.csv".into(),
                    js_sys::Uint8Array::new_with_length(0).into()
                ))
                .err()
                .unwrap()
            ),
            "import"
        );
        assert_eq!(
            code(Engine::load(js_sys::Array::new().into()).err().unwrap()),
            "import"
        );
    }

    // Still working: a new chart draws and answers.
    let mut again = Chart::new(JsValue::from_str(&compare_spec(12))).unwrap();
    again.draw(c.clone().into(), 400.0, 400.0, 1.0).unwrap();
    assert!(ink(&c) > 0.01);
    // 12 bars and the peer-median line.
    assert_eq!(again.point_count(), 13);
}

/// The cell stream of a workbook with one sheet, written by hand from the layout in
/// kpi-import's `workbook` module (not by the writer the spreadsheet module uses).
#[cfg(feature = "engine")]
fn hand_written_stream(sheet: &str, rows: &[&[&str]]) -> Vec<u8> {
    let text = |out: &mut Vec<u8>, t: &str| {
        out.extend((t.len() as u32).to_le_bytes());
        out.extend(t.as_bytes());
    };
    let mut s = b"\0KPIWB1\n".to_vec();
    s.extend(4321u64.to_le_bytes()); // the workbook file's size
    s.push(1); // sheets follow
    s.extend(1u32.to_le_bytes());
    text(&mut s, sheet);
    s.extend([1, 1]); // cells read, not empty
    s.extend(0u32.to_le_bytes()); // first row 0 (row 1)
    s.extend(0u32.to_le_bytes()); // first column A
    s.extend((rows[0].len() as u32).to_le_bytes());
    s.extend((rows.len() as u32).to_le_bytes());
    for row in rows {
        for cell in *row {
            s.push(1);
            text(&mut s, cell);
        }
    }
    s.extend(0u32.to_le_bytes()); // no formulas
    s
}

/// The files of a load, `[{name, bytes}]`, as `Engine.load` takes them.
#[cfg(feature = "engine")]
fn files(list: &[(&str, &[u8])]) -> JsValue {
    let a = js_sys::Array::new();
    for (name, bytes) in list {
        let o = js_sys::Object::new();
        js_sys::Reflect::set(&o, &"name".into(), &(*name).into()).unwrap();
        js_sys::Reflect::set(&o, &"bytes".into(), &js_sys::Uint8Array::from(*bytes)).unwrap();
        a.push(&o);
    }
    JsValue::from(a)
}

#[cfg(feature = "engine")]
#[wasm_bindgen_test]
fn a_workbook_is_read_from_its_cell_stream_never_from_its_zip() {
    use kpi_widgets::engine::is_workbook;
    assert!(is_workbook("data.xlsx", b"PK\x03\x04\x14\x00"));
    assert!(is_workbook("data", b"PK\x05\x06"));
    assert!(!is_workbook("organisations.csv", b"org_id,name"));
    assert!(!is_workbook("data.parquet", b"PK\x03\x04"));
    let stream = hand_written_stream(
        "organisations",
        &[
            &["org_id", "name", "level", "region"],
            &["S1", "School 1", "school", "Abai"],
            &["S2", "School 2", "school", "Abai"],
            &["S3", "College 3", "college", "Abai"],
        ],
    );
    let engine = Engine::load(files(&[("book.xlsx", &stream)])).unwrap();
    assert_eq!(engine.organisation_count(), 3);
    // The zip itself: this module has no XLSX reader, and says which module reads it.
    let csv = b"org_id,name,level,region\nS1,School 1,school,Abai\n";
    let engine = Engine::load(files(&[
        ("organisations.csv", csv),
        ("book.xlsx", b"PK\x03\x04 a workbook"),
    ]))
    .unwrap();
    assert_eq!(engine.organisation_count(), 1);
    let info = engine.info("en".into()).unwrap();
    let issues = js_sys::Reflect::get(&info, &"issues".into()).unwrap();
    let text = js_sys::JSON::stringify(&issues)
        .unwrap()
        .as_string()
        .unwrap();
    assert!(
        text.contains("book.xlsx") && text.contains("spreadsheet module"),
        "{text}"
    );
}

/// The ranking the dataset worker posts as JSON text (`rankingJson`) is the ranking
/// `ranking` gives as objects, for the same peers and language, and it honours both.
#[cfg(feature = "engine")]
#[wasm_bindgen_test]
fn ranking_as_json_text_is_the_ranking() {
    let engine = Engine::load(files(&[
        (
            "organisations.csv",
            include_bytes!("../../demo/data/organisations.csv"),
        ),
        (
            "observations.csv",
            include_bytes!("../../demo/data/observations.csv"),
        ),
    ]))
    .unwrap();
    let stringify = |v: &JsValue| js_sys::JSON::stringify(v).unwrap().as_string().unwrap();
    for (peers, lang) in [
        (JsValue::NULL, "en"),
        (js_sys::JSON::parse(r#"{"level":"college"}"#).unwrap(), "kk"),
    ] {
        let objects = engine.ranking(peers.clone(), lang.into()).unwrap();
        let text = engine.ranking_json(peers.clone(), lang.into()).unwrap();
        let parsed = js_sys::JSON::parse(&text).unwrap();
        assert_eq!(stringify(&parsed), stringify(&objects));
        let rows: js_sys::Array = parsed.into();
        assert!(rows.length() > 0, "{lang}: no rows");
        if !peers.is_null() {
            assert!(rows
                .iter()
                .all(|r| { js_sys::Reflect::get(&r, &"level".into()).unwrap() == "college" }));
        }
    }
}
