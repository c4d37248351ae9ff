//! The `table` view: the numbers of a peer group as a table.

use super::*;

/// The columns of a peer group's table (the `table` kind): rank, ID, name,
/// the indicator's value, percentile, z, robust z and the outlier flag. One
/// list for the engine's view and for the tables a bundle's reader builds
/// (`kpi publish` writes it into `catalogue.json`).
///
/// ```
/// use kpi_engine::peer_table_columns;
/// let keys: Vec<String> = peer_table_columns(&Default::default()).into_iter().map(|c| c.key).collect();
/// assert_eq!(keys, ["rank", "org_id", "name", "value", "percentile", "z", "robust_z", "outlier"]);
/// ```
pub fn peer_table_columns(indicator: &IndicatorInfo) -> Vec<TableColumn> {
    let col = |key: &str,
               kk: &str,
               ru: &str,
               en: &str,
               ky: &str,
               unit: Option<ValueUnit>,
               dec: Option<usize>| TableColumn {
        key: key.into(),
        label: Text::Langs(Labels {
            kk: kk.into(),
            ru: ru.into(),
            en: en.into(),
            ky: ky.into(),
        }),
        unit,
        decimals: dec,
    };
    vec![
        col(
            "rank",
            "Орын",
            "Место",
            "Rank",
            "Орун",
            Some(ValueUnit::Count),
            Some(0),
        ),
        col("org_id", "ID", "ID", "ID", "ID", None, None),
        col(
            "name",
            "Ұйым",
            "Организация",
            "Organisation",
            "Уюм",
            None,
            None,
        ),
        TableColumn {
            key: "value".into(),
            label: indicator.label.clone(),
            unit: Some(indicator.unit.clone()),
            decimals: indicator.decimals,
        },
        col(
            "percentile",
            "Процентиль",
            "Процентиль",
            "Percentile",
            "Процентиль",
            Some(ValueUnit::Index),
            Some(0),
        ),
        col("z", "z", "z", "z", "z", Some(ValueUnit::Index), Some(2)),
        col(
            "robust_z",
            "Робаст z",
            "Робастный z",
            "Robust z",
            "Робасттык z",
            Some(ValueUnit::Index),
            Some(2),
        ),
        col(
            "outlier",
            "Шектен тыс",
            "Выброс",
            "Outlier",
            "Өзгөчө маани",
            None,
            None,
        ),
    ]
}

/// The outlier column's text: "yes" in every language, or empty.
///
/// ```
/// use kpi_engine::outlier_text;
/// use kpi_model::i18n::Lang;
/// assert_eq!(outlier_text(true).get(Lang::Ru), "да");
/// assert_eq!(outlier_text(false).get(Lang::En), "");
/// ```
pub fn outlier_text(outlier: bool) -> Text {
    Text::Langs(if outlier {
        Labels {
            kk: "иә".into(),
            ru: "да".into(),
            en: "yes".into(),
            ky: "ооба".into(),
        }
    } else {
        Labels::same("")
    })
}

impl Engine {
    pub(super) fn table(&self, r: &ViewRequest) -> Result<TableData, EngineError> {
        let c = self.comparison(r)?;
        let columns = peer_table_columns(&c.indicator);
        let num = |v: Option<f64>| TableCell {
            value: v,
            text: None,
            reason: None,
        };
        let rows = c
            .rows
            .iter()
            .map(|row| {
                vec![
                    num(row.rank.map(|x| x as f64)),
                    TableCell::text(row.org_id.clone()),
                    TableCell::text(Text::Langs(row.name.clone())),
                    TableCell {
                        value: row.value,
                        text: None,
                        reason: row.reason.clone(),
                    },
                    num(row.percentile),
                    num(row.z),
                    num(row.robust_z),
                    TableCell {
                        value: None,
                        text: Some(outlier_text(row.outlier)),
                        reason: None,
                    },
                ]
            })
            .collect();
        let title = Labels::from_fn(|lang| {
            format!(
                "{} · {}",
                c.indicator.name(lang),
                kpi_model::academic_year_label(c.year)
            )
        });
        Ok(TableData {
            columns,
            rows,
            sort_by: None,
            descending: false,
            title: Some(Text::Langs(title)),
            caption: Some(Text::Langs(c.summary.unwrap_or(c.peer_group))),
        })
    }
}
