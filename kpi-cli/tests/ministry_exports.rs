//! Exports shaped like real ministry and ҰБДҚ/НОБД downloads, built here
//! (no hand-made binaries) as an XLSX workbook and as Windows-1251 CSV with
//! `;`, loaded by one `kpi indicators` call each. The expected values are
//! worked out below from the numbers written into the files.
//!
//! What the layouts carry: title and blank rows above the header; a header
//! of two rows under merged cells (`Контингент обучающихся, чел.` over
//! `всего / девочки / мальчики`); units and a scale in headers (`, чел.`,
//! `тыс. тенге`); a `№ п/п` column; years as `2022-2023 уч. год` and as a
//! date; `н/д`, `-`, `х` for missing values; totals rows; one region in two
//! spellings; a total that disagrees with its breakdowns; and one unreadable
//! cell (`2O`), which must be the only value lost.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;

use common::kpi;

const U1: &str = "000000000011";
const U2: &str = "000000000022";
const S3: &str = "000000000033";

/// A cell of the layouts: text or a number (written as a number in XLSX).
#[derive(Clone)]
enum C {
    T(&'static str),
    N(f64),
    /// A date: an Excel date in XLSX, `DD.MM.YYYY` in CSV.
    D(u16, u8, u8),
    E,
}

use C::{D, E, N, T};

/// The organisations sheet: title, subtitle, a blank row, then the header at row 4.
fn organisations() -> Vec<Vec<C>> {
    vec![
        vec![T("Справочник организаций образования")],
        vec![T("по состоянию на 01.10.2023")],
        vec![],
        vec![
            T("№ п/п"),
            T("БИН"),
            T("Наименование организации"),
            T("Вид организации"),
            T("Область"),
            T("Форма собственности"),
        ],
        vec![
            N(1.0),
            T(U1),
            T("Колледж №1"),
            T("колледж"),
            T("г. Астана"),
            T("государственная"),
        ],
        // The same region, spelt otherwise.
        vec![
            N(2.0),
            T(U2),
            T("Колледж №2"),
            T("колледж"),
            T("Астана"),
            T("частная"),
        ],
        vec![
            N(3.0),
            T(S3),
            T("Школа-лицей №3"),
            T("школа"),
            T("Карагандинская область"),
            T("гос"),
        ],
        vec![E, E, T("Итого: 3 организации")],
    ]
}

/// The indicators sheet: a title and a blank row, a two-row header at rows 3–4, data from row 5.
fn observations() -> Vec<Vec<C>> {
    vec![
        vec![T("Показатели деятельности организаций образования")],
        vec![],
        vec![
            T("№"),
            T("БИН"),
            T("Учебный год"),
            T("Контингент обучающихся, чел."),
            E,
            E,
            T("Количество педагогов, чел."),
            T("Бюджет, тыс. тенге"),
            T("Выпускники"),
            T("Трудоустроенные выпускники"),
        ],
        vec![E, E, E, T("всего"), T("девочки"), T("мальчики"), E, E, E, E],
        // row 5
        vec![
            N(1.0),
            T(U1),
            T("2022-2023 уч. год"),
            N(500.0),
            N(260.0),
            N(240.0),
            N(40.0),
            N(1500.0),
            N(100.0),
            N(80.0),
        ],
        // row 6: 270 + 255 = 525, not the 520 written as the total
        vec![
            N(2.0),
            T(U1),
            T("2023-2024 уч. год"),
            N(520.0),
            N(270.0),
            N(255.0),
            N(42.0),
            T("1 600,5"),
            N(110.0),
            T("х"),
        ],
        // row 7: no breakdown, no budget
        vec![
            N(3.0),
            T(U2),
            T("2022-2023 уч. год"),
            N(300.0),
            T("н/д"),
            T("н/д"),
            N(25.0),
            T("-"),
            N(60.0),
            N(45.0),
        ],
        // row 8: the one unreadable cell, teachers "2O"
        vec![
            N(4.0),
            T(U2),
            T("2023-2024 уч. год"),
            N(310.0),
            N(150.0),
            N(160.0),
            T("2O"),
            N(900.0),
            N(70.0),
            N(50.0),
        ],
        // row 9: the year as a date (1 October 2023: academic year 2023-2024)
        vec![
            N(5.0),
            T(S3),
            D(2023, 10, 1),
            N(800.0),
            N(410.0),
            N(390.0),
            N(60.0),
            N(2000.0),
            T("х"),
            T("х"),
        ],
        // row 10: totals
        vec![
            T("Итого"),
            E,
            E,
            N(2430.0),
            E,
            E,
            N(167.0),
            N(6000.5),
            N(340.0),
            N(263.0),
        ],
    ]
}

fn text_of(c: &C) -> String {
    match c {
        T(t) => (*t).to_string(),
        N(v) => {
            if v.fract() == 0.0 {
                format!("{}", *v as i64)
            } else {
                format!("{v}").replace('.', ",")
            }
        }
        D(y, m, d) => format!("{d:02}.{m:02}.{y}"),
        E => String::new(),
    }
}

/// Windows-1251 CSV with `;`, as Excel saves it (every row as wide as the header).
fn write_csv(path: &Path, rows: &[Vec<C>]) {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut text = String::new();
    for r in rows {
        let mut cells: Vec<String> = r.iter().map(text_of).collect();
        cells.resize(width, String::new());
        text.push_str(&cells.join(";"));
        text.push_str("\r\n");
    }
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1251.encode(&text);
    assert!(!lossy, "the CSV text fits Windows-1251");
    std::fs::write(path, bytes).unwrap();
}

fn write_sheet(
    ws: &mut rust_xlsxwriter::Worksheet,
    rows: &[Vec<C>],
    merge: Option<(u32, u16, u16)>,
) {
    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32;
        for (j, c) in r.iter().enumerate() {
            let col = j as u16;
            match c {
                T(t) => {
                    ws.write_string(row, col, *t).unwrap();
                }
                N(v) => {
                    ws.write_number(row, col, *v).unwrap();
                }
                D(y, m, d) => {
                    let when = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(row, col, &when, &date)
                        .unwrap();
                }
                E => {}
            }
        }
    }
    if let Some((row, first, last)) = merge {
        let text = match &rows[row as usize][first as usize] {
            T(t) => *t,
            _ => "",
        };
        ws.merge_range(row, first, row, last, text, &rust_xlsxwriter::Format::new())
            .unwrap();
    }
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kpi-ministry-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The workbook: two sheets named as the ministry names them.
fn workbook(dir: &Path) -> PathBuf {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet().set_name("Организации").unwrap();
    write_sheet(ws, &organisations(), None);
    let ws = book.add_worksheet().set_name("Показатели").unwrap();
    write_sheet(ws, &observations(), Some((2, 3, 5)));
    let path = dir.join("НОБД_2023.xlsx");
    book.save(&path).unwrap();
    path
}

fn csv_files(dir: &Path) -> PathBuf {
    write_csv(&dir.join("организации.csv"), &organisations());
    write_csv(&dir.join("показатели.csv"), &observations());
    dir.to_path_buf()
}

/// (org, year, indicator) → (value, status, reason), as `kpi indicators` prints them.
type Values = HashMap<(String, i32, String), (Option<f64>, String, String)>;

/// `kpi indicators … --format csv` as [`Values`].
fn indicators(path: &Path) -> (Values, Output) {
    let out = kpi(&["indicators", path.to_str().unwrap(), "--format", "csv"]);
    let mut map = HashMap::new();
    let mut rdr = csv::Reader::from_reader(out.stdout.as_slice());
    for rec in rdr.records() {
        let rec = rec.unwrap();
        if !rec[1].is_empty() {
            continue; // programme rows
        }
        map.insert(
            (
                rec[0].to_string(),
                rec[2].parse().unwrap(),
                rec[3].to_string(),
            ),
            (rec[4].parse().ok(), rec[6].to_string(), rec[7].to_string()),
        );
    }
    (map, out)
}

/// The issues `kpi validate` lists, one line each.
fn validate(path: &Path) -> (String, Option<i32>) {
    let out = kpi(&["validate", path.to_str().unwrap()]);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code(),
    )
}

