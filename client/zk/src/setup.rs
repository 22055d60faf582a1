//! Key generation and key files.
//!
//! **The development setup is insecure.** [`insecure_dev_setup`] derives all of Groth16's toxic
//! waste from a public seed: anyone who knows the seed can prove false decryptions. It exists so
//! that a dev chain, tests and benchmarks are reproducible. A production verifying key must come
//! from a multi-party ceremony and is set on chain by governance.
//!
//! Key file format (version [`KEY_FILE_VERSION`]), little-endian:
//! `"TFZK"`, version `u16`, kind `u8` (0 proving, 1 verifying), setup `u8` (0 insecure dev,
//! 1 other), the shape (`log_modulus u32, lwe_dimension u32, message_modulus u64,
//! carry_modulus u64, max_blocks u32`), payload length `u64`, payload. A proving key's payload
//! is arkworks' uncompressed `ProvingKey` (read unchecked: it is the owner's own file, and it
//! is large); a verifying key's payload is the on-chain format of
//! `tokenfactory_primitives::groth16` ([`verifying_key_bytes`]), read with every point checked.

use std::io::{Read, Write};

use ark_groth16::{Groth16, ProvingKey, VerifyingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use ark_snark::SNARK;
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use tokenfactory_commitments::{hash, CompactParameters, Fr};

use crate::{circuit::DecryptionCircuit, shape::CircuitShape, Bls12_381, ZkError};

/// The key file format version.
pub const KEY_FILE_VERSION: u16 = 1;
/// The version byte of the on-chain verifying key format (`tokenfactory_primitives::groth16`).
pub const VERIFYING_KEY_FORMAT_VERSION: u8 = 1;
/// The largest proving key file read (the largest production shape's key is well below).
pub const MAX_PROVING_KEY_BYTES: u64 = 4 << 30;
/// The largest verifying key file read.
pub const MAX_VERIFYING_KEY_BYTES: u64 = 4096;

const MAGIC: &[u8; 4] = b"TFZK";

/// Which key a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
	/// A proving key.
	Proving = 0,
	/// A verifying key.
	Verifying = 1,
}

/// How a key was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupKind {
	/// [`insecure_dev_setup`]: anyone with the seed can forge proofs.
	InsecureDev = 0,
	/// Anything else (e.g. a ceremony).
	Other = 1,
}

/// A key pair for one shape.
pub struct KeyPair {
	/// The shape.
	pub shape: CircuitShape,
	/// How it was made.
	pub setup: SetupKind,
	/// The proving key (its verifying key inside).
	pub proving_key: ProvingKey<Bls12_381>,
}

impl KeyPair {
	/// The verifying key.
	pub fn verifying_key(&self) -> &VerifyingKey<Bls12_381> {
		&self.proving_key.vk
	}
}

/// Generates a key pair with `rng`.
///
/// # Errors
///
/// Synthesis errors.
pub fn setup<R: ark_std::rand::RngCore + ark_std::rand::CryptoRng>(
	shape: CircuitShape,
	setup: SetupKind,
	rng: &mut R,
) -> Result<KeyPair, ZkError> {
	let (proving_key, _) =
		Groth16::<Bls12_381>::circuit_specific_setup(DecryptionCircuit::blank(shape), rng)
			.map_err(ZkError::Synthesis)?;
	Ok(KeyPair { shape, setup, proving_key })
}

/// A key pair from the operating system's randomness: a single-party setup, trusted as far
/// as this machine is (its toxic waste is dropped when this returns). Not generic, so the setup
/// is instantiated in this crate's optimized build.
///
/// # Errors
///
/// Synthesis errors.
pub fn setup_from_entropy(shape: CircuitShape) -> Result<KeyPair, ZkError> {
	setup(shape, SetupKind::Other, &mut rand::rngs::OsRng)
}

