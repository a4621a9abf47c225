#[derive(MetricGroup)]
enum NotAStruct {
    A,
}