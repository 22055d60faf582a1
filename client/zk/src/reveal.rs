//! The owner's side of a reveal, and the consumer's check of it.
//!
//! [`reveal`] turns an agreed result (its compact form) into what the chain's `reveal` call
//! carries: the commitment to the plaintext, the plaintext sealed to the consumer, and the
//! Groth16 proof tying them to the agreed digest and the key commitment. [`ProvingKeys`] finds
//! the proving key of a circuit shape in a directory, or makes the (insecure) development one.
//! [`open_reveal`] is the consumer's side: open the seal, check it against the proven
//! commitment.

use std::{
	collections::BTreeMap,
	fs,
	path::{Path, PathBuf},
	sync::{Arc, Mutex},
};

use ark_std::UniformRand;
use tokenfactory_commitments::{fr_to_bytes, CompactResult, LweSecretKeyBits};

use crate::{
	prover::{self, DecryptionWitness},
	seal::{self, Opening, SealingSecret},
	setup::{self, KeyPair, SetupKind},
	shape::{CircuitShape, PRODUCTION_PARAMETERS},
	ZkError,
};

/// The seed of the development setup: public, so development keys are the same everywhere
/// (and insecure).
pub const DEV_SETUP_SEED: u64 = 0x746f_6b65_6e66_6163;

/// What a reveal carries on chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevealBytes {
	/// `fr_to_bytes` of the result commitment.
	pub result_commitment: [u8; 32],
	/// The opening sealed to the consumer.
	pub sealed: Vec<u8>,
	/// The compressed proof.
	pub proof: Vec<u8>,
	/// The plaintext digits (for the decryptor's own log; never published in the clear).
	pub digits: Vec<u64>,
}

/// Decrypts `result` with `key`, proves the decryption for `job_id` with `keys`, and seals
/// the plaintext to `consumer`, with randomness from the operating system.
///
/// Not generic on purpose: the prover's generic code is instantiated here, in this crate's
/// optimized build, not in a caller's (a node or CLI built without optimizations proves five
/// times slower).
///
/// # Errors
///
/// As [`reveal_with_rng`].
pub fn reveal(
	job_id: u64,
	key: &LweSecretKeyBits,
	result: &CompactResult,
	consumer: &[u8; 32],
	keys: &KeyPair,
) -> Result<RevealBytes, ZkError> {
	reveal_with_rng(job_id, key, result, consumer, keys, &mut rand::rngs::OsRng)
}

/// [`reveal`] with the caller's randomness (tests make it reproducible).
///
/// # Errors
///
/// [`ZkError::NoShape`] if `keys` cannot hold the result; witness errors (a result that does
/// not decrypt with this key); proving errors.
pub fn reveal_with_rng<R: rand::RngCore + rand::CryptoRng>(
	job_id: u64,
	key: &LweSecretKeyBits,
	result: &CompactResult,
	consumer: &[u8; 32],
	keys: &KeyPair,
	rng: &mut R,
) -> Result<RevealBytes, ZkError> {
	let witness = DecryptionWitness {
		job_id,
		key: key.clone(),
		result: result.clone(),
		blinding: tokenfactory_commitments::Fr::rand(rng),
	};
	let (proof, public, digits) = prover::prove(keys, &witness, rng)?;
	let opening = Opening { digits: digits.clone(), blinding: witness.blinding };
	Ok(RevealBytes {
		result_commitment: fr_to_bytes(&public.result_commitment),
		sealed: seal::seal(consumer, job_id, &opening, rng)?,
		proof: prover::proof_bytes(&proof)?,
		digits,
	})
}

