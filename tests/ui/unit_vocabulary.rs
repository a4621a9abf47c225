// A declared unit must be a known one, and the name must mention it (const
// names too, by const evaluation); a counter's unit comes before `_total`.
use metric_group::prometheus::{Counter, Histogram};
use metric_group::MetricGroup;

mod names {
    pub const LATENCY: &str = "latency_bytes";
}

#[derive(MetricGroup)]
struct Units {
    /// A typo of a known unit
    #[metric(unit = "secs")]
    latency_secs: Histogram,
    /// No unit near it
    #[metric(unit = "furlongs")]
    distance_furlongs: Histogram,
    /// A const name that does not mention its unit
    #[metric(name = names::LATENCY, unit = "seconds")]
    latency: Histogram,
    /// A counter: the advice keeps `_total` last
    #[metric(unit = "bytes")]
    cpu_seconds_total: Counter,
    /// Count-like units are known
    #[metric(unit = "tokens")]
    prompt_tokens: Histogram,
}

fn main() {}
