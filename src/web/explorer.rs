//! The Explorer handle: one per widget, holding the scenario, its layout and the geometry of
//! the last draw of each chart, so JS asks for hits instead of recomputing. Canvases are passed
//! as elements; sizes cross in CSS pixels with the device pixel ratio, drawing happens in backing
//! pixels. `free()` is called when the widget goes away.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::heap::{heap_from_js, heap_input};
use super::layout::layout_to_js;
use super::{js_error, scenario_from_js, to_js};
use crate::charts::heapmap::HeapMap;
use crate::charts::text::Units;
use crate::charts::{bars, draw_labels, flame, series, Accounting, Theme};
use crate::error::Error;
use crate::model::scenario::{Const, Container, Dtype, Values};
use crate::model::{layout, Layout, Profile, Scenario};

fn accounting(s: &str) -> Result<Accounting, JsError> {
    Accounting::parse(s).ok_or_else(|| {
        js_error(Error::invalid(
            "accounting",
            "must be \"getsizeof\", \"tracemalloc\" or \"allocator\"",
        ))
    })
}

fn units(s: &str) -> Result<Units, JsError> {
    Units::parse(s).ok_or_else(|| {
        js_error(Error::invalid(
            "units",
            "must be \"bytes\", \"si\" or \"iec\"",
        ))
    })
}

/// Size the canvas's backing store for `w_css` x `h_css` CSS pixels at `dpr` (plotters lays
/// out in backing pixels), then wrap it in plotters-canvas's backend.
fn backend(
    canvas: HtmlCanvasElement,
    w_css: f64,
    h_css: f64,
    dpr: f64,
) -> Result<CanvasBackend, JsError> {
    let dpr = if dpr.is_finite() && dpr > 0.0 {
        dpr.min(4.0)
    } else {
        1.0
    };
    canvas.set_width((w_css.max(1.0) * dpr).round() as u32);
    canvas.set_height((h_css.max(1.0) * dpr).round() as u32);
    CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("canvas: could not get a 2D context"))
}

/// Finish a drawing: the labels over the shapes, then present.
fn finish(
    area: &DrawingArea<CanvasBackend, plotters::coord::Shift>,
    labels: &[crate::charts::Label],
) -> Result<(), JsError> {
    draw_labels(area, labels).map_err(js_error)?;
    area.present()
        .map_err(|_| JsError::new("canvas: could not draw"))
}

fn px(v: f64, dpr: f64) -> i32 {
    (v * dpr).round() as i32
}

/// The comparison a new Explorer starts with (the page sets its own with `setCompare`): the
/// article's np.zeros(n, dtype=np.uint64) next to its list.
fn article_compare(s: &Scenario) -> Scenario {
    Scenario {
        container: Container::Ndarray(Dtype::Uint64),
        values: Values::Constant(Const::Int(0)),
        ..*s
    }
}

#[wasm_bindgen]
pub struct Explorer {
    scenario: Scenario,
    layout: Layout,
    compare_scenario: Scenario,
    compare: Layout,
    flame: Vec<flame::Frame>,
    flame_row_css: f64,
    flame_width_css: f64,
    /// The flame graph was drawn as a flame (the root at the bottom), not as an icicle.
    flame_up: bool,
    /// What the lines were computed for: both scenarios (n is left out: it varies along the
    /// lines) and the accounting; the references depend on the Python and the accounting only.
    series_key: Option<(Scenario, Scenario, Accounting)>,
    refs_key: Option<(Profile, Accounting)>,
    refs: Vec<series::Line>,
    series: Vec<series::Line>,
    series_geom: Option<series::Geometry>,
    series_dpr: f64,
    bars: Vec<bars::Seg>,
    bars_dpr: f64,
    heap: Option<HeapMap>,
}

impl Default for Explorer {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl Explorer {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Explorer {
        let s = Scenario::article();
        let c = article_compare(&s);
        Explorer {
            layout: layout(&s),
            compare: layout(&c),
            compare_scenario: c,
            scenario: s,
            flame: Vec::new(),
            flame_row_css: 22.0,
            flame_width_css: 1.0,
            flame_up: false,
            series_key: None,
            refs_key: None,
            refs: Vec::new(),
            series: Vec::new(),
            series_geom: None,
            series_dpr: 1.0,
            bars: Vec::new(),
            bars_dpr: 1.0,
            heap: None,
        }
    }

    /// Set the scenario (same shape as layout()'s); returns its layout as a plain object.
    #[wasm_bindgen(js_name = setScenario)]
    pub fn set_scenario(&mut self, scenario: JsValue) -> Result<JsValue, JsError> {
        let s = scenario_from_js(&scenario).map_err(js_error)?;
        self.layout = layout(&s);
        self.scenario = s;
        layout_to_js(&s, &self.layout)
    }

