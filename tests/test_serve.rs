//! The `/metrics` endpoint of the `serve` feature: answers, slow clients,
//! oversized requests, bind failures, blocked and panicking sources (also
//! against a real Prometheus). Servers listen on 127.0.0.1 only. What a test
//! proves it proves by the order of events (a source the test holds until
//! another request has been answered, connections it keeps open); socket
//! timeouts and polling deadlines are only the hang guard
//! ([`common::HANG_GUARD`]), far past anything a test waits for.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, Once};
use std::thread;
use std::time::Duration;

use common::{assert_err, HANG_GUARD};

use metric_group::prometheus::{IntCounterVec, Registry};
use metric_group::{Error, MetricGroup, ServeOptions, Server};

#[derive(MetricGroup)]
#[metric_group(prefix = "serve_test")]
struct ServeTestMetrics {
    /// Requests handled, by outcome
    #[metric(name = "requests_total", labels(outcome))]
    requests: IntCounterVec,
}

/// A registry holding the group, whose one instance is shared by every
/// registry (and test) and counted once, so every exposition is the same.
fn registry() -> Registry {
    static COUNTED: Once = Once::new();
    let registry = Registry::new();
    let metrics = ServeTestMetrics::init(&registry).expect("group registers");
    COUNTED.call_once(|| {
        metrics.inc_requests("ok").expect("label accepted");
        metrics.inc_requests("failed").expect("label accepted");
    });
    registry
}

fn start(options: ServeOptions) -> (Server, Registry) {
    let registry = registry();
    let server = options
        .serve("127.0.0.1:0", registry.clone())
        .expect("listens on a free port");
    (server, registry)
}

fn exposition(registry: &Registry) -> String {
    metric_group::prometheus::TextEncoder::new()
        .encode_to_string(&registry.gather())
        .expect("encodes")
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `method target` with `extra` header lines and `Connection: close`,
/// and reads the whole reply; each connect, read and write is bounded by the
/// hang guard only.
fn exchange(
    address: SocketAddr,
    method: &str,
    target: &str,
    extra: &str,
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect_timeout(&address, HANG_GUARD)?;
    stream.set_read_timeout(Some(HANG_GUARD))?;
    stream.set_write_timeout(Some(HANG_GUARD))?;
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {address}\r\n{extra}Connection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of head in the reply"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line in {head:?}")))?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Ok(Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    })
}

fn scrape(address: SocketAddr) -> Reply {
    let reply = exchange(address, "GET", "/metrics", "").expect("scrape answered");
    assert_eq!(reply.status, 200);
    reply
}

#[test]
fn get_head_and_query_strings_are_answered() {
    let (server, registry) = start(ServeOptions::default());
    let address = server.local_addr();
    let expected = exposition(&registry);

    for target in ["/metrics", "/metrics?x=1", "/metrics?module=a&target=b"] {
        let reply = exchange(address, "GET", target, "").expect("answered");
        assert_eq!(reply.status, 200, "GET {target}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/plain; version=0.0.4; charset=utf-8")
        );
        assert_eq!(reply.header("content-encoding"), None);
        assert_eq!(String::from_utf8(reply.body).unwrap(), expected);

        let head = exchange(address, "HEAD", target, "").expect("answered");
        assert_eq!(head.status, 200, "HEAD {target}");
        assert_eq!(
            head.header("content-type"),
            Some("text/plain; version=0.0.4; charset=utf-8")
        );
        assert_eq!(
            head.header("content-length"),
            Some(expected.len().to_string().as_str())
        );
        assert!(head.body.is_empty(), "HEAD has no body");
    }
}

#[test]
fn other_methods_get_405_and_other_paths_404() {
    let (server, _registry) = start(ServeOptions::default());
    let address = server.local_addr();
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let reply =
            exchange(address, method, "/metrics", "Content-Length: 0\r\n").expect("answered");
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), Some("GET, HEAD"), "{method}");
    }
    for target in ["/", "/metricsx", "/metrics/", "/other?metrics"] {
        let reply = exchange(address, "GET", target, "").expect("answered");
        assert_eq!(reply.status, 404, "{target}");
    }
}

