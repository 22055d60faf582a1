//! # Token Factory commitments
//!
//! The one place that defines the SNARK-friendly values the FHE engine (`client/fhe`) and the
//! ZK attestation (`client/zk`) must agree on, each native function next to its R1CS gadget twin
//! (`*_var`), so that the circuit checks exactly what the native code computes:
//!
//! - [`key_commitment`]: public per key set, commits to the small LWE secret key;
//! - [`ciphertext_digest`]: what workers agree on, the digest of a result's [`CompactResult`];
//! - [`result_commitment`]: what the owner reveals, a hiding commitment to the plaintext digits,
//!   bound to the job;
//! - [`decrypt_compact`]: the plain-integer twin of tfhe-rs's shortint decryption of a compact
//!   result, and [`decrypt_block_var`] its gadget.
//!
//! ## The hash
//!
//! Poseidon over the BLS12-381 scalar field [`Fr`], arkworks' sponge
//! (`ark_crypto_primitives::sponge::poseidon`), fixed parameters (see [`poseidon`]):
//! width 9 (rate 8, capacity 1), S-box `x^5`, 8 full rounds and 63 partial rounds (the Poseidon
//! paper's 128-bit round numbers for a 255-bit prime and width 9, as in circomlib), round
//! constants and MDS matrix from the reference Grain LFSR
//! (`find_poseidon_ark_and_mds(255, 8, 8, 63, 0)`). `H(x_1, .., x_m)` below is a fresh sponge
//! that absorbs `x_1, .., x_m` and squeezes one element. Tags are ASCII strings read as
//! little-endian integers (all shorter than 31 bytes, so they are field elements as they are).
//!
//! ## Encodings (version 1)
//!
//! **Key commitment.** The key's `n` bits are packed 254 to a field element, little-endian
//! (bit `i` of the key is bit `i % 254` of element `i / 254`):
//! `key_commitment = H("tokenfactory/key/v1", n, packed_0, .., packed_k)`.
//! The key has `n` bits of entropy (hundreds), so the commitment needs no blinding.
//!
//! **Ciphertext digest.** Every word of a [`CompactResult`] is below `2^log_modulus`;
//! `w = floor(254 / log_modulus)` words are packed to a field element, little-endian
//! (21 words of 12 bits, 252 bits). Block `i`'s words are `mask_0, .., mask_{n-1}, body`, packed
//! on their own (a block never shares an element with the next). The digest chains the blocks,
//! so a circuit can prove a result with fewer blocks than its padded shape:
//! `h_0 = H("tokenfactory/ciphertext/v1", log_modulus, lwe_dimension, message_modulus,
//! carry_modulus, block_count)`, `h_i = H(h_{i-1}, packed words of block i)`, digest `= h_B`.
//! A result that fails [`CompactResult::validate`] still has a digest, in another domain
//! (`"tokenfactory/ciphertext/raw"`, every word its own element) that no proof can open.
//!
//! **Result commitment.** The plaintext is one message digit per block, in block order:
//! `c_0 = H("tokenfactory/result/v1", job_id, blinding, digit_count)`, then per chunk of
//! [`DIGITS_PER_CHUNK`] digits (the last one padded with zeros)
//! `c_j = H(c_{j-1}, d_{7j}, .., d_{7j+6})`; the commitment is the last `c_j`. The job id is
//! inside so that a revealed result cannot be replayed for another job.
//!
//! ## Decryption (tfhe-rs 1.8 shortint, modulus-switched)
//!
//! `phase = body - <mask, key> mod 2^log_modulus`; with `delta = 2^log_modulus /
//! (2 * message_modulus * carry_modulus)` (one padding bit), the decoded value is
//! `((phase + delta / 2) mod 2^log_modulus) / delta` (tfhe's `divide_round` followed by
//! `% full_cleartext_space`), i.e. `padding | carry | message`. [`decrypt_compact`] requires
//! empty carries and padding (decoded `< message_modulus`), the only results a circuit proves.
//!
//! ## Tests
//!
//! `cargo test` in this folder (its own workspace): every native function against its gadget,
//! satisfied and tampered.

pub mod poseidon;

