// The label derives share the one attribute parser: repeats and unknown keys
// are reported at the key, like `#[metric(...)]`'s.
use metric_group::LabelValue;

#[derive(Clone, Copy, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "snake_case", rename_all = "kebab-case")]
enum Repeated {
    PrefillWorker,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_al = "snake_case")]
enum Misspelt {
    #[label_value(renam = "decode")]
    Decode,
}

fn main() {}
