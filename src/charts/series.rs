//! Memory vs n: total bytes of several representations of the same n numbers, log-log, from
//! n = 1 to 10**9, each line labelled at its end. Values come from the model at every point.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::text::{byte_ticks, power_label, Units};
use super::{
    draw_err, Accounting, Anchor, Label, Theme, BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION,
    YELLOW,
};
use crate::error::Result;
use crate::model::scenario::{Const, Container, Dtype, Numpy, Typecode, Values};
use crate::model::{layout, Profile, Scenario};

/// The representations compared: the same n numbers, boxed and packed.
pub const REPRESENTATIONS: [&str; 7] = [
    "list of ints",
    "list of floats",
    "tuple of ints",
    "array.array('q')",
    "ndarray int64",
    "ndarray float32",
    "ndarray int8",
];

pub fn representation(i: usize, p: Profile, n: u64) -> Scenario {
    let zero = Values::Constant(Const::Int(0));
    let (container, values) = match i {
        0 => (Container::ListAppend, Values::IntRange { start: 0 }),
        1 => (Container::ListAppend, Values::FloatRange { start: 0 }),
        2 => (Container::Tuple, Values::IntRange { start: 0 }),
        3 => (Container::Array(Typecode('q')), zero),
        4 => (Container::Ndarray(Dtype::Int64), zero),
        5 => (Container::Ndarray(Dtype::Float32), zero),
        _ => (Container::Ndarray(Dtype::Int8), zero),
    };
    Scenario {
        container,
        values,
        n,
        profile: p,
        numpy: Numpy::V2,
        form: Default::default(),
    }
}

pub fn color(i: usize) -> RGBColor {
    [VERMILLION, ORANGE, PURPLE, SKY, BLUE, GREEN, YELLOW][i % 7]
}

/// Points per decade on the n axis (n = 10**(k / STEPS)).
pub const STEPS: u32 = 8;
pub const MAX_EXP: u32 = 9;

/// n = 10**(k / STEPS), rounded to a whole number.
pub fn decade_point(k: u32) -> f64 {
    10f64.powf(k as f64 / STEPS as f64).round()
}

/// Each representation's total bytes at log-spaced n from 1 to 10**9.
pub fn compute(p: Profile, acc: Accounting) -> Vec<Vec<(f64, f64)>> {
    (0..REPRESENTATIONS.len())
        .map(|i| {
            (0..=MAX_EXP * STEPS)
                .map(|k| {
                    let n = decade_point(k);
                    let b = acc.of(layout(&representation(i, p, n as u64)).totals) as f64;
                    (n, b.max(1.0))
                })
                .collect()
        })
        .collect()
}

/// Where the plot sits, kept for the hover crosshair: pixels and log10 ranges.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Geometry {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub y_lo: f64,
    pub y_hi: f64,
}

impl Geometry {
    pub fn x_of(&self, n: f64) -> f64 {
        self.left + (self.right - self.left) * n.max(1.0).log10() / MAX_EXP as f64
    }

    pub fn n_of(&self, x: f64) -> f64 {
        10f64.powf(((x - self.left) / (self.right - self.left)).clamp(0.0, 1.0) * MAX_EXP as f64)
    }

    pub fn y_of(&self, b: f64) -> f64 {
        let t = (b.max(1.0).log10() - self.y_lo) / (self.y_hi - self.y_lo);
        self.bottom - (self.bottom - self.top) * t
    }
}

pub struct Style {
    pub font_px: i32,
    pub line_px: u32,
    pub units: Units,
    pub theme: Theme,
}

pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Vec<(f64, f64)>],
    st: &Style,
    labels: &mut Vec<Label>,
) -> Result<Geometry> {
    let (w, h) = area.dim_in_pixel();
    let f = st.font_px as f64;
    // Narrow (a phone): the legend goes under the plot, in two columns, and n is labelled at
    // every third decade.
    let compact = (w as f64) < 46.0 * f;
    let g0 = {
        let lo = series
            .iter()
            .flatten()
            .map(|p| p.1)
            .fold(f64::MAX, f64::min)
            .max(1.0);
        let hi = series.iter().flatten().map(|p| p.1).fold(1.0, f64::max);
        Geometry {
            left: 5.2 * f,
            top: 1.8 * f,
            right: w as f64 - if compact { 0.8 } else { 9.5 } * f,
            bottom: h as f64
                - (3.4
                    + if compact {
                        LEGEND_ROWS as f64 * 1.2
                    } else {
                        0.0
                    })
                    * f,
            y_lo: lo.log10().floor(),
            y_hi: hi.log10().ceil().max(lo.log10().floor() + 1.0),
        }
    };
    area.fill(&st.theme.background()).map_err(draw_err)?;
    let muted = st.theme.muted();
    let grid = st.theme.grid().stroke_width(1);
    // Decades: x from 1 to 10**9, y over the data's range.
    for e in 0..=MAX_EXP {
        let x = g0.x_of(10f64.powi(e as i32)) as i32;
        area.draw(&PathElement::new(
            vec![(x, g0.top as i32), (x, g0.bottom as i32)],
            grid,
        ))
        .map_err(draw_err)?;
        if compact && e % 3 != 0 {
            continue;
        }
        labels.push(Label::new(
            power_label(e),
            (x, (g0.bottom + 0.5 * f) as i32),
            st.font_px,
            muted,
            Anchor::CenterTop,
        ));
    }
    for (b, text) in byte_ticks(g0.y_lo as i32, g0.y_hi as i32, st.units) {
        let y = g0.y_of(b as f64) as i32;
        area.draw(&PathElement::new(
            vec![(g0.left as i32, y), (g0.right as i32, y)],
            grid,
        ))
        .map_err(draw_err)?;
        labels.push(Label::new(
            text,
            ((g0.left - 0.4 * f) as i32, y),
            st.font_px,
            muted,
            Anchor::RightMiddle,
        ));
    }
    labels.push(Label::new(
        "n, the number of elements (log scale)",
        (
            ((g0.left + g0.right) / 2.0) as i32,
            (g0.bottom + 1.8 * f) as i32,
        ),
        st.font_px,
        muted,
        Anchor::CenterTop,
    ));
    labels.push(Label::new(
        "bytes (log scale)",
        (0, 0),
        st.font_px,
        muted,
        Anchor::LeftTop,
    ));
    // Lines, then labels at their right ends, nudged apart so they do not overlap.
    let mut ends = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let pts: Vec<(i32, i32)> = s
            .iter()
            .map(|&(n, b)| (g0.x_of(n) as i32, g0.y_of(b) as i32))
            .collect();
        area.draw(&PathElement::new(
            pts.clone(),
            color(i).stroke_width(st.line_px),
        ))
        .map_err(draw_err)?;
        if let Some(&(_, y)) = pts.last() {
            ends.push((y as f64, i));
        }
    }
    if compact {
        for i in 0..series.len() {
            let (col, row) = (i / LEGEND_ROWS, i % LEGEND_ROWS);
            let x = 0.5 * f + col as f64 * (w as f64 / 2.0);
            let y = g0.bottom + (3.6 + 1.2 * row as f64) * f;
            swatch_and_name(area, labels, st, i, x, y)?;
        }
        return Ok(g0);
    }
    ends.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let gap = 1.15 * f;
    for k in 1..ends.len() {
        if ends[k].0 - ends[k - 1].0 < gap {
            ends[k].0 = ends[k - 1].0 + gap;
        }
    }
    for (y, i) in ends {
        swatch_and_name(area, labels, st, i, g0.right + 0.4 * f, y)?;
    }
    Ok(g0)
}

const LEGEND_ROWS: usize = 4;

/// A line's colour key and name, left-aligned at x, centred on y.
fn swatch_and_name<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &mut Vec<Label>,
    st: &Style,
    i: usize,
    x: f64,
    y: f64,
) -> Result<()> {
    let f = st.font_px as f64;
    area.draw(&Rectangle::new(
        [
            (x as i32, (y - 0.15 * f) as i32),
            ((x + 0.6 * f) as i32, (y + 0.15 * f) as i32),
        ],
        color(i).filled(),
    ))
    .map_err(draw_err)?;
    labels.push(Label::new(
        REPRESENTATIONS[i],
        ((x + 0.9 * f) as i32, y as i32),
        st.font_px,
        st.theme.ink(),
        Anchor::LeftMiddle,
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxed_lines_sit_above_packed_ones_and_draw_to_svg() {
        let s = compute(Profile::Py312, Accounting::Requested);
        assert_eq!(s.len(), REPRESENTATIONS.len());
        let at_million = |i: usize| s[i][(6 * STEPS) as usize].1;
        assert!(
            at_million(0) > 30e6 && at_million(0) < 50e6,
            "list of ints ~40 MB"
        );
        assert!(at_million(4) < 9e6, "int64 ndarray ~8 MB");
        assert!(at_million(6) < at_million(5) && at_million(5) < at_million(4));
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (900, 420)).into_drawing_area();
            let st = Style {
                font_px: 12,
                line_px: 2,
                units: Units::Si,
                theme: Theme { dark: true },
            };
            let mut labels = Vec::new();
            let g = draw(&root, &s, &st, &mut labels).unwrap();
            assert!(
                labels.iter().any(|l| l.text == "ndarray int8")
                    && labels.iter().any(|l| l.text == "1G")
            );
            assert!((g.n_of(g.x_of(1000.0)) - 1000.0).abs() < 1e-6);
            root.present().unwrap();
        }
        // a line per representation, plus grid lines at every decade
        assert!(svg.matches("<polyline").count() >= REPRESENTATIONS.len() + 10);
        let hex = |c: RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        for i in 0..REPRESENTATIONS.len() {
            assert!(svg.contains(&hex(color(i))), "series {i} is drawn");
        }
    }
}
