//! The project's one Poseidon instance over the BLS12-381 scalar field, natively and in R1CS.
//!
//! Parameters (fixed; changing any of them changes every commitment and digest):
//! - width 9: [`RATE`] 8, [`CAPACITY`] 1;
//! - S-box `x^`[`ALPHA`] (`gcd(5, r - 1) = 1` for BLS12-381's `r`, checked by a test);
//! - [`FULL_ROUNDS`] 8, [`PARTIAL_ROUNDS`] 63: the round numbers of the Poseidon paper
//!   (Grassi et al., 2019, with its security margin) for 128-bit security, a 255-bit prime and
//!   width 9, the same as circomlib's width-9 instance;
//! - round constants and MDS matrix from the paper's Grain LFSR, via arkworks'
//!   `find_poseidon_ark_and_mds(255, 8, 8, 63, 0)`, so anyone can regenerate them.
//!
//! Cost in R1CS: 3 constraints per S-box, `(8 * 9 + 63) * 3 = 405` per permutation.

use std::sync::OnceLock;

use ark_crypto_primitives::sponge::{
	constraints::CryptographicSpongeVar,
	poseidon::{constraints::PoseidonSpongeVar, PoseidonConfig},
};
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
pub use tokenfactory_primitives::seal::poseidon::{
	ALPHA, CAPACITY, FULL_ROUNDS, PARTIAL_ROUNDS, RATE,
};

use crate::Fr;

/// The parameters, generated once per process (by the runtime's own code, so that client and
/// chain cannot drift apart).
pub fn config() -> &'static PoseidonConfig<Fr> {
	static CONFIG: OnceLock<PoseidonConfig<Fr>> = OnceLock::new();
	CONFIG.get_or_init(tokenfactory_primitives::seal::poseidon_config)
}

/// `H(inputs)`: a fresh sponge absorbs `inputs` and squeezes one element.
pub fn hash(inputs: &[Fr]) -> Fr {
	tokenfactory_primitives::seal::poseidon_hash(config(), inputs)
}

/// Gadget twin of [`hash`].
///
/// # Errors
///
/// Synthesis errors.
pub fn hash_var(
	cs: ConstraintSystemRef<Fr>,
	inputs: &[FpVar<Fr>],
) -> Result<FpVar<Fr>, SynthesisError> {
	let mut sponge = PoseidonSpongeVar::new(cs, config());
	sponge.absorb(&inputs)?;
	sponge.squeeze_field_elements(1)?.into_iter().next().ok_or(SynthesisError::Unsatisfiable)
}
