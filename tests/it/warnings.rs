//! Plausibility warnings for shares that switch off part of a scenario: a buy with `share = 0`, a
//! channel whose every buy has 0, a line whose other customers take the whole output, and a
//! channel that every source gives a share of 0. Each is a warning with a location and a hint
//! (pinned by an `insta` snapshot), not an error, and `--deny-warnings` refuses it.

use super::bad_input::BASE;
use porcupine::scenario;
use std::path::Path;

/// [`BASE`] with each `(old, new)` applied in turn (each `old` must occur exactly once).
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_owned();
    for (old, new) in edits {
        assert_eq!(text.matches(old).count(), 1, "{old:?} must occur once");
        text = text.replacen(old, new, 1);
    }
    text
}

/// The rendered warnings of `text` (which must load with exactly one), after checking that
/// `--deny-warnings` refuses it and that without the flag it is used as written.
fn warnings(text: &str) -> String {
    let origin = Path::new("w.toml");
    let loaded = scenario::check_str(text, origin).expect("warnings are not errors");
    let shown = loaded.render_warnings(origin, text);
    assert_eq!(loaded.warnings.len(), 1, "{shown}");
    let denied = scenario::check_str(text, origin)
        .unwrap()
        .deny_warnings(true, origin, text)
        .unwrap_err()
        .to_string();
    assert!(
        denied.contains("refused because of --deny-warnings"),
        "{denied}"
    );
    loaded
        .deny_warnings(false, origin, text)
        .expect("without --deny-warnings the scenario is used");
    shown
}

/// A second item, made on its own line and bought by the channel with `share`.
fn with_drone_buy(share: &str) -> String {
    edited(&[
        (
            "[[funding]]",
            "[[item]]\nname = \"drone\"\nunit_cost_usd = 500\ninitial_stock = 0\n\n[[funding]]",
        ),
        (
            "share = 1.0\n",
            &format!("share = 1.0\n[[channel.buy]]\nitem = \"drone\"\nshare = {share}\n"),
        ),
        (
            "[[consumption]]",
            "[[line]]\nname = \"drone-line\"\nitem = \"drone\"\ncapacity = [{ date = 2025-09-01, per_day = 10 }]\n\n[[consumption]]",
        ),
    ])
}

#[test]
fn a_buy_with_share_0_never_orders() {
    let shown = warnings(&with_drone_buy("0"));
    for expected in [
        "w.toml:",
        "channel.purl.buy[1].share: share = 0: this buy never gets money, so channel \"purl\" never orders drone through it",
        "help: give the buy a share above 0",
    ] {
        assert!(shown.contains(expected), "{expected:?} in:\n{shown}");
    }
    insta::assert_snapshot!(shown);
    // A share above 0 is not a slip.
    let text = with_drone_buy("0.1").replace("share = 1.0", "share = 0.9");
    let loaded = scenario::check_str(&text, Path::new("w.toml")).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn a_channel_whose_buys_all_have_share_0_never_buys() {
    let shown = warnings(&edited(&[("share = 1.0", "share = 0")]));
    for expected in [
        "channel.purl.buy[0].share: channel \"purl\" never buys anything: every buy has a share of 0, so its money stays in the balance",
        "help: share is the part of the balance spent on the item at each order",
    ] {
        assert!(shown.contains(expected), "{expected:?} in:\n{shown}");
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn other_customers_taking_the_whole_output() {
    let shown = warnings(&edited(&[(
        "per_day = 100 }]",
        "per_day = 100 }]\nother_customers_share = 1",
    )]));
    for expected in [
        "line.shell-line.other_customers_share: other customers take the whole output",
        "help: other_customers_share is the part of the output others take",
    ] {
        assert!(shown.contains(expected), "{expected:?} in:\n{shown}");
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn a_channel_every_source_gives_0() {
    let shown = warnings(&edited(&[
        ("pays_into = \"purl\"", "pays_into = { purl = 1, direct = 0 }"),
        (
            "[[line]]",
            "[[channel]]\nname = \"direct\"\norder_every_days = 30\n[[channel.buy]]\nitem = \"shell\"\nshare = 1.0\n\n[[line]]",
        ),
    ]));
    for expected in [
        "channel \"direct\" gets no money: every source that pays into it gives it a share of 0",
        "help: give the channel a share above 0, or remove it from pays_into",
    ] {
        assert!(shown.contains(expected), "{expected:?} in:\n{shown}");
    }
    insta::assert_snapshot!(shown);
}
