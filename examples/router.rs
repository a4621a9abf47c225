//! A simulated KV router recording into the three router metric groups and
//! serving the combined exposition.
//!
//! ```text
//! cargo run --example router                 # serve http://127.0.0.1:9095/metrics
//! cargo run --example router -- --port 9200  # another port (0: any free one)
//! cargo run --example router -- --once       # fixed-seed run, print the exposition, exit
//! cargo run --example router -- --instance-id 0x1f3a  # label component families worker_id="1f3a"
//! cargo run --example router -- --pools prefill,decode  # two routers (router_id seed, seed+1) in one process
//! ```
//!
//! Workers (decode and prefill, each with several data-parallel ranks) join
//! and leave; requests arrive with realistic prompt and output lengths, are
//! routed to the least-loaded decode rank, hold load while they run and
//! record time to first token, inter-token latency and the routing overhead
//! of each decision.

use std::collections::VecDeque;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use metric_group::scope::{DynamoLevels, Scope};
use metric_group::{ByFormat, Error, Format};
use metric_group_router::{
    RouterRequestMetrics, RoutingOverheadMetrics, WorkerLoadMetrics, WorkerType,
};

const DEFAULT_PORT: u16 = 9095;
const ONCE_REQUESTS: usize = 400;
const ONCE_SEED: u64 = 0x5eed;
const BLOCK_SIZE: usize = 16;
/// The first router's first worker id; each further router (`--pools`)
/// numbers its workers this many ids higher.
const FIRST_WORKER_ID: u64 = 1000;
const WORKER_IDS_PER_ROUTER: u64 = 1_000_000;

struct Options {
    port: u16,
    once: bool,
    seed: u64,
    /// The process' discovery instance id: without it the exposition has no
    /// instance label.
    instance_id: Option<u64>,
    /// One router per pool, each on the component named after its pool with
    /// its own `router_id`; empty: one router on component `backend`.
    pools: Vec<String>,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        port: DEFAULT_PORT,
        once: false,
        seed: ONCE_SEED,
        instance_id: None,
        pools: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--once" => options.once = true,
            "--port" => {
                let value = args.next().ok_or("--port needs a value")?;
                options.port = value
                    .parse()
                    .map_err(|_| format!("--port: `{value}` is not a port number"))?;
            }
            "--seed" => {
                let value = args.next().ok_or("--seed needs a value")?;
                options.seed = value
                    .parse()
                    .map_err(|_| format!("--seed: `{value}` is not a number"))?;
            }
            "--instance-id" => {
                let value = args.next().ok_or("--instance-id needs a value")?;
                options.instance_id = Some(parse_instance_id(&value).ok_or_else(|| {
                    format!("--instance-id: `{value}` is not a number (decimal or 0x-hex)")
                })?);
            }
            "--pools" => {
                let value = args.next().ok_or("--pools needs a value")?;
                options.pools = value.split(',').map(str::to_owned).collect();
            }
            "-h" | "--help" => {
                return Err(
                    "usage: router [--port PORT] [--once] [--seed N] [--instance-id ID] [--pools A,B]"
                        .to_owned(),
                );
            }
            other => return Err(format!("unknown argument `{other}`; try --help")),
        }
    }
    Ok(options)
}

