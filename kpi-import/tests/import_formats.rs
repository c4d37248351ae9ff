//! One small hand-written dataset, written in every supported format,
//! encoding, separator and header language, must give the same metric values.
//!
//! The dataset (values computed by hand below):
//!
//! * organisations: `U1` (university, programme 6B01101) and `S1` (school);
//! * observations: U1 2022: 1000 enrolled, 80.5 FTE teachers; S1 2023: 450 enrolled, 35.5 FTE;
//! * students of U1's programme 6B01101 in 2023 (bachelor thresholds 1.33 / 1.67 / 2.00):
//!
//!   | id | course | status     | gpa              | employed | further |
//!   |----|--------|------------|------------------|----------|---------|
//!   | s1 | 1      | enrolled   | 1.20 (< 1.33)    |          |         |
//!   | s2 | 1      | enrolled   | 2.50             |          |         |
//!   | s3 | 2      | enrolled   | — (from grades)  |          |         |
//!   | s4 | 4      | graduated  | 3.00             | yes      | no      |
//!   | s5 | 4      | graduated  |                  | no       |         |
//!   | s6 | 2      | expelled   |                  |          |         |
//!   | s7 | 3      | repeating  | 1.90 (< 2.00)    |          |         |
//!   | s8 | 4      | enrolled   | 1.00 (final year: no threshold) |  |  |
//!
//! * grades of s3 in 2023: term 1 B+ (3.33) × 5 credits, score 60 (C-, 1.67) × 5 credits;
//!   term 2 FX (0.50) × 4 credits → GPA = (16.65 + 8.35 + 2.00) / 14 = 27 / 14 = 1.928571…
//!   (≥ 1.67, the course-2 threshold: not below);
//! * surveys 2023: U1 students 5, 4, 3, 2 and one empty answer; S1 parents 5, 5, 4.
//!
//! Expected for U1 2023 (organisation and programme unit alike):
//! students_enrolled = s1 s2 s3 s7 s8 = 5; graduates = 2; graduates_employed = 1
//! (2 known); graduates_further_study = 0 (1 known); expelled = 1; repeaters = 1;
//! gpa_mean = (1.20 + 2.50 + 27/14 + 1.90 + 1.00) / 5 = 1.7057142857…;
//! gpa_below_threshold = 2 (s1, s7).
//! Surveys: U1 answers_students 4, satisfied_students 2, satisfaction_students 0.5,
//! score_students (5 + 4 + 3 + 2) / 4 = 3.5; S1 answers_parents 3, satisfied 3,
//! satisfaction_parents 1.0, score_parents 14 / 3.

use kpi_import::{load, LoadOptions, Source};
use kpi_model::validate::Severity;
use kpi_model::Dataset;

