#[allow(non_upper_case_globals, clippy::all)]
const _: () = {
    fn __memo(
    ) -> &'static ::metric_group::__private::OnceCell<::metric_group::__private::Memoised<Shop>>
    {
        static MEMO: ::metric_group::__private::OnceCell<
            ::metric_group::__private::Memoised<Shop>,
        > = ::metric_group::__private::OnceCell::new();
        &MEMO
    }
    #[automatically_derived]
    impl Shop {
        #[doc = "Full name of `shop_orders_total`, a counter labelled `method`: Orders placed"]
        pub const ORDERS_NAME: &'static str = "shop_orders_total";
        #[doc = "Full name of `shop_checkout_seconds`, a histogram, buckets [0.1, 0.5]: Checkout latency"]
        pub const CHECKOUT_NAME: &'static str = "shop_checkout_seconds";
        #[doc = r" Builds the group's metrics without registering them."]
        #[doc = ""]
        #[doc = " # Metrics"]
        #[doc = ""]
        #[doc = " - `shop_orders_total`, a counter labelled `method`: Orders placed"]
        #[doc = " - `shop_checkout_seconds`, a histogram, buckets [0.1, 0.5]: Checkout latency"]
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
        #[doc = " - `shop_orders_total`, a counter labelled `method`: Orders placed"]
        #[doc = " - `shop_checkout_seconds`, a histogram, buckets [0.1, 0.5]: Checkout latency"]
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
        #[doc = "The series of `shop_orders_total`, a counter labelled `method`: Orders placed, for these label values."]
        #[inline]
        pub fn orders_with_labels(
            &self,
            method: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<
            <IntCounterVec as ::metric_group::__private::Labelled>::Child,
            ::metric_group::__private::Error,
        > {
            ::metric_group::__private::series(
                &self.orders,
                [&method as &dyn ::metric_group::__private::LabelValue],
            )
        }
        #[doc = "Removes the series of `shop_orders_total`, a counter labelled `method`: Orders placed for these label values; whether it existed."]
        #[inline]
        pub fn remove_orders(&self, method: impl ::metric_group::__private::LabelValue) -> bool {
            ::metric_group::__private::remove_series(
                &self.orders,
                [&method as &dyn ::metric_group::__private::LabelValue],
            )
        }
        #[doc = "Adds one to `shop_orders_total`, a counter labelled `method`: Orders placed"]
        #[inline]
        pub fn inc_orders(
            &self,
            method: impl ::metric_group::__private::LabelValue,
        ) -> ::core::result::Result<(), ::metric_group::__private::Error> {
            self.orders_with_labels(method)?.inc();
            ::core::result::Result::Ok(())
        }
        #[doc = "Records a duration into `shop_checkout_seconds`, a histogram, buckets [0.1, 0.5]: Checkout latency"]
        #[inline]
        pub fn observe_checkout_duration(&self, duration: ::metric_group::__private::Duration) {
            self.checkout.observe(duration.as_secs_f64() * 1f64);
        }
    }
    #[automatically_derived]
    impl ::metric_group::__private::MetricGroup for Shop {
        const GROUP: &'static ::metric_group::__private::GroupDescriptor =
            &::metric_group::__private::GroupDescriptor {
                name: "Shop",
                module_path: ::core::module_path!(),
                const_labels: &[],
                scope: ::metric_group::__private::ScopeKind::Registry,
                metrics: &[
                    ::metric_group::__private::MetricDescriptor {
                        field: "orders",
                        name: Self::ORDERS_NAME,
                        kind: ::metric_group::__private::rules::MetricKind::Counter,
                        help: "Orders placed",
                        labels: &["method"],
                        buckets: ::core::option::Option::None,
                        unit: ::core::option::Option::None,
                        allowed_lints: &[],
                    },
                    ::metric_group::__private::MetricDescriptor {
                        field: "checkout",
                        name: Self::CHECKOUT_NAME,
                        kind: ::metric_group::__private::rules::MetricKind::Histogram,
                        help: "Checkout latency",
                        labels: &[],
                        buckets: ::core::option::Option::Some(&[0.1, 0.5]),
                        unit: ::core::option::Option::Some("seconds"),
                        allowed_lints: &[],
                    },
                ],
            };
        #[allow(unreachable_code)]
        #[inline]
        fn build(
            context: &::metric_group::__private::BuildContext,
        ) -> ::core::result::Result<Self, ::metric_group::__private::Error> {
            let __field_orders = <IntCounterVec as ::metric_group::__private::BuildMetric>::build(
                context,
                &<Self as ::metric_group::__private::MetricGroup>::GROUP.metrics[0usize],
            )?;
            let __field_checkout = <Histogram as ::metric_group::__private::BuildMetric>::build(
                context,
                &<Self as ::metric_group::__private::MetricGroup>::GROUP.metrics[1usize],
            )?;
            ::core::result::Result::Ok(Shop {
                orders: __field_orders,
                checkout: __field_checkout,
            })
        }
        #[inline]
        fn collectors(
            &self,
        ) -> ::std::vec::Vec<
            ::std::boxed::Box<dyn ::metric_group::__private::prometheus::core::Collector>,
        > {
            ::std::vec![
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.orders))
                    as ::std::boxed::Box<
                        dyn ::metric_group::__private::prometheus::core::Collector,
                    >,
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.checkout))
                    as ::std::boxed::Box<
                        dyn ::metric_group::__private::prometheus::core::Collector,
                    >
            ]
        }
    }
    ::metric_group::__private::catalog_entry!(
        <Shop as ::metric_group::__private::MetricGroup>::GROUP
    );
};
