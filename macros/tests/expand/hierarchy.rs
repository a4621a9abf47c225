#[allow(non_upper_case_globals, clippy::all)]
const _: () = {
    #[automatically_derived]
    impl Requests {
        #[doc = "Name below the prefix of the hierarchy scope the group is created in; scraped as `dynamo_component_router_requests_total`, a counter labelled `dynamo_namespace`, `dynamo_component`, `router_id`: Total number of requests processed by the router"]
        pub const REQUESTS_NAME: &'static str = "router_requests_total";
        #[doc = r" The group of `scope`, built and registered on the scope's registry"]
        #[doc = r" on first call. Each scope has its own instance; asking one scope"]
        #[doc = r" again returns its instance (other const label values are an error)."]
        #[doc = ""]
        #[doc = " # Metrics"]
        #[doc = ""]
        #[doc = " - `dynamo_component_router_requests_total`, a counter labelled `dynamo_namespace`, `dynamo_component`, `router_id`: Total number of requests processed by the router"]
        #[inline]
        pub fn for_scope(
            scope: &::metric_group::__private::Scope,
            router_id: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<
            ::metric_group::__private::Arc<Self>,
            ::metric_group::__private::Error,
        > {
            scope.group::<Self>(::std::vec![
                ::metric_group::__private::LabelValue::to_label_string(&router_id)
            ])
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
    }
    #[automatically_derived]
    impl ::metric_group::__private::MetricGroup for Requests {
        const GROUP: &'static ::metric_group::__private::GroupDescriptor =
            &::metric_group::__private::GroupDescriptor {
                name: "Requests",
                module_path: ::core::module_path!(),
                const_labels: &["router_id"],
                scope: ::metric_group::__private::ScopeKind::Hierarchy(
                    ::core::option::Option::Some(::metric_group::__private::Level::Component),
                ),
                metrics: &[::metric_group::__private::MetricDescriptor {
                    field: "requests",
                    name: Self::REQUESTS_NAME,
                    kind: ::metric_group::__private::rules::MetricKind::Counter,
                    help: "Total number of requests processed by the router",
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
            let __field_requests = <IntCounter as ::metric_group::__private::BuildMetric>::build(
                context,
                &<Self as ::metric_group::__private::MetricGroup>::GROUP.metrics[0usize],
            )?;
            ::core::result::Result::Ok(Requests {
                requests: __field_requests,
            })
        }
        #[inline]
        fn collectors(
            &self,
        ) -> ::std::vec::Vec<
            ::std::boxed::Box<dyn ::metric_group::__private::prometheus::core::Collector>,
        > {
            ::std::vec![
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.requests))
                    as ::std::boxed::Box<
                        dyn ::metric_group::__private::prometheus::core::Collector,
                    >
            ]
        }
    }
    ::metric_group::__private::catalog_entry!(
        <Requests as ::metric_group::__private::MetricGroup>::GROUP
    );
};
