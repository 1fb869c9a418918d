//! WeCom's callback crypto with the official sample keys: any ciphertext and signature are
//! refused or decrypt, never panic; what is sealed opens again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use minyi::wecom::crypto::Keys;

fuzz_target!(|data: (&str, &str, &str)| {
    let (signature, encrypted, message) = data;
    let keys = Keys::new(
        "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo",
        "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
        "ww1436e0e65a779aee",
    )
    .expect("the sample keys");
    let _ = keys.open(signature, "1476416373", "47744683", encrypted);
    let _ = keys.decrypt(encrypted);
    let (sealed, signed) = keys.seal(message, "1", "n");
    assert_eq!(keys.open(&signed, "1", "n", &sealed).as_deref(), Ok(message));
});