use ark_ff::{AdditiveGroup, BigInteger, PrimeField};
use ark_r1cs_std::{
	alloc::{AllocVar, AllocationMode},
	boolean::Boolean,
	eq::EqGadget,
	fields::{fp::FpVar, FieldVar},
	GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};

pub use ark_bls12_381::Fr;
pub use poseidon::{hash, hash_var};

/// The bits packed into one field element (`Fr` has 255 bits; 254 always fit).
pub const BITS_PER_ELEMENT: u32 = 254;

/// Digits absorbed per chain step of [`result_commitment`].
pub use tokenfactory_primitives::seal::DIGITS_PER_CHUNK;

const KEY_TAG: &[u8] = b"tokenfactory/key/v1";
const KEY_RAW_TAG: &[u8] = b"tokenfactory/key/raw";
const CIPHERTEXT_TAG: &[u8] = b"tokenfactory/ciphertext/v1";
const CIPHERTEXT_RAW_TAG: &[u8] = b"tokenfactory/ciphertext/raw";

/// One LWE ciphertext block after key switching to the small LWE key and modulus switching
/// to `2^log_modulus` (what tfhe-rs's modulus-switched compression produces).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompactBlock {
	/// The mask, one word per small-key coefficient; every word `< 2^log_modulus`.
	pub mask: Vec<u64>,
	/// The body; `< 2^log_modulus`.
	pub body: u64,
}

/// The compact, decryptable form of a result: what workers digest and the owner proves over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompactResult {
	/// log2 of the switched modulus, e.g. 12 (= log2(2N) for N = 2048).
	pub log_modulus: u32,
	/// The small LWE key's length: every mask has this many words.
	pub lwe_dimension: usize,
	/// tfhe shortint message modulus (e.g. 4).
	pub message_modulus: u64,
	/// tfhe shortint carry modulus (e.g. 4).
	pub carry_modulus: u64,
	/// The blocks, in the result layout's order.
	pub blocks: Vec<CompactBlock>,
}

/// The small LWE secret key as 0/1 words (binary key), in tfhe's order.
#[derive(Clone, PartialEq, Eq)]
pub struct LweSecretKeyBits(pub Vec<u64>);

impl core::fmt::Debug for LweSecretKeyBits {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "LweSecretKeyBits({} bits, redacted)", self.0.len())
	}
}

impl LweSecretKeyBits {
	/// Whether every word is 0 or 1.
	pub fn is_binary(&self) -> bool {
		self.0.iter().all(|bit| *bit <= 1)
	}
}

/// Why a compact result cannot be decrypted, or a value not decoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommitmentError {
	/// `log_modulus` outside `2..=32`, or moduli that are not powers of two leaving room for
	/// the padding bit and rounding.
	#[error("unsupported parameters: log_modulus {log_modulus}, message modulus {message_modulus}, carry modulus {carry_modulus}")]
	UnsupportedParameters {
		/// As given.
		log_modulus: u32,
		/// As given.
		message_modulus: u64,
		/// As given.
		carry_modulus: u64,
	},
	/// A block's mask does not have `lwe_dimension` words.
	#[error("block {block} has {found} mask words, expected {expected}")]
	MaskLength {
		/// The block's index.
		block: usize,
		/// Its mask length.
		found: usize,
		/// `lwe_dimension`.
		expected: usize,
	},
	/// A word is not below `2^log_modulus`.
	#[error("block {block} has a word {word} not below 2^log_modulus")]
	WordOutOfRange {
		/// The block's index.
		block: usize,
		/// The word.
		word: u64,
	},
	/// The key's length is not `lwe_dimension`.
	#[error("key has {found} words, expected {expected}")]
	KeyLength {
		/// The key's length.
		found: usize,
		/// `lwe_dimension`.
		expected: usize,
	},
	/// A key word is neither 0 nor 1.
	#[error("key is not binary")]
	KeyNotBinary,
	/// A block decrypts with a non-empty carry or padding bit: `decoded` is the full value
	/// (`padding | carry | message`).
	#[error("block {block} decrypts to {decoded}, which has a non-empty carry or padding bit")]
	CarryNotEmpty {
		/// The block's index.
		block: usize,
		/// The decoded value.
		decoded: u64,
	},
	/// 32 bytes that are not a canonical field element.
	#[error("not a canonical field element")]
	NotAFieldElement,
}