/// **INSECURE**: a key pair derived from a public `seed` and the shape. For dev chains, tests and
/// benchmarks only; it prints a warning to stderr every time.
///
/// # Errors
///
/// Synthesis errors.
pub fn insecure_dev_setup(shape: CircuitShape, seed: u64) -> Result<KeyPair, ZkError> {
	eprintln!(
		"WARNING: INSECURE development Groth16 setup for shape {} from public seed {seed}: \
		 anyone who knows the seed can forge decryption proofs. Never use these keys on a \
		 network with value.",
		shape.name()
	);
	// Different shapes get unrelated keys from the same seed.
	let shape_tag = hash(&[
		Fr::from(seed),
		Fr::from(u64::from(shape.parameters.log_modulus)),
		Fr::from(shape.parameters.lwe_dimension as u64),
		Fr::from(shape.parameters.message_modulus),
		Fr::from(shape.parameters.carry_modulus),
		Fr::from(shape.max_blocks as u64),
	]);
	let mut rng = ChaCha20Rng::from_seed(tokenfactory_commitments::fr_to_bytes(&shape_tag));
	setup(shape, SetupKind::InsecureDev, &mut rng)
}

/// The on-chain verifying key bytes: [`VERIFYING_KEY_FORMAT_VERSION`], then arkworks' compressed
/// `VerifyingKey` (585 bytes for the 4 public inputs).
///
/// # Errors
///
/// Serialization errors.
pub fn verifying_key_bytes(vk: &VerifyingKey<Bls12_381>) -> Result<Vec<u8>, ZkError> {
	let mut bytes = vec![VERIFYING_KEY_FORMAT_VERSION];
	vk.serialize_compressed(&mut bytes)?;
	Ok(bytes)
}

/// Reads on-chain verifying key bytes, checking every point.
///
/// # Errors
///
/// [`ZkError::Malformed`] for another version or trailing bytes; serialization errors.
pub fn verifying_key_from_bytes(bytes: &[u8]) -> Result<VerifyingKey<Bls12_381>, ZkError> {
	let malformed =
		|reason: &str| ZkError::Malformed { what: "verifying key", reason: reason.into() };
	let (version, mut rest) = bytes.split_first().ok_or_else(|| malformed("empty"))?;
	if *version != VERIFYING_KEY_FORMAT_VERSION {
		return Err(malformed("unsupported version"));
	}
	if rest.len() as u64 > MAX_VERIFYING_KEY_BYTES {
		return Err(malformed("too long"));
	}
	let vk = VerifyingKey::deserialize_with_mode(&mut rest, Compress::Yes, Validate::Yes)?;
	if !rest.is_empty() {
		return Err(malformed("trailing bytes"));
	}
	if vk.gamma_abc_g1.len() != 5 {
		return Err(malformed("not a key for 4 public inputs"));
	}
	Ok(vk)
}

fn write_header(
	out: &mut impl Write,
	kind: KeyKind,
	setup: SetupKind,
	shape: &CircuitShape,
	payload_len: u64,
) -> Result<(), ZkError> {
	out.write_all(MAGIC)?;
	out.write_all(&KEY_FILE_VERSION.to_le_bytes())?;
	out.write_all(&[kind as u8, setup as u8])?;
	let p = &shape.parameters;
	out.write_all(&p.log_modulus.to_le_bytes())?;
	out.write_all(&u32::try_from(p.lwe_dimension).unwrap_or(u32::MAX).to_le_bytes())?;
	out.write_all(&p.message_modulus.to_le_bytes())?;
	out.write_all(&p.carry_modulus.to_le_bytes())?;
	out.write_all(&u32::try_from(shape.max_blocks).unwrap_or(u32::MAX).to_le_bytes())?;
	out.write_all(&payload_len.to_le_bytes())?;
	Ok(())
}

fn read_array<const N: usize>(input: &mut impl Read) -> Result<[u8; N], ZkError> {
	let mut bytes = [0u8; N];
	input.read_exact(&mut bytes)?;
	Ok(bytes)
}

