//! The `/metrics` endpoint (cargo feature `serve`): [`serve`] and
//! [`ServeOptions`] run a server on a thread of their own (and call the
//! source on another), for a service that has no async runtime;
//! [`metrics_response`] answers one request inside a hyper or axum service
//! that already has one. What they answer and how they treat slow clients,
//! slow sources and panicking sources is on [`ServeOptions`].
//!
//! # Why hyper
//!
//! The server is hyper 1's HTTP/1 connection driver on a current-thread
//! tokio runtime, with hyper-util's tokio adapters. Each candidate's
//! dependency tree plus flate2 was built clean in a scratch crate
//! (`scripts/serve_build_cost.sh`); the crate counts and build times of
//! hyper, axum and `tiny_http` are in BENCHMARKS.md, "Serving: build cost".
//!
//! `tiny_http` is the cheapest, but it reads the request line into an
//! unbounded buffer (`read_next_line` in its `client.rs`), has no header-read
//! deadline and spends a thread per connection: the failures this module
//! exists to fix. axum is hyper underneath plus tower, a router and a
//! proc-macro (syn) — a larger build for routing one path — and
//! `axum::serve` (0.8.9, `serve/mod.rs`) gives hyper no timer, so there is no
//! header deadline, and offers no way to set one or the head limit. hyper
//! exposes both (`header_read_timeout`, `max_buf_size`), and axum users
//! already build it, so [`metrics_response`] costs them nothing.

use std::any::Any;
use std::cell::Cell;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::net::{SocketAddr, TcpListener as StdListener, ToSocketAddrs};
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::{mpsc, Arc, Once, PoisonError};
use std::task::Poll;
use std::thread;
use std::time::Duration;

use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use http::header::{HeaderMap, ACCEPT, ACCEPT_ENCODING, ALLOW, CONTENT_ENCODING, CONTENT_LENGTH};
use http::header::{CONTENT_TYPE as CONTENT_TYPE_HEADER, VARY};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use parking_lot::Mutex;
use tokio::sync::{oneshot, watch, Semaphore};

use crate::encode::Format;
use crate::Error;

/// The content type of the text exposition format, version 0.0.4.
const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The content type of the OpenMetrics text format, version 1.0.0.
const OPENMETRICS_CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// What a scrape serves: the exposition text, produced anew for each scrape.
///
/// Implemented for a prometheus [`Registry`](prometheus::Registry) and a
/// [`Scope`](crate::scope::Scope) (both in either format), for any
/// `Fn() -> Result<String, Error>`, such as `move || scope.encode_text()`
/// (the Prometheus text format only), and for [`ByFormat`] around an
/// `Fn(Format) -> Result<String, Error>`.
pub trait Exposition: Send + Sync + 'static {
    /// The text exposition of every metric to serve.
    ///
    /// # Errors
    ///
    /// When the metrics cannot be gathered or encoded; the scrape is then
    /// answered `500` with the error's text.
    fn exposition(&self) -> Result<String, Error>;

    /// The same metrics in the OpenMetrics text format, for a scraper that
    /// asks for it; `None` (the default) when this source writes only the
    /// Prometheus text format, which such a scraper is then served.
    ///
    /// # Errors
    ///
    /// As [`exposition`](Self::exposition).
    fn openmetrics(&self) -> Option<Result<String, Error>> {
        None
    }
}

impl Exposition for prometheus::Registry {
    fn exposition(&self) -> Result<String, Error> {
        crate::encode(self)
    }

    fn openmetrics(&self) -> Option<Result<String, Error>> {
        Some(crate::encode_openmetrics(self))
    }
}

impl<F> Exposition for F
where
    F: Fn() -> Result<String, Error> + Send + Sync + 'static,
{
    fn exposition(&self) -> Result<String, Error> {
        self()
    }
}

/// A source written as a function of the format asked for, serving both:
///
/// ```no_run
/// use metric_group::{ByFormat, Format};
///
/// let scope = metric_group::scope::Scope::runtime();
/// let server = metric_group::serve(
///     "127.0.0.1:9095",
///     ByFormat(move |format| match format {
///         Format::Text => scope.encode_text(),
///         Format::OpenMetrics => scope.encode_openmetrics(),
///     }),
/// )?;
/// # Ok::<(), metric_group::Error>(())
/// ```
#[derive(Debug)]
pub struct ByFormat<F>(pub F);

