//! The `syndicated` binary: parse the arguments, run, report.

use std::process::ExitCode;

use syndicated::cli::{parse, run};

/// jemalloc rather than the C library's allocator: a site's articles are
/// read on several threads and kept for the process's life, which glibc's
/// per-thread arenas hold with more waste; on 1,000,000 articles it builds
/// in less time and memory (benches/scale.sh).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    match run(parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
