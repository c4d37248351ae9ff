//! Formulas compiled to a small postfix program over numbered inputs, and
//! its evaluation on a stack of "value or not-computable" slots.
//!
//! `prev` disappears at compile time: it only shifts the year at which the
//! metrics below it are read, so each load carries its lag in years.

use super::ast::{BinaryOp, Expr, Function, MetricRef};

/// Why a value could not be computed, in the compact form kept per cell.
/// Ids refer to the program's [`inputs`](Program::inputs) and
/// [`denominators`](Program::denominators); `lag` is how many years before
/// the evaluated year the failure happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Fault {
    /// Input `input` has no value `lag` years before the evaluated year.
    Missing { input: u16, lag: u16 },
    /// `prev` reaches `lag` years back, before the first year of the data.
    BeforeFirstYear { lag: u16 },
    /// Denominator `denominator` is zero `lag` years back.
    ZeroDenominator { denominator: u16, lag: u16 },
    /// The arithmetic left the finite numbers (overflow).
    NotFinite { lag: u16 },
}

impl Fault {
    /// Missing data (as opposed to a property of data present): what
    /// `coalesce` falls through on.
    pub(crate) fn is_missing_data(self) -> bool {
        matches!(self, Fault::Missing { .. } | Fault::BeforeFirstYear { .. })
    }
}

/// A value, or why there is none.
pub(crate) type Val = Result<f64, Fault>;

// ---------- the 8-byte encoding of a `Val` ----------
//
// Program stacks and the indicator table both hold values as 8 bytes: a
// finite `f64`, or a packed fault. Fault cells have sign and exponent bits all
// set (a NaN or −∞ pattern), which no finite value has; the fault is packed in
// the low bits. One plain word per slot also keeps the evaluator free of
// partial writes to 16-byte slots.

const FAULT_TAG: u64 = 0xFFF0_0000_0000_0000;

/// Encodes a value or fault in 8 bytes.
#[inline]
pub(crate) fn encode(v: Val) -> u64 {
    match v {
        Ok(x) => x.to_bits(),
        Err(f) => {
            let (kind, id, lag): (u64, u16, u16) = match f {
                Fault::Missing { input, lag } => (1, input, lag),
                Fault::BeforeFirstYear { lag } => (2, 0, lag),
                Fault::ZeroDenominator { denominator, lag } => (3, denominator, lag),
                Fault::NotFinite { lag } => (4, 0, lag),
            };
            FAULT_TAG | (kind << 32) | (u64::from(lag) << 16) | u64::from(id)
        }
    }
}

/// Decodes [`encode`]'s 8 bytes (−∞ decodes as not finite).
#[inline]
pub(crate) fn decode(bits: u64) -> Val {
    if bits & FAULT_TAG != FAULT_TAG {
        return Ok(f64::from_bits(bits));
    }
    let id = (bits & 0xFFFF) as u16;
    let lag = ((bits >> 16) & 0xFFFF) as u16;
    Err(match (bits >> 32) & 0xF {
        1 => Fault::Missing { input: id, lag },
        2 => Fault::BeforeFirstYear { lag },
        3 => Fault::ZeroDenominator {
            denominator: id,
            lag,
        },
        _ => Fault::NotFinite { lag },
    })
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Const(f64),
    Load {
        input: u16,
        lag: u16,
    },
    Neg,
    Abs,
    AdjustedParity,
    Add,
    Sub,
    Mul,
    Div {
        denominator: u16,
        lag: u16,
    },
    Min,
    Max,
    /// `coalesce`: keep the top and jump to `target` unless it is missing
    /// data, in which case drop it and evaluate the next alternative.
    OrElse {
        target: u32,
    },
}

/// Where a program reads its inputs.
pub(crate) trait Cells {
    /// The value of `input` `lag` years before the evaluated year.
    fn load(&mut self, input: u16, lag: u16) -> Val;
}

/// A compiled formula.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Program {
    ops: Vec<Op>,
    inputs: Vec<MetricRef>,
    denominators: Vec<String>,
    /// Largest stack depth reached.
    stack: usize,
}

struct Compiler {
    ops: Vec<Op>,
    inputs: Vec<MetricRef>,
    denominators: Vec<String>,
    depth: usize,
    max_depth: usize,
}

