#[allow(non_upper_case_globals, clippy::all)]
const _: () = {
    fn __memo(
    ) -> &'static ::metric_group::__private::OnceCell<::metric_group::__private::Memoised<Router>>
    {
        static MEMO: ::metric_group::__private::OnceCell<
            ::metric_group::__private::Memoised<Router>,
        > = ::metric_group::__private::OnceCell::new();
        &MEMO
    }
    #[automatically_derived]
    impl Router {
        #[doc = "Full name of `routed_total`, a counter: Routed requests"]
        pub const ROUTED_TOTAL_NAME: &'static str = "routed_total";
        #[doc = r" Builds the group's metrics without registering them."]
        #[doc = ""]
        #[doc = " # Metrics"]
        #[doc = ""]
        #[doc = " - `routed_total`, a counter: Routed requests"]
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
        #[doc = " - `routed_total`, a counter: Routed requests"]
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
    impl ::metric_group::__private::MetricGroup for Router {
        const GROUP: &'static ::metric_group::__private::GroupDescriptor =
            &::metric_group::__private::GroupDescriptor {
                name: "Router",
                module_path: ::core::module_path!(),
                const_labels: &[],
                scope: ::metric_group::__private::ScopeKind::Registry,
                metrics: &[::metric_group::__private::MetricDescriptor {
                    field: "routed_total",
                    name: Self::ROUTED_TOTAL_NAME,
                    kind: ::metric_group::__private::rules::MetricKind::Counter,
                    help: "Routed requests",
                    labels: &[],
                    buckets: ::core::option::Option::None,
                    unit: ::core::option::Option::None,
                    allowed_lints: &[],
                }],
            };
        #[allow(unreachable_code)]
        #[inline]
        fn build(
            context: &::metric_group::__private::BuildContext,
        ) -> ::core::result::Result<Self, ::metric_group::__private::Error> {
            let __field_routed_total =
                <IntCounter as ::metric_group::__private::BuildMetric>::build(
                    context,
                    &<Self as ::metric_group::__private::MetricGroup>::GROUP.metrics[0usize],
                )?;
            let __field_recent = <Mutex<Vec<u64>> as ::core::default::Default>::default();
            ::core::result::Result::Ok(Router {
                routed_total: __field_routed_total,
                recent: __field_recent,
            })
        }
        #[inline]
        fn collectors(
            &self,
        ) -> ::std::vec::Vec<
            ::std::boxed::Box<dyn ::metric_group::__private::prometheus::core::Collector>,
        > {
            ::std::vec![
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.routed_total))
                    as ::std::boxed::Box<
                        dyn ::metric_group::__private::prometheus::core::Collector,
                    >
            ]
        }
    }
    ::metric_group::__private::catalog_entry!(
        <Router as ::metric_group::__private::MetricGroup>::GROUP
    );
};
