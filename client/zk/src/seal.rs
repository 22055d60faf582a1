//! Sealing a revealed result to its consumer.
//!
//! The owner's decryptor publishes, on chain, a commitment to the plaintext (proven by the
//! Groth16 proof) and the plaintext itself **sealed** to the consumer's X25519 key, so that
//! only the consumer reads it. The consumer opens the seal and checks the opening against the
//! proven commitment ([`check`]): a seal that does not open to the committed value is the
//! owner's fault, and the consumer can prove it on chain by publishing the job's sealing
//! secret (`Compute::complain`), which is why a consumer uses a fresh key for every job
//! ([`SealingSecret::random`]).
//!
//! The construction (version 1) and the opening's bytes are `tokenfactory_primitives::seal`'s:
//! the chain and the clients run the same code.

use tokenfactory_primitives::seal as chain_seal;
pub use tokenfactory_primitives::seal::{Opening, MAX_DIGITS};
use zeroize::Zeroizing;

use crate::ZkError;

fn malformed(error: chain_seal::SealError) -> ZkError {
	use chain_seal::SealError;
	let (what, reason) = match error {
		SealError::NotASeal => ("seal", "not a sealed result"),
		SealError::DoesNotOpen => ("seal", "does not open with this key for this job"),
		SealError::MalformedOpening => ("sealed opening", "malformed"),
		SealError::TooManyDigits => ("sealed opening", "too many digits"),
	};
	ZkError::Malformed { what, reason: reason.into() }
}

/// Whether `opening` is the one `commitment` (a reveal's proven result commitment) commits to
/// for `job_id`.
pub fn check(opening: &Opening, job_id: u64, commitment: &[u8; 32]) -> bool {
	opening.matches(tokenfactory_commitments::poseidon::config(), job_id, commitment)
}

/// A consumer's sealing key pair.
pub struct SealingSecret(Zeroizing<[u8; 32]>);

impl SealingSecret {
	/// The key pair whose secret is `bytes`.
	pub fn from_bytes(bytes: [u8; 32]) -> Self {
		Self(Zeroizing::new(bytes))
	}

	/// A fresh key pair, for one job: publishing its secret in a complaint then reveals that
	/// job's answer and nothing else.
	pub fn random<R: rand::RngCore + rand::CryptoRng>(rng: &mut R) -> Self {
		let mut bytes = Zeroizing::new([0u8; 32]);
		rng.fill_bytes(bytes.as_mut());
		Self(bytes)
	}

	/// A deterministic key pair derived from an account's secret seed or URI (e.g. `//Bob`):
	/// `blake2b-256("tokenfactory/sealing-key/v1" || seed)`. Lets an agent recover its key from
	/// the wallet it already has (tests and fixed keys; a consumer uses a fresh key per job).
	pub fn derive(seed: &[u8]) -> Self {
		use blake2::{digest::consts::U32, Blake2b, Digest};
		let mut hasher = Blake2b::<U32>::new();
		hasher.update(b"tokenfactory/sealing-key/v1");
		hasher.update(seed);
		Self::from_bytes(hasher.finalize().into())
	}

	/// The secret (what a complaint publishes).
	pub fn secret(&self) -> [u8; 32] {
		*self.0
	}

	/// The public key (what a job carries as its consumer key).
	pub fn public(&self) -> [u8; 32] {
		chain_seal::sealing_public(&self.0)
	}

	/// Opens a seal made for this key and `job_id`.
	///
	/// # Errors
	///
	/// [`ZkError::Malformed`] if the bytes are not a seal, or do not open with this key and job
	/// id (another consumer's, another job's, or tampered with).
	pub fn open(&self, job_id: u64, sealed: &[u8]) -> Result<Opening, ZkError> {
		chain_seal::open(&self.0, job_id, sealed).map_err(malformed)
	}
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
	let mut ephemeral = Zeroizing::new([0u8; 32]);
	rng.fill_bytes(ephemeral.as_mut());
	chain_seal::seal(consumer, job_id, opening, &ephemeral).map_err(malformed)
}

#[cfg(test)]
mod tests {
	use super::*;
	use ark_std::UniformRand;
	use rand::SeedableRng;
	use tokenfactory_commitments::{fr_to_bytes, result_commitment, Fr};

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
		assert!(check(&opened, 7, &commitment));
		assert!(!check(&opened, 8, &commitment));
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
