//! The heap map of a lab run: each pixel a granule of linear memory, coloured by what holds it,
//! built here as RGBA bytes for one putImageData. At coarse zoom a pixel shows the kind of block
//! it falls in; once a pixel is smaller than a block, the field (header, payload, rounding...).
//! The chart takes plain data ([`HeapInput`]): runs of equal blocks, the allocators' regions,
//! and how a block of each kind is laid out. The boundary fills it from the lab's report.

use super::{Theme, BLUE, GREEN, LIGHT_GREY, ORANGE, PURPLE, SKY, VERMILLION, YELLOW};
use plotters::style::RGBColor;

/// What a byte is part of, as the map colours it. The numbers cross to JS (`part` on hover).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Part {
    /// An object's header fields (`ob_refcnt`, `ob_type`, `ob_size`...).
    Header = 0,
    /// The values themselves (`ob_digit`, `ob_fval`, a data buffer).
    Payload = 1,
    /// A pointer slot in use.
    Slot = 2,
    /// A slot over-allocated for growth, unused.
    Slack = 3,
    /// A malloc chunk header, or the allocator's rounding past the request.
    Rounding = 4,
    /// Struct padding.
    Padding = 5,
    /// The container object itself.
    Container = 6,
    /// An object that existed before (small-int cache, a constant, a type).
    Shared = 7,
    /// Free or untouched memory.
    Free = 8,
    /// pymalloc's pool headers and arena alignment.
    Bookkeeping = 9,
    /// Where an arena, pool, heap segment or mapping starts (drawn over the first granule).
    Boundary = 10,
}

pub const PART_NAMES: [&str; 11] = [
    "object header",
    "payload (the values)",
    "pointer slot",
    "over-allocated slot",
    "malloc chunk header / rounding",
    "struct padding",
    "container object",
    "shared object (existed before)",
    "free / untouched",
    "pymalloc pool header / arena alignment",
    "arena / pool / chunk boundary",
];

pub fn part_color(part: Part) -> RGBColor {
    match part {
        Part::Header => SKY,
        Part::Payload => ORANGE,
        Part::Slot => GREEN,
        Part::Slack => YELLOW,
        Part::Rounding => VERMILLION,
        Part::Padding => PURPLE,
        Part::Container => BLUE,
        Part::Shared => LIGHT_GREY,
        Part::Bookkeeping => RGBColor(0x8a, 0x3b, 0x12),
        Part::Free => RGBColor(0, 0, 0),
        Part::Boundary => RGBColor(0x33, 0x33, 0x33),
    }
}

/// What follows a block's named fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Items {
    /// Nothing: past the fields is "block k, offset j".
    None,
    /// 30-bit digits of 4 bytes: `ob_digit[k]`.
    Digits(Part),
    /// Pointers of `word` bytes named `name k`; the first `used` point at elements, the rest
    /// are over-allocated.
    Pointers { name: &'static str, used: usize },
    /// The packed values.
    Values,
}

/// How one block of a kind is laid out, for the hover and the fine raster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockLayout {
    /// Named fields from the block's start: (name, offset, bytes, part).
    pub fields: Vec<(&'static str, usize, usize, Part)>,
    pub items: Items,
    /// The part of bytes no field or item names.
    pub rest: Part,
}

/// Back-to-back blocks of one size holding one kind of thing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    pub start: usize,
    /// Bytes per block (the stride), allocator header and rounding included.
    pub size: usize,
    pub count: usize,
    /// Bytes requested per block.
    pub requested: usize,
    /// Allocator header bytes before the user data.
    pub lead: usize,
    /// What the blocks are ("int object", "pointer array").
    pub name: &'static str,
    /// The colour of a block when a pixel covers more than one.
    pub coarse: Part,
    /// Index into [`HeapInput::layouts`].
    pub layout: usize,
}

impl Run {
    fn end(&self) -> usize {
        self.start + self.size * self.count
    }
}

