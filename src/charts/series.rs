//! Memory vs n: total bytes of the reader's scenario and the one it is compared with, over n
//! from 1 to 10**9 on log-log scales, with thin grey reference lines (the same numbers held
//! other usual ways) for context. The two scenarios differ by more than colour: the reader's
//! is solid with filled square markers, the comparison dashed with hollow ones. Each line is
//! labelled at its end (under the plot when narrow). Values come from the model at every point.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::text::{byte_ticks, power_label, Units};
use super::{draw_err, Accounting, Anchor, Label, Theme, BLUE, SKY, VERMILLION};
use crate::error::Result;
use crate::model::scenario::{Const, Container, Dtype, Numpy, Typecode, Values};
use crate::model::{layout, Profile, Scenario};

/// The reference lines: the same n numbers, boxed and packed, as people usually hold them.
pub const REPRESENTATIONS: [&str; 7] = [
    "list of ints (append)",
    "list of floats (append)",
    "tuple of ints",
    "array('q')",
    "ndarray int64",
    "ndarray float32",
    "ndarray int8",
];

/// The `i`th reference on Python `p` (n is 0: it varies along the line).
pub fn representation(i: usize, p: Profile) -> Scenario {
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
        n: 0,
        profile: p,
        numpy: Numpy::V2,
        form: Default::default(),
    }
}

/// A scenario's name on the chart, in its tooltip, table and the headline: what holds which
/// numbers, and on which Python when the two scenarios compared run on different ones.
pub fn name(s: &Scenario, with_profile: bool) -> String {
    let e = if s.values.is_float() {
        "floats"
    } else {
        "ints"
    };
    let (pre, post) = match s.container {
        Container::ListAppend => ("list of ", " (append)"),
        Container::ListRange => ("list(...) of ", ""),
        Container::ListComprehension => ("list of ", " (comprehension)"),
        Container::ListRepeat => ("[v] * n of ", ""),
        Container::ListLiteral => ("list literal of ", ""),
        Container::Tuple => ("tuple of ", ""),
        _ => ("", ""),
    };
    let mut what = match s.container {
        Container::Array(t) => format!("array('{}')", t.0),
        Container::Ndarray(d) => format!("ndarray {}", d.name()),
        _ => format!("{pre}{e}{post}"),
    };
    if s.numpy == Numpy::V121 && matches!(s.container, Container::Ndarray(_)) {
        what.push_str(" (NumPy 1.21)");
    }
    if s.form.from_list {
        what.push_str(" from a list");
    }
    if let Some(d) = s.form.shape {
        what += &format!(" reshaped to {}", crate::model::resolve::shape_text(&d));
    }
    if let Some(k) = s.form.view_step {
        what += &format!(" view [::{k}]");
    }
    if with_profile {
        what += &format!(" on CPython 3.{}", s.profile.minor());
        if s.profile.is_wasm32() {
            what.push_str(" (wasm32)");
        }
    }
    what
}

/// The names of a scenario and the one it is compared with, never the same string (the same
/// scenario twice is told apart).
pub fn names(mine: &Scenario, other: &Scenario) -> [String; 2] {
    let with_profile = mine.profile != other.profile;
    let (a, b) = (name(mine, with_profile), name(other, with_profile));
    if a == b {
        [format!("{a} (yours)"), format!("{b} (compared)")]
    } else {
        [a, b]
    }
}

/// What a line stands for: the reader's scenario, the comparison, or a reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Mine,
    Compare,
    Reference,
}

/// One line: its name, its scenario (n varies along the line) and its points (n, bytes).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub name: String,
    pub role: Role,
    pub scenario: Scenario,
    pub points: Vec<(f64, f64)>,
}

/// Points per decade on the n axis (n = 10**(k / STEPS)).
pub const STEPS: u32 = 8;
pub const MAX_EXP: u32 = 9;

/// n = 10**(k / STEPS), rounded to a whole number.
pub fn decade_point(k: u32) -> f64 {
    10f64.powf(k as f64 / STEPS as f64).round()
}