fn parse_instance_id(value: &str) -> Option<u64> {
    match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => value.parse().ok(),
    }
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let result = if options.once {
        run_once(&options)
    } else {
        serve(&options)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("router: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The metrics the router records into, wired as in a frontend: the load and
/// overhead groups on the runtime's own registry, the request group on the
/// router's component.
struct RouterMetrics {
    runtime: Scope,
    load: Arc<WorkerLoadMetrics>,
    overhead: Arc<RoutingOverheadMetrics>,
    requests: Arc<RouterRequestMetrics>,
}

impl RouterMetrics {
    /// The metrics of the router with `router_id` on `component` of
    /// `runtime`: routers of one process share the load group and get their
    /// own overhead and request instances (one per `router_id`), all exposed
    /// in the same families.
    fn new(runtime: &Scope, component: &str, router_id: u64) -> Result<Self, Error> {
        let component = runtime.namespace("dynamo")?.component(component)?;
        Ok(RouterMetrics {
            load: WorkerLoadMetrics::init(runtime.registry())?,
            overhead: RoutingOverheadMetrics::init(runtime.registry(), router_id)?,
            // Created eagerly so every series shows zero before the first request.
            requests: RouterRequestMetrics::for_scope(&component, router_id)?,
            runtime: runtime.clone(),
        })
    }

    /// One router's metrics per pool (`router_id` = seed, seed + 1, ...), or
    /// a single router on component `backend` without pools.
    fn for_options(options: &Options) -> Result<Vec<Self>, Error> {
        // With an instance id, every family at component level and below is
        // labelled `worker_id="<id in hex>"`, as Dynamo's runtime does.
        let mut runtime = Scope::builder();
        if let Some(id) = options.instance_id {
            runtime = runtime.instance_id(id);
        }
        let runtime = runtime.build()?;
        if options.pools.is_empty() {
            return Ok(vec![Self::new(&runtime, "backend", options.seed)?]);
        }
        (0u64..)
            .zip(&options.pools)
            .map(|(index, pool)| Self::new(&runtime, pool, options.seed.wrapping_add(index)))
            .collect()
    }
}

/// The routers of `metrics`, each seeded by its router id and numbering its
/// workers from its own base so pools sharing the load group never share a
/// worker's series.
fn routers(metrics: &[RouterMetrics], seed: u64) -> Result<Vec<Router<'_>>, Error> {
    (0u64..)
        .zip(metrics)
        .map(|(index, metrics)| {
            Router::new(
                seed.wrapping_add(index),
                FIRST_WORKER_ID + index * WORKER_IDS_PER_ROUTER,
                metrics,
            )
        })
        .collect()
}

fn run_once(options: &Options) -> Result<(), Error> {
    let metrics = RouterMetrics::for_options(options)?;
    for mut router in routers(&metrics, options.seed)? {
        for _ in 0..ONCE_REQUESTS {
            router.step()?;
        }
    }
    // All routers share the runtime: one scrape shows them all.
    print!("{}", metrics[0].runtime.encode_text()?);
    Ok(())
}

fn serve(options: &Options) -> Result<(), Error> {
    let metrics = RouterMetrics::for_options(options)?;
    let runtime = metrics[0].runtime.clone();
    let scrapes = Arc::new(AtomicU64::new(0));
    let served = scrapes.clone();
    // Kept until `main` returns: dropping the server stops it.
    // In the format the scraper asks for: Prometheus asks for OpenMetrics.
    let server = metric_group::serve(
        ("127.0.0.1", options.port),
        ByFormat(move |format| {
            served.fetch_add(1, Ordering::Relaxed);
            match format {
                Format::Text => runtime.encode_text(),
                Format::OpenMetrics => runtime.encode_openmetrics(),
            }
        }),
    )?;
    println!(
        "serving metrics at http://127.0.0.1:{}/metrics (Ctrl-C to stop)",
        server.local_addr().port()
    );

    let mut routers = routers(&metrics, options.seed)?;
    let started = Instant::now();
    let mut last_report = Instant::now();
    loop {
        for router in &mut routers {
            router.step()?;
        }
        // About 200 requests a second per router, with jitter.
        thread::sleep(Duration::from_micros(2_500 + routers[0].rng.below(5_000)));
        if last_report.elapsed() >= Duration::from_millis(250) {
            last_report = Instant::now();
            eprint!(
                "\rrouted {} requests in {:.0}s | {} workers | {} in flight | {} scrapes   ",
                routers.iter().map(|r| r.routed).sum::<u64>(),
                started.elapsed().as_secs_f64(),
                routers.iter().map(|r| r.workers.len()).sum::<usize>(),
                routers.iter().map(|r| r.in_flight.len()).sum::<usize>(),
                scrapes.load(Ordering::Relaxed),
            );
        }
    }
}

/// One worker rank's load.
#[derive(Clone, Copy, Default)]
struct RankLoad {
    blocks: usize,
    tokens: usize,
}

struct Worker {
    id: u64,
    kind: WorkerType,
    ranks: Vec<RankLoad>,
}

/// A request holding load until it completes.
struct InFlight {
    worker: u64,
    rank: usize,
    /// The prefill worker and rank still holding the prompt, until the first step.
    prefill: Option<(u64, usize)>,
    blocks: usize,
    prompt_tokens: usize,
    output_tokens: usize,
    remaining_steps: u32,
    /// The request's simulated trace, recorded as the exemplar of its
    /// latencies.
    trace: TraceId,
}

/// A W3C trace id (32 hex digits), made up from the router and the
/// request's number.
#[derive(Clone, Copy)]
struct TraceId([u8; 32]);

impl TraceId {
    fn new(router: u64, request: u64) -> Self {
        let mut digits = [0u8; 32];
        let number = u128::from(router) << 64 | u128::from(request);
        for (i, digit) in digits.iter_mut().enumerate() {
            let nibble = (number >> (4 * (31 - i))) & 0xF;
            *digit = b"0123456789abcdef"[nibble as usize];
        }
        TraceId(digits)
    }

    fn as_str(&self) -> &str {
        // Hex digits only.
        std::str::from_utf8(&self.0).unwrap_or("0")
    }
}

struct Router<'m> {
    metrics: &'m RouterMetrics,
    rng: Rng,
    workers: Vec<Worker>,
    in_flight: VecDeque<InFlight>,
    next_worker_id: u64,
    routed: u64,
    /// Names this router in its requests' trace ids.
    trace_prefix: u64,
}

