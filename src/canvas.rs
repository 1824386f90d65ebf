//! A plotters DrawingBackend for an HTML canvas. It replaces plotters-canvas, which formats every
//! colour as "rgba(r,g,b,alpha)" with a float alpha and so brings core's float formatting (about
//! 7 KiB gzipped) into the page's wasm, over its size budget. Colours here are integer text.

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, DrawingBackend, DrawingErrorKind,
};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

#[derive(Debug)]
pub struct CanvasError;

impl std::fmt::Display for CanvasError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("canvas drawing failed")
    }
}

impl std::error::Error for CanvasError {}

pub struct Canvas2d {
    ctx: CanvasRenderingContext2d,
    width: u32,
    height: u32,
}

impl Canvas2d {
    pub fn new(canvas: &HtmlCanvasElement) -> Option<Canvas2d> {
        let ctx = canvas
            .get_context("2d")
            .ok()??
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        Some(Canvas2d {
            ctx,
            width: canvas.width(),
            height: canvas.height(),
        })
    }
}

/// "#rrggbb", or "rgba(r,g,b,0.xx)" when translucent: integer text only.
pub fn css_color(c: BackendColor) -> String {
    let (r, g, b) = c.rgb;
    if c.alpha >= 1.0 {
        return format!("#{r:02x}{g:02x}{b:02x}");
    }
    let a = (c.alpha.clamp(0.0, 1.0) * 100.0).round() as u32;
    format!("rgba({r},{g},{b},0.{a:02})")
}

type Res = Result<(), DrawingErrorKind<CanvasError>>;

impl DrawingBackend for Canvas2d {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn ensure_prepared(&mut self) -> Res {
        Ok(())
    }

    fn present(&mut self) -> Res {
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, color: BackendColor) -> Res {
        self.ctx.set_fill_style_str(&css_color(color));
        self.ctx.fill_rect(x as f64, y as f64, 1.0, 1.0);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Res {
        self.draw_path([from, to], style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        (x0, y0): BackendCoord,
        (x1, y1): BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res {
        let (x, y, w, h) = (x0 as f64, y0 as f64, (x1 - x0) as f64, (y1 - y0) as f64);
        if fill {
            self.ctx.set_fill_style_str(&css_color(style.color()));
            self.ctx.fill_rect(x, y, w + 1.0, h + 1.0);
        } else {
            self.ctx.set_stroke_style_str(&css_color(style.color()));
            self.ctx.set_line_width(style.stroke_width() as f64);
            self.ctx.stroke_rect(x + 0.5, y + 0.5, w, h);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res {
        let mut it = path.into_iter();
        let Some((x, y)) = it.next() else {
            return Ok(());
        };
        self.ctx.set_stroke_style_str(&css_color(style.color()));
        self.ctx.set_line_width(style.stroke_width() as f64);
        self.ctx.set_line_join("round");
        self.ctx.begin_path();
        // Half-pixel offsets keep one-pixel lines crisp.
        self.ctx.move_to(x as f64 + 0.5, y as f64 + 0.5);
        for (x, y) in it {
            self.ctx.line_to(x as f64 + 0.5, y as f64 + 0.5);
        }
        self.ctx.stroke();
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Res {
        let mut it = vert.into_iter();
        let Some((x, y)) = it.next() else {
            return Ok(());
        };
        self.ctx.set_fill_style_str(&css_color(style.color()));
        self.ctx.begin_path();
        self.ctx.move_to(x as f64, y as f64);
        for (x, y) in it {
            self.ctx.line_to(x as f64, y as f64);
        }
        self.ctx.close_path();
        self.ctx.fill();
        Ok(())
    }
}
