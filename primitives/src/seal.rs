//! A revealed answer as the chain checks it: the seal the owner's decryptor made for the
//! consumer, and the Poseidon commitment its Groth16 proof is about.
//!
//! The decryptor publishes a commitment to the plaintext (proven by the proof) and the
//! plaintext *sealed* to the consumer's X25519 key. A consumer whose seal does not open, or
//! opens to something the commitment does not commit to, publishes the job's sealing secret
//! (a key used for that one job) and the chain decides the same way the consumer did: this
//! module is the one implementation both use.
//!
//! Seal, version 1: an ephemeral X25519 key pair; `shared = X25519(ephemeral, consumer)`;
//! `key = HKDF-SHA256(salt = "tokenfactory/seal/v1", ikm = shared, info = ephemeral_public ||
//! consumer_public || job_id (u64 LE))`; ChaCha20-Poly1305 with that key, a zero nonce (each
//! key is used once) and the job id as associated data. The sealed bytes are
//! `"TFS1" || ephemeral_public (32) || ciphertext+tag`. The plaintext is the [`Opening`]:
//! digit count (u32 LE), the digits (u64 LE each), the 32-byte blinding.
//!
//! Commitment: Poseidon over BLS12-381's scalar field, width 9 (rate 8, capacity 1), `x^5`,
//! 8 full and 63 partial rounds, constants from the paper's Grain LFSR
//! (`find_poseidon_ark_and_mds(255, 8, 8, 63, 0)`); `result_commitment(job, digits, blinding)`
//! chains `H(tag, job, blinding, count)` with one `H(state, 7 digits)` per seven digits.

use alloc::vec::Vec;

use ark_bls12_381::Fr;
use ark_crypto_primitives::sponge::{
	poseidon::{find_poseidon_ark_and_mds, PoseidonConfig, PoseidonSponge},
	CryptographicSponge,
};
use ark_ff::{BigInteger, PrimeField};
use chacha20poly1305::{aead::Aead, ChaCha20Poly1305, KeyInit, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

/// The first bytes of every seal.
pub const MAGIC: &[u8; 4] = b"TFS1";
const SALT: &[u8] = b"tokenfactory/seal/v1";
/// The most digits an opening may carry (the largest circuit's block count, with room).
pub const MAX_DIGITS: usize = 128;
/// Digits absorbed per Poseidon call of the result commitment.
pub const DIGITS_PER_CHUNK: usize = 7;
const RESULT_TAG: &[u8] = b"tokenfactory/result/v1";

/// Poseidon's parameters (see the module documentation).
pub mod poseidon {
	/// Field elements absorbed per permutation.
	pub const RATE: usize = 8;
	/// Field elements of the state never output.
	pub const CAPACITY: usize = 1;
	/// The S-box exponent.
	pub const ALPHA: u64 = 5;
	/// Full rounds (half before, half after the partial rounds).
	pub const FULL_ROUNDS: usize = 8;
	/// Partial rounds.
	pub const PARTIAL_ROUNDS: usize = 63;
}

/// Why a seal does not give an opening.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealError {
	/// The bytes do not start with [`MAGIC`] or are shorter than its header.
	NotASeal,
	/// The seal does not decrypt with this key for this job (another key's, another job's, or
	/// tampered with).
	DoesNotOpen,
	/// It decrypts, but not to a well-formed opening.
	MalformedOpening,
	/// The opening has more than [`MAX_DIGITS`] digits.
	TooManyDigits,
}

/// What a consumer reads out of a seal: the plaintext digits and the commitment's blinding.
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
	/// Its plaintext bytes inside a seal.
	pub fn to_bytes(&self) -> Vec<u8> {
		let mut bytes = Vec::with_capacity(4 + 8 * self.digits.len() + 32);
		bytes.extend_from_slice(&(self.digits.len() as u32).to_le_bytes());
		for digit in &self.digits {
			bytes.extend_from_slice(&digit.to_le_bytes());
		}
		bytes.extend_from_slice(&fr_to_bytes(&self.blinding));
		bytes
	}

	/// Reads an opening, checking every length before it allocates.
	///
	/// # Errors
	///
	/// [`SealError::MalformedOpening`], [`SealError::TooManyDigits`].
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, SealError> {
		let count = bytes.get(..4).ok_or(SealError::MalformedOpening)?;
		let count = u32::from_le_bytes([count[0], count[1], count[2], count[3]]) as usize;
		if count > MAX_DIGITS {
			return Err(SealError::TooManyDigits);
		}
		if bytes.len() != 4 + 8 * count + 32 {
			return Err(SealError::MalformedOpening);
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
		let blinding = fr_from_bytes(&blinding).ok_or(SealError::MalformedOpening)?;
		Ok(Self { digits, blinding })
	}

	/// Whether this is the opening `commitment` (a reveal's proven result commitment) commits
	/// to for `job_id`, under Poseidon parameters `config`.
	pub fn matches(&self, config: &PoseidonConfig<Fr>, job_id: u64, commitment: &[u8; 32]) -> bool {
		fr_to_bytes(&result_commitment(config, job_id, &self.digits, &self.blinding)) == *commitment
	}
}