impl CompactResult {
	/// `delta = 2^log_modulus / (2 * message_modulus * carry_modulus)`, after checking the
	/// parameters are ones this crate (and the circuit) supports.
	///
	/// # Errors
	///
	/// [`CommitmentError::UnsupportedParameters`].
	pub fn delta(&self) -> Result<u64, CommitmentError> {
		check_parameters(self.log_modulus, self.message_modulus, self.carry_modulus)
	}

	/// Checks the parameters, every mask's length and every word's range.
	///
	/// # Errors
	///
	/// The first problem found.
	pub fn validate(&self) -> Result<(), CommitmentError> {
		self.delta()?;
		for (index, block) in self.blocks.iter().enumerate() {
			if block.mask.len() != self.lwe_dimension {
				return Err(CommitmentError::MaskLength {
					block: index,
					found: block.mask.len(),
					expected: self.lwe_dimension,
				});
			}
			if let Some(word) = block.words().find(|word| *word >> self.log_modulus != 0) {
				return Err(CommitmentError::WordOutOfRange { block: index, word });
			}
		}
		Ok(())
	}
}

impl CompactBlock {
	/// The block's words in digest order: the mask, then the body.
	pub fn words(&self) -> impl Iterator<Item = u64> + '_ {
		self.mask.iter().copied().chain(core::iter::once(self.body))
	}
}

/// Checks parameters and returns `delta`.
///
/// # Errors
///
/// [`CommitmentError::UnsupportedParameters`] unless `log_modulus` is in `2..=32`, both moduli
/// are powers of two and `delta >= 2` (room for rounding).
pub fn check_parameters(
	log_modulus: u32,
	message_modulus: u64,
	carry_modulus: u64,
) -> Result<u64, CommitmentError> {
	let unsupported =
		CommitmentError::UnsupportedParameters { log_modulus, message_modulus, carry_modulus };
	if !(2..=32).contains(&log_modulus)
		|| !message_modulus.is_power_of_two()
		|| !carry_modulus.is_power_of_two()
	{
		return Err(unsupported);
	}
	let full_space = message_modulus
		.checked_mul(carry_modulus)
		.and_then(|space| space.checked_mul(2))
		.ok_or(unsupported.clone())?;
	let delta = (1u64 << log_modulus) / full_space;
	if delta < 2 {
		return Err(unsupported);
	}
	Ok(delta)
}

/// A short ASCII tag as a field element.
use tokenfactory_primitives::seal::tag;

/// Words per packed field element for `log_modulus`-bit words.
pub fn words_per_element(log_modulus: u32) -> usize {
	(BITS_PER_ELEMENT / log_modulus.max(1)) as usize
}

/// Packs `width`-bit values little-endian, `per_element` to a field element.
fn pack(values: impl Iterator<Item = u64>, width: u32, per_element: usize) -> Vec<Fr> {
	let values: Vec<u64> = values.collect();
	values
		.chunks(per_element.max(1))
		.map(|chunk| {
			let mut bits = Vec::with_capacity(chunk.len() * width as usize);
			for value in chunk {
				bits.extend((0..width).map(|bit| (value >> bit) & 1 == 1));
			}
			Fr::from_bigint(<Fr as PrimeField>::BigInt::from_bits_le(&bits)).unwrap_or_default()
		})
		.collect()
}

/// The commitment to the small LWE secret key (see the crate doc).
///
/// A key with a word other than 0/1 is no binary key: it commits in another domain, which no
/// proof can open.
pub fn key_commitment(key: &LweSecretKeyBits) -> Fr {
	if !key.is_binary() {
		let mut input = vec![tag(KEY_RAW_TAG), Fr::from(key.0.len() as u64)];
		input.extend(key.0.iter().map(|word| Fr::from(*word)));
		return hash(&input);
	}
	let mut input = vec![tag(KEY_TAG), Fr::from(key.0.len() as u64)];
	input.extend(pack(key.0.iter().copied(), 1, BITS_PER_ELEMENT as usize));
	hash(&input)
}

fn ciphertext_header(result: &CompactResult) -> Vec<Fr> {
	vec![
		tag(CIPHERTEXT_TAG),
		Fr::from(u64::from(result.log_modulus)),
		Fr::from(result.lwe_dimension as u64),
		Fr::from(result.message_modulus),
		Fr::from(result.carry_modulus),
		Fr::from(result.blocks.len() as u64),
	]
}