/// Memory that the allocators hold outside live blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub start: usize,
    pub len: usize,
    pub name: &'static str,
    pub part: Part,
}

/// A piece of the allocators' structure: an arena, a pool, a heap segment, a mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    pub start: usize,
    pub len: usize,
    /// `lab::pymalloc::Frame` as its number (1 arena, 2 pool, 3 heap segment, 4 mapping).
    pub kind: u8,
    /// A pool's block size (its size class), else 0.
    pub block: u32,
}

/// Everything the heap map draws: plain data, in bytes and addresses of the lab's memory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeapInput {
    /// Pointer size in bytes (8 on the 64-bit profiles, 4 on wasm32).
    pub word: usize,
    pub runs: Vec<Run>,
    pub regions: Vec<Region>,
    pub layouts: Vec<BlockLayout>,
    /// The allocators' frames, sorted by address (the lab hands them over so).
    pub frames: Vec<Frame>,
}

/// What is at one address, for the hover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spot {
    pub addr: usize,
    /// What the block or region is ("int object", "pool header", ...).
    pub what: &'static str,
    /// The field or part at the address ("ob_refcnt", "ob_digit[0]", "allocator rounding").
    pub field: String,
    /// Where that field starts, and its bytes.
    pub field_start: usize,
    pub field_len: usize,
    pub block_start: usize,
    pub block_size: usize,
    pub requested: usize,
    pub offset: usize,
    /// Which block of its run (for element objects: roughly which element).
    pub index: usize,
    pub part: Part,
}

pub struct HeapMap {
    input: HeapInput,
    pub lo: usize,
    pub hi: usize,
}

impl HeapMap {
    /// Sorts runs and regions by address if they are not already.
    pub fn new(mut input: HeapInput) -> HeapMap {
        if !input.regions.is_sorted_by_key(|r| r.start) {
            input.regions.sort_unstable_by_key(|r| r.start);
        }
        if !input.runs.is_sorted_by_key(|r| r.start) {
            input.runs.sort_unstable_by_key(|r| r.start);
        }
        for r in &mut input.runs {
            r.size = r.size.max(1);
        }

        let lo = (input.regions.iter().map(|r| r.start))
            .chain(input.runs.iter().map(|r| r.start))
            .min()
            .unwrap_or(0);
        let hi = (input.regions.iter().map(|r| r.start + r.len))
            .chain(input.runs.iter().map(Run::end))
            .max()
            .unwrap_or(lo + 1);
        HeapMap {
            input,
            lo,
            hi: hi.max(lo + 1),
        }
    }

    fn run_at(&self, addr: usize) -> Option<&Run> {
        let runs = &self.input.runs;
        let i = runs.partition_point(|r| r.start <= addr);
        let r = runs.get(i.checked_sub(1)?)?;
        (addr < r.end()).then_some(r)
    }

    fn region_at(&self, addr: usize) -> Option<&Region> {
        // The allocators' regions do not overlap (live blocks lie over them, and win).
        let regions = &self.input.regions;
        let i = regions.partition_point(|r| r.start <= addr);
        let r = regions.get(i.checked_sub(1)?)?;
        (addr < r.start + r.len).then_some(r)
    }

    /// What holds `addr`.
    pub fn describe(&self, addr: usize) -> Option<Spot> {
        if let Some(r) = self.run_at(addr) {
            let index = (addr - r.start) / r.size;
            let block_start = r.start + index * r.size;
            let offset = addr - block_start;
            let (field, part, at, len) = self.field(r, index, offset);
            return Some(Spot {
                addr,
                what: r.name,
                field,
                field_start: block_start + at,
                field_len: len,
                block_start,
                block_size: r.size,
                requested: r.requested,
                offset,
                index,
                part,
            });
        }
        let g = self.region_at(addr)?;
        Some(Spot {
            addr,
            what: g.name,
            field: g.name.to_owned(),
            field_start: g.start,
            field_len: g.len,
            block_start: g.start,
            block_size: g.len,
            requested: 0,
            offset: addr - g.start,
            index: 0,
            part: g.part,
        })
    }