/// Total bytes of `s` with n elements. The values a scenario holds may not fit at every n (i
/// from 0 to n-1 outgrows array('b') past 128): the point is the scenario the widget would
/// draw at that n, the nearest valid one.
pub fn total_at(s: &Scenario, n: u64, acc: Accounting) -> u64 {
    let (s, _) = Scenario { n, ..*s }.nearest_valid();
    acc.of(layout(&s).totals)
}

/// Whether the scenario exists at this n: its nearest valid scenario keeps n (a list literal,
/// written out, stops at 10,000 items; other fields give way, n does not).
pub fn reaches(s: &Scenario, n: u64) -> bool {
    Scenario { n, ..*s }.nearest_valid().0.n == n
}

/// A scenario's total bytes at log-spaced n from 1 to 10**9 (as far as it reaches).
pub fn points(s: &Scenario, acc: Accounting) -> Vec<(f64, f64)> {
    (0..=MAX_EXP * STEPS)
        .map(decade_point)
        .take_while(|&n| reaches(s, n as u64))
        .map(|n| (n, (total_at(s, n as u64, acc) as f64).max(1.0)))
        .collect()
}

/// The reference lines on Python `p`.
pub fn references(p: Profile, acc: Accounting) -> Vec<Line> {
    (0..REPRESENTATIONS.len())
        .map(|i| {
            let scenario = representation(i, p);
            Line {
                name: REPRESENTATIONS[i].into(),
                role: Role::Reference,
                points: points(&scenario, acc),
                scenario,
            }
        })
        .collect()
}

