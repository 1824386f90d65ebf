//! Bytes per element as stacked bars, the scenario above the one compared with: pointer slot,
//! object header, payload, padding, over-allocation, allocator rounding, the container's own
//! header, shared objects. Every segment keeps its rectangle for hover and keyboard.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    draw_err, ink_on, Accounting, Anchor, Label, Theme, BLUE, GREEN, LIGHT_GREY, ORANGE, PURPLE,
    SKY, VERMILLION, YELLOW,
};
use crate::error::Result;
use crate::model::{Kind, Layout, Node};

pub const SEGMENTS: [&str; 8] = [
    "pointer slot",
    "object header",
    "payload",
    "padding",
    "over-allocation",
    "allocator rounding",
    "container header",
    "shared objects",
];

/// Names short enough to print inside a segment.
const SHORT: [&str; 8] = [
    "pointer",
    "header",
    "payload",
    "padding",
    "slack",
    "rounding",
    "container",
    "shared",
];

pub fn segment_color(i: usize) -> RGBColor {
    [
        GREEN, SKY, ORANGE, PURPLE, YELLOW, VERMILLION, BLUE, LIGHT_GREY,
    ][i % 8]
}

/// Bytes of a layout split into the segments (not yet divided by n).
pub fn split(l: &Layout, acc: Accounting) -> [u64; 8] {
    let mut out = [0u64; 8];
    fn go(n: &Node, in_objects: bool, acc: Accounting, out: &mut [u64; 8]) {
        if n.children.is_empty() {
            let b = acc.of(n.bytes);
            let seg = match n.kind {
                Kind::Slots => 0,
                Kind::Gc | Kind::Header if in_objects => 1,
                Kind::Payload => 2,
                Kind::Padding => 3,
                Kind::Slack => 4,
                Kind::Rounding => 5,
                Kind::Shared => 7,
                _ => 6,
            };
            out[seg] += b;
            return;
        }
        let objects = in_objects || n.kind == Kind::Objects;
        for c in &n.children {
            go(c, objects, acc, out);
        }
    }
    go(&l.tree, false, acc, &mut out);
    out
}

/// One drawn segment, for hit-testing: bar (0 the scenario, 1 the one compared with), segment
/// index, pixel span.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Seg {
    pub bar: u32,
    pub seg: u32,
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
}

pub struct Style {
    pub font_px: i32,
    pub theme: Theme,
}

