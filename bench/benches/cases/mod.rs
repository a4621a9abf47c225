//! One labelled gauge family, `{worker_id: u64, dp_rank: u32, worker_type}`,
//! and one histogram labelled by a 4-variant enum, written with every peer:
//!
//! | peer | gauge | histogram |
//! |---|---|---|
//! | `handwritten` | prometheus `IntGaugeVec`, ids formatted per call | `HistogramVec` |
//! | `static_metric` | prometheus-static-metric over an `IntGaugeVec` | over a `HistogramVec` |
//! | `measured` | `GaugeVec`, ids in dynamic label sets | `HistogramVec`, fixed set |
//! | `prometheus_client` | `Family<LabelSet, Gauge>` | `Family<LabelSet, Histogram>` |
//! | `metrics` | metrics-exporter-prometheus' recorder | the same |
//! | `metric_group` | `Family<WorkerLabels, IntGauge>` in a `MetricGroup` | `Family<PhaseLabels, Histogram>` |
//! | `floor_hashed` | `hashbrown::HashTable` of `AtomicI64`, no lock | — |
//! | `floor_direct` | an array indexed by the label set, no lock | an array of atomic histograms |
//!
//! `benches/peer_cases.rs` times the cases, `examples/instruction_counts.rs`
//! counts their instructions and allocations (`<case> <peer> <runs>`),
//! `scripts/peer_counts.py` runs both into one table (bench/BASELINE.md).
//!
//! The metric-group side uses public names only: the generated
//! `set_load`/`load_with_labels`/`remove_load`/`observe_phase` helpers and
//! `metric_group::encode`.

use std::fmt::Write as _;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

use metric_group::prometheus::{
    Histogram, HistogramOpts, HistogramVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};
use metric_group::{Family, LabelSet, LabelValue, MetricGroup};
use metric_group_router::{WorkerLabels, WorkerType};

pub const GAUGE_NAME: &str = "peer_worker_load";
pub const GAUGE_HELP: &str = "Active load per worker rank";
pub const HISTOGRAM_NAME: &str = "peer_phase_seconds";
pub const HISTOGRAM_HELP: &str = "Time spent per phase";
const LABELS: [&str; 3] = ["worker_id", "dp_rank", "worker_type"];
/// `exponential(0.0005, 2.0, 12)`, as the metric-group field declares.
pub const BOUNDS: [f64; 12] = [
    0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024,
];

/// Every peer, in table order.
pub const PEERS: [&str; 9] = [
    "handwritten",
    "static_metric",
    "measured",
    "prometheus_client",
    "metrics",
    "metric_group",
    "metric_group_expiring",
    "floor_hashed",
    "floor_direct",
];

/// The `i`-th of the 64 warm label sets (cycled by `i & 63`): 16 worker ids
/// x 2 data-parallel ranks x 2 worker types.
#[inline]
pub fn warm(i: u64) -> WorkerLabels {
    WorkerLabels {
        worker_id: 1000 + (i & 15),
        dp_rank: ((i >> 4) & 1) as u32,
        worker_type: worker_type((i >> 5) & 1),
    }
}

/// The `i`-th series of the scrape, memory and create cases: four per worker
/// id (2 ranks x 2 types), ids counting up from 0.
#[inline]
pub fn series(i: u64) -> WorkerLabels {
    WorkerLabels {
        worker_id: i >> 2,
        dp_rank: ((i >> 1) & 1) as u32,
        worker_type: worker_type(i & 1),
    }
}

#[inline]
fn worker_type(bit: u64) -> WorkerType {
    if bit == 0 {
        WorkerType::Decode
    } else {
        WorkerType::Prefill
    }
}

/// The phase label of the histogram case: 4 variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "snake_case")]
pub enum Phase {
    Prefill,
    Decode,
    KvTransfer,
    Queue,
}

impl Phase {
    /// The `i`-th phase, cycling.
    #[inline]
    pub fn nth(i: u64) -> Phase {
        [
            Phase::Prefill,
            Phase::Decode,
            Phase::KvTransfer,
            Phase::Queue,
        ][(i & 3) as usize]
    }
}

/// An observation of the histogram case: spread over the buckets.
#[inline]
pub fn observation(i: u64) -> f64 {
    ((i.wrapping_mul(2_654_435_761) >> 7) & 2047) as f64 * 0.0005
}

