//! report.html in a real browser: headless Chromium opens it with no console errors, the page
//! holds every chart, and a screenshot scrolled to each chart shows that chart's series colours.
//!
//! Needs Chromium (`scripts/browser-check.sh` installs Debian's package when run as root). Under
//! `CI=true` a missing Chromium fails the test; elsewhere the test says why it skipped.

use crate::util::{experiment, root};
use porcupine::output;
use porcupine::plot::ChartOptions;
use porcupine::report::{self, Metadata};
use resvg::tiny_skia::Pixmap;
use std::process::Command;

fn chromium() -> Option<String> {
    ["chromium", "chromium-browser"].into_iter().find_map(|b| {
        Command::new("sh")
            .args(["-c", &format!("command -v {b}")])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    })
}

/// Colours a chart must show: its thick lines, and its bars blended over white.
fn series_colours(svg: &str) -> Vec<[u8; 3]> {
    let doc = roxmltree::Document::parse(svg).expect("SVG parses");
    let hex = |s: &str| {
        let v = u32::from_str_radix(s.trim_start_matches('#'), 16).ok()?;
        Some([(v >> 16) as u8, (v >> 8) as u8, v as u8])
    };
    let mut out = Vec::new();
    for n in doc.descendants() {
        let width: f64 = n
            .attribute("stroke-width")
            .and_then(|w| w.parse().ok())
            .unwrap_or(0.0);
        if n.has_tag_name("polyline") && width >= 2.5 {
            out.extend(n.attribute("stroke").and_then(hex));
        }
        if n.has_tag_name("rect") && n.attribute("fill-opacity") == Some("0.8") {
            if let Some(c) = n.attribute("fill").and_then(hex) {
                out.push(c.map(|v| (255.0 - (255.0 - f64::from(v)) * 0.8).round() as u8));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn shows(p: &Pixmap, c: [u8; 3]) -> bool {
    p.data()
        .chunks_exact(4)
        .filter(|px| (0..3).all(|k| px[k].abs_diff(c[k]) <= 8))
        .count()
        > 30
}

#[test]
fn report_html_opens_cleanly_in_chromium_with_every_chart() {
    if chromium().is_none() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("Chromium is required under CI=true: install Debian's chromium package");
        }
        eprintln!("skipped: Chromium not found (scripts/browser-check.sh installs it, as root)");
        return;
    }
    // The strike weapons are fired down to their reserve, which is their safe stock; a safe
    // stock above it makes their risk series rise off the axis, so every colour shows.
    let s = porcupine::scenario::resolve(
        &root().join("scenarios/baseline.toml"),
        &[
            "item.flamingo.safe_stock=25".into(),
            "item.fp1.safe_stock=400".into(),
        ],
    )
    .and_then(|r| r.check())
    .unwrap_or_else(|e| panic!("{e}"))
    .scenario;
    let acc = experiment(&s, 40, 5, 2);
    let meta = Metadata {
        version: "t".into(),
        seed: 5,
        runs: 40,
        scenario_file: "scenarios/baseline.toml".into(),
        scenario_hash: "abc".into(),
        percentile_method: report::percentile_method(),
        reproduce: "porcupine run scenarios/baseline.toml --runs 40 --seed 5".into(),
    };
    let r = report::prepare(&s, &acc, meta);
    let files = output::render_with(&s, &r, "", &ChartOptions { png_scale: 0.5 }).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    std::fs::create_dir(&results).unwrap();
    for f in &files {
        std::fs::write(results.join(&f.name), &f.bytes).unwrap();
    }
    let charts: Vec<(String, String)> = files
        .iter()
        .filter_map(|f| {
            let name = f.name.strip_suffix(".svg")?;
            Some((
                name.to_string(),
                String::from_utf8(f.bytes.clone()).unwrap(),
            ))
        })
        .collect();
    let seen = dir.path().join("seen");
    let height = 1500 + 900 * charts.len();
    let status = Command::new(root().join("scripts/browser-check.sh"))
        .arg(&results)
        .arg(&seen)
        .arg(height.to_string())
        .status()
        .unwrap();
    assert!(status.success(), "browser-check.sh failed");

    let log = std::fs::read_to_string(seen.join("console.log")).unwrap();
    let errors: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(errors.is_empty(), "console messages: {errors:#?}");
    let dom = std::fs::read_to_string(seen.join("dom.html")).unwrap();
    assert_eq!(
        dom.matches("<svg").count(),
        charts.len(),
        "every chart inline"
    );
    assert!(!dom.contains("<script"), "no scripts");

    // Each chart is framed by a border of a colour no chart uses (200, 200, 210): its top and
    // bottom are the rows where that colour runs across most of the page.
    let page = Pixmap::decode_png(&std::fs::read(seen.join("page.png")).unwrap()).unwrap();
    let w = page.width() as usize;
    let border: Vec<usize> = page
        .data()
        .chunks_exact(4 * w)
        .enumerate()
        .filter(|(_, row)| {
            row.chunks_exact(4)
                .filter(|px| px[..3] == [200, 200, 210])
                .count()
                > w / 2
        })
        .map(|(y, _)| y)
        .collect();
    assert_eq!(
        border.len(),
        2 * charts.len(),
        "every chart shows on the page: {border:?}"
    );
    let order: Vec<&str> = dom
        .match_indices("<figure id=\"")
        .map(|(i, m)| {
            let rest = &dom[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    for (k, name) in order.iter().enumerate() {
        let (top, bottom) = (border[2 * k], border[2 * k + 1]);
        let region = Pixmap::from_vec(
            page.data()[top * 4 * w..bottom * 4 * w].to_vec(),
            resvg::tiny_skia::IntSize::from_wh(page.width(), (bottom - top) as u32).unwrap(),
        )
        .unwrap();
        let svg = &charts.iter().find(|c| c.0 == *name).unwrap().1;
        let colours = series_colours(svg);
        assert!(!colours.is_empty(), "{name}: no series colours found");
        for c in colours {
            assert!(
                shows(&region, c),
                "{name}: colour {c:?} not in its part of the page"
            );
        }
    }
}
