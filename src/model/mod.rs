//! The memory model: pure Rust, no wasm-bindgen, no web-sys. Given a scenario, it says what
//! CPython or NumPy allocates, byte by byte, and why.

pub mod alloc;
pub mod code;
pub mod containers;
pub mod diagram;
pub mod layout;
pub mod num;
pub mod objects;
pub mod profile;
pub mod resolve;
pub mod rules;
pub mod scenario;
pub mod tree;

pub use layout::{layout, Layout};
pub use profile::Profile;
pub use scenario::Scenario;
pub use tree::{Bytes, Kind, Node};