/// What a gauge peer does. A peer that cannot run a case says why in
/// `DYNAMIC` / `REMOVE`; the runners skip it with that reason.
pub trait Peer: Send + Sync + Sized + 'static {
    /// Series created at run time (scrape, memory, create cases).
    const DYNAMIC: Result<(), &'static str> = Ok(());
    /// Series removed at run time (create + remove case).
    const REMOVE: Result<(), &'static str> = Ok(());
    /// A series resolved once, updated many times.
    type Handle<'a>: Send + Sync
    where
        Self: 'a;
    fn new() -> Self;
    /// Resolves the series of `labels` and sets it: what a caller holding
    /// only the label values does.
    fn set(&self, labels: &WorkerLabels, value: i64);
    fn handle(&self, labels: &WorkerLabels) -> Self::Handle<'_>;
    fn set_handle(&self, handle: &Self::Handle<'_>, value: i64);
    /// Creates the series of `labels` (absent before) with `value`.
    fn create(&mut self, labels: &WorkerLabels, value: i64) {
        self.set(labels, value);
    }
    fn remove(&mut self, _labels: &WorkerLabels) {
        unreachable!("REMOVE is Err")
    }
    /// One scrape: the exposition's length.
    fn scrape(&self) -> usize {
        unreachable!("DYNAMIC is Err")
    }
}

/// What a histogram peer does.
pub trait HistogramPeer: Send + Sync + Sized + 'static {
    fn new() -> Self;
    fn observe(&self, phase: Phase, value: f64);
}

/// A generic job run for one peer, picked by name ([`with_peer`]).
pub trait PeerFn {
    type Out;
    fn call<P: Peer, H: HistogramPeer>(self, name: &'static str) -> Self::Out;
}

/// Runs `f` with the types of the peer called `name`.
pub fn with_peer<F: PeerFn>(name: &str, f: F) -> Option<F::Out> {
    Some(match name {
        "handwritten" => f.call::<Handwritten, HandwrittenHistogram>("handwritten"),
        "static_metric" => f.call::<StaticMetric, StaticMetricHistogram>("static_metric"),
        "measured" => f.call::<Measured, MeasuredHistogram>("measured"),
        "prometheus_client" => {
            f.call::<PrometheusClient, PrometheusClientHistogram>("prometheus_client")
        }
        "metrics" => f.call::<Metrics, MetricsHistogram>("metrics"),
        "metric_group" => f.call::<MetricGroupPeer, MetricGroupHistogram>("metric_group"),
        "metric_group_expiring" => {
            f.call::<MetricGroupExpiring, MetricGroupExpiringHistogram>("metric_group_expiring")
        }
        "floor_hashed" => f.call::<FloorHashed, NoHistogram>("floor_hashed"),
        "floor_direct" => f.call::<FloorDirect, FloorDirectHistogram>("floor_direct"),
        _ => return None,
    })
}

/// Why a peer has no histogram of its own in the histogram case.
pub fn histogram_skipped(name: &str) -> Option<&'static str> {
    (name == "floor_hashed")
        .then_some("one enum label: the direct floor (an array indexed by the enum) is the floor")
}

// ---------------------------------------------------------------- handwritten

/// prometheus by hand, as the router did before the derive: label values
/// formatted into `String`s on every call, `with_label_values` per lookup.
pub struct Handwritten {
    vec: IntGaugeVec,
    registry: Registry,
}

impl Handwritten {
    fn values<R>(labels: &WorkerLabels, f: impl FnOnce(&[&str; 3]) -> R) -> R {
        let worker_id = labels.worker_id.to_string();
        let dp_rank = labels.dp_rank.to_string();
        f(&[&worker_id, &dp_rank, labels.worker_type.as_str()])
    }
}

impl Peer for Handwritten {
    type Handle<'a> = IntGauge;

    fn new() -> Self {
        let vec = IntGaugeVec::new(Opts::new(GAUGE_NAME, GAUGE_HELP), &LABELS).expect("valid");
        let registry = Registry::new();
        registry.register(Box::new(vec.clone())).expect("registers");
        Handwritten { vec, registry }
    }

    #[inline]
    fn set(&self, labels: &WorkerLabels, value: i64) {
        Self::values(labels, |values| {
            self.vec.with_label_values(values).set(value)
        });
    }

    fn handle(&self, labels: &WorkerLabels) -> IntGauge {
        Self::values(labels, |values| self.vec.with_label_values(values))
    }

