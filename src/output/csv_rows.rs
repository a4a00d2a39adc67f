//! CSV through serde: each CSV exporter declares its row type, derives `Serialize` and hands
//! its rows to [`write_csv`]. Numbers are [`Num`]s, printed in their shortest decimal form (`2`,
//! `0.125`, never `2.0`), rounded to the digits the exporter asks for.

use super::OutputError;
use serde::{Serialize, Serializer};

/// A number in a CSV field, printed as Rust prints an `f64` (`1`, `0.5`, `1234567.89`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Num(pub f64);

impl Num {
    /// `v` rounded to `digits` decimals: enough for analysis, no float noise.
    pub(crate) fn round(v: f64, digits: i32) -> Num {
        Num(super::round(v, digits))
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// A number in a CSV field with exactly `D` decimals (`{:.D}`: `0.500000` for `Fixed::<6>(0.5)`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fixed<const D: usize>(pub f64);

impl<const D: usize> Serialize for Fixed<D> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{:.*}", D, self.0))
    }
}

/// A CSV file: the `header` line, then one record per row, each serialised by serde (a struct's
/// fields in order; `None` is an empty field; a list field adds one field per element).
pub(crate) fn write_csv<R: Serialize>(
    file: &'static str,
    header: impl IntoIterator<Item = impl AsRef<[u8]>>,
    rows: impl IntoIterator<Item = R>,
) -> Result<Vec<u8>, OutputError> {
    let e = |x: csv::Error| OutputError::Serialize {
        file,
        message: x.to_string(),
    };
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.write_record(header).map_err(e)?;
    for row in rows {
        w.serialize(row).map_err(e)?;
    }
    w.into_inner().map_err(|x| OutputError::Serialize {
        file,
        message: x.to_string(),
    })
}

/// The header serde would write for `row` (for tests that keep a row type and its declared
/// header in step).
#[cfg(test)]
pub(crate) fn serde_header<R: Serialize>(row: &R) -> Vec<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(row).expect("a flat row");
    let bytes = w.into_inner().expect("in memory");
    let text = String::from_utf8(bytes).expect("UTF-8");
    text.lines()
        .next()
        .unwrap_or_default()
        .split(',')
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        name: &'static str,
        value: Num,
        maybe: Option<Num>,
        more: Vec<Num>,
        fixed: Fixed<2>,
    }

    #[test]
    fn numbers_print_as_before_and_none_is_empty() {
        let rows = [
            Row {
                name: "a,b",
                value: Num::round(2.0, 3),
                maybe: None,
                more: vec![Num(0.125), Num(1e21)],
                fixed: Fixed(0.5),
            },
            Row {
                name: "c",
                value: Num::round(1.234_567_8, 3),
                maybe: Some(Num(-0.5)),
                more: vec![Num(1e-7), Num(0.0)],
                fixed: Fixed(-1.005),
            },
        ];
        let header = ["name", "value", "maybe", "m1", "m2", "fixed"];
        let out = write_csv("t.csv", header, rows).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name,value,maybe,m1,m2,fixed\n\"a,b\",2,,0.125,1000000000000000000000,0.50\n\
             c,1.235,-0.5,0.0000001,0,-1.00\n"
        );
    }
}
