//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

/// promtool's complaints about an exposition, one `name message` line each,
/// sorted. `None` (with a notice) when promtool is not installed, unless
/// `CI=true`, where a missing promtool fails the test.
pub fn promtool_problems(exposition: &str) -> Option<Vec<String>> {
    let child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("promtool is required under CI=true (Debian package `prometheus`): {error}")
        }
        Err(_) => {
            eprintln!("NOTICE: promtool not found; skipping the promtool check (install Debian's `prometheus`)");
            return None;
        }
    };
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(exposition.as_bytes())
        .expect("write to promtool");
    let output = child.wait_with_output().expect("promtool runs");
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
