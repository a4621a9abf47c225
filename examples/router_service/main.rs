//! An LLM router service with a prefill router and a decode router in one
//! process, recording into the nine metric groups of `metrics.rs` and
//! serving one exposition for both.
//!
//! ```text
//! cargo run --example router_service                 # serve http://127.0.0.1:9096/metrics
//! cargo run --example router_service -- --port 9200  # another port (0: any free one)
//! cargo run --example router_service -- --once       # fixed-seed run, print the exposition, exit
//! cargo run --example router_service -- --model-metrics-prefix serving_model  # configured at start-up
//! ROUTER_METRICS_PREFIX=llm_router cargo run --example router_service  # the service prefix
//! ```
//!
//! Requests for two models arrive at each router, are checked against the
//! request limit and the queue limits (backpressure), wait in the scheduler
//! queue, are dispatched to the least-loaded worker rank of the router's pool
//! and stream tokens until they complete or are cancelled; decode workers
//! churn and fail health checks now and then.

mod metrics;

use std::collections::VecDeque;
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use metric_group::prometheus::Registry;
use metric_group::Error;

use metrics::{
    PolicyClass, RouterMetrics, SchedulerQueueMetricsHandles, SharedMetrics, Status, WorkerEvent,
    WorkerLabels, WorkerType,
};

const DEFAULT_PORT: u16 = 9096;
const ONCE_STEPS: u32 = 300;
const SEED: u64 = 0x5eed;
/// Simulated time per step.
const STEP_SECONDS: f64 = 0.01;
const MODELS: [&str; 2] = ["llama-3-8b", "mistral-7b"];
const POLICIES: [PolicyClass; 2] = [PolicyClass::Interactive, PolicyClass::Batch];
/// The two routers of the process: `router_id` and the pool each routes to.
const ROUTERS: [(&str, WorkerType); 2] = [
    ("prefill", WorkerType::Prefill),
    ("decode", WorkerType::Decode),
];
/// Requests a router serves at once before refusing with `request_limit`.
const REQUEST_LIMIT: usize = 30;
/// Requests waiting per (model, policy class) before `queue_full`.
const QUEUE_LIMIT: i64 = 6;
/// KV blocks a worker rank holds before it counts as overloaded.
const RANK_CAPACITY: usize = 400;
const DP_SIZE: u32 = 2;
/// What a refusal at the frontend takes, seconds.
const REFUSAL_SECONDS: f64 = 0.001;
/// What dispatching a request takes beyond its wait for a step, seconds.
const DISPATCH_SECONDS: f64 = 0.0004;
/// Longer prompts are truncated: the longest fits on an idle rank.
const MAX_PROMPT_TOKENS: f64 = 4_000.0;

