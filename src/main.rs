//! The `syndicated` binary: parse the arguments, run, report.

use std::process::ExitCode;

use clap::Parser as _;
use syndicated::cli::{Args, run};

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
