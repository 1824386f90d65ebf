//! boxed-vs-packed: exact CPython and NumPy memory layouts (`model`), proven with real
//! allocations in this module's own linear memory (`lab`), drawn with plotters (`charts`), and
//! offered to JavaScript through wasm-bindgen (`web`).

pub mod charts;
pub mod error;
pub mod lab;
pub mod model;
pub mod web;

pub use web::diagram::diagram;
pub use web::explorer::Explorer;
pub use web::lab::run_lab;
pub use web::layout::{check_snippet, layout, python_code};
pub use web::resolve_scenario;