#[test]
fn another_path_can_be_configured() {
    let (server, _registry) = start(ServeOptions::default().path("/internal/metrics"));
    let address = server.local_addr();
    assert_eq!(
        exchange(address, "GET", "/internal/metrics", "")
            .unwrap()
            .status,
        200
    );
    assert_eq!(
        exchange(address, "GET", "/metrics", "").unwrap().status,
        404
    );
    let (server, _registry) = start(ServeOptions::default().path("scrape"));
    let reply = exchange(server.local_addr(), "GET", "/scrape", "").unwrap();
    assert_eq!(reply.status, 200, "a leading / is added");
}

#[test]
fn gzip_when_the_scraper_asks_for_it() {
    let (server, registry) = start(ServeOptions::default());
    let address = server.local_addr();
    let expected = exposition(&registry);

    // What Prometheus sends.
    let reply =
        exchange(address, "GET", "/metrics", "Accept-Encoding: gzip\r\n").expect("answered");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-encoding"), Some("gzip"));
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let mut decoded = String::new();
    flate2::read::GzDecoder::new(&reply.body[..])
        .read_to_string(&mut decoded)
        .expect("valid gzip");
    assert_eq!(decoded, expected);

    for refused in ["gzip;q=0", "identity", "deflate, br", "gzip; q=0.000"] {
        let reply = exchange(
            address,
            "GET",
            "/metrics",
            &format!("Accept-Encoding: {refused}\r\n"),
        )
        .expect("answered");
        assert_eq!(reply.header("content-encoding"), None, "{refused}");
        assert_eq!(
            String::from_utf8(reply.body).unwrap(),
            expected,
            "{refused}"
        );
    }
    let reply = exchange(
        address,
        "GET",
        "/metrics",
        "Accept-Encoding: br;q=1.0, GZIP;q=0.5\r\n",
    )
    .expect("answered");
    assert_eq!(reply.header("content-encoding"), Some("gzip"));
}

/// What Prometheus 2.42 sends as `Accept`.
const PROMETHEUS_ACCEPT: &str = "Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1\r\n";

#[test]
fn openmetrics_when_the_scraper_prefers_it_and_the_source_writes_it() {
    let (server, registry) = start(ServeOptions::default());
    let address = server.local_addr();
    let openmetrics = metric_group::encode_openmetrics(&registry).expect("encodes");

    let reply = exchange(address, "GET", "/metrics", PROMETHEUS_ACCEPT).expect("answered");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("application/openmetrics-text; version=1.0.0; charset=utf-8")
    );
    assert_eq!(reply.header("vary"), Some("Accept, Accept-Encoding"));
    let body = String::from_utf8(reply.body).expect("UTF-8");
    assert_eq!(body, openmetrics);
    assert!(body.ends_with("# EOF\n"));
    common::openmetrics_parse(&body);

    // Gzipped as the text format is.
    let reply = exchange(
        address,
        "GET",
        "/metrics",
        &format!("{PROMETHEUS_ACCEPT}Accept-Encoding: gzip\r\n"),
    )
    .expect("answered");
    assert_eq!(reply.header("content-encoding"), Some("gzip"));
    let mut decoded = String::new();
    flate2::read::GzDecoder::new(&reply.body[..])
        .read_to_string(&mut decoded)
        .expect("valid gzip");
    assert_eq!(decoded, openmetrics);

    // The text format where it is preferred, not asked for, or the only
    // OpenMetrics version offered is another.
    for accept in [
        "",
        "Accept: text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5\r\n",
        "Accept: application/openmetrics-text;version=0.0.1\r\n",
        "Accept: application/openmetrics-text;version=1.0.0;q=0\r\n",
        "Accept: */*\r\n",
    ] {
        let reply = exchange(address, "GET", "/metrics", accept).expect("answered");
        assert_eq!(
            reply.header("content-type"),
            Some("text/plain; version=0.0.4; charset=utf-8"),
            "{accept}"
        );
        assert_eq!(
            String::from_utf8(reply.body).unwrap(),
            exposition(&registry),
            "{accept}"
        );
    }
}

