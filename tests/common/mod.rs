//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub mod alloc;
pub mod real_prometheus;

/// The socket timeout and polling deadline of the tests: only a guard that
/// turns a hang into a failure, never what a test measures. A test proves
/// ordering with events (channels, a source the test holds, a connection it
/// keeps open) and waits on them; this bound is far past any of them.
pub const HANG_GUARD: Duration = Duration::from_secs(60);

/// Polls `probe` until it gives a value (a short pause between polls); fails
/// naming `what` once [`HANG_GUARD`] has passed without one.
pub fn wait_until<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + HANG_GUARD;
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "gave up waiting for {what} after {HANG_GUARD:?} (hang guard)"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Matches `result` against `Err(pattern)` (with an optional `if` guard)
/// and evaluates to `body` (`()` when none is given) with the pattern's
/// bindings; on `Ok`, or an error the pattern does not match, fails the test
/// showing what came instead. The tests' one way to expect an error:
///
/// ```ignore
/// common::assert_err!(group.register(&registry),
///     Error::AlreadyRegistered { metric, .. } => assert_eq!(metric, "x"));
/// ```
#[allow(unused_macros)]
macro_rules! assert_err {
    ($result:expr, $pattern:pat $(if $guard:expr)? $(=> $body:expr)? $(,)?) => {
        match $result {
            ::std::result::Result::Err($pattern) $(if $guard)? => { $($body)? }
            ::std::result::Result::Err(other) => panic!(
                "expected Err({}), got Err({other:?})",
                stringify!($pattern)
            ),
            ::std::result::Result::Ok(value) => panic!(
                "expected Err({}), got Ok(..) of type {}",
                stringify!($pattern),
                ::std::any::type_name_of_val(&value)
            ),
        }
    };
}
#[allow(unused_imports)]
pub(crate) use assert_err;

/// Whether the tests run under CI (`CI` set, as `.ci/run` and CI services
/// do, and not `false` or `0`): then a tool the tests need must be there.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !matches!(value.as_str(), "" | "false" | "0"))
}

/// `Some` when `tool` runs. When it cannot be started: `None` with a notice,
/// or, [under CI](under_ci), a failure, so that a check needing promtool or
/// Prometheus never passes by skipping there.
pub fn tool_installed(tool: &str) -> Option<()> {
    match Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(_) => Some(()),
        Err(error) => missing_tool(tool, &error),
    }
}

/// [`tool_installed`]'s answer for a tool that could not be started.
fn missing_tool<T>(tool: &str, error: &std::io::Error) -> Option<T> {
    assert!(
        !under_ci(),
        "{tool} is required when CI is set (Debian package `prometheus`): {error}"
    );
    eprintln!("NOTICE: {tool} not found; skipping (install Debian's `prometheus`)");
    None
}

/// `command`'s output with `input` on its standard input; `None` (with a
/// notice, or a failure under CI) when `tool` cannot be started.
fn run_on(command: &mut Command, tool: &str, input: &str) -> Option<std::process::Output> {
    let child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) => return missing_tool(tool, &error),
    };
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input.as_bytes())
        .unwrap_or_else(|error| panic!("write to {tool}: {error}"));
    Some(
        child
            .wait_with_output()
            .unwrap_or_else(|error| panic!("{tool} runs: {error}")),
    )
}

/// promtool's complaints about an exposition, one `name message` line each,
/// sorted. `None` (with a notice) when promtool is not installed, unless
/// [under CI](under_ci), where a missing promtool fails the test.
pub fn promtool_problems(exposition: &str) -> Option<Vec<String>> {
    let output = run_on(
        Command::new("promtool").args(["check", "metrics"]),
        "promtool",
        exposition,
    )?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    let mut problems: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect();
    problems.sort();
    // promtool exits 3 for lint problems and 1 when it cannot parse the input.
    assert!(
        output.status.success() || output.status.code() == Some(3),
        "promtool could not parse the exposition: {problems:?}\n{exposition}"
    );
    Some(problems)
}

