//! The decryption circuit.
//!
//! Public inputs, in this order (the on-chain `DecryptionStatement::public_inputs`):
//! 1. the key commitment, 2. the ciphertext digest, 3. the result commitment, 4. the job id.
//!
//! Witness: the small LWE key's bits, the compact result (padded with all-zero blocks to the
//! shape), the plaintext digits, the blinding.
//!
//! It proves: the key opens the key commitment; the result's first `count` blocks hash to the
//! digest; every block decrypts under the key (tfhe's encoding: padding bit, carry, message,
//! rounding) to its plaintext digit with an empty carry and padding bit; the digits from `count`
//! on are zero; the result commitment opens to the `count` digits, the job id and the blinding.
//!
//! Cost (production parameters, n = 918, 12-bit words): per block `919 * 12` bits for the range
//! checks, `918` key products, about 20 for decoding and 6 Poseidon permutations (405 each) for
//! the digest: about 14.4k constraints a block.

use ark_r1cs_std::{alloc::AllocVar, eq::EqGadget, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use tokenfactory_commitments::{
	ciphertext_digest_var, decrypt_block_var, key_commitment_var, result_commitment_var,
	CompactBlock, CompactBlockVar, CompactResult, CountVar, Fr, LweSecretKeyBits,
	LweSecretKeyBitsVar,
};

use crate::shape::CircuitShape;

/// The public inputs, as field elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicInputs {
	/// Opens to the key.
	pub key_commitment: Fr,
	/// Of the result's compact form.
	pub ciphertext_digest: Fr,
	/// Opens to the digits, the job id and the blinding.
	pub result_commitment: Fr,
	/// The job.
	pub job_id: u64,
}

impl PublicInputs {
	/// In the circuit's order.
	pub fn to_vec(&self) -> Vec<Fr> {
		vec![
			self.key_commitment,
			self.ciphertext_digest,
			self.result_commitment,
			Fr::from(self.job_id),
		]
	}
}

/// The values a prover knows.
#[derive(Clone, Debug)]
pub struct Assignment {
	/// The statement.
	pub public: PublicInputs,
	/// The small LWE key.
	pub key: LweSecretKeyBits,
	/// The (unpadded) compact result.
	pub result: CompactResult,
	/// One digit per block of `result`.
	pub plaintext: Vec<u64>,
	/// The result commitment's blinding.
	pub blinding: Fr,
}

/// The circuit: a shape, and for proving an assignment (none for setup).
#[derive(Clone, Debug)]
pub struct DecryptionCircuit {
	/// The shape (constants).
	pub shape: CircuitShape,
	/// The assignment; `None` when generating keys.
	pub assignment: Option<Assignment>,
}

impl DecryptionCircuit {
	/// The circuit without values, for setup.
	pub fn blank(shape: CircuitShape) -> Self {
		Self { shape, assignment: None }
	}
}

impl ConstraintSynthesizer<Fr> for DecryptionCircuit {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let shape = self.shape;
		let parameters = &shape.parameters;
		let assignment = self.assignment.as_ref();
		if let Some(assignment) = assignment {
			if !shape.holds(&assignment.result) || assignment.plaintext.len() > shape.max_blocks {
				return Err(SynthesisError::Unsatisfiable);
			}
		}
		let public = assignment.map(|a| a.public);

		// Public inputs, in the order of `PublicInputs::to_vec`.
		let key_commitment = FpVar::new_input(cs.clone(), || {
			public.map(|p| p.key_commitment).ok_or(SynthesisError::AssignmentMissing)
		})?;
		let ciphertext_digest = FpVar::new_input(cs.clone(), || {
			public.map(|p| p.ciphertext_digest).ok_or(SynthesisError::AssignmentMissing)
		})?;
		let result_commitment = FpVar::new_input(cs.clone(), || {
			public.map(|p| p.result_commitment).ok_or(SynthesisError::AssignmentMissing)
		})?;
		let job_id = FpVar::new_input(cs.clone(), || {
			public.map(|p| Fr::from(p.job_id)).ok_or(SynthesisError::AssignmentMissing)
		})?;

		// Witness: the key.
		let key = LweSecretKeyBitsVar::new_witness(
			cs.clone(),
			assignment.map(|a| &a.key),
			parameters.lwe_dimension,
		)?;
		// Witness: the result, padded with all-zero blocks.
		let zero_block = CompactBlock { mask: vec![0; parameters.lwe_dimension], body: 0 };
		let count = CountVar::new_witness(
			cs.clone(),
			assignment.map(|a| a.result.blocks.len()),
			shape.max_blocks,
		)?;
		let blocks = (0..shape.max_blocks)
			.map(|index| {
				let block = assignment.map(|a| a.result.blocks.get(index).unwrap_or(&zero_block));
				CompactBlockVar::new_witness(cs.clone(), block, parameters)
			})
			.collect::<Result<Vec<_>, _>>()?;
		// Witness: the plaintext digits (zero beyond the result) and the blinding.
		let plaintext = (0..shape.max_blocks)
			.map(|index| {
				FpVar::new_witness(cs.clone(), || {
					assignment
						.map(|a| Fr::from(a.plaintext.get(index).copied().unwrap_or(0)))
						.ok_or(SynthesisError::AssignmentMissing)
				})
			})
			.collect::<Result<Vec<_>, _>>()?;
		let blinding = FpVar::new_witness(cs.clone(), || {
			assignment.map(|a| a.blinding).ok_or(SynthesisError::AssignmentMissing)
		})?;

		// The key opens the key commitment.
		key_commitment_var(cs.clone(), &key)?.enforce_equal(&key_commitment)?;
		// The result's first `count` blocks hash to the digest.
		ciphertext_digest_var(cs.clone(), parameters, &count, &blocks)?
			.enforce_equal(&ciphertext_digest)?;
		// Every block decrypts to its digit, with empty carries.
		for (block, digit) in blocks.iter().zip(&plaintext) {
			decrypt_block_var(cs.clone(), parameters, &key, block)?.enforce_equal(digit)?;
		}
		// The commitment opens to the digits (zero from `count` on), the job and the blinding.
		result_commitment_var(cs, &job_id, &plaintext, &count, &blinding)?
			.enforce_equal(&result_commitment)?;
		Ok(())
	}
}