fn check(path: &Path, file_of: &dyn Fn(&str) -> String) {
    let (values, out) = indicators(path);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    // One cell lost, said on stderr; nothing else rejected; exit 0.
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr,
        "kpi: 1 cell rejected: run `kpi validate` for where and why\n"
    );
    let value = |org: &str, year: i32, ind: &str| {
        values
            .get(&(org.to_string(), year, ind.to_string()))
            .unwrap_or_else(|| panic!("{org} {year} {ind} missing from the output"))
            .clone()
    };
    let close = |got: Option<f64>, want: f64, what: &str| {
        let got = got.unwrap_or_else(|| panic!("{what}: not computed"));
        assert!(
            (got - want).abs() <= 1e-9 * want.abs(),
            "{what}: {got} != {want}"
        );
    };
    // Students per teacher: the total ("всего") over teachers.
    close(
        value(U1, 2022, "student_teacher_ratio").0,
        500.0 / 40.0,
        "U1 2022 ratio",
    );
    // The written total (520) is used, not female + male (525).
    close(
        value(U1, 2023, "student_teacher_ratio").0,
        520.0 / 42.0,
        "U1 2023 ratio",
    );
    close(
        value(U2, 2022, "student_teacher_ratio").0,
        300.0 / 25.0,
        "U2 2022 ratio",
    );
    close(
        value(S3, 2023, "student_teacher_ratio").0,
        800.0 / 60.0,
        "S3 2023 ratio",
    );
    // The unreadable teachers cell: that ratio alone is not computable.
    let (v, status, reason) = value(U2, 2023, "student_teacher_ratio");
    assert_eq!(v, None);
    assert_ne!(status, "ok");
    assert!(reason.contains("teachers_total"), "{reason}");
    // Budget in thousands of tenge: 1500 × 1000 / 500 students.
    close(
        value(U1, 2022, "spending_per_student").0,
        1_500_000.0 / 500.0,
        "U1 2022 spending",
    );
    close(
        value(U1, 2023, "spending_per_student").0,
        1_600_500.0 / 520.0,
        "U1 2023 spending",
    );
    close(
        value(U2, 2023, "spending_per_student").0,
        900_000.0 / 310.0,
        "U2 2023 spending",
    );
    // "-": no budget, not a zero budget.
    assert_eq!(value(U2, 2022, "spending_per_student").0, None);
    close(
        value(U1, 2022, "employment_rate").0,
        100.0 * 80.0 / 100.0,
        "U1 2022 employment",
    );
    close(
        value(U2, 2023, "employment_rate").0,
        100.0 * 50.0 / 70.0,
        "U2 2023 employment",
    );
    // "х": not given, so not computable (not 0 %).
    let (v, status, reason) = value(U1, 2023, "employment_rate");
    assert_eq!(v, None);
    assert_ne!(status, "ok");
    assert!(reason.contains("graduates_employed"), "{reason}");
    // Gender parity from the breakdowns: female / male = 260 / 240 > 1, so
    // the adjusted index (UNESCO) is 2 − male / female.
    close(
        value(U1, 2022, "gender_parity_enrolment").0,
        2.0 - 240.0 / 260.0,
        "U1 2022 parity",
    );
    // No totals row became an organisation, and nothing else is there.
    let orgs: std::collections::BTreeSet<&str> = values.keys().map(|k| k.0.as_str()).collect();
    assert_eq!(orgs.into_iter().collect::<Vec<_>>(), [U1, U2, S3]);

    let (listing, code) = validate(path);
    assert_eq!(code, Some(1), "{listing}");
    let errors: Vec<&str> = listing
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    // The one bad cell, at its file/sheet, row and column, with the value found.
    assert_eq!(errors.len(), 1, "{listing}");
    let obs = file_of("показатели");
    assert!(
        errors[0].starts_with(&format!(
            "{obs}:8:Количество педагогов: error: cannot read the value as a number"
        )),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("found \"2O\""), "{}", errors[0]);
    let orgs = file_of("организации");
    for expected in [
        format!("{orgs}:4: note: header found at row 4; rows 1–3 read as title: «Справочник организаций образования / по состоянию на 01.10.2023»"),
        format!("{obs}:3: note: header found at row 3; rows 1–2 read as title: «Показатели деятельности организаций образования»"),
        format!("{obs}:3: note: rows 3 and 4 form one header (merged cells): read as БИН, Учебный год, Контингент обучающихся, Контингент обучающихся.female, Контингент обучающихся.male, Количество педагогов, Бюджет, Выпускники, Трудоустроенные выпускники"),
        format!("{obs}:3: note: column «№» holds row numbers: ignored"),
        format!("{obs}:3: note: values are multiplied by the scale written in their header: «Бюджет, тыс. тенге» ×1000"),
        format!("{obs}:10: note: row 10 labelled «Итого» holds totals, not an organisation: skipped"),
        format!("{orgs}:8: note: row 8 labelled «Итого: 3 организации» holds totals, not an organisation: skipped"),
        format!("{obs}:6:Трудоустроенные выпускники: warning: 6 cells hold a \"no data\" marker such as `х`"),
        format!("{obs}:6:students_enrolled: warning: org `{U1}`, 2023: the total of `students_enrolled` is 520 but female 270 + male 255 = 525; the total is used"),
        format!("{orgs}:6:Область: note: region names written differently are read as one region: «Астана» as «г. Астана»"),
    ] {
        let found = listing.lines().any(|l| l.starts_with(expected.as_str()));
        assert!(found, "missing: {expected}\nin:\n{listing}");
    }
}

