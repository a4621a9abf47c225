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
        #[doc = "Full name of `overhead_hashing_ms`, a histogram, buckets [0.0001, 0.0002]: Time hashing, in milliseconds"]
        pub const HASHING_NAME: &'static str = "overhead_hashing_ms";
        #[doc = "Full name of `overhead_wait_seconds`, a histogram, buckets [0.1]: Own buckets win"]
        pub const WAIT_NAME: &'static str = "overhead_wait_seconds";
        #[doc = r" Builds the group's metrics without registering them."]
        #[doc = ""]
        #[doc = " # Metrics"]
        #[doc = ""]
        #[doc = " - `overhead_hashing_ms`, a histogram, buckets [0.0001, 0.0002]: Time hashing, in milliseconds"]
        #[doc = " - `overhead_wait_seconds`, a histogram, buckets [0.1]: Own buckets win"]
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
        #[doc = " - `overhead_hashing_ms`, a histogram, buckets [0.0001, 0.0002]: Time hashing, in milliseconds"]
        #[doc = " - `overhead_wait_seconds`, a histogram, buckets [0.1]: Own buckets win"]
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
        #[doc = "Records a duration into `overhead_hashing_ms`, a histogram, buckets [0.0001, 0.0002]: Time hashing, in milliseconds"]
        #[inline]
        pub fn observe_hashing_duration(&self, duration: ::metric_group::__private::Duration) {
            self.hashing.observe(duration.as_secs_f64() * 1000f64);
        }
        #[doc = "Records a duration into `overhead_wait_seconds`, a histogram, buckets [0.1]: Own buckets win"]
        #[inline]
        pub fn observe_wait_duration(&self, duration: ::metric_group::__private::Duration) {
            self.wait.observe(duration.as_secs_f64() * 1f64);
        }
    }
    #[automatically_derived]
    impl ::metric_group::__private::MetricGroup for Overhead {
        const GROUP: &'static ::metric_group::__private::GroupDescriptor =
            &::metric_group::__private::GroupDescriptor {
                name: "Overhead",
                module_path: ::core::module_path!(),
                const_labels: &[],
                scope: ::metric_group::__private::ScopeKind::Registry,
                metrics: &[
                    ::metric_group::__private::MetricDescriptor {
                        field: "hashing",
                        name: Self::HASHING_NAME,
                        kind: ::metric_group::__private::rules::MetricKind::Histogram,
                        help: "Time hashing, in milliseconds",
                        labels: &[],
                        buckets: ::core::option::Option::Some(&[0.0001, 0.0002]),
                        unit: ::core::option::Option::Some("milliseconds"),
                        allowed_lints: &[::metric_group::__private::rules::Lint::UnitAbbreviation],
                    },
                    ::metric_group::__private::MetricDescriptor {
                        field: "wait",
                        name: Self::WAIT_NAME,
                        kind: ::metric_group::__private::rules::MetricKind::Histogram,
                        help: "Own buckets win",
                        labels: &[],
                        buckets: ::core::option::Option::Some(&[0.1]),
                        unit: ::core::option::Option::Some("seconds"),
                        allowed_lints: &[::metric_group::__private::rules::Lint::UnitAbbreviation],
                    },
                ],
            };
        #[allow(unreachable_code)]
        #[inline]
        fn build(
            context: &::metric_group::__private::BuildContext,
        ) -> ::core::result::Result<Self, ::metric_group::__private::Error> {
            let __field_hashing = <Histogram as ::metric_group::__private::BuildMetric>::build(
                context,
                &<Self as ::metric_group::__private::MetricGroup>::GROUP.metrics[0usize],
            )?;
            let __field_wait = <Histogram as ::metric_group::__private::BuildMetric>::build(
                context,
                &<Self as ::metric_group::__private::MetricGroup>::GROUP.metrics[1usize],
            )?;
            ::core::result::Result::Ok(Overhead {
                hashing: __field_hashing,
                wait: __field_wait,
            })
        }
        #[inline]
        fn collectors(
            &self,
        ) -> ::std::vec::Vec<
            ::std::boxed::Box<dyn ::metric_group::__private::prometheus::core::Collector>,
        > {
            ::std::vec![
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.hashing))
                    as ::std::boxed::Box<
                        dyn ::metric_group::__private::prometheus::core::Collector,
                    >,
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.wait))
                    as ::std::boxed::Box<
                        dyn ::metric_group::__private::prometheus::core::Collector,
                    >
            ]
        }
    }
    ::metric_group::__private::catalog_entry!(
        <Overhead as ::metric_group::__private::MetricGroup>::GROUP
    );
};
