//! `bind(...)`: the `<Group>Handles` struct and the `bind` method.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use super::{param_idents, Gen};
use crate::ast::Field;

impl Gen<'_> {
    /// `bind(...)`: the `<Group>Handles` struct (outside the private block,
    /// so callers can name it) and the `bind` method that resolves it.
    pub(super) fn handles(&self) -> (TokenStream, TokenStream) {
        let Some(bind) = self.input.attrs.bind.value() else {
            return (TokenStream::new(), TokenStream::new());
        };
        let fields: Vec<&Field> = (self.input.bound_fields.iter())
            .map(|&index| &self.input.fields[index])
            .collect();
        if fields.is_empty() {
            return (TokenStream::new(), TokenStream::new()); // reported
        }
        let private = &self.private;
        let (ident, vis) = (self.input.ident, self.input.vis);
        let handles = format_ident!("{}Handles", ident);
        let members: Vec<&Ident> = fields.iter().map(|f| f.ident).collect();
        let child_types = fields.iter().map(|f| {
            let ty = f.ty;
            match f.label_set {
                Some(_) => quote!(<#ty as #private::FamilyChild>::Child),
                None => quote!(<#ty as #private::Labelled>::Child),
            }
        });
        let docs = fields
            .iter()
            .map(|f| format!("The series of {}", self.metric_summary(f)));
        let (params, args) = match self.input.bound_label_set {
            Some(label_set) => (quote!(labels: &#label_set), vec![quote!(labels)]),
            None => {
                let params = param_idents(bind.names.iter().map(|l| l.name.as_str()), &[]);
                let args = params.iter().map(|p| quote!(&#p)).collect();
                (quote!(#(#params: impl #private::LabelValue),*), args)
            }
        };
        // `bound_fields` holds only fields with series helpers.
        let series = fields.iter().filter_map(|f| {
            let (series_fn, _) = f.resolved.helpers.series.as_ref()?;
            Some(quote!(self.#series_fn(#(#args),*)?))
        });
        let struct_doc = format!(
            "The series of `{ident}`'s metrics for one set of values of the labels it binds, resolved once by [`{ident}::bind`]: an update through a field is one atomic operation."
        );
        let handles_struct = quote! {
            #[doc = #struct_doc]
            #[derive(Clone)]
            #vis struct #handles {
                #(#[doc = #docs] pub #members: #child_types,)*
            }
        };
        let bind_fn = quote! {
            /// Resolves the series of every metric labelled by the bound
            /// labels, for these values, once.
            ///
            /// # Errors
            ///
            /// The errors of resolving each series (`<field>_with_labels`).
            #[inline]
            pub fn bind(&self, #params) -> ::core::result::Result<#handles, #private::Error> {
                ::core::result::Result::Ok(#handles { #(#members: #series,)* })
            }
        };
        (handles_struct, bind_fn)
    }
}
