//! PNG pictures minyi makes: the reports' charts and the residents' QR posters.
//!
//! - [`font`]: the embedded CJK font (WenQuanYi Micro Hei, `assets/fonts/`), registered with
//!   plotters once, so Chinese text renders without any system font.
//! - [`bars`]: [`rates_png`], completion rate (办结率) and satisfaction rate (满意率) per group
//!   as a grouped bar chart (PRODUCT.md §5, `monthly_report`); [`counts_png`], the daily
//!   report's suggestions this month and deputies with none per group.
//! - [`poster`]: [`qr_poster_png`], a printable poster (码上找代表) with the QR code of a
//!   deputy's or a group's deep link (PRODUCT.md §7, `minyi qr`).
//!
//! Both draw into an RGB buffer with plotters' bitmap backend and encode it here as PNG.

pub mod bars;
pub mod font;
pub mod poster;

pub use bars::{GroupCounts, GroupRates, counts_png, rates_png};
pub use poster::qr_poster_png;

/// Encodes an 8-bit RGB buffer of `width` × `height` pixels as PNG.
fn encode_png(rgb: &[u8], width: u32, height: u32) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}