/// The digest of a compact result (see the crate doc): what workers agree on.
pub fn ciphertext_digest(result: &CompactResult) -> Fr {
	if result.validate().is_err() {
		let mut input = vec![
			tag(CIPHERTEXT_RAW_TAG),
			Fr::from(u64::from(result.log_modulus)),
			Fr::from(result.lwe_dimension as u64),
			Fr::from(result.message_modulus),
			Fr::from(result.carry_modulus),
			Fr::from(result.blocks.len() as u64),
		];
		for block in &result.blocks {
			input.push(Fr::from(block.mask.len() as u64));
			input.extend(block.words().map(Fr::from));
		}
		return hash(&input);
	}
	let per_element = words_per_element(result.log_modulus);
	let mut state = hash(&ciphertext_header(result));
	for block in &result.blocks {
		let mut input = vec![state];
		input.extend(pack(block.words(), result.log_modulus, per_element));
		state = hash(&input);
	}
	state
}

/// The commitment to a job's plaintext digits (one per block, in block order) under `blinding`
/// (the runtime's implementation, with the cached parameters).
pub fn result_commitment(job_id: u64, plaintext_blocks: &[u64], blinding: &Fr) -> Fr {
	tokenfactory_primitives::seal::result_commitment(
		poseidon::config(),
		job_id,
		plaintext_blocks,
		blinding,
	)
}

/// The canonical 32-byte little-endian encoding of a field element (the runtime's).
pub use tokenfactory_primitives::seal::fr_to_bytes;

/// Reads a canonical 32-byte little-endian field element.
///
/// # Errors
///
/// [`CommitmentError::NotAFieldElement`] if the integer is not below the field's modulus.
pub fn fr_from_bytes(bytes: &[u8; 32]) -> Result<Fr, CommitmentError> {
	tokenfactory_primitives::seal::fr_from_bytes(bytes).ok_or(CommitmentError::NotAFieldElement)
}

/// The full decoded value of one block: `padding | carry | message`.
///
/// # Errors
///
/// As [`decrypt_compact`], for this block alone.
pub fn decode_block(
	result: &CompactResult,
	index: usize,
	key: &LweSecretKeyBits,
) -> Result<u64, CommitmentError> {
	let delta = result.delta()?;
	check_key(result, key)?;
	let block = result.blocks.get(index).ok_or(CommitmentError::MaskLength {
		block: index,
		found: 0,
		expected: result.lwe_dimension,
	})?;
	if block.mask.len() != result.lwe_dimension {
		return Err(CommitmentError::MaskLength {
			block: index,
			found: block.mask.len(),
			expected: result.lwe_dimension,
		});
	}
	let modulus_mask = (1u64 << result.log_modulus) - 1;
	if let Some(word) = block.words().find(|word| word & !modulus_mask != 0) {
		return Err(CommitmentError::WordOutOfRange { block: index, word });
	}
	let inner_product =
		block.mask.iter().zip(&key.0).fold(0u64, |sum, (word, bit)| sum.wrapping_add(word * bit));
	let phase = block.body.wrapping_sub(inner_product) & modulus_mask;
	// tfhe's `divide_round(phase, delta) % full_cleartext_space`, in 2^log_modulus.
	Ok((phase.wrapping_add(delta / 2) & modulus_mask) / delta)
}

fn check_key(result: &CompactResult, key: &LweSecretKeyBits) -> Result<(), CommitmentError> {
	if key.0.len() != result.lwe_dimension {
		return Err(CommitmentError::KeyLength {
			found: key.0.len(),
			expected: result.lwe_dimension,
		});
	}
	if !key.is_binary() {
		return Err(CommitmentError::KeyNotBinary);
	}
	Ok(())
}

