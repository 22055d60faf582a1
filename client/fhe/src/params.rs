//! The project's one FHE parameter set, named in one place.
//!
//! Everything that must agree between the owner, the workers and the chain (keys, ciphertexts,
//! proofs, the compact result form) derives from [`config`]; [`PARAMETER_SET_ID`] is what a
//! key set registered on chain names.

use tfhe::shortint::parameters::{
	CompactPublicKeyEncryptionParameters, PARAM_KEYSWITCH_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128,
	PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128,
	PARAM_PKE_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128,
};
use tfhe::{Config, ConfigBuilder};

/// The id of the parameter set below, as registered with a key set on chain. It changes
/// whenever anything in [`config`] or the pinned `tfhe` version does.
pub const PARAMETER_SET_ID: &str =
	"tfhe-1.8.2/2_2-ks-pbs-tuniform-2m128/pke-to-small-zkv2/crs-2048";

/// The most plaintext bits one zk-pok proof covers: 2,048 bits (512 packed 4-bit messages),
/// tfhe-rs's own choice for its fhEVM. A chunk of rows larger than this carries several
/// proofs; the CRS grows with this figure.
pub const CRS_MAX_BITS: usize = 2048;

/// The number the chain's key-set records use for [`PARAMETER_SET_ID`] (`parameter_set`).
pub const PARAMETER_SET_NUMBER: u32 = 1;

/// Bits of message per shortint block (`log2(message_modulus)`): the chain sizes results with
/// the same figure (a test checks the parameter set agrees).
pub const BITS_PER_BLOCK: u32 = tokenfactory_primitives::compute::RESULT_BITS_PER_BLOCK;

/// The computation parameters: 2 bits of message and 2 of carry per block, keyswitch then
/// bootstrap, TUniform noise, failure probability 2^-128 (tfhe-rs's default set).
pub fn compute_parameters() -> tfhe::shortint::ClassicPBSParameters {
	PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128
}

/// The compact public key's encryption parameters (proofs with zk-pok v2), keyswitched to
/// the small LWE key on expansion.
pub fn public_key_parameters() -> CompactPublicKeyEncryptionParameters {
	PARAM_PKE_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128
}

/// The full configuration: the computation parameters plus a dedicated compact public key.
/// No compression, noise-squashing or re-randomisation keys: none is used, and each would
/// add to what an owner uploads.
pub fn config() -> Config {
	ConfigBuilder::with_custom_parameters(compute_parameters())
		.use_dedicated_compact_public_key_parameters((
			public_key_parameters(),
			PARAM_KEYSWITCH_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128,
		))
		.build()
}

/// Size limits for deserialisation: comfortably above what the parameters produce, far
/// below what would exhaust a worker's memory.
pub mod limits {
	/// The client key (measured ~ 100 KB: the secret keys only).
	pub const CLIENT_KEY: u64 = 64 << 20;
	/// The compressed server key (measured in the README).
	pub const COMPRESSED_SERVER_KEY: u64 = 1 << 30;
	/// The compact public key.
	pub const PUBLIC_KEY: u64 = 64 << 20;
	/// The zk-pok CRS.
	pub const CRS: u64 = 256 << 20;
	/// One encrypted dataset chunk.
	pub const CHUNK: u64 = 64 << 20;
	/// One encoded result.
	pub const RESULT: u64 = 16 << 20;
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_chain_sizes_results_with_this_parameter_set() {
		assert_eq!(1u64 << BITS_PER_BLOCK, compute_parameters().message_modulus.0);
	}
}
