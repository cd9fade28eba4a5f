//! The web page's entry point, built by Trunk for wasm32 (`--features web`).

fn main() {
    oauth_doctor::app::start();
}
