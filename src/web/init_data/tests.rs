//! Every hash here was computed once by an independent implementation, Python's own query
//! parser and `hmac`, from the token and the fields (everything but `&hash=…`), and pinned:
//!
//! ```text
//! python3 -c 'import hmac,hashlib,sys,urllib.parse as u;d=dict(u.parse_qsl(sys.argv[2],strict_parsing=True));k=hmac.new(b"WebAppData",sys.argv[1].encode(),hashlib.sha256).digest();print(hmac.new(k,"\n".join(f"{a}={b}" for a,b in sorted(d.items())).encode(),hashlib.sha256).hexdigest())' "$TOKEN" "$FIELDS"
//! ```
//!
//! The fields are shaped like a current client's launch: the user as JSON with `\/` escapes,
//! a `+` and CJK in the names, values percent-encoded with `%20` for a space, and a
//! `signature` (the real one from the research notes' Ed25519 vector; only its presence
//! matters here).

use super::*;
use crate::web::MAX_AGE;

const TOKEN: &str = "7000000001:AAFakeTokenForMinyiTests0123456789abcd";

/// 2026-01-01T00:00:00Z, the `auth_date` of every launch below but the stale one.
const SIGNED: i64 = 1_767_225_600;

/// A launch signed with `signature` in the check string, as Telegram signs it.
const FIELDS: &str = "user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Li%20%2B%20Ming%22%2C\
    %22last_name%22%3A%22%E7%8E%8B%22%2C%22username%22%3A%22li_ming%22%2C%22language_code%22%3A\
    %22zh-hans%22%2C%22allows_write_to_pm%22%3Atrue%2C%22photo_url%22%3A%22https%3A%5C%2F%5C%2F\
    t.me%5C%2Fi%5C%2Fuserpic%5C%2F320%5C%2Fx.svg%22%7D&chat_instance=-8134722200314281151\
    &chat_type=private&start_param=s_P01-0042&auth_date=1767225600&signature=zL-ucjNyREiHDE8aih\
    FwpfR9aggP2xiAo3NSpfe-p7IbCisNlDKlo7Kb6G4D0Ao2mBrSgEk4maLSdv6MLIlADQ";
const HASH: &str = "4b5d62b8eba2492d0dbfc380cba6a99f6f0d9399d07ee7e5dc342e868bce8231";

/// [`FIELDS`] without `signature`: the check string of a validator that wrongly drops it.
const FIELDS_WITHOUT_SIGNATURE: &str = "user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Li\
    %20%2B%20Ming%22%2C%22last_name%22%3A%22%E7%8E%8B%22%2C%22username%22%3A%22li_ming%22%2C\
    %22language_code%22%3A%22zh-hans%22%2C%22allows_write_to_pm%22%3Atrue%2C%22photo_url%22%3A\
    %22https%3A%5C%2F%5C%2Ft.me%5C%2Fi%5C%2Fuserpic%5C%2F320%5C%2Fx.svg%22%7D&chat_instance=\
    -8134722200314281151&chat_type=private&start_param=s_P01-0042&auth_date=1767225600";
const HASH_WITHOUT_SIGNATURE: &str =
    "9389f448ddaf66f3dd1fd590f2157bae6dd81e17ffc38187e85df2584b808c91";

/// [`FIELDS`] signed an hour earlier: `auth_date=1767222000` (2025-12-31T23:00:00Z).
const STALE_FIELDS: &str = "user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Li%20%2B%20Ming\
    %22%2C%22last_name%22%3A%22%E7%8E%8B%22%2C%22username%22%3A%22li_ming%22%2C%22language_code\
    %22%3A%22zh-hans%22%2C%22allows_write_to_pm%22%3Atrue%2C%22photo_url%22%3A%22https%3A%5C%2F\
    %5C%2Ft.me%5C%2Fi%5C%2Fuserpic%5C%2F320%5C%2Fx.svg%22%7D&chat_instance=-8134722200314281151\
    &chat_type=private&start_param=s_P01-0042&auth_date=1767222000&signature=zL-ucjNyREiHDE8aih\
    FwpfR9aggP2xiAo3NSpfe-p7IbCisNlDKlo7Kb6G4D0Ao2mBrSgEk4maLSdv6MLIlADQ";
const STALE_HASH: &str = "6ac8f91f6136177d740fd3e0673d5a49f420767ca6c081234a68e042b5e4d56d";

/// [`FIELDS`] without `user`.
const NO_USER_FIELDS: &str = "chat_instance=-8134722200314281151&chat_type=private\
    &start_param=s_P01-0042&auth_date=1767225600&signature=zL-ucjNyREiHDE8aihFwpfR9aggP2xiAo3NSp\
    fe-p7IbCisNlDKlo7Kb6G4D0Ao2mBrSgEk4maLSdv6MLIlADQ";
const NO_USER_HASH: &str = "7b680b3eee17bf3a2e07b1c8c8ebb68944941006078dd690cbc4db220b9e11ee";

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap()
}

/// Ten minutes after [`SIGNED`].
fn now() -> DateTime<Utc> {
    at(SIGNED + 600)
}

fn launch(fields: &str, hash: &str) -> String {
    format!("{fields}&hash={hash}")
}

fn check(raw: &str) -> Result<InitData, Refused> {
    verify(raw, TOKEN, now(), MAX_AGE)
}