/// Decrypts every block of a compact result to its message digit, in plain integer arithmetic
/// (the native twin of [`decrypt_block_var`] and of tfhe's shortint decryption).
///
/// # Errors
///
/// Malformed results or keys, and [`CommitmentError::CarryNotEmpty`] for a block whose carry or
/// padding bit is set (tfhe's `decrypt` would drop them; a proof cannot).
pub fn decrypt_compact(
	result: &CompactResult,
	key: &LweSecretKeyBits,
) -> Result<Vec<u64>, CommitmentError> {
	result.validate()?;
	check_key(result, key)?;
	(0..result.blocks.len())
		.map(|index| {
			let decoded = decode_block(result, index, key)?;
			if decoded < result.message_modulus {
				Ok(decoded)
			} else {
				Err(CommitmentError::CarryNotEmpty { block: index, decoded })
			}
		})
		.collect()
}

/// The parameters that fix a circuit's shape, all public constants of a circuit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CompactParameters {
	/// As in [`CompactResult`].
	pub log_modulus: u32,
	/// As in [`CompactResult`].
	pub lwe_dimension: usize,
	/// As in [`CompactResult`].
	pub message_modulus: u64,
	/// As in [`CompactResult`].
	pub carry_modulus: u64,
}

impl CompactParameters {
	/// The parameters of a result.
	pub fn of(result: &CompactResult) -> Self {
		Self {
			log_modulus: result.log_modulus,
			lwe_dimension: result.lwe_dimension,
			message_modulus: result.message_modulus,
			carry_modulus: result.carry_modulus,
		}
	}
}

/// Encrypts `digit` into one compact block in plain integer arithmetic, with the caller's
/// randomness: `body = <mask, key> + digit * delta + noise mod 2^log_modulus`.
///
/// **Insecure, for tests only**: the ZK tests use it to make ciphertexts without tfhe; real
/// ciphertexts come from the FHE engine.
///
/// # Errors
///
/// Unsupported parameters, or a mask or key of the wrong length.
pub fn encrypt_block_for_tests(
	parameters: &CompactParameters,
	key: &LweSecretKeyBits,
	digit: u64,
	mask: Vec<u64>,
	noise: i64,
) -> Result<CompactBlock, CommitmentError> {
	let delta = check_parameters(
		parameters.log_modulus,
		parameters.message_modulus,
		parameters.carry_modulus,
	)?;
	if mask.len() != parameters.lwe_dimension || key.0.len() != parameters.lwe_dimension {
		return Err(CommitmentError::KeyLength {
			found: key.0.len(),
			expected: parameters.lwe_dimension,
		});
	}
	let modulus_mask = (1u64 << parameters.log_modulus) - 1;
	let mask: Vec<u64> = mask.into_iter().map(|word| word & modulus_mask).collect();
	let inner_product =
		mask.iter().zip(&key.0).fold(0u64, |sum, (word, bit)| sum.wrapping_add(word * (bit & 1)));
	let body = inner_product.wrapping_add(digit.wrapping_mul(delta)).wrapping_add(noise as u64)
		& modulus_mask;
	Ok(CompactBlock { mask, body })
}

// ---------------------------------------------------------------------------------------------
// Gadgets.
// ---------------------------------------------------------------------------------------------

/// A word of `bits.len()` bits, allocated bit by bit (the bits are its range check).
#[derive(Clone)]
pub struct WordVar {
	/// Little-endian bits.
	pub bits: Vec<Boolean<Fr>>,
	/// `sum bits_i 2^i`, a linear combination (no constraint).
	pub value: FpVar<Fr>,
}

impl WordVar {
	/// Allocates `value` as `width` boolean-constrained bits (`width` constraints).
	///
	/// # Errors
	///
	/// Synthesis errors; a missing value in proving mode.
	pub fn new(
		cs: ConstraintSystemRef<Fr>,
		value: Option<u64>,
		width: u32,
		mode: AllocationMode,
	) -> Result<Self, SynthesisError> {
		let bits = (0..width)
			.map(|bit| {
				Boolean::new_variable(
					cs.clone(),
					|| value.map(|v| (v >> bit) & 1 == 1).ok_or(SynthesisError::AssignmentMissing),
					mode,
				)
			})
			.collect::<Result<Vec<_>, _>>()?;
		let value = linear_combination(&bits);
		Ok(Self { bits, value })
	}
}

/// `sum bits_i 2^i` as a linear combination.
fn linear_combination(bits: &[Boolean<Fr>]) -> FpVar<Fr> {
	let mut power = Fr::from(1u64);
	let mut sum = FpVar::<Fr>::zero();
	for bit in bits {
		sum += FpVar::from(bit.clone()) * power;
		power.double_in_place();
	}
	sum
}

