//! The web page's entry point, built by Trunk for wasm32 (`--features web`).

// Talc instead of the default dlmalloc: smaller, and the interface's wasm is the
// page's first load (measured: see docs/measurements.md, session 21).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    oauth_doctor::app::start();
}
