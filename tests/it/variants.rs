//! Variants without copying: `extends` chains and `--set` overrides, their merge rules, and
//! messages that point into the file (or option) that wrote the value.

use crate::util::porcupine;
use porcupine::scenario::{self, LoadError};
use std::path::{Path, PathBuf};

const BASE: &str = r#"
[scenario]
name = "base"
title = "Base"
start = 2025-01-01
horizon_days = 60

[[funding]]
name = "donors"
pays_into = "pool"
payment_probability = 0.9
[[funding.recurring]]
every_days = 30
amount_usd = 1000000

[[funding]]
name = "loan"
pays_into = "pool"
[[funding.lump_sum]]
date = 2025-01-10
amount_usd = 500000

[[channel]]
name = "pool"
order_every_days = 30
[[channel.buy]]
item = "shell"
share = 1.0

[[item]]
name = "shell"
unit_cost_usd = 1000
initial_stock = 100

[[line]]
name = "shell-line"
item = "shell"
capacity = [{ date = 2025-01-01, per_day = 10 }]
delivery_lag_days = 5

[[consumption]]
item = "shell"
daily = 4
"#;

/// Writes files into a fresh folder and returns it.
fn folder(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let p = dir.path().to_owned();
    (dir, p)
}

fn load(path: &Path, sets: &[&str]) -> Result<scenario::Scenario, LoadError> {
    let sets: Vec<String> = sets.iter().map(|s| (*s).to_owned()).collect();
    let r = scenario::resolve(path, &sets)?;
    r.check().map(|l| l.scenario)
}

#[test]
fn a_variant_overrides_adds_and_removes_by_name() {
    let variant = r#"
extends = "base.toml"

[scenario]
title = "Variant"

[[funding]]
name = "donors"
payment_probability = 0.5

[[funding]]
name = "loan"
remove = true

[[funding]]
name = "grant"
pays_into = "pool"
[[funding.lump_sum]]
date = 2025-01-05
amount_usd = 250000

[[consumption]]
item = "shell"
daily = 6
"#;
    let (_d, dir) = folder(&[("base.toml", BASE), ("variant.toml", variant)]);
    let s = load(&dir.join("variant.toml"), &[]).unwrap_or_else(|e| panic!("{e}"));
    // Tables merge key by key: the name and horizon are inherited, the title is replaced.
    assert_eq!(
        (s.name.as_str(), s.title.as_str(), s.horizon),
        ("base", "Variant", 60)
    );
    let names: Vec<&str> = s.funding.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["donors", "grant"]);
    // The matched entry keeps what it does not override (its installments).
    assert!((s.funding[0].pay_probability - 0.5).abs() < 1e-12);
    assert_eq!(s.funding[0].installments.len(), 3);
    let c = s.consumption[0].as_ref().unwrap();
    assert_eq!(c.demand, scenario::Demand::Fixed(6.0));
}