/// Packs bit strings (words) little-endian into field elements, `per_element` words each.
fn pack_var(words: &[&[Boolean<Fr>]], per_element: usize) -> Vec<FpVar<Fr>> {
	words
		.chunks(per_element.max(1))
		.map(|chunk| {
			let bits: Vec<Boolean<Fr>> =
				chunk.iter().flat_map(|word| word.iter().cloned()).collect();
			linear_combination(&bits)
		})
		.collect()
}

/// The key's bits in a circuit (boolean-constrained).
#[derive(Clone)]
pub struct LweSecretKeyBitsVar(pub Vec<Boolean<Fr>>);

impl LweSecretKeyBitsVar {
	/// Allocates a key of `lwe_dimension` bits (`lwe_dimension` constraints).
	///
	/// # Errors
	///
	/// Synthesis errors; a missing or wrong-length key in proving mode.
	pub fn new_witness(
		cs: ConstraintSystemRef<Fr>,
		key: Option<&LweSecretKeyBits>,
		lwe_dimension: usize,
	) -> Result<Self, SynthesisError> {
		if let Some(key) = key {
			if key.0.len() != lwe_dimension {
				return Err(SynthesisError::Unsatisfiable);
			}
		}
		(0..lwe_dimension)
			.map(|index| {
				Boolean::new_witness(cs.clone(), || {
					key.map(|key| key.0[index] == 1).ok_or(SynthesisError::AssignmentMissing)
				})
			})
			.collect::<Result<Vec<_>, _>>()
			.map(Self)
	}
}

/// Gadget twin of [`key_commitment`] (for binary keys).
///
/// # Errors
///
/// Synthesis errors.
pub fn key_commitment_var(
	cs: ConstraintSystemRef<Fr>,
	key: &LweSecretKeyBitsVar,
) -> Result<FpVar<Fr>, SynthesisError> {
	let mut input =
		vec![FpVar::constant(tag(KEY_TAG)), FpVar::constant(Fr::from(key.0.len() as u64))];
	let singles: Vec<&[Boolean<Fr>]> = key.0.iter().map(core::slice::from_ref).collect();
	input.extend(pack_var(&singles, BITS_PER_ELEMENT as usize));
	hash_var(cs, &input)
}

/// One compact block in a circuit.
#[derive(Clone)]
pub struct CompactBlockVar {
	/// `lwe_dimension` words of `log_modulus` bits.
	pub mask: Vec<WordVar>,
	/// `log_modulus` bits.
	pub body: WordVar,
}

impl CompactBlockVar {
	/// Allocates a block as witness bits (`(lwe_dimension + 1) * log_modulus` constraints).
	///
	/// # Errors
	///
	/// Synthesis errors; a block of the wrong length in proving mode.
	pub fn new_witness(
		cs: ConstraintSystemRef<Fr>,
		block: Option<&CompactBlock>,
		parameters: &CompactParameters,
	) -> Result<Self, SynthesisError> {
		if let Some(block) = block {
			if block.mask.len() != parameters.lwe_dimension {
				return Err(SynthesisError::Unsatisfiable);
			}
		}
		let mask = (0..parameters.lwe_dimension)
			.map(|index| {
				WordVar::new(
					cs.clone(),
					block.map(|block| block.mask[index]),
					parameters.log_modulus,
					AllocationMode::Witness,
				)
			})
			.collect::<Result<Vec<_>, _>>()?;
		let body = WordVar::new(
			cs,
			block.map(|block| block.body),
			parameters.log_modulus,
			AllocationMode::Witness,
		)?;
		Ok(Self { mask, body })
	}

	fn words(&self) -> impl Iterator<Item = &WordVar> {
		self.mask.iter().chain(core::iter::once(&self.body))
	}
}

/// A count in `0..=max` as a one-hot vector, so that a circuit of a fixed (padded) shape can
/// select values at a count it does not know in advance.
#[derive(Clone)]
pub struct CountVar {
	/// `onehot[k]` is true iff the count is `k`.
	pub onehot: Vec<Boolean<Fr>>,
	/// The count, `sum k * onehot[k]` (a linear combination).
	pub value: FpVar<Fr>,
}