/// The Poseidon parameters, generated from the Grain LFSR (a few milliseconds; clients cache
/// them).
pub fn poseidon_config() -> PoseidonConfig<Fr> {
	let (ark, mds) = find_poseidon_ark_and_mds::<Fr>(
		u64::from(Fr::MODULUS_BIT_SIZE),
		poseidon::RATE,
		poseidon::FULL_ROUNDS as u64,
		poseidon::PARTIAL_ROUNDS as u64,
		0,
	);
	PoseidonConfig {
		full_rounds: poseidon::FULL_ROUNDS,
		partial_rounds: poseidon::PARTIAL_ROUNDS,
		alpha: poseidon::ALPHA,
		ark,
		mds,
		rate: poseidon::RATE,
		capacity: poseidon::CAPACITY,
	}
}

/// `H(inputs)`: a fresh sponge absorbs `inputs` and squeezes one element.
pub fn poseidon_hash(config: &PoseidonConfig<Fr>, inputs: &[Fr]) -> Fr {
	let mut sponge = PoseidonSponge::new(config);
	sponge.absorb(&inputs);
	sponge.squeeze_field_elements::<Fr>(1).first().copied().unwrap_or_default()
}

/// A domain tag as a field element.
pub fn tag(bytes: &[u8]) -> Fr {
	Fr::from_le_bytes_mod_order(bytes)
}

/// The result commitment's domain tag.
pub fn result_tag() -> Fr {
	tag(RESULT_TAG)
}

/// The commitment to a job's plaintext digits (one per block, in block order) under `blinding`.
pub fn result_commitment(
	config: &PoseidonConfig<Fr>,
	job_id: u64,
	digits: &[u64],
	blinding: &Fr,
) -> Fr {
	let mut state = poseidon_hash(
		config,
		&[result_tag(), Fr::from(job_id), *blinding, Fr::from(digits.len() as u64)],
	);
	for chunk in digits.chunks(DIGITS_PER_CHUNK) {
		let mut input = Vec::with_capacity(DIGITS_PER_CHUNK + 1);
		input.push(state);
		input.extend(chunk.iter().map(|digit| Fr::from(*digit)));
		input.resize(DIGITS_PER_CHUNK + 1, Fr::from(0u64));
		state = poseidon_hash(config, &input);
	}
	state
}

/// The canonical 32-byte little-endian encoding of a field element.
pub fn fr_to_bytes(x: &Fr) -> [u8; 32] {
	let mut bytes = [0u8; 32];
	let repr = x.into_bigint().to_bytes_le();
	bytes.copy_from_slice(&repr[..32]);
	bytes
}

/// Reads a canonical 32-byte little-endian field element (`None` if not below the modulus).
pub fn fr_from_bytes(bytes: &[u8; 32]) -> Option<Fr> {
	let value = Fr::from_le_bytes_mod_order(bytes);
	(fr_to_bytes(&value) == *bytes).then_some(value)
}

/// The X25519 public key of a sealing secret (what a job carries as its consumer key).
pub fn sealing_public(secret: &[u8; 32]) -> [u8; 32] {
	PublicKey::from(&StaticSecret::from(*secret)).to_bytes()
}

fn cipher(
	shared: &[u8; 32],
	ephemeral: &[u8; 32],
	consumer: &[u8; 32],
	job_id: u64,
) -> ChaCha20Poly1305 {
	let mut info = [0u8; 72];
	info[..32].copy_from_slice(ephemeral);
	info[32..64].copy_from_slice(consumer);
	info[64..].copy_from_slice(&job_id.to_le_bytes());
	let mut key = Zeroizing::new([0u8; 32]);
	// 32 bytes is far below HKDF-SHA256's 255 * 32-byte limit: expanding cannot fail.
	let _ = Hkdf::<Sha256>::new(Some(SALT), shared).expand(&info, key.as_mut());
	ChaCha20Poly1305::new(key.as_ref().into())
}

