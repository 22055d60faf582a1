//! The compact, decryptable form of a result: what workers digest and the owner proves over.
//!
//! Each result block (a shortint ciphertext under the big LWE key, fresh from a
//! bootstrap) is keyswitched to the small LWE key and modulus-switched to `2^log_modulus`
//! with the parameter set's own modulus switch (the centred-mean correction), exactly what
//! tfhe's `switch_modulus_and_compress` computes before it bit-packs the words. Both steps are
//! deterministic, so honest workers produce identical compact results.
//!
//! Decryption of a block is plain integer arithmetic (the native twin of the decryption
//! circuit): `phase = body - <mask, s> mod 2^log_modulus`, then the message digit is
//! `round(phase / delta)` with `delta = 2^log_modulus / (2 * message_modulus * carry_modulus)`
//! (one padding bit); the engine makes every carry empty before compacting.
//!
//! The plain types are `tokenfactory-commitments`'s (see `client/INTERFACE.md`), and so is the
//! plain decryption: one definition for both the engine and the circuit.

use rayon::prelude::*;
use tfhe::core_crypto::prelude::{
	keyswitch_lwe_ciphertext, CiphertextModulusLog, LweCiphertext, ModulusSwitchedLweCiphertext,
};
use tfhe::integer::{IntegerCiphertext, RadixCiphertext};
use tfhe::shortint::atomic_pattern::AtomicPatternServerKey;
use tfhe::shortint::server_key::ShortintBootstrappingKey;

use crate::error::{DecryptError, EvalError};
use crate::params::BITS_PER_BLOCK;
use crate::programs::OutputLayout;

pub use tokenfactory_commitments::{CompactBlock, CompactResult, LweSecretKeyBits};

/// The compact form of `outputs`' blocks, in order.
pub(crate) fn compact(
	server_key: &tfhe::integer::ServerKey,
	outputs: &[RadixCiphertext],
) -> Result<CompactResult, EvalError> {
	let shortint: &tfhe::shortint::ServerKey = server_key.as_ref();
	let AtomicPatternServerKey::Standard(standard) = &shortint.atomic_pattern else {
		return Err(EvalError::UnsupportedServerKey);
	};
	let ShortintBootstrappingKey::Classic { bsk, modulus_switch_noise_reduction_key } =
		&standard.bootstrapping_key
	else {
		return Err(EvalError::UnsupportedServerKey);
	};
	let log_modulus: CiphertextModulusLog =
		bsk.polynomial_size().to_blind_rotation_input_modulus_log();
	let ksk = &standard.key_switching_key;
	let blocks: Vec<&tfhe::shortint::Ciphertext> =
		outputs.iter().flat_map(|output| output.blocks().iter()).collect();
	let compact_blocks = blocks
		.par_iter()
		.map(|block| {
			let mut small = LweCiphertext::new(
				0u64,
				ksk.output_key_lwe_dimension().to_lwe_size(),
				ksk.ciphertext_modulus(),
			);
			keyswitch_lwe_ciphertext(ksk, &block.ct, &mut small);
			let switched = modulus_switch_noise_reduction_key
				.lwe_ciphertext_modulus_switch::<u64, _>(&small, log_modulus);
			CompactBlock { mask: switched.mask().collect(), body: switched.body() }
		})
		.collect();
	Ok(CompactResult {
		log_modulus: log_modulus.0 as u32,
		lwe_dimension: ksk.output_key_lwe_dimension().0,
		message_modulus: shortint.message_modulus.0,
		carry_modulus: shortint.carry_modulus.0,
		blocks: compact_blocks,
	})
}

/// The message digit of every block of `result`, decrypted with `key` in plain arithmetic
/// (`tokenfactory_commitments::decrypt_compact`, the native twin of the decryption circuit).
///
/// # Errors
///
/// [`DecryptError::Undecryptable`] for a malformed result, a key of the wrong length, or a
/// block whose carry or padding is not empty.
pub fn decrypt_digits(
	result: &CompactResult,
	key: &LweSecretKeyBits,
) -> Result<Vec<u64>, DecryptError> {
	tokenfactory_commitments::decrypt_compact(result, key).map_err(DecryptError::Undecryptable)
}

/// How many blocks an output of `bits` bits takes.
pub fn blocks_for_bits(bits: u32) -> usize {
	bits.div_ceil(BITS_PER_BLOCK) as usize
}

/// Reassembles the outputs (in layout order) from the decrypted digits of every block.
///
/// # Errors
///
/// [`DecryptError::LayoutMismatch`] if the digits are not exactly the layout's blocks.
pub fn outputs_from_digits(
	digits: &[u64],
	layout: &OutputLayout,
	message_modulus: u64,
) -> Result<Vec<u64>, DecryptError> {
	let expected: usize = layout.iter().map(|spec| blocks_for_bits(spec.bits)).sum();
	if expected != digits.len() {
		return Err(DecryptError::LayoutMismatch { expected, found: digits.len() });
	}
	let mut rest = digits;
	Ok(layout
		.iter()
		.map(|spec| {
			let (own, tail) = rest.split_at(blocks_for_bits(spec.bits));
			rest = tail;
			own.iter()
				.rev()
				.fold(0u64, |value, digit| value.wrapping_mul(message_modulus).wrapping_add(*digit))
		})
		.collect())
}