#[test]
fn a_source_writing_only_text_answers_an_openmetrics_scraper_in_text() {
    let registry = registry();
    let source = registry.clone();
    let server =
        metric_group::serve("127.0.0.1:0", move || metric_group::encode(&source)).expect("listens");
    let reply =
        exchange(server.local_addr(), "GET", "/metrics", PROMETHEUS_ACCEPT).expect("answered");
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    assert_eq!(
        String::from_utf8(reply.body).unwrap(),
        exposition(&registry)
    );

    // A source written as a function of the format serves both.
    let source = registry.clone();
    let server = metric_group::serve(
        "127.0.0.1:0",
        metric_group::ByFormat(move |format| match format {
            metric_group::Format::Text => metric_group::encode(&source),
            metric_group::Format::OpenMetrics => metric_group::encode_openmetrics(&source),
        }),
    )
    .expect("listens");
    let reply =
        exchange(server.local_addr(), "GET", "/metrics", PROMETHEUS_ACCEPT).expect("answered");
    assert_eq!(
        reply.header("content-type"),
        Some("application/openmetrics-text; version=1.0.0; charset=utf-8")
    );
    assert!(String::from_utf8(reply.body).unwrap().ends_with("# EOF\n"));
}

#[test]
fn served_text_passes_promtool() {
    let (server, _registry) = start(ServeOptions::default());
    let reply = scrape(server.local_addr());
    let text = String::from_utf8(reply.body).expect("UTF-8");
    if let Some(problems) = common::promtool_problems(&text) {
        assert_eq!(problems, Vec::<String>::new(), "{text}");
    }
}

/// Whether the server has neither answered nor closed `stream` (a client
/// half-way through its request): a read finds nothing yet.
fn still_waiting(stream: &mut TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    let waiting =
        matches!(stream.read(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).unwrap();
    waiting
}

#[test]
fn stalled_and_trickling_clients_do_not_delay_a_scrape() {
    // A header-read deadline far past the hang guard: the stalled clients
    // stay open for the whole test, so a scrape answered at all was answered
    // while they were stalled (a server that served them in turn would hang
    // on the first one, which the hang guard turns into a failure).
    let (server, registry) = start(ServeOptions::default().header_read_timeout(HANG_GUARD * 60));
    let address = server.local_addr();
    let expected = exposition(&registry);

    let mut stalled: Vec<TcpStream> = (0..10)
        .map(|i| {
            let mut stream = TcpStream::connect(address).expect("connects");
            write!(
                stream,
                "GET /metrics HTTP/1.1\r\nHost: {address}\r\nX-Stalled: {i}\r\n"
            )
            .expect("half a request sent");
            stream
        })
        .collect();

    // A trickling client: one more byte of its request head before each
    // scrape, and the scrape answered while its head is still incomplete.
    let mut trickler = TcpStream::connect(address).expect("connects");
    for byte in b"GET /metrics HTTP/1.1\r\nX-Slow: abcdef".iter().take(5) {
        trickler.write_all(&[*byte]).expect("trickled");
        let reply = scrape(address);
        assert_eq!(String::from_utf8(reply.body).unwrap(), expected);
    }

    // The stalled clients and the trickler were still waiting (not
    // answered, not refused) after every scrape.
    assert!(still_waiting(&mut trickler), "the trickler was answered");
    for stream in &mut stalled {
        assert!(still_waiting(stream), "a stalled client was answered");
    }
}

#[test]
fn the_header_read_deadline_closes_a_stalled_connection() {
    let (server, _registry) =
        start(ServeOptions::default().header_read_timeout(Duration::from_millis(300)));
    let address = server.local_addr();
    for half in ["", "GET /metrics HTTP/1.1\r\nHost: x\r\n"] {
        let mut stream = TcpStream::connect(address).expect("connects");
        stream.write_all(half.as_bytes()).unwrap();
        // Only the deadline closes a connection whose head never ends; the
        // hang guard, far past it, turns a connection left open into a
        // failure.
        stream.set_read_timeout(Some(HANG_GUARD)).unwrap();
        let mut rest = Vec::new();
        let closed = stream.read_to_end(&mut rest);
        assert!(closed.is_ok(), "{half:?}: still open: {closed:?}");
    }
}

#[test]
fn a_bind_failure_is_an_io_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap();
    assert_err!(
        metric_group::serve(address, registry()),
        Error::Serve { source, .. } => assert_eq!(source.kind(), std::io::ErrorKind::AddrInUse)
    );
}

