//! The `/metrics` endpoint (cargo feature `serve`): [`serve`] and
//! [`ServeOptions`] run a server on a thread of their own, for a service that
//! has no async runtime; [`metrics_response`] answers one request inside a
//! hyper or axum service that already has one. What they answer and how they
//! treat slow clients is on [`ServeOptions`].
//!
//! # Why hyper
//!
//! The server is hyper 1's HTTP/1 connection driver on a current-thread
//! tokio runtime, with hyper-util's tokio adapters. Each candidate's
//! dependency tree plus flate2 was built clean in a scratch crate
//! (`scripts/serve_build_cost.sh`: debug, timed inside the shared build
//! lock, three rounds on 2 shared cores, load 1.5–2.2):
//!
//! | stack | crates | clean build |
//! |---|---|---|
//! | hyper 1.12 + hyper-util 0.1.21 + tokio 1.54 (rt, net, time, sync) | 23 | 5.8 s, 7.3 s, 5.2 s |
//! | axum 0.8.9 (features tokio, http1) + tokio | 42 | 13.1 s, 14.7 s, 12.8 s |
//! | tiny_http 0.12 | 11 | 2.3 s, 2.3 s, 1.9 s |
//!
//! tiny_http is the cheapest, but it reads the request line into an
//! unbounded buffer (`read_next_line` in its `client.rs`), has no header-read
//! deadline and spends a thread per connection: the failures this module
//! exists to fix. axum is hyper underneath plus tower, a router and a
//! proc-macro (syn) — twice the build for routing one path — and
//! `axum::serve` (0.8.9, `serve/mod.rs`) gives hyper no timer, so there is no
//! header deadline, and offers no way to set one or the head limit. hyper
//! exposes both (`header_read_timeout`, `max_buf_size`), and axum users
//! already build it, so [`metrics_response`] costs them nothing.

use std::convert::Infallible;
use std::future::Future;
use std::io::Write;
use std::net::{SocketAddr, TcpListener as StdListener, ToSocketAddrs};
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::thread;
use std::time::Duration;

use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use http::header::{HeaderMap, ACCEPT_ENCODING, ALLOW, CONTENT_ENCODING, CONTENT_LENGTH};
use http::header::{CONTENT_TYPE as CONTENT_TYPE_HEADER, VARY};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{oneshot, Semaphore};

use crate::Error;

/// The content type of the text exposition format, version 0.0.4.
const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// What a scrape serves: the exposition text, produced anew for each scrape.
///
/// Implemented for a prometheus [`Registry`](prometheus::Registry) and for
/// any `Fn() -> Result<String, Error>`, such as
/// `move || scope.encode_text()`.
pub trait Exposition: Send + Sync + 'static {
    /// The text exposition of every metric to serve.
    ///
    /// # Errors
    ///
    /// When the metrics cannot be gathered or encoded; the scrape is then
    /// answered `500` with the error's text.
    fn exposition(&self) -> Result<String, Error>;
}

impl Exposition for prometheus::Registry {
    fn exposition(&self) -> Result<String, Error> {
        crate::encode(self)
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

/// The answer to one request for the metrics, for a route of an existing
/// hyper or axum service (the caller has matched the path).
///
/// `GET` and `HEAD` get the exposition (gzipped when `Accept-Encoding`
/// allows it; `HEAD` with its length and no body), other methods `405`, a
/// failing source `500`.
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
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{method} is not allowed; scrape with GET or HEAD\n"),
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let text = match source.exposition() {
        Ok(text) => text,
        Err(error) => return plain(StatusCode::INTERNAL_SERVER_ERROR, format!("{error}\n")),
    };
    let gzipped = if accepts_gzip(request.headers()) {
        gzip(text.as_bytes())
    } else {
        None
    };
    let gzip_used = gzipped.is_some();
    let body = gzipped.map_or_else(|| Bytes::from(text), Bytes::from);
    let length = body.len();
    let head = method == Method::HEAD;
    let mut response = Response::new(Full::new(if head { Bytes::new() } else { body }));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE_HEADER, HeaderValue::from_static(CONTENT_TYPE));
    headers.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
    if gzip_used {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    response
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
/// keeps its connection, and one of the 1024, until it goes away. The source
/// runs on the server's thread, so a slow source delays other connections.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    path: String,
    header_read_timeout: Duration,
    max_request_head: usize,
    max_connections: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            path: "/metrics".to_owned(),
            header_read_timeout: Duration::from_secs(10),
            max_request_head: 16 * 1024,
            max_connections: 1024,
        }
    }
}

/// hyper refuses a smaller read buffer.
const MIN_REQUEST_HEAD: usize = 8192;

impl ServeOptions {
    /// The path scrapes are answered on; `/metrics` by default. A missing
    /// leading `/` is added.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        if !self.path.starts_with('/') {
            self.path.insert(0, '/');
        }
        self
    }

    /// How long a client has to send a whole request head (and how long a
    /// keep-alive connection may sit idle); 10 s by default.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// The largest request head, in bytes, buffered before the request is
    /// refused with `431`; 16 KiB by default, at least 8 KiB.
    pub fn max_request_head(mut self, bytes: usize) -> Self {
        self.max_request_head = bytes.max(MIN_REQUEST_HEAD);
        self
    }

    /// How many connections are served at once; 1024 by default, at least 1.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.clamp(1, Semaphore::MAX_PERMITS);
        self
    }

    /// Listens on `address` and answers scrapes from `source` on a thread of
    /// its own until the returned [`Server`] is shut down or dropped.
    ///
    /// # Errors
    ///
    /// [`Error::Serve`] when the address cannot be listened on (in use, not
    /// local, not permitted) or the thread cannot start.
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
/// [`Error::Serve`] when the address cannot be listened on or the thread
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
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops listening, closes every open connection (a scrape in progress
    /// gets no answer) and waits for the server's thread to end.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        if let Some(stop) = self.stop.take() {
            // An error means the server has already stopped.
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // The thread only panics if the source does; there is nothing
            // more to stop.
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
    source: Arc<dyn Exposition>,
    path: Arc<str>,
    connection: Arc<http1::Builder>,
    permits: Arc<Semaphore>,
}

impl Accept {
    async fn run(self, mut stopped: oneshot::Receiver<()>) {
        loop {
            let permit =
                match until_stopped(&mut stopped, self.permits.clone().acquire_owned()).await {
                    Some(Ok(permit)) => permit,
                    // The semaphore is never closed; stopping is the only way out.
                    Some(Err(_)) | None => return,
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
                    let response = if request.uri().path() == &*path {
                        metrics_response(&*source, &request)
                    } else {
                        plain(
                            StatusCode::NOT_FOUND,
                            format!("not found; the metrics are at {path}\n"),
                        )
                    };
                    std::future::ready(Ok::<_, Infallible>(response))
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
