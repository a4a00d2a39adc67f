//! Numbers in words a reader of a report expects: "$1.2B", "1,234", "42%", "0.25" — on chart
//! axes, in tables and in the terminal.

/// "42%", "0.5%": shares on probability axes.
#[must_use]
pub fn format_percent(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let p = v * 100.0;
    if p.abs() >= 10.0 || p == p.round() {
        format!("{p:.0}%")
    } else {
        trim_decimal_zeros(&format!("{p:.1}")) + "%"
    }
}

/// "$1.2B", "$350M", "$12.5k", "$0" — used on money axes.
///
/// Three significant digits at most, trailing zeros dropped; units k, M, B
/// and T (trillions, the largest: beyond it the number grows, "$1,500T").
/// Negative amounts read "-$1.2B"; non-finite input gives "n/a" or "$∞".
#[must_use]
pub fn format_usd(v: f64) -> String {
    if v.is_nan() {
        return "n/a".to_string();
    }
    let sign = if v < 0.0 { "-" } else { "" };
    if v.is_infinite() {
        return format!("{sign}$∞");
    }
    const UNITS: [(f64, &str); 5] = [(1.0, ""), (1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T")];
    let a = v.abs();
    // The largest unit not above the amount (plain dollars below $1k).
    let mut u = UNITS
        .iter()
        .rposition(|(scale, _)| a >= *scale)
        .unwrap_or(0);
    loop {
        let (scale, suffix) = UNITS[u];
        let x = a / scale;
        let decimals = if x < 10.0 {
            2
        } else if x < 100.0 {
            1
        } else {
            0
        };
        let text = format!("{x:.decimals$}");
        let rounded: f64 = text.parse().unwrap_or(x);
        // 999.96k rounds to "1000": say "$1M" instead.
        if rounded >= 1000.0 && u + 1 < UNITS.len() {
            u += 1;
            continue;
        }
        let text = trim_decimal_zeros(&text);
        if text == "0" {
            return "$0".to_string();
        }
        return format!("{sign}${}{suffix}", group_thousands(&text));
    }
}

/// "1,234" — thousands separators for unit axes.
///
/// Rounds to the nearest whole unit (half away from zero); negative values
/// read "-1,234"; non-finite input gives "n/a" or "∞".
#[must_use]
pub fn format_units(v: f64) -> String {
    if v.is_nan() {
        return "n/a".to_string();
    }
    if v.is_infinite() {
        return if v < 0.0 {
            "-∞".to_string()
        } else {
            "∞".to_string()
        };
    }
    let r = v.round();
    if r == 0.0 {
        return "0".to_string();
    }
    let digits = format!("{:.0}", r.abs());
    format!(
        "{}{}",
        if r < 0.0 { "-" } else { "" },
        group_thousands(&digits)
    )
}

/// An input's value as readers expect it: US dollars for a `…_usd` key, a plain number
/// otherwise (used where inputs are ranked, in the terminal and on the tornado chart).
#[must_use]
pub fn format_input(key_path: &str, v: f64) -> String {
    if key_path.ends_with("_usd") {
        format_usd(v)
    } else {
        format_number(v)
    }
}

/// Numbers with up to two decimals and thousands separators: "0.25", "1,250", "-3.5".
#[must_use]
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return format_units(v);
    }
    if v.abs() >= 100.0 || v == v.round() {
        return format_units(v);
    }
    let t = trim_decimal_zeros(&format!("{:.2}", v.abs()));
    format!("{}{}", if v < 0.0 { "-" } else { "" }, group_thousands(&t))
}

/// "12.50" -> "12.5", "3.00" -> "3", "40" -> "40".
fn trim_decimal_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// Inserts commas into the integer part of an unsigned decimal number.
fn group_thousands(s: &str) -> String {
    let (int, frac) = match s.find('.') {
        Some(i) => s.split_at(i),
        None => (s, ""),
    };
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(frac);
    out
}