/// Reads a header, checks it is `kind` and returns the setup kind, the shape and the payload
/// length (at most `max_payload`).
fn read_header(
	input: &mut impl Read,
	kind: KeyKind,
	max_payload: u64,
) -> Result<(SetupKind, CircuitShape, u64), ZkError> {
	let malformed = |reason: &str| ZkError::Malformed { what: "key file", reason: reason.into() };
	if &read_array::<4>(input)? != MAGIC {
		return Err(malformed("not a Token Factory key file"));
	}
	if u16::from_le_bytes(read_array(input)?) != KEY_FILE_VERSION {
		return Err(malformed("unsupported version"));
	}
	let [found_kind, setup] = read_array::<2>(input)?;
	if found_kind != kind as u8 {
		return Err(malformed("another kind of key"));
	}
	let setup = match setup {
		0 => SetupKind::InsecureDev,
		1 => SetupKind::Other,
		_ => return Err(malformed("unknown setup kind")),
	};
	let parameters = CompactParameters {
		log_modulus: u32::from_le_bytes(read_array(input)?),
		lwe_dimension: u32::from_le_bytes(read_array(input)?) as usize,
		message_modulus: u64::from_le_bytes(read_array(input)?),
		carry_modulus: u64::from_le_bytes(read_array(input)?),
	};
	let max_blocks = u32::from_le_bytes(read_array(input)?) as usize;
	let payload_len = u64::from_le_bytes(read_array(input)?);
	if payload_len > max_payload {
		return Err(malformed("payload larger than the limit"));
	}
	Ok((setup, CircuitShape { parameters, max_blocks }, payload_len))
}

/// Writes the proving key file.
///
/// # Errors
///
/// I/O and serialization errors.
pub fn write_proving_key(keys: &KeyPair, out: &mut impl Write) -> Result<(), ZkError> {
	let payload_len = keys.proving_key.uncompressed_size() as u64;
	write_header(out, KeyKind::Proving, keys.setup, &keys.shape, payload_len)?;
	keys.proving_key.serialize_uncompressed(out)?;
	Ok(())
}

/// Reads a proving key file.
///
/// # Errors
///
/// [`ZkError::Malformed`] for a wrong header, a payload over [`MAX_PROVING_KEY_BYTES`] or of
/// another length than declared; I/O and serialization errors.
pub fn read_proving_key(input: &mut impl Read) -> Result<KeyPair, ZkError> {
	let (setup, shape, payload_len) = read_header(input, KeyKind::Proving, MAX_PROVING_KEY_BYTES)?;
	let mut limited = input.take(payload_len);
	let proving_key = ProvingKey::deserialize_with_mode(&mut limited, Compress::No, Validate::No)?;
	if limited.limit() != 0 || proving_key.uncompressed_size() as u64 != payload_len {
		return Err(ZkError::Malformed {
			what: "proving key",
			reason: "payload length does not match".into(),
		});
	}
	if proving_key.vk.gamma_abc_g1.len() != 5 {
		return Err(ZkError::Malformed {
			what: "proving key",
			reason: "not a key for 4 public inputs".into(),
		});
	}
	Ok(KeyPair { shape, setup, proving_key })
}

/// Writes the verifying key file (its payload is the on-chain format).
///
/// # Errors
///
/// I/O and serialization errors.
pub fn write_verifying_key(keys: &KeyPair, out: &mut impl Write) -> Result<(), ZkError> {
	let payload = verifying_key_bytes(keys.verifying_key())?;
	write_header(out, KeyKind::Verifying, keys.setup, &keys.shape, payload.len() as u64)?;
	out.write_all(&payload)?;
	Ok(())
}

/// Reads a verifying key file: the setup kind, the shape and the on-chain key bytes (checked).
///
/// # Errors
///
/// [`ZkError::Malformed`] for a wrong header or key; I/O errors.
pub fn read_verifying_key(
	input: &mut impl Read,
) -> Result<(SetupKind, CircuitShape, Vec<u8>), ZkError> {
	let (setup, shape, payload_len) =
		read_header(input, KeyKind::Verifying, MAX_VERIFYING_KEY_BYTES)?;
	let mut payload = Vec::new();
	input.take(payload_len).read_to_end(&mut payload)?;
	if payload.len() as u64 != payload_len {
		return Err(ZkError::Malformed { what: "verifying key", reason: "truncated".into() });
	}
	verifying_key_from_bytes(&payload)?;
	Ok((setup, shape, payload))
}
