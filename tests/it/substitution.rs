//! Substitution, computed by hand: every item's own use first, then, items in file order, each
//! item's missing units covered by its substitutes in list order, ⌈k × per_unit⌉ units of the
//! substitute for k missing units; covered units are reported apart from unmet demand and from
//! the substitute's own use. Then the bad inputs of `substitutes`.

use crate::bad_input::{case, check, raw, BASE};
use crate::util::{experiment, records, scenario};
use porcupine::report::{self, Metadata};

const HEAD: &str = r#"
[scenario]
name = "subst"
start = 2025-01-01
horizon_days = 4

[[item]]
name = "a"
unit_cost_usd = 100
initial_stock = 0

[[item]]
name = "b"
unit_cost_usd = 100
initial_stock = 10

[[item]]
name = "c"
unit_cost_usd = 100
initial_stock = 3
"#;

const A: &str = "[[consumption]]\nitem = \"a\"\ndaily = 4\nsubstitutes = [{ item = \"b\", per_unit = 2 }, { item = \"c\" }]\n";
const B: &str = "[[consumption]]\nitem = \"b\"\ndaily = 1\n";

/// (demand, own use, substituted, unmet, used as substitute, days short, end stock) of an item.
fn ledger(rec: &porcupine::engine::RunRecord, i: usize) -> [u64; 7] {
    let it = &rec.items[i];
    [
        it.demand,
        it.consumed,
        it.substituted,
        it.unmet,
        it.used_as_substitute,
        u64::from(it.days_short),
        it.end_stock,
    ]
}

#[test]
fn missing_units_are_covered_in_list_order_after_every_items_own_use() {
    // Day 1: b uses 1 of its own 10 (own use first), leaving 9; a's 4 missing units take
    //        ⌈4 × 2⌉ = 8 of b: all covered, b has 1 left.
    // Day 2: b uses its last unit; a's 4 missing: b has none, c gives 3 (one each), 1 unmet.
    // Days 3-4: b wants 1 and has none (unmet); a's 4 are unmet.
    // Whichever of a and b is written first, b's own use comes first.
    for text in [format!("{HEAD}{A}{B}"), format!("{HEAD}{B}{A}")] {
        let s = scenario(&text);
        let rec = &records(&s, 1, 0..1)[0];
        let days = s.days();
        assert_eq!(rec.stock_of(0, days), [0, 0, 0, 0, 0]);
        assert_eq!(rec.stock_of(1, days), [10, 1, 0, 0, 0]);
        assert_eq!(rec.stock_of(2, days), [3, 3, 0, 0, 0]);
        assert_eq!(ledger(rec, 0), [16, 0, 7, 9, 0, 3, 0], "a");
        assert_eq!(ledger(rec, 1), [4, 2, 0, 2, 8, 2, 0], "b");
        assert_eq!(ledger(rec, 2), [0, 0, 0, 0, 3, 0, 0], "c");
        assert!(rec.conservation_violations(&s).is_empty());
    }
}

#[test]
fn items_earlier_in_the_file_draw_on_a_shared_substitute_first() {
    // a (2 a day, no stock) and c (5 a day, 3 in stock) both list b (10 units, no use of its
    // own); a is written first, so it draws on b first.
    let s = scenario(&format!(
        "{HEAD}\n[[consumption]]\nitem = \"a\"\ndaily = 2\nsubstitutes = [{{ item = \"b\" }}]\n\
         [[consumption]]\nitem = \"c\"\ndaily = 5\nsubstitutes = [{{ item = \"b\", per_unit = 1 }}]\n"
    ));
    let rec = &records(&s, 1, 0..1)[0];
    // c: 3 of its own on day 1, then 2 missing on day 1 (5 − 3) and 5 on days 2-4.
    // b: day 1 gives a 2 and c 2 (6 left), day 2 a 2 and c 4 (0 left), then nothing.
    assert_eq!(rec.stock_of(1, s.days()), [10, 6, 0, 0, 0]);
    assert_eq!(ledger(rec, 0), [8, 0, 4, 4, 0, 2, 0], "a");
    assert_eq!(ledger(rec, 2), [20, 3, 6, 11, 0, 3, 0], "c");
    assert_eq!(ledger(rec, 1), [0, 0, 0, 0, 10, 0, 0], "b");
}

