//! The one error type. Every message names what is wrong and what is allowed, because it is
//! shown to a person as is (a page note, a widget message, a thrown JS `Error`).

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A scenario or option field has a bad value. `field` is a dotted path (`values.start`).
    Invalid { field: String, problem: String },
    /// The lab's structure needs more than linear memory can ever hold (found before building).
    TooBig { needed: u64, limit: u64 },
    /// Linear memory stopped growing while the lab built its structure.
    OutOfMemory {
        needed: u64,
        reached: u64,
        limit: u64,
    },
    /// A lab run was stopped by the caller.
    Cancelled,
}

impl Error {
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

/// Bytes as MiB with one decimal.
fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1u64 << 20) as f64)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { field, problem } => write!(f, "{field}: {problem}"),
            Error::TooBig { needed, limit } => write!(
                f,
                "n: this structure needs about {} MiB ({needed} bytes), more than the {} MiB that \
                 WebAssembly's 32-bit linear memory can hold; choose a smaller n",
                mib(*needed),
                limit >> 20
            ),
            Error::OutOfMemory {
                needed,
                reached,
                limit,
            } => write!(
                f,
                "n: this structure needs about {} MiB ({needed} bytes) but linear memory \
                 stopped growing at {} MiB (the limit is {} MiB); choose a smaller n",
                mib(*needed),
                mib(*reached),
                limit >> 20
            ),
            Error::Cancelled => write!(f, "the lab run was cancelled"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
