//! The charts' public API as the reports and `minyi qr` use it, read back the way a person
//! would: the PNG decoded, the QR code scanned.

use minyi::charts::{GroupRates, qr_poster_png, rates_png};
use minyi::i18n::Lang;

/// Decodes a PNG into (width, height, 8-bit RGB pixels).
pub fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("a sane PNG size")];
    let info = reader.next_frame(&mut buf).expect("PNG image data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// The texts of every QR code in a PNG, as a phone's camera would read them.
pub fn scan(png_bytes: &[u8]) -> Vec<String> {
    let (width, height, rgb) = decode(png_bytes);
    let (width, height) = (width as usize, height as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        let i = (y * width + x) * 3;
        ((u16::from(rgb[i]) + u16::from(rgb[i + 1]) + u16::from(rgb[i + 2])) / 3) as u8
    });
    image
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().expect("a readable QR code").1)
        .collect()
}

#[test]
fn a_monthly_chart_in_both_languages_is_a_1200_by_700_png() {
    let groups: Vec<GroupRates> = (1..=12)
        .map(|i| GroupRates {
            label: format!("第{i}代表小组"),
            completion: Some(f64::from(i) / 12.0),
            satisfaction: (i % 3 != 0).then(|| 1.0 - f64::from(i) / 24.0),
        })
        .collect();
    for lang in Lang::ALL {
        let png_bytes = rates_png("2026-10", &groups, lang).unwrap();
        let (width, height, rgb) = decode(&png_bytes);
        assert_eq!((width, height), (1200, 700), "{lang}");
        let white = rgb.chunks(3).filter(|p| p == &[255, 255, 255]).count();
        let total = (width * height) as usize;
        assert!(
            white < total * 9 / 10 && white > total / 3,
            "{lang}: {white} of {total}"
        );
    }
}

#[test]
fn a_poster_holds_its_deep_link() {
    let link = "https://t.me/minyi_bot?start=g_G1";
    let png_bytes = qr_poster_png(link, "人民代表小组", "扫一扫", Lang::ZhCn).unwrap();
    assert_eq!(decode(&png_bytes).0, 1240);
    assert_eq!(scan(&png_bytes), vec![link.to_string()]);
}
