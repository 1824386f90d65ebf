//! The allocation flame graph, width ∝ bytes: an icicle (the root on top, children below) or a
//! flame (the root at the bottom, children above). Zooming into a frame gives it the full width;
//! its ancestors stay next to it, on the root's side, as full-width bars.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::text::{bytes, Units};
use super::{draw_err, ink_on, kind_color, Accounting, Anchor, Label, Theme};
use crate::error::Result;
use crate::model::Node;

/// One drawn frame: the node's preorder index, its row, and its span as fractions of the width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub node: u32,
    pub depth: u32,
    pub x0: f64,
    pub x1: f64,
}

/// Nodes in preorder with their depth and parent: index i is the i-th node visited.
pub fn preorder(root: &Node) -> Vec<(&Node, u32, Option<u32>)> {
    let mut out = Vec::new();
    fn go<'a>(
        n: &'a Node,
        depth: u32,
        parent: Option<u32>,
        out: &mut Vec<(&'a Node, u32, Option<u32>)>,
    ) {
        let me = out.len() as u32;
        out.push((n, depth, parent));
        for c in &n.children {
            go(c, depth + 1, Some(me), out);
        }
    }
    go(root, 0, None, &mut out);
    out
}

/// Frames to draw with `zoom` (a preorder index) spanning the full width.
pub fn frames(root: &Node, acc: Accounting, zoom: u32) -> Vec<Frame> {
    let nodes = preorder(root);
    let zoom = if (zoom as usize) < nodes.len() {
        zoom
    } else {
        0
    };
    let mut out = Vec::new();
    // Ancestors of the zoomed frame: full width, above it.
    let mut chain = vec![zoom];
    while let Some(p) = nodes[*chain.last().unwrap_or(&0) as usize].2 {
        chain.push(p);
    }
    for &a in chain.iter().rev() {
        out.push(Frame {
            node: a,
            depth: nodes[a as usize].1,
            x0: 0.0,
            x1: 1.0,
        });
    }
    out.pop();
    // The zoomed frame and its descendants, proportional to their bytes.
    fn lay(
        n: &Node,
        idx: u32,
        depth: u32,
        x0: f64,
        x1: f64,
        acc: Accounting,
        out: &mut Vec<Frame>,
    ) -> u32 {
        out.push(Frame {
            node: idx,
            depth,
            x0,
            x1,
        });
        let total = acc.of(n.bytes).max(1) as f64;
        let mut next = idx + 1;
        let mut at = x0;
        for c in &n.children {
            let w = (x1 - x0) * acc.of(c.bytes) as f64 / total;
            if w > 0.0 {
                next = lay(c, next, depth + 1, at, at + w, acc, out);
            } else {
                next += count(c);
            }
            at += w;
        }
        next
    }
    fn count(n: &Node) -> u32 {
        1 + n.children.iter().map(count).sum::<u32>()
    }
    let (z, zdepth, _) = nodes[zoom as usize];
    lay(z, zoom, zdepth, 0.0, 1.0, acc, &mut out);
    out
}

/// Rows the graph needs (its deepest frame + 1).
pub fn rows(frames: &[Frame]) -> u32 {
    frames.iter().map(|f| f.depth + 1).max().unwrap_or(1)
}

/// The row a frame of `depth` is drawn in, counted from the top, when the graph has `rows` rows:
/// its depth for an icicle, from the bottom for a flame (`up`).
pub fn row_of(depth: u32, rows: u32, up: bool) -> u32 {
    if up {
        rows.saturating_sub(depth + 1)
    } else {
        depth
    }
}

/// The frame under a point (x as a fraction of the width, the frame's depth).
pub fn hit(frames: &[Frame], x: f64, row: u32) -> Option<Frame> {
    frames
        .iter()
        .copied()
        .find(|f| f.depth == row && f.x0 <= x && x < f.x1)
}

pub struct Style {
    pub row_px: i32,
    pub font_px: i32,
    pub units: Units,
    pub acc: Accounting,
    pub theme: Theme,
    /// A flame (the root at the bottom) rather than an icicle.
    pub up: bool,
}

/// Draw the frames on `area`; labels for the frames wide enough go to `labels`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    root: &Node,
    frames: &[Frame],
    st: &Style,
    labels: &mut Vec<Label>,
) -> Result<()> {
    let (w, _) = area.dim_in_pixel();
    let nodes = preorder(root);
    let rows = rows(frames);
    area.fill(&st.theme.background()).map_err(draw_err)?;
    for f in frames {
        let Some(&(node, _, _)) = nodes.get(f.node as usize) else {
            continue;
        };
        let x0 = (f.x0 * w as f64).round() as i32;
        let x1 = (f.x1 * w as f64).round() as i32;
        if x1 - x0 < 1 {
            continue;
        }
        let y0 = row_of(f.depth, rows, st.up) as i32 * st.row_px;
        let fill = kind_color(node.kind);
        let rect = Rectangle::new(
            [(x0, y0), ((x1 - 1).max(x0 + 1), y0 + st.row_px - 1)],
            fill.filled(),
        );
        area.draw(&rect).map_err(draw_err)?;
        let room = (x1 - x0 - 8) as f64;
        if room < 3.0 * st.font_px as f64 {
            continue;
        }
        let full = format!(
            "{} · {}",
            node.label,
            bytes(st.acc.of(node.bytes), st.units)
        );
        let label = fit(&full, room, st.font_px as f64);
        if label.is_empty() {
            continue;
        }
        labels.push(Label::new(
            label,
            (x0 + 4, y0 + st.row_px / 2),
            st.font_px,
            ink_on(fill),
            Anchor::LeftMiddle,
        ));
    }
    Ok(())
}