/// Ids are `u16`: the formula length limit keeps far fewer inputs than that.
fn id16(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

impl Compiler {
    fn push(&mut self, op: Op) {
        match op {
            Op::Const(_) | Op::Load { .. } => self.depth += 1,
            Op::Neg | Op::Abs | Op::AdjustedParity => {}
            Op::OrElse { .. } => self.depth -= 1, // the fall-through path
            _ => self.depth -= 1,
        }
        self.max_depth = self.max_depth.max(self.depth);
        self.ops.push(op);
    }

    fn input(&mut self, m: &MetricRef) -> u16 {
        match self.inputs.iter().position(|x| x == m) {
            Some(i) => id16(i),
            None => {
                self.inputs.push(m.clone());
                id16(self.inputs.len() - 1)
            }
        }
    }

    fn denominator(&mut self, e: &Expr) -> u16 {
        let text = e.to_string();
        match self.denominators.iter().position(|x| *x == text) {
            Some(i) => id16(i),
            None => {
                self.denominators.push(text);
                id16(self.denominators.len() - 1)
            }
        }
    }

    fn emit(&mut self, e: &Expr, lag: u16) {
        match e {
            Expr::Number(n) => self.push(Op::Const(*n)),
            Expr::Metric(m) => {
                let input = self.input(m);
                self.push(Op::Load { input, lag });
            }
            Expr::Neg(x) => {
                self.emit(x, lag);
                self.push(Op::Neg);
            }
            Expr::Binary { op, left, right } => {
                self.emit(left, lag);
                self.emit(right, lag);
                let op = match op {
                    BinaryOp::Add => Op::Add,
                    BinaryOp::Sub => Op::Sub,
                    BinaryOp::Mul => Op::Mul,
                    BinaryOp::Div => Op::Div {
                        denominator: self.denominator(right),
                        lag,
                    },
                };
                self.push(op);
            }
            Expr::Call { function, args } => match function {
                Function::Prev => {
                    for a in args {
                        self.emit(a, lag.saturating_add(1));
                    }
                }
                Function::Abs | Function::AdjustedParity => {
                    for a in args {
                        self.emit(a, lag);
                    }
                    self.push(if *function == Function::Abs {
                        Op::Abs
                    } else {
                        Op::AdjustedParity
                    });
                }
                Function::Min | Function::Max => {
                    for (i, a) in args.iter().enumerate() {
                        self.emit(a, lag);
                        if i > 0 {
                            self.push(if *function == Function::Min {
                                Op::Min
                            } else {
                                Op::Max
                            });
                        }
                    }
                }
                Function::Coalesce => {
                    let mut jumps = Vec::new();
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 {
                            jumps.push(self.ops.len());
                            self.push(Op::OrElse { target: 0 });
                        }
                        self.emit(a, lag);
                    }
                    let end = u32::try_from(self.ops.len()).unwrap_or(u32::MAX);
                    for j in jumps {
                        self.ops[j] = Op::OrElse { target: end };
                    }
                }
            },
        }
    }
}

/// `a` unless the result left the finite numbers.
#[inline]
fn finite(v: f64) -> Val {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Fault::NotFinite { lag: 0 })
    }
}

/// The UNESCO UIS adjusted parity index: `x` when `x ≤ 1`, else `2 − 1/x`.
#[inline]
pub(crate) fn adjusted_parity(x: f64) -> f64 {
    if x <= 1.0 {
        x
    } else {
        2.0 - 1.0 / x
    }
}

impl Program {
    /// Compiles a tree. Never fails: metrics are resolved later, per dataset.
    pub(crate) fn compile(expr: &Expr) -> Program {
        let mut c = Compiler {
            ops: Vec::new(),
            inputs: Vec::new(),
            denominators: Vec::new(),
            depth: 0,
            max_depth: 0,
        };
        c.emit(expr, 0);
        Program {
            ops: c.ops,
            inputs: c.inputs,
            denominators: c.denominators,
            stack: c.max_depth,
        }
    }

    /// The distinct metrics read, indexed by the `input` ids of [`Fault`].
    pub(crate) fn inputs(&self) -> &[MetricRef] {
        &self.inputs
    }

    /// The denominators' texts, indexed by the `denominator` ids of [`Fault`].
    pub(crate) fn denominators(&self) -> &[String] {
        &self.denominators
    }

    /// The stack size the program needs.
    pub(crate) fn stack_size(&self) -> usize {
        self.stack
    }