    #[inline]
    fn set_handle(&self, handle: &IntGauge, value: i64) {
        handle.set(value);
    }

    fn remove(&mut self, labels: &WorkerLabels) {
        let _ = Self::values(labels, |values| self.vec.remove_label_values(values));
    }

    fn scrape(&self) -> usize {
        TextEncoder::new()
            .encode_to_string(&self.registry.gather())
            .expect("encodes")
            .len()
    }
}

pub struct HandwrittenHistogram {
    vec: HistogramVec,
}

impl HistogramPeer for HandwrittenHistogram {
    fn new() -> Self {
        let opts = HistogramOpts::new(HISTOGRAM_NAME, HISTOGRAM_HELP).buckets(BOUNDS.to_vec());
        HandwrittenHistogram {
            vec: HistogramVec::new(opts, &["phase"]).expect("valid"),
        }
    }

    #[inline]
    fn observe(&self, phase: Phase, value: f64) {
        self.vec.with_label_values(&[phase.as_str()]).observe(value);
    }
}

// -------------------------------------------------------------- static_metric

mod static_metric {
    use prometheus_static_metric::make_static_metric;

    make_static_metric! {
        pub label_enum SmWorkerType { decode, prefill }
        pub label_enum SmRank { r0: "0", r1: "1" }
        pub label_enum SmWorker {
            w1000: "1000", w1001: "1001", w1002: "1002", w1003: "1003",
            w1004: "1004", w1005: "1005", w1006: "1006", w1007: "1007",
            w1008: "1008", w1009: "1009", w1010: "1010", w1011: "1011",
            w1012: "1012", w1013: "1013", w1014: "1014", w1015: "1015",
        }
        pub struct SmGauges: IntGauge {
            "worker_id" => SmWorker,
            "dp_rank" => SmRank,
            "worker_type" => SmWorkerType,
        }
        pub label_enum SmPhase { prefill, decode, kv_transfer, queue }
        pub struct SmPhaseHistograms: Histogram {
            "phase" => SmPhase,
        }
    }

    pub const WORKERS: [SmWorker; 16] = [
        SmWorker::w1000,
        SmWorker::w1001,
        SmWorker::w1002,
        SmWorker::w1003,
        SmWorker::w1004,
        SmWorker::w1005,
        SmWorker::w1006,
        SmWorker::w1007,
        SmWorker::w1008,
        SmWorker::w1009,
        SmWorker::w1010,
        SmWorker::w1011,
        SmWorker::w1012,
        SmWorker::w1013,
        SmWorker::w1014,
        SmWorker::w1015,
    ];
}

/// prometheus-static-metric: every label value is a field fixed at compile
/// time, so it is given the 16 warm worker ids up front (its best case).
pub struct StaticMetric {
    gauges: static_metric::SmGauges,
}

impl StaticMetric {
    #[inline]
    fn gauge(&self, labels: &WorkerLabels) -> &IntGauge {
        use static_metric::{SmRank, SmWorkerType, WORKERS};
        let worker = WORKERS[(labels.worker_id - 1000) as usize];
        let rank = if labels.dp_rank == 0 {
            SmRank::r0
        } else {
            SmRank::r1
        };
        let kind = match labels.worker_type {
            WorkerType::Decode => SmWorkerType::decode,
            WorkerType::Prefill => SmWorkerType::prefill,
        };
        self.gauges.get(worker).get(rank).get(kind)
    }
}

impl Peer for StaticMetric {
    const DYNAMIC: Result<(), &'static str> = Err("label values are enum variants fixed at compile time: no series for a worker id learned at run time (its scrape is the underlying IntGaugeVec's, i.e. handwritten's)");
    const REMOVE: Result<(), &'static str> = Self::DYNAMIC;
    type Handle<'a> = IntGauge;

    fn new() -> Self {
        let vec = IntGaugeVec::new(Opts::new(GAUGE_NAME, GAUGE_HELP), &LABELS).expect("valid");
        StaticMetric {
            gauges: static_metric::SmGauges::from(&vec),
        }
    }

    #[inline]
    fn set(&self, labels: &WorkerLabels, value: i64) {
        self.gauge(labels).set(value);
    }

    fn handle(&self, labels: &WorkerLabels) -> IntGauge {
        self.gauge(labels).clone()
    }

    #[inline]
    fn set_handle(&self, handle: &IntGauge, value: i64) {
        handle.set(value);
    }
}