    /// Set the scenario compared with (same shape as layout()'s, valid as it is: the page
    /// resolves it first, with resolveScenario); returns its layout as a plain object.
    #[wasm_bindgen(js_name = setCompare)]
    pub fn set_compare(&mut self, scenario: JsValue) -> Result<JsValue, JsError> {
        let c = scenario_from_js(&scenario).map_err(js_error)?;
        self.compare = layout(&c);
        self.compare_scenario = c;
        layout_to_js(&c, &self.compare)
    }

    /// The comparison's layout, as setCompare last returned it.
    #[wasm_bindgen(js_name = compareLayout)]
    pub fn compare_layout(&self) -> Result<JsValue, JsError> {
        layout_to_js(&self.compare_scenario, &self.compare)
    }

    /// [the scenario's name, the comparison's] as the charts label them (never the same).
    pub fn names(&self) -> Vec<String> {
        series::names(&self.scenario, &self.compare_scenario).into()
    }

    /// Draw the flame graph `width_css` wide, zoomed into preorder node `zoom`, as an icicle
    /// (the root on top) or, with `up`, as a flame (the root at the bottom). Returns the height
    /// it needs in CSS pixels (the canvas is sized to it).
    #[wasm_bindgen(js_name = drawFlame)]
    #[allow(clippy::too_many_arguments)]
    pub fn draw_flame(
        &mut self,
        canvas: HtmlCanvasElement,
        width_css: f64,
        dpr: f64,
        acc: &str,
        unit: &str,
        zoom: u32,
        dark: bool,
        up: bool,
    ) -> Result<f64, JsError> {
        let acc = accounting(acc)?;
        let frames = flame::frames(&self.layout.tree, acc, zoom);
        let rows = flame::rows(&frames);
        let height = rows as f64 * self.flame_row_css;
        let area = backend(canvas, width_css, height, dpr)?.into_drawing_area();
        let st = flame::Style {
            row_px: px(self.flame_row_css, dpr),
            font_px: px(12.0, dpr),
            units: units(unit)?,
            acc,
            theme: Theme { dark },
            up,
        };
        let mut labels = Vec::new();
        flame::draw(&area, &self.layout.tree, &frames, &st, &mut labels).map_err(js_error)?;
        finish(&area, &labels)?;
        self.flame = frames;
        self.flame_width_css = width_css.max(1.0);
        self.flame_up = up;
        Ok(height)
    }

    /// The preorder index of the frame under a point (CSS pixels), or -1.
    #[wasm_bindgen(js_name = hitFlame)]
    pub fn hit_flame(&self, x_css: f64, y_css: f64) -> i32 {
        let row = (y_css / self.flame_row_css).floor();
        let rows = flame::rows(&self.flame);
        if row < 0.0 || row >= rows as f64 {
            return -1;
        }
        // Rows count from the top; a flame's depth counts from the bottom.
        let depth = flame::row_of(row as u32, rows, self.flame_up);
        flame::hit(&self.flame, x_css / self.flame_width_css, depth).map_or(-1, |f| f.node as i32)
    }

    /// [x, y, width, height] in CSS pixels of a drawn frame (empty if it is not drawn).
    #[wasm_bindgen(js_name = frameRect)]
    pub fn frame_rect(&self, node: u32) -> Vec<f64> {
        self.flame
            .iter()
            .find(|f| f.node == node)
            .map_or_else(Vec::new, |f| {
                let w = self.flame_width_css;
                let row = flame::row_of(f.depth, flame::rows(&self.flame), self.flame_up);
                vec![
                    f.x0 * w,
                    row as f64 * self.flame_row_css,
                    (f.x1 - f.x0) * w,
                    self.flame_row_css,
                ]
            })
    }

    /// Preorder indices of the frames drawn, in drawing order (for keyboard navigation).
    #[wasm_bindgen(js_name = drawnFrames)]
    pub fn drawn_frames(&self) -> Vec<u32> {
        self.flame.iter().map(|f| f.node).collect()
    }