    /// Evaluates the program for one cell. `stack` is scratch space, reused
    /// between calls to avoid allocating. The result is finite or a fault.
    pub(crate) fn run<C: Cells>(&self, cells: &mut C, stack: &mut Vec<u64>) -> Val {
        stack.clear();
        let mut pc = 0;
        while let Some(&op) = self.ops.get(pc) {
            pc += 1;
            match op {
                Op::Const(c) => stack.push(encode(Ok(c))),
                Op::Load { input, lag } => stack.push(encode(cells.load(input, lag))),
                Op::Neg => unary(stack, |x| Ok(-x)),
                Op::Abs => unary(stack, |x| Ok(x.abs())),
                Op::AdjustedParity => unary(stack, |x| finite(adjusted_parity(x))),
                Op::Add => binary(stack, |a, b| finite(a + b)),
                Op::Sub => binary(stack, |a, b| finite(a - b)),
                Op::Mul => binary(stack, |a, b| finite(a * b)),
                Op::Div { denominator, lag } => binary(stack, |a, b| {
                    if b == 0.0 {
                        Err(Fault::ZeroDenominator { denominator, lag })
                    } else {
                        finite(a / b).map_err(|_| Fault::NotFinite { lag })
                    }
                }),
                // Inputs are finite, so neither can be NaN here.
                Op::Min => binary(stack, |a, b| Ok(a.min(b))),
                Op::Max => binary(stack, |a, b| Ok(a.max(b))),
                Op::OrElse { target } => match stack.last().map(|&b| decode(b)) {
                    Some(Err(f)) if f.is_missing_data() => {
                        stack.pop();
                    }
                    _ => pc = target as usize,
                },
            }
        }
        // A well-formed program leaves exactly one slot; anything else would
        // be a compiler defect, reported as not computable rather than a panic.
        match stack.pop().map(decode) {
            Some(Ok(v)) if v.is_finite() => Ok(v),
            Some(Err(f)) => Err(f),
            _ => Err(Fault::NotFinite { lag: 0 }),
        }
    }
}

#[inline]
fn unary(stack: &mut [u64], f: impl Fn(f64) -> Val) {
    if let Some(top) = stack.last_mut() {
        if let Ok(x) = decode(*top) {
            *top = encode(f(x));
        }
    }
}

