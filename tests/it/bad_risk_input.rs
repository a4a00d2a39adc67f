//! Bad inputs of the demand and risk mechanisms (threats, use rules): each is refused with its
//! place, key path and a hint, like every other bad input (see `bad_input`).

use crate::bad_input::{case, check, raw, BASE};

const DAILY: &str = "daily = { dist = \"poisson\", mean = 50 }";
const THREAT: &str = "\n[[threat]]\nname = \"ballistic\"\ndaily = 2\n";

#[test]
fn use_rules() {
    check(vec![
        case("unknown use", DAILY, "use = \"availble\"", &[
            "bad.toml:36:7",
            "consumption.shell.use: \"availble\" is not a known use",
            "help: use = \"demand\"",
        ]),
        case("available without max_daily", DAILY, "use = \"available\"", &[
            "consumption.shell: use = \"available\" needs `max_daily`",
            "help: say how many units can be fired a day at most",
        ]),
        case("available with daily", DAILY, "use = \"available\"\nmax_daily = 3\ndaily = 5", &[
            "bad.toml:38:9",
            "consumption.shell.daily: `daily` does not apply to use = \"available\"",
        ]),
        case("reserve of a wanted use", DAILY, "daily = 5\nreserve = 10", &[
            "consumption.shell.reserve: `reserve` does not apply to a use that is wanted",
        ]),
        case("negative max_daily", DAILY, "daily = 5\nmax_daily = -1", &[
            "consumption.shell.max_daily: max_daily must be between 0 and 1000000000000, got -1",
        ]),
        case("to before from", DAILY, "daily = 5\nfrom = 2025-12-01\nto = 2025-11-01", &[
            "consumption.shell.to: to (2025-11-01) is before from (2025-12-01)",
            "help: swap the two dates",
        ]),
        case("from outside the period", DAILY, "daily = 5\nfrom = 2024-12-01", &[
            "consumption.shell.from",
        ]),
    ]);
}

#[test]
fn threats() {
    let base = format!("{BASE}{THREAT}");
    let with = |old: &str, new: &str| base.replacen(old, new, 1);
    check(vec![
        raw("unknown threat", with(DAILY, "threat = \"balistic\""), &[
            "consumption.shell.threat",
            "\"balistic\"",
            "did you mean \"ballistic\"",
        ]),
        raw("threat and daily", with(DAILY, "threat = \"ballistic\"\ndaily = 3"), &[
            "consumption.shell.daily: `daily` does not apply to a use that follows a threat",
            "help: give either `daily` or `threat`, not both",
        ]),
        raw("engaged share of a daily use", with(DAILY, "daily = 3\nengaged_share = 0.5"), &[
            "consumption.shell.engaged_share: `engaged_share` does not apply to a use drawn from `daily`",
        ]),
        raw("engaged share above one", with(DAILY, "threat = \"ballistic\"\nengaged_share = 1.5"), &[
            "consumption.shell.engaged_share: 1.5 is out of range",
        ]),
        raw("threat use with consumption periods", with(DAILY, "threat = \"ballistic\"\n[[consumption.period]]\nfrom = 2025-10-01\nto = 2025-11-01\nmultiplier = 2"), &[
            "`period` does not apply to a use that follows a threat",
        ]),
        raw("threat without daily", with("daily = 2\n", "label = \"x\"\n"), &[
            "threat.ballistic: missing key `daily`",
        ]),
        raw("threat daily as a uniform", with("daily = 2\n", "daily = { dist = \"uniform\", min = 1, max = 2 }\n"), &[
            "threat.ballistic.daily.dist: \"uniform\" cannot describe daily use",
        ]),
        raw("threat period with to before from", format!("{base}[[threat.period]]\nfrom = 2025-12-01\nto = 2025-11-01\nmultiplier = 2\n"), &[
            "threat.ballistic.period[0].to: to (2025-11-01) is before from (2025-12-01)",
        ]),
    ]);
}

const EVENT: &str = "\n[[event]]\nname = \"strike\"\napplies_to = { lines = [\"shell-line\"] }\neffect = \"capacity\"\ncapacity_multiplier = 0.5\nrate_per_year = 1\nduration_days = 30\n";

