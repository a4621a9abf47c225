//! A real Prometheus server for a test (Debian package `prometheus`), with a
//! temporary directory, both removed when the test ends. Every wait polls
//! for its event, bounded only by the hang guard.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// `None` (with a notice) when `prometheus` is not installed, unless under
/// CI, where a missing `prometheus` fails the test.
pub fn installed() -> Option<()> {
    super::tool_installed("prometheus")
}

/// A running Prometheus, killed (and its directory removed) when dropped.
pub struct Prometheus {
    pub port: u16,
    dir: PathBuf,
    child: Child,
}

impl Prometheus {
    /// Starts Prometheus with `config` (a whole `prometheus.yml`) and waits
    /// until it is ready.
    pub fn start(purpose: &str, config: &str) -> Prometheus {
        Prometheus::start_with(purpose, config, &[])
    }

    /// [`start`](Self::start) with more command-line flags (a feature
    /// flag: `--enable-feature=exemplar-storage`).
    pub fn start_with(purpose: &str, config: &str, flags: &[&str]) -> Prometheus {
        let dir = scratch_dir(purpose);
        std::fs::write(dir.join("prometheus.yml"), config).expect("config written");
        let port = free_port();
        let log = std::fs::File::create(dir.join("prometheus.log")).expect("log file");
        let child = Command::new("prometheus")
            .arg(format!(
                "--config.file={}",
                dir.join("prometheus.yml").display()
            ))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .args(flags)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("prometheus starts");
        let prometheus = Prometheus { port, dir, child };
        prometheus.wait_for("Prometheus to be ready", || {
            get(port, "/-/ready")
                .ok()
                .filter(|(status, _)| *status == 200)
        });
        prometheus
    }

    /// Polls `probe` until it gives a value; fails naming `what` after the
    /// [hang guard](super::HANG_GUARD), with Prometheus' log for context.
    pub fn wait_for<T>(&self, what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
        let deadline = std::time::Instant::now() + super::HANG_GUARD;
        loop {
            if let Some(value) = probe() {
                return value;
            }
            if std::time::Instant::now() >= deadline {
                let log =
                    std::fs::read_to_string(self.dir.join("prometheus.log")).unwrap_or_default();
                panic!(
                    "gave up waiting for {what} after {:?}\n{log}",
                    super::HANG_GUARD
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// A Prometheus API answer's `data`, or why there is none.
    pub fn api(&self, path: &str) -> Result<Value, String> {
        let (status, body) = get(self.port, path).map_err(|e| format!("GET {path}: {e}"))?;
        let answer: Value =
            serde_json::from_str(&body).map_err(|e| format!("GET {path}: {status} {e}: {body}"))?;
        if answer["status"] != "success" {
            return Err(format!("GET {path}: {status} {answer}"));
        }
        Ok(answer["data"].clone())
    }

    /// An instant query's result vector.
    pub fn query(&self, promql: &str) -> Result<Vec<Value>, String> {
        let data = self.api(&format!("/api/v1/query?query={}", url_encoded(promql)))?;
        match data["result"].as_array() {
            Some(result) => Ok(result.clone()),
            None => Err(format!("`{promql}`: not a vector: {data}")),
        }
    }

    /// The value of the one sample `promql` selects, if there is exactly one.
    pub fn value(&self, promql: &str) -> Option<String> {
        match &self.query(promql).ok()?[..] {
            [sample] => sample["value"][1].as_str().map(str::to_owned),
            _ => None,
        }
    }

    /// The active target of scrape job `job`, as `/api/v1/targets` gives it.
    pub fn target(&self, job: &str) -> Option<Value> {
        let data = self.api("/api/v1/targets").ok()?;
        data["activeTargets"]
            .as_array()?
            .iter()
            .find(|target| target["labels"]["job"] == job)
            .cloned()
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A new directory of its own for one test's files, named for `purpose`
/// (the caller removes it).
pub fn scratch_dir(purpose: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!(
        "metric-group-{purpose}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// `GET path` on 127.0.0.1:port: the status code and the body.
pub fn get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(super::HANG_GUARD))?;
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    Ok((status, body.to_owned()))
}

/// `text` percent-encoded for a query string.
pub fn url_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