#[test]
fn shutdown_closes_the_listener() {
    let (server, _registry) = start(ServeOptions::default());
    let address = server.local_addr();
    scrape(address);
    server.shutdown();
    assert!(TcpStream::connect_timeout(&address, HANG_GUARD).is_err());
}

#[test]
fn a_closure_source_and_its_failure() {
    let server = metric_group::serve("127.0.0.1:0", || Ok("# empty\n".to_owned())).unwrap();
    assert_eq!(scrape(server.local_addr()).body, b"# empty\n");
    let failing = metric_group::serve("127.0.0.1:0", || {
        Err(Error::InvalidName {
            name: "x".to_owned(),
            reason: "test failure",
        })
    })
    .unwrap();
    let reply = exchange(failing.local_addr(), "GET", "/metrics", "").unwrap();
    assert_eq!(reply.status, 500);
    assert!(String::from_utf8(reply.body)
        .unwrap()
        .contains("test failure"));
}

/// A registry served as it is encoded: a hand-registered collector whose
/// series carries one label name twice (a const label and a variable label
/// of one name) is refused by `serve` and `metrics_response` with the error
/// `encode` and `encode_text` give, through the one encoder and its one
/// check.
#[test]
fn a_served_registry_with_a_duplicate_label_is_refused_as_encode_text_refuses_it() {
    let registry = Registry::new();
    let opts = metric_group::prometheus::Opts::new("handmade_total", "Registered by hand")
        .const_label("worker_id", "123");
    let handmade = IntCounterVec::new(opts, &["worker_id"]).expect("prometheus accepts it");
    handmade.with_label_values(&["7"]).inc();
    registry
        .register(Box::new(handmade))
        .expect("prometheus registers it");

    let refused = |result: Result<String, Error>| assert_err!(result, error @ Error::DuplicateLabel { .. } => error.to_string());
    let by_encode_text = refused(metric_group::encode_text(&registry.gather()));
    let by_encode = refused(metric_group::encode(&registry));
    assert_eq!(by_encode, by_encode_text);
    assert!(by_encode.contains("`handmade_total`"), "{by_encode}");
    assert!(by_encode.contains("`worker_id`"), "{by_encode}");

    let server = metric_group::serve("127.0.0.1:0", registry.clone()).expect("listens");
    let reply = exchange(server.local_addr(), "GET", "/metrics", "").expect("answered");
    assert_eq!(reply.status, 500);
    assert_eq!(body_text(&reply), format!("{by_encode_text}\n"));

    let request = http::Request::get("/metrics").body(()).unwrap();
    let response = metric_group::metrics_response(&registry, &request);
    assert_eq!(response.status(), 500);
}

/// The router example, killed and reaped when dropped.
struct Router(Child);

impl Drop for Router {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `kB` of the field `name` (`VmRSS`, `VmHWM`) in /proc/<pid>/status.
fn memory_kib(pid: u32, name: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in /proc/{pid}/status"))
}

#[test]
#[cfg(target_os = "linux")]
fn a_request_line_without_end_does_not_grow_the_server() {
    const LINE: usize = 256 << 20;
    const LIMIT_KIB: u64 = 64 << 10;
    let mut router = Router(
        Command::new(common::example_binary("router"))
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("router starts"),
    );
    let mut banner = String::new();
    BufReader::new(router.0.stdout.take().unwrap())
        .read_line(&mut banner)
        .expect("router prints its address");
    let port: u16 = banner
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("no port in {banner:?}"));
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let pid = router.0.id();
    scrape(address);
    let before = memory_kib(pid, "VmRSS");

