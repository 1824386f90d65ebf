//! The heap map of a lab run: each pixel a granule of linear memory, coloured by what holds it,
//! built here as RGBA bytes for one putImageData. At coarse zoom a pixel shows the kind of block
//! it falls in; once a pixel is smaller than a block, the field (header, payload, rounding...).

use super::{Theme, BLUE, GREEN, LIGHT_GREY, ORANGE, PURPLE, SKY, VERMILLION, YELLOW};
use crate::lab::heap::What;
use crate::lab::shapes::{object_fields, ObjectKind};
use plotters::style::RGBColor;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    start: usize,
    size: usize,
    count: usize,
    requested: usize,
    lead: usize,
    what: u8,
}

impl Run {
    fn end(&self) -> usize {
        self.start + self.size * self.count
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Region {
    start: usize,
    len: usize,
    kind: u8,
}

/// What is at one address, for the hover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spot {
    pub addr: usize,
    /// What the block or region is ("int object", "pool header", ...).
    pub what: &'static str,
    /// The field or part at the address ("ob_refcnt", "ob_digit[0]", "allocator rounding").
    pub field: String,
    pub block_start: usize,
    pub block_size: usize,
    pub requested: usize,
    pub offset: usize,
    /// Which block of its run (for element objects: roughly which element).
    pub index: usize,
    /// Colour family: 0 header, 1 payload, 2 slot, 3 slack, 4 rounding/header of the allocator,
    /// 5 padding, 6 container, 7 shared, 8 free, 9 allocator bookkeeping.
    pub part: u8,
}

/// The lab's runs, column by column, as they arrive from JS typed arrays.
pub struct RunColumns<'a> {
    pub start: &'a [usize],
    pub size: &'a [u32],
    pub count: &'a [u32],
    pub requested: &'a [u32],
    pub lead: &'a [u8],
    pub what: &'a [u8],
}

/// The allocators' regions, column by column.
pub struct RegionColumns<'a> {
    pub start: &'a [usize],
    pub len: &'a [usize],
    pub kind: &'a [u8],
}

pub struct HeapMap {
    word: usize,
    gc_objects: bool,
    length: usize,
    runs: Vec<Run>,
    regions: Vec<Region>,
    pub lo: usize,
    pub hi: usize,
}

pub const PART_NAMES: [&str; 10] = [
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
];

pub fn part_color(part: u8) -> RGBColor {
    match part {
        0 => SKY,
        1 => ORANGE,
        2 => GREEN,
        3 => YELLOW,
        4 => VERMILLION,
        5 => PURPLE,
        6 => BLUE,
        7 => LIGHT_GREY,
        9 => RGBColor(0x8a, 0x3b, 0x12),
        _ => RGBColor(0, 0, 0),
    }
}

fn what_name(w: u8) -> &'static str {
    match What::from_u8(w) {
        Some(What::TypeObject) => "type object",
        Some(What::SmallInt) => "small int (cache)",
        Some(What::Constant) => "the constant",
        Some(What::ListObject) => "list object",
        Some(What::PointerArray) => "pointer array",
        Some(What::TupleObject) => "tuple object",
        Some(What::ArrayObject) => "array.array object",
        Some(What::ArrayBuffer) => "array.array data buffer",
        Some(What::NdarrayObject) => "ndarray object",
        Some(What::NdarrayDims) => "ndarray shape + strides",
        Some(What::NdarrayData) => "ndarray data buffer",
        Some(What::Int) => "int object",
        Some(What::Float) => "float object",
        Some(What::RangeStart) => "range start (shared)",
        Some(What::EmptyTuple) => "the empty tuple",
        Some(What::Comparison) => "comparison structure",
        None => "block",
    }
}

fn region_name(kind: u8) -> (&'static str, u8) {
    match kind {
        20 => ("arena alignment (unusable)", 9),
        21 => ("pymalloc pool header", 9),
        22 => ("unused pool", 8),
        23 => ("free space in a pool", 8),
        24 => ("mmap chunk header", 4),
        _ => ("free heap space", 8),
    }
}

