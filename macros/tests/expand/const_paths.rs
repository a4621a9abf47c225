#[allow(non_upper_case_globals, clippy::all)]
const _: () = {
    fn __memo(
    ) -> &'static ::metric_group::__private::OnceCell<::metric_group::__private::Memoised<Overhead>>
    {
        static MEMO: ::metric_group::__private::OnceCell<
            ::metric_group::__private::Memoised<Overhead>,
        > = ::metric_group::__private::OnceCell::new();
        &MEMO
    }
    #[automatically_derived]
    impl Overhead {
        #[doc = "Full name of [`names::PREFIX`] + `_` + [`names::BLOCK_HASHING_MS`], a histogram labelled `router_id`, buckets [0.0001, 0.0002, 0.0004]: Time spent computing block hashes in milliseconds"]
        pub const BLOCK_HASHING_NAME: &'static str = {
            const PARTS: &[&str] = if names::PREFIX.is_empty() {
                &[names::BLOCK_HASHING_MS]
            } else {
                &[names::PREFIX, "_", names::BLOCK_HASHING_MS]
            };
            const LEN: usize = ::metric_group::__private::concat_len(PARTS);
            const BYTES: [u8; LEN] = ::metric_group::__private::concat_bytes::<LEN>(PARTS);
            ::metric_group::__private::utf8(&BYTES)
        };
        #[doc = r" Builds the group's metrics without registering them."]
        #[doc = ""]
        #[doc = " # Metrics"]
        #[doc = ""]
        #[doc = " - [`names::PREFIX`] + `_` + [`names::BLOCK_HASHING_MS`], a histogram labelled `router_id`, buckets [0.0001, 0.0002, 0.0004]: Time spent computing block hashes in milliseconds"]
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
        #[doc = " - [`names::PREFIX`] + `_` + [`names::BLOCK_HASHING_MS`], a histogram labelled `router_id`, buckets [0.0001, 0.0002, 0.0004]: Time spent computing block hashes in milliseconds"]
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
        #[doc = "Records a duration into [`names::PREFIX`] + `_` + [`names::BLOCK_HASHING_MS`], a histogram labelled `router_id`, buckets [0.0001, 0.0002, 0.0004]: Time spent computing block hashes in milliseconds"]
        #[inline]
        pub fn observe_block_hashing_duration(
            &self,
            duration: ::metric_group::__private::Duration,
        ) {
            self.block_hashing.observe(duration.as_secs_f64() * 1000f64);
        }
    }
    #[automatically_derived]
    impl ::metric_group::__private::MetricGroup for Overhead {
        const GROUP: &'static ::metric_group::__private::GroupDescriptor =
            &::metric_group::__private::GroupDescriptor {
                name: "Overhead",
                module_path: ::core::module_path!(),
                const_labels: &["router_id"],
                scope: ::metric_group::__private::ScopeKind::Registry,
                metrics: &[::metric_group::__private::MetricDescriptor {
                    field: "block_hashing",
                    name: Self::BLOCK_HASHING_NAME,
                    kind: ::metric_group::__private::rules::MetricKind::Histogram,
                    help: "Time spent computing block hashes in milliseconds",
                    labels: &[],
                    buckets: ::core::option::Option::Some(&[0.0001, 0.0002, 0.0004]),
                    unit: ::core::option::Option::Some("milliseconds"),
                    allowed_lints: &[::metric_group::__private::rules::Lint::UnitAbbreviation],
                }],
            };
        #[allow(unreachable_code)]
        #[inline]
        fn build(
            context: &::metric_group::__private::BuildContext,
        ) -> ::core::result::Result<Self, ::metric_group::__private::Error> {
            let __field_block_hashing =
                <Histogram as ::metric_group::__private::BuildMetric>::build(
                    context,
                    &<Self as ::metric_group::__private::MetricGroup>::GROUP.metrics[0usize],
                )?;
            ::core::result::Result::Ok(Overhead {
                block_hashing: __field_block_hashing,
            })
        }
        #[inline]
        fn collectors(
            &self,
        ) -> ::std::vec::Vec<
            ::std::boxed::Box<dyn ::metric_group::__private::prometheus::core::Collector>,
        > {
            ::std::vec![
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.block_hashing))
                    as ::std::boxed::Box<
                        dyn ::metric_group::__private::prometheus::core::Collector,
                    >
            ]
        }
    }
    ::metric_group::__private::catalog_entry!(
        <Overhead as ::metric_group::__private::MetricGroup>::GROUP
    );
    const _: () = if !::metric_group::__private::rules::is_valid_metric_name(names::PREFIX)
        && !names::PREFIX.is_empty()
    {
        :: core :: panic ! ("{}" , "metric name prefix `names::PREFIX` is not a valid Prometheus metric name: expected `[a-zA-Z_:][a-zA-Z0-9_:]*` (or empty for none)")
    };
    const _: () = if (names::PREFIX.is_empty()
        || ::metric_group::__private::rules::is_valid_metric_name(names::PREFIX))
    {
        const NAME: &str = Overhead::BLOCK_HASHING_NAME;
        if !::metric_group::__private::rules::is_valid_metric_name(NAME) {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`) is not a valid Prometheus metric name: expected `[a-zA-Z_:][a-zA-Z0-9_:]*`")
        }
        if ::metric_group::__private::rules::histogram_series_suffix(NAME).is_some() {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): a histogram's name must not end in `_bucket`, `_count` or `_sum`: its own series would collide with it")
        }
        let found = ::metric_group::__private::rules::lint_metric(
            NAME,
            ::metric_group::__private::rules::MetricKind::Histogram,
            &["router_id"],
        );
        let allowed = ::metric_group::__private::rules::LintSet::EMPTY
            .with(::metric_group::__private::rules::Lint::UnitAbbreviation);
        let own = ::metric_group::__private::rules::LintSet::EMPTY
            .with(::metric_group::__private::rules::Lint::UnitAbbreviation);
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::CounterTotal)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): counter metrics should have a `_total` suffix; add `allow(counter_total)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::CounterTotal)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): lint `counter_total` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::NonCounterTotal)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): non-counter metrics should not have a `_total` suffix; add `allow(non_counter_total)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::NonCounterTotal)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): lint `non_counter_total` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::BaseUnit)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): metric names should use base units (`seconds`, `bytes`, `meters`, ...); add `allow(base_unit)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::BaseUnit)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): lint `base_unit` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::UnitAbbreviation)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): metric names should not contain abbreviated units; add `allow(unit_abbreviation)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::UnitAbbreviation)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): lint `unit_abbreviation` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::TypeInName)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): metric names should not include a metric type (`counter`, `gauge`, `histogram`, `summary`); add `allow(type_in_name)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::TypeInName)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): lint `type_in_name` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::ReservedSuffix)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): `_bucket`, `_count` and `_sum` suffixes are reserved for histograms; add `allow(reserved_suffix)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::ReservedSuffix)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): lint `reserved_suffix` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::ReservedChars)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): metric names should not contain `:`; add `allow(reserved_chars)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::ReservedChars)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): lint `reserved_chars` is allowed but the name does not trigger it")
        }
        if found
            .without(allowed)
            .contains(::metric_group::__private::rules::Lint::CamelCase)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): metric and label names should be written in snake_case, not camelCase; add `allow(camel_case)` to `#[metric(...)]` if this is deliberate")
        }
        if own
            .without(found)
            .contains(::metric_group::__private::rules::Lint::CamelCase)
        {
            :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`): lint `camel_case` is allowed but the name does not trigger it")
        }
    };
    const _: () = if (names::PREFIX.is_empty()
        || ::metric_group::__private::rules::is_valid_metric_name(names::PREFIX))
        && !::metric_group::__private::rules::name_mentions_unit(
            Overhead::BLOCK_HASHING_NAME,
            "milliseconds",
        ) {
        :: core :: panic ! ("{}" , "metric name of field `block_hashing` (`names::PREFIX` + \"_\" + `names::BLOCK_HASHING_MS`) does not mention its unit `milliseconds`: end it in `_milliseconds`")
    };
};