#[test]
fn a_ministry_workbook_loads_as_it_comes() {
    let dir = out_dir("xlsx");
    let book = workbook(&dir);
    let name = book.display().to_string();
    check(&book, &|sheet: &str| {
        let sheet = if sheet == "показатели" {
            "Показатели"
        } else {
            "Организации"
        };
        format!("{name}[{sheet}]")
    });
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_same_export_as_windows_1251_csv_loads_the_same() {
    let dir = out_dir("csv");
    let folder = csv_files(&dir);
    let d = folder.display().to_string();
    check(&folder, &|stem: &str| format!("{d}/{stem}.csv"));
    std::fs::remove_dir_all(&dir).ok();
}

/// A flat export: one sheet, one row per organisation and year, with the
/// organisation's attributes beside its metrics (no organisations table).
fn flat() -> Vec<Vec<C>> {
    vec![
        vec![T("Мониторинг качества образования, 2022–2024")],
        vec![
            T("№ п/п"),
            T("БИН"),
            T("Наименование"),
            T("Уровень образования"),
            T("Регион"),
            T("Учебный год"),
            T("Контингент, чел."),
            T("Количество педагогов, чел."),
        ],
        vec![
            N(1.0),
            T(U1),
            T("Колледж №1"),
            T("колледж"),
            T("г. Алматы"),
            T("2022/2023"),
            N(450.0),
            N(30.0),
        ],
        vec![
            N(2.0),
            T(U1),
            T("Колледж №1"),
            T("колледж"),
            T("г. Алматы"),
            T("2023/2024"),
            N(480.0),
            N(32.0),
        ],
        vec![
            N(3.0),
            T(S3),
            T("Школа №3"),
            T("школа"),
            T("Алматы"),
            T("2023/2024"),
            N(900.0),
            N(75.0),
        ],
        vec![T("Всего"), E, E, E, E, E, N(1830.0), N(137.0)],
    ]
}

#[test]
fn a_flat_single_sheet_export_gives_organisations_and_metrics() {
    let dir = out_dir("flat");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet().set_name("Мониторинг").unwrap();
    write_sheet(ws, &flat(), None);
    let xlsx = dir.join("flat.xlsx");
    book.save(&xlsx).unwrap();
    let csv_dir = dir.join("csv");
    std::fs::create_dir_all(&csv_dir).unwrap();
    write_csv(&csv_dir.join("мониторинг.csv"), &flat());
    for path in [xlsx, csv_dir] {
        let (values, out) = indicators(&path);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            (out.status.code(), stderr.as_str()),
            (Some(0), ""),
            "{path:?}"
        );
        let ratio = |org: &str, year: i32| {
            values
                .get(&(org.to_string(), year, "student_teacher_ratio".to_string()))
                .and_then(|v| v.0)
        };
        assert_eq!(ratio(U1, 2022), Some(450.0 / 30.0));
        assert_eq!(ratio(U1, 2023), Some(480.0 / 32.0));
        assert_eq!(ratio(S3, 2023), Some(900.0 / 75.0));
        let orgs: std::collections::BTreeSet<&str> = values.keys().map(|k| k.0.as_str()).collect();
        assert_eq!(orgs.into_iter().collect::<Vec<_>>(), [U1, S3]);
        let (listing, code) = validate(&path);
        assert_eq!(code, Some(0), "{listing}");
        assert!(
            listing.contains("holds both the organisations and their metrics (one row per organisation and year): 2 organisations are read from it, then its metrics"),
            "{listing}"
        );
        assert!(listing.contains("«Алматы» as «г. Алматы»"), "{listing}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The same kind of workbook with Kazakh headers, as ҰБДҚ exports it in the state language.
#[test]
fn a_kazakh_language_workbook_loads_as_it_comes() {
    let orgs = vec![
        vec![T("Білім беру ұйымдарының тізімі")],
        vec![],
        vec![
            T("Р/с №"),
            T("БСН"),
            T("Ұйымның атауы"),
            T("Білім беру деңгейі"),
            T("Облыс"),
        ],
        vec![
            N(1.0),
            T(U1),
            T("№1 колледж"),
            T("колледж"),
            T("Астана қаласы"),
        ],
        vec![
            N(2.0),
            T(S3),
            T("№3 мектеп-лицей"),
            T("мектеп"),
            T("Қарағанды облысы"),
        ],
        vec![E, E, T("Барлығы: 2 ұйым")],
    ];
    let obs = vec![
        vec![T("Ұйымдардың көрсеткіштері")],
        vec![
            T("БСН"),
            T("Оқу жылы"),
            T("Білім алушылар контингенті, адам"),
            E,
            E,
            T("Педагогтар саны, адам"),
            T("Шығыстар, мың теңге"),
        ],
        vec![E, E, T("барлығы"), T("қыздар"), T("ұлдар"), E, E],
        vec![
            T(U1),
            T("2022–2023 оқу жылы"),
            N(500.0),
            N(260.0),
            N(240.0),
            N(40.0),
            N(1500.0),
        ],
        vec![
            T(U1),
            T("2023–2024 оқу жылы"),
            N(520.0),
            N(262.0),
            N(258.0),
            T("мәлімет жоқ"),
            N(1600.0),
        ],
        vec![
            T(S3),
            T("2023–2024 оқу жылы"),
            N(800.0),
            N(410.0),
            N(390.0),
            N(60.0),
            N(2000.0),
        ],
        vec![T("Жиыны"), E, N(1820.0), E, E, N(100.0), N(5100.0)],
    ];
    let dir = out_dir("kk");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet().set_name("Ұйымдар").unwrap();
    write_sheet(ws, &orgs, None);
    let ws = book.add_worksheet().set_name("Көрсеткіштер").unwrap();
    write_sheet(ws, &obs, Some((1, 2, 4)));
    let path = dir.join("ҰБДҚ_2023.xlsx");
    book.save(&path).unwrap();
    let (values, out) = indicators(&path);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!((out.status.code(), stderr.as_str()), (Some(0), ""));
    let get = |org: &str, year: i32, ind: &str| {
        values
            .get(&(org.to_string(), year, ind.to_string()))
            .and_then(|v| v.0)
    };
    assert_eq!(get(U1, 2022, "student_teacher_ratio"), Some(500.0 / 40.0));
    assert_eq!(
        get(U1, 2022, "spending_per_student"),
        Some(1_500_000.0 / 500.0)
    );
    assert_eq!(
        get(U1, 2023, "spending_per_student"),
        Some(1_600_000.0 / 520.0)
    );
    // "мәлімет жоқ": no teachers figure, so no ratio (not a division by zero).
    assert_eq!(get(U1, 2023, "student_teacher_ratio"), None);
    assert_eq!(get(S3, 2023, "student_teacher_ratio"), Some(800.0 / 60.0));
    let (listing, code) = validate(&path);
    assert_eq!(code, Some(0), "{listing}");
    for note in [
        "[Ұйымдар]:3: note: header found at row 3; rows 1–2 read as title: «Білім беру ұйымдарының тізімі»",
        "[Көрсеткіштер]:5:Педагогтар саны: warning: 1 cell holds a \"no data\" marker such as `мәлімет жоқ`",
        "[Ұйымдар]:3: note: column «Р/с №» holds row numbers: ignored",
        "[Ұйымдар]:6: note: row 6 labelled «Барлығы: 2 ұйым» holds totals",
        "[Көрсеткіштер]:2: note: rows 2 and 3 form one header (merged cells): read as БСН, Оқу жылы, Білім алушылар контингенті, Білім алушылар контингенті.female, Білім алушылар контингенті.male, Педагогтар саны, Шығыстар",
        "[Көрсеткіштер]:2: note: values are multiplied by the scale written in their header: «Шығыстар, мың теңге» ×1000",
        "[Көрсеткіштер]:7: note: row 7 labelled «Жиыны» holds totals",
    ] {
        assert!(listing.contains(note), "missing: {note}\nin:\n{listing}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