pub struct StaticMetricHistogram {
    histograms: static_metric::SmPhaseHistograms,
}

impl HistogramPeer for StaticMetricHistogram {
    fn new() -> Self {
        let opts = HistogramOpts::new(HISTOGRAM_NAME, HISTOGRAM_HELP).buckets(BOUNDS.to_vec());
        let vec = HistogramVec::new(opts, &["phase"]).expect("valid");
        StaticMetricHistogram {
            histograms: static_metric::SmPhaseHistograms::from(&vec),
        }
    }

    #[inline]
    fn observe(&self, phase: Phase, value: f64) {
        use static_metric::SmPhase;
        let phase = match phase {
            Phase::Prefill => SmPhase::prefill,
            Phase::Decode => SmPhase::decode,
            Phase::KvTransfer => SmPhase::kv_transfer,
            Phase::Queue => SmPhase::queue,
        };
        self.histograms.get(phase).observe(value);
    }
}

// ------------------------------------------------------------------- measured

mod measured_peer {
    use measured::label::{DynamicLabelSet, LabelSet, LabelValue, LabelVisitor};
    use measured::{FixedCardinalityLabel, LabelGroup};

    /// An integer label value.
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Id(pub u64);

    impl LabelValue for Id {
        fn visit<V: LabelVisitor>(&self, v: V) -> V::Output {
            v.write_int(self.0 as i64)
        }
    }

    /// Integer values learned at run time, each encoded as itself: the
    /// cheapest dynamic label set measured can have (no interning).
    #[derive(Default)]
    pub struct Ids;

    impl LabelSet for Ids {
        type Value<'a> = Id;

        fn dynamic_cardinality(&self) -> Option<usize> {
            None
        }

        fn encode(&self, value: Id) -> Option<usize> {
            Some(value.0 as usize)
        }

        fn decode(&self, value: usize) -> Id {
            Id(value as u64)
        }
    }

    impl DynamicLabelSet for Ids {}

    #[derive(Clone, Copy, PartialEq, FixedCardinalityLabel)]
    #[label(rename_all = "snake_case")]
    pub enum Kind {
        Decode,
        Prefill,
    }

    #[derive(Clone, Copy, PartialEq, LabelGroup)]
    #[label(set = WorkerSet)]
    pub struct Worker {
        #[label(dynamic_with = Ids, default)]
        pub worker_id: Id,
        #[label(dynamic_with = Ids, default)]
        pub dp_rank: Id,
        pub worker_type: Kind,
    }

    #[derive(Clone, Copy, PartialEq, FixedCardinalityLabel)]
    #[label(rename_all = "snake_case", singleton = "phase")]
    pub enum MPhase {
        Prefill,
        Decode,
        KvTransfer,
        Queue,
    }
}

/// measured 0.0.25: a sparse `GaugeVec` whose ids are dynamic label sets
/// encoded as themselves (a runtime worker id needs a dynamic set).
pub struct Measured {
    vec: measured::GaugeVec<measured_peer::WorkerSet>,
}

impl Measured {
    #[inline]
    fn group(labels: &WorkerLabels) -> measured_peer::Worker {
        use measured_peer::{Id, Kind, Worker};
        Worker {
            worker_id: Id(labels.worker_id),
            dp_rank: Id(u64::from(labels.dp_rank)),
            worker_type: match labels.worker_type {
                WorkerType::Decode => Kind::Decode,
                WorkerType::Prefill => Kind::Prefill,
            },
        }
    }
}

impl Peer for Measured {
    type Handle<'a> = measured::metric::LabelId<measured_peer::WorkerSet>;

    fn new() -> Self {
        Measured {
            vec: measured::GaugeVec::with_label_set(measured_peer::WorkerSet::new()),
        }
    }

    #[inline]
    fn set(&self, labels: &WorkerLabels, value: i64) {
        self.vec.set(Self::group(labels), value);
    }

    /// measured's handle is a label id (encoded and hashed once); setting
    /// through it still probes the sparse map.
    fn handle(&self, labels: &WorkerLabels) -> Self::Handle<'_> {
        self.vec.with_labels(Self::group(labels))
    }

    #[inline]
    fn set_handle(&self, handle: &Self::Handle<'_>, value: i64) {
        self.vec.get_metric(*handle).set(value);
    }

    fn remove(&mut self, labels: &WorkerLabels) {
        let id = self.vec.with_labels(Self::group(labels));
        self.vec.remove_metric(id);
    }

    fn scrape(&self) -> usize {
        use measured::metric::name::MetricName;
        use measured::metric::MetricFamilyEncoding;
        let mut encoder = measured::text::BufferedTextEncoder::new();
        let _ = self
            .vec
            .collect_family_into(MetricName::from_str(GAUGE_NAME), &mut encoder);
        encoder.finish().len()
    }
}

