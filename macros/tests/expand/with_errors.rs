#[allow(non_upper_case_globals, clippy::all)]
const _: () = {
    fn __memo(
    ) -> &'static ::metric_group::__private::OnceCell<::metric_group::__private::Memoised<Broken>>
    {
        static MEMO: ::metric_group::__private::OnceCell<
            ::metric_group::__private::Memoised<Broken>,
        > = ::metric_group::__private::OnceCell::new();
        &MEMO
    }
    #[automatically_derived]
    impl Broken {
        #[doc = "Full name of `carts`, a gauge: Open carts"]
        pub const CARTS_NAME: &'static str = "carts";
        #[doc = "Full name of `undocumented`, a gauge"]
        pub const UNDOCUMENTED_NAME: &'static str = "undocumented";
        #[doc = r" Builds the group's metrics without registering them."]
        #[doc = ""]
        #[doc = " # Metrics"]
        #[doc = ""]
        #[doc = " - `carts`, a gauge: Open carts"]
        #[doc = " - `undocumented`, a gauge"]
        #[inline]
        pub fn new() -> ::core::result::Result<Self, ::metric_group::__private::Error> {
            <Self as ::metric_group::__private::MetricGroup>::build(
                &::metric_group::__private::BuildContext::registry(
                    <Self as ::metric_group::__private::MetricGroup>::GROUP,
                    ::std::vec![],
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
        #[doc = r" The process-wide instance, built on first use (not registered:"]
        #[doc = r" see `init`)."]
        #[inline]
        pub fn global() -> ::core::result::Result<&'static Self, ::metric_group::__private::Error> {
            ::metric_group::__private::global(__memo())
        }
        #[doc = r" Builds the process-wide instance on first call and registers it on"]
        #[doc = r" `registry`. Later calls return the same instance (registering it on"]
        #[doc = r" another registry if given one); other const label values are an error."]
        #[doc = ""]
        #[doc = " # Metrics"]
        #[doc = ""]
        #[doc = " - `carts`, a gauge: Open carts"]
        #[doc = " - `undocumented`, a gauge"]
        #[inline]
        pub fn init(
            registry: &::metric_group::__private::prometheus::Registry,
        ) -> ::core::result::Result<&'static Self, ::metric_group::__private::Error> {
            ::metric_group::__private::init(__memo(), registry, ::std::vec![])
        }
        #[doc = r" The instance `init` (or `global`) built, if any."]
        #[inline]
        pub fn get() -> ::core::option::Option<&'static Self> {
            ::metric_group::__private::get(__memo())
        }
    }
    #[automatically_derived]
    impl ::metric_group::__private::MetricGroup for Broken {
        const GROUP: &'static ::metric_group::__private::GroupDescriptor =
            &::metric_group::__private::GroupDescriptor {
                name: "Broken",
                module_path: ::core::module_path!(),
                const_labels: &[],
                scope: ::metric_group::__private::ScopeKind::Registry,
                metrics: &[
                    ::metric_group::__private::MetricDescriptor {
                        field: "carts",
                        name: Self::CARTS_NAME,
                        kind: ::metric_group::__private::rules::MetricKind::Gauge,
                        help: "Open carts",
                        labels: &[],
                        buckets: ::core::option::Option::None,
                        unit: ::core::option::Option::None,
                        allowed_lints: &[],
                    },
                    ::metric_group::__private::MetricDescriptor {
                        field: "undocumented",
                        name: Self::UNDOCUMENTED_NAME,
                        kind: ::metric_group::__private::rules::MetricKind::Gauge,
                        help: "",
                        labels: &[],
                        buckets: ::core::option::Option::None,
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
            let __field_carts = <Gauge as ::metric_group::__private::BuildMetric>::build(
                context,
                &<Self as ::metric_group::__private::MetricGroup>::GROUP.metrics[0usize],
            )?;
            let __field_undocumented = ::core::unreachable!();
            ::core::result::Result::Ok(Broken {
                carts: __field_carts,
                undocumented: __field_undocumented,
            })
        }
        #[inline]
        fn collectors(
            &self,
        ) -> ::std::vec::Vec<
            ::std::boxed::Box<dyn ::metric_group::__private::prometheus::core::Collector>,
        > {
            ::std::vec![
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.carts))
                    as ::std::boxed::Box<
                        dyn ::metric_group::__private::prometheus::core::Collector,
                    >
            ]
        }
    }
    ::metric_group::__private::catalog_entry!(
        <Broken as ::metric_group::__private::MetricGroup>::GROUP
    );
};
::core::compile_error! { "unknown metric attribute `nmae`, did you mean `name`?" }
::core::compile_error! { "unsupported metric type; expected one of `IntCounter`, `Counter`, `IntGauge`, `Gauge`, `Histogram`, `IntCounterVec`, `CounterVec`, `IntGaugeVec`, `GaugeVec`, `HistogramVec`, or `Family<L, M>` with a `LabelSet` `L` and an unlabelled `M` (type aliases are not followed: name the type itself)" }
