#[derive(Clone, Copy, PartialEq, Eq, Hash, LabelValue)]
enum Values {
    Decode,
    #[label_value(rename = "Decode")]
    AlsoDecode,
    #[label_value(rename = "")]
    Empty,
    WithData(u8),
}