pub struct MeasuredHistogram {
    vec: measured::HistogramVec<measured::label::StaticLabelSet<measured_peer::MPhase>, 12>,
}

impl HistogramPeer for MeasuredHistogram {
    fn new() -> Self {
        use measured::metric::histogram::Thresholds;
        MeasuredHistogram {
            vec: measured::HistogramVec::with_label_set_and_metadata(
                measured::label::StaticLabelSet::new(),
                Thresholds::with_buckets(BOUNDS),
            ),
        }
    }

    #[inline]
    fn observe(&self, phase: Phase, value: f64) {
        use measured_peer::MPhase;
        let phase = match phase {
            Phase::Prefill => MPhase::Prefill,
            Phase::Decode => MPhase::Decode,
            Phase::KvTransfer => MPhase::KvTransfer,
            Phase::Queue => MPhase::Queue,
        };
        self.vec.observe(phase, value);
    }
}

// ---------------------------------------------------------- prometheus_client

mod pc {
    use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};

    #[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
    pub enum Kind {
        Decode,
        Prefill,
    }

    impl EncodeLabelValue for Kind {
        fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
            use std::fmt::Write;
            encoder.write_str(match self {
                Kind::Decode => "decode",
                Kind::Prefill => "prefill",
            })
        }
    }

    #[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
    pub struct Labels {
        pub worker_id: u64,
        pub dp_rank: u32,
        pub worker_type: Kind,
    }

    #[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
    pub struct PhaseValue(pub super::Phase);

    impl EncodeLabelValue for PhaseValue {
        fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
            use std::fmt::Write;
            encoder.write_str(self.0.as_str())
        }
    }

    #[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
    pub struct PhaseLabels {
        pub phase: PhaseValue,
    }
}

/// prometheus-client: `Family<LabelSet, Gauge>` (a `RwLock<HashMap>`).
pub struct PrometheusClient {
    family: prometheus_client::metrics::family::Family<
        pc::Labels,
        prometheus_client::metrics::gauge::Gauge,
    >,
    registry: prometheus_client::registry::Registry,
}

impl PrometheusClient {
    #[inline]
    fn labels(labels: &WorkerLabels) -> pc::Labels {
        pc::Labels {
            worker_id: labels.worker_id,
            dp_rank: labels.dp_rank,
            worker_type: match labels.worker_type {
                WorkerType::Decode => pc::Kind::Decode,
                WorkerType::Prefill => pc::Kind::Prefill,
            },
        }
    }
}

impl Peer for PrometheusClient {
    type Handle<'a> = prometheus_client::metrics::gauge::Gauge;

    fn new() -> Self {
        let family = prometheus_client::metrics::family::Family::default();
        let mut registry = prometheus_client::registry::Registry::default();
        registry.register(GAUGE_NAME, GAUGE_HELP, family.clone());
        PrometheusClient { family, registry }
    }

    #[inline]
    fn set(&self, labels: &WorkerLabels, value: i64) {
        self.family.get_or_create(&Self::labels(labels)).set(value);
    }

    fn handle(&self, labels: &WorkerLabels) -> Self::Handle<'_> {
        self.family.get_or_create_owned(&Self::labels(labels))
    }

    #[inline]
    fn set_handle(&self, handle: &Self::Handle<'_>, value: i64) {
        handle.set(value);
    }

    fn remove(&mut self, labels: &WorkerLabels) {
        self.family.remove(&Self::labels(labels));
    }

    fn scrape(&self) -> usize {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry).expect("encodes");
        text.len()
    }
}

type PcHistogramFamily = prometheus_client::metrics::family::Family<
    pc::PhaseLabels,
    prometheus_client::metrics::histogram::Histogram,
    fn() -> prometheus_client::metrics::histogram::Histogram,
>;

pub struct PrometheusClientHistogram {
    family: PcHistogramFamily,
}