impl<F> Exposition for ByFormat<F>
where
    F: Fn(Format) -> Result<String, Error> + Send + Sync + 'static,
{
    fn exposition(&self) -> Result<String, Error> {
        (self.0)(Format::Text)
    }

    fn openmetrics(&self) -> Option<Result<String, Error>> {
        Some((self.0)(Format::OpenMetrics))
    }
}

/// The answer to one request for the metrics, for a route of an existing
/// hyper or axum service (the caller has matched the path).
///
/// `GET` and `HEAD` get the exposition (in OpenMetrics when the `Accept`
/// header prefers it and the source writes it, as [`ServeOptions`] says;
/// gzipped when `Accept-Encoding` allows it; `HEAD` with its length and no
/// body), other methods `405`, a
/// failing source `500` with the error's text, and a panicking source `500`
/// with the panic's message (the panic is caught and reported as
/// [`ServeOptions`] describes under *A source that panics*).
///
/// The source is called inline, on the calling task's thread, once per
/// request and without a deadline: a slow source holds this request (and,
/// on a current-thread runtime, everything else on that thread). Wrap the
/// call in `tokio::task::spawn_blocking` and `tokio::time::timeout` for a
/// deadline, or use [`serve`], which calls the source off the connection
/// tasks, one call at a time, with [a deadline](ServeOptions::scrape_timeout).
///
/// With axum (not compiled here, which would need axum; it builds against
/// axum 0.8.9):
///
/// ```ignore
/// let registry = metric_group::prometheus::Registry::new();
/// let app = axum::Router::new().route(
///     "/metrics",
///     axum::routing::any(move |request: axum::extract::Request| {
///         let response = metric_group::metrics_response(&registry, &request);
///         async move { response.map(axum::body::Body::new) }
///     }),
/// );
/// ```
pub fn metrics_response<B>(
    source: &(impl Exposition + ?Sized),
    request: &Request<B>,
) -> Response<Full<Bytes>> {
    if let Some(refused) = refuse_method(request.method()) {
        return refused;
    }
    respond(request, &call(source, asked_format(request.headers())))
}

/// The format a scrape asks for: OpenMetrics 1.0.0 when its `Accept`
/// header lists `application/openmetrics-text` (with `version=1.0.0` or no
/// version) at a quality no lower than any it gives the Prometheus text
/// format (`text/plain`, `text/*`, `*/*`), the text format otherwise.
/// Prometheus sends
/// `application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1`.
fn asked_format(headers: &HeaderMap) -> Format {
    let (mut openmetrics, mut text) = (0.0_f32, 0.0_f32);
    let ranges = headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','));
    for range in ranges {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or("").to_ascii_lowercase();
        let (mut quality, mut version) = (1.0_f32, None);
        for param in parts {
            let (name, value) = param.split_once('=').unwrap_or((param, ""));
            let value = value.trim().trim_matches('"');
            match name.trim().to_ascii_lowercase().as_str() {
                "q" => quality = value.parse().unwrap_or(0.0),
                "version" => version = Some(value.to_owned()),
                _ => {}
            }
        }
        match media.as_str() {
            "application/openmetrics-text" if version.as_deref().is_none_or(|v| v == "1.0.0") => {
                openmetrics = openmetrics.max(quality);
            }
            "text/plain" | "text/*" | "*/*" => text = text.max(quality),
            _ => {}
        }
    }
    if openmetrics > 0.0 && openmetrics >= text {
        Format::OpenMetrics
    } else {
        Format::Text
    }
}

/// `405` for a method other than `GET` and `HEAD`.
fn refuse_method(method: &Method) -> Option<Response<Full<Bytes>>> {
    if method == Method::GET || method == Method::HEAD {
        return None;
    }
    let mut response = plain(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{method} is not allowed; scrape with GET or HEAD\n"),
    );
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
    Some(response)
}

