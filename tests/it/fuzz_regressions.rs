//! Inputs kept from fuzzing (tests/fuzz-corpus/) go through the same checks as the fuzz targets:
//! loading never panics, and small scenarios that load conserve money and units when simulated.

use crate::util::root;

#[test]
fn kept_fuzz_inputs_load_and_simulate_cleanly() {
    let dir = root().join("tests/fuzz-corpus");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| porcupine::fuzzing::check_simulate(&data));
        assert!(outcome.is_ok(), "{} makes porcupine panic", path.display());
        n += 1;
    }
    assert!(n >= 10, "expected the kept corpus in {}", dir.display());
}
