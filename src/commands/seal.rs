//! Sealing sync files (`tend sync init --encrypt`), for a folder on someone else's cloud: the
//! body of every change file and snapshot is encrypted and authenticated with XChaCha20-Poly1305
//! under a key Argon2id makes from a passphrase and the folder's salt. Every machine of a
//! folder uses the same salt (the first one's, found in its `replica.json` beside a check
//! value that tells a wrong passphrase at once), so the passphrase is asked once per machine,
//! at `tend sync init`; the key is kept in the local database, which never leaves the machine.
//! What the folder shows in the clear: the machines' names, when they synced, how many
//! changes each made, and the files' sizes.

use argon2::Argon2;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What a sealed body starts with.
const SEALED: &str = "sealed1 ";

/// Sealed, for the check value: a wrong passphrase fails to open it.
const CHECK: &[u8] = b"tend sync: the right passphrase";

/// The key of a folder.
#[derive(Clone)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

/// What a sealed folder's `replica.json` says of its key: the salt, and a check value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sealing {
    pub salt: String,
    pub check: String,
}

impl Key {
    /// The key a passphrase makes with a salt (Argon2id, its recommended parameters).
    pub fn derive(passphrase: &str, salt: &str) -> Result<Key> {
        let salt = STANDARD
            .decode(salt)
            .map_err(|_| Error::invalid("the sync folder's salt is not readable"))?;
        let mut key = [0u8; 32];
        Argon2::default()
            .hash_password_into(passphrase.as_bytes(), &salt, &mut key)
            .map_err(|e| Error::invalid(format!("cannot make the key: {e}")))?;
        Ok(Key(key))
    }

    /// A new folder's salt and key.
    pub fn new_folder(passphrase: &str) -> Result<(Key, Sealing)> {
        let salt = STANDARD.encode(XChaCha20Poly1305::generate_nonce(&mut OsRng));
        let key = Key::derive(passphrase, &salt)?;
        let check = key.seal(CHECK);
        Ok((key, Sealing { salt, check }))
    }

    /// Whether this is the key the check value was sealed with.
    pub fn opens(&self, sealing: &Sealing) -> bool {
        self.open(&sealing.check).is_some_and(|b| b == CHECK)
    }

    pub fn to_text(&self) -> String {
        STANDARD.encode(self.0)
    }

    pub fn from_text(text: &str) -> Option<Key> {
        let bytes = STANDARD.decode(text).ok()?;
        Some(Key(bytes.try_into().ok()?))
    }

    /// `body`, sealed: `sealed1 ` and the nonce and ciphertext in base64, on one line.
    pub fn seal(&self, body: &[u8]) -> String {
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let mut out = nonce.to_vec();
        out.extend(cipher.encrypt(&nonce, body).expect("sealing never fails"));
        format!("{SEALED}{}", STANDARD.encode(out))
    }

    /// A sealed body opened, or None when it was not sealed with this key (or was changed).
    pub fn open(&self, text: &str) -> Option<Vec<u8>> {
        let bytes = STANDARD.decode(text.strip_prefix(SEALED)?).ok()?;
        if bytes.len() < 24 {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(24);
        XChaCha20Poly1305::new((&self.0).into())
            .decrypt(XNonce::from_slice(nonce), sealed)
            .ok()
    }
}

/// Whether a file's body is sealed.
pub fn is_sealed(body: &str) -> bool {
    body.starts_with(SEALED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_sealed_opens_with_the_same_passphrase_only() {
        let (key, sealing) = Key::new_folder("correct horse").unwrap();
        let sealed = key.seal(b"{\"name\":\"Alice Smith\"}");
        assert!(is_sealed(&sealed) && !sealed.contains("Alice"));
        assert_eq!(key.open(&sealed).unwrap(), b"{\"name\":\"Alice Smith\"}");
        let again = Key::derive("correct horse", &sealing.salt).unwrap();
        assert!(again.opens(&sealing));
        assert!(again.open(&sealed).is_some());
        let wrong = Key::derive("correct horsf", &sealing.salt).unwrap();
        assert!(!wrong.opens(&sealing));
        assert!(wrong.open(&sealed).is_none());
        // One character of the ciphertext changed: refused, not garbled.
        let mut changed = sealed.clone().into_bytes();
        let at = changed.len() - 5;
        changed[at] = if changed[at] == b'A' { b'B' } else { b'A' };
        assert!(key.open(&String::from_utf8(changed).unwrap()).is_none());
        assert_eq!(
            Key::from_text(&key.to_text()).unwrap().open(&sealed),
            key.open(&sealed)
        );
        // Two seals of the same body differ (a fresh nonce each).
        assert_ne!(key.seal(b"x"), key.seal(b"x"));
    }
}