/// The answer to a `GET` or `HEAD` of the metrics from what the source gave.
fn respond<B>(request: &Request<B>, outcome: &Outcome) -> Response<Full<Bytes>> {
    let (text, format) = match outcome {
        Outcome::Text(text, format) => (text, *format),
        Outcome::Failed(error) => {
            return plain(StatusCode::INTERNAL_SERVER_ERROR, format!("{error}\n"))
        }
        Outcome::Panicked(message) => {
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the metrics source panicked: {message}\n"),
            )
        }
    };
    let gzipped = if accepts_gzip(request.headers()) {
        gzip(text)
    } else {
        None
    };
    let gzip_used = gzipped.is_some();
    let body = gzipped.map_or_else(|| text.clone(), Bytes::from);
    let length = body.len();
    let head = request.method() == Method::HEAD;
    let mut response = Response::new(Full::new(if head { Bytes::new() } else { body }));
    let headers = response.headers_mut();
    let content_type = match format {
        Format::Text => CONTENT_TYPE,
        Format::OpenMetrics => OPENMETRICS_CONTENT_TYPE,
    };
    headers.insert(CONTENT_TYPE_HEADER, HeaderValue::from_static(content_type));
    headers.insert(VARY, HeaderValue::from_static("Accept, Accept-Encoding"));
    if gzip_used {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// What one call of the source gave.
#[derive(Debug)]
enum Outcome {
    /// The exposition, in this format.
    Text(Bytes, Format),
    /// The source's error, as text.
    Failed(String),
    /// The message of the source's panic.
    Panicked(String),
}

/// Calls the source for `format` (the text format if it writes only that),
/// catching a panic (reported by [`source_panic_hook`]).
fn call(source: &(impl Exposition + ?Sized), format: Format) -> Outcome {
    install_panic_hook();
    let outer = IN_SOURCE.with(|flag| flag.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        match format {
            Format::OpenMetrics => source
                .openmetrics()
                .map(|result| result.map(|text| (text, Format::OpenMetrics))),
            Format::Text => None,
        }
        .unwrap_or_else(|| source.exposition().map(|text| (text, Format::Text)))
    }));
    IN_SOURCE.with(|flag| flag.set(outer));
    match result {
        Ok(Ok((text, format))) => Outcome::Text(Bytes::from(text), format),
        Ok(Err(error)) => Outcome::Failed(error.to_string()),
        Err(payload) => {
            let message = panic_message(&*payload).to_owned();
            // A payload whose drop panics would otherwise unwind from here.
            let _ = panic::catch_unwind(AssertUnwindSafe(|| drop(payload)));
            Outcome::Panicked(message)
        }
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "(a panic whose payload is not a string)"
    }
}

thread_local! {
    /// Whether this thread is inside a call of a metrics source.
    static IN_SOURCE: Cell<bool> = const { Cell::new(false) };
}

/// How many distinct panic messages of metrics sources are remembered (as
/// hashes) so as to be reported once; past that the oldest is forgotten.
const REMEMBERED_PANICS: usize = 64;

/// Hashes of the panic messages of metrics sources already reported, oldest
/// first.
static REPORTED_PANICS: std::sync::Mutex<VecDeque<u64>> = std::sync::Mutex::new(VecDeque::new());

/// Installs, once per process, a panic hook that reports a panic raised
/// inside a metrics source call with [`source_panic_hook`] and hands every
/// other panic to the hook it replaced.
fn install_panic_hook() {
    static INSTALLED: Once = Once::new();
    // `set_hook` panics on a panicking thread; the next call installs it.
    if thread::panicking() {
        return;
    }
    INSTALLED.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if IN_SOURCE.try_with(Cell::get).unwrap_or(false) {
                let location = info
                    .location()
                    .map(|at| format!(" at {}:{}:{}", at.file(), at.line(), at.column()))
                    .unwrap_or_default();
                source_panic_hook(panic_message(info.payload()), &location);
            } else {
                previous(info);
            }
        }));
    });
}

