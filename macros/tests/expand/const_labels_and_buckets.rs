#[allow(non_upper_case_globals, clippy::all)]
const _: () = {
    fn __memo(
    ) -> &'static ::metric_group::__private::OnceCell<::metric_group::__private::Memoised<Queue>>
    {
        static MEMO: ::metric_group::__private::OnceCell<
            ::metric_group::__private::Memoised<Queue>,
        > = ::metric_group::__private::OnceCell::new();
        &MEMO
    }
    #[automatically_derived]
    impl Queue {
        #[doc = "Full name of `dynamo_router_queue_wait_seconds`, a histogram labelled `labels::ROUTER_ID`, `labels::WORKER_ID`, `dp_rank`, `worker_type`, buckets [`QUEUE_BUCKETS`]: Time spent queued"]
        pub const WAIT_NAME: &'static str = "dynamo_router_queue_wait_seconds";
        #[doc = "Full name of `dynamo_router_prompt_tokens`, a histogram labelled `labels::ROUTER_ID`, buckets [4096, 8192]: Prompt sizes"]
        pub const PROMPT_NAME: &'static str = "dynamo_router_prompt_tokens";
        #[doc = r" Builds the group's metrics without registering them."]
        #[doc = ""]
        #[doc = " # Metrics"]
        #[doc = ""]
        #[doc = " - `dynamo_router_queue_wait_seconds`, a histogram labelled `labels::ROUTER_ID`, `labels::WORKER_ID`, `dp_rank`, `worker_type`, buckets [`QUEUE_BUCKETS`]: Time spent queued"]
        #[doc = " - `dynamo_router_prompt_tokens`, a histogram labelled `labels::ROUTER_ID`, buckets [4096, 8192]: Prompt sizes"]
        #[inline]
        pub fn new(
            router_id: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<Self, ::metric_group::__private::Error> {
            <Self as ::metric_group::__private::MetricGroup>::build(
                &::metric_group::__private::BuildContext::registry(
                    <Self as ::metric_group::__private::MetricGroup>::GROUP,
                    ::std::vec![::metric_group::__private::LabelValue::to_label_string(
                        &router_id
                    )],
                ),
            )
        }
        #[doc = r" Registers every metric of the group on `registry`, or none of"]
        #[doc = r" them; registering this instance again is a no-op."]
        #[inline]
        pub fn register(
            &self,
            registry: &::metric_group::__private::prometheus::Registry,
        ) -> ::core::result::Result<(), ::metric_group::__private::Error> {
            <Self as ::metric_group::__private::MetricGroup>::register(self, registry)
        }
        #[doc = r" Builds the process-wide instance on first call and registers it on"]
        #[doc = r" `registry`. Later calls return the same instance (registering it on"]
        #[doc = r" another registry if given one); other const label values are an error."]
        #[doc = ""]
        #[doc = " # Metrics"]
        #[doc = ""]
        #[doc = " - `dynamo_router_queue_wait_seconds`, a histogram labelled `labels::ROUTER_ID`, `labels::WORKER_ID`, `dp_rank`, `worker_type`, buckets [`QUEUE_BUCKETS`]: Time spent queued"]
        #[doc = " - `dynamo_router_prompt_tokens`, a histogram labelled `labels::ROUTER_ID`, buckets [4096, 8192]: Prompt sizes"]
        #[inline]
        pub fn init(
            registry: &::metric_group::__private::prometheus::Registry,
            router_id: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<&'static Self, ::metric_group::__private::Error> {
            ::metric_group::__private::init(
                __memo(),
                registry,
                ::std::vec![::metric_group::__private::LabelValue::to_label_string(
                    &router_id
                )],
            )
        }
        #[doc = r" The instance `init` (or `global`) built, if any."]
        #[inline]
        pub fn get() -> ::core::option::Option<&'static Self> {
            ::metric_group::__private::get(__memo())
        }
        #[doc = "The series of `dynamo_router_queue_wait_seconds`, a histogram labelled `labels::ROUTER_ID`, `labels::WORKER_ID`, `dp_rank`, `worker_type`, buckets [`QUEUE_BUCKETS`]: Time spent queued, for these label values."]
        #[inline]
        pub fn wait_with_labels(
            &self,
            worker_id: impl ::metric_group::__private::LabelValue,
            dp_rank: impl ::metric_group::__private::LabelValue,
            worker_type: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<
            <HistogramVec as ::metric_group::__private::Labelled>::Child,
            ::metric_group::__private::Error,
        > {
            ::metric_group::__private::series(
                &self.wait,
                [
                    &worker_id as &dyn ::metric_group::__private::LabelValue,
                    &dp_rank as &dyn ::metric_group::__private::LabelValue,
                    &worker_type as &dyn ::metric_group::__private::LabelValue,
                ],
            )
        }
        #[doc = "Removes the series of `dynamo_router_queue_wait_seconds`, a histogram labelled `labels::ROUTER_ID`, `labels::WORKER_ID`, `dp_rank`, `worker_type`, buckets [`QUEUE_BUCKETS`]: Time spent queued for these label values; whether it existed."]
        #[inline]
        pub fn remove_wait(
            &self,
            worker_id: impl ::metric_group::__private::LabelValue,
            dp_rank: impl ::metric_group::__private::LabelValue,
            worker_type: impl ::metric_group::__private::LabelValue,
        ) -> bool {
            ::metric_group::__private::remove_series(
                &self.wait,
                [
                    &worker_id as &dyn ::metric_group::__private::LabelValue,
                    &dp_rank as &dyn ::metric_group::__private::LabelValue,
                    &worker_type as &dyn ::metric_group::__private::LabelValue,
                ],
            )
        }
        #[doc = "Records a value into `dynamo_router_queue_wait_seconds`, a histogram labelled `labels::ROUTER_ID`, `labels::WORKER_ID`, `dp_rank`, `worker_type`, buckets [`QUEUE_BUCKETS`]: Time spent queued"]
        #[inline]
        pub fn observe_wait(
            &self,
            worker_id: impl ::metric_group::__private::LabelValue,
            dp_rank: impl ::metric_group::__private::LabelValue,
            worker_type: impl ::metric_group::__private::LabelValue,
            value: f64,
        ) -> ::core::result::Result<(), ::metric_group::__private::Error> {
            self.wait_with_labels(worker_id, dp_rank, worker_type)?
                .observe(value);
            ::core::result::Result::Ok(())
        }
    }
    #[automatically_derived]
    impl ::metric_group::__private::MetricGroup for Queue {
        const GROUP: &'static ::metric_group::__private::GroupDescriptor =
            &::metric_group::__private::GroupDescriptor {
                name: "Queue",
                module_path: ::core::module_path!(),
                const_labels: &[labels::ROUTER_ID],
                scope: ::metric_group::__private::ScopeKind::Registry,
                metrics: &[
                    ::metric_group::__private::MetricDescriptor {
                        field: "wait",
                        name: Self::WAIT_NAME,
                        kind: ::metric_group::__private::rules::MetricKind::Histogram,
                        help: "Time spent queued",
                        labels: &[labels::WORKER_ID, "dp_rank", "worker_type"],
                        buckets: ::core::option::Option::Some({
                            const BOUNDS: &[f64] = QUEUE_BUCKETS;
                            BOUNDS
                        }),
                        unit: ::core::option::Option::None,
                        allowed_lints: &[],
                    },
                    ::metric_group::__private::MetricDescriptor {
                        field: "prompt",
                        name: Self::PROMPT_NAME,
                        kind: ::metric_group::__private::rules::MetricKind::Histogram,
                        help: "Prompt sizes",
                        labels: &[],
                        buckets: ::core::option::Option::Some(&[4096.0, 8192.0]),
                        unit: ::core::option::Option::None,
                        allowed_lints: &[],
                    },
                ],
            };
        #[allow(unreachable_code)]
        #[inline]
        fn build(
            context: &::metric_group::__private::BuildContext,
        ) -> ::core::result::Result<Self, ::metric_group::__private::Error> {
            let __field_wait = <HistogramVec as ::metric_group::__private::BuildMetric>::build(
                context,
                &<Self as ::metric_group::__private::MetricGroup>::GROUP.metrics[0usize],
            )?;
            let __field_prompt = <Histogram as ::metric_group::__private::BuildMetric>::build(
                context,
                &<Self as ::metric_group::__private::MetricGroup>::GROUP.metrics[1usize],
            )?;
            ::core::result::Result::Ok(Queue {
                wait: __field_wait,
                prompt: __field_prompt,
            })
        }
        #[inline]
        fn collectors(
            &self,
        ) -> ::std::vec::Vec<
            ::std::boxed::Box<dyn ::metric_group::__private::prometheus::core::Collector>,
        > {
            ::std::vec![
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.wait))
                    as ::std::boxed::Box<
                        dyn ::metric_group::__private::prometheus::core::Collector,
                    >,
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.prompt))
                    as ::std::boxed::Box<
                        dyn ::metric_group::__private::prometheus::core::Collector,
                    >
            ]
        }
    }
    ::metric_group::__private::catalog_entry!(
        <Queue as ::metric_group::__private::MetricGroup>::GROUP
    );
    const _: () = if true {
        const NAME: &str = Queue::WAIT_NAME;
        let found = ::metric_group::__private::rules::lint_metric(
            NAME,
            ::metric_group::__private::rules::MetricKind::Histogram,
            &[
                labels::ROUTER_ID,
                labels::WORKER_ID,
                "dp_rank",
                "worker_type",
            ],
        );
        let allowed = ::metric_group::__private::rules::LintSet::EMPTY;
        let own = ::metric_group::__private::rules::LintSet::EMPTY;
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::CounterTotal)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): counter metrics should have a `_total` suffix; add `allow(counter_total)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::CounterTotal)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): lint `counter_total` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::NonCounterTotal)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): non-counter metrics should not have a `_total` suffix; add `allow(non_counter_total)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::NonCounterTotal)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): lint `non_counter_total` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::BaseUnit)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): metric names should use base units (`seconds`, `bytes`, `meters`, ...); add `allow(base_unit)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::BaseUnit)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): lint `base_unit` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::UnitAbbreviation)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): metric names should not contain abbreviated units; add `allow(unit_abbreviation)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::UnitAbbreviation)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): lint `unit_abbreviation` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::TypeInName)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): metric names should not include a metric type (`counter`, `gauge`, `histogram`, `summary`); add `allow(type_in_name)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::TypeInName)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): lint `type_in_name` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::ReservedSuffix)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): `_bucket`, `_count` and `_sum` suffixes are reserved for histograms; add `allow(reserved_suffix)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::ReservedSuffix)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): lint `reserved_suffix` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::ReservedChars)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): metric names should not contain `:`; add `allow(reserved_chars)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::ReservedChars)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): lint `reserved_chars` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::CamelCase)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): metric and label names should be written in snake_case, not camelCase; add `allow(camel_case)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::CamelCase)
        {
            :: core :: panic ! ("{}" , "metric name of field `wait` (\"dynamo_router\" + \"_\" + \"queue_wait_seconds\"): lint `camel_case` is allowed but the name does not trigger it")
        }
    };
    const _: () = if true {
        const NAME: &str = Queue::PROMPT_NAME;
        let found = ::metric_group::__private::rules::lint_metric(
            NAME,
            ::metric_group::__private::rules::MetricKind::Histogram,
            &[labels::ROUTER_ID],
        );
        let allowed = ::metric_group::__private::rules::LintSet::EMPTY;
        let own = ::metric_group::__private::rules::LintSet::EMPTY;
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::CounterTotal)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): counter metrics should have a `_total` suffix; add `allow(counter_total)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::CounterTotal)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): lint `counter_total` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::NonCounterTotal)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): non-counter metrics should not have a `_total` suffix; add `allow(non_counter_total)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::NonCounterTotal)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): lint `non_counter_total` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::BaseUnit)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): metric names should use base units (`seconds`, `bytes`, `meters`, ...); add `allow(base_unit)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::BaseUnit)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): lint `base_unit` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::UnitAbbreviation)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): metric names should not contain abbreviated units; add `allow(unit_abbreviation)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::UnitAbbreviation)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): lint `unit_abbreviation` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::TypeInName)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): metric names should not include a metric type (`counter`, `gauge`, `histogram`, `summary`); add `allow(type_in_name)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::TypeInName)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): lint `type_in_name` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::ReservedSuffix)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): `_bucket`, `_count` and `_sum` suffixes are reserved for histograms; add `allow(reserved_suffix)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::ReservedSuffix)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): lint `reserved_suffix` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::ReservedChars)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): metric names should not contain `:`; add `allow(reserved_chars)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::ReservedChars)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): lint `reserved_chars` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::CamelCase)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): metric and label names should be written in snake_case, not camelCase; add `allow(camel_case)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::CamelCase)
        {
            :: core :: panic ! ("{}" , "metric name of field `prompt` (\"dynamo_router\" + \"_\" + \"prompt_tokens\"): lint `camel_case` is allowed but the name does not trigger it")
        }
    };
    const _: () = {
        const NAME: &str = labels::ROUTER_ID;
        if !::metric_group::__private::rules::is_valid_label_name(NAME) {
            ::core::panic!(
                "{}",
                "invalid const label name `labels::ROUTER_ID`: expected `[a-zA-Z_][a-zA-Z0-9_]*`"
            )
        } else if ::metric_group::__private::rules::is_reserved_label_name(NAME) {
            :: core :: panic ! ("{}" , "const label name `labels::ROUTER_ID` is reserved: names starting with `__` are Prometheus' own")
        } else if ::metric_group::__private::str_eq(NAME, "quantile") {
            ::core::panic!(
                "{}",
                "const label name `labels::ROUTER_ID` is `quantile`, reserved for summaries"
            )
        } else if ::metric_group::__private::str_eq(NAME, "le") {
            :: core :: panic ! ("{}" , "const label name `labels::ROUTER_ID` is `le`, reserved for histograms' bucket bounds (promtool: non-histogram metrics should not have \"le\" label)")
        } else {
        }
    };
    const _: () = {
        const NAME: &str = labels::WORKER_ID;
        if !::metric_group::__private::rules::is_valid_label_name(NAME) {
            ::core::panic!(
                "{}",
                "invalid label name `labels::WORKER_ID`: expected `[a-zA-Z_][a-zA-Z0-9_]*`"
            )
        } else if ::metric_group::__private::rules::is_reserved_label_name(NAME) {
            :: core :: panic ! ("{}" , "label name `labels::WORKER_ID` is reserved: names starting with `__` are Prometheus' own")
        } else if ::metric_group::__private::str_eq(NAME, "quantile") {
            ::core::panic!(
                "{}",
                "label name `labels::WORKER_ID` is `quantile`, reserved for summaries"
            )
        } else if ::metric_group::__private::str_eq(NAME, "le") {
            ::core::panic!(
                "{}",
                "label name `labels::WORKER_ID` is `le`, reserved on histograms for bucket bounds"
            )
        } else if ::metric_group::__private::str_eq(NAME, labels::ROUTER_ID) {
            :: core :: panic ! ("{}" , "label `labels::WORKER_ID` is already a const label of the group (`labels::ROUTER_ID`)")
        } else {
        }
    };
    const _: () = {
        const NAME: &str = "dp_rank";
        if ::metric_group::__private::str_eq(NAME, labels::WORKER_ID) {
            ::core::panic!(
                "{}",
                "duplicate label `dp_rank`: the same name as `labels::WORKER_ID`"
            )
        } else if ::metric_group::__private::str_eq(NAME, labels::ROUTER_ID) {
            ::core::panic!(
                "{}",
                "label `dp_rank` is already a const label of the group (`labels::ROUTER_ID`)"
            )
        } else {
        }
    };
    const _: () = {
        const NAME: &str = "worker_type";
        if ::metric_group::__private::str_eq(NAME, labels::WORKER_ID) {
            ::core::panic!(
                "{}",
                "duplicate label `worker_type`: the same name as `labels::WORKER_ID`"
            )
        } else if ::metric_group::__private::str_eq(NAME, labels::ROUTER_ID) {
            ::core::panic!(
                "{}",
                "label `worker_type` is already a const label of the group (`labels::ROUTER_ID`)"
            )
        } else {
        }
    };
};