/// Cut `s` to fit `room` pixels at `font_px`, with an ellipsis (0.56 em per character is a fair
/// average for sans-serif; a label that still overflows is clipped by its frame's neighbour).
pub fn fit(s: &str, room: f64, font_px: f64) -> String {
    let max = (room / (0.56 * font_px)) as usize;
    let n = s.chars().count();
    if n <= max {
        return s.to_owned();
    }
    if max < 4 {
        return String::new();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{layout, Scenario};

    #[test]
    fn frames_cover_the_width_and_zoom_fills_it() {
        let l = layout(&Scenario::article());
        let f = frames(&l.tree, Accounting::Requested, 0);
        assert_eq!(
            f[0],
            Frame {
                node: 0,
                depth: 0,
                x0: 0.0,
                x1: 1.0
            }
        );
        let top: f64 = f.iter().filter(|x| x.depth == 1).map(|x| x.x1 - x.x0).sum();
        assert!(
            (top - 1.0).abs() < 1e-9,
            "children of the root cover it: {top}"
        );
        // zoom into the pointer array (preorder index of "pointer array (ob_item)")
        let idx = preorder(&l.tree)
            .iter()
            .position(|(n, _, _)| n.label.starts_with("pointer array"))
            .unwrap() as u32;
        let z = frames(&l.tree, Accounting::Requested, idx);
        assert!(z
            .iter()
            .any(|x| x.node == idx && x.x0 == 0.0 && x.x1 == 1.0));
        assert!(
            z.iter().any(|x| x.node == 0 && x.x1 == 1.0),
            "the root stays above"
        );
        assert_eq!(hit(&z, 0.5, 1).map(|x| x.node), Some(idx));
    }

    #[test]
    fn draws_to_svg_with_labels() {
        let l = layout(&Scenario::article());
        let f = frames(&l.tree, Accounting::Requested, 0);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (800, 22 * rows(&f))).into_drawing_area();
            let st = Style {
                row_px: 22,
                font_px: 12,
                units: Units::Si,
                acc: Accounting::Requested,
                theme: Theme { dark: false },
                up: false,
            };
            let mut labels = Vec::new();
            draw(&root, &l.tree, &f, &st, &mut labels).unwrap();
            root.present().unwrap();
            assert!(
                labels.iter().any(|l| l.text.starts_with("pointer array")),
                "the widest frames are labelled"
            );
            assert!(labels
                .iter()
                .any(|l| l.text.starts_with("int objects, 1 digit")));
        }
        assert!(svg.matches("<rect").count() >= f.len().min(10));
    }

    #[test]
    fn a_flame_puts_the_root_at_the_bottom() {
        let l = layout(&Scenario::article());
        let f = frames(&l.tree, Accounting::Requested, 0);
        let n = rows(&f);
        assert!(n >= 3);
        assert_eq!(row_of(0, n, false), 0);
        assert_eq!(row_of(0, n, true), n - 1, "the root is the bottom row");
        assert_eq!(
            row_of(n - 1, n, true),
            0,
            "the deepest frames are the top row"
        );
        let draw_root_y = |up: bool| {
            let mut svg = String::new();
            {
                let area = SVGBackend::with_string(&mut svg, (400, 20 * n)).into_drawing_area();
                let st = Style {
                    row_px: 20,
                    font_px: 12,
                    units: Units::Si,
                    acc: Accounting::Requested,
                    theme: Theme { dark: false },
                    up,
                };
                draw(&area, &l.tree, &f, &st, &mut Vec::new()).unwrap();
                area.present().unwrap();
            }
            // The background, then the frames in order: the root's rectangle is the second.
            let rect = svg.split("<rect").nth(2).unwrap();
            let y = rect.split("y=\"").nth(1).unwrap();
            y.split('"').next().unwrap().parse::<i32>().unwrap()
        };
        assert_eq!(draw_root_y(false), 0);
        assert_eq!(draw_root_y(true), 20 * (n as i32 - 1));
    }

    #[test]
    fn fit_cuts_with_an_ellipsis() {
        assert_eq!(
            fit("pointer array (ob_item)", 1000.0, 12.0),
            "pointer array (ob_item)"
        );
        assert_eq!(fit("pointer array (ob_item)", 60.0, 12.0), "pointer…");
        assert_eq!(fit("pointer array", 10.0, 12.0), "");
    }
}