#[test]
fn set_overrides_one_value_and_lists_by_index() {
    let (_d, dir) = folder(&[("base.toml", BASE)]);
    let s = load(
        &dir.join("base.toml"),
        &[
            "funding.donors.payment_probability=0.25",
            "line.shell-line.capacity[0].per_day=3",
            "scenario.title=A title with spaces",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!((s.funding[0].pay_probability - 0.25).abs() < 1e-12);
    assert_eq!(s.lines[0].ramp[0].1, 3.0);
    assert_eq!(s.title, "A title with spaces");
}

#[test]
fn errors_point_into_the_file_or_option_that_wrote_the_value() {
    let bad_base = BASE.replace("initial_stock = 100", "initial_stock = -5");
    let variant =
        "extends = \"base.toml\"\n\n[[funding]]\nname = \"donors\"\npayment_probability = 1.5\n";
    let (_d, dir) = folder(&[("base.toml", &bad_base), ("variant.toml", variant)]);
    let e = load(&dir.join("variant.toml"), &[])
        .unwrap_err()
        .to_string();
    // The inherited mistake is shown in the base file, at its own line; the variant's in the
    // variant.
    assert!(e.contains("base.toml:33:17"), "{e}");
    assert!(e.contains("item.shell.initial_stock"), "{e}");
    assert!(e.contains("variant.toml:5:23"), "{e}");
    assert!(e.contains("funding.donors.payment_probability"), "{e}");

    let (_d, dir) = folder(&[("base.toml", BASE)]);
    let e = load(
        &dir.join("base.toml"),
        &["funding.donors.payment_probability=often"],
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("--set funding.donors.payment_probability=often"),
        "{e}"
    );
    assert!(e.contains("invalid type"), "{e}");
}

#[test]
fn unknown_paths_cycles_and_bad_removals_are_clear_errors() {
    let (_d, dir) = folder(&[("base.toml", BASE)]);
    let e = load(&dir.join("base.toml"), &["funding.nobody.amount_usd=1"])
        .unwrap_err()
        .to_string();
    assert!(e.contains("no `funding.nobody`"), "{e}");
    assert!(e.contains("donors, loan"), "{e}");
    let e = load(&dir.join("base.toml"), &["no-equals-sign"])
        .unwrap_err()
        .to_string();
    assert!(e.contains("expected key.path=value"), "{e}");

    let (_d, dir) = folder(&[
        ("a.toml", "extends = \"b.toml\"\n"),
        ("b.toml", "extends = \"a.toml\"\n"),
    ]);
    let e = load(&dir.join("a.toml"), &[]).unwrap_err().to_string();
    assert!(e.contains("cycle"), "{e}");
    assert!(e.contains("b.toml:1:11"), "{e}");

    let variant = "extends = \"base.toml\"\n[[funding]]\nname = \"ghost\"\nremove = true\n";
    let (_d, dir) = folder(&[("base.toml", BASE), ("v.toml", variant)]);
    let e = load(&dir.join("v.toml"), &[]).unwrap_err().to_string();
    assert!(e.contains("no entry named \"ghost\""), "{e}");
    assert!(e.contains("v.toml:4:10"), "{e}");

    let (_d, dir) = folder(&[("v.toml", "extends = \"missing.toml\"\n")]);
    let e = load(&dir.join("v.toml"), &[]).unwrap_err().to_string();
    assert!(e.contains("missing.toml"), "{e}");
}

#[test]
fn a_file_without_extends_or_set_is_read_as_written() {
    let (_d, dir) = folder(&[("base.toml", BASE)]);
    let r = scenario::resolve(&dir.join("base.toml"), &[]).unwrap();
    assert!(r.is_plain());
    assert_eq!(r.text, BASE);
}

#[test]
fn results_record_the_resolved_scenario_and_the_overrides() {
    let variant = "extends = \"base.toml\"\n[scenario]\nname = \"variant\"\n";
    let (_d, dir) = folder(&[("base.toml", BASE), ("variant.toml", variant)]);
    let out = dir.join("out");
    porcupine()
        .args(["run", "--quiet", "--runs", "20", "--no-runs-csv"])
        .arg(dir.join("variant.toml"))
        .args(["--set", "consumption.shell.daily=5", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(out.join("scenario.toml")).unwrap();
    assert!(text.starts_with("# The resolved scenario: "), "{text}");
    assert!(text.contains("which extends"), "{text}");
    assert!(
        text.contains("# with --set consumption.shell.daily=5"),
        "{text}"
    );
    // The resolved file is a complete scenario on its own.
    let s = scenario::from_str(&text, Path::new("scenario.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.name, "variant");
    assert_eq!(
        s.consumption[0].as_ref().unwrap().demand,
        scenario::Demand::Fixed(5.0)
    );
    // validate takes --set too.
    porcupine()
        .arg("validate")
        .arg(dir.join("variant.toml"))
        .args(["--set", "item.shell.initial_stock=-1"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--set item.shell.initial_stock=-1",
        ));
}
