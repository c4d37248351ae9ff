//! Parser tests: errors with positions, limits, round trips (also as property tests).

use super::program::{Cells, Fault, Program, Val};
use super::*;
use proptest::prelude::*;

fn err(text: &str) -> FormulaError {
    Formula::parse(text).unwrap_err()
}

#[test]
fn parses_the_catalogue_shapes() {
    for text in [
        "students_enrolled / coalesce(teachers_fte, teachers_total)",
        "100 * (graduates_employed + graduates_further_study) / graduates",
        "100 * (students_enrolled - students_admitted) / (prev(students_enrolled) - prev(graduates))",
        "adjusted_parity(students_enrolled.female / students_enrolled.male)",
        "shifts",
        "max(0, min(a, b))",
    ] {
        let f = Formula::parse(text).unwrap();
        assert_eq!(f.to_string(), text, "canonical form of {text}");
    }
}

#[test]
fn metrics_with_breakdowns() {
    let f = Formula::parse(
        "students_enrolled.female / students_enrolled.male + students_enrolled.female",
    )
    .unwrap();
    assert_eq!(
        f.metrics(),
        vec![
            MetricRef::new("students_enrolled", Some("female")),
            MetricRef::new("students_enrolled", Some("male")),
        ]
    );
}

#[test]
fn errors_point_at_the_character() {
    // "100 * / b": the '/' at position 6 is where an operand was expected.
    let e = err("100 * / b");
    assert_eq!(e.position, 6);
    assert_eq!(
        e.kind,
        FormulaErrorKind::Unexpected {
            expected: "a number, a metric code, a function call, '-' or '('".into(),
            found: "'/'".into()
        }
    );
    assert_eq!(e.caret("100 * / b"), "100 * / b\n      ^");
    // A breakdown must be ASCII: the error is at the character after the dot.
    let e = err("x.қ * 2");
    assert_eq!(e.position, 2);
    // Positions count characters, not bytes: "қ" is 2 bytes in UTF-8.
    let e = err("қ + 1");
    assert_eq!(
        (e.position, e.kind),
        (0, FormulaErrorKind::UnexpectedChar('қ'))
    );
    let e = err("(қ)");
    assert_eq!(e.position, 1);
    let e = err("ққ + %");
    assert_eq!(e.position, 0);
    let e = err("a + қ");
    assert_eq!(e.position, 4);
}

#[test]
fn trailing_and_dangling_tokens() {
    assert!(Formula::parse("a + b").is_ok());
    let e = err("a +");
    assert_eq!(e.position, 3);
    assert!(e.to_string().contains("found end of formula"));
    let e = err("a b");
    assert_eq!(e.position, 2);
    assert!(e
        .to_string()
        .contains("expected an operator (+ - * /) or the end of the formula"));
    let e = err("(a + b))");
    assert_eq!(e.position, 7);
    let e = err("");
    assert_eq!(e.kind, FormulaErrorKind::Empty);
    assert_eq!(err("   ").kind, FormulaErrorKind::Empty);
    let e = err("a % b");
    assert_eq!(
        (e.position, e.kind),
        (2, FormulaErrorKind::UnexpectedChar('%'))
    );
}

#[test]
fn function_errors() {
    let e = err("sqrt(a)");
    assert_eq!(e.position, 0);
    assert!(matches!(e.kind, FormulaErrorKind::UnknownFunction { ref name } if name == "sqrt"));
    assert!(e
        .to_string()
        .contains("prev, min, max, abs, coalesce, adjusted_parity"));
    let e = err("1 + min(a)");
    assert_eq!(e.position, 4);
    assert_eq!(
        e.kind,
        FormulaErrorKind::WrongArity {
            function: "min".into(),
            expected: "2 or more".into(),
            found: 1
        }
    );
    let e = err("prev(a, b)");
    assert!(matches!(
        e.kind,
        FormulaErrorKind::WrongArity { found: 2, .. }
    ));
    let e = err("abs()");
    assert!(matches!(
        e.kind,
        FormulaErrorKind::WrongArity { found: 0, .. }
    ));
    let e = err("prev + 1");
    assert!(matches!(
        e.kind,
        FormulaErrorKind::FunctionWithoutCall { .. }
    ));
    let e = err("min(a, b");
    assert_eq!(e.position, 8);
    assert!(e.to_string().contains("expected ',', ')' or an operator"));
}

#[test]
fn length_limit() {
    let long = "a+".repeat(600) + "a";
    let e = err(&long);
    assert_eq!(
        e.kind,
        FormulaErrorKind::TooLong {
            length: 1201,
            max: 1024
        }
    );
    let limits = FormulaLimits {
        max_length: 10,
        max_depth: 64,
    };
    assert!(Formula::parse_with("a + b + c", &limits).is_ok());
    assert!(Formula::parse_with("a + b + c + d", &limits).is_err());
}