impl CountVar {
	/// Allocates `count <= max` (`max + 2` constraints).
	///
	/// # Errors
	///
	/// Synthesis errors; [`SynthesisError::Unsatisfiable`] if `count > max`.
	pub fn new_witness(
		cs: ConstraintSystemRef<Fr>,
		count: Option<usize>,
		max: usize,
	) -> Result<Self, SynthesisError> {
		if count.is_some_and(|count| count > max) {
			return Err(SynthesisError::Unsatisfiable);
		}
		let onehot = (0..=max)
			.map(|k| {
				Boolean::new_witness(cs.clone(), || {
					count.map(|count| count == k).ok_or(SynthesisError::AssignmentMissing)
				})
			})
			.collect::<Result<Vec<_>, _>>()?;
		let mut sum = FpVar::<Fr>::zero();
		let mut value = FpVar::<Fr>::zero();
		for (k, bit) in onehot.iter().enumerate() {
			sum += FpVar::from(bit.clone());
			value += FpVar::from(bit.clone()) * Fr::from(k as u64);
		}
		sum.enforce_equal(&FpVar::one())?;
		Ok(Self { onehot, value })
	}

	/// `1` if `index < count`, else `0` (a linear combination).
	pub fn is_below(&self, index: usize) -> FpVar<Fr> {
		let mut sum = FpVar::<Fr>::zero();
		for bit in self.onehot.iter().skip(index + 1) {
			sum += FpVar::from(bit.clone());
		}
		sum
	}

	/// `sum_k onehot[k] * values[group(k)]`: the value at the count's group.
	fn select(
		&self,
		values: &[FpVar<Fr>],
		group: impl Fn(usize) -> usize,
	) -> Result<FpVar<Fr>, SynthesisError> {
		let mut weights = vec![FpVar::<Fr>::zero(); values.len()];
		for (k, bit) in self.onehot.iter().enumerate() {
			let slot = weights.get_mut(group(k)).ok_or(SynthesisError::Unsatisfiable)?;
			*slot += FpVar::from(bit.clone());
		}
		let mut selected = FpVar::<Fr>::zero();
		for (weight, value) in weights.iter().zip(values) {
			selected += weight * value;
		}
		Ok(selected)
	}
}

/// Gadget twin of [`ciphertext_digest`] for a valid result of `count.value` blocks, padded to
/// `blocks.len()` (the padding blocks are not hashed).
///
/// # Errors
///
/// Synthesis errors; [`SynthesisError::Unsatisfiable`] if `count` allows more blocks than given.
pub fn ciphertext_digest_var(
	cs: ConstraintSystemRef<Fr>,
	parameters: &CompactParameters,
	count: &CountVar,
	blocks: &[CompactBlockVar],
) -> Result<FpVar<Fr>, SynthesisError> {
	if count.onehot.len() != blocks.len() + 1 {
		return Err(SynthesisError::Unsatisfiable);
	}
	let header = [
		FpVar::constant(tag(CIPHERTEXT_TAG)),
		FpVar::constant(Fr::from(u64::from(parameters.log_modulus))),
		FpVar::constant(Fr::from(parameters.lwe_dimension as u64)),
		FpVar::constant(Fr::from(parameters.message_modulus)),
		FpVar::constant(Fr::from(parameters.carry_modulus)),
		count.value.clone(),
	];
	let per_element = words_per_element(parameters.log_modulus);
	let mut states = vec![hash_var(cs.clone(), &header)?];
	for block in blocks {
		let words: Vec<&[Boolean<Fr>]> = block.words().map(|word| word.bits.as_slice()).collect();
		let mut input = vec![states[states.len() - 1].clone()];
		input.extend(pack_var(&words, per_element));
		states.push(hash_var(cs.clone(), &input)?);
	}
	count.select(&states, |k| k)
}