#[inline]
fn binary(stack: &mut Vec<u64>, f: impl Fn(f64, f64) -> Val) {
    let b = stack
        .pop()
        .unwrap_or(encode(Err(Fault::NotFinite { lag: 0 })));
    if let Some(top) = stack.last_mut() {
        *top = match (decode(*top), decode(b)) {
            (Err(_), _) => *top,
            (Ok(_), Err(_)) => b,
            (Ok(a), Ok(b)) => encode(f(a, b)),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Formula, FormulaLimits};
    use super::*;
    use std::collections::HashMap;

    /// Cells from a map `(metric text, lag) -> value`; `first_lag` is how many
    /// years back the data reach.
    struct MapCells {
        values: HashMap<(String, u16), f64>,
        inputs: Vec<MetricRef>,
        reach: u16,
    }

    impl Cells for MapCells {
        fn load(&mut self, input: u16, lag: u16) -> Val {
            if lag > self.reach {
                return Err(Fault::BeforeFirstYear { lag });
            }
            let m = self.inputs[input as usize].to_string();
            self.values
                .get(&(m, lag))
                .copied()
                .ok_or(Fault::Missing { input, lag })
        }
    }

    fn eval(formula: &str, values: &[(&str, u16, f64)], reach: u16) -> (Val, Program) {
        let f = Formula::parse_with(formula, &FormulaLimits::default()).unwrap();
        let p = Program::compile(f.expr());
        let mut cells = MapCells {
            values: values
                .iter()
                .map(|(m, l, v)| ((m.to_string(), *l), *v))
                .collect(),
            inputs: p.inputs().to_vec(),
            reach,
        };
        let mut stack = Vec::new();
        (p.run(&mut cells, &mut stack), p)
    }

    #[test]
    fn arithmetic_precedence_and_unary_minus() {
        // 100 * 45 / 60 = 75
        assert_eq!(
            eval("100 * a / b", &[("a", 0, 45.0), ("b", 0, 60.0)], 0).0,
            Ok(75.0)
        );
        // -2 * 3 + 10 = 4 ; -(2 + 3) = -5
        assert_eq!(eval("-2 * 3 + 10", &[], 0).0, Ok(4.0));
        assert_eq!(eval("-(2 + 3)", &[], 0).0, Ok(-5.0));
        // 10 - 4 - 3 = 3 (left-associative)
        assert_eq!(eval("10 - 4 - 3", &[], 0).0, Ok(3.0));
        // min(7, 3) = 3, max(-1, -4) = -1, abs(-2.5) = 2.5, min(5, 2, 9) = 2
        assert_eq!(eval("min(7, 3)", &[], 0).0, Ok(3.0));
        assert_eq!(eval("max(-1, -4)", &[], 0).0, Ok(-1.0));
        assert_eq!(eval("abs(-2.5)", &[], 0).0, Ok(2.5));
        assert_eq!(eval("min(5, 2, 9)", &[], 0).0, Ok(2.0));
    }

    #[test]
    fn prev_shifts_years_and_nests() {
        // prev(a) - a with a(t-1)=10, a(t)=7 → 3; prev(prev(a)) = a(t-2) = 4
        let vals = [("a", 0, 7.0), ("a", 1, 10.0), ("a", 2, 4.0)];
        assert_eq!(eval("prev(a) - a", &vals, 2).0, Ok(3.0));
        assert_eq!(eval("prev(prev(a))", &vals, 2).0, Ok(4.0));
        assert_eq!(
            eval("prev(prev(a))", &vals, 1).0,
            Err(Fault::BeforeFirstYear { lag: 2 })
        );
        // prev of a constant needs no data
        assert_eq!(eval("prev(5)", &[], 0).0, Ok(5.0));
    }

    #[test]
    fn faults_name_the_first_failing_operand() {
        let (v, p) = eval("a / b", &[("b", 0, 2.0)], 0);
        assert_eq!(v, Err(Fault::Missing { input: 0, lag: 0 }));
        assert_eq!(p.inputs()[0].metric, "a");
        let (v, p) = eval(
            "a / (b - c)",
            &[("a", 0, 1.0), ("b", 0, 2.0), ("c", 0, 2.0)],
            0,
        );
        assert_eq!(
            v,
            Err(Fault::ZeroDenominator {
                denominator: 0,
                lag: 0
            })
        );
        assert_eq!(p.denominators()[0], "b - c");
        let (v, p) = eval("prev(a / b)", &[("a", 1, 1.0), ("b", 1, 0.0)], 1);
        assert_eq!(
            v,
            Err(Fault::ZeroDenominator {
                denominator: 0,
                lag: 1
            })
        );
        assert_eq!(p.denominators()[0], "b");
    }

    #[test]
    fn coalesce_falls_through_missing_data_only() {
        // teachers_fte missing → 300 / 20 = 15
        let v = eval(
            "s / coalesce(fte, total)",
            &[("s", 0, 300.0), ("total", 0, 20.0)],
            0,
        )
        .0;
        assert_eq!(v, Ok(15.0));
        // fte present → 300 / 25 = 12
        let v = eval(
            "s / coalesce(fte, total)",
            &[("s", 0, 300.0), ("fte", 0, 25.0), ("total", 0, 20.0)],
            0,
        )
        .0;
        assert_eq!(v, Ok(12.0));
        // fte = 0 is a fact about present data: the zero denominator is reported
        let v = eval(
            "s / coalesce(fte, total)",
            &[("s", 0, 300.0), ("fte", 0, 0.0), ("total", 0, 20.0)],
            0,
        )
        .0;
        assert!(matches!(v, Err(Fault::ZeroDenominator { .. })));
        // a zero denominator inside the first alternative is not skipped
        let v = eval("coalesce(a / b, 1)", &[("a", 0, 1.0), ("b", 0, 0.0)], 0).0;
        assert!(matches!(v, Err(Fault::ZeroDenominator { .. })));
        // both missing → the last alternative's reason
        let (v, p) = eval("coalesce(x, y)", &[], 0);
        assert_eq!(v, Err(Fault::Missing { input: 1, lag: 0 }));
        assert_eq!(p.inputs()[1].metric, "y");
        // prev before the first year falls through too
        assert_eq!(eval("coalesce(prev(x), 9)", &[], 0).0, Ok(9.0));
    }

    #[test]
    fn adjusted_parity_is_symmetric_around_one() {
        // 90 / 100 = 0.9 ≤ 1 → 0.9
        assert_eq!(eval("adjusted_parity(90 / 100)", &[], 0).0, Ok(0.9));
        // 120 / 100 = 1.2 > 1 → 2 − 1/1.2 = 0.8333… → 1.1666…
        let v = eval("adjusted_parity(120 / 100)", &[], 0).0.unwrap();
        assert!((v - (2.0 - 1.0 / 1.2)).abs() < 1e-15);
        assert!((v - 1.166_666_666_666_666_7).abs() < 1e-15);
    }

    #[test]
    fn overflow_is_not_finite_never_inf() {
        let v = eval("a * a", &[("a", 0, 1e300)], 0).0;
        assert_eq!(v, Err(Fault::NotFinite { lag: 0 }));
        let v = eval("min(a * a, 1)", &[("a", 0, 1e300)], 0).0;
        assert_eq!(v, Err(Fault::NotFinite { lag: 0 }));
        let v = eval("1 / a", &[("a", 0, 1e-320)], 0).0;
        assert_eq!(v, Err(Fault::NotFinite { lag: 0 }));
    }

    #[test]
    fn stack_size_is_tracked() {
        let f = Formula::parse("a + (b + (c + d))").unwrap();
        assert_eq!(Program::compile(f.expr()).stack_size(), 4);
        let f = Formula::parse("coalesce(a, b, c)").unwrap();
        assert_eq!(Program::compile(f.expr()).stack_size(), 1);
    }
}
