//! The page's engine, built by Trunk for wasm32 (`--features worker`) and started
//! by the page in a Web Worker: see [`oauth_doctor::worker`].

fn main() {
    oauth_doctor::worker::start();
}
