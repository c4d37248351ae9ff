//! Scalar UDFs that read cells with kpi-import's rules ([`crate::rules`]):
//! each takes its arguments as text (any Arrow type is cast to UTF-8 first,
//! so a typed Parquet column reads as its CSV spelling would) and gives a
//! typed value, or NULL where a load would have no value.

use crate::rules;
use datafusion::arrow::array::{
    Array, ArrayRef, BooleanBuilder, Float64Builder, Int32Builder, StringArray, StringBuilder,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use kpi_import::{AliasBook, Field, ValueMemo, ValueSet};
use kpi_model::validate::TableKind;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What a UDF is made from, so that another process (a Ballista scheduler or
/// executor, see `crate::cluster`) can make the same function: the plans
/// carry it as the function's serialized definition. Cell readers read with
/// the built-in alias book there (a custom one is refused for a cluster).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum UdfSpec {
    /// One of [`readers`], by name, with the thresholds of `kpi_threshold`.
    Reader {
        name: String,
        thresholds: kpi_import::TransferThresholds,
    },
    /// A [`row_check`], or with `range` a [`range_check`]: the table kind,
    /// the decimal comma, and its columns as (position in
    /// [`crate::plan::fields_of`] of the kind, header).
    Check {
        name: String,
        kind: u8,
        decimal_comma: bool,
        fields: Vec<(usize, String)>,
        range: bool,
    },
}

/// The table kinds of record files, by their number in a [`UdfSpec::Check`].
const RECORD_KINDS: [TableKind; 3] = [TableKind::Students, TableKind::Grades, TableKind::Surveys];

// Read only by the cluster's codecs (feature `ballista`).
#[cfg_attr(not(feature = "ballista"), allow(dead_code))]
impl UdfSpec {
    /// The function this spec describes.
    pub(crate) fn build(&self, book: &Arc<AliasBook>) -> Result<ScalarUDF> {
        let bad = |what: &str| DataFusionError::Internal(format!("kpi UDF definition: {what}"));
        match self {
            UdfSpec::Reader { name, thresholds } => readers(Arc::clone(book), thresholds.clone())
                .into_iter()
                .find(|u| u.name() == name)
                .ok_or_else(|| bad(&format!("no reader named {name}"))),
            UdfSpec::Check {
                name,
                kind,
                decimal_comma,
                fields,
                range,
            } => {
                let kind = *RECORD_KINDS
                    .get(usize::from(*kind))
                    .ok_or_else(|| bad("table kind"))?;
                let all = crate::plan::fields_of(kind);
                let which = fields
                    .iter()
                    .map(|(i, h)| Ok((*all.get(*i).ok_or_else(|| bad("field"))?, h.clone())))
                    .collect::<Result<Vec<_>>>()?;
                Ok(rule_udf(
                    name,
                    Arc::clone(book),
                    kind,
                    *decimal_comma,
                    which,
                    *range,
                ))
            }
        }
    }

    /// The spec of a function made here (`None` for any other function).
    pub(crate) fn of(udf: &ScalarUDF) -> Option<&UdfSpec> {
        udf.inner().downcast_ref::<TextUdf>().map(|t| &t.spec)
    }
}

/// One output value of a [`TextUdf`].
pub(crate) enum Out<'a> {
    Null,
    Text(&'a str),
    Owned(String),
    Int(i32),
    Float(f64),
    Bool(bool),
}

/// A row's cells to its value; the memo (one per batch) remembers what the
/// alias book made of each spelling, so that a value set's lookups cost one
/// normalisation per spelling and batch instead of one per row.
type RowFn = dyn for<'a> Fn(&[Option<&'a str>], &mut ValueMemo) -> Out<'a> + Send + Sync;

/// A scalar function of text cells, row by row.
pub(crate) struct TextUdf {
    name: String,
    signature: Signature,
    output: DataType,
    f: Arc<RowFn>,
    #[cfg_attr(not(feature = "ballista"), allow(dead_code))]
    spec: UdfSpec,
}

impl std::fmt::Debug for TextUdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextUdf").field("name", &self.name).finish()
    }
}

// Functions are told apart by name (each registered name is one function).
impl PartialEq for TextUdf {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl Eq for TextUdf {}
impl std::hash::Hash for TextUdf {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state)
    }
}

impl TextUdf {
    pub(crate) fn scalar(
        spec: UdfSpec,
        output: DataType,
        f: impl for<'a> Fn(&[Option<&'a str>], &mut ValueMemo) -> Out<'a> + Send + Sync + 'static,
    ) -> ScalarUDF {
        let name = match &spec {
            UdfSpec::Reader { name, .. } | UdfSpec::Check { name, .. } => name.clone(),
        };
        ScalarUDF::from(TextUdf {
            name,
            signature: Signature::variadic_any(Volatility::Immutable),
            output,
            f: Arc::new(f),
            spec,
        })
    }
}

