//! Numeric series handed over as typed arrays instead of JSON objects: a trend's or a
//! scatter's `points` given as columns (`{year: Int32Array, value: Float64Array}`,
//! `{x: Float64Array, y: Float64Array, id?: string[], name?: string[]}`) are copied into
//! the chart input as they are, with no JSON text of 166,650 objects to write and parse.
//! This module checks and applies the columns; `lib.rs` reads them from JavaScript.

use crate::error::{ErrorCode, WidgetError, WidgetResult};
use crate::render::MAX_ITEMS;
use kpi_chart::{ChartInput, ScatterPoint, Text, TrendPoint};

/// The `points` of a chart as columns: numbers by name and, optionally, texts by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PointColumns {
    /// Numeric columns (`year`, `value`, `x`, `y`); NaN is "no value".
    pub numbers: Vec<(String, Vec<f64>)>,
    /// Text columns (`id`, `name`, `org`, `programme`); `None` is absent.
    pub texts: Vec<(String, Vec<Option<String>>)>,
}

impl PointColumns {
    fn number(&self, name: &str) -> Option<&[f64]> {
        self.numbers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// Text column `name`, taken out of the columns (its texts move into the points
    /// rather than being copied: two allocations fewer per point of a long scatter).
    fn take_text(&mut self, name: &str) -> Option<std::vec::IntoIter<Option<String>>> {
        self.texts
            .iter_mut()
            .find(|(n, _)| n == name)
            .map(|(_, v)| std::mem::take(v).into_iter())
    }

    /// The common length of every column; an error names the column that differs or is
    /// too long, or the one that is missing.
    fn len(&self, kind: &str, required: &[&str]) -> WidgetResult<usize> {
        for name in required {
            if self.number(name).is_none() {
                return Err(WidgetError::new(
                    ErrorCode::BadSpec,
                    format!("{kind}: points.{name}: expected a typed array of numbers"),
                ));
            }
        }
        let mut len: Option<(usize, &str)> = None;
        let lens = self
            .numbers
            .iter()
            .map(|(n, v)| (n.as_str(), v.len()))
            .chain(self.texts.iter().map(|(n, v)| (n.as_str(), v.len())));
        for (name, l) in lens {
            if l > MAX_ITEMS {
                return Err(WidgetError::new(
                    ErrorCode::TooLarge,
                    format!("{kind}: points.{name} has {l} items, at most {MAX_ITEMS} are drawn"),
                ));
            }
            match len {
                None => len = Some((l, name)),
                Some((first, first_name)) if first != l => {
                    return Err(WidgetError::new(
                        ErrorCode::BadSpec,
                        format!(
                        "{kind}: points.{name} has {l} items but points.{first_name} has {first}"
                    ),
                    ))
                }
                Some(_) => {}
            }
        }
        Ok(len.map_or(0, |(l, _)| l))
    }

    /// Puts the columns into `input` as its points (a trend's or a scatter's; other kinds
    /// take no columns). The JSON `points` must be absent or empty.
    ///
    /// ```
    /// use kpi_chart::ChartInput;
    /// use kpi_widgets::columns::PointColumns;
    /// let mut input = ChartInput::Trend(Default::default());
    /// let cols = PointColumns {
    ///     numbers: vec![("year".into(), vec![2022.0, 2023.0]), ("value".into(), vec![61.5, f64::NAN])],
    ///     texts: vec![],
    /// };
    /// cols.apply(&mut input).unwrap();
    /// let ChartInput::Trend(t) = input else { unreachable!() };
    /// assert_eq!((t.points[0].year, t.points[0].value, t.points[1].value), (2022, Some(61.5), None));
    /// ```
    pub fn apply(mut self, input: &mut ChartInput) -> WidgetResult<()> {
        let kind = input.kind().code();
        match input {
            ChartInput::Trend(d) => {
                let n = self.len(kind, &["year", "value"])?;
                refuse_both(kind, d.points.is_empty())?;
                let (years, values) = (
                    self.number("year").unwrap_or_default(),
                    self.number("value").unwrap_or_default(),
                );
                // Each point written in place, field by field (no per-point default and
                // copy: ~335 instructions a point natively before, 47 now).
                d.points = Vec::with_capacity(n);
                for (i, (&y, &v)) in years.iter().zip(values).enumerate() {
                    // A whole year in i32's range: what converts back to itself (`as`
                    // saturates, makes NaN 0 and drops a fraction).
                    if f64::from(y as i32) != y {
                        return Err(WidgetError::new(
                            ErrorCode::BadSpec,
                            format!("{kind}: points.year[{i}] = {y}: expected a whole year"),
                        ));
                    }
                    d.points.push(TrendPoint {
                        year: y as i32,
                        value: if v.is_finite() { Some(v) } else { None },
                        reason: None,
                        warnings: Vec::new(),
                        signal: None,
                    });
                }
                Ok(())
            }
            ChartInput::Scatter(d) => {
                let n = self.len(kind, &["x", "y"])?;
                refuse_both(kind, d.points.is_empty())?;
                let [mut ids, mut orgs, mut programmes, mut names] =
                    ["id", "org", "programme", "name"].map(|c| self.take_text(c));
                let next = |column: &mut Option<std::vec::IntoIter<Option<String>>>| {
                    column.as_mut().and_then(|texts| texts.next().flatten())
                };
                let (xs, ys) = (
                    self.number("x").unwrap_or_default(),
                    self.number("y").unwrap_or_default(),
                );
                d.points = (0..n)
                    .map(|i| ScatterPoint {
                        id: next(&mut ids).unwrap_or_default(),
                        org: next(&mut orgs),
                        programme: next(&mut programmes),
                        name: Text::Plain(next(&mut names).unwrap_or_default()),
                        x: xs.get(i).copied().filter(|v| v.is_finite()),
                        y: ys.get(i).copied().filter(|v| v.is_finite()),
                        ..Default::default()
                    })
                    .collect();
                Ok(())
            }
            _ => Err(WidgetError::new(
                ErrorCode::BadSpec,
                format!("{kind}: points as typed arrays are for trend and scatter"),
            )),
        }
    }
}

fn refuse_both(kind: &str, json_points_empty: bool) -> WidgetResult<()> {
    if json_points_empty {
        Ok(())
    } else {
        Err(WidgetError::new(
            ErrorCode::BadSpec,
            format!("{kind}: points are given both as objects and as columns"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(numbers: &[(&str, Vec<f64>)]) -> PointColumns {
        PointColumns {
            numbers: numbers
                .iter()
                .map(|(n, v)| (n.to_string(), v.clone()))
                .collect(),
            texts: Vec::new(),
        }
    }

    #[test]
    fn scatter_columns_become_points_with_ids_and_names() {
        let mut input = ChartInput::Scatter(Default::default());
        let mut c = cols(&[("x", vec![1.0, 2.0, 3.0]), ("y", vec![4.0, f64::NAN, 6.0])]);
        c.texts.push((
            "name".into(),
            vec![Some("A".into()), None, Some("C".into())],
        ));
        let text = |t: &[Option<&str>]| t.iter().map(|t| t.map(String::from)).collect();
        c.texts
            .push(("id".into(), text(&[Some("a"), Some("b"), None])));
        c.texts
            .push(("org".into(), text(&[None, Some("ORG-2"), Some("ORG-3")])));
        c.apply(&mut input).unwrap();
        let ChartInput::Scatter(d) = input else {
            panic!("scatter")
        };
        assert_eq!(d.points.len(), 3);
        // Each point takes the i-th text of each column, whatever the columns' order.
        let ids: Vec<_> = d
            .points
            .iter()
            .map(|p| (p.id.as_str(), p.org.as_deref()))
            .collect();
        assert_eq!(
            ids,
            [("a", None), ("b", Some("ORG-2")), ("", Some("ORG-3"))]
        );
        assert!(d.points.iter().all(|p| p.programme.is_none()));
        assert_eq!((d.points[2].x, d.points[2].y), (Some(3.0), Some(6.0)));
        assert_eq!(d.points[1].y, None, "NaN is no value");
        assert_eq!(d.points[0].name, Text::Plain("A".into()));
        assert_eq!(d.points[1].name, Text::Plain(String::new()));
    }

    /// The columns handover makes the same trend as the same points written as JSON
    /// objects (the serde path): the same input, records (tooltips, keyboard stops), table,
    /// CSV and summary.
    #[test]
    #[cfg(feature = "extra-kinds")]
    fn a_trend_as_columns_equals_the_same_trend_as_objects() {
        use crate::chart::{parse_spec, ChartState};
        // 3,000 years from 1901 with a gap of three years after the 1,200th, a value
        // that is not computable every 113th, values in quarters (exact in JSON text).
        let (mut years, mut values, mut objects) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..3000u32 {
            let year = 1901 + i + if i >= 1200 { 3 } else { 0 };
            let value = f64::from(i % 97) * 0.25 - 5.0;
            let computable = i % 113 != 5;
            years.push(f64::from(year));
            values.push(if computable { value } else { f64::NAN });
            objects.push(if computable {
                serde_json::json!({"year": year, "value": value})
            } else {
                serde_json::json!({"year": year})
            });
        }
        let spec = |points: serde_json::Value| {
            let data = serde_json::json!({"unit_name": "Unit", "points": points});
            parse_spec(&serde_json::json!({"kind": "trend", "data": data}).to_string()).unwrap()
        };
        let columns = cols(&[("year", years), ("value", values)]);
        let data = serde_json::json!({"unit_name": "Unit", "points": objects.clone()});
        let mut input =
            crate::render::parse_input("trend", serde_json::json!({"unit_name": "Unit"})).unwrap();
        columns.clone().apply(&mut input).unwrap();
        assert_eq!(input, crate::render::parse_input("trend", data).unwrap());
        let mut by_objects = ChartState::from_spec(spec(objects.into())).unwrap();
        let mut by_columns =
            ChartState::from_spec_with_columns(spec(serde_json::json!([])), Some(columns)).unwrap();
        let a = by_objects.layout(640.0, 360.0, false).unwrap().clone();
        let b = by_columns.layout(640.0, 360.0, false).unwrap().clone();
        assert_eq!(a.summary, b.summary);
        let (ra, rb) = (&a.scene.hits.points, &b.scene.hits.points);
        assert_eq!(ra.len(), rb.len());
        // Independently: every computable value, in year order, is a point with its year.
        let expected: Vec<_> = (0..3000u32)
            .filter(|i| i % 113 != 5)
            .map(|i| {
                let year = 1901 + i + if i >= 1200 { 3 } else { 0 };
                (Some(year as i32), Some(f64::from(i % 97) * 0.25 - 5.0))
            })
            .collect();
        let got: Vec<_> = (0..rb.len())
            .filter_map(|i| rb.get(i))
            .filter(|r| r.id.starts_with("value:") && r.value.is_some())
            .map(|r| (r.year, r.value))
            .collect();
        assert_eq!(got, expected);
        for i in 0..ra.len() {
            assert_eq!(ra.get(i), rb.get(i), "record {i}");
        }
        assert_eq!(
            by_objects.data_table().unwrap(),
            by_columns.data_table().unwrap()
        );
        let csv = by_columns.csv().unwrap();
        assert_eq!(by_objects.csv().unwrap(), csv);
        assert!(csv.lines().count() > 3000, "a CSV line per year");
    }

    #[test]
    fn bad_columns_are_clear_errors() {
        let mut trend = ChartInput::Trend(Default::default());
        let e = cols(&[("year", vec![2020.0, 2021.0]), ("value", vec![1.0])])
            .apply(&mut trend)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::BadSpec);
        assert!(
            e.detail
                .contains("points.value has 1 items but points.year has 2"),
            "{}",
            e.detail
        );
        let e = cols(&[("year", vec![2020.5]), ("value", vec![1.0])])
            .apply(&mut trend)
            .unwrap_err();
        assert!(e.detail.contains("points.year[0] = 2020.5"), "{}", e.detail);
        let e = cols(&[("year", vec![1.0])]).apply(&mut trend).unwrap_err();
        assert!(
            e.detail.contains("points.value: expected a typed array"),
            "{}",
            e.detail
        );
        let long = vec![0.0; MAX_ITEMS + 1];
        let e = cols(&[("year", long.clone()), ("value", long)])
            .apply(&mut trend)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLarge);
        let mut card = ChartInput::KpiCard(Default::default());
        assert!(cols(&[("x", vec![1.0])]).apply(&mut card).is_err());
    }
}
