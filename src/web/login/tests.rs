//! Every hash here was computed once by an independent implementation, Python's own query
//! parser, `hashlib` and `hmac`, from the token and the fields (everything but `&hash=…`),
//! and pinned:
//!
//! ```text
//! python3 -c 'import hmac,hashlib,sys,urllib.parse as u;d=dict(u.parse_qsl(sys.argv[2],strict_parsing=True));k=hashlib.sha256(sys.argv[1].encode()).digest();print(hmac.new(k,"\n".join(f"{a}={b}" for a,b in sorted(d.items())).encode(),hashlib.sha256).hexdigest())' "$TOKEN" "$FIELDS"
//! ```
//!
//! [`MINI_APP_HASH`] comes from the Mini App's one-liner instead (`k=hmac.new(b"WebAppData",
//! sys.argv[1].encode(),hashlib.sha256).digest()`), over the same fields.

use super::*;
use crate::web::MAX_AGE;

const TOKEN: &str = "7000000001:AAFakeTokenForMinyiTests0123456789abcd";

/// 2026-01-01T00:00:00Z, the `auth_date` of the fresh fields.
const SIGNED: i64 = 1_767_225_600;

const FIELDS: &str = "id=279058397&first_name=Li%20Ming&last_name=%E7%8E%8B&username=li_ming\
    &photo_url=https%3A%2F%2Ft.me%2Fi%2Fuserpic%2F320%2Fx.jpg&auth_date=1767225600";
const HASH: &str = "8c5b63367f1567e37e0582534ffeae81c572050adf697da8ecbbf35174c710f9";

/// [`FIELDS`] signed a day and a second earlier: `auth_date=1767139199`.
const STALE_FIELDS: &str = "id=279058397&first_name=Li%20Ming&last_name=%E7%8E%8B\
    &username=li_ming&photo_url=https%3A%2F%2Ft.me%2Fi%2Fuserpic%2F320%2Fx.jpg\
    &auth_date=1767139199";
const STALE_HASH: &str = "b2b34b5a1b4c62f7a0d45174685a6eb7226324c7fb3a2d0c5c479c58bd2ea351";

/// [`FIELDS`] signed with the Mini App's key instead of the Login's.
const MINI_APP_HASH: &str = "3bc5fe4e9aa8e5b04a69d2cb85c55f7265f32730170f7ea296fb0935f41a3f6f";

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap()
}

fn check(fields: &str, hash: &str) -> Result<Login, Refused> {
    verify(
        &format!("{fields}&hash={hash}"),
        TOKEN,
        at(SIGNED + 30),
        MAX_AGE,
    )
}

#[test]
fn a_login_signed_with_the_token_signs_its_user_in() {
    assert_eq!(
        check(FIELDS, HASH).unwrap(),
        Login {
            user: TelegramUser {
                id: 279_058_397,
                first_name: "Li Ming".into(),
                last_name: Some("王".into()),
                username: Some("li_ming".into()),
                language_code: None,
            },
            photo_url: Some("https://t.me/i/userpic/320/x.jpg".into()),
            auth_date: at(SIGNED),
        }
    );
}

#[test]
fn a_tampered_login_is_refused() {
    for (genuine, forged) in [
        ("id=279058397", "id=279058398"),
        ("username=li_ming", "username=li_min"),
        ("&last_name=%E7%8E%8B", ""),
    ] {
        let fields = FIELDS.replace(genuine, forged);
        assert_eq!(
            check(&fields, HASH).unwrap_err(),
            Refused::BadHash,
            "{forged}"
        );
    }
    assert_eq!(check(FIELDS, MINI_APP_HASH).unwrap_err(), Refused::BadHash);
    let other_token = verify(
        &format!("{FIELDS}&hash={HASH}"),
        "7000000002:other",
        at(SIGNED),
        MAX_AGE,
    );
    assert_eq!(other_token.unwrap_err(), Refused::BadHash);
}

#[test]
fn a_stale_login_is_refused() {
    assert_eq!(check(STALE_FIELDS, STALE_HASH).unwrap_err(), Refused::Stale);
    // Genuine all the same: a day's bound, the usual one for the widget, lets it by.
    let raw = format!("{STALE_FIELDS}&hash={STALE_HASH}");
    let day = verify(&raw, TOKEN, at(1_767_139_199 + 86_400), TimeDelta::days(1));
    assert_eq!(day.unwrap().auth_date, at(1_767_139_199));
}

#[test]
fn a_login_without_a_hash_or_well_formed_fields_is_refused() {
    assert_eq!(
        verify(FIELDS, TOKEN, at(SIGNED), MAX_AGE).unwrap_err(),
        Refused::NoHash
    );
    let doubled = format!("{FIELDS}&id=1");
    assert_eq!(check(&doubled, HASH).unwrap_err(), Refused::Malformed);
}