/// A table: (name, headers, rows).
type Table = (&'static str, Vec<&'static str>, Vec<Vec<&'static str>>);

/// Canonical tables. `~` marks an empty cell.
fn tables() -> Vec<Table> {
    vec![
        (
            "organisations",
            vec!["org_id", "name", "level", "region", "ownership", "locality"],
            vec![
                vec![
                    "U1",
                    "University One",
                    "university",
                    "Almaty",
                    "state",
                    "urban",
                ],
                vec![
                    "S1",
                    "School One",
                    "school",
                    "Abai region",
                    "state",
                    "rural",
                ],
            ],
        ),
        (
            "observations",
            vec!["org_id", "year", "students_enrolled", "teachers_fte"],
            vec![
                vec!["U1", "2022", "1000", "80.5"],
                vec!["S1", "2023", "450", "35.5"],
            ],
        ),
        (
            "students",
            vec![
                "student_id",
                "org_id",
                "year",
                "programme",
                "course",
                "status",
                "gpa",
                "employed",
                "further_study",
            ],
            vec![
                vec![
                    "s1", "U1", "2023", "6B01101", "1", "enrolled", "1.20", "~", "~",
                ],
                vec![
                    "s2", "U1", "2023", "6B01101", "1", "enrolled", "2.50", "~", "~",
                ],
                vec![
                    "s3", "U1", "2023", "6B01101", "2", "enrolled", "~", "~", "~",
                ],
                vec![
                    "s4",
                    "U1",
                    "2023",
                    "6B01101",
                    "4",
                    "graduated",
                    "3.00",
                    "yes",
                    "no",
                ],
                vec![
                    "s5",
                    "U1",
                    "2023",
                    "6B01101",
                    "4",
                    "graduated",
                    "~",
                    "no",
                    "~",
                ],
                vec![
                    "s6", "U1", "2023", "6B01101", "2", "expelled", "~", "~", "~",
                ],
                vec![
                    "s7",
                    "U1",
                    "2023",
                    "6B01101",
                    "3",
                    "repeating",
                    "1.90",
                    "~",
                    "~",
                ],
                vec![
                    "s8", "U1", "2023", "6B01101", "4", "enrolled", "1.00", "~", "~",
                ],
            ],
        ),
        (
            "grades",
            vec![
                "student_id",
                "org_id",
                "year",
                "term",
                "course_code",
                "credits",
                "score",
                "letter",
            ],
            vec![
                vec!["s3", "U1", "2023", "1", "MAT101", "5", "~", "B+"],
                vec!["s3", "U1", "2023", "1", "PHY101", "5", "60", "~"],
                vec!["s3", "U1", "2023", "2", "CHE101", "4", "~", "FX"],
            ],
        ),
        (
            "surveys",
            vec![
                "org_id",
                "year",
                "survey",
                "respondent_id",
                "question",
                "score",
            ],
            vec![
                vec!["U1", "2023", "students", "r1", "q1", "5"],
                vec!["U1", "2023", "students", "r2", "q1", "4"],
                vec!["U1", "2023", "students", "r3", "q1", "3"],
                vec!["U1", "2023", "students", "r4", "q1", "2"],
                vec!["U1", "2023", "students", "r5", "q1", "~"],
                vec!["S1", "2023", "parents", "p1", "q1", "5"],
                vec!["S1", "2023", "parents", "p2", "q1", "5"],
                vec!["S1", "2023", "parents", "p3", "q1", "4"],
            ],
        ),
    ]
}

/// A spelling of the dataset: table names, headers, values, years, decimal mark.
struct Dialect {
    table: fn(&str) -> &'static str,
    header: fn(&str) -> &'static str,
    value: fn(&str) -> String,
}

fn english() -> Dialect {
    Dialect {
        table: |t| match t {
            "organisations" => "organisations",
            "observations" => "observations",
            "students" => "students",
            "grades" => "grades",
            _ => "surveys",
        },
        header: |h| Box::leak(h.to_string().into_boxed_str()),
        value: |v| v.to_string(),
    }
}

fn russian() -> Dialect {
    Dialect {
        table: |t| match t {
            "organisations" => "организации",
            "observations" => "показатели",
            "students" => "студенты",
            "grades" => "оценки",
            _ => "опросы",
        },
        header: |h| match h {
            "org_id" => "Код организации",
            "name" => "Наименование",
            "level" => "Уровень",
            "region" => "Область",
            "ownership" => "Форма собственности",
            "locality" => "Местность",
            "year" => "Учебный год",
            "students_enrolled" => "Контингент",
            "teachers_fte" => "Педагоги в ставках",
            "student_id" => "ИИН",
            "programme" => "Образовательная программа",
            "course" => "Курс",
            "status" => "Статус",
            "gpa" => "Средний балл",
            "employed" => "Трудоустройство",
            "further_study" => "Продолжение обучения",
            "term" => "Семестр",
            "course_code" => "Код дисциплины",
            "credits" => "Кредиты",
            "score" => "Балл",
            "letter" => "Буквенная оценка",
            "survey" => "Вид опроса",
            "respondent_id" => "Код респондента",
            "question" => "Вопрос",
            other => panic!("no Russian header for {other}"),
        },
        value: |v| {
            match v {
                "university" => "вуз",
                "school" => "школа",
                "state" => "государственная",
                "urban" => "город",
                "rural" => "село",
                "enrolled" => "обучается",
                "graduated" => "выпускник",
                "expelled" => "отчислен",
                "repeating" => "повторное обучение",
                "yes" => "да",
                "no" => "нет",
                "students" => "студенты",
                "parents" => "родители",
                "Almaty" => "Алматы",
                "Abai region" => "Абайская область",
                "2022" => "2022-2023",
                "2023" => "2023-2024",
                other => return other.replace('.', ","),
            }
            .to_string()
        },
    }
}

fn kazakh() -> Dialect {
    Dialect {
        table: |t| match t {
            "organisations" => "ұйымдар",
            "observations" => "көрсеткіштер",
            "students" => "студенттер",
            "grades" => "бағалар",
            _ => "сауалнамалар",
        },
        header: |h| match h {
            "org_id" => "БСН",
            "name" => "Атауы",
            "level" => "Деңгей",
            "region" => "Облыс",
            "ownership" => "Меншік нысаны",
            "locality" => "Елді мекен түрі",
            "year" => "Оқу жылы",
            "students_enrolled" => "Білім алушылар контингенті",
            "teachers_fte" => "Мөлшерлемелер саны",
            "student_id" => "ЖСН",
            "programme" => "Білім беру бағдарламасы",
            "course" => "Оқу курсы",
            "status" => "Мәртебесі",
            "gpa" => "Орташа балл",
            "employed" => "Жұмысқа орналасуы",
            "further_study" => "Оқуын жалғастыру",
            "term" => "Академиялық кезең",
            "course_code" => "Пән коды",
            "credits" => "Кредит",
            "score" => "Балл",
            "letter" => "Әріптік баға",
            "survey" => "Сауалнама түрі",
            "respondent_id" => "Респондент",
            "question" => "Сұрақ",
            other => panic!("no Kazakh header for {other}"),
        },
        value: |v| {
            match v {
                "university" => "ЖОО",
                "school" => "мектеп",
                "state" => "мемлекеттік",
                "urban" => "қала",
                "rural" => "ауыл",
                "enrolled" => "оқиды",
                "graduated" => "түлек",
                "expelled" => "оқудан шығарылды",
                "repeating" => "қайта оқу",
                "yes" => "иә",
                "no" => "жоқ",
                "students" => "студенттер",
                "parents" => "ата-аналар",
                "Almaty" => "Алматы",
                "Abai region" => "Абай облысы",
                // Cyrillic В: the look-alike letters are accepted.
                "B+" => "В+",
                "2022" => "2022/2023",
                "2023" => "2023/2024",
                other => return other.replace('.', ","),
            }
            .to_string()
        },
    }
}

fn cell(d: &Dialect, v: &str) -> String {
    if v == "~" {
        String::new()
    } else {
        (d.value)(v)
    }
}

/// Renders every table as delimited text in a dialect.
fn delimited(d: &Dialect, sep: char) -> Vec<(String, String)> {
    tables()
        .into_iter()
        .map(|(t, headers, rows)| {
            let mut text = headers
                .iter()
                .map(|h| (d.header)(h))
                .collect::<Vec<_>>()
                .join(&sep.to_string());
            text.push_str("\r\n");
            for r in rows {
                let line: Vec<String> = r.iter().map(|v| cell(d, v)).collect();
                text.push_str(&line.join(&sep.to_string()));
                text.push_str("\r\n");
            }
            ((d.table)(t).to_string(), text)
        })
        .collect()
}

fn text_sources(
    d: &Dialect,
    sep: char,
    ext: &str,
    encode: impl Fn(&str) -> Vec<u8>,
) -> Vec<Source> {
    delimited(d, sep)
        .into_iter()
        .map(|(name, text)| Source {
            name: format!("{name}.{ext}"),
            bytes: encode(&text),
        })
        .collect()
}

fn xlsx_source(d: &Dialect) -> Source {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (t, headers, rows) in tables() {
        let ws = wb.add_worksheet();
        ws.set_name((d.table)(t)).unwrap();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, (d.header)(h)).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                if *v == "~" {
                    continue;
                }
                // Numbers as numeric cells, as Excel stores them (ids stay text).
                match v.parse::<f64>() {
                    Ok(x) if headers[c as usize] != "student_id" => {
                        ws.write_number(r, c, x).unwrap();
                    }
                    _ => {
                        ws.write_string(r, c, cell(d, v)).unwrap();
                    }
                }
            }
        }
    }
    Source {
        name: "dataset.xlsx".into(),
        bytes: wb.save_to_buffer().unwrap(),
    }
}

