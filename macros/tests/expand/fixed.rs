#[allow(non_upper_case_globals, clippy::all)]
const _: () = {
    fn __memo() -> &'static ::metric_group::__private::OnceCell<
        ::metric_group::__private::Memoised<Backpressure>,
    > {
        static MEMO: ::metric_group::__private::OnceCell<
            ::metric_group::__private::Memoised<Backpressure>,
        > = ::metric_group::__private::OnceCell::new();
        &MEMO
    }
    #[automatically_derived]
    impl Backpressure {
        #[doc = "Full name of `router_backpressure_total`, a counter labelled `model`, `reason`: Backpressure by reason"]
        pub const REQUEST_LIMIT_NAME: &'static str = "router_backpressure_total";
        #[doc = "Full name of `router_backpressure_total`, a counter labelled `model`, `reason`: Backpressure by reason"]
        pub const DO_NOT_QUEUE_NAME: &'static str = "router_backpressure_total";
        #[doc = r" Builds the group's metrics without registering them."]
        #[doc = ""]
        #[doc = " # Metrics"]
        #[doc = ""]
        #[doc = " - `router_backpressure_total`, a counter labelled `model`, `reason`: Backpressure by reason"]
        #[doc = " - `router_backpressure_total`, a counter labelled `model`, `reason`: Backpressure by reason"]
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
        #[doc = " - `router_backpressure_total`, a counter labelled `model`, `reason`: Backpressure by reason"]
        #[doc = " - `router_backpressure_total`, a counter labelled `model`, `reason`: Backpressure by reason"]
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
        #[doc = "The series of `router_backpressure_total`, a counter labelled `model`, `reason`: Backpressure by reason, for these label values."]
        #[inline]
        pub fn request_limit_with_labels(
            &self,
            model: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<
            <IntCounterVec as ::metric_group::__private::Labelled>::Child,
            ::metric_group::__private::Error,
        > {
            ::metric_group::__private::series(
                &self.request_limit,
                [
                    &model as &dyn ::metric_group::__private::LabelValue,
                    &"request_limit" as &dyn ::metric_group::__private::LabelValue,
                ],
            )
        }
        #[doc = "Removes the series of `router_backpressure_total`, a counter labelled `model`, `reason`: Backpressure by reason for these label values; whether it existed."]
        #[inline]
        pub fn remove_request_limit(
            &self,
            model: impl ::metric_group::__private::LabelValue,
        ) -> bool {
            ::metric_group::__private::remove_series(
                &self.request_limit,
                [
                    &model as &dyn ::metric_group::__private::LabelValue,
                    &"request_limit" as &dyn ::metric_group::__private::LabelValue,
                ],
            )
        }
        #[doc = "Adds one to `router_backpressure_total`, a counter labelled `model`, `reason`: Backpressure by reason"]
        #[inline]
        pub fn inc_request_limit(
            &self,
            model: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<(), ::metric_group::__private::Error> {
            self.request_limit_with_labels(model)?.inc();
            ::core::result::Result::Ok(())
        }
        #[doc = "The series of `router_backpressure_total`, a counter labelled `model`, `reason`: Backpressure by reason, for these label values."]
        #[inline]
        pub fn do_not_queue_with_labels(
            &self,
            model: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<
            <IntCounterVec as ::metric_group::__private::Labelled>::Child,
            ::metric_group::__private::Error,
        > {
            ::metric_group::__private::series(
                &self.do_not_queue,
                [
                    &model as &dyn ::metric_group::__private::LabelValue,
                    &"do_not_queue" as &dyn ::metric_group::__private::LabelValue,
                ],
            )
        }
        #[doc = "Removes the series of `router_backpressure_total`, a counter labelled `model`, `reason`: Backpressure by reason for these label values; whether it existed."]
        #[inline]
        pub fn remove_do_not_queue(
            &self,
            model: impl ::metric_group::__private::LabelValue,
        ) -> bool {
            ::metric_group::__private::remove_series(
                &self.do_not_queue,
                [
                    &model as &dyn ::metric_group::__private::LabelValue,
                    &"do_not_queue" as &dyn ::metric_group::__private::LabelValue,
                ],
            )
        }
        #[doc = "Adds one to `router_backpressure_total`, a counter labelled `model`, `reason`: Backpressure by reason"]
        #[inline]
        pub fn inc_do_not_queue(
            &self,
            model: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<(), ::metric_group::__private::Error> {
            self.do_not_queue_with_labels(model)?.inc();
            ::core::result::Result::Ok(())
        }
    }
    #[automatically_derived]
    impl ::metric_group::__private::MetricGroup for Backpressure {
        const GROUP: &'static ::metric_group::__private::GroupDescriptor =
            &::metric_group::__private::GroupDescriptor {
                name: "Backpressure",
                module_path: ::core::module_path!(),
                const_labels: &[],
                scope: ::metric_group::__private::ScopeKind::Registry,
                metrics: &[::metric_group::__private::MetricDescriptor {
                    field: "request_limit",
                    name: Self::REQUEST_LIMIT_NAME,
                    kind: ::metric_group::__private::rules::MetricKind::Counter,
                    help: "Backpressure by reason",
                    labels: &["model", "reason"],
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
            let __field_request_limit =
                <IntCounterVec as ::metric_group::__private::BuildMetric>::build(
                    context,
                    &<Self as ::metric_group::__private::MetricGroup>::GROUP.metrics[0usize],
                )?;
            let __field_do_not_queue = ::core::clone::Clone::clone(&__field_request_limit);
            ::core::result::Result::Ok(Backpressure {
                request_limit: __field_request_limit,
                do_not_queue: __field_do_not_queue,
            })
        }
        #[inline]
        fn collectors(
            &self,
        ) -> ::std::vec::Vec<
            ::std::boxed::Box<dyn ::metric_group::__private::prometheus::core::Collector>,
        > {
            ::std::vec![
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.request_limit))
                    as ::std::boxed::Box<
                        dyn ::metric_group::__private::prometheus::core::Collector,
                    >
            ]
        }
    }
    ::metric_group::__private::catalog_entry!(
        <Backpressure as ::metric_group::__private::MetricGroup>::GROUP
    );
};
