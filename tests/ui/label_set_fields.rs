// A `LabelSet`'s fields are its label names and values: names must be valid
// label names, and floats cannot be label values.
use metric_group::LabelSet;

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct NonAsciiName {
    größe: u32,
}

#[derive(Clone, PartialEq, LabelSet)]
struct FloatValue {
    worker: u32,
    load: f64,
}

fn main() {}
