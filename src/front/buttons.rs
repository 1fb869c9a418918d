//! The buttons for the next step, wherever one is natural: under a push (rendered from what
//! the notice asks of its reader, [`for_ask`]) and under the bot's answers.

use super::Rows;
use super::press::Press;
use crate::domain::{Ask, Rating, ResidentNo, SuggestionNo};
use crate::i18n::{self, Lang};

/// The buttons that answer an ask, in the reader's language.
pub fn for_ask(ask: Ask, lang: Lang) -> Rows {
    match ask {
        Ask::Review(no) => review(lang, no),
        Ask::Assign(no) => assign(lang, no),
        Ask::Handle(no) => handle(lang, no),
        Ask::Progress(no) => progress(lang, no),
        Ask::Rate(no) => rate(lang, no),
        Ask::AdoptOrDecline(no) => request(lang, no),
        Ask::Solved(no) => solved(lang, no),
    }
}

fn label(lang: Lang, key: &str) -> String {
    i18n::plain(lang, key, &[])
}

/// Accept / Return under a suggestion waiting for the leader.
pub fn review(lang: Lang, no: SuggestionNo) -> Rows {
    vec![vec![
        (label(lang, "bot-btn-accept"), Press::Accept(no)),
        (label(lang, "bot-btn-return"), Press::Return(no)),
    ]]
}

/// Assign (opens the unit picker) under an accepted suggestion.
pub fn assign(lang: Lang, no: SuggestionNo) -> Rows {
    vec![vec![(label(lang, "bot-btn-assign"), Press::PickUnit(no))]]
}

/// Progress / Reply under a suggestion the unit handles.
pub fn handle(lang: Lang, no: SuggestionNo) -> Rows {
    vec![vec![
        (label(lang, "bot-btn-progress"), Press::Progress(no)),
        (label(lang, "bot-btn-reply"), Press::Reply(no)),
    ]]
}

/// Progress alone under a suggestion a co-unit helps handle.
pub fn progress(lang: Lang, no: SuggestionNo) -> Rows {
    vec![vec![(label(lang, "bot-btn-progress"), Press::Progress(no))]]
}

/// One button per unit, two a row.
pub fn units(no: SuggestionNo, units: &[(String, String)]) -> Rows {
    units
        .chunks(2)
        .map(|pair| {
            pair.iter()
                .map(|(code, name)| {
                    (
                        format!("{name} ({code})"),
                        Press::AssignTo(no, code.clone()),
                    )
                })
                .collect()
        })
        .collect()
}

/// Satisfied / Basically satisfied / Unsatisfied under a reply.
pub fn rate(lang: Lang, no: SuggestionNo) -> Rows {
    vec![
        [Rating::Satisfied, Rating::Basic, Rating::Unsatisfied]
            .into_iter()
            .map(|r| {
                (
                    i18n::plain(lang, &format!("rating-{}", r.as_str()), &[]),
                    Press::Rate(no, r),
                )
            })
            .collect(),
    ]
}

/// Adopt / Decline under a resident's request.
pub fn request(lang: Lang, no: ResidentNo) -> Rows {
    vec![vec![
        (label(lang, "bot-btn-adopt"), Press::Adopt(no)),
        (label(lang, "bot-btn-decline"), Press::DeclineRequest(no)),
    ]]
}

/// Yes / No under "was it solved?".
pub fn solved(lang: Lang, no: SuggestionNo) -> Rows {
    vec![vec![
        (label(lang, "bot-btn-yes"), Press::Solved(no, true)),
        (label(lang, "bot-btn-no"), Press::Solved(no, false)),
    ]]
}

/// ◀ ▶ under a page of `owner`'s `/my`.
pub fn pages(owner: i64, page: u32, has_next: bool) -> Rows {
    let mut row = Vec::new();
    if page > 0 {
        row.push(("◀".to_string(), Press::MyPage(owner, page - 1)));
    }
    if has_next {
        row.push(("▶".to_string(), Press::MyPage(owner, page + 1)));
    }
    if row.is_empty() {
        Vec::new()
    } else {
        vec![row]
    }
}

/// The configured categories, two a row.
pub fn categories(lang: Lang, codes: &[String]) -> Rows {
    codes
        .chunks(2)
        .map(|pair| {
            pair.iter()
                .map(|c| {
                    (
                        i18n::plain(lang, "category-name", &[("code", c.clone())]),
                        Press::Category(c.clone()),
                    )
                })
                .collect()
        })
        .collect()
}

/// File / Cancel at the end of the `/suggest` dialogue.
pub fn confirm(lang: Lang) -> Rows {
    vec![vec![
        (label(lang, "bot-btn-file"), Press::Confirm(true)),
        (label(lang, "bot-btn-cancel"), Press::Confirm(false)),
    ]]
}

/// 中文 / English.
pub fn langs() -> Rows {
    vec![vec![
        ("中文".to_string(), Press::Lang("zh".into())),
        ("English".to_string(), Press::Lang("en".into())),
    ]]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ask renders buttons in both languages, each with data that fits, and labels
    /// that differ by language where the locales give words.
    #[test]
    fn every_ask_renders_its_buttons_in_both_languages() {
        for ask in Ask::samples() {
            let zh = for_ask(ask, Lang::ZhCn);
            let en = for_ask(ask, Lang::EnUs);
            for rows in [&zh, &en] {
                let buttons: Vec<_> = rows.iter().flatten().collect();
                assert!(!buttons.is_empty(), "{ask}: {rows:?}");
                for (label, press) in buttons {
                    assert!(!label.trim().is_empty(), "{ask}");
                    assert!(press.data().is_some(), "{ask}: {press:?}");
                }
            }
            assert_ne!(zh, en, "{ask}: the labels are translated");
        }
    }

    #[test]
    fn pages_show_only_the_ways_that_exist() {
        assert!(pages(7, 0, false).is_empty());
        assert_eq!(pages(7, 0, true)[0].len(), 1);
        assert_eq!(pages(7, 2, true)[0].len(), 2);
    }
}