    /// Draw memory vs n: the scenario, the comparison and the references (on the scenario's
    /// Python). Recomputes the lines only when one of the scenarios (but for n) or the
    /// accounting changed: moving n only moves the marker, which JS draws on the overlay.
    /// Returns the lines' names, in the order seriesAt and seriesValues give their bytes: the
    /// scenario, the comparison, then the references shown (those that are not one of the two).
    #[wasm_bindgen(js_name = drawSeries)]
    #[allow(clippy::too_many_arguments)]
    pub fn draw_series(
        &mut self,
        canvas: HtmlCanvasElement,
        w_css: f64,
        h_css: f64,
        dpr: f64,
        acc: &str,
        unit: &str,
        dark: bool,
    ) -> Result<Vec<String>, JsError> {
        let acc = accounting(acc)?;
        let (mine, other) = (
            Scenario {
                n: 0,
                ..self.scenario
            },
            Scenario {
                n: 0,
                ..self.compare_scenario
            },
        );
        if self.refs_key != Some((mine.profile, acc)) {
            self.refs = series::references(mine.profile, acc);
            self.refs_key = Some((mine.profile, acc));
            self.series_key = None;
        }
        if self.series_key != Some((mine, other, acc)) {
            self.series = series::lines(&mine, &other, &self.refs, acc);
            self.series_key = Some((mine, other, acc));
        }
        let area = backend(canvas, w_css, h_css, dpr)?.into_drawing_area();
        let st = series::Style {
            font_px: px(12.0, dpr),
            line_px: px(2.0, dpr).max(1) as u32,
            units: units(unit)?,
            theme: Theme { dark },
        };
        let mut labels = Vec::new();
        self.series_geom =
            Some(series::draw(&area, &self.series, &st, &mut labels).map_err(js_error)?);
        self.series_dpr = dpr.max(0.5);
        finish(&area, &labels)?;
        Ok(self.series.iter().map(|l| l.name.clone()).collect())
    }

    /// The x (CSS pixels) where n sits on the memory-vs-n chart.
    #[wasm_bindgen(js_name = seriesX)]
    pub fn series_x(&self, n: f64) -> f64 {
        self.series_geom
            .map_or(0.0, |g| g.x_of(n) / self.series_dpr)
    }

    /// [x0, y0, x1, y1] of the plot area in CSS pixels.
    #[wasm_bindgen(js_name = seriesPlot)]
    pub fn series_plot(&self) -> Vec<f64> {
        let d = self.series_dpr;
        self.series_geom.map_or_else(Vec::new, |g| {
            vec![g.left / d, g.top / d, g.right / d, g.bottom / d]
        })
    }

    /// At an x in CSS pixels: [n, then each line's exact bytes at that n].
    #[wasm_bindgen(js_name = seriesAt)]
    pub fn series_at(&self, x_css: f64, acc: &str) -> Result<Vec<f64>, JsError> {
        let acc = accounting(acc)?;
        let Some(g) = self.series_geom else {
            return Ok(Vec::new());
        };
        let n = g.n_of(x_css * self.series_dpr).round();
        Ok(self.values_at(n, acc))
    }

    /// [n, then each line's exact bytes] at n (for the cursor and the data table).
    #[wasm_bindgen(js_name = seriesValues)]
    pub fn series_values(&self, n: f64, acc: &str) -> Result<Vec<f64>, JsError> {
        Ok(self.values_at(n, accounting(acc)?))
    }

    /// Draw bytes per element, the scenario above the comparison. Returns the bars as
    /// `[{ label, perElementHundredths: [8], bytes: [8] }]` (the segments in `bars::SEGMENTS`
    /// order) for the tooltip and the data table.
    #[wasm_bindgen(js_name = drawBars)]
    pub fn draw_bars(
        &mut self,
        canvas: HtmlCanvasElement,
        w_css: f64,
        h_css: f64,
        dpr: f64,
        acc: &str,
        dark: bool,
    ) -> Result<JsValue, JsError> {
        let acc = accounting(acc)?;
        let n = self.scenario.n.max(1);
        let per = |l: &Layout| bars::split(l, acc);
        let [mine, other] = series::names(&self.scenario, &self.compare_scenario);
        let rows = [(mine, per(&self.layout)), (other, per(&self.compare))];
        let area = backend(canvas, w_css, h_css, dpr)?.into_drawing_area();
        let mut labels = Vec::new();
        let st = bars::Style {
            font_px: px(12.0, dpr),
            theme: Theme { dark },
        };
        let hundredths: Vec<_> = rows
            .iter()
            .map(|(label, parts)| {
                let per = parts.map(|b| (b.min(1 << 56) * 100 + n / 2) / n);
                (label.clone(), per)
            })
            .collect();
        self.bars = bars::draw(&area, &hundredths, &st, &mut labels).map_err(js_error)?;
        self.bars_dpr = dpr.max(0.5);
        finish(&area, &labels)?;
        let out: Vec<BarOut> = hundredths
            .into_iter()
            .zip(rows)
            .map(|((label, per), (_, bytes))| BarOut {
                label,
                per_element_hundredths: per,
                bytes,
            })
            .collect();
        to_js(&out)
    }

