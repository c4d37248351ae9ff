//! Splits formula text into tokens, each with its 0-based character position.

use super::error::{FormulaError, FormulaErrorKind};

/// A token of the formula language.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Token {
    /// A finite, non-negative number.
    Number(f64),
    /// A name: a metric (`students_enrolled`, `students_enrolled.female`) or a
    /// function (when followed by `(`).
    Name {
        name: String,
        breakdown: Option<String>,
    },
    Plus,
    Minus,
    Star,
    Slash,
    LParen,
    RParen,
    Comma,
}

impl Token {
    /// How the token is described in "found …" messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Token::Number(n) => format!("number {n}"),
            Token::Name {
                name,
                breakdown: Some(b),
            } => format!("`{name}.{b}`"),
            Token::Name { name, .. } => format!("`{name}`"),
            Token::Plus => "'+'".into(),
            Token::Minus => "'-'".into(),
            Token::Star => "'*'".into(),
            Token::Slash => "'/'".into(),
            Token::LParen => "'('".into(),
            Token::RParen => "')'".into(),
            Token::Comma => "','".into(),
        }
    }
}

/// A token and the character position where it starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Spanned {
    pub token: Token,
    pub pos: usize,
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Tokenises `chars` (the formula as characters).
pub(crate) fn tokenize(chars: &[char]) -> Result<Vec<Spanned>, FormulaError> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let pos = i;
        let simple = match c {
            '+' => Some(Token::Plus),
            '-' => Some(Token::Minus),
            '*' => Some(Token::Star),
            '/' => Some(Token::Slash),
            '(' => Some(Token::LParen),
            ')' => Some(Token::RParen),
            ',' => Some(Token::Comma),
            _ => None,
        };
        if let Some(token) = simple {
            tokens.push(Spanned { token, pos });
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let (token, next) = number(chars, i)?;
            tokens.push(Spanned { token, pos });
            i = next;
            continue;
        }
        if is_name_start(c) {
            let start = i;
            while chars.get(i).copied().is_some_and(is_name_char) {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            let mut breakdown = None;
            if chars.get(i) == Some(&'.') {
                let dot = i;
                i += 1;
                let b_start = i;
                while chars.get(i).copied().is_some_and(is_name_char) {
                    i += 1;
                }
                if i == b_start {
                    return Err(FormulaError::new(
                        dot + 1,
                        FormulaErrorKind::MissingBreakdown { metric: name },
                    ));
                }
                breakdown = Some(chars[b_start..i].iter().collect());
            }
            tokens.push(Spanned {
                token: Token::Name { name, breakdown },
                pos,
            });
            continue;
        }
        return Err(FormulaError::new(pos, FormulaErrorKind::UnexpectedChar(c)));
    }
    Ok(tokens)
}

/// Reads `digits [. digits] [e [+-] digits]` starting at `start`.
fn number(chars: &[char], start: usize) -> Result<(Token, usize), FormulaError> {
    let digits = |mut i: usize| {
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = digits(start);
    if chars.get(i) == Some(&'.') {
        i = digits(i + 1);
    }
    if matches!(chars.get(i), Some('e' | 'E')) {
        let mut j = i + 1;
        if matches!(chars.get(j), Some('+' | '-')) {
            j += 1;
        }
        let k = digits(j);
        if k == j {
            return Err(FormulaError::new(
                j,
                FormulaErrorKind::BadNumber {
                    text: chars[start..j].iter().collect(),
                },
            ));
        }
        i = k;
    }
    let text: String = chars[start..i].iter().collect();
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok((Token::Number(v), i)),
        _ => Err(FormulaError::new(
            start,
            FormulaErrorKind::BadNumber { text },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<(Token, usize)> {
        let chars: Vec<char> = s.chars().collect();
        tokenize(&chars)
            .unwrap()
            .into_iter()
            .map(|t| (t.token, t.pos))
            .collect()
    }

    #[test]
    fn names_breakdowns_numbers_and_positions() {
        let t = toks("100*students_enrolled.female / 2.5e1");
        assert_eq!(t[0], (Token::Number(100.0), 0));
        assert_eq!(t[1], (Token::Star, 3));
        assert_eq!(
            t[2],
            (
                Token::Name {
                    name: "students_enrolled".into(),
                    breakdown: Some("female".into())
                },
                4
            )
        );
        assert_eq!(t[3], (Token::Slash, 29));
        assert_eq!(t[4], (Token::Number(25.0), 31));
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        // 'қ' is two bytes in UTF-8 but one character.
        let chars: Vec<char> = "қ + a".chars().collect();
        let err = tokenize(&chars).unwrap_err();
        assert_eq!(err.position, 0);
        let chars: Vec<char> = "a + қ".chars().collect();
        assert_eq!(tokenize(&chars).unwrap_err().position, 4);
    }

    #[test]
    fn bad_numbers_and_dangling_dot() {
        let chars: Vec<char> = "1e".chars().collect();
        assert!(matches!(
            tokenize(&chars).unwrap_err().kind,
            FormulaErrorKind::BadNumber { .. }
        ));
        let chars: Vec<char> = "1e999".chars().collect();
        assert!(matches!(
            tokenize(&chars).unwrap_err().kind,
            FormulaErrorKind::BadNumber { .. }
        ));
        let chars: Vec<char> = "graduates. + 1".chars().collect();
        let err = tokenize(&chars).unwrap_err();
        assert_eq!(err.position, 10);
        assert!(matches!(
            err.kind,
            FormulaErrorKind::MissingBreakdown { .. }
        ));
    }
}
