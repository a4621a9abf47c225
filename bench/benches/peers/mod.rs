//! The worker load gauges written with two peer crates.
//!
//! Neither can key a series by a runtime `u64` without help: both need every
//! label value up front, so both are given the benchmark's 16 worker ids and
//! 2 ranks at construction, which is their best case (a real router learns
//! worker ids at run time).

use std::collections::HashMap;

use measured::label::{FixedCardinalitySet, LabelSet, LabelValue, LabelVisitor};
use measured::{FixedCardinalityLabel, GaugeVec, LabelGroup};
use metric_group_router::WorkerType;
use prometheus::{IntGaugeVec, Opts};
use prometheus_static_metric::make_static_metric;

make_static_metric! {
    pub label_enum StaticWorkerType { decode, prefill }
    pub label_enum StaticRank { r0: "0", r1: "1" }
    pub label_enum StaticWorker {
        w1000: "1000", w1001: "1001", w1002: "1002", w1003: "1003",
        w1004: "1004", w1005: "1005", w1006: "1006", w1007: "1007",
        w1008: "1008", w1009: "1009", w1010: "1010", w1011: "1011",
        w1012: "1012", w1013: "1013", w1014: "1014", w1015: "1015",
    }
    pub struct StaticWorkerGauges: IntGauge {
        "worker_id" => StaticWorker,
        "dp_rank" => StaticRank,
        "worker_type" => StaticWorkerType,
    }
}

const STATIC_WORKERS: [StaticWorker; 16] = [
    StaticWorker::w1000,
    StaticWorker::w1001,
    StaticWorker::w1002,
    StaticWorker::w1003,
    StaticWorker::w1004,
    StaticWorker::w1005,
    StaticWorker::w1006,
    StaticWorker::w1007,
    StaticWorker::w1008,
    StaticWorker::w1009,
    StaticWorker::w1010,
    StaticWorker::w1011,
    StaticWorker::w1012,
    StaticWorker::w1013,
    StaticWorker::w1014,
    StaticWorker::w1015,
];

pub struct StaticWorkerLoad {
    blocks: StaticWorkerGauges,
    tokens: StaticWorkerGauges,
}

impl StaticWorkerLoad {
    pub fn new() -> Self {
        let vec = |name: &str| {
            IntGaugeVec::new(
                Opts::new(name, "help"),
                &["worker_id", "dp_rank", "worker_type"],
            )
            .expect("valid")
        };
        StaticWorkerLoad {
            blocks: StaticWorkerGauges::from(&vec("blocks")),
            tokens: StaticWorkerGauges::from(&vec("tokens")),
        }
    }

    pub fn observe(
        &self,
        worker_id: u64,
        dp_rank: u32,
        worker_type: WorkerType,
        blocks: usize,
        tokens: usize,
    ) {
        let worker = STATIC_WORKERS[(worker_id - 1000) as usize];
        let rank = if dp_rank == 0 {
            StaticRank::r0
        } else {
            StaticRank::r1
        };
        let kind = match worker_type {
            WorkerType::Decode => StaticWorkerType::decode,
            WorkerType::Prefill => StaticWorkerType::prefill,
        };
        self.blocks
            .get(worker)
            .get(rank)
            .get(kind)
            .set(blocks as i64);
        self.tokens
            .get(worker)
            .get(rank)
            .get(kind)
            .set(tokens as i64);
    }
}

/// An integer label value for `measured`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Id(u64);

impl LabelValue for Id {
    fn visit<V: LabelVisitor>(&self, v: V) -> V::Output {
        v.write_int(self.0 as i64)
    }
}

/// The ids known up front, each with its index.
pub struct IdSet {
    ids: Vec<u64>,
    index: HashMap<u64, usize>,
}

impl IdSet {
    fn new(ids: impl IntoIterator<Item = u64>) -> Self {
        let ids: Vec<u64> = ids.into_iter().collect();
        let index = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        IdSet { ids, index }
    }
}

impl LabelSet for IdSet {
    type Value<'a> = Id;

    fn dynamic_cardinality(&self) -> Option<usize> {
        Some(self.ids.len())
    }

    fn encode(&self, value: Id) -> Option<usize> {
        self.index.get(&value.0).copied()
    }

    fn decode(&self, value: usize) -> Id {
        Id(self.ids[value])
    }
}

impl FixedCardinalitySet for IdSet {
    fn cardinality(&self) -> usize {
        self.ids.len()
    }
}

#[derive(Clone, Copy, PartialEq, FixedCardinalityLabel)]
#[label(rename_all = "snake_case")]
pub enum MeasuredWorkerType {
    Decode,
    Prefill,
}

#[derive(Clone, Copy, PartialEq, LabelGroup)]
#[label(set = MeasuredWorkerSet)]
pub struct MeasuredWorker {
    #[label(fixed_with = IdSet)]
    worker_id: Id,
    #[label(fixed_with = IdSet)]
    dp_rank: Id,
    worker_type: MeasuredWorkerType,
}

pub struct MeasuredWorkerLoad {
    blocks: GaugeVec<MeasuredWorkerSet>,
    tokens: GaugeVec<MeasuredWorkerSet>,
}

impl MeasuredWorkerLoad {
    pub fn new() -> Self {
        let set = || MeasuredWorkerSet::new(IdSet::new(1000..1016), IdSet::new(0..2));
        MeasuredWorkerLoad {
            blocks: GaugeVec::with_label_set(set()),
            tokens: GaugeVec::with_label_set(set()),
        }
    }

    pub fn observe(
        &self,
        worker_id: u64,
        dp_rank: u32,
        worker_type: WorkerType,
        blocks: usize,
        tokens: usize,
    ) {
        let worker_type = match worker_type {
            WorkerType::Decode => MeasuredWorkerType::Decode,
            WorkerType::Prefill => MeasuredWorkerType::Prefill,
        };
        let labels = MeasuredWorker {
            worker_id: Id(worker_id),
            dp_rank: Id(u64::from(dp_rank)),
            worker_type,
        };
        self.blocks.set(labels, blocks as i64);
        self.tokens.set(labels, tokens as i64);
    }
}