#[test]
fn a_launch_signed_with_the_token_signs_its_user_in() {
    let data = check(&launch(FIELDS, HASH)).unwrap();
    assert_eq!(
        data,
        InitData {
            user: TelegramUser {
                id: 279_058_397,
                first_name: "Li + Ming".into(),
                last_name: Some("王".into()),
                username: Some("li_ming".into()),
                language_code: Some("zh-hans".into()),
            },
            auth_date: at(SIGNED),
            start_param: Some("s_P01-0042".into()),
            chat_type: Some("private".into()),
        }
    );
}

#[test]
fn the_hash_may_come_anywhere_and_upper_case() {
    let (first, rest) = FIELDS.split_once('&').unwrap();
    let raw = format!("{first}&hash={HASH}&{rest}");
    assert!(check(&raw).is_ok());
    assert!(check(&launch(FIELDS, &HASH.to_uppercase())).is_ok());
}

#[test]
fn a_plus_is_a_space_and_an_encoded_plus_is_a_plus() {
    // Python's urlencode writes the same launch with `+` for the spaces; it is the same data.
    let plus_for_space = FIELDS.replace("%20", "+");
    assert_ne!(plus_for_space, FIELDS);
    assert!(check(&launch(&plus_for_space, HASH)).is_ok());
    // A bare `+` where the name had an encoded one reads as a space: other data.
    let plus_unencoded = FIELDS.replace("%2B", "+");
    assert_eq!(
        check(&launch(&plus_unencoded, HASH)).unwrap_err(),
        Refused::BadHash
    );
}

#[test]
fn a_tampered_field_is_refused() {
    for (genuine, forged) in [
        ("279058397", "279058398"),
        ("s_P01-0042", "s_P01-0043"),
        ("chat_type=private", "chat_type=group"),
        ("auth_date=1767225600", "auth_date=1767225601"),
    ] {
        let raw = launch(&FIELDS.replace(genuine, forged), HASH);
        assert_eq!(check(&raw).unwrap_err(), Refused::BadHash, "{forged}");
    }
    let added = launch(&format!("{FIELDS}&receiver=x"), HASH);
    assert_eq!(check(&added).unwrap_err(), Refused::BadHash);
    let other_hash = launch(FIELDS, &HASH.replace("4b5d", "4b5e"));
    assert_eq!(check(&other_hash).unwrap_err(), Refused::BadHash);
    let short_hash = launch(FIELDS, &HASH[..62]);
    assert_eq!(check(&short_hash).unwrap_err(), Refused::BadHash);
    let other_token = verify(&launch(FIELDS, HASH), "7000000002:other", now(), MAX_AGE);
    assert_eq!(other_token.unwrap_err(), Refused::BadHash);
}

#[test]
fn signature_stays_in_the_check_string() {
    // Signed as Telegram signs, with `signature` in: accepted (the first test).
    assert!(check(&launch(FIELDS, HASH)).is_ok());
    // A hash over the fields with `signature` wrongly dropped does not pass for them.
    assert_eq!(
        check(&launch(FIELDS, HASH_WITHOUT_SIGNATURE)).unwrap_err(),
        Refused::BadHash
    );
    // Nor does the genuine hash once `signature` is stripped from the data.
    assert_eq!(
        check(&launch(FIELDS_WITHOUT_SIGNATURE, HASH)).unwrap_err(),
        Refused::BadHash
    );
    // A launch that never had a signature (an older client) is signed over what it has.
    assert!(check(&launch(FIELDS_WITHOUT_SIGNATURE, HASH_WITHOUT_SIGNATURE)).is_ok());
}

#[test]
fn a_stale_launch_is_refused() {
    let stale = launch(STALE_FIELDS, STALE_HASH);
    assert_eq!(check(&stale).unwrap_err(), Refused::Stale);
    // Genuine all the same: only its age refuses it.
    let when_fresh = verify(&stale, TOKEN, at(1_767_222_000 + 600), MAX_AGE);
    assert_eq!(when_fresh.unwrap().auth_date, at(1_767_222_000));
}

#[test]
fn the_age_is_bounded_on_both_sides() {
    let raw = launch(FIELDS, HASH);
    let at_age = |seconds| verify(&raw, TOKEN, at(SIGNED + seconds), MAX_AGE).map(|_| ());
    assert_eq!(at_age(3600), Ok(()));
    assert_eq!(at_age(3601), Err(Refused::Stale));
    assert_eq!(at_age(-60), Ok(()));
    assert_eq!(at_age(-61), Err(Refused::FromTheFuture));
    let short = verify(&raw, TOKEN, now(), TimeDelta::minutes(5));
    assert_eq!(short.unwrap_err(), Refused::Stale);
}

#[test]
fn a_malformed_string_is_refused() {
    for raw in [
        format!("user=%zz&{FIELDS}&hash={HASH}"),
        format!("{FIELDS}&&hash={HASH}"),
        format!("{FIELDS}&auth_date=1767225600&hash={HASH}"),
        format!("{FIELDS}&hash={HASH}&hash={HASH}"),
        format!("{FIELDS}&hash"),
    ] {
        assert_eq!(check(&raw).unwrap_err(), Refused::Malformed, "{raw}");
    }
}

#[test]
fn a_launch_without_a_hash_is_refused() {
    assert_eq!(check(FIELDS).unwrap_err(), Refused::NoHash);
    // What a page opened from a keyboard button has.
    assert_eq!(check("").unwrap_err(), Refused::NoHash);
}

#[test]
fn a_signed_launch_without_a_user_is_refused() {
    let raw = launch(NO_USER_FIELDS, NO_USER_HASH);
    assert_eq!(check(&raw).unwrap_err(), Refused::NoUser);
}