    // One endless request line per connection, until 256 MiB have gone out
    // in all: the server drops each connection once its head is over the
    // limit, so the rest of the line goes to a new connection.
    let chunk = vec![b'a'; 64 << 10];
    let mut sent = 0;
    let mut connections = 0;
    while sent < LINE && connections < 100_000 {
        connections += 1;
        let mut stream = TcpStream::connect(address).expect("connects");
        // Hang guard: a server that neither reads nor closes fails the test.
        stream.set_write_timeout(Some(HANG_GUARD)).unwrap();
        stream.write_all(b"GET /").unwrap();
        while sent < LINE {
            match stream.write(&chunk) {
                Ok(n) if n > 0 => sent += n,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    panic!("the server neither read nor closed within {HANG_GUARD:?}")
                }
                // Closed by the server: the rest goes to a new connection.
                Ok(_) | Err(_) => break,
            }
        }
    }
    assert!(sent >= LINE, "{sent} bytes in {connections} connections");
    scrape(address);
    let (after, peak) = (memory_kib(pid, "VmRSS"), memory_kib(pid, "VmHWM"));
    eprintln!(
        "router RSS {before} kB before, {after} kB after {sent} bytes of request line over {connections} connections; peak {peak} kB"
    );
    assert!(peak < LIMIT_KIB, "peak RSS {peak} kB");
}

#[test]
fn the_router_example_reports_a_bind_failure() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut router = Router(
        Command::new(common::example_binary("router"))
            .args(["--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("router starts"),
    );
    let status = common::wait_until("the router to exit on a taken port", || {
        router.0.try_wait().expect("router status")
    });
    assert_eq!(status.code(), Some(1));
    let mut stderr = String::new();
    router
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.starts_with(&format!(
            "router: cannot serve metrics on 127.0.0.1:{port}: "
        )),
        "{stderr}"
    );
}

// ---- sources that block or panic ----

/// A source the test holds: its first call blocks until released (or until
/// the handle is dropped, when the test ends); every call is counted and
/// announced.
struct Held {
    calls: Arc<AtomicUsize>,
    release: mpsc::Sender<()>,
    entered: mpsc::Receiver<usize>,
}

impl Held {
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

/// The source and its handle; call `n` answers `# call n`.
fn held_source() -> (
    impl Fn() -> Result<String, Error> + Send + Sync + 'static,
    Held,
) {
    let calls = Arc::new(AtomicUsize::new(0));
    let (release, gate) = mpsc::channel::<()>();
    let (entered_tx, entered) = mpsc::channel();
    let gate = Mutex::new(gate);
    let counted = calls.clone();
    let source = move || {
        let call = counted.fetch_add(1, Ordering::SeqCst) + 1;
        let _ = entered_tx.send(call);
        if call == 1 {
            // Only the test releases it: `Err` once the `Held` is dropped.
            let _ = gate.lock().unwrap().recv();
        }
        Ok(format!("# call {call}\n"))
    };
    (
        source,
        Held {
            calls,
            release,
            entered,
        },
    )
}

fn body_text(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.body).into_owned()
}