/// The consumer's side: opens `sealed` with `secret` and checks it against the proven
/// `commitment` of `job_id`. Returns the plaintext digits.
///
/// # Errors
///
/// [`ZkError::Malformed`] if the seal does not open, or opens to something else than what
/// the commitment (and so the proof) says.
pub fn open_reveal(
	secret: &SealingSecret,
	job_id: u64,
	commitment: &[u8; 32],
	sealed: &[u8],
) -> Result<Vec<u64>, ZkError> {
	let opening = secret.open(job_id, sealed)?;
	if !seal::check(&opening, job_id, commitment) {
		return Err(ZkError::Malformed {
			what: "sealed result",
			reason: "it does not open to the proven commitment: the owner sealed something else"
				.into(),
		});
	}
	Ok(opening.digits)
}

/// Proving keys by circuit shape, read from a directory (`<name>.pk`, see
/// [`CircuitShape::name`]) and kept in memory.
pub struct ProvingKeys {
	dir: PathBuf,
	allow_dev_setup: bool,
	loaded: Mutex<BTreeMap<usize, Arc<KeyPair>>>,
}

impl ProvingKeys {
	/// The keys in `dir`. With `allow_dev_setup`, a missing key is made with the **insecure**
	/// development setup ([`DEV_SETUP_SEED`]) and saved there; otherwise it is an error.
	pub fn new(dir: impl Into<PathBuf>, allow_dev_setup: bool) -> Self {
		Self { dir: dir.into(), allow_dev_setup, loaded: Mutex::new(BTreeMap::new()) }
	}

	/// The file of `shape`'s proving key.
	pub fn path(&self, shape: &CircuitShape) -> PathBuf {
		self.dir.join(format!("{}.pk", shape.name()))
	}

	/// The proving key of the production shape of `max_blocks` blocks.
	///
	/// # Errors
	///
	/// [`ZkError::Io`] or [`ZkError::Malformed`] for a missing (without the development setup)
	/// or bad key file, or one made for another shape.
	pub fn get(&self, max_blocks: usize) -> Result<Arc<KeyPair>, ZkError> {
		let mut loaded = self.loaded.lock().map_err(|_| poisoned())?;
		if let Some(keys) = loaded.get(&max_blocks) {
			return Ok(keys.clone());
		}
		let shape = CircuitShape { parameters: PRODUCTION_PARAMETERS, max_blocks };
		let path = self.path(&shape);
		let keys = if path.exists() {
			let mut file = std::io::BufReader::new(fs::File::open(&path)?);
			let keys = setup::read_proving_key(&mut file)?;
			if keys.shape != shape {
				return Err(ZkError::Malformed {
					what: "proving key",
					reason: format!("{} holds a key for another shape", path.display()),
				});
			}
			keys
		} else if self.allow_dev_setup {
			let keys = setup::insecure_dev_setup(shape, DEV_SETUP_SEED)?;
			write_atomically(&path, |out| setup::write_proving_key(&keys, out))?;
			keys
		} else {
			return Err(ZkError::Malformed {
				what: "proving key",
				reason: format!("{} does not exist (run `tokenfactory zk setup`)", path.display()),
			});
		};
		if keys.setup == SetupKind::InsecureDev {
			eprintln!(
				"WARNING: proving with the INSECURE development key {}: proofs are only as good \
				 as the secrecy of a public seed",
				path.display()
			);
		}
		let keys = Arc::new(keys);
		loaded.insert(max_blocks, keys.clone());
		Ok(keys)
	}
}

fn poisoned() -> ZkError {
	ZkError::Malformed { what: "proving key cache", reason: "a prover thread panicked".into() }
}

/// Writes `path` through a temporary file in the same directory, so that a crash never
/// leaves half a key behind.
pub fn write_atomically(
	path: &Path,
	write: impl FnOnce(&mut std::io::BufWriter<fs::File>) -> Result<(), ZkError>,
) -> Result<(), ZkError> {
	if let Some(dir) = path.parent() {
		fs::create_dir_all(dir)?;
	}
	let temporary = path.with_extension("partial");
	{
		let mut out = std::io::BufWriter::new(fs::File::create(&temporary)?);
		write(&mut out)?;
		use std::io::Write;
		out.flush()?;
	}
	fs::rename(&temporary, path)?;
	Ok(())
}
