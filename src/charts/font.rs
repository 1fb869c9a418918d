//! The font every chart and poster draws with: WenQuanYi Micro Hei (文泉驿微米黑), a sans-serif
//! with CJK and Latin glyphs, compiled into the binary so no system font is needed and Chinese
//! labels never come out as boxes. Source and license: `assets/fonts/LICENSE-wqy-microhei.txt`
//! (Apache-2.0, or GPL-3+ with the font exception).
//!
//! The file is a TrueType collection (.ttc); ab_glyph (through ttf-parser) reads its first
//! face, the proportional Micro Hei (the second is Micro Hei Mono).

use std::sync::OnceLock;

use plotters::style::{FontDesc, FontStyle, IntoFont, register_font};

/// The font file, as Debian's fonts-wqy-microhei ships it.
static FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");

/// The family name the font is registered under with plotters.
pub const FAMILY: &str = "wqy-microhei";

/// Registers the embedded font with plotters (the first call; later calls only return the
/// outcome). Every drawing function calls this before it draws text.
pub fn ensure() -> anyhow::Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    anyhow::ensure!(ok, "the embedded font {FAMILY} cannot be loaded");
    Ok(())
}

/// The embedded font at `size` pixels.
pub fn at(size: f64) -> FontDesc<'static> {
    (FAMILY, size).into_font()
}

/// The width in pixels of `text` at `size`.
pub fn width(text: &str, size: f64) -> u32 {
    at(size).box_size(text).map(|(w, _)| w).unwrap_or(0)
}

/// The largest size from `max` down to `min` (in steps of 2 px) at which `text` is at most
/// `max_width` wide, and `text` itself, shortened with "…" if even `min` is too wide.
pub fn fit(text: &str, max: f64, min: f64, max_width: u32) -> (String, f64) {
    let mut size = max;
    while size > min && width(text, size) > max_width {
        size = (size - 2.0).max(min);
    }
    if width(text, size) <= max_width {
        return (text.to_string(), size);
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let shortened: String = chars.iter().chain(['…'].iter()).collect();
        if width(&shortened, size) <= max_width {
            return (shortened, size);
        }
    }
    ("…".to_string(), size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_collection_loads_and_has_chinese_glyphs() {
        ensure().unwrap();
        ensure().unwrap();
        // A glyph the font lacks would still advance; these must be real CJK widths (about
        // one em each), not zero and not the Latin width.
        let one = width("办", 40.0);
        assert!((30..=48).contains(&one), "办 is {one} px at 40 px");
        assert!(width("满意率", 40.0) >= 3 * 30);
    }

    #[test]
    fn fit_shrinks_then_shortens() {
        ensure().unwrap();
        let (text, size) = fit("香山街道第一代表小组", 40.0, 20.0, 10_000);
        assert_eq!((text.as_str(), size), ("香山街道第一代表小组", 40.0));
        let (text, size) = fit("香山街道第一代表小组", 40.0, 20.0, 250);
        assert_eq!(text, "香山街道第一代表小组");
        assert!(size < 40.0 && width(&text, size) <= 250, "{size}");
        let (text, size) = fit("香山街道第一代表小组", 40.0, 20.0, 100);
        assert_eq!(size, 20.0);
        assert!(text.ends_with('…') && width(&text, size) <= 100, "{text}");
    }
}
