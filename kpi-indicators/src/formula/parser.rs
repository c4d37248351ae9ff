//! A recursive-descent parser with bounded nesting.
//!
//! Grammar (lowest binding first):
//!
//! ```text
//! formula := sum
//! sum     := product (('+' | '-') product)*
//! product := unary (('*' | '/') unary)*
//! unary   := '-' unary | primary
//! primary := NUMBER | METRIC | METRIC '.' BREAKDOWN | NAME '(' sum (',' sum)* ')' | '(' sum ')'
//! ```

use super::ast::{BinaryOp, Expr, Function, MetricRef};
use super::error::{FormulaError, FormulaErrorKind};
use super::lexer::{tokenize, Spanned, Token};
use super::FormulaLimits;

const OPERAND: &str = "a number, a metric code, a function call, '-' or '('";

struct Parser<'a> {
    tokens: &'a [Spanned],
    next: usize,
    /// Character length of the formula: the position of "end of formula".
    end: usize,
    max_depth: usize,
    /// Current nesting of parentheses, calls and unary minus.
    nesting: usize,
}

/// Parses `text` into a tree, within `limits`.
pub(crate) fn parse(text: &str, limits: &FormulaLimits) -> Result<Expr, FormulaError> {
    let limits = limits.clamped();
    let chars: Vec<char> = text.chars().take(limits.max_length + 1).collect();
    if chars.len() > limits.max_length {
        return Err(FormulaError::new(
            limits.max_length,
            FormulaErrorKind::TooLong {
                length: text.chars().count(),
                max: limits.max_length,
            },
        ));
    }
    let tokens = tokenize(&chars)?;
    if tokens.is_empty() {
        return Err(FormulaError::new(0, FormulaErrorKind::Empty));
    }
    let mut p = Parser {
        tokens: &tokens,
        next: 0,
        end: chars.len(),
        max_depth: limits.max_depth,
        nesting: 0,
    };
    let (expr, _) = p.sum()?;
    if let Some(t) = p.peek() {
        return Err(p.unexpected(t, "an operator (+ - * /) or the end of the formula"));
    }
    Ok(expr)
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Spanned> {
        self.tokens.get(self.next)
    }

    fn pos(&self) -> usize {
        self.peek().map_or(self.end, |t| t.pos)
    }

    fn unexpected(&self, found: &Spanned, expected: &str) -> FormulaError {
        FormulaError::new(
            found.pos,
            FormulaErrorKind::Unexpected {
                expected: expected.to_string(),
                found: found.token.describe(),
            },
        )
    }

    fn unexpected_here(&self, expected: &str) -> FormulaError {
        match self.peek() {
            Some(t) => self.unexpected(t, expected),
            None => FormulaError::new(
                self.end,
                FormulaErrorKind::Unexpected {
                    expected: expected.to_string(),
                    found: "end of formula".into(),
                },
            ),
        }
    }

    fn too_deep(&self, pos: usize) -> FormulaError {
        FormulaError::new(
            pos,
            FormulaErrorKind::TooDeep {
                max: self.max_depth,
            },
        )
    }

    /// Enters one nesting level at `pos`, failing beyond the limit (this is
    /// what keeps hostile input such as 10,000 parentheses off the stack).
    fn enter(&mut self, pos: usize) -> Result<(), FormulaError> {
        self.nesting += 1;
        if self.nesting > self.max_depth {
            return Err(self.too_deep(pos));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nesting -= 1;
    }

    /// Builds a node of height `h`, failing beyond the limit (long operator
    /// chains make tall trees, and every later pass walks them recursively).
    fn check_height(&self, h: usize, pos: usize) -> Result<usize, FormulaError> {
        if h > self.max_depth {
            Err(self.too_deep(pos))
        } else {
            Ok(h)
        }
    }

    fn binary_op(&self, ops: &[(Token, BinaryOp)]) -> Option<(BinaryOp, usize)> {
        let t = self.peek()?;
        ops.iter()
            .find(|(tok, _)| *tok == t.token)
            .map(|(_, op)| (*op, t.pos))
    }

    fn sum(&mut self) -> Result<(Expr, usize), FormulaError> {
        self.chain(
            &[(Token::Plus, BinaryOp::Add), (Token::Minus, BinaryOp::Sub)],
            Self::product,
        )
    }

    fn product(&mut self) -> Result<(Expr, usize), FormulaError> {
        self.chain(
            &[(Token::Star, BinaryOp::Mul), (Token::Slash, BinaryOp::Div)],
            Self::unary,
        )
    }

    /// `operand (op operand)*`, left-associative.
    fn chain(
        &mut self,
        ops: &[(Token, BinaryOp)],
        operand: fn(&mut Self) -> Result<(Expr, usize), FormulaError>,
    ) -> Result<(Expr, usize), FormulaError> {
        let (mut left, mut height) = operand(self)?;
        while let Some((op, pos)) = self.binary_op(ops) {
            self.next += 1;
            let (right, h) = operand(self)?;
            height = self.check_height(1 + height.max(h), pos)?;
            left = Expr::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            };
        }
        Ok((left, height))
    }

    fn unary(&mut self) -> Result<(Expr, usize), FormulaError> {
        if let Some(t) = self.peek() {
            if t.token == Token::Minus {
                let pos = t.pos;
                self.next += 1;
                self.enter(pos)?;
                let (x, h) = self.unary()?;
                self.leave();
                let h = self.check_height(h + 1, pos)?;
                return Ok((Expr::Neg(Box::new(x)), h));
            }
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<(Expr, usize), FormulaError> {
        let Some(t) = self.peek() else {
            return Err(self.unexpected_here(OPERAND));
        };
        let pos = t.pos;
        match &t.token {
            Token::Number(n) => {
                let n = *n;
                self.next += 1;
                Ok((Expr::Number(n), 1))
            }
            Token::LParen => {
                self.next += 1;
                self.enter(pos)?;
                let (e, h) = self.sum()?;
                self.expect_rparen("')' or an operator")?;
                self.leave();
                Ok((e, h))
            }
            Token::Name { name, breakdown } => {
                let (name, breakdown) = (name.clone(), breakdown.clone());
                self.next += 1;
                let called = self.peek().is_some_and(|t| t.token == Token::LParen);
                if called {
                    let full = match &breakdown {
                        Some(b) => format!("{name}.{b}"),
                        None => name.clone(),
                    };
                    let function = Function::from_name(&full).ok_or_else(|| {
                        FormulaError::new(pos, FormulaErrorKind::UnknownFunction { name: full })
                    })?;
                    return self.call(function, pos);
                }
                if breakdown.is_none() && Function::from_name(&name).is_some() {
                    return Err(FormulaError::new(
                        pos,
                        FormulaErrorKind::FunctionWithoutCall { name },
                    ));
                }
                Ok((
                    Expr::Metric(MetricRef {
                        metric: name,
                        breakdown,
                    }),
                    1,
                ))
            }
            _ => Err(self.unexpected_here(OPERAND)),
        }
    }

    fn expect_rparen(&mut self, expected: &str) -> Result<(), FormulaError> {
        match self.peek() {
            Some(t) if t.token == Token::RParen => {
                self.next += 1;
                Ok(())
            }
            _ => Err(self.unexpected_here(expected)),
        }
    }

    /// `name(` has been seen up to the name; reads `( args )`.
    fn call(&mut self, function: Function, pos: usize) -> Result<(Expr, usize), FormulaError> {
        let paren = self.pos();
        self.next += 1; // '('
        self.enter(paren)?;
        let mut args = Vec::new();
        let mut height = 0;
        if self.peek().is_some_and(|t| t.token == Token::RParen) {
            self.next += 1;
        } else {
            loop {
                let (a, h) = self.sum()?;
                args.push(a);
                height = height.max(h);
                match self.peek() {
                    Some(t) if t.token == Token::Comma => self.next += 1,
                    Some(t) if t.token == Token::RParen => {
                        self.next += 1;
                        break;
                    }
                    _ => return Err(self.unexpected_here("',', ')' or an operator")),
                }
            }
        }
        self.leave();
        let (min, max) = function.arity();
        if args.len() < min || max.is_some_and(|m| args.len() > m) {
            let expected = match max {
                Some(m) if m == min => min.to_string(),
                Some(m) => format!("{min} to {m}"),
                None => format!("{min} or more"),
            };
            return Err(FormulaError::new(
                pos,
                FormulaErrorKind::WrongArity {
                    function: function.name().to_string(),
                    expected,
                    found: args.len(),
                },
            ));
        }
        let height = self.check_height(height + 1, pos)?;
        Ok((Expr::Call { function, args }, height))
    }
}