impl<'m> Router<'m> {
    fn new(seed: u64, first_worker_id: u64, metrics: &'m RouterMetrics) -> Result<Self, Error> {
        let mut router = Router {
            metrics,
            rng: Rng::new(seed),
            workers: Vec::new(),
            in_flight: VecDeque::new(),
            next_worker_id: first_worker_id,
            routed: 0,
            trace_prefix: first_worker_id,
        };
        for _ in 0..3 {
            router.add_worker(WorkerType::Decode, 2)?;
        }
        router.add_worker(WorkerType::Prefill, 4)?;
        router.add_worker(WorkerType::Prefill, 4)?;
        Ok(router)
    }

    fn add_worker(&mut self, kind: WorkerType, dp_size: usize) -> Result<(), Error> {
        let id = self.next_worker_id + self.rng.below(1000);
        self.next_worker_id += 1000;
        let worker = Worker {
            id,
            kind,
            ranks: vec![RankLoad::default(); dp_size],
        };
        for rank in 0..dp_size {
            self.metrics.load.observe(id, rank as u32, kind, 0, 0)?;
        }
        self.workers.push(worker);
        Ok(())
    }

    /// A decode worker leaves (its requests migrate: they are dropped here)
    /// and a new one joins.
    fn churn(&mut self) -> Result<(), Error> {
        let decode: Vec<usize> = (0..self.workers.len())
            .filter(|&i| self.workers[i].kind == WorkerType::Decode)
            .collect();
        if decode.len() > 1 {
            let leaving = self
                .workers
                .remove(decode[self.rng.below(decode.len() as u64) as usize]);
            for rank in 0..leaving.ranks.len() {
                self.metrics
                    .load
                    .remove(leaving.id, rank as u32, leaving.kind);
            }
            self.in_flight
                .retain(|request| request.worker != leaving.id);
        }
        self.add_worker(WorkerType::Decode, 2)
    }

    fn step(&mut self) -> Result<(), Error> {
        if self.routed > 0 && self.routed % 120 == 0 {
            self.churn()?;
        }
        // Requests routed earlier move on first, so the new one's prompt
        // stays queued at its prefill worker until the next step.
        self.advance()?;
        self.route_one()
    }

