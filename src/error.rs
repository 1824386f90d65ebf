//! The one error type. Every message names what is wrong and what is allowed, because it is
//! shown to a person as is (a page note, a widget message, a thrown JS `Error`).

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A scenario or option field has a bad value. `field` is a dotted path (`values.start`).
    Invalid { field: String, problem: String },
    /// The lab's structure does not fit in what linear memory can grow to.
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

const MIB: f64 = 1024.0 * 1024.0;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { field, problem } => write!(f, "{field}: {problem}"),
            Error::OutOfMemory {
                needed,
                reached,
                limit,
            } => write!(
                f,
                "n: this structure needs about {:.1} MiB ({needed} bytes) but linear memory \
                 stopped growing at {:.1} MiB (the limit is {:.0} MiB); choose a smaller n",
                *needed as f64 / MIB,
                *reached as f64 / MIB,
                *limit as f64 / MIB
            ),
            Error::Cancelled => write!(f, "the lab run was cancelled"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