/// JSON: one object of tables; observations in long form.
fn json_source() -> Source {
    let mut root = serde_json::Map::new();
    for (t, headers, rows) in tables() {
        let mut items = Vec::new();
        if t == "observations" {
            for r in &rows {
                for (c, metric) in headers.iter().enumerate().skip(2) {
                    items.push(serde_json::json!({
                        "org_id": r[0],
                        "year": r[1].parse::<i64>().unwrap(),
                        "metric": metric,
                        "value": r[c].parse::<f64>().unwrap(),
                    }));
                }
            }
        } else {
            for r in &rows {
                let mut obj = serde_json::Map::new();
                for (h, v) in headers.iter().zip(r) {
                    let value = if *v == "~" {
                        serde_json::Value::Null
                    } else if let (Ok(x), false) = (v.parse::<f64>(), *h == "student_id") {
                        serde_json::json!(x)
                    } else {
                        serde_json::json!(v)
                    };
                    obj.insert(h.to_string(), value);
                }
                items.push(serde_json::Value::Object(obj));
            }
        }
        root.insert(t.to_string(), serde_json::Value::Array(items));
    }
    Source {
        name: "dataset.json".into(),
        bytes: serde_json::to_vec_pretty(&serde_json::Value::Object(root)).unwrap(),
    }
}

fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

fn cp1251(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(text);
    assert!(!unmappable, "Russian text fits Windows-1251");
    bytes.into_owned()
}

fn utf8_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    out.extend_from_slice(text.as_bytes());
    out
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

fn check(label: &str, ds: &Dataset) {
    let issues: Vec<String> = ds.report().issues.iter().map(|i| i.to_string()).collect();
    assert_eq!(
        ds.report().count(Severity::Error),
        0,
        "{label}: errors: {issues:#?}"
    );
    assert_eq!(
        ds.report().count(Severity::Warning),
        0,
        "{label}: warnings: {issues:#?}"
    );
    assert!(
        ds.report().tables.iter().all(|t| t.accepted),
        "{label}: {:#?}",
        ds.report().tables
    );
    let u1 = ds.org_by_id("U1").expect("U1 loaded");
    let s1 = ds.org_by_id("S1").expect("S1 loaded");
    let (u1u, s1u) = (ds.org_unit(u1), ds.org_unit(s1));
    let prog = ds.programme_unit(u1, "6B01101").expect("programme unit");
    let v = |unit, year, m: &str| ds.value(unit, year, m);
    assert_eq!(v(u1u, 2022, "students_enrolled"), Some(1000.0), "{label}");
    assert_eq!(v(u1u, 2022, "teachers_fte"), Some(80.5), "{label}");
    assert_eq!(v(s1u, 2023, "students_enrolled"), Some(450.0), "{label}");
    assert_eq!(v(s1u, 2023, "teachers_fte"), Some(35.5), "{label}");
    for unit in [u1u, prog] {
        assert_eq!(v(unit, 2023, "students_enrolled"), Some(5.0), "{label}");
        assert_eq!(v(unit, 2023, "graduates"), Some(2.0), "{label}");
        assert_eq!(v(unit, 2023, "graduates_employed"), Some(1.0), "{label}");
        assert_eq!(
            v(unit, 2023, "graduates_further_study"),
            Some(0.0),
            "{label}"
        );
        assert_eq!(v(unit, 2023, "expelled"), Some(1.0), "{label}");
        assert_eq!(v(unit, 2023, "repeaters"), Some(1.0), "{label}");
        let gpa = (1.20 + 2.50 + 27.0 / 14.0 + 1.90 + 1.00) / 5.0;
        assert!(
            close(v(unit, 2023, "gpa_mean"), gpa),
            "{label}: {:?}",
            v(unit, 2023, "gpa_mean")
        );
        assert_eq!(v(unit, 2023, "gpa_below_threshold"), Some(2.0), "{label}");
    }
    assert_eq!(v(u1u, 2023, "answers_students"), Some(4.0), "{label}");
    assert_eq!(v(u1u, 2023, "satisfied_students"), Some(2.0), "{label}");
    assert_eq!(v(u1u, 2023, "satisfaction_students"), Some(0.5), "{label}");
    assert_eq!(v(u1u, 2023, "score_students"), Some(3.5), "{label}");
    assert_eq!(v(s1u, 2023, "answers_parents"), Some(3.0), "{label}");
    assert_eq!(v(s1u, 2023, "satisfaction_parents"), Some(1.0), "{label}");
    assert!(close(v(s1u, 2023, "score_parents"), 14.0 / 3.0), "{label}");
    // Organisations read with their classifications.
    let org = ds.org(u1);
    assert_eq!(org.level, kpi_model::Level::University, "{label}");
    assert_eq!(
        ds.org(s1).locality,
        Some(kpi_model::Locality::Rural),
        "{label}"
    );
    // Student ids by index, in the order first seen.
    assert_eq!(
        ds.students().ids,
        ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"],
        "{label}"
    );
    // s3's yearly GPA from grades: 27 / 14.
    let terms: Vec<_> = ds.terms().iter().filter(|t| t.year == 2023).collect();
    assert_eq!(terms.len(), 2, "{label}");
    let (w, c): (f64, f64) = terms.iter().fold((0.0, 0.0), |(w, c), t| {
        (w + t.weighted_points, c + t.credits)
    });
    assert!((w / c - 27.0 / 14.0).abs() < 1e-9, "{label}");
}