/// Gadget twin of [`result_commitment`] for `count.value` digits, padded to `digits.len()`;
/// it also enforces that every digit from `count` on is zero.
///
/// # Errors
///
/// Synthesis errors; [`SynthesisError::Unsatisfiable`] if `count` allows more digits than given.
pub fn result_commitment_var(
	cs: ConstraintSystemRef<Fr>,
	job_id: &FpVar<Fr>,
	digits: &[FpVar<Fr>],
	count: &CountVar,
	blinding: &FpVar<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
	if count.onehot.len() != digits.len() + 1 {
		return Err(SynthesisError::Unsatisfiable);
	}
	for (index, digit) in digits.iter().enumerate() {
		digit.mul_equals(&(FpVar::one() - count.is_below(index)), &FpVar::zero())?;
	}
	let mut states = vec![hash_var(
		cs.clone(),
		&[
			FpVar::constant(tokenfactory_primitives::seal::result_tag()),
			job_id.clone(),
			blinding.clone(),
			count.value.clone(),
		],
	)?];
	for chunk in digits.chunks(DIGITS_PER_CHUNK) {
		let mut input = vec![states[states.len() - 1].clone()];
		input.extend(chunk.iter().cloned());
		input.resize(DIGITS_PER_CHUNK + 1, FpVar::zero());
		states.push(hash_var(cs.clone(), &input)?);
	}
	count.select(&states, |k| k.div_ceil(DIGITS_PER_CHUNK))
}

/// Gadget twin of [`decrypt_compact`] for one block: allocates and returns the message digit,
/// enforcing that the block decrypts to it under `key` with an empty carry and padding bit.
///
/// With `X = body + delta/2 - <mask, key> + lwe_dimension * 2^log_modulus` (always positive:
/// every mask word is below `2^log_modulus`), it enforces
/// `X - k * 2^log_modulus = digit * delta + remainder` with `remainder < delta`,
/// `digit < message_modulus` and `k < 2^bits(lwe_dimension + 1)`, all by bits; every term is far
/// below the field's modulus, so this holds over the integers, which forces
/// `k = floor(X / 2^log_modulus)` and `digit * delta + remainder = X mod 2^log_modulus`. Cost: `lwe_dimension` products plus the bits of
/// `remainder`, `digit` and `k` (about 20).
///
/// # Errors
///
/// Synthesis errors; [`SynthesisError::Unsatisfiable`] for unsupported parameters or a key of
/// the wrong length.
pub fn decrypt_block_var(
	cs: ConstraintSystemRef<Fr>,
	parameters: &CompactParameters,
	key: &LweSecretKeyBitsVar,
	block: &CompactBlockVar,
) -> Result<FpVar<Fr>, SynthesisError> {
	let delta = check_parameters(
		parameters.log_modulus,
		parameters.message_modulus,
		parameters.carry_modulus,
	)
	.map_err(|_| SynthesisError::Unsatisfiable)?;
	if key.0.len() != parameters.lwe_dimension || block.mask.len() != parameters.lwe_dimension {
		return Err(SynthesisError::Unsatisfiable);
	}
	let modulus = 1u64 << parameters.log_modulus;
	let mut inner_product = FpVar::<Fr>::zero();
	for (word, bit) in block.mask.iter().zip(&key.0) {
		inner_product += &word.value * FpVar::from(bit.clone());
	}
	let offset =
		Fr::from(delta / 2) + Fr::from(parameters.lwe_dimension as u64) * Fr::from(modulus);
	let x = &block.body.value + offset - &inner_product;

	// The witnesses, from the values when proving.
	let values = match (x.value(), cs.is_in_setup_mode()) {
		(Ok(x), false) => {
			let x = x.into_bigint();
			let x = x.as_ref().first().copied().unwrap_or_default();
			let reduced = x % modulus;
			Some((reduced / delta, reduced % delta, x / modulus))
		}
		_ => None,
	};
	let digit_bits = parameters.message_modulus.trailing_zeros();
	let delta_bits = delta.trailing_zeros();
	let quotient_bits = u64::BITS - (parameters.lwe_dimension as u64 + 1).leading_zeros();
	let digit = WordVar::new(cs.clone(), values.map(|v| v.0), digit_bits, AllocationMode::Witness)?;
	let remainder =
		WordVar::new(cs.clone(), values.map(|v| v.1), delta_bits, AllocationMode::Witness)?;
	let quotient = WordVar::new(cs, values.map(|v| v.2), quotient_bits, AllocationMode::Witness)?;
	(digit.value.clone() * Fr::from(delta) + &remainder.value)
		.enforce_equal(&(x - quotient.value * Fr::from(modulus)))?;
	Ok(digit.value)
}

#[cfg(test)]
mod tests;
