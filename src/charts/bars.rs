//! The reports' bar charts: two bars side by side for each group, each labelled with its
//! value. The monthly report's: completion rate (办结率) and satisfaction rate (满意率) on a
//! 0–100 % axis; a rate without data (nothing assigned, nothing rated) has no bar but a
//! "no data" note at the baseline, so it cannot be mistaken for 0 %. The daily report's:
//! this month's suggestions and the deputies with none, as counts.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font;
use crate::i18n::{self, Lang};

/// The chart's size in pixels.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 700;

/// One group's bars. Rates are fractions (0.0–1.0, clamped to it); None (or NaN) means no
/// data.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRates {
    pub label: String,
    pub completion: Option<f64>,
    pub satisfaction: Option<f64>,
}

/// One group's bars in the daily report: counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCounts {
    pub label: String,
    /// Suggestions filed this month.
    pub filed: i64,
    /// Deputies with none this month.
    pub without: i64,
}

const COMPLETION: RGBColor = RGBColor(0xc6, 0x28, 0x28);
const SATISFACTION: RGBColor = RGBColor(0x1e, 0x63, 0xb4);
const INK: RGBColor = RGBColor(0x21, 0x21, 0x21);
const MUTED: RGBColor = RGBColor(0x75, 0x75, 0x75);
const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);

/// The y axis runs a little past 100 % so a full bar's label stays inside the plot.
const Y_TOP: f64 = 108.0;
/// Where each bar sits within its group's slot (fractions of the slot).
const BARS: [(f64, f64); 2] = [(0.14, 0.49), (0.51, 0.86)];

/// Draws the rates chart and returns it as PNG bytes ([`WIDTH`] × [`HEIGHT`]).
pub fn rates_png(title: &str, groups: &[GroupRates], lang: Lang) -> anyhow::Result<Vec<u8>> {
    // A rate that is not a number (0 / 0 computed upstream) is no data either.
    let percent = |rate: Option<f64>| {
        rate.filter(|r| r.is_finite())
            .map(|r| r.clamp(0.0, 1.0) * 100.0)
    };
    let plot = Plot {
        title,
        legend: [
            (i18n::plain(lang, "chart-completion", &[]), COMPLETION),
            (i18n::plain(lang, "chart-satisfaction", &[]), SATISFACTION),
        ],
        y_desc: i18n::plain(lang, "chart-y-axis", &[]),
        top: Y_TOP,
        percent: true,
        bars: groups
            .iter()
            .map(|g| {
                (
                    g.label.clone(),
                    [percent(g.completion), percent(g.satisfaction)],
                )
            })
            .collect(),
    };
    png(&plot, lang)
}

/// Draws the counts chart (the daily report's) and returns it as PNG bytes.
pub fn counts_png(title: &str, groups: &[GroupCounts], lang: Lang) -> anyhow::Result<Vec<u8>> {
    let most = groups
        .iter()
        .map(|g| g.filed.max(g.without))
        .max()
        .unwrap_or(0)
        .max(1);
    let plot = Plot {
        title,
        legend: [
            (i18n::plain(lang, "chart-filed", &[]), SATISFACTION),
            (i18n::plain(lang, "chart-without", &[]), COMPLETION),
        ],
        y_desc: i18n::plain(lang, "chart-y-count", &[]),
        // Room above the highest bar for its label, as on the rates chart.
        top: most as f64 * Y_TOP / 100.0,
        percent: false,
        bars: groups
            .iter()
            .map(|g| {
                (
                    g.label.clone(),
                    [Some(g.filed as f64), Some(g.without as f64)],
                )
            })
            .collect(),
    };
    png(&plot, lang)
}

/// What a chart shows: two bars a group, in the legend's colours, on a 0..top axis.
struct Plot<'a> {
    title: &'a str,
    legend: [(String, RGBColor); 2],
    y_desc: String,
    top: f64,
    /// Percentages (labels with `%`, one decimal) or counts (whole numbers).
    percent: bool,
    /// Each group's label and its two values; `None` is no data.
    bars: Vec<(String, [Option<f64>; 2])>,
}

fn png(plot: &Plot, lang: Lang) -> anyhow::Result<Vec<u8>> {
    font::ensure()?;
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    draw(&mut rgb, plot, lang)?;
    super::encode_png(&rgb, WIDTH, HEIGHT)
}

