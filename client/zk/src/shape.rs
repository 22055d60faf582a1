//! Circuit shapes: a circuit is fixed by the compact parameters and a (padded) block count.
//!
//! Every program output is whole integers of 8 or 16 blocks (16- or 32-bit, 2 bits a block) plus
//! the one-block gate flag, so the production shapes are `8k + 1` blocks: `Count` fits 9 or 17,
//! `Mean` over 16-bit data (a 32-bit sum, a 16-bit count, the flag) exactly 25, a `Mean` with a
//! 32-bit count 33. A result is proven with the smallest shape that holds it; the padding blocks
//! are all-zero, not hashed into the digest, and decrypt to zero digits.

use tokenfactory_commitments::{CompactParameters, CompactResult};

/// The compact parameters of the project's tfhe parameter set
/// (`V1_8_PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128`: small LWE dimension 918, N = 2048,
/// switched to `2N = 2^12`).
pub const PRODUCTION_PARAMETERS: CompactParameters =
	CompactParameters { log_modulus: 12, lwe_dimension: 918, message_modulus: 4, carry_modulus: 4 };

/// The padded block counts of the production shapes.
pub const PRODUCTION_BLOCK_COUNTS: [usize; 6] = [9, 17, 25, 33, 49, 65];

/// A circuit shape: one proving key and one verifying key each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CircuitShape {
	/// The compact parameters (constants of the circuit).
	pub parameters: CompactParameters,
	/// The padded number of blocks.
	pub max_blocks: usize,
}

impl CircuitShape {
	/// The production shapes, smallest first.
	pub fn production() -> impl Iterator<Item = CircuitShape> {
		PRODUCTION_BLOCK_COUNTS
			.into_iter()
			.map(|max_blocks| CircuitShape { parameters: PRODUCTION_PARAMETERS, max_blocks })
	}

	/// The smallest production shape for `result`.
	pub fn for_result(result: &CompactResult) -> Option<CircuitShape> {
		Self::production().find(|shape| shape.holds(result))
	}

	/// Whether this shape can prove `result`.
	pub fn holds(&self, result: &CompactResult) -> bool {
		CompactParameters::of(result) == self.parameters && result.blocks.len() <= self.max_blocks
	}

	/// A short name, e.g. `n918-q12-m4-c4-b25`.
	pub fn name(&self) -> String {
		format!(
			"n{}-q{}-m{}-c{}-b{}",
			self.parameters.lwe_dimension,
			self.parameters.log_modulus,
			self.parameters.message_modulus,
			self.parameters.carry_modulus,
			self.max_blocks
		)
	}
}
