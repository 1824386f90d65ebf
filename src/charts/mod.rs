//! The panels' drawing, in Rust with plotters, generic over plotters' DrawingBackend: the page
//! draws to canvases (plotters-canvas), native tests to SVG. Each chart keeps the geometry of
//! its last draw so hover and keyboard can hit-test without recomputing.

pub mod bars;
pub mod flame;
pub mod heapmap;
pub mod series;
pub mod text;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::model::Kind;

/// Which of the three numbers a chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accounting {
    Getsizeof,
    Requested,
    Allocated,
}

impl Accounting {
    pub fn parse(s: &str) -> Option<Accounting> {
        match s {
            "getsizeof" => Some(Accounting::Getsizeof),
            "tracemalloc" | "requested" => Some(Accounting::Requested),
            "allocator" | "allocated" => Some(Accounting::Allocated),
            _ => None,
        }
    }

    pub fn of(self, b: crate::model::Bytes) -> u64 {
        match self {
            Accounting::Getsizeof => b.getsizeof,
            Accounting::Requested => b.requested,
            Accounting::Allocated => b.allocated,
        }
    }
}

/// Light or dark page: the same colour-blind-safe hues (Okabe & Ito), different ink.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub dark: bool,
}

impl Theme {
    pub fn background(self) -> RGBColor {
        if self.dark {
            RGBColor(0x16, 0x18, 0x1d)
        } else {
            RGBColor(0xff, 0xff, 0xff)
        }
    }

    pub fn ink(self) -> RGBColor {
        if self.dark {
            RGBColor(0xe8, 0xea, 0xed)
        } else {
            RGBColor(0x1f, 0x23, 0x28)
        }
    }

    pub fn muted(self) -> RGBColor {
        if self.dark {
            RGBColor(0x9a, 0xa1, 0xab)
        } else {
            RGBColor(0x5b, 0x63, 0x6e)
        }
    }

    pub fn grid(self) -> RGBColor {
        if self.dark {
            RGBColor(0x33, 0x38, 0x40)
        } else {
            RGBColor(0xe3, 0xe6, 0xea)
        }
    }
}

/// Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
pub const ORANGE: RGBColor = RGBColor(0xe6, 0x9f, 0x00);
pub const SKY: RGBColor = RGBColor(0x56, 0xb4, 0xe9);
pub const GREEN: RGBColor = RGBColor(0x00, 0x9e, 0x73);
pub const YELLOW: RGBColor = RGBColor(0xf0, 0xe4, 0x42);
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xb2);
pub const VERMILLION: RGBColor = RGBColor(0xd5, 0x5e, 0x00);
pub const PURPLE: RGBColor = RGBColor(0xcc, 0x79, 0xa7);
pub const GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);
pub const LIGHT_GREY: RGBColor = RGBColor(0xc8, 0xc8, 0xc8);

/// Fill colour of a frame or segment by what its bytes are.
pub fn kind_color(kind: Kind) -> RGBColor {
    match kind {
        Kind::Root => GREY,
        Kind::Object | Kind::Buffer => BLUE,
        Kind::Gc | Kind::Header | Kind::Metadata => SKY,
        Kind::Slots => GREEN,
        Kind::Slack => YELLOW,
        Kind::Payload | Kind::Objects => ORANGE,
        Kind::Padding => PURPLE,
        Kind::Rounding => VERMILLION,
        Kind::Shared => LIGHT_GREY,
    }
}

/// Black or white text, whichever reads better on `bg` (WCAG relative luminance).
pub fn ink_on(bg: RGBColor) -> RGBColor {
    let lin = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(bg.0) + 0.7152 * lin(bg.1) + 0.0722 * lin(bg.2);
    if (1.05 / (l + 0.05)) > ((l + 0.05) / 0.05) {
        RGBColor(0xff, 0xff, 0xff)
    } else {
        RGBColor(0x11, 0x11, 0x11)
    }
}

/// Where a label's anchor is, horizontally and vertically.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    LeftMiddle,
    CenterMiddle,
    RightMiddle,
    LeftTop,
    CenterTop,
}

/// Text over a chart, collected while the shapes are drawn and drawn after them by
/// [`draw_labels`], so that no shape covers a label and tests can read what was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub text: String,
    pub x: i32,
    pub y: i32,
    pub px: i32,
    pub color: RGBColor,
    pub anchor: Anchor,
}

impl Label {
    pub fn new(
        text: impl Into<String>,
        (x, y): (i32, i32),
        px: i32,
        color: RGBColor,
        anchor: Anchor,
    ) -> Label {
        Label {
            text: text.into(),
            x,
            y,
            px,
            color,
            anchor,
        }
    }
}

/// The page's font stack: the reader's system sans-serif, as the page's own text uses.
pub const FONT_FAMILY: &str = "system-ui, -apple-system, \"Segoe UI\", sans-serif";

/// Draw `labels` over what is on `area`, through the backend's own text (the canvas's
/// `fillText` on the page, `<text>` in SVG).
pub fn draw_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[Label],
) -> crate::error::Result<()> {
    for l in labels {
        let (h, v) = match l.anchor {
            Anchor::LeftMiddle => (HPos::Left, VPos::Center),
            Anchor::CenterMiddle => (HPos::Center, VPos::Center),
            Anchor::RightMiddle => (HPos::Right, VPos::Center),
            Anchor::LeftTop => (HPos::Left, VPos::Top),
            Anchor::CenterTop => (HPos::Center, VPos::Top),
        };
        let style = TextStyle::from((FontFamily::Name(FONT_FAMILY), l.px as f64))
            .color(&l.color)
            .pos(Pos::new(h, v));
        area.draw(&Text::new(l.text.as_str(), (l.x, l.y), style))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// Errors from a drawing backend (its own type varies; its Debug text is not worth the bytes).
pub fn draw_err<E>(_e: E) -> crate::error::Error {
    crate::error::Error::invalid("canvas", "could not draw")
}
