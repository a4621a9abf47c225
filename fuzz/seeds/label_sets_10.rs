#[derive(Clone, Copy, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "snake-case")]
enum BadRule {
    A,
}