impl ScalarUDFImpl for TextUdf {
    fn name(&self) -> &str {
        &self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(self.output.clone())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let arrays: Vec<ArrayRef> = args
            .args
            .iter()
            .map(|a| {
                let a = a.to_array(n)?;
                Ok(match a.data_type() {
                    DataType::Utf8 => a,
                    _ => cast(&a, &DataType::Utf8)?,
                })
            })
            .collect::<Result<_>>()?;
        let texts: Vec<&StringArray> = arrays
            .iter()
            .map(|a| {
                a.as_any().downcast_ref::<StringArray>().ok_or_else(|| {
                    DataFusionError::Internal(format!("{}: argument not text", self.name))
                })
            })
            .collect::<Result<_>>()?;
        let f = &*self.f;
        let array: ArrayRef = match self.output {
            DataType::Utf8 => {
                let mut b = StringBuilder::with_capacity(n, n * 8);
                each_row(&texts, n, f, |out| match out {
                    Out::Text(t) => b.append_value(t),
                    Out::Owned(t) => b.append_value(t),
                    _ => b.append_null(),
                });
                Arc::new(b.finish())
            }
            DataType::Int32 => {
                let mut b = Int32Builder::with_capacity(n);
                each_row(&texts, n, f, |out| match out {
                    Out::Int(v) => b.append_value(v),
                    _ => b.append_null(),
                });
                Arc::new(b.finish())
            }
            DataType::Float64 => {
                let mut b = Float64Builder::with_capacity(n);
                each_row(&texts, n, f, |out| match out {
                    Out::Float(v) => b.append_value(v),
                    _ => b.append_null(),
                });
                Arc::new(b.finish())
            }
            _ => {
                let mut b = BooleanBuilder::with_capacity(n);
                each_row(&texts, n, f, |out| match out {
                    Out::Bool(v) => b.append_value(v),
                    _ => b.append_null(),
                });
                Arc::new(b.finish())
            }
        };
        Ok(ColumnarValue::Array(array))
    }
}

/// `f` of each of the first `n` rows of `texts` (one text cell per column), handed to `push`
/// in row order: the one row loop behind every output type's builder.
fn each_row<'a>(texts: &[&'a StringArray], n: usize, f: &RowFn, mut push: impl FnMut(Out<'a>)) {
    let mut cells: Vec<Option<&'a str>> = vec![None; texts.len()];
    let mut memo = ValueMemo::default();
    for i in 0..n {
        for (c, t) in cells.iter_mut().zip(texts) {
            *c = (!t.is_null(i)).then(|| t.value(i));
        }
        push(f(&cells, &mut memo));
    }
}

