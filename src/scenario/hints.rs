//! What to tell a scenario author: hints keyed on the key a problem is about, "did you mean"
//! suggestions, and numbers printed the way a person writes them.

use super::keypath::{KeyPath, Seg};

/// A hint for a key, by its last name.
#[must_use]
pub(super) fn key_help(path: &KeyPath) -> Option<String> {
    let last = path.last_key()?;
    let h = match last {
        "start" | "end" | "date" | "from" | "to" | "first_order" => {
            "write a TOML date without quotes, e.g. 2025-09-01"
        }
        "scenario" => "start the file with a [scenario] table: name = \"my-scenario\", start = 2025-09-01, horizon_days = 1095",
        "name" | "item" | "line" => "write a name in quotes, e.g. name = \"pac3-mse\"",
        "label" | "title" | "description" => "write text in quotes, e.g. label = \"PAC-3 MSE interceptor\"",
        "format" => "format = 1 (or leave it out)",
        "seed" | "runs" | "max_units_per_order" => "a whole number, e.g. 1000",
        "every" => "every = \"monthly\" (or \"weekly\", \"quarterly\", \"yearly\")",
        "allocation" => "allocation = \"shares\" or allocation = \"priority\"",
        "multiplier" => "a number ≥ 0 that scales daily use, e.g. multiplier = 2 for twice the usual rate",
        "per_day" | "per_month" | "per_year" => "units made in that time, e.g. per_day = 2",
        "unit_cost_usd" => "the price of one unit in US dollars, e.g. unit_cost_usd = 4_000_000",
        "initial_stock" | "safe_stock" => "a whole number of units, e.g. initial_stock = 60",
        "amount_usd" => "US dollars as a number (500_000_000) or a distribution ({ dist = \"lognormal\", median = 5e8, p90 = 8e8 })",
        "pays_into" => "a channel name (pays_into = \"purl\") or shares (pays_into = { purl = 0.6, direct = 0.4 })",
        "horizon_days" => "a whole number of days, e.g. horizon_days = 1095 for three years",
        "order_every_days" | "every_days" => "a whole number of days, e.g. 30",
        "capacity" => "a list of ramp points, e.g. capacity = [{ date = 2025-09-01, per_day = 1 }, { date = 2026-06-01, per_day = 7 }]",
        "daily" => "e.g. daily = { dist = \"poisson\", mean = 2.5 }",
        "rate_per_year" => "mean starts a year, 0 to 365, e.g. rate_per_year = 0.5 for once every two years on average",
        "to_fatigued_per_year" => "mean entries into the fatigued state a year, 0 to 365, e.g. 0.6",
        "max_daily" | "reserve" => "a whole number of units, e.g. max_daily = 10",
        "dist" => "one of fixed, uniform, triangular, pert, normal, lognormal, poisson, negative_binomial, bernoulli",
        _ if last.ends_with("_days") => "a number of days or a distribution, e.g. { dist = \"uniform\", min = 10, max = 30 }",
        _ if last.contains("probability") || last.contains("rate") || last.contains("loss") || last.contains("share") => {
            "a probability between 0 and 1, e.g. 0.9"
        }
        _ => return None,
    };
    Some(h.to_owned())
}

/// A hint for a key inside an inline table (a distribution or share table), from the key that
/// holds it.
#[must_use]
pub(super) fn parent_key_help(path: &KeyPath) -> Option<String> {
    let n = path.0.len();
    match path.0.get(n.checked_sub(2)?) {
        Some(Seg::Key(k)) if k != "scenario" => key_help(&KeyPath(path.0[..n - 1].to_vec())),
        _ => None,
    }
}

/// Help for a key that is required but absent from the table at `path`.
#[must_use]
pub(super) fn missing_key_help(path: &KeyPath, key: &str) -> String {
    match (path.0.is_empty(), key_help(&path.key(key))) {
        (true, Some(h)) => h,
        (false, Some(h)) => format!("add `{key}` to this table: {h}"),
        (_, None) => {
            format!("add `{key} = ...` to this table; docs/scenario-format.md lists every key")
        }
    }
}

/// The known name closest to `bad`, for "did you mean".
#[must_use]
pub(super) fn nearest<'a>(bad: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    names
        .map(|n| (strsim::jaro_winkler(bad, n), n))
        .filter(|(s, _)| *s > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

/// The allowed key an unknown key most likely meant.
#[must_use]
pub(super) fn nearest_key<'a>(bad: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|k| (strsim::jaro_winkler(bad, k), *k))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(s, _)| *s > 0.7)
        .map(|(_, k)| k)
}

/// Help for an unknown key: the nearest allowed key, or where the keys are listed.
#[must_use]
pub(super) fn unknown_key_help(bad: &str, allowed: &[&str]) -> String {
    match nearest_key(bad, allowed) {
        Some(k) => format!(
            "did you mean `{k}`? Unknown keys are errors so that typos are not silently ignored"
        ),
        None => {
            "remove this key or check its spelling; docs/scenario-format.md lists every key".into()
        }
    }
}

/// A number as a person writes it, in the shortest form that reads back to the same value after
/// rounding away float noise (15 significant digits): 3999.9999999999995 → "4000",
/// 1500000000 → "1.5e9", 1e300 → "1e300", 0.25 → "0.25".
#[must_use]
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    // Round to 15 significant digits: removes the noise of a computed value (exp(ln(4000)))
    // without changing any number a person typed with up to 15 digits.
    let v: f64 = format!("{v:.14e}").parse().unwrap_or(v);
    let a = v.abs();
    if v != 0.0 && !(1e-6..1e7).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// A sum of shares without float noise: 0.8999999999999999 → "0.9".
#[must_use]
pub(super) fn fmt_share(v: f64) -> String {
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_short() {
        assert_eq!(fmt_num(3_999.999_999_999_999_5), "4000");
        assert_eq!(fmt_num(4000.0_f64.ln().exp()), "4000");
        assert_eq!(fmt_num(1e300), "1e300");
        assert_eq!(fmt_num(1.5e9), "1.5e9");
        assert_eq!(fmt_num(0.25), "0.25");
        assert_eq!(fmt_num(-4000.0), "-4000");
        assert_eq!(fmt_num(0.000_001), "0.000001");
        assert_eq!(fmt_num(1e-9), "1e-9");
        assert_eq!(fmt_num(0.0), "0");
        assert_eq!(fmt_num(f64::NAN), "NaN");
        assert_eq!(fmt_share(0.899_999_999_999_999_9), "0.9");
    }

    #[test]
    fn hints_follow_the_last_key() {
        let p = KeyPath::root()
            .key("item")
            .key("shell")
            .key("unit_cost_usd");
        assert!(key_help(&p).unwrap().contains("US dollars"));
        let share = KeyPath::root()
            .key("funding")
            .key("d")
            .key("pays_into")
            .key("purl");
        assert_eq!(key_help(&share), None);
        assert!(parent_key_help(&share).unwrap().contains("channel name"));
        assert!(
            missing_key_help(&KeyPath::root().key("scenario"), "start").starts_with("add `start`")
        );
    }

    #[test]
    fn suggestions_pick_the_nearest() {
        assert_eq!(
            nearest("montly", ["weekly", "monthly"].into_iter()),
            Some("monthly")
        );
        assert_eq!(nearest("zzz", ["weekly", "monthly"].into_iter()), None);
        assert!(
            unknown_key_help("unit_cost", &["name", "unit_cost_usd"]).contains("`unit_cost_usd`")
        );
        assert!(unknown_key_help("colour", &["name", "unit_cost_usd"]).starts_with("remove"));
    }
}