/// Prints one line on stderr for a source panic whose message has not been
/// reported yet (among the last [`REMEMBERED_PANICS`] distinct ones), and
/// nothing otherwise.
fn source_panic_hook(message: &str, location: &str) {
    if first_report(message) {
        // Writing to stderr cannot fail usefully here; a panic in a panic
        // hook would abort.
        // One write, so that the line is not interleaved with other output.
        let line = format!(
            "metric-group: the metrics source panicked{location}: {message} (answered 500; this message is reported once)\n"
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    }
}

/// Whether `message` is not among the remembered ones; remembers it.
fn first_report(message: &str) -> bool {
    let mut hasher = DefaultHasher::new();
    message.hash(&mut hasher);
    let key = hasher.finish();
    let mut reported = REPORTED_PANICS
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if reported.contains(&key) {
        return false;
    }
    if reported.len() == REMEMBERED_PANICS {
        reported.pop_front();
    }
    reported.push_back(key);
    true
}

fn plain(status: StatusCode, text: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(text)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE_HEADER,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Whether any `Accept-Encoding` header lists `gzip` (or `*`) with a
/// non-zero quality.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|param| {
                let param = param.trim();
                param
                    .strip_prefix("q=")
                    .or_else(|| param.strip_prefix("Q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// `None` if compression fails (it writes to memory, so it does not), in
/// which case the text is served as it is.
fn gzip(text: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(text.len() / 4), Compression::default());
    encoder.write_all(text).ok()?;
    encoder.finish().ok()
}

/// Settings of the server started by [`ServeOptions::serve`] (or [`serve`],
/// with the defaults).
///
/// # What a scrape gets
///
/// - `GET` and `HEAD` on the metrics path, with any query string (Prometheus
///   sends its `params:` there): `200` with
///   `Content-Type: text/plain; version=0.0.4; charset=utf-8`, gzipped when
///   the request's `Accept-Encoding` allows gzip (Prometheus always sends it).
/// - Any other method on the metrics path: `405` with `Allow: GET, HEAD`.
/// - Any other path: `404`.
/// - A source that fails: `500` with the error's text.
/// - A source that panics: `500` with the panic's message (below).
/// - A source that has not answered within the
///   [scrape deadline](ServeOptions::scrape_timeout) (5 s by default):
///   `503 Service Unavailable` with the text
///   `the metrics source did not answer within 5s`.
///
/// # The source
///
/// The source is called on a thread of its own (`metrics-source`), never on
/// the connection tasks, and at most one call is in flight: scrapes arriving
/// while a call runs wait for that call and all get its result, so a source
/// that gathers a large registry runs once however many scrapers arrive
/// together, and a source that hangs holds one thread, not one per scrape.
/// Each scrape waits at most the scrape deadline, then gets `503`;
/// the call goes on, and later scrapes keep waiting for it (each up to its
/// own deadline) rather than starting a second one. Once it returns, the
/// next scrape starts a new call. Other paths, other methods and the
/// request heads of other connections are answered at once whatever the
/// source does. Keep the deadline below the scraper's (Prometheus'
/// `scrape_timeout`, 10 s by default), so that the scraper records the
/// `503` rather than its own timeout.
///
/// # A source that panics
///
/// The panic is caught: that scrape gets `500` with the panic's message and
/// the next scrape calls the source again. The first call of a source
/// installs a panic hook (once per process) that hands every panic raised
/// outside a metrics source call to the hook it replaced, unchanged; a
/// panic raised inside one prints a single line on stderr
/// (`metric-group: the metrics source panicked at FILE:LINE:COL: MESSAGE …`)
/// the first time its message is seen, and nothing after that — no
/// backtrace, and no line per scrape. The last 64 distinct messages are
/// remembered. A hook set after the first call replaces this one, and a
/// binary built with `panic = "abort"` aborts as with any panic.
///
/// # Slow and hostile clients
///
/// Connections are served concurrently (each is a task on the server's one
/// thread), so a client that stops half-way through its request holds only
/// its own connection. Each request head must arrive within the header-read
/// deadline (10 s by default), which also closes keep-alive connections left
/// idle that long; a head larger than the limit (16 KiB by default) is
/// refused and the connection closed, so a request line without a newline
/// costs at most that buffer. At most 1024 connections (by default) are open
/// at once; more wait in the kernel's accept queue until one closes.
///
/// The response is written without a deadline: a client that never reads it
/// keeps its connection, and one of the 1024, until it goes away. A slow
/// source delays only the scrapes, each at most the scrape deadline, not
/// other requests.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    path: String,
    header_read_timeout: Duration,
    max_request_head: usize,
    max_connections: usize,
    scrape_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            path: "/metrics".to_owned(),
            header_read_timeout: Duration::from_secs(10),
            max_request_head: 16 * 1024,
            max_connections: 1024,
            scrape_timeout: Duration::from_secs(5),
        }
    }
}

/// hyper refuses a smaller read buffer.
const MIN_REQUEST_HEAD: usize = 8192;