#[test]
fn fractional_per_unit_rounds_up_and_an_available_item_keeps_its_reserve() {
    // b is fired when available: 1 a day above a reserve of 5 (10 → 9 on day 1). a misses 3 a
    // day, 1.5 b each: b's free stock 9 − 5 = 4 covers ⌊4 ÷ 1.5⌋ = 2 missing units for ⌈3⌉ = 3,
    // leaving 6. Day 2: b fires 1 (5 left); nothing is free. Days 3-4: nothing moves.
    let s = scenario(&format!(
        "{HEAD}\n[[consumption]]\nitem = \"a\"\ndaily = 3\nsubstitutes = [{{ item = \"b\", per_unit = 1.5 }}]\n\
         [[consumption]]\nitem = \"b\"\nuse = \"available\"\nmax_daily = 1\nreserve = 5\n"
    ));
    let rec = &records(&s, 1, 0..1)[0];
    assert_eq!(rec.stock_of(1, s.days()), [10, 6, 5, 5, 5]);
    assert_eq!(ledger(rec, 0), [12, 0, 2, 10, 0, 4, 0], "a");
    assert_eq!(ledger(rec, 1), [2, 2, 0, 0, 3, 0, 5], "b");
    assert!(rec.conservation_violations(&s).is_empty());
}

#[test]
fn summary_reports_substitute_use_apart_and_only_where_it_applies() {
    let s = scenario(&format!("{HEAD}{A}{B}"));
    let meta = Metadata {
        version: "t".into(),
        seed: 1,
        runs: 5,
        scenario_file: "subst.toml".into(),
        scenario_hash: "abc".into(),
        percentile_method: report::percentile_method(),
        reproduce: String::new(),
    };
    let r = report::prepare(&s, &experiment(&s, 5, 1, 2), meta);
    let items = &r.summary.items;
    assert_eq!(items[0].substituted.map(|x| x.mean), Some(7.0));
    assert_eq!(items[0].unmet_demand.mean, 9.0);
    assert!(items[0].used_as_substitute.is_none());
    assert_eq!(items[1].used_as_substitute.map(|x| x.mean), Some(8.0));
    assert!(items[1].substituted.is_none());
    assert_eq!(items[2].used_as_substitute.map(|x| x.mean), Some(3.0));
    let json = serde_json::to_value(&r.summary).unwrap();
    assert_eq!(json["items"][0]["substituted"]["mean"], 7.0);
    assert!(json["items"][0].get("used_as_substitute").is_none());
    let md = porcupine::output::render(&s, &r, "")
        .unwrap()
        .into_iter()
        .find(|f| f.name == "report.md")
        .unwrap();
    let md = String::from_utf8(md.bytes).unwrap();
    assert!(md.contains("| covered by substitutes | used as substitute |"));
}

/// [`BASE`] with a second item, `gem-t`, and `more` appended to the shell's consumption.
fn two_items(more: &str) -> String {
    let text = BASE.replacen(
        "[[funding]]",
        "[[item]]\nname = \"gem-t\"\nunit_cost_usd = 1\ninitial_stock = 10\n\n[[funding]]",
        1,
    );
    format!("{text}{more}\n")
}

#[test]
fn bad_substitutes() {
    check(vec![
        raw(
            "unknown item",
            two_items("substitutes = [{ item = \"gemt\" }]"),
            &[
                "bad.toml:",
                "consumption.shell.substitutes[0].item",
                "there is no item named \"gemt\"",
                "did you mean \"gem-t\"",
            ],
        ),
        raw(
            "itself",
            two_items("substitutes = [{ item = \"shell\", per_unit = 1 }]"),
            &["substitutes[0].item", "cannot substitute for itself"],
        ),
        raw(
            "listed twice",
            two_items("substitutes = [{ item = \"gem-t\" }, { item = \"gem-t\", per_unit = 2 }]"),
            &[
                "substitutes[1].item",
                "already listed as a substitute (substitutes[0])",
            ],
        ),
        raw(
            "per_unit zero",
            two_items("substitutes = [{ item = \"gem-t\", per_unit = 0 }]"),
            &[
                "substitutes[0].per_unit",
                "per_unit must be between 0.001 and 1000",
                "got 0",
            ],
        ),
        raw(
            "per_unit negative",
            two_items("substitutes = [{ item = \"gem-t\", per_unit = -1.5 }]"),
            &["per_unit must be between", "got -1.5"],
        ),
        raw(
            "per_unit not a number",
            two_items("substitutes = [{ item = \"gem-t\", per_unit = \"two\" }]"),
            &["substitutes[0].per_unit", "expected a number"],
        ),
        raw(
            "unknown key",
            two_items("substitutes = [{ item = \"gem-t\", per_units = 2 }]"),
            &["substitutes[0]", "per_units", "per_unit"],
        ),
        raw(
            "not a list",
            two_items("substitutes = \"gem-t\""),
            &["consumption.shell.substitutes", "expected a list"],
        ),
        case(
            "fired when available",
            "daily = { dist = \"poisson\", mean = 50 }\n",
            "use = \"available\"\nmax_daily = 5\nsubstitutes = [{ item = \"shell\" }]\n",
            &[
                "consumption.shell.substitutes",
                "does not apply to use = \"available\"",
                "no unmet demand",
            ],
        ),
    ]);
}