    /// The field at `offset` into block `index` of run `r`: its name, part, and where it lies
    /// in the block (offset, bytes).
    fn field(&self, r: &Run, index: usize, offset: usize) -> (String, Part, usize, usize) {
        if offset < r.lead {
            return (
                "malloc chunk header (size word)".into(),
                Part::Rounding,
                0,
                r.lead,
            );
        }
        let off = offset - r.lead;
        if off >= r.requested {
            return (
                "allocator rounding (reserved, not requested)".into(),
                Part::Rounding,
                r.lead + r.requested,
                r.size.saturating_sub(r.lead + r.requested),
            );
        }
        let Some(layout) = self.input.layouts.get(r.layout) else {
            return (
                format!("block {index}, offset {off}"),
                Part::Shared,
                r.lead,
                r.requested,
            );
        };
        if let Some(f) = layout.fields.iter().find(|f| off >= f.1 && off < f.1 + f.2) {
            return (f.0.to_owned(), f.3, r.lead + f.1, f.2);
        }
        let head = layout.fields.last().map_or(0, |f| f.1 + f.2);
        let k = off.saturating_sub(head);
        let word = self.input.word.max(1);
        // An item's bytes, cut short by the end of the request.
        let item = |at: usize, len: usize| (r.lead + at, len.min(r.requested - at));
        match layout.items {
            Items::Digits(part) => {
                let (at, len) = item(head + k / 4 * 4, 4);
                // CPython allocates sizeof(PyLongObject), one digit and tail padding, for a
                // one-digit int (_PyLong_FromMedium): the same bytes as two digits.
                let name = if k / 4 == 1 && r.requested == head + 8 {
                    "ob_digit[1] or tail padding (sizeof(PyLongObject))".to_owned()
                } else {
                    format!("ob_digit[{}]", k / 4)
                };
                (name, part, at, len)
            }
            Items::Pointers { name, used } => {
                let slot = k / word;
                let (at, len) = item(head + slot * word, word);
                if slot < used {
                    (
                        format!("{name} {slot}: pointer to element {slot}"),
                        Part::Slot,
                        at,
                        len,
                    )
                } else {
                    (
                        format!("{name} {slot}: over-allocated, unused"),
                        Part::Slack,
                        at,
                        len,
                    )
                }
            }
            Items::Values => (
                format!("value bytes at offset {off}"),
                Part::Payload,
                r.lead,
                r.requested,
            ),
            Items::None => (
                format!("block {index}, offset {off}"),
                layout.rest,
                r.lead + head,
                r.requested - head.min(r.requested),
            ),
        }
    }