struct Options {
    once: bool,
    port: u16,
    /// The model-loading group's prefix, from the service's configuration.
    model_metrics_prefix: String,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        once: false,
        port: DEFAULT_PORT,
        model_metrics_prefix: metrics::names::MODEL.to_owned(),
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
            "--model-metrics-prefix" => {
                options.model_metrics_prefix =
                    args.next().ok_or("--model-metrics-prefix needs a value")?;
            }
            _ => {
                return Err(
                    "usage: router_service [--once] [--port PORT] [--model-metrics-prefix P]"
                        .to_owned(),
                )
            }
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match if options.once {
        run_once(&options)
    } else {
        serve(&options)
    } {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("router_service: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run_once(options: &Options) -> Result<(), Error> {
    let registry = Registry::new();
    let mut service = Service::start(&registry, options)?;
    for _ in 0..ONCE_STEPS {
        service.step()?;
    }
    print!("{}", metric_group::encode_text(&registry.gather())?);
    Ok(())
}

fn serve(options: &Options) -> Result<(), Error> {
    let registry = Registry::new();
    let mut service = Service::start(&registry, options)?;
    // Kept until `serve` returns: dropping the server stops it.
    let server = metric_group::serve(("127.0.0.1", options.port), registry.clone())?;
    println!(
        "serving metrics at http://127.0.0.1:{}/metrics (Ctrl-C to stop)",
        server.local_addr().port()
    );
    loop {
        service.step()?;
        thread::sleep(Duration::from_secs_f64(STEP_SECONDS));
    }
}

/// The process: the shared groups and one router per pool.
struct Service {
    shared: SharedMetrics,
    routers: Vec<Router>,
    rng: Rng,
    steps: u64,
}

impl Service {
    fn start(registry: &Registry, options: &Options) -> Result<Self, Error> {
        let shared = SharedMetrics::init(registry, &options.model_metrics_prefix)?;
        let mut rng = Rng(SEED);
        load_models(&shared, &mut rng)?;
        let mut routers = Vec::new();
        for (index, (router_id, pool)) in (0u64..).zip(ROUTERS) {
            let metrics = RouterMetrics::init(registry, router_id)?;
            routers.push(Router::new(
                metrics,
                pool,
                1_000 * (index + 1),
                &shared,
                &mut rng,
            )?);
        }
        Ok(Service {
            shared,
            routers,
            rng,
            steps: 0,
        })
    }

    fn step(&mut self) -> Result<(), Error> {
        self.steps += 1;
        for router in &mut self.routers {
            router.step(&self.shared, &mut self.rng, self.steps)?;
        }
        Ok(())
    }
}

/// Every model is loaded on the workers at start-up; one load fails and is
/// retried.
fn load_models(shared: &SharedMetrics, rng: &mut Rng) -> Result<(), Error> {
    let models = shared.models.clone();
    models.inc_load_failures(MODELS[1])?;
    for model in MODELS {
        models.observe_load_duration(model, rng.log_normal(20f64.ln(), 0.4))?;
    }
    models.loaded.set(MODELS.len() as i64);
    Ok(())
}

/// One data-parallel rank's load.
#[derive(Clone, Copy, Default)]
struct RankLoad {
    blocks: usize,
    prefill_tokens: usize,
}

struct Worker {
    id: u64,
    ranks: Vec<RankLoad>,
}

struct Queued {
    model: usize,
    policy: usize,
    prompt_tokens: usize,
    arrived: u64,
}

struct Running {
    model: usize,
    worker: u64,
    rank: u32,
    blocks: usize,
    /// Uncached prompt tokens still queued for prefill, until the first step.
    prefill_tokens: usize,
    tokens_per_step: u64,
    remaining_steps: u32,
    arrived: u64,
}

struct Router {
    metrics: RouterMetrics,
    pool: WorkerType,
    /// Scheduler-queue handles per (model, policy class), resolved once.
    queues: Vec<SchedulerQueueMetricsHandles>,
    queued: VecDeque<Queued>,
    running: Vec<Running>,
    workers: Vec<Worker>,
    next_worker_id: u64,
}

impl Router {
    fn new(
        metrics: RouterMetrics,
        pool: WorkerType,
        first_worker_id: u64,
        shared: &SharedMetrics,
        rng: &mut Rng,
    ) -> Result<Self, Error> {
        let mut queues = Vec::new();
        for model in MODELS {
            for policy in POLICIES {
                queues.push(metrics.scheduler.bind(model, pool, policy)?);
            }
        }
        let mut router = Router {
            metrics,
            pool,
            queues,
            queued: VecDeque::new(),
            running: Vec::new(),
            workers: Vec::new(),
            next_worker_id: first_worker_id,
        };
        for _ in 0..3 {
            router.add_worker(shared, rng)?;
        }
        Ok(router)
    }

    fn queue(&self, model: usize, policy: usize) -> &SchedulerQueueMetricsHandles {
        &self.queues[model * POLICIES.len() + policy]
    }

    fn labels(&self, worker: u64, rank: u32) -> WorkerLabels {
        WorkerLabels {
            worker_id: worker,
            dp_rank: rank,
            worker_type: self.pool,
        }
    }

    fn add_worker(&mut self, shared: &SharedMetrics, rng: &mut Rng) -> Result<(), Error> {
        let id = self.next_worker_id + rng.below(10);
        self.next_worker_id += 10;
        shared.discovery.joined(id, self.pool)?;
        self.workers.push(Worker {
            id,
            ranks: vec![RankLoad::default(); DP_SIZE as usize],
        });
        for rank in 0..DP_SIZE {
            self.publish(shared, self.workers.len() - 1, rank)?;
        }
        Ok(())
    }

    /// Publishes the load of rank `rank` of the worker at `index`.
    fn publish(&self, shared: &SharedMetrics, index: usize, rank: u32) -> Result<(), Error> {
        let worker = &self.workers[index];
        let load = worker.ranks[rank as usize];
        let labels = self.labels(worker.id, rank);
        shared.load.set_active_blocks(&labels, load.blocks as i64)?;
        shared
            .load
            .set_queued_prefill_tokens(&labels, load.prefill_tokens as i64)
    }

    fn step(&mut self, shared: &SharedMetrics, rng: &mut Rng, now: u64) -> Result<(), Error> {
        if now % 100 == 0 {
            self.churn(shared, rng)?;
        }
        if rng.below(40) == 0 {
            shared
                .discovery
                .inc_events(self.pool, WorkerEvent::HealthCheckFailed)?;
        }
        for _ in 0..rng.below(4) {
            self.arrive(rng, now)?;
        }
        self.dispatch(shared, rng, now)?;
        self.advance(shared, rng, now)
    }

    /// The oldest worker leaves (its requests are dropped) and a new one joins.
    fn churn(&mut self, shared: &SharedMetrics, rng: &mut Rng) -> Result<(), Error> {
        let leaving = self.workers.remove(0);
        shared.discovery.left(leaving.id)?;
        let of_leaving = |labels: &WorkerLabels| labels.worker_id == leaving.id;
        shared.load.active_blocks.remove_where(of_leaving);
        shared.load.queued_prefill_tokens.remove_where(of_leaving);
        self.metrics
            .streaming
            .generated_tokens
            .remove_where(of_leaving);
        for request in self.running.iter().filter(|r| r.worker == leaving.id) {
            self.metrics.frontend.http.inc_requests(
                MODELS[request.model],
                "chat",
                Status::Cancelled,
            )?;
            self.metrics
                .frontend
                .inflight_with_labels(MODELS[request.model])?
                .dec();
        }
        self.running.retain(|request| request.worker != leaving.id);
        self.add_worker(shared, rng)
    }

    fn arrive(&mut self, rng: &mut Rng, now: u64) -> Result<(), Error> {
        let model = rng.below(MODELS.len() as u64) as usize;
        let policy = usize::from(rng.below(4) == 0);
        let name = MODELS[model];
        let frontend = self.metrics.frontend.clone();
        let prompt_tokens = rng
            .log_normal(1200f64.ln(), 0.9)
            .clamp(16.0, MAX_PROMPT_TOKENS) as usize;

        // Backpressure before the request is queued.
        let backpressure = self.metrics.backpressure.clone();
        if self.queued.len() + self.running.len() >= REQUEST_LIMIT {
            backpressure.inc_request_limit(name, self.pool)?;
        } else if POLICIES[policy] == PolicyClass::Batch && rng.below(20) == 0 {
            backpressure.inc_do_not_queue(name, self.pool)?;
        } else if self.queue(model, policy).depth.get() >= QUEUE_LIMIT {
            backpressure.inc_queue_full(name, self.pool)?;
        } else {
            frontend.inflight_with_labels(name)?.inc();
            let queue = self.queue(model, policy);
            queue.enqueued.inc();
            queue.depth.inc();
            self.queued.push_back(Queued {
                model,
                policy,
                prompt_tokens,
                arrived: now,
            });
            return Ok(());
        }
        frontend.http.inc_requests(name, "chat", Status::Rejected)?;
        frontend
            .http
            .observe_request_duration(name, REFUSAL_SECONDS)?;
        Ok(())
    }

    fn dispatch(&mut self, shared: &SharedMetrics, rng: &mut Rng, now: u64) -> Result<(), Error> {
        // The scheduler dispatches up to four requests a step, a little more
        // than arrive on average: the queues fill and drain.
        for _ in 0..rng.below(5) {
            let Some(request) = self.queued.front() else {
                break;
            };
            let (worker, rank) = self.least_loaded();
            let blocks = request.prompt_tokens.div_ceil(metrics::BLOCK_SIZE);
            if self.workers[worker].ranks[rank].blocks + blocks > RANK_CAPACITY {
                let model = MODELS[request.model];
                self.metrics
                    .backpressure
                    .inc_worker_overloaded(model, self.pool)?;
                break;
            }
            let Some(request) = self.queued.pop_front() else {
                break;
            };
            let name = MODELS[request.model];
            let queue = self.queue(request.model, request.policy);
            queue.dispatched.inc();
            queue.depth.dec();
            queue
                .wait
                .observe((now - request.arrived) as f64 * STEP_SECONDS + DISPATCH_SECONDS);

            // Routing: prefix lookup, then the decision's overhead.
            let kv = shared.kv_cache.clone();
            let hit_ratio = rng.normal(0.45, 0.2).clamp(0.0, 1.0);
            let hit_blocks = (blocks as f64 * hit_ratio) as u64;
            kv.inc_lookups(name)?;
            kv.hit_blocks_with_labels(name)?.inc_by(hit_blocks);
            kv.observe_hit_ratio(name, hit_ratio)?;
            kv.prompt_tokens.observe(request.prompt_tokens as f64);
            kv.indexed_blocks.add(blocks as i64 - hit_blocks as i64);
            let overhead = self.metrics.overhead.clone();
            let hashing = Duration::from_nanos(blocks as u64 * 180);
            let matching = Duration::from_nanos(rng.log_normal(25_000f64.ln(), 0.5) as u64);
            let scheduling = Duration::from_nanos(rng.log_normal(3_000f64.ln(), 0.3) as u64);
            overhead.observe_block_hashing(hashing)?;
            overhead.observe_find_matches(matching)?;
            overhead.observe_scheduling(scheduling)?;
            overhead.observe_total(hashing + matching + scheduling)?;

            let worker_id = self.workers[worker].id;
            let prefill_tokens = request
                .prompt_tokens
                .saturating_sub(hit_blocks as usize * metrics::BLOCK_SIZE);
            let load = &mut self.workers[worker].ranks[rank];
            load.blocks += blocks;
            load.prefill_tokens += prefill_tokens;
            self.publish(shared, worker, rank as u32)?;
            let ttft = rng.log_normal(0.02f64.ln(), 0.5) + request.prompt_tokens as f64 / 9_000.0;
            self.metrics
                .streaming
                .observe_time_to_first_token(name, ttft)?;
            self.running.push(Running {
                model: request.model,
                worker: worker_id,
                rank: rank as u32,
                blocks,
                prefill_tokens,
                tokens_per_step: 2 + rng.below(6),
                remaining_steps: 1 + rng.below(30) as u32,
                arrived: request.arrived,
            });
        }
        Ok(())
    }

    fn least_loaded(&self) -> (usize, usize) {
        let mut best = (0, 0, usize::MAX);
        for (w, worker) in self.workers.iter().enumerate() {
            for (r, load) in worker.ranks.iter().enumerate() {
                if load.blocks < best.2 {
                    best = (w, r, load.blocks);
                }
            }
        }
        (best.0, best.1)
    }

    /// Every running request streams one step of tokens; finished or
    /// cancelled ones release their blocks.
    fn advance(&mut self, shared: &SharedMetrics, rng: &mut Rng, now: u64) -> Result<(), Error> {
        let mut still_running = Vec::with_capacity(self.running.len());
        for mut request in std::mem::take(&mut self.running) {
            let name = MODELS[request.model];
            let labels = self.labels(request.worker, request.rank);
            self.metrics
                .streaming
                .generated_tokens
                .get_or_create(&labels)?
                .inc_by(request.tokens_per_step);
            self.metrics
                .streaming
                .observe_inter_token_latency(name, rng.normal(0.028, 0.006).max(0.003))?;
            request.remaining_steps -= 1;
            let cancelled = rng.below(200) == 0;
            let done = request.remaining_steps == 0 || cancelled;
            // Prefill is over after the first step; blocks are held until done.
            if let Some(index) = self.workers.iter().position(|w| w.id == request.worker) {
                let load = &mut self.workers[index].ranks[request.rank as usize];
                load.prefill_tokens -= std::mem::take(&mut request.prefill_tokens);
                if done {
                    load.blocks -= request.blocks;
                }
                self.publish(shared, index, request.rank)?;
            }
            if !done {
                still_running.push(request);
                continue;
            }
            let frontend = self.metrics.frontend.clone();
            let status = if cancelled {
                Status::Cancelled
            } else {
                Status::Ok
            };
            frontend.http.inc_requests(name, "chat", status)?;
            frontend.http.observe_request_duration(
                name,
                (now - request.arrived + 1) as f64 * STEP_SECONDS,
            )?;
            frontend.inflight_with_labels(name)?.dec();
        }
        self.running = still_running;
        Ok(())
    }
}

/// SplitMix64: small, seedable and good enough for a simulation.
struct Rng(u64);

impl Rng {
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
