//! The syntax tree of a formula, and its canonical printing.
//!
//! Printing puts parentheses exactly where the tree needs them, so that
//! parsing the printed text gives back the same tree.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A metric named in a formula: `students_enrolled` or `students_enrolled.female`.
///
/// ```
/// use kpi_indicators::formula::MetricRef;
/// let m = MetricRef::new("students_enrolled", Some("female"));
/// assert_eq!(m.to_string(), "students_enrolled.female");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MetricRef {
    /// The metric code.
    pub metric: String,
    /// The breakdown after the dot; `None` is the bare metric (the total).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<String>,
}

impl MetricRef {
    /// A reference to `metric`, optionally restricted to `breakdown`.
    pub fn new(metric: &str, breakdown: Option<&str>) -> Self {
        MetricRef {
            metric: metric.to_string(),
            breakdown: breakdown.map(str::to_string),
        }
    }
}

impl fmt::Display for MetricRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.breakdown {
            Some(b) => write!(f, "{}.{}", self.metric, b),
            None => f.write_str(&self.metric),
        }
    }
}

/// A binary arithmetic operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/` (a zero denominator makes the value not computable)
    Div,
}

impl BinaryOp {
    /// The operator's symbol.
    pub fn symbol(self) -> char {
        match self {
            BinaryOp::Add => '+',
            BinaryOp::Sub => '-',
            BinaryOp::Mul => '*',
            BinaryOp::Div => '/',
        }
    }

    /// Binding strength: `*` and `/` bind tighter than `+` and `-`.
    pub(crate) fn precedence(self) -> u8 {
        match self {
            BinaryOp::Add | BinaryOp::Sub => 1,
            BinaryOp::Mul | BinaryOp::Div => 2,
        }
    }
}

/// The functions a formula may call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Function {
    /// `prev(x)`: `x` one year earlier for the same unit.
    Prev,
    /// `min(a, b, …)`: the smallest argument (two or more).
    Min,
    /// `max(a, b, …)`: the largest argument (two or more).
    Max,
    /// `abs(x)`: the absolute value.
    Abs,
    /// `coalesce(a, b, …)`: the first argument that is not missing data.
    /// An argument that fails for another reason (a zero denominator) is
    /// reported, not skipped: only *missing* data falls through to the next.
    Coalesce,
    /// `adjusted_parity(x)`: the UNESCO UIS adjusted parity index of a ratio
    /// `x` (e.g. female / male): `x` when `x ≤ 1`, else `2 − 1/x`, so that
    /// disparity in either direction lies symmetrically around 1 within 0–2.
    AdjustedParity,
}

impl Function {
    /// Every function, in the order listed in error messages.
    pub const ALL: [Function; 6] = [
        Function::Prev,
        Function::Min,
        Function::Max,
        Function::Abs,
        Function::Coalesce,
        Function::AdjustedParity,
    ];

    /// The name used in formulas.
    pub fn name(self) -> &'static str {
        match self {
            Function::Prev => "prev",
            Function::Min => "min",
            Function::Max => "max",
            Function::Abs => "abs",
            Function::Coalesce => "coalesce",
            Function::AdjustedParity => "adjusted_parity",
        }
    }

    /// The function called `name` (exact, lower case).
    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The number of arguments accepted: `(min, max)`, `max = None` for variadic.
    pub fn arity(self) -> (usize, Option<usize>) {
        match self {
            Function::Prev | Function::Abs | Function::AdjustedParity => (1, Some(1)),
            Function::Min | Function::Max | Function::Coalesce => (2, None),
        }
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A formula's syntax tree.
///
/// ```
/// use kpi_indicators::formula::{Expr, Formula};
/// let f = Formula::parse("100 * (a + b) / c").unwrap();
/// assert_eq!(f.expr().to_string(), "100 * (a + b) / c");
/// assert!(matches!(f.expr(), Expr::Binary { .. }));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A number literal (always finite; never negative when parsed, since
    /// `-2` is unary minus applied to `2`).
    Number(f64),
    /// A metric value of the unit in the evaluated year.
    Metric(MetricRef),
    /// Unary minus.
    Neg(Box<Expr>),
    /// A binary operation.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
    /// A function call.
    Call {
        /// The function.
        function: Function,
        /// Its arguments, in order.
        args: Vec<Expr>,
    },
}

/// Binding strength of unary minus, function calls and atoms, above `*` and `/`.
const PREC_UNARY: u8 = 3;
const PREC_ATOM: u8 = 4;

impl Expr {
    fn precedence(&self) -> u8 {
        match self {
            Expr::Binary { op, .. } => op.precedence(),
            Expr::Neg(_) => PREC_UNARY,
            // A negative literal prints as unary minus.
            Expr::Number(n) if n.is_sign_negative() => PREC_UNARY,
            _ => PREC_ATOM,
        }
    }

    /// The metrics the expression reads, each once, in order of first appearance.
    pub fn metrics(&self) -> Vec<MetricRef> {
        let mut out = Vec::new();
        self.visit(&mut |e| {
            if let Expr::Metric(m) = e {
                if !out.contains(m) {
                    out.push(m.clone());
                }
            }
        });
        out
    }

    /// Calls `f` on every node, parents before children.
    pub fn visit(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Number(_) | Expr::Metric(_) => {}
            Expr::Neg(x) => x.visit(f),
            Expr::Binary { left, right, .. } => {
                left.visit(f);
                right.visit(f);
            }
            Expr::Call { args, .. } => args.iter().for_each(|a| a.visit(f)),
        }
    }

    /// The height of the tree (a single number or metric has height 1).
    pub fn height(&self) -> usize {
        1 + match self {
            Expr::Number(_) | Expr::Metric(_) => 0,
            Expr::Neg(x) => x.height(),
            Expr::Binary { left, right, .. } => left.height().max(right.height()),
            Expr::Call { args, .. } => args.iter().map(Expr::height).max().unwrap_or(0),
        }
    }
}

fn write_operand(f: &mut fmt::Formatter<'_>, e: &Expr, parens: bool) -> fmt::Result {
    if parens {
        write!(f, "({e})")
    } else {
        write!(f, "{e}")
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // `{}` on f64 prints the shortest text that reads back to the same
            // number, without an exponent, which the lexer accepts.
            Expr::Number(n) if n.is_sign_negative() && *n != 0.0 => write!(f, "-{}", -n),
            Expr::Number(n) => write!(f, "{}", n.abs()),
            Expr::Metric(m) => write!(f, "{m}"),
            Expr::Neg(x) => {
                f.write_str("-")?;
                write_operand(f, x, x.precedence() < PREC_UNARY)
            }
            Expr::Binary { op, left, right } => {
                let p = op.precedence();
                write_operand(f, left, left.precedence() < p)?;
                write!(f, " {} ", op.symbol())?;
                // Operators are left-associative: an equal-precedence right
                // operand needs parentheses to keep its grouping.
                write_operand(f, right, right.precedence() <= p)
            }
            Expr::Call { function, args } => {
                write!(f, "{function}(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
        }
    }
}
