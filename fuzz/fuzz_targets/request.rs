//! `cargo fuzz run request`: see `fuzz/properties.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../properties.rs"]
#[allow(dead_code)] // each target checks one of the properties
mod properties;

fuzz_target!(|bytes: &[u8]| properties::request(bytes));