#[test]
fn csv_utf8_comma_english() {
    let ds = load(
        text_sources(&english(), ',', "csv", |t| t.as_bytes().to_vec()),
        &LoadOptions::default(),
    );
    check("csv utf-8 ,", &ds);
}

#[test]
fn csv_utf8_bom_semicolon_english() {
    let ds = load(
        text_sources(&english(), ';', "csv", utf8_bom),
        &LoadOptions::default(),
    );
    check("csv utf-8 bom ;", &ds);
}

#[test]
fn csv_windows1251_semicolon_russian_decimal_comma() {
    let ds = load(
        text_sources(&russian(), ';', "csv", cp1251),
        &LoadOptions::default(),
    );
    check("csv windows-1251 ; ru", &ds);
}

#[test]
fn tsv_utf16_tab_kazakh_decimal_comma() {
    let ds = load(
        text_sources(&kazakh(), '\t', "txt", utf16le_bom),
        &LoadOptions::default(),
    );
    check("tsv utf-16 kk", &ds);
}

#[test]
fn xlsx_sheets_kazakh_and_russian() {
    check(
        "xlsx kk",
        &load(vec![xlsx_source(&kazakh())], &LoadOptions::default()),
    );
    check(
        "xlsx ru",
        &load(vec![xlsx_source(&russian())], &LoadOptions::default()),
    );
}

#[test]
fn json_object_of_tables_with_long_observations() {
    check("json", &load(vec![json_source()], &LoadOptions::default()));
}

#[test]
fn file_order_does_not_matter() {
    let mut sources = text_sources(&english(), ',', "csv", |t| t.as_bytes().to_vec());
    sources.reverse();
    check("reversed", &load(sources, &LoadOptions::default()));
}