impl HeapMap {
    /// From a lab report's typed arrays. `length` is n (to tell used slots from slack).
    pub fn new(
        word: usize,
        gc_objects: bool,
        length: usize,
        region: RegionColumns,
        run: RunColumns,
    ) -> HeapMap {
        let (rs, rl, rk) = (region.start, region.len, region.kind);
        let (s, size, count, req, lead, what) = (
            run.start,
            run.size,
            run.count,
            run.requested,
            run.lead,
            run.what,
        );
        let mut regions: Vec<Region> = (0..rs.len().min(rl.len()).min(rk.len()))
            .map(|i| Region {
                start: rs[i],
                len: rl[i],
                kind: rk[i],
            })
            .collect();
        // The lab reports both in address order already: sort only if not.
        if !regions.windows(2).all(|w| w[0].start <= w[1].start) {
            crate::sort::sort_by_key(&mut regions, |r| r.start);
        }
        let n = [
            s.len(),
            size.len(),
            count.len(),
            req.len(),
            lead.len(),
            what.len(),
        ]
        .into_iter()
        .min()
        .unwrap_or(0);
        let mut runs: Vec<Run> = (0..n)
            .map(|i| Run {
                start: s[i],
                size: size[i].max(1) as usize,
                count: count[i] as usize,
                requested: req[i] as usize,
                lead: lead[i] as usize,
                what: what[i],
            })
            .collect();
        if !runs.windows(2).all(|w| w[0].start <= w[1].start) {
            crate::sort::sort_by_key(&mut runs, |r| r.start);
        }
        let lo = regions
            .iter()
            .map(|r| r.start)
            .chain(runs.iter().map(|r| r.start))
            .min()
            .unwrap_or(0);
        let hi = regions
            .iter()
            .map(|r| r.start + r.len)
            .chain(runs.iter().map(Run::end))
            .max()
            .unwrap_or(lo + 1);
        HeapMap {
            word,
            gc_objects,
            length,
            runs,
            regions,
            lo,
            hi: hi.max(lo + 1),
        }
    }

    fn run_at(&self, addr: usize) -> Option<&Run> {
        let i = self.runs.partition_point(|r| r.start <= addr);
        let r = self.runs.get(i.checked_sub(1)?)?;
        (addr < r.end()).then_some(r)
    }

    fn region_at(&self, addr: usize) -> Option<&Region> {
        // The allocators' regions do not overlap (live blocks lie over them, and win).
        let i = self.regions.partition_point(|r| r.start <= addr);
        let r = self.regions.get(i.checked_sub(1)?)?;
        (addr < r.start + r.len).then_some(r)
    }

    /// What holds `addr`.
    pub fn describe(&self, addr: usize) -> Option<Spot> {
        if let Some(r) = self.run_at(addr) {
            let index = (addr - r.start) / r.size;
            let block_start = r.start + index * r.size;
            let offset = addr - block_start;
            let (field, part) = self.field(r, index, offset);
            return Some(Spot {
                addr,
                what: what_name(r.what),
                field,
                block_start,
                block_size: r.size,
                requested: r.requested,
                offset,
                index,
                part,
            });
        }
        let g = self.region_at(addr)?;
        let (what, part) = region_name(g.kind);
        Some(Spot {
            addr,
            what,
            field: what.to_owned(),
            block_start: g.start,
            block_size: g.len,
            requested: 0,
            offset: addr - g.start,
            index: 0,
            part,
        })
    }

