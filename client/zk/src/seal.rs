//! Sealing a revealed result to its consumer.
//!
//! The owner's decryptor publishes, on chain, a commitment to the plaintext (proven by the
//! Groth16 proof) and the plaintext itself **sealed** to the consumer's X25519 key, so that
//! only the consumer reads it. The consumer opens the seal and checks the opening against the
//! proven commitment ([`Opening::check`]): a seal that does not open to the committed value is
//! the owner's fault, and the consumer can tell.
//!
//! Construction (version 1): an ephemeral X25519 key pair; `shared = X25519(ephemeral, consumer)`;
//! `key = HKDF-SHA256(salt = "tokenfactory/seal/v1", ikm = shared, info = ephemeral_public ||
//! consumer_public || job_id (u64 LE))`; ChaCha20-Poly1305 with that key, a zero nonce (each key
//! is used once) and the job id as associated data. The sealed bytes are
//! `"TFS1" || ephemeral_public (32) || ciphertext+tag`. The plaintext is the [`Opening`]:
//! digit count (u32 LE), the digits (u64 LE each), the 32-byte blinding.

use chacha20poly1305::{aead::Aead, ChaCha20Poly1305, KeyInit, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;
use tokenfactory_commitments::{fr_from_bytes, fr_to_bytes, result_commitment, Fr};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::ZkError;

const MAGIC: &[u8; 4] = b"TFS1";
const SALT: &[u8] = b"tokenfactory/seal/v1";
/// The most digits an opening may carry (the largest circuit's block count, with room).
pub const MAX_DIGITS: usize = 128;

/// What the consumer reads out of a seal: the plaintext digits and the commitment's blinding.
#[derive(Clone, PartialEq, Eq)]
pub struct Opening {
	/// The decrypted message digit of every result block, in block order.
	pub digits: Vec<u64>,
	/// The blinding of the result commitment.
	pub blinding: Fr,
}

impl core::fmt::Debug for Opening {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "Opening({} digits)", self.digits.len())
	}
}

impl Opening {
	fn to_bytes(&self) -> Vec<u8> {
		let mut bytes = Vec::with_capacity(4 + 8 * self.digits.len() + 32);
		bytes.extend_from_slice(&(self.digits.len() as u32).to_le_bytes());
		for digit in &self.digits {
			bytes.extend_from_slice(&digit.to_le_bytes());
		}
		bytes.extend_from_slice(&fr_to_bytes(&self.blinding));
		bytes
	}

	fn from_bytes(bytes: &[u8]) -> Result<Self, ZkError> {
		let malformed =
			|reason: &str| ZkError::Malformed { what: "sealed opening", reason: reason.into() };
		let count = bytes.get(..4).ok_or_else(|| malformed("truncated"))?;
		let count = u32::from_le_bytes([count[0], count[1], count[2], count[3]]) as usize;
		if count > MAX_DIGITS {
			return Err(malformed("too many digits"));
		}
		if bytes.len() != 4 + 8 * count + 32 {
			return Err(malformed("length does not match the digit count"));
		}
		let digits = bytes[4..4 + 8 * count]
			.chunks_exact(8)
			.map(|word| {
				let mut digit = [0u8; 8];
				digit.copy_from_slice(word);
				u64::from_le_bytes(digit)
			})
			.collect();
		let mut blinding = [0u8; 32];
		blinding.copy_from_slice(&bytes[4 + 8 * count..]);
		Ok(Self { digits, blinding: fr_from_bytes(&blinding)? })
	}

	/// Whether this opening is the one `commitment` (a reveal's proven result commitment)
	/// commits to for `job_id`.
	pub fn check(&self, job_id: u64, commitment: &[u8; 32]) -> bool {
		fr_to_bytes(&result_commitment(job_id, &self.digits, &self.blinding)) == *commitment
	}
}

/// A consumer's sealing key pair.
pub struct SealingSecret(StaticSecret);

impl SealingSecret {
	/// The key pair whose secret is `bytes`.
	pub fn from_bytes(bytes: [u8; 32]) -> Self {
		Self(StaticSecret::from(bytes))
	}

	/// A deterministic key pair derived from an account's secret seed or URI (e.g. `//Bob`):
	/// `blake2b-256("tokenfactory/sealing-key/v1" || seed)`. Lets an agent recover its key from
	/// the wallet it already has.
	pub fn derive(seed: &[u8]) -> Self {
		use blake2::{digest::consts::U32, Blake2b, Digest};
		let mut hasher = Blake2b::<U32>::new();
		hasher.update(b"tokenfactory/sealing-key/v1");
		hasher.update(seed);
		Self::from_bytes(hasher.finalize().into())
	}

	/// The public key (what a job carries as its consumer key).
	pub fn public(&self) -> [u8; 32] {
		PublicKey::from(&self.0).to_bytes()
	}

	/// Opens a seal made for this key and `job_id`.
	///
	/// # Errors
	///
	/// [`ZkError::Malformed`] if the bytes are not a seal, or do not open with this key and job
	/// id (another consumer's, another job's, or tampered with).
	pub fn open(&self, job_id: u64, sealed: &[u8]) -> Result<Opening, ZkError> {
		let malformed = |reason: &str| ZkError::Malformed { what: "seal", reason: reason.into() };
		if sealed.get(..4) != Some(MAGIC.as_slice()) {
			return Err(malformed("not a sealed result"));
		}
		let ephemeral: [u8; 32] = sealed
			.get(4..36)
			.and_then(|bytes| bytes.try_into().ok())
			.ok_or_else(|| malformed("truncated"))?;
		let ephemeral = PublicKey::from(ephemeral);
		let shared = Zeroizing::new(self.0.diffie_hellman(&ephemeral).to_bytes());
		let cipher = cipher(&shared, &ephemeral.to_bytes(), &self.public(), job_id)?;
		let plaintext = Zeroizing::new(
			cipher
				.decrypt(
					Nonce::from_slice(&[0; 12]),
					chacha20poly1305::aead::Payload {
						msg: &sealed[36..],
						aad: &job_id.to_le_bytes(),
					},
				)
				.map_err(|_| malformed("does not open with this key for this job"))?,
		);
		Opening::from_bytes(&plaintext)
	}
}