#[test]
fn events() {
    let base = format!("{BASE}{EVENT}");
    let with = |old: &str, new: &str| base.replacen(old, new, 1);
    check(vec![
        raw("unknown effect", with("effect = \"capacity\"", "effect = \"capacty\""), &[
            "event.strike.effect: \"capacty\" is not a known effect",
            "did you mean \"capacity\"",
        ]),
        raw("unknown line", with("[\"shell-line\"]", "[\"shell-lin\"]"), &[
            "event.strike.applies_to.lines[0]: there is no line named \"shell-lin\"",
        ]),
        raw("capacity on channels", with("lines = [\"shell-line\"]", "lines = [\"shell-line\"], channels = [\"purl\"]"), &[
            "event.strike.applies_to.channels: an event with effect = \"capacity\" does not act on channels",
            "help: capacity acts on lines",
        ]),
        raw("capacity without lines", with("lines = [\"shell-line\"]", "items = [\"shell\"]"), &[
            "does not act on items",
            "needs lines in applies_to",
        ]).problems(2),
        raw("capacity without multiplier", with("capacity_multiplier = 0.5\n", ""), &[
            "event.strike: an event with effect = \"capacity\" needs capacity_multiplier",
        ]),
        raw("both rate and date", with("rate_per_year = 1", "rate_per_year = 1\ndate = 2025-12-01"), &[
            "event.strike.date: both rate_per_year and date are given",
        ]),
        raw("neither rate nor date", with("rate_per_year = 1\n", ""), &[
            "event.strike: an event needs rate_per_year or date",
        ]),
        raw("rate out of range", with("rate_per_year = 1", "rate_per_year = 400"), &[
            "event.strike.rate_per_year: 400 is out of range",
        ]),
        raw("pause without duration", with("duration_days = 30\n", ""), &[
            "needs duration_days",
        ]),
        raw("stock loss with a duration", with("effect = \"capacity\"\ncapacity_multiplier = 0.5", "effect = \"stock_loss\"\nstock_loss = 0.5").replace("lines = [\"shell-line\"]", "items = [\"shell\"]"), &[
            "event.strike.duration_days: duration_days does not apply to a stock loss",
        ]),
        raw("window with a date", with("rate_per_year = 1", "date = 2025-12-01\nwindow = { from = 2025-10-01 }"), &[
            "event.strike.window: window does not apply to an event on a fixed date",
        ]),
        raw("window to before from", with("rate_per_year = 1", "rate_per_year = 1\nwindow = { from = 2025-12-01, to = 2025-10-01 }"), &[
            "event.strike.window.to: to (2025-10-01) is before from (2025-12-01)",
        ]),
    ]);
}

#[test]
fn factors() {
    let regime = "\n[[factor]]\nname = \"fatigue\"\nkind = \"regime\"\nto_fatigued_per_year = 0.6\nfatigued_days = 60\n";
    let base = format!("{BASE}{regime}");
    let with = |old: &str, new: &str| base.replacen(old, new, 1);
    let load = "payment_probability = 0.9";
    check(vec![
        raw("unknown kind", with("kind = \"regime\"", "kind = \"regim\""), &[
            "factor.fatigue.kind: \"regim\" is not a known kind of factor",
        ]),
        raw("regime without fatigued_days", with("fatigued_days = 60\n", ""), &[
            "factor.fatigue: a regime factor needs `to_fatigued_per_year` and `fatigued_days`",
        ]),
        raw("level key on a regime", with("fatigued_days = 60", "fatigued_days = 60\nlevel = 0.5"), &[
            "factor.fatigue.level: `level` does not apply to a factor of kind \"regime\"",
        ]),
        raw("unknown factor", with(load, "payment_probability = 0.9\nfactor = { name = \"fatigu\", fatigued_multiplier = 0.5 }"), &[
            "funding.donor.factor.name: there is no factor named \"fatigu\"",
        ]),
        raw("regime loading without multiplier", with(load, "payment_probability = 0.9\nfactor = { name = \"fatigue\" }"), &[
            "funding.donor.factor: loading on the regime factor \"fatigue\" needs fatigued_multiplier",
        ]),
        raw("multiplier above one", with(load, "payment_probability = 0.9\nfactor = { name = \"fatigue\", fatigued_multiplier = 1.5 }"), &[
            "funding.donor.factor.fatigued_multiplier: 1.5 is out of range",
        ]),
    ]);
}
