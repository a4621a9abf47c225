//! Examples and integration tests of metric-group live in this package.