impl HistogramPeer for PrometheusClientHistogram {
    fn new() -> Self {
        fn histogram() -> prometheus_client::metrics::histogram::Histogram {
            prometheus_client::metrics::histogram::Histogram::new(BOUNDS)
        }
        PrometheusClientHistogram {
            family: PcHistogramFamily::new_with_constructor(histogram),
        }
    }

    #[inline]
    fn observe(&self, phase: Phase, value: f64) {
        self.family
            .get_or_create(&pc::PhaseLabels {
                phase: pc::PhaseValue(phase),
            })
            .observe(value);
    }
}

// -------------------------------------------------------------------- metrics

static METADATA: metrics::Metadata<'static> =
    metrics::Metadata::new(module_path!(), metrics::Level::INFO, Some(module_path!()));

/// `metrics` with metrics-exporter-prometheus' recorder (no HTTP listener):
/// a lookup is what `gauge!(name, "worker_id" => id.to_string(), ...)`
/// expands to, called on the recorder directly (no global or thread-local
/// recorder lookup: the peer's best case); a scrape is the handle's
/// `render()`.
pub struct Metrics {
    recorder: metrics_exporter_prometheus::PrometheusRecorder,
    handle: metrics_exporter_prometheus::PrometheusHandle,
}

impl Metrics {
    #[inline]
    fn key(labels: &WorkerLabels) -> metrics::Key {
        metrics::Key::from_parts(
            GAUGE_NAME,
            vec![
                metrics::Label::new("worker_id", labels.worker_id.to_string()),
                metrics::Label::new("dp_rank", labels.dp_rank.to_string()),
                metrics::Label::new("worker_type", labels.worker_type.as_str()),
            ],
        )
    }

    #[inline]
    fn gauge(&self, labels: &WorkerLabels) -> metrics::Gauge {
        use metrics::Recorder;
        self.recorder.register_gauge(&Self::key(labels), &METADATA)
    }
}

impl Peer for Metrics {
    const REMOVE: Result<(), &'static str> = Err("no call deletes a series: metrics-exporter-prometheus only drops series idle past `idle_timeout`, when it renders");
    type Handle<'a> = metrics::Gauge;

    fn new() -> Self {
        use metrics::Recorder;
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        recorder.describe_gauge(
            metrics::KeyName::from_const_str(GAUGE_NAME),
            None,
            GAUGE_HELP.into(),
        );
        let handle = recorder.handle();
        Metrics { recorder, handle }
    }

    #[inline]
    fn set(&self, labels: &WorkerLabels, value: i64) {
        self.gauge(labels).set(value as f64);
    }

    fn handle(&self, labels: &WorkerLabels) -> metrics::Gauge {
        self.gauge(labels)
    }

    #[inline]
    fn set_handle(&self, handle: &metrics::Gauge, value: i64) {
        handle.set(value as f64);
    }

    fn scrape(&self) -> usize {
        self.handle.render().len()
    }
}

/// metrics' histograms buffer every observation until a render aggregates
/// them (`AtomicBucket`): an observe is an append.
pub struct MetricsHistogram {
    recorder: metrics_exporter_prometheus::PrometheusRecorder,
}

impl HistogramPeer for MetricsHistogram {
    fn new() -> Self {
        MetricsHistogram {
            recorder: metrics_exporter_prometheus::PrometheusBuilder::new()
                .set_buckets(&BOUNDS)
                .expect("valid buckets")
                .build_recorder(),
        }
    }

    #[inline]
    fn observe(&self, phase: Phase, value: f64) {
        use metrics::Recorder;
        let key = metrics::Key::from_parts(
            HISTOGRAM_NAME,
            vec![metrics::Label::new("phase", phase.as_str())],
        );
        self.recorder
            .register_histogram(&key, &METADATA)
            .record(value);
    }
}

// --------------------------------------------------------------- metric_group

/// The metric-group side: a `Family` field in a derived group. Its budget
/// is raised past the cases' series (the memory case creates 100,000, the
/// create case up to its run count): they measure series, not overflow.
#[derive(MetricGroup)]
#[metric_group(prefix = "peer")]
pub struct LoadGroup {
    /// Active load per worker rank
    #[metric(name = "worker_load", max_series = 100_000_000)]
    pub load: Family<WorkerLabels, IntGauge>,
}

/// The same with idle expiry on (`metric_group_expiring`): writes stamp
/// their series once per tick of the coarse clock.
#[derive(MetricGroup)]
#[metric_group(prefix = "peer")]
pub struct ExpiringLoadGroup {
    /// Active load per worker rank
    #[metric(name = "worker_load", max_series = 100_000_000, expire_after = "1h")]
    pub load: Family<WorkerLabels, IntGauge>,
}