fn draw(rgb: &mut [u8], plot: &Plot, lang: Lang) -> anyhow::Result<()> {
    let root = BitMapBackend::with_buffer(rgb, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let (title, groups, legend) = (plot.title, &plot.bars, &plot.legend);

    // Title on the left of the top band, the legend on its right.
    let legend_width: u32 = legend
        .iter()
        .map(|(text, _)| 34 + font::width(text, 24.0) + 28)
        .sum();
    let (title, title_size) = font::fit(title, 36.0, 20.0, WIDTH - 60 - legend_width);
    root.draw(&Text::new(
        title,
        (30, 42),
        font::at(title_size)
            .color(&INK)
            .pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    let mut x = (WIDTH - 20 - legend_width) as i32;
    for (text, colour) in legend {
        root.draw(&Rectangle::new([(x, 32), (x + 24, 52)], colour.filled()))?;
        root.draw(&Text::new(
            text.clone(),
            (x + 34, 42),
            font::at(24.0)
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += (34 + font::width(text, 24.0) + 28) as i32;
    }

    let slots = groups.len().max(1) as f64;
    let mut chart = ChartBuilder::on(&root)
        .margin_top(84)
        .margin_right(30)
        .margin_left(20)
        .margin_bottom(10)
        .x_label_area_size(70)
        .y_label_area_size(90)
        .build_cartesian_2d(0f64..slots, 0f64..plot.top)?;
    // Counts take whole-number ticks only.
    let y_label = |v: &f64| match plot.percent {
        true => format!("{v:.0}%"),
        false if (v - v.round()).abs() < 1e-6 => format!("{v:.0}"),
        false => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .disable_x_axis()
        .y_labels(11)
        .y_label_formatter(&y_label)
        .y_label_style(font::at(20.0).color(&INK))
        .y_desc(plot.y_desc.clone())
        .axis_desc_style(font::at(22.0).color(&INK))
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .draw()?;

    let bar_label = font::at(20.0)
        .color(&INK)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    let no_data = i18n::plain(lang, "chart-no-data", &[]);
    let slot_px = chart.backend_coord(&(1.0, 0.0)).0 - chart.backend_coord(&(0.0, 0.0)).0;
    let bar_px = ((BARS[0].1 - BARS[0].0) * f64::from(slot_px)) as u32;
    let (no_data, no_data_size) = font::fit(&no_data, 18.0, 10.0, bar_px);
    for (i, (label, values)) in groups.iter().enumerate() {
        let left = i as f64;
        for ((from, to), (value, (_, colour))) in BARS.iter().zip(values.iter().zip(legend)) {
            let (x0, x1) = (left + from, left + to);
            let middle = (x0 + x1) / 2.0;
            match value {
                Some(value) => {
                    let value = *value;
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(x0, 0.0), (x1, value)],
                        colour.filled(),
                    )))?;
                    let (x, y) = chart.backend_coord(&(middle, value));
                    let text = match plot.percent {
                        true => format!("{value:.1}%"),
                        false => format!("{value:.0}"),
                    };
                    root.draw(&Text::new(text, (x, y - 4), bar_label.clone()))?;
                }
                None => {
                    let (x, y) = chart.backend_coord(&(middle, 0.0));
                    root.draw(&Text::new(
                        no_data.clone(),
                        (x, y - 4),
                        font::at(no_data_size)
                            .color(&MUTED)
                            .pos(Pos::new(HPos::Center, VPos::Bottom)),
                    ))?;
                }
            }
        }
        // The group's name under its slot, shrunk (then shortened) to the slot's width.
        let (label, size) = font::fit(label, 24.0, 12.0, (slot_px - 8).max(1) as u32);
        let (x, y) = chart.backend_coord(&(left + 0.5, 0.0));
        root.draw(&Text::new(
            label,
            (x, y + 16),
            font::at(size)
                .color(&INK)
                .pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    if groups.is_empty() {
        let (x, y) = chart.backend_coord(&(0.5, plot.top / 2.0));
        root.draw(&Text::new(
            i18n::plain(lang, "chart-no-data", &[]),
            (x, y),
            font::at(32.0)
                .color(&MUTED)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Decodes a PNG into (width, height, RGB bytes).
    pub(crate) fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut buf = vec![0; reader.output_buffer_size().expect("a sane PNG size")];
        let info = reader.next_frame(&mut buf).expect("PNG image data");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    fn group(label: &str, completion: Option<f64>, satisfaction: Option<f64>) -> GroupRates {
        GroupRates {
            label: label.into(),
            completion,
            satisfaction,
        }
    }

    fn pixel(rgb: &[u8], x: u32, y: u32) -> [u8; 3] {
        let i = ((y * WIDTH + x) * 3) as usize;
        [rgb[i], rgb[i + 1], rgb[i + 2]]
    }

    /// How many pixels in the rectangle are (exactly) `colour`.
    fn count(rgb: &[u8], (x0, y0, x1, y1): (u32, u32, u32, u32), colour: RGBColor) -> usize {
        let want = [colour.0, colour.1, colour.2];
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| pixel(rgb, x, y) == want)
            .count()
    }

    #[test]
    fn a_chart_is_a_png_of_the_fixed_size_with_bars_in_proportion() {
        let groups = [
            group("香山街道第一代表小组", Some(1.0), Some(0.5)),
            group("Group 2", Some(0.25), None),
            group("空", None, Some(f64::NAN)),
        ];
        let png_bytes = rates_png("2026年10月 办结率与满意率", &groups, Lang::ZhCn).unwrap();
        let (w, h, rgb) = decode(&png_bytes);
        assert_eq!((w, h), (WIDTH, HEIGHT));
        // Bar heights: completion of group 1 (100 %) is four times group 2's (25 %), and
        // satisfaction of group 1 (50 %) is half of the first; measured as filled pixels.
        let whole = (0, 84, WIDTH, HEIGHT);
        let completion = count(&rgb, whole, COMPLETION);
        let satisfaction = count(&rgb, whole, SATISFACTION);
        assert!(completion > 10_000, "{completion}");
        // The legend's swatches (24×20 each, filled in the top band) are counted too.
        let top_band = (0, 0, WIDTH, 84);
        let legend_c = count(&rgb, top_band, COMPLETION);
        let legend_s = count(&rgb, top_band, SATISFACTION);
        assert!(legend_c >= 400 && legend_s >= 400, "{legend_c} {legend_s}");
        let ratio = (satisfaction - legend_s) as f64 / (completion - legend_c) as f64;
        // 50 / (100 + 25) = 0.4, within rounding of bar edges.
        assert!((ratio - 0.4).abs() < 0.02, "{ratio}");
    }

    #[test]
    fn a_counts_chart_has_bars_in_proportion() {
        let groups = [
            GroupCounts {
                label: "第一组".into(),
                filed: 4,
                without: 1,
            },
            GroupCounts {
                label: "Group 2".into(),
                filed: 2,
                without: 0,
            },
        ];
        let (w, h, rgb) = decode(&counts_png("日报", &groups, Lang::ZhCn).unwrap());
        assert_eq!((w, h), (WIDTH, HEIGHT));
        let plot = (0, 84, WIDTH, HEIGHT);
        // Filed bars are blue, the deputies with none red: 1 / (4 + 2) of the area.
        let ratio = count(&rgb, plot, COMPLETION) as f64 / count(&rgb, plot, SATISFACTION) as f64;
        assert!((ratio - 1.0 / 6.0).abs() < 0.02, "{ratio}");
    }

    #[test]
    fn no_groups_still_draw_an_empty_chart() {
        let png_bytes = rates_png("Empty", &[], Lang::EnUs).unwrap();
        let (w, h, rgb) = decode(&png_bytes);
        assert_eq!((w, h), (WIDTH, HEIGHT));
        assert_eq!(count(&rgb, (0, 84, WIDTH, HEIGHT), COMPLETION), 0);
        // "no data" in the middle of the plot (x 110..1170, y 84..620).
        assert!(count(&rgb, (540, 300, 740, 400), MUTED) > 50);
    }

    /// The dark pixels of the x-label band under slot `slot` of `slots`, as a mask.
    fn label_ink(rgb: &[u8], slot: u32, slots: u32) -> Vec<bool> {
        // The plot spans x 110..1170 (margins and the y label area) and ends at y 620.
        let width = (1170 - 110) / slots;
        let x0 = 110 + slot * width;
        (622..HEIGHT)
            .flat_map(|y| (x0..x0 + width).map(move |x| (x, y)))
            .map(|(x, y)| pixel(rgb, x, y).iter().all(|&c| c < 128))
            .collect()
    }

    #[test]
    fn chinese_group_names_are_drawn_as_their_own_glyphs() {
        let groups = [group("办理", None, None), group("满意", None, None)];
        let (_, _, rgb) = decode(&rates_png("", &groups, Lang::ZhCn).unwrap());
        let first = label_ink(&rgb, 0, 2);
        let second = label_ink(&rgb, 1, 2);
        let inked = |mask: &[bool]| mask.iter().filter(|&&dark| dark).count();
        // Two 24 px CJK glyphs have well over a hundred dark pixels; nothing drawn has none.
        assert!(inked(&first) > 100, "{}", inked(&first));
        assert!(inked(&second) > 100, "{}", inked(&second));
        // Missing glyphs would all be the same box (tofu): different characters must differ.
        assert_ne!(first, second, "both labels drew the same shapes");
    }
}
