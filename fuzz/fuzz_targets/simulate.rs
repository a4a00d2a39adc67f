//! Fuzz target: scenarios that load are simulated for a few runs; conservation must hold and
//! the prepared results must be free of NaN.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    porcupine::fuzzing::check_simulate(data);
});