/// `bars[i] = (label, per-element bytes in hundredths for each segment)`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &[(String, [u64; 8])],
    st: &Style,
    labels: &mut Vec<Label>,
) -> Result<Vec<Seg>> {
    let (w, h) = area.dim_in_pixel();
    let f = st.font_px as f64;
    area.fill(&st.theme.background()).map_err(draw_err)?;
    let max = bars
        .iter()
        .map(|b| b.1.iter().sum::<u64>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    // Room on the right for the widest total, "1234.56 B / elem".
    let (left, right) = (0.5 * f, w as f64 - 9.0 * f);
    let lane = (h as f64 / bars.len().max(1) as f64).max(3.0 * f);
    let mut segs = Vec::new();
    for (bi, (label, parts)) in bars.iter().enumerate() {
        let top = bi as f64 * lane;
        labels.push(Label::new(
            label.clone(),
            (left as i32, (top + 0.2 * f) as i32),
            st.font_px,
            st.theme.ink(),
            Anchor::LeftTop,
        ));
        let (y0, y1) = (top + 1.5 * f, top + lane - 0.6 * f);
        let mut x = left;
        for (si, &v) in parts.iter().enumerate() {
            if v == 0 {
                continue;
            }
            let x1 = x + (right - left) * v as f64 / max;
            let fill = segment_color(si);
            area.draw(&Rectangle::new(
                [
                    (x as i32, y0 as i32),
                    ((x1 as i32).max(x as i32 + 1), y1 as i32),
                ],
                fill.filled(),
            ))
            .map_err(draw_err)?;
            // The part's name too when it fits (about 0.6 em per character).
            let named = format!("{} {}", SHORT[si], hundredths(v));
            let text = if x1 - x > 0.62 * f * named.len() as f64 + f {
                Some(named)
            } else if x1 - x > 4.5 * f {
                Some(hundredths(v))
            } else {
                None
            };
            if let Some(text) = text {
                let at = (((x + x1) / 2.0) as i32, ((y0 + y1) / 2.0) as i32);
                labels.push(Label::new(
                    text,
                    at,
                    st.font_px,
                    ink_on(fill),
                    Anchor::CenterMiddle,
                ));
            }
            segs.push(Seg {
                bar: bi as u32,
                seg: si as u32,
                x0: x,
                x1,
                y0,
                y1,
            });
            x = x1;
        }
        let total: u64 = parts.iter().sum();
        let at = ((x + 0.4 * f) as i32, ((y0 + y1) / 2.0) as i32);
        labels.push(Label::new(
            format!("{} / elem", hundredths(total)),
            at,
            st.font_px,
            st.theme.ink(),
            Anchor::LeftMiddle,
        ));
    }
    Ok(segs)
}

/// 4044 → "40.44 B".
pub fn hundredths(v: u64) -> String {
    format!("{}.{:02} B", v / 100, v % 100)
}

pub fn hit(segs: &[Seg], x: f64, y: f64) -> Option<Seg> {
    segs.iter()
        .copied()
        .find(|s| s.x0 <= x && x < s.x1 && s.y0 <= y && y <= s.y1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scenario::{Const, Container, Dtype, Values};
    use crate::model::{layout, Scenario};

    #[test]
    fn the_article_splits_into_pointer_header_payload() {
        let l = layout(&Scenario::article());
        let parts = split(&l, Accounting::Requested);
        assert_eq!(parts.iter().sum::<u64>(), l.totals.requested);
        assert_eq!(parts[0], 8 * 1_000_000, "one 8-byte pointer per int");
        assert_eq!(
            parts[1],
            24 * 999_743,
            "ob_refcnt + ob_type + lv_tag per fresh int"
        );
        assert_eq!(parts[2], 4 * 999_743, "one digit each");
        assert_eq!(parts[3], 4 * 999_743, "3.12 allocates 32 for 28");
        let packed = layout(&Scenario {
            container: Container::Ndarray(Dtype::Uint64),
            values: Values::Constant(Const::Int(0)),
            ..Scenario::article()
        });
        let p = split(&packed, Accounting::Requested);
        assert_eq!(p[2], 8_000_000);
        assert_eq!(p[0] + p[1], 0);
    }

    #[test]
    fn draws_segments_that_can_be_hit() {
        let mut svg = String::new();
        let bars = vec![
            ("boxed".to_owned(), [800, 2400, 400, 400, 45, 0, 0, 0]),
            ("packed".to_owned(), [0, 0, 800, 0, 0, 0, 1, 0]),
        ];
        let mut labels = Vec::new();
        let segs = {
            let root = SVGBackend::with_string(&mut svg, (700, 160)).into_drawing_area();
            let s = draw(
                &root,
                &bars,
                &Style {
                    font_px: 12,
                    theme: Theme { dark: false },
                },
                &mut labels,
            )
            .unwrap();
            root.present().unwrap();
            s
        };
        assert_eq!(segs.len(), 7);
        let first = segs[0];
        assert_eq!(
            hit(
                &segs,
                (first.x0 + first.x1) / 2.0,
                (first.y0 + first.y1) / 2.0
            ),
            Some(first)
        );
        assert!(labels.iter().any(|l| l.text == "40.45 B / elem"));
        assert_eq!(
            svg.matches("<rect").count(),
            8,
            "the background and 7 segments"
        );
        assert_eq!(hundredths(4044), "40.44 B");
    }
}