#[test]
fn a_kyrgyz_export_reads_with_kyrgyz_headers_values_regions_and_ids() {
    // A 14-digit ИНН, an 8-digit ОКПО; levels, ownership and regions as written in Kyrgyzstan.
    let orgs = "ИНН;Уюмдун аты;Билим берүү деңгээли;Облус;Менчигинин түрү\n\
                02103199910045;Нарын колледжи;орто кесиптик окуу жайы;Нарын облусу;мамлекеттик\n\
                21345678;Бишкек университети;ЖОЖ;г. Бишкек;жеке менчик\n\
                00512200310021;№ 5 мектеп;мектеп;Нарынская область;мамлекеттик\n";
    let obs = "ИНН;Окуу жылы;Студенттердин саны, киши;Окутуучулардын саны;Бүтүрүүчүлөр;Жумушка орношкон бүтүрүүчүлөр\n\
               02103199910045;2023-2024 окуу жылы;640;40;150;120\n\
               21345678;2023-2024 окуу жылы;3200;160;700;560\n\
               00512200310021;2023-2024 окуу жылы;900;60;;\n";
    let ds = load(
        vec![
            Source {
                name: "уюмдар.csv".into(),
                bytes: orgs.as_bytes().to_vec(),
            },
            Source {
                name: "көрсөткүчтөр.csv".into(),
                bytes: obs.as_bytes().to_vec(),
            },
        ],
        &LoadOptions::default(),
    );
    assert!(!ds.report().has_errors(), "{:#?}", ds.report().issues);
    let org = |id: &str| ds.org(ds.org_by_id(id).unwrap());
    assert_eq!(org("02103199910045").level, kpi_model::Level::College);
    assert_eq!(org("21345678").level, kpi_model::Level::University);
    assert_eq!(org("00512200310021").level, kpi_model::Level::School);
    assert_eq!(
        org("21345678").ownership,
        Some(kpi_model::Ownership::Private)
    );
    // "Нарынская область" is the Naryn oblast written first as "Нарын облусу".
    assert_eq!(org("00512200310021").region, "Нарын облусу");
    let v = |id: &str, m: &str| ds.value(ds.org_unit(ds.org_by_id(id).unwrap()), 2023, m);
    assert_eq!(v("02103199910045", "students_enrolled"), Some(640.0));
    assert_eq!(v("21345678", "teachers_total"), Some(160.0));
    assert_eq!(v("21345678", "graduates"), Some(700.0));
    assert_eq!(v("02103199910045", "graduates_employed"), Some(120.0));
    assert_eq!(v("00512200310021", "graduates"), None);
}

/// Region spellings repeated and interleaved over many rows: each row keeps
/// the region's first spelling, each other spelling is noted once (at the row
/// where it was first read), and a region the book does not know keeps its
/// own spelling on every row.
#[test]
fn region_spellings_are_read_as_the_first_spelling_on_every_row() {
    let spellings = ["г. Астана", "Астана қаласы", "Astana", "Атлантида"];
    let mut text = String::from("org_id,name,level,region\n");
    let mut expected = Vec::new();
    // Other spellings of Astana in the order first met, and the file line of the first.
    let mut others: Vec<&str> = Vec::new();
    let mut first_line = 0;
    for i in 0..40 {
        // 0, 2, 0, 3, 1, 2, 2, 0, 1 … : every spelling many times, interleaved.
        let s = spellings[(i * 7 / 3 + i / 5) % 4];
        text.push_str(&format!("U{i:03},School {i},school,{s}\n"));
        let kept = if s == "Атлантида" {
            s
        } else {
            "г. Астана"
        };
        expected.push((format!("U{i:03}"), kept));
    }
    for (i, line) in text.lines().enumerate().skip(1) {
        let s = line.rsplit(',').next().unwrap_or_default();
        if s != "г. Астана" && s != "Атлантида" && !others.contains(&s) {
            if others.is_empty() {
                first_line = i + 1;
            }
            others.push(s);
        }
    }
    assert_eq!(others.len(), 2, "both other spellings occur");
    let ds = load(
        vec![Source {
            name: "organisations.csv".into(),
            bytes: text.clone().into_bytes(),
        }],
        &LoadOptions::default(),
    );
    for (id, kept) in &expected {
        let org = ds.org_by_id(id).expect("loaded");
        assert_eq!(ds.organisations()[org.0 as usize].region, *kept, "{id}");
    }
    let notes: Vec<String> = ds
        .report()
        .issues
        .iter()
        .filter(|i| i.message.starts_with("region names written differently"))
        .map(|i| format!("{}: {}", i.location.row.unwrap_or(0), i.message))
        .collect();
    let pairs: Vec<String> = others
        .iter()
        .map(|o| format!("«{o}» as «г. Астана»"))
        .collect();
    assert_eq!(
        notes,
        [format!(
            "{first_line}: region names written differently are read as one region: {}",
            pairs.join(", ")
        )],
    );
}
