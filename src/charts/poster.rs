//! The residents' poster (码上找代表): a printable page with the QR code of a deputy's or a
//! group's deep link, to hang at a reception point. Scanning it opens the bot with `d_<code>`
//! or `g_<code>` (PRODUCT.md §4, residents).
//!
//! The page is A4's proportion at 150 dpi (1240 × 1754), white: a title line, the name large,
//! the QR code (error correction level Q, a four-module quiet zone) in the middle, a caption
//! under it and the link in small print at the bottom, for those who type it.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use qrcode::{Color as Module, EcLevel, QrCode};

use super::font;
use crate::i18n::{self, Lang};

/// The poster's size in pixels (A4 at 150 dpi).
pub const WIDTH: u32 = 1240;
pub const HEIGHT: u32 = 1754;

const RED: RGBColor = RGBColor(0xb7, 0x1c, 0x1c);
const INK: RGBColor = RGBColor(0x21, 0x21, 0x21);
const MUTED: RGBColor = RGBColor(0x61, 0x61, 0x61);

/// The QR code's square (quiet zone included) and where it starts.
const QR_SIDE: u32 = 900;
const QR_TOP: u32 = 440;
/// The quiet zone, in modules, on every side (the QR standard's minimum).
const QUIET: u32 = 4;

/// Draws the poster for `link` (the deep link the QR code holds) with `name` (the deputy's or
/// the group's) and `caption` (one line under the code); the title is 码上找代表 or its
/// English in `lang`. Returns PNG bytes ([`WIDTH`] × [`HEIGHT`]).
pub fn qr_poster_png(link: &str, name: &str, caption: &str, lang: Lang) -> anyhow::Result<Vec<u8>> {
    font::ensure()?;
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::Q)?;
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let centre = (WIDTH / 2) as i32;
        let text_width = WIDTH - 160;
        let line = |text: &str, y: i32, max: f64, min: f64, colour: &RGBColor| {
            let (text, size) = font::fit(text, max, min, text_width);
            Text::new(
                text,
                (centre, y),
                font::at(size)
                    .color(colour)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            )
        };

        // A red frame and rule, as on a notice board.
        root.draw(&Rectangle::new(
            [(30, 30), (WIDTH as i32 - 30, HEIGHT as i32 - 30)],
            RED.stroke_width(6),
        ))?;
        let title = i18n::plain(lang, "poster-title", &[]);
        root.draw(&line(&title, 150, 96.0, 40.0, &RED))?;
        root.draw(&Rectangle::new(
            [(160, 226), (WIDTH as i32 - 160, 230)],
            RED.filled(),
        ))?;
        root.draw(&line(name, 330, 110.0, 36.0, &INK))?;

        let below = (QR_TOP + QR_SIDE) as i32;
        root.draw(&line(caption, below + 90, 56.0, 24.0, &INK))?;
        root.draw(&line(link, HEIGHT as i32 - 110, 32.0, 16.0, &MUTED))?;
        root.present()?;
    }
    draw_code(&mut rgb, &code);
    super::encode_png(&rgb, WIDTH, HEIGHT)
}

/// Paints the code's dark modules straight into the buffer, each a square of whole pixels,
/// centred in the code's square (the page is white already, the quiet zone with it).
fn draw_code(rgb: &mut [u8], code: &QrCode) {
    let modules = code.width() as u32;
    let module_px = QR_SIDE / (modules + 2 * QUIET);
    let drawn = module_px * (modules + 2 * QUIET);
    let left = (WIDTH - drawn) / 2 + QUIET * module_px;
    let top = QR_TOP + (QR_SIDE - drawn) / 2 + QUIET * module_px;
    for (i, module) in code.to_colors().into_iter().enumerate() {
        if module != Module::Dark {
            continue;
        }
        let (mx, my) = (i as u32 % modules, i as u32 / modules);
        let (x0, y0) = (left + mx * module_px, top + my * module_px);
        for y in y0..y0 + module_px {
            let row = ((y * WIDTH + x0) * 3) as usize;
            rgb[row..row + (module_px * 3) as usize].fill(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::bars::tests::decode;

    /// Reads the QR codes in a decoded RGB image, as a phone's camera would.
    fn scan(width: u32, height: u32, rgb: &[u8]) -> Vec<String> {
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| {
                let i = (y * width as usize + x) * 3;
                ((u16::from(rgb[i]) + u16::from(rgb[i + 1]) + u16::from(rgb[i + 2])) / 3) as u8
            });
        image
            .detect_grids()
            .into_iter()
            .map(|grid| grid.decode().expect("a readable QR code").1)
            .collect()
    }

    #[test]
    fn the_poster_scans_back_to_exactly_its_link() {
        let link = "https://t.me/xiangshan_minyi_bot?start=d_D001";
        let png_bytes = qr_poster_png(
            link,
            "王小明",
            "用 Telegram 扫码，向王小明代表提意见建议",
            Lang::ZhCn,
        )
        .unwrap();
        let (w, h, rgb) = decode(&png_bytes);
        assert_eq!((w, h), (WIDTH, HEIGHT));
        assert_eq!(scan(w, h, &rgb), vec![link.to_string()]);
    }

    #[test]
    fn a_long_name_and_an_english_poster_still_scan() {
        let link = "https://t.me/minyi_bot?start=g_G-XIANGSHAN-01";
        let name = "香山街道人大代表联络站第一代表小组（含社区居民议事会）".repeat(2);
        let png_bytes = qr_poster_png(
            link,
            &name,
            "Scan with Telegram to reach the deputies of this group",
            Lang::EnUs,
        )
        .unwrap();
        let (w, h, rgb) = decode(&png_bytes);
        assert_eq!(scan(w, h, &rgb), vec![link.to_string()]);
    }
}