#[test]
fn a_blocked_source_holds_only_scrapes_and_is_called_once() {
    let (source, held) = held_source();
    let server = ServeOptions::default()
        .scrape_timeout(Duration::from_millis(200))
        .serve("127.0.0.1:0", source)
        .expect("listens");
    let address = server.local_addr();
    let get = |target: &str| exchange(address, "GET", target, "").expect("answered");

    let reply = get("/metrics");
    assert_eq!(reply.status, 503, "{}", body_text(&reply));
    assert_eq!(
        body_text(&reply),
        "the metrics source did not answer within 200ms\n"
    );
    assert_eq!(held.entered.recv_timeout(HANG_GUARD), Ok(1));

    // The source stays blocked until released below, after these are
    // answered: they do not wait for it (if they did, they would never be
    // answered, and the hang guard would fail the test).
    assert_eq!(get("/other").status, 404);
    let post = exchange(address, "POST", "/metrics", "Content-Length: 0\r\n").expect("answered");
    assert_eq!(post.status, 405);

    // Concurrent scrapes wait for the call in flight; none starts another.
    let scrapers: Vec<_> = (0..4)
        .map(|_| {
            thread::spawn(move || {
                exchange(address, "GET", "/metrics", "")
                    .expect("answered")
                    .status
            })
        })
        .collect();
    for scraper in scrapers {
        assert_eq!(scraper.join().expect("scraper ends"), 503);
    }
    assert_eq!(get("/metrics").status, 503);
    assert_eq!(held.calls(), 1, "one call while the source is blocked");

    // Released, the call returns; the next scrape starts a fresh call.
    held.release.send(()).unwrap();
    common::wait_until("a scrape with a second call's result", || {
        let reply = get("/metrics");
        match (reply.status, body_text(&reply).as_str()) {
            (200, "# call 2\n") => Some(()),
            // The released call's own result, or its return still on the way.
            (200, "# call 1\n") | (503, _) => None,
            (status, body) => panic!("unexpected {status}: {body}"),
        }
    });
    assert_eq!(held.calls(), 2);
    assert_eq!(held.entered.try_iter().collect::<Vec<_>>(), [2]);
}

#[test]
fn a_panicking_source_answers_500_and_the_next_scrape_calls_it_again() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let server = metric_group::serve("127.0.0.1:0", move || {
        if counted.fetch_add(1, Ordering::SeqCst) == 0 {
            panic!("test source panics on call {}", 1);
        }
        Ok("# recovered\n".to_owned())
    })
    .expect("listens");
    let address = server.local_addr();
    let reply = exchange(address, "GET", "/metrics", "").expect("answered");
    assert_eq!(reply.status, 500);
    assert_eq!(
        body_text(&reply),
        "the metrics source panicked: test source panics on call 1\n"
    );
    let reply = scrape(address);
    assert_eq!(body_text(&reply), "# recovered\n");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// Set in the child process of
/// [`a_source_panic_is_reported_once_per_message`].
const PANIC_CHILD: &str = "METRIC_GROUP_TEST_SERVE_PANIC_CHILD";
/// What the child prints before a panic outside any source.
const ORDINARY_NEXT: &str = "--- an ordinary panic follows ---";

/// Does nothing unless run as the child of
/// [`a_source_panic_is_reported_once_per_message`]: then a source panics
/// with one message on three scrapes, then with another, inline once, and
/// finally a panic outside any source.
#[test]
fn panic_reports_child() {
    if std::env::var_os(PANIC_CHILD).is_none() {
        return;
    }
    let calls = AtomicUsize::new(0);
    let source = move || -> Result<String, Error> {
        match calls.fetch_add(1, Ordering::SeqCst) {
            0..=2 => panic!("child source panic, the same each time"),
            _ => panic!("child source panic, another message"),
        }
    };
    let source = Arc::new(source);
    let shared = source.clone();
    let server = metric_group::serve("127.0.0.1:0", move || shared()).expect("listens");
    for _ in 0..4 {
        let reply = exchange(server.local_addr(), "GET", "/metrics", "").expect("answered");
        assert_eq!(reply.status, 500);
    }
    let request = http::Request::get("/metrics").body(()).unwrap();
    let response = metric_group::metrics_response(&*source, &request);
    assert_eq!(response.status(), 500);
    eprintln!("{ORDINARY_NEXT}");
    let ordinary = std::panic::catch_unwind(|| panic!("an ordinary panic outside any source"));
    assert!(ordinary.is_err());
}

