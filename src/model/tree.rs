//! The allocation tree the flame graph draws. A parent's bytes are always the sum of its
//! children's, under each of the three accountings.

use std::borrow::Cow;
use std::iter::Sum;
use std::ops::Add;

use super::alloc::{Block, BlockKind};

/// The three numbers people confuse.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bytes {
    /// What sys.getsizeof attributes here.
    pub getsizeof: u64,
    /// What was asked of the allocator (what tracemalloc reports).
    pub requested: u64,
    /// What the allocator set aside for those requests.
    pub allocated: u64,
}

impl Bytes {
    pub const ZERO: Bytes = Bytes {
        getsizeof: 0,
        requested: 0,
        allocated: 0,
    };

    /// Bytes counted the same way by all three accountings (a real field of a real block).
    pub fn same(b: u64) -> Bytes {
        Bytes {
            getsizeof: b,
            requested: b,
            allocated: b,
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == Bytes::ZERO
    }

    pub fn times(self, k: u64) -> Bytes {
        Bytes {
            getsizeof: self.getsizeof * k,
            requested: self.requested * k,
            allocated: self.allocated * k,
        }
    }
}

impl Add for Bytes {
    type Output = Bytes;
    fn add(self, o: Bytes) -> Bytes {
        Bytes {
            getsizeof: self.getsizeof + o.getsizeof,
            requested: self.requested + o.requested,
            allocated: self.allocated + o.allocated,
        }
    }
}

impl Sum for Bytes {
    fn sum<I: Iterator<Item = Bytes>>(it: I) -> Bytes {
        it.fold(Bytes::ZERO, Add::add)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Root,
    /// A container object's own block.
    Object,
    /// The cyclic GC's header in front of an object.
    Gc,
    /// A named header field.
    Header,
    /// A separately allocated buffer (pointer array, data buffer).
    Buffer,
    /// Pointer slots in use.
    Slots,
    /// Room allocated for growth, not in use.
    Slack,
    /// The values themselves (digits, doubles, packed items).
    Payload,
    /// Bytes requested but unused: struct padding, an unused digit, a placeholder byte.
    Padding,
    /// What the allocator adds on top of the request: size-class rounding, chunk headers, pages.
    Rounding,
    /// A group of element objects of one shape.
    Objects,
    /// Objects that existed before: referenced, not allocated.
    Shared,
    /// Bookkeeping kept elsewhere (NumPy's shape and strides).
    Metadata,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Root => "root",
            Kind::Object => "object",
            Kind::Gc => "gc",
            Kind::Header => "header",
            Kind::Buffer => "buffer",
            Kind::Slots => "slots",
            Kind::Slack => "slack",
            Kind::Payload => "payload",
            Kind::Padding => "padding",
            Kind::Rounding => "rounding",
            Kind::Objects => "objects",
            Kind::Shared => "shared",
            Kind::Metadata => "metadata",
        }
    }
}

/// Node texts are mostly fixed sentences: borrowed, not allocated, on every layout() call.
pub type Text = Cow<'static, str>;

/// One frame of the allocation tree: what the bytes are, how many, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub label: Text,
    pub kind: Kind,
    /// How many things this node stands for (objects, slots, fields across objects).
    pub count: u64,
    pub bytes: Bytes,
    /// One sentence saying what these bytes are and why they are there.
    pub explain: Text,
    pub children: Vec<Node>,
}

impl Node {
    pub fn leaf(
        label: impl Into<Text>,
        kind: Kind,
        count: u64,
        bytes: Bytes,
        explain: impl Into<Text>,
    ) -> Node {
        Node {
            label: label.into(),
            kind,
            count,
            bytes,
            explain: explain.into(),
            children: vec![],
        }
    }

    /// A node whose bytes are its children's sum; children with no bytes at all are dropped.
    pub fn parent(
        label: impl Into<Text>,
        kind: Kind,
        count: u64,
        explain: impl Into<Text>,
        children: Vec<Node>,
    ) -> Node {
        let mut children = children;
        children.retain(|c| !c.bytes.is_zero());
        let bytes = children.iter().map(|c| c.bytes).sum();
        Node {
            label: label.into(),
            kind,
            count,
            bytes,
            explain: explain.into(),
            children,
        }
    }

    /// Depth-first walk, parents before children.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Node, usize)) {
        fn go<'a>(n: &'a Node, depth: usize, f: &mut impl FnMut(&'a Node, usize)) {
            f(n, depth);
            for c in &n.children {
                go(c, depth + 1, f);
            }
        }
        go(self, 0, f);
    }

    pub fn find(&self, label_prefix: &str) -> Option<&Node> {
        let mut hit = None;
        self.walk(&mut |n, _| {
            if hit.is_none() && n.label.starts_with(label_prefix) {
                hit = Some(n);
            }
        });
        hit
    }
}

/// The allocator's share of a block (times `count` blocks), as a node.
pub fn rounding(block: Block, count: u64, pymalloc_explain: impl Into<Text>) -> Node {
    let extra = block.size - block.requested;
    let (label, explain): (&str, Text) = match block.kind {
        BlockKind::Small => ("pymalloc size-class rounding", pymalloc_explain.into()),
        BlockKind::Chunk => (
            "malloc chunk header + alignment",
            "malloc keeps a size header in front of each chunk and rounds chunks up to its \
             alignment; those bytes are reserved but never requested."
                .into(),
        ),
        BlockKind::Mapped => (
            "mmap page rounding + chunk header",
            "Past glibc's 128 KiB mmap threshold a block gets whole 4 KiB pages of its own, plus \
             a 16-byte chunk header; the tail of the last page is reserved but unused."
                .into(),
        ),
    };
    Node::leaf(
        label,
        Kind::Rounding,
        count,
        Bytes {
            getsizeof: 0,
            requested: 0,
            allocated: extra * count,
        },
        explain,
    )
}