    /// The drawn bar segment under a point (CSS pixels): [bar, segment, x, y, w, h] or empty.
    #[wasm_bindgen(js_name = hitBars)]
    pub fn hit_bars(&self, x_css: f64, y_css: f64) -> Vec<f64> {
        let d = self.bars_dpr;
        bars::hit(&self.bars, x_css * d, y_css * d).map_or_else(Vec::new, |s| seg_out(&s, d))
    }

    /// Every drawn segment as [bar, segment, x, y, w, h] in CSS pixels, flattened.
    #[wasm_bindgen(js_name = barSegments)]
    pub fn bar_segments(&self) -> Vec<f64> {
        self.bars
            .iter()
            .flat_map(|s| seg_out(s, self.bars_dpr))
            .collect()
    }

    /// Load a lab report's heap map (the `heap` object of runLab's result: typed arrays) for
    /// a run of `profile` whose container holds `length` items.
    #[wasm_bindgen(js_name = setHeap)]
    pub fn set_heap(&mut self, heap: JsValue, profile: &str, length: f64) -> Result<(), JsError> {
        let p = Profile::parse(profile).ok_or_else(|| JsError::new("profile: unknown profile"))?;
        let input = heap_input(&heap_from_js(&heap), p, length.max(0.0) as usize);
        self.heap = Some(HeapMap::new(input));
        Ok(())
    }

    /// [lowest, highest) address of the loaded heap map.
    #[wasm_bindgen(js_name = heapSpan)]
    pub fn heap_span(&self) -> Vec<f64> {
        self.heap
            .as_ref()
            .map_or_else(Vec::new, |h| vec![h.lo as f64, h.hi as f64])
    }

    /// RGBA pixels of addresses [from, to), row-major over width x height. Bit `1 << part`
    /// of `hidden` leaves that part out (painted as the background).
    #[wasm_bindgen(js_name = heapRaster)]
    pub fn heap_raster(
        &self,
        from: f64,
        to: f64,
        width: u32,
        height: u32,
        dark: bool,
        hidden: u32,
    ) -> Vec<u8> {
        let (w, h) = (
            width.clamp(1, 4096) as usize,
            height.clamp(1, 4096) as usize,
        );
        self.heap.as_ref().map_or_else(
            || vec![0; w * h * 4],
            |m| m.raster(from, to, w, h, Theme { dark }, hidden),
        )
    }

    /// What is at an address: `{ address, what, field, fieldStart, fieldLen, blockStart,
    /// blockSize, requested, offset, index, part }` (bytes and addresses of the lab's memory),
    /// or null.
    #[wasm_bindgen(js_name = heapDescribe)]
    pub fn heap_describe(&self, addr: f64) -> Result<JsValue, JsError> {
        match self.heap.as_ref().and_then(|m| m.describe(addr as usize)) {
            Some(s) => to_js(&SpotOut {
                address: s.addr,
                what: s.what,
                field: s.field,
                field_start: s.field_start,
                field_len: s.field_len,
                block_start: s.block_start,
                block_size: s.block_size,
                requested: s.requested,
                offset: s.offset,
                index: s.index,
                part: s.part as u8,
            }),
            None => Ok(JsValue::NULL),
        }
    }
}

/// One bar of bytes per element.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BarOut {
    label: String,
    /// Each segment's bytes per element, in hundredths of a byte.
    per_element_hundredths: [u64; 8],
    /// Each segment's exact total bytes.
    bytes: [u64; 8],
}

/// What is at one address of the lab's memory (see `charts::heapmap::Spot`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SpotOut {
    address: usize,
    what: &'static str,
    field: String,
    field_start: usize,
    field_len: usize,
    block_start: usize,
    block_size: usize,
    requested: usize,
    offset: usize,
    index: usize,
    /// `charts::heapmap::Part` as its number.
    part: u8,
}

impl Explorer {
    fn values_at(&self, n: f64, acc: Accounting) -> Vec<f64> {
        let n = n.clamp(0.0, 1e12) as u64;
        let mut out = vec![n as f64];
        out.extend(self.series.iter().map(|l| {
            if series::reaches(&l.scenario, n) {
                series::total_at(&l.scenario, n, acc) as f64
            } else {
                f64::NAN
            }
        }));
        out
    }
}

fn seg_out(s: &bars::Seg, d: f64) -> Vec<f64> {
    vec![
        s.bar as f64,
        s.seg as f64,
        s.x0 / d,
        s.y0 / d,
        (s.x1 - s.x0) / d,
        (s.y1 - s.y0) / d,
    ]
}
