//! The one integration-test binary: features, not functions.
//!
//! - `cases`: every `tests/cases/*.txt` is diagnosed (or, for `scope-*.txt`, parsed as
//!   a scope string) and compared with the `.expected` file beside it. Set
//!   `UPDATE_EXPECT=1` to write the expected files anew, then review the diff.
//! - `corpus`: the public corpus of real errors, with its accuracy floors.
//! - `kb`: the knowledge base's own promises (examples rank their entry first...).
//! - `robustness`: no panic on arbitrary input, bounded time on huge input.
//! - `cli`: the `oauth-doctor` binary, its exit codes and its errors.

mod cases;
mod cli;
mod corpus;
mod envelopes;
mod kb;
mod metadata;
mod probe;
mod robustness;
mod scope;
mod search;
mod site;

/// A real discovery document from `../shared/fixtures/discovery/`.
fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../shared/fixtures/discovery/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
