//! Horizontal bar charts as SVG, one bar per measured subject (a group, a group on a backend,
//! an implementation), in sections that share one title naming the CPU: the charts of
//! `hybrid-kx speed --chart`, `hybrid-kx bench --chart` and bench-peers' `interleaved`
//! (`docs/benchmarks.svg`). Written once so that every chart a user or the documentation shows
//! reads the same way, and names the machine its figures come from (ratios between
//! implementations depend on it).
//!
//! Drawn with plotters' SVG backend alone: no font files are read (the viewer lays out the
//! text), and nothing else of plotters is built.

use std::fmt;
use std::path::Path;

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::cpu::Cpu;

/// Width of every chart, in pixels.
const WIDTH: u32 = 960;
/// Height of the chart's title line.
const TITLE_HEIGHT: u32 = 36;
/// Height of one bar's row.
const ROW_HEIGHT: u32 = 24;
/// Height of a section's caption plus its x axis and margins.
const SECTION_FRAME: u32 = 80;
/// Room left of the plot for the bars' labels.
const LABEL_WIDTH: u32 = 300;
/// The bars of the subject a chart is about (hybrid-kx), and of the others.
const HIGHLIGHT: RGBColor = RGBColor(0x2a, 0x7a, 0xb0);
const OTHER: RGBColor = RGBColor(0x9a, 0xa5, 0xad);

/// One bar: a subject, its value, and the text written at the bar's end.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// What was measured (left of the bar).
    pub label: String,
    /// The bar's length, in the section's unit; a value that is not finite and positive draws
    /// no bar (its text still says what happened).
    pub value: f64,
    /// Written after the bar: the figure as a reader wants it (`187.7 µs (×0.89)`).
    pub text: String,
    /// Drawn in the accent colour: the subject the chart is about, among its peers.
    pub highlight: bool,
}

/// Bars measured together, under a caption that says what they measure and which way is
/// better (`handshakes/s, longer is faster`).
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// The caption above the bars.
    pub caption: String,
    /// The x axis's description: the unit.
    pub unit: String,
    /// Top to bottom.
    pub bars: Vec<Bar>,
}

/// A chart: a title with the CPU it was measured on, and its sections, top to bottom.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    title: String,
    /// Top to bottom.
    pub sections: Vec<Section>,
}

/// Why a chart could not be drawn or written.
#[derive(Debug)]
pub struct ChartError(String);

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChartError {}

impl BarChart {
    /// An empty chart titled `title` and the CPU (`MODEL (family F, model M, ...)`): a figure
    /// without its machine cannot be compared with anything.
    pub fn new(title: &str, cpu: &Cpu) -> Self {
        Self {
            title: format!("{title} on {}", cpu.summary()),
            sections: Vec::new(),
        }
    }

    /// The title as drawn, CPU included.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The chart as an SVG document.
    ///
    /// # Errors
    /// If the chart has no bar, or plotters fails to lay it out.
    pub fn to_svg(&self) -> Result<String, ChartError> {
        let rows: usize = self.sections.iter().map(|s| s.bars.len()).sum();
        if rows == 0 {
            return Err(ChartError("a chart needs at least one bar".to_owned()));
        }
        let height = TITLE_HEIGHT + self.sections.iter().map(section_height).sum::<u32>();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
            root.fill(&WHITE).map_err(plotting)?;
            let mut rest = root
                .titled(&self.title, ("sans-serif", 20).into_font().color(&BLACK))
                .map_err(plotting)?;
            for section in &self.sections {
                let (area, below) = rest.split_vertically(section_height(section));
                draw_section(&area, section)?;
                rest = below;
            }
            root.present().map_err(plotting)?;
        }
        Ok(svg)
    }

    /// Writes the chart as an SVG file.
    ///
    /// # Errors
    /// As [`to_svg`](Self::to_svg), or if the file cannot be written.
    pub fn write_svg(&self, path: &Path) -> Result<(), ChartError> {
        let svg = self.to_svg()?;
        std::fs::write(path, svg)
            .map_err(|e| ChartError(format!("cannot write {}: {e}", path.display())))
    }
}

fn section_height(section: &Section) -> u32 {
    let rows = u32::try_from(section.bars.len()).unwrap_or(u32::MAX);
    SECTION_FRAME.saturating_add(ROW_HEIGHT.saturating_mul(rows))
}

fn plotting(err: impl fmt::Display) -> ChartError {
    ChartError(format!("plotting: {err}"))
}

/// Whether `value` can be drawn as a bar.
fn drawable(value: f64) -> bool {
    value.is_finite() && value > 0.0
}