    fn field(&self, r: &Run, index: usize, offset: usize) -> (String, u8) {
        let w = self.word;
        if offset < r.lead {
            return ("malloc chunk header (size word)".into(), 4);
        }
        let off = offset - r.lead;
        if off >= r.requested {
            return ("allocator rounding (reserved, not requested)".into(), 4);
        }
        let shared = matches!(
            What::from_u8(r.what),
            Some(
                What::SmallInt
                    | What::Constant
                    | What::RangeStart
                    | What::EmptyTuple
                    | What::TypeObject
            )
        );
        let fields = |kind: ObjectKind, gc: bool| {
            let table = object_fields(w, kind, gc);
            table
                .into_iter()
                .find(|f| off >= f.1 as usize && off < (f.1 + f.2) as usize)
                .map(|f| f.0.to_owned())
        };
        match What::from_u8(r.what) {
            Some(What::Int | What::SmallInt | What::Constant | What::RangeStart) => {
                let head = 3 * w;
                let part = if shared {
                    7
                } else if off < head {
                    0
                } else {
                    1
                };
                match fields(ObjectKind::Int, false) {
                    Some(f) => (f, part),
                    None => (format!("ob_digit[{}]", (off - head) / 4), part),
                }
            }
            Some(What::Float) => (
                fields(ObjectKind::Float, false).unwrap_or_default(),
                if off < 2 * w { 0 } else { 1 },
            ),
            Some(What::PointerArray) => {
                let slot = off / w;
                if slot < self.length {
                    (format!("slot {slot}: pointer to element {slot}"), 2)
                } else {
                    (format!("slot {slot}: over-allocated, unused"), 3)
                }
            }
            Some(What::TupleObject | What::EmptyTuple) => match fields(ObjectKind::Tuple, true) {
                Some(f) => (f, 6),
                None => {
                    let slot = (off - 5 * w) / w;
                    (format!("item {slot}: pointer to element {slot}"), 2)
                }
            },
            Some(What::ListObject) => (fields(ObjectKind::List, true).unwrap_or_default(), 6),
            Some(What::ArrayObject) => (
                fields(ObjectKind::Array, self.gc_objects).unwrap_or_default(),
                6,
            ),
            Some(What::NdarrayObject) => {
                (fields(ObjectKind::Ndarray, false).unwrap_or_default(), 6)
            }
            Some(What::ArrayBuffer | What::NdarrayData) => {
                (format!("value bytes at offset {off}"), 1)
            }
            Some(What::NdarrayDims) => (if off < w { "shape[0]" } else { "strides[0]" }.into(), 0),
            _ => (format!("block {index}, offset {off}"), 7),
        }
    }

    /// RGBA pixels for addresses [from, to) laid out row-major over width x height.
    pub fn raster(&self, from: f64, to: f64, width: usize, height: usize, theme: Theme) -> Vec<u8> {
        // Addresses as f64: a band of a zoomed-in window starts between two bytes.
        let pixels = width * height;
        let mut out = vec![0u8; pixels * 4];
        let span = (to - from).max(1.0);
        let granule = span / pixels.max(1) as f64;
        let bg = theme.background();
        let free = theme.grid();
        for (p, px) in out.chunks_exact_mut(4).enumerate() {
            let addr = (from.max(0.0) + (p as f64 + 0.5) * granule) as usize;
            let c = match self.run_at(addr) {
                Some(r) if granule >= r.size as f64 => part_color(coarse_part(r.what)),
                Some(r) => {
                    let index = (addr - r.start) / r.size;
                    part_color(self.field(r, index, addr - r.start - index * r.size).1)
                }
                None => match self.region_at(addr) {
                    Some(g) => match region_name(g.kind).1 {
                        8 => free,
                        part => part_color(part),
                    },
                    None => bg,
                },
            };
            px.copy_from_slice(&[c.0, c.1, c.2, 255]);
        }
        out
    }
}

/// A block's colour when a pixel covers more than one block: what most of it is.
fn coarse_part(what: u8) -> u8 {
    match What::from_u8(what) {
        Some(What::Int | What::Float | What::NdarrayDims) => 0,
        Some(What::ArrayBuffer | What::NdarrayData) => 1,
        Some(What::PointerArray) => 2,
        Some(What::ListObject | What::TupleObject | What::ArrayObject | What::NdarrayObject) => 6,
        _ => 7,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> HeapMap {
        // a pool header, then 3 int blocks of 32 (requested 28), then a pointer array chunk
        HeapMap::new(
            8,
            true,
            3,
            RegionColumns {
                start: &[0x1000],
                len: &[0x4000],
                kind: &[23],
            },
            RunColumns {
                start: &[0x1030, 0x2008],
                size: &[32, 48],
                count: &[3, 1],
                requested: &[28, 32],
                lead: &[0, 8],
                what: &[What::Int as u8, What::PointerArray as u8],
            },
        )
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
            4,
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
        let px = m.raster(m.lo as f64, m.hi as f64, 64, 8, Theme { dark: false });
        assert_eq!(px.len(), 64 * 8 * 4);
        assert!(px.chunks(4).all(|c| c[3] == 255));
        let sky = part_color(0);
        assert!(
            px.chunks(4).any(|c| c[..3] == [sky.0, sky.1, sky.2]),
            "int blocks are visible"
        );
    }
}