impl ServeOptions {
    /// The path scrapes are answered on; `/metrics` by default. A missing
    /// leading `/` is added.
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        if !self.path.starts_with('/') {
            self.path.insert(0, '/');
        }
        self
    }

    /// How long a client has to send a whole request head (and how long a
    /// keep-alive connection may sit idle); 10 s by default.
    #[must_use]
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// The largest request head, in bytes, buffered before the request is
    /// refused with `431`; 16 KiB by default, at least 8 KiB.
    #[must_use]
    pub fn max_request_head(mut self, bytes: usize) -> Self {
        self.max_request_head = bytes.max(MIN_REQUEST_HEAD);
        self
    }

    /// How many connections are served at once; 1024 by default, at least 1.
    #[must_use]
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.clamp(1, Semaphore::MAX_PERMITS);
        self
    }

    /// How long a scrape waits for the source before it is answered `503
    /// Service Unavailable`; 5 s by default, half of Prometheus' default
    /// `scrape_timeout`. See [the source](ServeOptions#the-source).
    #[must_use]
    pub fn scrape_timeout(mut self, timeout: Duration) -> Self {
        self.scrape_timeout = timeout;
        self
    }

    /// Listens on `address` and answers scrapes from `source` on a thread of
    /// its own (calling `source` on another, as [the source](#the-source)
    /// describes) until the returned [`Server`] is shut down or dropped.
    ///
    /// # Errors
    ///
    /// [`Error::Serve`] when the address cannot be listened on (in use, not
    /// local, not permitted) or a thread cannot start.
    pub fn serve(
        &self,
        address: impl ToSocketAddrs,
        source: impl Exposition,
    ) -> Result<Server, Error> {
        let addresses: Vec<SocketAddr> = address
            .to_socket_addrs()
            .map_err(|source| Error::Serve {
                address: "the given address".to_owned(),
                source,
            })?
            .collect();
        let describe = || {
            addresses
                .iter()
                .map(SocketAddr::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let fail = |source| Error::Serve {
            address: describe(),
            source,
        };
        let listener = StdListener::bind(&addresses[..]).map_err(fail)?;
        let local_addr = listener.local_addr().map_err(fail)?;
        let fail = |source| Error::Serve {
            address: local_addr.to_string(),
            source,
        };
        listener.set_nonblocking(true).map_err(fail)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(fail)?;
        let listener = {
            let _context = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(fail)?
        };
        let mut connection = http1::Builder::new();
        connection
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_read_timeout)
            .max_buf_size(self.max_request_head);
        let source = SourceThread::start(source, self.scrape_timeout).map_err(fail)?;
        let server = Accept {
            listener,
            source: Arc::new(source),
            path: self.path.clone().into(),
            connection: Arc::new(connection),
            permits: Arc::new(Semaphore::new(self.max_connections)),
        };
        let (stop, stopped) = oneshot::channel();
        let thread = thread::Builder::new()
            .name("metrics-server".to_owned())
            .spawn(move || {
                runtime.block_on(server.run(stopped));
                // Dropping the runtime cancels the open connections.
                drop(runtime);
            })
            .map_err(fail)?;
        Ok(Server {
            local_addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

/// Listens on `address` and answers scrapes of `/metrics` from `source`, with
/// the [default settings](ServeOptions), on a thread of its own until the
/// returned [`Server`] is shut down or dropped.
///
/// ```no_run
/// let registry = metric_group::prometheus::Registry::new();
/// let server = metric_group::serve("127.0.0.1:9095", registry.clone())?;
/// println!("scrape http://{}/metrics", server.local_addr());
/// # Ok::<(), metric_group::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Serve`] when the address cannot be listened on or a thread
/// cannot start.
pub fn serve(address: impl ToSocketAddrs, source: impl Exposition) -> Result<Server, Error> {
    ServeOptions::default().serve(address, source)
}

/// A running metrics server. Dropping it stops the server, as
/// [`shutdown`](Server::shutdown) does.
#[derive(Debug)]
pub struct Server {
    local_addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Server {
    /// The address listened on (with the actual port when port 0 was asked
    /// for).
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops listening, closes every open connection (a scrape in progress
    /// gets no answer) and waits for the server's thread to end. The source's
    /// thread ends once a call in progress returns; it is not waited for.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        if let Some(stop) = self.stop.take() {
            // An error means the server has already stopped.
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // The source's panics are caught on its own thread; there is
            // nothing more to stop either way.
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// The accept loop and what each connection needs.
struct Accept {
    listener: tokio::net::TcpListener,
    source: Arc<SourceThread>,
    path: Arc<str>,
    connection: Arc<http1::Builder>,
    permits: Arc<Semaphore>,
}

impl Accept {
    async fn run(self, mut stopped: oneshot::Receiver<()>) {
        loop {
            let Some(Ok(permit)) =
                until_stopped(&mut stopped, self.permits.clone().acquire_owned()).await
            else {
                // The semaphore is never closed; stopping is the only way out.
                return;
            };
            let stream = match until_stopped(&mut stopped, self.listener.accept()).await {
                Some(Ok((stream, _peer))) => stream,
                Some(Err(_)) => {
                    // Out of file descriptors or a connection reset before it
                    // was accepted: wait a little rather than spin.
                    if until_stopped(&mut stopped, tokio::time::sleep(Duration::from_millis(50)))
                        .await
                        .is_none()
                    {
                        return;
                    }
                    continue;
                }
                None => return,
            };
            let source = self.source.clone();
            let path = self.path.clone();
            let connection = self.connection.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                    let source = source.clone();
                    let path = path.clone();
                    async move {
                        let response = if request.uri().path() != &*path {
                            plain(
                                StatusCode::NOT_FOUND,
                                format!("not found; the metrics are at {path}\n"),
                            )
                        } else if let Some(refused) = refuse_method(request.method()) {
                            refused
                        } else {
                            match source.outcome(asked_format(request.headers())).await {
                                Ok(outcome) => respond(&request, &outcome),
                                Err(unanswered) => unanswered.response(),
                            }
                        };
                        Ok::<_, Infallible>(response)
                    }
                });
                // Errors are the client's (a deadline missed, a head too
                // large, a reset): the connection is closed either way.
                let _ = connection
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
                drop(permit);
            });
        }
    }
}

/// The result of a source call, once it has returned.
type Flight = watch::Receiver<Option<Arc<Outcome>>>;

/// The server's source, called on a thread of its own, one call at a time,
/// each call's result shared by every scrape waiting for it in the same
/// format.
struct SourceThread {
    /// The call in flight for each format (text, OpenMetrics), if any.
    in_flight: Arc<Mutex<[Option<Flight>; 2]>>,
    /// Asks the thread for a call, whose result it sends on the channel.
    calls: mpsc::Sender<(Format, watch::Sender<Option<Arc<Outcome>>>)>,
    /// How long a scrape waits for the call.
    deadline: Duration,
}

/// Why a scrape got no result from the source.
#[derive(Debug)]
enum Unanswered {
    /// The call did not return within the deadline.
    Deadline(Duration),
    /// The source's thread is gone (it cannot panic: calls are caught).
    Stopped,
}

impl Unanswered {
    fn response(&self) -> Response<Full<Bytes>> {
        match self {
            Unanswered::Deadline(deadline) => plain(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the metrics source did not answer within {deadline:?}\n"),
            ),
            Unanswered::Stopped => plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the metrics source's thread has stopped\n".to_owned(),
            ),
        }
    }
}

impl SourceThread {
    /// Starts the source's thread, which ends once every [`SourceThread`]
    /// handle is dropped and no call is in progress.
    fn start(source: impl Exposition, deadline: Duration) -> std::io::Result<Self> {
        let (calls, requests) = mpsc::channel::<(Format, watch::Sender<Option<Arc<Outcome>>>)>();
        let in_flight: Arc<Mutex<[Option<Flight>; 2]>> = Arc::new(Mutex::new([None, None]));
        let done = in_flight.clone();
        thread::Builder::new()
            .name("metrics-source".to_owned())
            .spawn(move || {
                for (format, result) in requests {
                    let outcome = Arc::new(call(&source, format));
                    // Scrapes arriving from now on start a new call; those
                    // already waiting get this one's outcome.
                    done.lock()[flight_index(format)] = None;
                    result.send_replace(Some(outcome));
                }
            })?;
        Ok(SourceThread {
            in_flight,
            calls,
            deadline,
        })
    }

    /// The outcome of the call in flight for `format`, or of a new call if
    /// none is, within the deadline.
    async fn outcome(&self, format: Format) -> Result<Arc<Outcome>, Unanswered> {
        let mut flight = {
            let mut in_flight = self.in_flight.lock();
            let in_flight = &mut in_flight[flight_index(format)];
            if let Some(flight) = &*in_flight {
                flight.clone()
            } else {
                let (result, flight) = watch::channel(None);
                self.calls
                    .send((format, result))
                    .map_err(|_| Unanswered::Stopped)?;
                *in_flight = Some(flight.clone());
                flight
            }
        };
        let waited = tokio::time::timeout(self.deadline, flight.wait_for(Option::is_some)).await;
        match waited {
            Ok(Ok(outcome)) => outcome.clone().ok_or(Unanswered::Stopped),
            Ok(Err(_closed)) => Err(Unanswered::Stopped),
            Err(_elapsed) => Err(Unanswered::Deadline(self.deadline)),
        }
    }
}

/// Where a format's call in flight is kept.
fn flight_index(format: Format) -> usize {
    match format {
        Format::Text => 0,
        Format::OpenMetrics => 1,
    }
}

/// `work`'s output, or `None` once the server is asked to stop (or its
/// [`Server`] is gone).
async fn until_stopped<F: Future>(
    stopped: &mut oneshot::Receiver<()>,
    work: F,
) -> Option<F::Output> {
    let mut work = std::pin::pin!(work);
    std::future::poll_fn(|cx| {
        if Pin::new(&mut *stopped).poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        work.as_mut().poll(cx).map(Some)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn text(outcome: &Outcome) -> &[u8] {
        match outcome {
            Outcome::Text(text, _) => text,
            other => panic!("expected text, got {other:?}"),
        }
    }

    /// Scrapes waiting together share the one call in flight; the next
    /// scrape after it returns starts another.
    #[test]
    fn waiting_scrapes_share_the_call_in_flight() {
        let calls = Arc::new(AtomicUsize::new(0));
        let (release, gate) = mpsc::channel::<()>();
        let gate = std::sync::Mutex::new(gate);
        let counted = calls.clone();
        let source = SourceThread::start(
            move || {
                let call = counted.fetch_add(1, Ordering::SeqCst) + 1;
                if call == 1 {
                    // The hang guard; the test releases it long before.
                    let _ = gate.lock().unwrap().recv_timeout(Duration::from_secs(60));
                }
                Ok(format!("call {call}\n"))
            },
            Duration::from_secs(60),
        )
        .expect("the source thread starts");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut first = std::pin::pin!(source.outcome(Format::Text));
            let mut second = std::pin::pin!(source.outcome(Format::Text));
            let mut third = std::pin::pin!(source.outcome(Format::Text));
            // Polled once, each has started or joined the call, which is
            // held until released.
            std::future::poll_fn(|cx| {
                assert!(first.as_mut().poll(cx).is_pending());
                assert!(second.as_mut().poll(cx).is_pending());
                assert!(third.as_mut().poll(cx).is_pending());
                Poll::Ready(())
            })
            .await;
            release.send(()).unwrap();
            for waiter in [first, second, third] {
                let outcome = waiter.await.expect("answered within 60 s");
                assert_eq!(text(&outcome), b"call 1\n");
            }
            assert_eq!(calls.load(Ordering::SeqCst), 1);
            let next = source.outcome(Format::Text).await.expect("answered");
            assert_eq!(text(&next), b"call 2\n");
            assert_eq!(calls.load(Ordering::SeqCst), 2);
        });
    }

    #[test]
    fn a_panic_is_caught_with_its_message() {
        let outcome = call(
            &|| -> Result<String, Error> {
                panic!("unit test source panic {}", 7);
            },
            Format::Text,
        );
        match outcome {
            Outcome::Panicked(message) => assert_eq!(message, "unit test source panic 7"),
            other => panic!("expected a caught panic, got {other:?}"),
        }
        assert!(!IN_SOURCE.with(Cell::get), "the flag is reset");
    }

    #[test]
    fn metrics_response_answers_a_panic_with_500_and_its_message() {
        let source = || -> Result<String, Error> { panic!("inline unit test panic") };
        let request = Request::get("/metrics").body(()).unwrap();
        let response = metrics_response(&source, &request);
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(http_body_util::BodyExt::collect(response.into_body()))
            .unwrap()
            .to_bytes();
        assert_eq!(
            &body[..],
            b"the metrics source panicked: inline unit test panic\n"
        );
    }

    #[test]
    fn each_distinct_panic_message_is_reported_once_and_at_most_64_remembered() {
        assert!(first_report("unit test message 0"));
        assert!(!first_report("unit test message 0"));
        assert!(!first_report("unit test message 0"));
        assert!(first_report("unit test message 1"));
        for i in 0..REMEMBERED_PANICS {
            assert!(first_report(&format!("unit test filler {i}")));
        }
        assert!(
            REPORTED_PANICS.lock().unwrap().len() <= REMEMBERED_PANICS,
            "bounded"
        );
        // Pushed out by the 64 since: reported again.
        assert!(first_report("unit test message 0"));
    }
}
