#[doc = "The series of `Scheduler`'s metrics for one set of values of the labels it binds, resolved once by [`Scheduler::bind`]: an update through a field is one atomic operation."]
#[derive(Clone)]
pub struct SchedulerHandles {
    #[doc = "The series of `router_queued_total`, a counter labelled `model`, `worker_type`: Queued requests"]
    pub queued: <IntCounterVec as ::metric_group::__private::Labelled>::Child,
    #[doc = "The series of `router_backpressure_total`, a counter labelled `model`, `worker_type`, `reason`: Backpressure by reason"]
    pub request_limit: <IntCounterVec as ::metric_group::__private::Labelled>::Child,
}
#[allow(non_upper_case_globals, clippy::all)]
const _: () = {
    fn __memo(
    ) -> &'static ::metric_group::__private::OnceCell<::metric_group::__private::Memoised<Scheduler>>
    {
        static MEMO: ::metric_group::__private::OnceCell<
            ::metric_group::__private::Memoised<Scheduler>,
        > = ::metric_group::__private::OnceCell::new();
        &MEMO
    }
    #[automatically_derived]
    impl Scheduler {
        #[doc = "Full name of `router_queued_total`, a counter labelled `model`, `worker_type`: Queued requests"]
        pub const QUEUED_NAME: &'static str = "router_queued_total";
        #[doc = "Full name of `router_backpressure_total`, a counter labelled `model`, `worker_type`, `reason`: Backpressure by reason"]
        pub const REQUEST_LIMIT_NAME: &'static str = "router_backpressure_total";
        #[doc = r" Builds the group's metrics without registering them."]
        #[doc = ""]
        #[doc = " # Metrics"]
        #[doc = ""]
        #[doc = " - `router_queued_total`, a counter labelled `model`, `worker_type`: Queued requests"]
        #[doc = " - `router_backpressure_total`, a counter labelled `model`, `worker_type`, `reason`: Backpressure by reason"]
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
        #[doc = " - `router_queued_total`, a counter labelled `model`, `worker_type`: Queued requests"]
        #[doc = " - `router_backpressure_total`, a counter labelled `model`, `worker_type`, `reason`: Backpressure by reason"]
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
        #[doc = r" Resolves the series of every metric labelled by the bound"]
        #[doc = r" labels, for these values, once."]
        #[inline]
        pub fn bind(
            &self,
            model: impl ::metric_group::__private::LabelValue,
            worker_type: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<SchedulerHandles, ::metric_group::__private::Error> {
            ::core::result::Result::Ok(SchedulerHandles {
                queued: self.queued_with_labels(&model, &worker_type)?,
                request_limit: self.request_limit_with_labels(&model, &worker_type)?,
            })
        }
        #[doc = "The series of `router_queued_total`, a counter labelled `model`, `worker_type`: Queued requests, for these label values."]
        #[inline]
        pub fn queued_with_labels(
            &self,
            model: impl ::metric_group::__private::LabelValue,
            worker_type: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<
            <IntCounterVec as ::metric_group::__private::Labelled>::Child,
            ::metric_group::__private::Error,
        > {
            ::metric_group::__private::series(
                &self.queued,
                [
                    &model as &dyn ::metric_group::__private::LabelValue,
                    &worker_type as &dyn ::metric_group::__private::LabelValue,
                ],
            )
        }
        #[doc = "Removes the series of `router_queued_total`, a counter labelled `model`, `worker_type`: Queued requests for these label values; whether it existed."]
        #[inline]
        pub fn remove_queued(
            &self,
            model: impl ::metric_group::__private::LabelValue,
            worker_type: impl ::metric_group::__private::LabelValue,
        ) -> bool {
            ::metric_group::__private::remove_series(
                &self.queued,
                [
                    &model as &dyn ::metric_group::__private::LabelValue,
                    &worker_type as &dyn ::metric_group::__private::LabelValue,
                ],
            )
        }
        #[doc = "Adds one to `router_queued_total`, a counter labelled `model`, `worker_type`: Queued requests"]
        #[inline]
        pub fn inc_queued(
            &self,
            model: impl ::metric_group::__private::LabelValue,
            worker_type: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<(), ::metric_group::__private::Error> {
            self.queued_with_labels(model, worker_type)?.inc();
            ::core::result::Result::Ok(())
        }
        #[doc = "The series of `router_backpressure_total`, a counter labelled `model`, `worker_type`, `reason`: Backpressure by reason, for these label values."]
        #[inline]
        pub fn request_limit_with_labels(
            &self,
            model: impl ::metric_group::__private::LabelValue,
            worker_type: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<
            <IntCounterVec as ::metric_group::__private::Labelled>::Child,
            ::metric_group::__private::Error,
        > {
            ::metric_group::__private::series(
                &self.request_limit,
                [
                    &model as &dyn ::metric_group::__private::LabelValue,
                    &worker_type as &dyn ::metric_group::__private::LabelValue,
                    &"request_limit" as &dyn ::metric_group::__private::LabelValue,
                ],
            )
        }
        #[doc = "Removes the series of `router_backpressure_total`, a counter labelled `model`, `worker_type`, `reason`: Backpressure by reason for these label values; whether it existed."]
        #[inline]
        pub fn remove_request_limit(
            &self,
            model: impl ::metric_group::__private::LabelValue,
            worker_type: impl ::metric_group::__private::LabelValue,
        ) -> bool {
            ::metric_group::__private::remove_series(
                &self.request_limit,
                [
                    &model as &dyn ::metric_group::__private::LabelValue,
                    &worker_type as &dyn ::metric_group::__private::LabelValue,
                    &"request_limit" as &dyn ::metric_group::__private::LabelValue,
                ],
            )
        }
        #[doc = "Adds one to `router_backpressure_total`, a counter labelled `model`, `worker_type`, `reason`: Backpressure by reason"]
        #[inline]
        pub fn inc_request_limit(
            &self,
            model: impl ::metric_group::__private::LabelValue,
            worker_type: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<(), ::metric_group::__private::Error> {
            self.request_limit_with_labels(model, worker_type)?.inc();
            ::core::result::Result::Ok(())
        }
    }
    #[automatically_derived]
    impl ::metric_group::__private::MetricGroup for Scheduler {
        const GROUP: &'static ::metric_group::__private::GroupDescriptor =
            &::metric_group::__private::GroupDescriptor {
                name: "Scheduler",
                module_path: ::core::module_path!(),
                const_labels: &[],
                scope: ::metric_group::__private::ScopeKind::Registry,
                metrics: &[
                    ::metric_group::__private::MetricDescriptor {
                        field: "queued",
                        name: Self::QUEUED_NAME,
                        kind: ::metric_group::__private::rules::MetricKind::Counter,
                        help: "Queued requests",
                        labels: &["model", "worker_type"],
                        buckets: ::core::option::Option::None,
                        unit: ::core::option::Option::None,
                        allowed_lints: &[],
                    },
                    ::metric_group::__private::MetricDescriptor {
                        field: "request_limit",
                        name: Self::REQUEST_LIMIT_NAME,
                        kind: ::metric_group::__private::rules::MetricKind::Counter,
                        help: "Backpressure by reason",
                        labels: &["model", "worker_type", "reason"],
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
            let __field_queued = <IntCounterVec as ::metric_group::__private::BuildMetric>::build(
                context,
                &<Self as ::metric_group::__private::MetricGroup>::GROUP.metrics[0usize],
            )?;
            let __field_request_limit =
                <IntCounterVec as ::metric_group::__private::BuildMetric>::build(
                    context,
                    &<Self as ::metric_group::__private::MetricGroup>::GROUP.metrics[1usize],
                )?;
            ::core::result::Result::Ok(Scheduler {
                queued: __field_queued,
                request_limit: __field_request_limit,
            })
        }
        #[inline]
        fn collectors(
            &self,
        ) -> ::std::vec::Vec<
            ::std::boxed::Box<dyn ::metric_group::__private::prometheus::core::Collector>,
        > {
            ::std::vec![
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.queued))
                    as ::std::boxed::Box<
                        dyn ::metric_group::__private::prometheus::core::Collector,
                    >,
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.request_limit))
                    as ::std::boxed::Box<
                        dyn ::metric_group::__private::prometheus::core::Collector,
                    >
            ]
        }
    }
    ::metric_group::__private::catalog_entry!(
        <Scheduler as ::metric_group::__private::MetricGroup>::GROUP
    );
};