/// The lines drawn: the reader's scenario, the comparison, then each reference that is not
/// one of the two already (the same bytes at every n).
pub fn lines(mine: &Scenario, other: &Scenario, refs: &[Line], acc: Accounting) -> Vec<Line> {
    let [a, b] = names(mine, other);
    let line = |name, role, s: &Scenario| Line {
        name,
        role,
        scenario: *s,
        points: points(s, acc),
    };
    let mut out = vec![line(a, Role::Mine, mine), line(b, Role::Compare, other)];
    for r in refs {
        if out[..2].iter().all(|l| l.points != r.points) {
            out.push(r.clone());
        }
    }
    out
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

impl Style {
    /// A line's colour: vermillion for the reader's, blue for the comparison (sky blue on a
    /// dark page, where blue is too dark to read), the muted ink for references.
    fn color(&self, role: Role) -> RGBColor {
        match role {
            Role::Mine => VERMILLION,
            Role::Compare if self.theme.dark => SKY,
            Role::Compare => BLUE,
            Role::Reference => self.theme.muted(),
        }
    }

    fn width(&self, role: Role) -> u32 {
        match role {
            Role::Reference => (self.line_px / 2).max(1),
            _ => self.line_px + self.line_px / 2,
        }
    }
}

/// Rows of the legend under a narrow plot: the two scenarios, then one for the references.
const LEGEND_ROWS: usize = 3;

/// About how wide a label is (system-ui averages a little over half an em per character).
fn text_width(text: &str, f: f64) -> f64 {
    0.56 * f * text.chars().count() as f64
}

pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[Line],
    st: &Style,
    labels: &mut Vec<Label>,
) -> Result<Geometry> {
    let (w, h) = area.dim_in_pixel();
    let f = st.font_px as f64;
    // The labels at the lines' ends need the widest name's room on the right; when that would
    // leave the plot too narrow (a phone, or long names), the legend goes under the plot and n
    // is labelled at every third decade.
    let key = 2.2 * f;
    let names_w = lines
        .iter()
        .map(|l| text_width(&l.name, f))
        .fold(0.0, f64::max);
    let left = 5.2 * f;
    let compact = (w as f64) - left - names_w - key - 0.8 * f < 26.0 * f;
    let g0 = {
        let ys = || lines.iter().flat_map(|l| l.points.iter().map(|p| p.1));
        let lo = ys().fold(f64::MAX, f64::min).max(1.0);
        let hi = ys().fold(1.0, f64::max);
        Geometry {
            left,
            top: 1.8 * f,
            right: w as f64
                - if compact {
                    1.2 * f
                } else {
                    names_w + key + 0.8 * f
                },
            bottom: h as f64
                - (3.4
                    + if compact {
                        LEGEND_ROWS as f64 * 1.3
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
    // References underneath, then the comparison, then the reader's line on top.
    let mut ends = Vec::new();
    let order = [Role::Reference, Role::Compare, Role::Mine];
    for (i, l) in order
        .iter()
        .flat_map(|&r| lines.iter().enumerate().filter(move |(_, l)| l.role == r))
    {
        let pts: Vec<(i32, i32)> = l
            .points
            .iter()
            .map(|&(n, b)| (g0.x_of(n) as i32, g0.y_of(b) as i32))
            .collect();
        stroke(area, st, l.role, pts.clone())?;
        // A marker at every decade.
        for &p in pts.iter().step_by(STEPS as usize) {
            marker(area, st, l.role, p)?;
        }
        if let Some(&(_, y)) = pts.last() {
            ends.push((y as f64, i));
        }
    }
    if compact {
        let mut row = 0.0;
        let refs = lines.iter().filter(|l| l.role == Role::Reference).count();
        for l in lines.iter().filter(|l| l.role != Role::Reference) {
            let y = g0.bottom + (3.7 + 1.3 * row) * f;
            key_and_name(area, labels, st, l.role, &l.name, 0.5 * f, y)?;
            row += 1.0;
        }
        if refs > 0 {
            let y = g0.bottom + (3.7 + 1.3 * row) * f;
            let text = format!("{refs} reference lines (see the table)");
            key_and_name(area, labels, st, Role::Reference, &text, 0.5 * f, y)?;
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
        let l = &lines[i];
        key_and_name(area, labels, st, l.role, &l.name, g0.right + 0.4 * f, y)?;
    }
    Ok(g0)
}

/// A line in its role's style: the comparison dashed, the others solid.
fn stroke<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    role: Role,
    pts: Vec<(i32, i32)>,
) -> Result<()> {
    let style = st.color(role).stroke_width(st.width(role));
    if role != Role::Compare {
        return area.draw(&PathElement::new(pts, style)).map_err(draw_err);
    }
    // Dashed: every other stretch between points. The lines have 8 points a decade, evenly
    // spaced in x and a little more apart where a line climbs, so the dashes come out nearly
    // even (and cost the wasm no dash arithmetic).
    for dash in pts.windows(2).step_by(2) {
        area.draw(&PathElement::new(dash.to_vec(), style))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// The reader's line has filled square markers, the comparison's hollow ones, references none.
fn marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    role: Role,
    (x, y): (i32, i32),
) -> Result<()> {
    let r = (st.font_px as f64 * 0.3).round() as i32;
    let square = |c: RGBColor| Rectangle::new([(x - r, y - r), (x + r, y + r)], c.filled());
    let c = st.color(role);
    match role {
        Role::Mine => area.draw(&square(c)),
        Role::Compare => area.draw(&square(c)).and_then(|_| {
            area.draw(&Rectangle::new(
                [(x - r + 2, y - r + 2), (x + r - 2, y + r - 2)],
                st.theme.background().filled(),
            ))
        }),
        Role::Reference => Ok(()),
    }
    .map_err(draw_err)
}

/// A line's key (a short stretch of it, with its marker) and its name, left-aligned at x,
/// centred on y.
fn key_and_name<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &mut Vec<Label>,
    st: &Style,
    role: Role,
    name: &str,
    x: f64,
    y: f64,
) -> Result<()> {
    let f = st.font_px as f64;
    let (x0, x1, yi) = (x as i32, (x + 1.8 * f) as i32, y as i32);
    // Four stretches, so that a dashed key shows two dashes.
    let key = (0..5).map(|k| (x0 + (x1 - x0) * k / 4, yi)).collect();
    stroke(area, st, role, key)?;
    marker(area, st, role, ((x0 + x1) / 2, yi))?;
    let ink = if role == Role::Reference {
        st.theme.muted()
    } else {
        st.theme.ink()
    };
    labels.push(Label::new(
        name,
        ((x + 2.2 * f) as i32, yi),
        st.font_px,
        ink,
        Anchor::LeftMiddle,
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article_with(container: Container) -> Scenario {
        Scenario {
            container,
            ..Scenario::article()
        }
    }

    #[test]
    fn the_readers_two_scenarios_are_drawn_named_and_told_apart() {
        let refs = references(Profile::Py312, Accounting::Requested);
        assert_eq!(refs.len(), REPRESENTATIONS.len());
        let at_million = |l: &Line| l.points[(6 * STEPS) as usize].1;
        assert!(at_million(&refs[0]) > 30e6 && at_million(&refs[0]) < 50e6);
        assert!(at_million(&refs[6]) < at_million(&refs[5]));
        // array('q') next to a list of the same ints: both are drawn under their own names,
        // and the references they duplicate (list of ints, array('q')) are left out.
        let mine = article_with(Container::Array(Typecode('q')));
        let other = article_with(Container::ListAppend);
        let ls = lines(&mine, &other, &refs, Accounting::Requested);
        assert_eq!(ls[0].name, "array('q')");
        assert_eq!(ls[1].name, "list of ints (append)");
        assert_eq!((ls[0].role, ls[1].role), (Role::Mine, Role::Compare));
        assert_eq!(ls.len(), 2 + REPRESENTATIONS.len() - 2);
        assert!(ls[2..].iter().all(|l| l.role == Role::Reference));
        let n = 1_000_000;
        assert_eq!(
            at_million(&ls[0]),
            layout(&Scenario { n, ..mine }).totals.requested as f64
        );
        let mut svg = String::new();
        let mut labels = Vec::new();
        {
            let root = SVGBackend::with_string(&mut svg, (900, 420)).into_drawing_area();
            let st = Style {
                font_px: 12,
                line_px: 2,
                units: Units::Si,
                theme: Theme { dark: false },
            };
            let g = draw(&root, &ls, &st, &mut labels).unwrap();
            assert!((g.n_of(g.x_of(1000.0)) - 1000.0).abs() < 1e-6);
            root.present().unwrap();
        }
        for l in &ls {
            assert!(
                labels.iter().any(|t| t.text == l.name),
                "{} labelled",
                l.name
            );
        }
        assert!(labels.iter().any(|l| l.text == "1G"));
        let hex = |c: RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        assert!(svg.contains(&hex(VERMILLION)) && svg.contains(&hex(BLUE)));
        // A marker at each of the 10 decades and one in the key: one square for the reader's
        // line, two (hollow) for the comparison's; the comparison is dashed: many short paths.
        assert_eq!(svg.matches("<rect").count(), 1 + 11 + 2 * 11);
        assert!(svg.matches("<polyline").count() > 10 + 9 + 20);
    }

    #[test]
    fn names_say_which_python_only_when_they_differ_and_never_collide() {
        let a = Scenario::article();
        let b = Scenario {
            profile: Profile::Wasm313,
            ..a
        };
        assert_eq!(
            names(&a, &b),
            [
                "list of ints (append) on CPython 3.12".to_owned(),
                "list of ints (append) on CPython 3.13 (wasm32)".to_owned()
            ]
        );
        let [x, y] = names(&a, &a);
        assert_ne!(x, y);
        assert!(x.starts_with("list of ints (append)"));
    }

    #[test]
    fn a_line_follows_the_nearest_valid_scenario_where_its_values_outgrow_the_type() {
        // 0 … n-1 fits array('b') up to n = 128; past that the widget draws i % 128.
        let s = article_with(Container::Array(Typecode('b')));
        let p = points(&s, Accounting::Requested);
        assert!(p.iter().all(|&(_, b)| b > 0.0));
        assert_eq!(
            total_at(&s, 1000, Accounting::Getsizeof),
            layout(&Scenario { n: 1000, ..s }.nearest_valid().0)
                .totals
                .getsizeof
        );
    }
}
