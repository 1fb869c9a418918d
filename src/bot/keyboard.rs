//! The buttons for the next step, wherever one is natural: under a push (chosen by its
//! locale key, so the outbox keeps only key and arguments) and under the bot's answers.

use teloxide::types::InlineKeyboardMarkup;

use super::callback::Press;
use crate::domain::{Rating, ResidentNo, SuggestionNo};
use crate::i18n::{self, Lang};

pub type Rows = Vec<Vec<(String, Press)>>;

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

/// The buttons under a push, by its locale key and arguments (none for most).
pub fn for_notice(
    key: &str,
    args: &[(String, String)],
    lang: Lang,
) -> Option<InlineKeyboardMarkup> {
    let arg = |name: &str| {
        args.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let no = || arg("no").and_then(|n| SuggestionNo::parse(n).ok());
    let rows = match key {
        "notice-filed-leader" | "notice-resubmitted-leader" | "notice-remind-review" => {
            review(lang, no()?)
        }
        "notice-accepted-clerk" if arg("level") != Some("higher") => assign(lang, no()?),
        "notice-replied-rate" | "notice-remind-rate" => rate(lang, no()?),
        "notice-remind-assign" => assign(lang, no()?),
        "notice-request-new" => request(lang, ResidentNo::parse(arg("request")?).ok()?),
        "notice-resident-closed" => solved(lang, no()?),
        _ => return None,
    };
    super::reply::markup(&rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn pushes_that_ask_for_a_step_carry_its_buttons() {
        let a = args(&[("no", "2026-0042"), ("title", "t")]);
        for key in [
            "notice-filed-leader",
            "notice-resubmitted-leader",
            "notice-accepted-clerk",
            "notice-replied-rate",
            "notice-resident-closed",
        ] {
            assert!(for_notice(key, &a, Lang::EnUs).is_some(), "{key}");
        }
        let r = args(&[("request", "R-2026-0007")]);
        assert!(for_notice("notice-request-new", &r, Lang::ZhCn).is_some());
        assert!(for_notice("notice-assigned", &a, Lang::EnUs).is_none());
        let higher = args(&[("no", "2026-0042"), ("level", "higher")]);
        assert!(for_notice("notice-accepted-clerk", &higher, Lang::EnUs).is_none());
    }

    #[test]
    fn pages_show_only_the_ways_that_exist() {
        assert!(pages(7, 0, false).is_empty());
        assert_eq!(pages(7, 0, true)[0].len(), 1);
        assert_eq!(pages(7, 2, true)[0].len(), 2);
    }
}