/// One section: a caption, a label per bar, the bars from 0, each bar's text after it.
fn draw_section<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    section: &Section,
) -> Result<(), ChartError> {
    let n = section.bars.len();
    if n == 0 {
        return Ok(());
    }
    let longest = section
        .bars
        .iter()
        .map(|bar| bar.value)
        .filter(|v| drawable(*v))
        .fold(0.0, f64::max);
    // Room after the longest bar for its text.
    let x_max = if longest > 0.0 { longest * 1.45 } else { 1.0 };
    // Segment 0 is drawn at the bottom: the first bar takes the top segment.
    let row = |i: usize| n - 1 - i;
    let mut chart = ChartBuilder::on(area)
        .caption(&section.caption, ("sans-serif", 17).into_font())
        .margin(6)
        .margin_right(16)
        .x_label_area_size(40)
        .y_label_area_size(LABEL_WIDTH)
        .build_cartesian_2d(0.0..x_max, (0..n).into_segmented())
        .map_err(plotting)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_max_light_lines(1)
        .set_tick_mark_size(LabelAreaPosition::Left, 0)
        .x_desc(section.unit.as_str())
        .x_label_formatter(&|v| {
            if x_max >= 10.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.2}")
            }
        })
        .y_labels(n)
        .y_label_formatter(&|value| match value {
            SegmentValue::CenterOf(i) if *i < n => section.bars[row(*i)].label.clone(),
            _ => String::new(),
        })
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(plotting)?;
    chart
        .draw_series(
            section
                .bars
                .iter()
                .enumerate()
                .filter(|(_, bar)| drawable(bar.value))
                .map(|(i, bar)| {
                    let color = if bar.highlight { HIGHLIGHT } else { OTHER };
                    let mut rect = Rectangle::new(
                        [
                            (0.0, SegmentValue::Exact(row(i))),
                            (bar.value, SegmentValue::Exact(row(i) + 1)),
                        ],
                        color.filled(),
                    );
                    rect.set_margin(3, 3, 0, 0);
                    rect
                }),
        )
        .map_err(plotting)?;
    let text_style = ("sans-serif", 15)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    chart
        .draw_series(section.bars.iter().enumerate().map(|(i, bar)| {
            let end = if drawable(bar.value) { bar.value } else { 0.0 };
            EmptyElement::at((end, SegmentValue::CenterOf(row(i))))
                + Text::new(bar.text.clone(), (6, 0), text_style.clone())
        }))
        .map_err(plotting)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpu() -> Cpu {
        Cpu {
            model_name: "Example CPU".to_owned(),
            family: "6".to_owned(),
            model: "207".to_owned(),
            stepping: "2".to_owned(),
            logical_cpus: 2,
            backends: Vec::new(),
        }
    }

    fn bar(label: &str, value: f64, highlight: bool) -> Bar {
        Bar {
            label: label.to_owned(),
            value,
            text: format!("{value:.1} µs"),
            highlight,
        }
    }

    /// Counts the filled rectangles of `color` (plotters writes `fill="#RRGGBB"`).
    fn rects(svg: &str, color: RGBColor) -> usize {
        let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", color.0, color.1, color.2);
        svg.match_indices("<rect")
            .filter(|(at, _)| svg[*at..].split('>').next().unwrap().contains(&fill))
            .count()
    }

    /// A chart titled `title` on the test CPU with one section (caption, unit) of `bars`.
    fn one_section(title: &str, (caption, unit): (&str, &str), bars: Vec<Bar>) -> BarChart {
        let mut chart = BarChart::new(title, &cpu());
        chart.sections.push(Section {
            caption: caption.to_owned(),
            unit: unit.to_owned(),
            bars,
        });
        chart
    }

    /// Every bar is drawn once, in its colour, with its label and text; the title names the
    /// CPU; a bar without a value draws nothing but its text.
    #[test]
    fn every_bar_is_drawn_once_with_its_label_and_text() {
        let mut chart = one_section(
            "Full exchange",
            ("X25519MLKEM768", "µs, shorter is faster"),
            vec![
                bar("hybrid-kx", 187.7, true),
                bar("aws-lc-rs", 210.0, false),
                bar("graviola", 185.4, false),
            ],
        );
        chart.sections.push(Section {
            caption: "MLKEM768".to_owned(),
            unit: "µs".to_owned(),
            bars: vec![bar("hybrid-kx", 48.4, true), bar("failed", f64::NAN, false)],
        });
        let svg = chart.to_svg().unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(
            svg.contains(
                "Full exchange on Example CPU (family 6, model 207, stepping 2; 2 logical CPUs)"
            ),
            "{svg}"
        );
        assert_eq!(rects(&svg, HIGHLIGHT), 2, "{svg}");
        assert_eq!(rects(&svg, OTHER), 2, "{svg}");
        for text in [
            "hybrid-kx",
            "aws-lc-rs",
            "graviola",
            "failed",
            "187.7 µs",
            "210.0 µs",
            "NaN µs",
            "X25519MLKEM768",
            "MLKEM768",
            "shorter is faster",
        ] {
            assert!(svg.contains(text), "{text} missing: {svg}");
        }
    }

    /// The bars keep their order top to bottom, and their lengths their ratio.
    #[test]
    fn bars_keep_their_order_and_proportions() {
        let chart = one_section(
            "t",
            ("c", "u"),
            vec![bar("first", 100.0, true), bar("second", 50.0, true)],
        );
        let svg = chart.to_svg().unwrap();
        let attr = |tag: &str, name: &str| -> f64 {
            let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            tag[start..].split('"').next().unwrap().parse().unwrap()
        };
        let fill = format!(
            "fill=\"#{:02X}{:02X}{:02X}\"",
            HIGHLIGHT.0, HIGHLIGHT.1, HIGHLIGHT.2
        );
        let bars: Vec<(f64, f64)> = svg
            .split("<rect")
            .skip(1)
            .map(|tag| tag.split('>').next().unwrap())
            .filter(|tag| tag.contains(&fill))
            .map(|tag| (attr(tag, "y"), attr(tag, "width")))
            .collect();
        let [(y_first, w_first), (y_second, w_second)] = bars[..] else {
            panic!("two bars expected: {svg}");
        };
        assert!(y_first < y_second, "{svg}");
        let ratio = w_first / w_second;
        assert!((ratio - 2.0).abs() < 0.05, "ratio {ratio}: {svg}");
    }

    #[test]
    fn a_chart_without_bars_is_an_error() {
        assert!(BarChart::new("t", &cpu()).to_svg().is_err());
    }
}
