//! Fuzz target: any bytes through the scenario loader (UTF-8 check, parse, validate, error
//! rendering) must give a scenario or an error, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    porcupine::fuzzing::check_load(data);
});
