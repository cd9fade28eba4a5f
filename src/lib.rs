//! OAuth Doctor: diagnoses failed OAuth 2.0 and OpenID Connect logins from whatever
//! the failure printed. See ARCHITECTURE.md for the map.

pub mod core;
pub mod site;

pub use crate::core::diagnose::{Diagnosis, Options, diagnose};

#[cfg(feature = "web")]
pub mod app;

#[cfg(feature = "worker")]
pub mod worker;