/// The histogram case's label set: one enum label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct PhaseLabels {
    pub phase: Phase,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "peer")]
pub struct PhaseGroup {
    /// Time spent per phase
    #[metric(
        name = "phase_seconds",
        buckets = exponential(0.0005, 2.0, 12),
        unit = "seconds"
    )]
    pub phase: Family<PhaseLabels, Histogram>,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "peer")]
pub struct ExpiringPhaseGroup {
    /// Time spent per phase
    #[metric(
        name = "phase_seconds",
        buckets = exponential(0.0005, 2.0, 12),
        unit = "seconds",
        expire_after = "1h"
    )]
    pub phase: Family<PhaseLabels, Histogram>,
}

macro_rules! metric_group_peer {
    ($peer:ident, $group:ident, $histogram:ident, $phases:ident) => {
        pub struct $peer {
            group: $group,
            registry: Registry,
        }

        impl Peer for $peer {
            type Handle<'a> = metric_group::Series<WorkerLabels, IntGauge>;

            fn new() -> Self {
                let registry = Registry::new();
                let group = $group::new().expect("valid");
                group.register(&registry).expect("registers");
                $peer { group, registry }
            }

            #[inline]
            fn set(&self, labels: &WorkerLabels, value: i64) {
                self.group.set_load(labels, value).expect("sets");
            }

            fn handle(
                &self,
                labels: &WorkerLabels,
            ) -> metric_group::Series<WorkerLabels, IntGauge> {
                self.group.load_with_labels(labels).expect("resolves")
            }

            #[inline]
            fn set_handle(
                &self,
                handle: &metric_group::Series<WorkerLabels, IntGauge>,
                value: i64,
            ) {
                handle.set(value);
            }

            fn remove(&mut self, labels: &WorkerLabels) {
                self.group.remove_load(labels);
            }

            fn scrape(&self) -> usize {
                metric_group::encode(&self.registry).expect("encodes").len()
            }
        }

        pub struct $histogram {
            group: $phases,
        }

        impl HistogramPeer for $histogram {
            fn new() -> Self {
                $histogram {
                    group: $phases::new().expect("valid"),
                }
            }

            #[inline]
            fn observe(&self, phase: Phase, value: f64) {
                self.group
                    .observe_phase(&PhaseLabels { phase }, value)
                    .expect("observes");
            }
        }
    };
}

metric_group_peer!(MetricGroupPeer, LoadGroup, MetricGroupHistogram, PhaseGroup);
metric_group_peer!(
    MetricGroupExpiring,
    ExpiringLoadGroup,
    MetricGroupExpiringHistogram,
    ExpiringPhaseGroup
);

// --------------------------------------------------------------------- floors

/// The hashed floor: the label set hashed (seeded foldhash) and probed in a
/// `hashbrown::HashTable` holding the values inline, then one atomic store.
/// No lock: series are created and removed through `&mut self` (one owner).
pub struct FloorHashed {
    table: hashbrown::HashTable<(WorkerLabels, AtomicI64)>,
    hasher: foldhash::fast::RandomState,
}

impl FloorHashed {
    #[inline]
    fn find(&self, labels: &WorkerLabels) -> Option<&AtomicI64> {
        let hash = self.hasher.hash_one(labels);
        self.table
            .find(hash, |(key, _)| key == labels)
            .map(|(_, value)| value)
    }
}

impl Peer for FloorHashed {
    type Handle<'a> = &'a AtomicI64;

    fn new() -> Self {
        FloorHashed {
            table: hashbrown::HashTable::new(),
            hasher: foldhash::fast::RandomState::default(),
        }
    }

    #[inline]
    fn set(&self, labels: &WorkerLabels, value: i64) {
        if let Some(slot) = self.find(labels) {
            slot.store(value, Relaxed);
        }
    }

    fn handle(&self, labels: &WorkerLabels) -> &AtomicI64 {
        self.find(labels).expect("created")
    }

    #[inline]
    fn set_handle(&self, handle: &&AtomicI64, value: i64) {
        handle.store(value, Relaxed);
    }