#[test]
fn a_source_panic_is_reported_once_per_message() {
    let output = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "panic_reports_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PANIC_CHILD, "1")
        // Makes the default hook print a backtrace, were it used.
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("the test binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "child failed:\n{stderr}");
    let (sources, ordinary) = stderr
        .split_once(ORDINARY_NEXT)
        .unwrap_or_else(|| panic!("the child did not get to its ordinary panic:\n{stderr}"));
    let count = |text: &str| sources.lines().filter(|line| line.contains(text)).count();
    assert_eq!(
        count("child source panic, the same each time"),
        1,
        "{stderr}"
    );
    assert_eq!(count("child source panic, another message"), 1, "{stderr}");
    assert_eq!(
        count("metric-group: the metrics source panicked at "),
        2,
        "{stderr}"
    );
    for default_hook in ["stack backtrace", "RUST_BACKTRACE", "thread '"] {
        assert!(!sources.contains(default_hook), "{stderr}");
    }
    // Other panics still reach the default hook, backtrace and all.
    assert!(
        ordinary.contains("an ordinary panic outside any source"),
        "{stderr}"
    );
    assert!(ordinary.contains("stack backtrace"), "{stderr}");
}

// ---- against a real Prometheus ----

#[test]
fn prometheus_records_the_503_and_500_and_the_target_recovers() {
    use common::real_prometheus::{self, Prometheus};
    if real_prometheus::installed().is_none() {
        return;
    }
    // Held: blocked until released. Panicking: while `panicking` is set.
    let (source, held) = held_source();
    let held_server = ServeOptions::default()
        .scrape_timeout(Duration::from_millis(300))
        .serve("127.0.0.1:0", source)
        .expect("listens");
    let panicking = Arc::new(AtomicBool::new(true));
    let panics = panicking.clone();
    let panicking_server = metric_group::serve("127.0.0.1:0", move || {
        if panics.load(Ordering::SeqCst) {
            panic!("test source panics while Prometheus scrapes it");
        }
        Ok("# recovered\n".to_owned())
    })
    .expect("listens");

    // Prometheus' own deadline (900 ms) is longer than the held server's
    // (300 ms), so it records the 503 rather than its timeout.
    let prometheus = Prometheus::start(
        "serve",
        &format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n\
             scrape_configs:\n\
             \x20 - job_name: held\n    static_configs:\n      - targets: [\"{}\"]\n\
             \x20 - job_name: panicking\n    static_configs:\n      - targets: [\"{}\"]\n",
            held_server.local_addr(),
            panicking_server.local_addr()
        ),
    );
    for (job, status) in [("held", "503"), ("panicking", "500")] {
        let error = prometheus.wait_for(&format!("`{job}` to be down with a {status}"), || {
            let up = prometheus.value(&format!("up{{job=\"{job}\"}}"))?;
            let target = prometheus.target(job)?;
            let error = target["lastError"].as_str()?.to_owned();
            (up == "0" && error.contains(status)).then_some(error)
        });
        eprintln!("Prometheus on `{job}`: {error}");
    }
    // However many times Prometheus scraped, the blocked call is the only one;
    // and other requests are answered while it is blocked (it is released
    // only after this one).
    assert_eq!(held.calls(), 1);
    let other = exchange(held_server.local_addr(), "GET", "/other", "").expect("answered");
    assert_eq!(other.status, 404);

    held.release.send(()).unwrap();
    panicking.store(false, Ordering::SeqCst);
    for job in ["held", "panicking"] {
        prometheus.wait_for(&format!("`{job}` to be up again"), || {
            let up = prometheus.value(&format!("up{{job=\"{job}\"}}"))?;
            let target = prometheus.target(job)?;
            (up == "1" && target["lastError"] == "").then_some(())
        });
    }
    assert_eq!(
        body_text(&scrape(panicking_server.local_addr())),
        "# recovered\n"
    );
    assert!(held.calls() >= 2);
}
