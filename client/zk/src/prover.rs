//! Proving and native verification.

use ark_groth16::{Groth16, Proof, VerifyingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use ark_snark::SNARK;
use tokenfactory_commitments::{
	ciphertext_digest, decrypt_compact, fr_to_bytes, key_commitment, result_commitment,
	CompactResult, Fr, LweSecretKeyBits,
};

use crate::{
	circuit::{Assignment, DecryptionCircuit, PublicInputs},
	setup::KeyPair,
	Bls12_381, ZkError,
};

/// The compressed proof length on BLS12-381.
pub const PROOF_BYTES: usize = 192;

/// What the owner knows for one reveal.
#[derive(Clone, Debug)]
pub struct DecryptionWitness {
	/// The job.
	pub job_id: u64,
	/// The small LWE key.
	pub key: LweSecretKeyBits,
	/// The agreed result's compact form.
	pub result: CompactResult,
	/// The result commitment's blinding (fresh and random per reveal).
	pub blinding: Fr,
}

impl DecryptionWitness {
	/// Decrypts the result and computes the statement, checking the witness is honest.
	///
	/// # Errors
	///
	/// A malformed result or key, or a block with a non-empty carry.
	pub fn assignment(&self) -> Result<Assignment, ZkError> {
		let plaintext = decrypt_compact(&self.result, &self.key)?;
		let public = PublicInputs {
			key_commitment: key_commitment(&self.key),
			ciphertext_digest: ciphertext_digest(&self.result),
			result_commitment: result_commitment(self.job_id, &plaintext, &self.blinding),
			job_id: self.job_id,
		};
		Ok(Assignment {
			public,
			key: self.key.clone(),
			result: self.result.clone(),
			plaintext,
			blinding: self.blinding,
		})
	}
}

/// The statement in the on-chain byte form (`tokenfactory_primitives::groth16::DecryptionStatement`
/// has the same fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatementBytes {
	/// `fr_to_bytes(key_commitment)`.
	pub key_commitment: [u8; 32],
	/// `fr_to_bytes(ciphertext_digest)`.
	pub ciphertext_digest: [u8; 32],
	/// `fr_to_bytes(result_commitment)`.
	pub result_commitment: [u8; 32],
	/// The job.
	pub job_id: u64,
}

impl From<&PublicInputs> for StatementBytes {
	fn from(public: &PublicInputs) -> Self {
		Self {
			key_commitment: fr_to_bytes(&public.key_commitment),
			ciphertext_digest: fr_to_bytes(&public.ciphertext_digest),
			result_commitment: fr_to_bytes(&public.result_commitment),
			job_id: public.job_id,
		}
	}
}

/// Proves `witness` with `keys`; returns the proof, the public inputs and the plaintext digits.
///
/// # Errors
///
/// [`ZkError::NoShape`] if the keys' shape cannot hold the result; witness and synthesis errors.
pub fn prove<R: ark_std::rand::RngCore + ark_std::rand::CryptoRng>(
	keys: &KeyPair,
	witness: &DecryptionWitness,
	rng: &mut R,
) -> Result<(Proof<Bls12_381>, PublicInputs, Vec<u64>), ZkError> {
	if !keys.shape.holds(&witness.result) {
		return Err(ZkError::NoShape { blocks: witness.result.blocks.len() });
	}
	let assignment = witness.assignment()?;
	let public = assignment.public;
	let plaintext = assignment.plaintext.clone();
	let circuit = DecryptionCircuit { shape: keys.shape, assignment: Some(assignment) };
	let proof = Groth16::<Bls12_381>::prove(&keys.proving_key, circuit, rng)?;
	Ok((proof, public, plaintext))
}

/// Verifies natively with arkworks (the on-chain verifier is `tokenfactory_primitives::groth16`).
///
/// # Errors
///
/// Synthesis errors from arkworks; `Ok(false)` for a proof that does not verify.
pub fn verify(
	vk: &VerifyingKey<Bls12_381>,
	proof: &Proof<Bls12_381>,
	public: &PublicInputs,
) -> Result<bool, ZkError> {
	Ok(Groth16::<Bls12_381>::verify(vk, &public.to_vec(), proof)?)
}

/// The on-chain proof bytes (compressed, [`PROOF_BYTES`] long).
///
/// # Errors
///
/// Serialization errors.
pub fn proof_bytes(proof: &Proof<Bls12_381>) -> Result<Vec<u8>, ZkError> {
	let mut bytes = Vec::with_capacity(PROOF_BYTES);
	proof.serialize_compressed(&mut bytes)?;
	Ok(bytes)
}

/// Reads on-chain proof bytes, checking the points.
///
/// # Errors
///
/// [`ZkError::Malformed`] for a wrong length; serialization errors.
pub fn proof_from_bytes(bytes: &[u8]) -> Result<Proof<Bls12_381>, ZkError> {
	if bytes.len() != PROOF_BYTES {
		return Err(ZkError::Malformed { what: "proof", reason: "wrong length".into() });
	}
	Ok(Proof::deserialize_with_mode(bytes, Compress::Yes, Validate::Yes)?)
}