const RESULT_MAGIC: &[u8; 4] = b"TFR1";

/// The byte encoding of a compact result: a header then every word as 16-bit little-endian
/// (the format requires `log_modulus <= 16`).
pub fn encode(result: &CompactResult) -> Vec<u8> {
	let words = result.blocks.len() * (result.lwe_dimension + 1);
	let mut bytes = Vec::with_capacity(32 + 2 * words);
	bytes.extend_from_slice(RESULT_MAGIC);
	bytes.extend_from_slice(&result.log_modulus.to_le_bytes());
	bytes.extend_from_slice(&(result.lwe_dimension as u32).to_le_bytes());
	bytes.extend_from_slice(&result.message_modulus.to_le_bytes());
	bytes.extend_from_slice(&result.carry_modulus.to_le_bytes());
	bytes.extend_from_slice(&(result.blocks.len() as u32).to_le_bytes());
	for block in &result.blocks {
		for word in block.mask.iter().chain(core::iter::once(&block.body)) {
			bytes.extend_from_slice(&(*word as u16).to_le_bytes());
		}
	}
	bytes
}

/// Reads [`encode`]'s format back, checking every word is below the modulus.
///
/// # Errors
///
/// [`DecryptError::Malformed`] for a wrong header, a wrong length or a word out of range.
pub fn decode(bytes: &[u8]) -> Result<CompactResult, DecryptError> {
	let malformed = |reason: &str| DecryptError::Malformed { reason: reason.into() };
	if bytes.len() as u64 > crate::params::limits::RESULT {
		return Err(malformed("larger than the result size limit"));
	}
	let header = bytes.get(..32).ok_or_else(|| malformed("truncated header"))?;
	if &header[..4] != RESULT_MAGIC {
		return Err(malformed("not a result"));
	}
	let u32_at = |at: usize| {
		u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
	};
	let u64_at = |at: usize| {
		let mut word = [0u8; 8];
		word.copy_from_slice(&header[at..at + 8]);
		u64::from_le_bytes(word)
	};
	let log_modulus = u32_at(4);
	let lwe_dimension = u32_at(8) as usize;
	let message_modulus = u64_at(12);
	let carry_modulus = u64_at(20);
	let block_count = u32_at(28) as usize;
	if log_modulus == 0 || log_modulus > 16 {
		return Err(malformed("log modulus out of range"));
	}
	let words_per_block = lwe_dimension + 1;
	let body = &bytes[32..];
	if body.len() != block_count.saturating_mul(words_per_block).saturating_mul(2) {
		return Err(malformed("length does not match the header"));
	}
	let bound = 1u64 << log_modulus;
	let mut blocks = Vec::with_capacity(block_count);
	for chunk in body.chunks_exact(2 * words_per_block) {
		let mut words: Vec<u64> =
			chunk.chunks_exact(2).map(|w| u64::from(u16::from_le_bytes([w[0], w[1]]))).collect();
		if words.iter().any(|word| *word >= bound) {
			return Err(malformed("a word exceeds the modulus"));
		}
		let body = words.pop().ok_or_else(|| malformed("empty block"))?;
		blocks.push(CompactBlock { mask: words, body });
	}
	Ok(CompactResult { log_modulus, lwe_dimension, message_modulus, carry_modulus, blocks })
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::programs::{OutputRole, OutputSpec};

	fn sample() -> CompactResult {
		CompactResult {
			log_modulus: 12,
			lwe_dimension: 3,
			message_modulus: 4,
			carry_modulus: 4,
			blocks: vec![
				CompactBlock { mask: vec![1, 4095, 7], body: 9 },
				CompactBlock { mask: vec![0, 2, 3], body: 4000 },
			],
		}
	}

	#[test]
	fn encoding_round_trips() {
		assert_eq!(decode(&encode(&sample())).unwrap(), sample());
	}

	#[test]
	fn decoding_rejects_truncation_and_words_out_of_range() {
		let bytes = encode(&sample());
		assert!(matches!(decode(&bytes[..bytes.len() - 1]), Err(DecryptError::Malformed { .. })));
		let mut result = sample();
		result.blocks[0].body = 4096;
		assert!(matches!(decode(&encode(&result)), Err(DecryptError::Malformed { .. })));
	}

	#[test]
	fn outputs_reassemble_little_endian_digits_in_layout_order() {
		let layout = vec![
			OutputSpec { role: OutputRole::GateFlag, bits: 1 },
			OutputSpec { role: OutputRole::Count, bits: 5 },
		];
		// Count 0b10_01_11 = 39 in three 2-bit digits, least significant first.
		assert_eq!(outputs_from_digits(&[1, 3, 1, 2], &layout, 4).unwrap(), vec![1, 39]);
		assert!(matches!(
			outputs_from_digits(&[1, 3], &layout, 4),
			Err(DecryptError::LayoutMismatch { expected: 4, found: 2 })
		));
	}
}
