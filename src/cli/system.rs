//! What the command line needs from the operating system: signals that stop a run cleanly
//! (with their exit codes), and the memory this process may use, checked before a run.

use super::*;

/// The signals that stop a run cleanly: Ctrl-C, `kill` (and a scheduler's time limit), a closed
/// terminal. Each sets the cancel flag and records its number for the exit code.
pub(super) fn install_signal_handlers() -> (Arc<AtomicBool>, Arc<AtomicUsize>) {
    let cancel = Arc::new(AtomicBool::new(false));
    let signal = Arc::new(AtomicUsize::new(0));
    #[cfg(unix)]
    for sig in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        // The number first, then the flag, so whoever sees the flag also sees the number. If a
        // handler cannot be installed the signal keeps its default effect, which stops the
        // process before anything is moved into place: results only ever move in whole.
        let _ = signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize);
        let _ = signal_hook::flag::register(sig, Arc::clone(&cancel));
    }
    #[cfg(not(unix))]
    let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&cancel));
    (cancel, signal)
}

pub(super) fn interrupted(what: String, signal: &AtomicUsize) -> CliError {
    let n = signal.load(Ordering::SeqCst);
    CliError::Interrupted {
        what,
        signal: if n == 0 { 2 } else { n as i32 },
    }
}

/// Refuses, before allocating, a run whose memory bound exceeds what this machine (or its
/// container) can give. The bound is an upper bound of resident memory (see
/// [`runner::memory_estimate`]), so a run that passes never dies of memory.
pub(super) fn check_memory(
    scenario: &Scenario,
    threads: usize,
    png_scale: f32,
) -> Result<(), CliError> {
    let need = runner::memory_bound_at(scenario, threads, png_scale);
    let Some(available) = available_memory() else {
        return Ok(());
    };
    if need <= available {
        return Ok(());
    }
    let mut help = Vec::new();
    if threads > 1 {
        let one = runner::memory_bound_at(scenario, 1, png_scale);
        help.push(format!(
            "use fewer threads (--threads 1 needs about {})",
            human_bytes(one)
        ));
    }
    help.push("fewer items or a shorter horizon".to_owned());
    Err(CliError::TooBig(format!(
        "this scenario needs up to {} of memory ({} items × {} days, {threads} thread{}) but only {} is available\n  = help: {}",
        human_bytes(need),
        scenario.items.len(),
        scenario.days(),
        if threads == 1 { "" } else { "s" },
        human_bytes(available),
        help.join(", or ")
    )))
}

/// Environment variable, for tests: print the peak resident memory on standard error at the end,
/// so a test can check it against the memory bound.
const REPORT_PEAK_MEMORY: &str = "PORCUPINE_TEST_REPORT_PEAK_MEMORY";

pub(super) fn report_peak_memory() {
    if std::env::var_os(REPORT_PEAK_MEMORY).is_none() {
        return;
    }
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_owned();
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        });
    if let Some(kib) = peak {
        let _ = writeln!(
            std::io::stderr(),
            "peak resident memory: {} bytes",
            kib * 1024
        );
    }
}

/// Environment variable, for tests: pretend this many bytes of memory are available.
const AVAILABLE_MEMORY_OVERRIDE: &str = "PORCUPINE_TEST_AVAILABLE_MEMORY";

/// Memory this process may still use: the container's limit (cgroup v2 `memory.max` less
/// `memory.current`, or cgroup v1 `memory.limit_in_bytes` less `memory.usage_in_bytes`) where
/// one is set, and never more than the machine's available memory (`MemAvailable`). `None`
/// where neither is known. Address-space limits (`ulimit -v`) count reserved, not used, memory
/// and are not consulted.
pub(super) fn available_memory() -> Option<u64> {
    if let Some(v) = std::env::var(AVAILABLE_MEMORY_OVERRIDE)
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return Some(v);
    }
    let read = |p: &str| -> Option<u64> { std::fs::read_to_string(p).ok()?.trim().parse().ok() };
    let machine = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib * 1024)
        });
    let cgroup = read("/sys/fs/cgroup/memory.max")
        .map(|max| max.saturating_sub(read("/sys/fs/cgroup/memory.current").unwrap_or(0)))
        .or_else(|| {
            // cgroup v1 reports "no limit" as a huge number.
            read("/sys/fs/cgroup/memory/memory.limit_in_bytes")
                .filter(|&l| l < 1 << 60)
                .map(|l| {
                    l.saturating_sub(
                        read("/sys/fs/cgroup/memory/memory.usage_in_bytes").unwrap_or(0),
                    )
                })
        });
    match (machine, cgroup) {
        (Some(m), Some(c)) => Some(m.min(c)),
        (m, c) => m.or(c),
    }
}
