//! The default naming of the metrics hierarchy (Dynamo's): the prefix every
//! scoped metric gets and the label each level below the runtime adds.

/// Prepended, with `_`, to the name of every metric created through a scope.
pub const DEFAULT_METRIC_PREFIX: &str = "dynamo_component";

/// The labels of the namespace, component and endpoint levels, in order.
pub const DEFAULT_LEVEL_LABELS: [&str; 3] =
    ["dynamo_namespace", "dynamo_component", "dynamo_endpoint"];