    fn route_one(&mut self) -> Result<(), Error> {
        let prompt_tokens = self
            .rng
            .log_normal(1500f64.ln(), 0.9)
            .clamp(16.0, 128_000.0) as usize;
        let output_tokens = self.rng.log_normal(250f64.ln(), 0.8).clamp(0.0, 32_000.0) as usize;
        let hit_rate = self.rng.normal(0.45, 0.22).clamp(0.0, 1.0);

        // Routing overhead: cumulative marks at the end of each phase.
        let blocks = prompt_tokens.div_ceil(BLOCK_SIZE);
        let hashed =
            Duration::from_nanos((blocks as f64 * self.rng.normal(180.0, 30.0).max(50.0)) as u64);
        let matched =
            hashed + Duration::from_nanos(self.rng.log_normal(25_000f64.ln(), 0.5) as u64);
        let seq_hashed =
            matched + Duration::from_nanos(self.rng.log_normal(4_000f64.ln(), 0.4) as u64);
        let scheduled = seq_hashed
            + Duration::from_nanos(
                (self.workers.len() as f64 * self.rng.log_normal(3_000f64.ln(), 0.3)) as u64,
            );
        self.metrics
            .overhead
            .observe(hashed, matched, seq_hashed, scheduled);

        // Least-loaded decode rank, and the least-loaded prefill worker.
        let (decode, rank) = self.least_loaded(WorkerType::Decode);
        let (prefill, prefill_rank) = self.least_loaded(WorkerType::Prefill);
        let new_tokens = (prompt_tokens as f64 * (1.0 - hit_rate)) as usize;
        let request = InFlight {
            worker: self.workers[decode].id,
            rank,
            prefill: Some((self.workers[prefill].id, prefill_rank)),
            blocks,
            prompt_tokens: new_tokens,
            output_tokens,
            remaining_steps: 1 + self.rng.below(12) as u32,
            trace: TraceId::new(self.trace_prefix, self.routed),
        };
        self.workers[decode].ranks[rank].blocks += blocks;
        self.workers[prefill].ranks[prefill_rank].tokens += new_tokens;
        self.publish(decode, rank)?;
        self.publish(prefill, prefill_rank)?;
        self.metrics.requests.record_routed(prompt_tokens, hit_rate);

        // Prefill time grows with the uncached part of the prompt.
        let queueing = self.rng.log_normal(0.015f64.ln(), 0.6);
        let ttft = queueing + new_tokens as f64 / 9_000.0;
        self.metrics
            .requests
            .record_first_token_traced(Duration::from_secs_f64(ttft), request.trace.as_str())?;
        self.in_flight.push_back(request);
        self.routed += 1;
        Ok(())
    }

    fn least_loaded(&self, kind: WorkerType) -> (usize, usize) {
        let mut best = (0, 0, usize::MAX);
        for (w, worker) in self
            .workers
            .iter()
            .enumerate()
            .filter(|(_, w)| w.kind == kind)
        {
            for (r, load) in worker.ranks.iter().enumerate() {
                let score = load.blocks + load.tokens;
                if score < best.2 {
                    best = (w, r, score);
                }
            }
        }
        (best.0, best.1)
    }

    fn publish(&self, worker: usize, rank: usize) -> Result<(), Error> {
        let w = &self.workers[worker];
        let load = w.ranks[rank];
        self.metrics
            .load
            .observe(w.id, rank as u32, w.kind, load.blocks, load.tokens)
    }

    /// Moves every request one step on; finished ones release their load.
    fn advance(&mut self) -> Result<(), Error> {
        let mut still_running = VecDeque::with_capacity(self.in_flight.len());
        while let Some(mut request) = self.in_flight.pop_front() {
            // Prefill tokens leave the prefill queue after the first step.
            if let Some((id, rank)) = request.prefill.take() {
                if let Some(p) = self.workers.iter().position(|w| w.id == id) {
                    let queued = &mut self.workers[p].ranks[rank].tokens;
                    *queued = queued.saturating_sub(request.prompt_tokens);
                    self.publish(p, rank)?;
                }
            }
            let itl = self.rng.normal(0.028, 0.007).max(0.003);
            self.metrics
                .requests
                .record_inter_token_traced(Duration::from_secs_f64(itl), request.trace.as_str())?;
            request.remaining_steps -= 1;
            if request.remaining_steps > 0 {
                still_running.push_back(request);
                continue;
            }
            if let Some(d) = self.workers.iter().position(|w| w.id == request.worker) {
                let held = &mut self.workers[d].ranks[request.rank].blocks;
                *held = held.saturating_sub(request.blocks);
                self.publish(d, request.rank)?;
            }
            self.metrics
                .requests
                .record_completed(request.output_tokens);
        }
        self.in_flight = still_running;
        Ok(())
    }
}

/// SplitMix64: small, seedable and good enough for a simulation.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }

    /// Uniform in (0, 1].
    fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    /// Box-Muller.
    fn normal(&mut self, mean: f64, std_dev: f64) -> f64 {
        let (u, v) = (self.unit(), self.unit());
        mean + std_dev * (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    fn log_normal(&mut self, mu: f64, sigma: f64) -> f64 {
        self.normal(mu, sigma).exp()
    }
}