fn cipher(
	shared: &[u8; 32],
	ephemeral: &[u8; 32],
	consumer: &[u8; 32],
	job_id: u64,
) -> Result<ChaCha20Poly1305, ZkError> {
	let mut info = Vec::with_capacity(72);
	info.extend_from_slice(ephemeral);
	info.extend_from_slice(consumer);
	info.extend_from_slice(&job_id.to_le_bytes());
	let mut key = Zeroizing::new([0u8; 32]);
	Hkdf::<Sha256>::new(Some(SALT), shared)
		.expand(&info, key.as_mut())
		.map_err(|_| ZkError::Malformed { what: "seal", reason: "key derivation".into() })?;
	ChaCha20Poly1305::new_from_slice(key.as_ref())
		.map_err(|_| ZkError::Malformed { what: "seal", reason: "key length".into() })
}

/// Seals `opening` for the consumer key `consumer` and `job_id`.
///
/// # Errors
///
/// [`ZkError::Malformed`] if the opening has more than [`MAX_DIGITS`] digits.
pub fn seal<R: rand::RngCore + rand::CryptoRng>(
	consumer: &[u8; 32],
	job_id: u64,
	opening: &Opening,
	rng: &mut R,
) -> Result<Vec<u8>, ZkError> {
	if opening.digits.len() > MAX_DIGITS {
		return Err(ZkError::Malformed { what: "opening", reason: "too many digits".into() });
	}
	let mut ephemeral_secret = Zeroizing::new([0u8; 32]);
	rng.fill_bytes(ephemeral_secret.as_mut());
	let ephemeral = StaticSecret::from(*ephemeral_secret);
	let ephemeral_public = PublicKey::from(&ephemeral).to_bytes();
	let shared = Zeroizing::new(ephemeral.diffie_hellman(&PublicKey::from(*consumer)).to_bytes());
	let cipher = cipher(&shared, &ephemeral_public, consumer, job_id)?;
	let plaintext = Zeroizing::new(opening.to_bytes());
	let ciphertext = cipher
		.encrypt(
			Nonce::from_slice(&[0; 12]),
			chacha20poly1305::aead::Payload { msg: &plaintext, aad: &job_id.to_le_bytes() },
		)
		.map_err(|_| ZkError::Malformed { what: "seal", reason: "encryption".into() })?;
	let mut sealed = MAGIC.to_vec();
	sealed.extend_from_slice(&ephemeral_public);
	sealed.extend_from_slice(&ciphertext);
	Ok(sealed)
}

#[cfg(test)]
mod tests {
	use super::*;
	use ark_std::UniformRand;
	use rand::SeedableRng;

	fn opening() -> Opening {
		let mut rng = rand::rngs::StdRng::seed_from_u64(1);
		Opening { digits: vec![1, 0, 3, 2, 2], blinding: Fr::rand(&mut rng) }
	}

	#[test]
	fn a_seal_opens_for_its_consumer_and_job_and_checks_against_the_commitment() {
		let mut rng = rand::rngs::StdRng::seed_from_u64(2);
		let consumer = SealingSecret::derive(b"//Bob");
		let sealed = seal(&consumer.public(), 7, &opening(), &mut rng).expect("seal");
		let opened = consumer.open(7, &sealed).expect("opens");
		assert_eq!(opened, opening());
		let commitment = fr_to_bytes(&result_commitment(7, &opening().digits, &opening().blinding));
		assert!(opened.check(7, &commitment));
		assert!(!opened.check(8, &commitment));
	}

	mod reject {
		use super::*;

		#[test]
		fn another_consumer() {
			let mut rng = rand::rngs::StdRng::seed_from_u64(3);
			let sealed = seal(&SealingSecret::derive(b"//Bob").public(), 7, &opening(), &mut rng)
				.expect("seal");
			assert!(SealingSecret::derive(b"//Eve").open(7, &sealed).is_err());
		}

		#[test]
		fn another_job() {
			let mut rng = rand::rngs::StdRng::seed_from_u64(4);
			let consumer = SealingSecret::derive(b"//Bob");
			let sealed = seal(&consumer.public(), 7, &opening(), &mut rng).expect("seal");
			assert!(consumer.open(8, &sealed).is_err());
		}

		#[test]
		fn a_flipped_bit_or_truncation() {
			let mut rng = rand::rngs::StdRng::seed_from_u64(5);
			let consumer = SealingSecret::derive(b"//Bob");
			let mut sealed = seal(&consumer.public(), 7, &opening(), &mut rng).expect("seal");
			let last = sealed.len() - 1;
			assert!(consumer.open(7, &sealed[..last]).is_err());
			sealed[40] ^= 1;
			assert!(consumer.open(7, &sealed).is_err());
			assert!(consumer.open(7, b"TFS1").is_err());
			assert!(consumer.open(7, b"nope").is_err());
		}
	}
}