/// What an independent OpenMetrics parser (the Python `prometheus_client`
/// package's, run by `tests/common/openmetrics_parse.py`) read from
/// `exposition`: its families as JSON. Fails the test with the parser's
/// message when it refuses the exposition. `None` (with a notice) when the
/// package is missing, unless [under CI](under_ci), where `.ci/run`
/// installs it and a missing parser fails the test.
pub fn openmetrics_parse(exposition: &str) -> Option<serde_json::Value> {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/common/openmetrics_parse.py"
    );
    let output = run_on(Command::new("python3").arg(script), "python3", exposition)?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() == Some(2) {
        assert!(
            !under_ci(),
            "the Python package prometheus_client is required when CI is set: {stderr}"
        );
        eprintln!("NOTICE: {stderr}; skipping (pip install prometheus_client)");
        return None;
    }
    assert!(
        output.status.success(),
        "the OpenMetrics parser refused the exposition: {stderr}\n{exposition}"
    );
    Some(serde_json::from_slice(&output.stdout).expect("the parser prints JSON"))
}

/// promtool's message to the rule it comes from.
pub fn lint_of(message: &str) -> metric_group::catalog::Lint {
    use metric_group::catalog::Lint;
    match message {
        m if m.starts_with("counter metrics should have") => Lint::CounterTotal,
        m if m.starts_with("non-counter metrics should not have \"_total\"") => {
            Lint::NonCounterTotal
        }
        m if m.starts_with("use base unit") => Lint::BaseUnit,
        m if m.contains("abbreviated units") => Lint::UnitAbbreviation,
        m if m.starts_with("metric name should not include type") => Lint::TypeInName,
        m if m.contains("should not have \"_bucket\" suffix")
            || m.contains("should not have \"_count\" suffix")
            || m.contains("should not have \"_sum\" suffix") =>
        {
            Lint::ReservedSuffix
        }
        m if m.contains("should not contain ':'") => Lint::ReservedChars,
        m if m.contains("'snake_case' not 'camelCase'") => Lint::CamelCase,
        other => panic!("promtool said something the rules do not model: {other}"),
    }
}

/// Asserts that promtool's complaints about `exposition` are exactly the lints
/// the declarations of `groups` allow, for the metrics the exposition holds.
pub fn assert_only_allowed_lints(
    exposition: &str,
    groups: &[&metric_group::catalog::GroupDescriptor],
) {
    let Some(problems) = promtool_problems(exposition) else {
        return;
    };
    let found: BTreeSet<(String, &'static str)> = problems
        .iter()
        .map(|line| {
            let (name, message) = line.split_once(' ').expect("`name message`");
            (name.to_owned(), lint_of(message).key())
        })
        .collect();
    let mut allowed = BTreeSet::new();
    for group in groups {
        for metric in group.metrics {
            let name = group.full_name(metric);
            if exposition.contains(&format!("# TYPE {name} ")) {
                allowed.extend(
                    metric
                        .allowed_lints
                        .iter()
                        .map(|lint| (name.clone(), lint.key())),
                );
            }
        }
    }
    assert_eq!(
        found, allowed,
        "promtool's complaints differ from the allowed lints:\n{exposition}"
    );
}

/// The path of example `name`, which `cargo test` builds beside the tests
/// (in target/<profile>/examples). `cargo test --test <name>` does not
/// rebuild examples: a binary older than a `.rs` file of the example, the
/// runtime or the rules fails here rather than be tested stale. (The
/// derive's sources are left out: its test-only files do not rebuild it.)
pub fn example_binary(name: &str) -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    let binary = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} missing: `cargo test` builds examples",
        binary.display()
    );
    let built = modified(&binary).expect("binary's modification time");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = [
        root.join("examples").join(format!("{name}.rs")),
        root.join("examples").join(name),
        root.join("runtime/src"),
        root.join("rules/src"),
    ];
    if let Some(newer) = sources.iter().find_map(|source| newer_than(source, built)) {
        panic!(
            "{} is older than {}: run `cargo build --example {name}` (or `cargo test --workspace`, which builds examples)",
            binary.display(),
            newer.display()
        );
    }
    binary
}

fn modified(path: &std::path::Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// A file at or below `path` modified after `time`, if any.
fn newer_than(path: &std::path::Path, time: std::time::SystemTime) -> Option<std::path::PathBuf> {
    if path.is_dir() {
        let entries = std::fs::read_dir(path).ok()?;
        return entries
            .filter_map(Result::ok)
            .find_map(|entry| newer_than(&entry.path(), time));
    }
    let source = path.extension().is_some_and(|extension| extension == "rs");
    (source && modified(path)? > time).then(|| path.to_owned())
}
