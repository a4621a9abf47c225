#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
#[allow(non_snake_case)]
struct BadNames {
    workerId: u64,
    __internal: u32,
    quantile: u8,
}