/// The cell readers every plan uses, registered under fixed names:
///
/// | function | gives |
/// |---|---|
/// | `kpi_id(cell)` | trimmed text, NULL when empty |
/// | `kpi_year(cell)` | the academic year (Int32) |
/// | `kpi_whole(cell)` | a whole number (course, term) |
/// | `kpi_status(cell)` | the canonical status code |
/// | `kpi_survey(cell)` | the canonical survey kind |
/// | `kpi_yes(cell)` | yes/no as a boolean |
/// | `kpi_gpa(cell, decimal_comma)` | a GPA on 0–4 |
/// | `kpi_number(cell, decimal_comma)` | a number (credits) |
/// | `kpi_points(letter, score, decimal_comma)` | grade points |
/// | `kpi_answer(cell, decimal_comma)` | a survey answer on 1–5 |
/// | `kpi_threshold(programme, course)` | the transfer GPA threshold |
pub(crate) fn readers(
    book: Arc<AliasBook>,
    thresholds: kpi_import::TransferThresholds,
) -> Vec<ScalarUDF> {
    let dc = |cells: &[Option<&str>], i: usize| cells.get(i).copied().flatten() == Some("true");
    let b1 = Arc::clone(&book);
    let b2 = Arc::clone(&book);
    let b3 = Arc::clone(&book);
    let own = thresholds.clone();
    let reader = |name: &str| UdfSpec::Reader {
        name: name.into(),
        thresholds: thresholds.clone(),
    };
    vec![
        TextUdf::scalar(reader("kpi_id"), DataType::Utf8, |c, _| {
            rules::id(c[0]).map_or(Out::Null, Out::Text)
        }),
        TextUdf::scalar(reader("kpi_year"), DataType::Int32, |c, _| {
            rules::year(c[0]).map_or(Out::Null, Out::Int)
        }),
        TextUdf::scalar(reader("kpi_whole"), DataType::Int32, |c, _| {
            rules::whole(c[0], 0.0..=f64::from(i32::MAX)).map_or(Out::Null, Out::Int)
        }),
        TextUdf::scalar(reader("kpi_status"), DataType::Utf8, move |c, m| {
            rules::value(&b1, m, ValueSet::Status, c[0]).map_or(Out::Null, Out::Text)
        }),
        TextUdf::scalar(reader("kpi_survey"), DataType::Utf8, move |c, m| {
            rules::value(&b2, m, ValueSet::Survey, c[0]).map_or(Out::Null, Out::Text)
        }),
        TextUdf::scalar(
            reader("kpi_yes"),
            DataType::Boolean,
            move |c, m| match rules::value(&b3, m, ValueSet::Bool, c[0]) {
                Some("yes") => Out::Bool(true),
                Some("no") => Out::Bool(false),
                _ => Out::Null,
            },
        ),
        TextUdf::scalar(reader("kpi_gpa"), DataType::Float64, move |c, _| {
            rules::gpa(c[0], dc(c, 1)).map_or(Out::Null, Out::Float)
        }),
        TextUdf::scalar(
            reader("kpi_number"),
            DataType::Float64,
            move |c, _| match rules::number(c[0], dc(c, 1)) {
                rules::Number::Value(v) => Out::Float(v),
                _ => Out::Null,
            },
        ),
        TextUdf::scalar(reader("kpi_points"), DataType::Float64, move |c, _| {
            rules::points(c[0], c[1], dc(c, 2)).map_or(Out::Null, Out::Float)
        }),
        TextUdf::scalar(reader("kpi_answer"), DataType::Float64, move |c, _| {
            rules::answer(c[0], dc(c, 1)).map_or(Out::Null, Out::Float)
        }),
        TextUdf::scalar(reader("kpi_threshold"), DataType::Float64, move |c, _| {
            let cycle = rules::id(c[0]).and_then(kpi_model::DegreeCycle::from_programme_code);
            let course = rules::whole(c[1], 1.0..=7.0).and_then(|v| u8::try_from(v).ok());
            match course.and_then(|course| own.threshold(cycle, course)) {
                Some(t) => Out::Float(t),
                None => Out::Null,
            }
        }),
    ]
}

/// The row check of one table: `name(cells…)` gives NULL for a row that is
/// read, else the reason it is rejected (`column\tfound\texpected\tmessage`).
pub(crate) fn row_check(
    name: &str,
    book: Arc<AliasBook>,
    kind: TableKind,
    decimal_comma: bool,
    which: Vec<(Field, String)>,
) -> ScalarUDF {
    rule_udf(name, book, kind, decimal_comma, which, false)
}

/// The range check of one table: `name(cells…)` gives NULL, or the
/// out-of-range warning of the row (`column\tfound\texpected\tmessage`),
/// as [`rules::out_of_range`] finds it.
pub(crate) fn range_check(
    name: &str,
    book: Arc<AliasBook>,
    kind: TableKind,
    decimal_comma: bool,
    which: Vec<(Field, String)>,
) -> ScalarUDF {
    rule_udf(name, book, kind, decimal_comma, which, true)
}

/// A row rule as a UDF: [`rules::out_of_range`] when `range`, else
/// [`rules::reject`]; its [`UdfSpec::Check`] says which, for the cluster.
fn rule_udf(
    name: &str,
    book: Arc<AliasBook>,
    kind: TableKind,
    decimal_comma: bool,
    which: Vec<(Field, String)>,
    range: bool,
) -> ScalarUDF {
    let all = crate::plan::fields_of(kind);
    let spec = UdfSpec::Check {
        name: name.into(),
        kind: RECORD_KINDS.iter().position(|k| *k == kind).unwrap_or(0) as u8,
        decimal_comma,
        fields: which
            .iter()
            .map(|(f, h)| (all.iter().position(|a| a == f).unwrap_or(0), h.clone()))
            .collect(),
        range,
    };
    let rule = if range {
        rules::out_of_range
    } else {
        rules::reject
    };
    TextUdf::scalar(spec, DataType::Utf8, move |cells, memo| {
        match rule(&book, memo, decimal_comma, &which, cells) {
            None => Out::Null,
            Some(r) => Out::Owned(format!(
                "{}\t{}\t{}\t{}",
                r.column, r.found, r.expected, r.message
            )),
        }
    })
}