/// Seals `opening` for the consumer key `consumer` and `job_id` with the ephemeral secret
/// `ephemeral` (fresh randomness, never reused).
///
/// # Errors
///
/// [`SealError::TooManyDigits`].
pub fn seal(
	consumer: &[u8; 32],
	job_id: u64,
	opening: &Opening,
	ephemeral: &[u8; 32],
) -> Result<Vec<u8>, SealError> {
	if opening.digits.len() > MAX_DIGITS {
		return Err(SealError::TooManyDigits);
	}
	let ephemeral = StaticSecret::from(*ephemeral);
	let ephemeral_public = PublicKey::from(&ephemeral).to_bytes();
	let shared = Zeroizing::new(ephemeral.diffie_hellman(&PublicKey::from(*consumer)).to_bytes());
	let plaintext = Zeroizing::new(opening.to_bytes());
	let ciphertext = cipher(&shared, &ephemeral_public, consumer, job_id)
		.encrypt(
			Nonce::from_slice(&[0; 12]),
			chacha20poly1305::aead::Payload { msg: &plaintext, aad: &job_id.to_le_bytes() },
		)
		// Encryption fails only for a plaintext over ChaCha20's 256 GiB limit.
		.map_err(|_| SealError::MalformedOpening)?;
	let mut sealed = MAGIC.to_vec();
	sealed.extend_from_slice(&ephemeral_public);
	sealed.extend_from_slice(&ciphertext);
	Ok(sealed)
}

/// Opens a seal made for the key whose secret is `secret` and `job_id`.
///
/// # Errors
///
/// [`SealError::NotASeal`], [`SealError::DoesNotOpen`], or the opening's
/// ([`Opening::from_bytes`]).
pub fn open(secret: &[u8; 32], job_id: u64, sealed: &[u8]) -> Result<Opening, SealError> {
	if sealed.get(..4) != Some(MAGIC.as_slice()) {
		return Err(SealError::NotASeal);
	}
	let ephemeral: [u8; 32] =
		sealed.get(4..36).and_then(|bytes| bytes.try_into().ok()).ok_or(SealError::NotASeal)?;
	let secret = StaticSecret::from(*secret);
	let consumer = PublicKey::from(&secret).to_bytes();
	let shared = Zeroizing::new(secret.diffie_hellman(&PublicKey::from(ephemeral)).to_bytes());
	let plaintext = Zeroizing::new(
		cipher(&shared, &ephemeral, &consumer, job_id)
			.decrypt(
				Nonce::from_slice(&[0; 12]),
				chacha20poly1305::aead::Payload { msg: &sealed[36..], aad: &job_id.to_le_bytes() },
			)
			.map_err(|_| SealError::DoesNotOpen)?,
	);
	Opening::from_bytes(&plaintext)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn opening() -> Opening {
		Opening { digits: (0..17).collect(), blinding: Fr::from(123_456_789u64) }
	}

	#[test]
	fn a_seal_opens_with_its_key_and_job_only() {
		let secret = [7u8; 32];
		let consumer = sealing_public(&secret);
		let sealed = seal(&consumer, 9, &opening(), &[3u8; 32]).unwrap();
		assert_eq!(open(&secret, 9, &sealed).unwrap(), opening());
		assert_eq!(open(&secret, 10, &sealed), Err(SealError::DoesNotOpen));
		assert_eq!(open(&[8u8; 32], 9, &sealed), Err(SealError::DoesNotOpen));
		let mut tampered = sealed.clone();
		*tampered.last_mut().unwrap() ^= 1;
		assert_eq!(open(&secret, 9, &tampered), Err(SealError::DoesNotOpen));
		assert_eq!(open(&secret, 9, &sealed[..20]), Err(SealError::NotASeal));
		assert_eq!(open(&secret, 9, b"junk"), Err(SealError::NotASeal));
	}

	#[test]
	fn an_opening_matches_its_commitment_only() {
		let config = poseidon_config();
		let commitment =
			fr_to_bytes(&result_commitment(&config, 9, &opening().digits, &opening().blinding));
		assert!(opening().matches(&config, 9, &commitment));
		assert!(!opening().matches(&config, 10, &commitment));
		let mut other = opening();
		other.digits[16] += 1;
		assert!(!other.matches(&config, 9, &commitment));
	}

	#[test]
	fn field_elements_round_trip_and_non_canonical_bytes_are_refused() {
		let x = Fr::from(42u64);
		assert_eq!(fr_from_bytes(&fr_to_bytes(&x)), Some(x));
		assert_eq!(fr_from_bytes(&[0xff; 32]), None);
	}
}
