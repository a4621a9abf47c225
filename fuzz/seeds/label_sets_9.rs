#[derive(LabelValue)]
struct NotAnEnum {
    x: u8,
}