#[test]
fn hostile_nesting_is_an_error_not_a_stack_overflow() {
    let wide = FormulaLimits {
        max_length: 1_000_000,
        max_depth: 64,
    };
    let parens = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
    let e = Formula::parse_with(&parens, &wide).unwrap_err();
    assert_eq!(
        (e.position, e.kind),
        (64, FormulaErrorKind::TooDeep { max: 64 })
    );
    let minus = format!("{}a", "-".repeat(10_000));
    assert!(matches!(
        Formula::parse_with(&minus, &wide).unwrap_err().kind,
        FormulaErrorKind::TooDeep { .. }
    ));
    let calls = format!("{}a{}", "abs(".repeat(10_000), ")".repeat(10_000));
    assert!(matches!(
        Formula::parse_with(&calls, &wide).unwrap_err().kind,
        FormulaErrorKind::TooDeep { .. }
    ));
    // A flat chain makes a tall tree too: 65 additions exceed depth 64.
    let chain = "a".to_string() + &" + a".repeat(64);
    let e = Formula::parse_with(&chain, &wide).unwrap_err();
    assert_eq!(e.kind, FormulaErrorKind::TooDeep { max: 64 });
    let chain = "a".to_string() + &" + a".repeat(63);
    assert!(Formula::parse_with(&chain, &wide).is_ok());
    // The configured depth is capped by the hard ceiling.
    let huge = FormulaLimits {
        max_length: 1_000_000,
        max_depth: usize::MAX,
    };
    let e = Formula::parse_with(&parens, &huge).unwrap_err();
    assert_eq!(
        e.kind,
        FormulaErrorKind::TooDeep {
            max: FormulaLimits::HARD_MAX_DEPTH
        }
    );
}

#[test]
fn serde_reads_and_checks_text() {
    let f: Formula = serde_json::from_str("\"a / b\"").unwrap();
    assert_eq!(f.source(), "a / b");
    assert_eq!(serde_json::to_string(&f).unwrap(), "\"a / b\"");
    let e = serde_json::from_str::<Formula>("\"a / \"").unwrap_err();
    assert!(e.to_string().contains("at character 4"));
}

// ---------- property tests ----------

const NAMES: [&str; 6] = [
    "a",
    "graduates",
    "students_enrolled",
    "x1",
    "_t",
    "teachers_fte",
];
const BREAKDOWNS: [&str; 4] = ["female", "male", "grade_1", "1"];

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(1.0),
        Just(100.0),
        0.0..1e6f64,
        any::<f64>().prop_filter("finite, non-negative", |x| x.is_finite() && *x >= 0.0),
    ]
}

fn metric() -> impl Strategy<Value = MetricRef> {
    (0..NAMES.len(), proptest::option::of(0..BREAKDOWNS.len())).prop_map(|(n, b)| MetricRef {
        metric: NAMES[n].to_string(),
        breakdown: b.map(|b| BREAKDOWNS[b].to_string()),
    })
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        number().prop_map(Expr::Number),
        metric().prop_map(Expr::Metric)
    ];
    leaf.prop_recursive(6, 48, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|x| Expr::Neg(Box::new(x))),
            (
                inner.clone(),
                inner.clone(),
                prop_oneof![
                    Just(BinaryOp::Add),
                    Just(BinaryOp::Sub),
                    Just(BinaryOp::Mul),
                    Just(BinaryOp::Div)
                ]
            )
                .prop_map(|(l, r, op)| Expr::Binary {
                    op,
                    left: Box::new(l),
                    right: Box::new(r)
                }),
            inner.clone().prop_map(|x| Expr::Call {
                function: Function::Prev,
                args: vec![x]
            }),
            inner.clone().prop_map(|x| Expr::Call {
                function: Function::Abs,
                args: vec![x]
            }),
            inner.clone().prop_map(|x| Expr::Call {
                function: Function::AdjustedParity,
                args: vec![x]
            }),
            (
                prop_oneof![
                    Just(Function::Min),
                    Just(Function::Max),
                    Just(Function::Coalesce)
                ],
                proptest::collection::vec(inner, 2..4)
            )
                .prop_map(|(function, args)| Expr::Call { function, args }),
        ]
    })
}

/// Cells where each metric has a fixed value per lag, or is missing.
struct TableCells<'a> {
    inputs: &'a [MetricRef],
    values: &'a [Option<f64>],
    reach: u16,
}

impl Cells for TableCells<'_> {
    fn load(&mut self, input: u16, lag: u16) -> Val {
        if lag > self.reach {
            return Err(Fault::BeforeFirstYear { lag });
        }
        let m = &self.inputs[input as usize];
        let slot = NAMES.iter().position(|n| *n == m.metric).unwrap_or(0) * 3 + lag as usize % 3;
        self.values[slot % self.values.len()].ok_or(Fault::Missing { input, lag })
    }
}

fn input_value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        Just(None),
        Just(Some(0.0)),
        Just(Some(-0.0)),
        Just(Some(1e308)),
        Just(Some(-1e308)),
        Just(Some(5e-324)),
        (-1e6..1e6f64).prop_map(Some),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn print_parse_round_trip(e in expr()) {
        let limits = FormulaLimits { max_length: 65_536, max_depth: 64 };
        let text = e.to_string();
        let f = Formula::parse_with(&text, &limits)
            .map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
        prop_assert_eq!(f.expr(), &e, "{}", text);
        prop_assert_eq!(f.to_string(), text);
    }

    #[test]
    fn parser_never_panics_on_arbitrary_text(s in "\\PC{0,200}") {
        let _ = Formula::parse(&s);
    }

    #[test]
    fn parser_never_panics_on_formula_like_text(s in "[a-z_.0-9eE()+*/, -]{0,300}") {
        if let Err(e) = Formula::parse(&s) {
            prop_assert!(e.position <= s.chars().count());
        }
    }

    #[test]
    fn evaluation_never_yields_nan_or_infinity(
        e in expr(),
        values in proptest::collection::vec(input_value(), 18),
        reach in 0u16..4,
    ) {
        let p = Program::compile(&e);
        let mut cells = TableCells { inputs: p.inputs(), values: &values, reach };
        let mut stack = Vec::new();
        if let Ok(v) = p.run(&mut cells, &mut stack) {
            prop_assert!(v.is_finite(), "{} gave {}", e, v);
        }
    }
}