    fn create(&mut self, labels: &WorkerLabels, value: i64) {
        let hasher = &self.hasher;
        let hash = hasher.hash_one(labels);
        self.table
            .entry(
                hash,
                |(key, _)| key == labels,
                |(key, _)| hasher.hash_one(key),
            )
            .or_insert_with(|| (*labels, AtomicI64::new(value)));
    }

    fn remove(&mut self, labels: &WorkerLabels) {
        let hash = self.hasher.hash_one(labels);
        if let Ok(entry) = self.table.find_entry(hash, |(key, _)| key == labels) {
            entry.remove();
        }
    }

    /// The exposition written straight from the table (integers by `itoa`).
    fn scrape(&self) -> usize {
        let mut text = String::new();
        let _ = write!(
            text,
            "# HELP {GAUGE_NAME} {GAUGE_HELP}\n# TYPE {GAUGE_NAME} gauge\n"
        );
        let mut ints = itoa::Buffer::new();
        for (labels, value) in self.table.iter() {
            text.push_str(GAUGE_NAME);
            text.push_str("{worker_id=\"");
            text.push_str(ints.format(labels.worker_id));
            text.push_str("\",dp_rank=\"");
            text.push_str(ints.format(labels.dp_rank));
            text.push_str("\",worker_type=\"");
            text.push_str(labels.worker_type.as_str());
            text.push_str("\"} ");
            text.push_str(ints.format(value.load(Relaxed)));
            text.push('\n');
        }
        text.len()
    }
}

/// The direct floor: the 64 warm label sets as an index into an array of
/// atomics (as if every label were an enum), one atomic store.
pub struct FloorDirect {
    slots: [AtomicI64; 64],
}

impl FloorDirect {
    #[inline]
    fn index(labels: &WorkerLabels) -> usize {
        (labels.worker_id - 1000) as usize
            | (labels.dp_rank as usize) << 4
            | (labels.worker_type as usize) << 5
    }
}

impl Peer for FloorDirect {
    const DYNAMIC: Result<(), &'static str> = Err("a fixed array: every series exists up front");
    const REMOVE: Result<(), &'static str> = Self::DYNAMIC;
    type Handle<'a> = &'a AtomicI64;

    fn new() -> Self {
        FloorDirect {
            slots: std::array::from_fn(|_| AtomicI64::new(0)),
        }
    }

    #[inline]
    fn set(&self, labels: &WorkerLabels, value: i64) {
        self.slots[Self::index(labels)].store(value, Relaxed);
    }

    fn handle(&self, labels: &WorkerLabels) -> &AtomicI64 {
        &self.slots[Self::index(labels)]
    }

    #[inline]
    fn set_handle(&self, handle: &&AtomicI64, value: i64) {
        handle.store(value, Relaxed);
    }
}

/// The smallest histogram: bucket found by a linear scan, then three
/// relaxed atomic operations (bucket, count, sum by compare-and-swap).
pub struct AtomicHistogram {
    buckets: [AtomicU64; 13],
    count: AtomicU64,
    sum: AtomicU64,
}

impl AtomicHistogram {
    fn new() -> Self {
        AtomicHistogram {
            buckets: std::array::from_fn(|_| AtomicU64::new(0)),
            count: AtomicU64::new(0),
            sum: AtomicU64::new(0f64.to_bits()),
        }
    }

    #[inline]
    fn observe(&self, value: f64) {
        let bucket = BOUNDS
            .iter()
            .position(|bound| value <= *bound)
            .unwrap_or(BOUNDS.len());
        self.buckets[bucket].fetch_add(1, Relaxed);
        self.count.fetch_add(1, Relaxed);
        let _ = self.sum.fetch_update(Relaxed, Relaxed, |sum| {
            Some((f64::from_bits(sum) + value).to_bits())
        });
    }
}

pub struct FloorDirectHistogram {
    histograms: [AtomicHistogram; 4],
}

impl HistogramPeer for FloorDirectHistogram {
    fn new() -> Self {
        FloorDirectHistogram {
            histograms: std::array::from_fn(|_| AtomicHistogram::new()),
        }
    }

    #[inline]
    fn observe(&self, phase: Phase, value: f64) {
        self.histograms[phase as usize].observe(value);
    }
}

/// Stands in for a peer without a histogram of its own
/// ([`histogram_skipped`]).
pub struct NoHistogram;

impl HistogramPeer for NoHistogram {
    fn new() -> Self {
        NoHistogram
    }

    fn observe(&self, _phase: Phase, _value: f64) {
        unreachable!("histogram_skipped")
    }
}