    /// RGBA pixels for addresses [from, to) laid out row-major over width x height. Bit
    /// `1 << part` of `hidden` paints that part as the background; a granule holding the start of an arena, pool, heap segment or mapping
    /// is painted as [`Part::Boundary`], so the structure shows at any zoom.
    pub fn raster(
        &self,
        from: f64,
        to: f64,
        width: usize,
        height: usize,
        theme: Theme,
        hidden: u32,
    ) -> Vec<u8> {
        // Addresses as f64: a band of a zoomed-in window starts between two bytes.
        let pixels = width * height;
        let mut out = vec![0u8; pixels * 4];
        let span = (to - from).max(1.0);
        let granule = span / pixels.max(1) as f64;
        let bg = theme.background();
        let free = theme.grid();
        let shown = |part: Part| hidden & (1 << part as u32) == 0;
        let frames = &self.input.frames;
        // Frame starts at or past the pixel's first byte, walked in step with the pixels.
        let base = from.max(0.0);
        let mut next = frames.partition_point(|f| (f.start as f64) < base);
        for (p, px) in out.chunks_exact_mut(4).enumerate() {
            let lo = base + p as f64 * granule;
            let hi = lo + granule;
            let addr = (lo + granule * 0.5) as usize;
            while next < frames.len() && (frames[next].start as f64) < lo {
                next += 1;
            }
            // Boundaries only once a pixel holds more than a few bytes: up close the pool
            // header and the blocks themselves say where things start.
            let edge = granule >= 16.0
                && next < frames.len()
                && (frames[next].start as f64) < hi
                && shown(Part::Boundary);
            let part = match self.run_at(addr) {
                Some(r) if granule >= r.size as f64 => Some(r.coarse),
                Some(r) => {
                    let index = (addr - r.start) / r.size;
                    Some(self.field(r, index, addr - r.start - index * r.size).1)
                }
                None => self.region_at(addr).map(|g| g.part),
            };
            let c = match part {
                _ if edge => part_color(Part::Boundary),
                Some(part) if !shown(part) => bg,
                Some(Part::Free) => free,
                Some(part) => part_color(part),
                None => bg,
            };
            px.copy_from_slice(&[c.0, c.1, c.2, 255]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> HeapMap {
        // free space in a pool, 3 int blocks of 32 (requested 28), then a pointer array chunk
        let int = BlockLayout {
            fields: vec![
                ("ob_refcnt", 0, 8, Part::Header),
                ("ob_type", 8, 8, Part::Header),
                ("ob_size / lv_tag", 16, 8, Part::Header),
            ],
            items: Items::Digits(Part::Payload),
            rest: Part::Payload,
        };
        let array = BlockLayout {
            fields: vec![],
            items: Items::Pointers {
                name: "slot",
                used: 3,
            },
            rest: Part::Slot,
        };
        let run = |start, size, count, requested, lead, name, coarse, layout| Run {
            start,
            size,
            count,
            requested,
            lead,
            name,
            coarse,
            layout,
        };
        HeapMap::new(HeapInput {
            word: 8,
            runs: vec![
                run(0x2008, 48, 1, 32, 8, "pointer array", Part::Slot, 1),
                run(0x1030, 32, 3, 28, 0, "int object", Part::Header, 0),
            ],
            regions: vec![Region {
                start: 0x1000,
                len: 0x4000,
                name: "free space in a pool",
                part: Part::Free,
            }],
            layouts: vec![int, array],
            frames: vec![],
        })
    }

    #[test]
    fn describes_fields_rounding_and_free_space() {
        let m = sample();
        let at = |a: usize| m.describe(a).unwrap();
        assert_eq!(at(0x1030).field, "ob_refcnt");
        assert_eq!(at(0x1030 + 8).field, "ob_type");
        assert_eq!(at(0x1030 + 24).field, "ob_digit[0]");
        assert_eq!(
            at(0x1030 + 28).part,
            Part::Rounding,
            "bytes 28..32 are pymalloc rounding"
        );
        assert_eq!(at(0x1030 + 32 + 2).index, 1);
        assert_eq!(at(0x2008).field, "malloc chunk header (size word)");
        assert!(at(0x2008 + 8 + 16).field.starts_with("slot 2: pointer"));
        assert!(at(0x2008 + 8 + 24)
            .field
            .starts_with("slot 3: over-allocated"));
        assert_eq!(at(0x3000).what, "free space in a pool");
        assert!(m.describe(0x9000).is_none());
    }

    #[test]
    fn raster_paints_every_pixel() {
        let m = sample();
        let px = m.raster(m.lo as f64, m.hi as f64, 64, 8, Theme { dark: false }, 0);
        assert_eq!(px.len(), 64 * 8 * 4);
        assert!(px.chunks(4).all(|c| c[3] == 255));
        let sky = part_color(Part::Header);
        assert!(
            px.chunks(4).any(|c| c[..3] == [sky.0, sky.1, sky.2]),
            "int blocks are visible"
        );
    }
}
