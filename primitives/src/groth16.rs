//! Groth16 verification of decryption proofs.
//!
//! The owner of a dataset proves that a revealed result is the correct decryption of the agreed
//! result ciphertext (`client/zk`). This module is the statement's public-input type and a
//! Groth16 verifier generic over the pairing engine, so that the runtime can use
//! `sp_crypto_ec_utils::bls12_381::Bls12_381` (host calls) and native code plain
//! `ark_bls12_381::Bls12_381`; both are arkworks 0.6 curves.
//!
//! Byte formats (what is stored on chain and sent in extrinsics):
//! - a verifying key is [`VERIFYING_KEY_FORMAT_VERSION`] followed by arkworks' compressed
//!   serialization of `ark_groth16::VerifyingKey` (`alpha_g1, beta_g2, gamma_g2, delta_g2`,
//!   then `gamma_abc_g1` as a `u64` little-endian length and its points); 585 bytes on
//!   BLS12-381;
//! - a proof is arkworks' compressed serialization of `ark_groth16::Proof` (`a, b, c`); 192 bytes
//!   on BLS12-381;
//! - the public inputs are [`DecryptionStatement::public_inputs`], in that order.
//!
//! Every point is checked to be on the curve and in the prime-order subgroup. Malformed bytes are
//! an [`Groth16Error`], never a panic.

use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{PrimeField, Zero};
use ark_serialize::{CanonicalDeserialize, Compress, Validate};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The version byte that opens every serialized verifying key.
pub const VERIFYING_KEY_FORMAT_VERSION: u8 = 1;

/// The number of public inputs of the decryption statement.
pub const NUM_PUBLIC_INPUTS: usize = 4;

/// What a decryption proof proves, as it is stored on chain.
///
/// The three commitments are BLS12-381 scalar-field elements in their canonical 32-byte
/// little-endian encoding (`tokenfactory_commitments::fr_to_bytes`).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct DecryptionStatement {
	/// The commitment to the dataset key set's LWE secret key.
	pub key_commitment: [u8; 32],
	/// The digest of the agreed result ciphertext (its compact form).
	pub ciphertext_digest: [u8; 32],
	/// The commitment to the plaintext result, bound to `job_id`.
	pub result_commitment: [u8; 32],
	/// The job the result is for.
	pub job_id: u64,
}

impl DecryptionStatement {
	/// The statement as the circuit's public inputs, in the circuit's order.
	///
	/// # Errors
	///
	/// [`Groth16Error::MalformedPublicInput`] if a commitment is not a canonical field element.
	pub fn public_inputs<F: PrimeField>(&self) -> Result<[F; NUM_PUBLIC_INPUTS], Groth16Error> {
		Ok([
			field_from_bytes(&self.key_commitment)?,
			field_from_bytes(&self.ciphertext_digest)?,
			field_from_bytes(&self.result_commitment)?,
			F::from(self.job_id),
		])
	}
}

fn field_from_bytes<F: PrimeField>(bytes: &[u8; 32]) -> Result<F, Groth16Error> {
	let mut reader: &[u8] = bytes;
	let value = F::deserialize_with_mode(&mut reader, Compress::Yes, Validate::Yes)
		.map_err(|_| Groth16Error::MalformedPublicInput)?;
	if reader.is_empty() {
		Ok(value)
	} else {
		Err(Groth16Error::MalformedPublicInput)
	}
}

/// Why a proof was not accepted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Groth16Error {
	/// The verifying key does not start with [`VERIFYING_KEY_FORMAT_VERSION`].
	UnsupportedVerifyingKeyVersion,
	/// The verifying key's bytes are not a valid key for [`NUM_PUBLIC_INPUTS`] inputs.
	MalformedVerifyingKey,
	/// The proof's bytes are not three valid curve points.
	MalformedProof,
	/// A public input is not a canonical field element.
	MalformedPublicInput,
	/// The proof is well-formed but does not prove the statement.
	InvalidProof,
}

/// A Groth16 verifying key for the decryption statement.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VerifyingKey<E: Pairing> {
	/// `[alpha]_1`.
	pub alpha_g1: E::G1Affine,
	/// `[beta]_2`.
	pub beta_g2: E::G2Affine,
	/// `[gamma]_2`.
	pub gamma_g2: E::G2Affine,
	/// `[delta]_2`.
	pub delta_g2: E::G2Affine,
	/// The public-input bases: the constant one first, then one per public input.
	pub gamma_abc_g1: [E::G1Affine; NUM_PUBLIC_INPUTS + 1],
}

impl<E: Pairing> VerifyingKey<E> {
	/// Reads a verifying key in the versioned format described in the module doc.
	///
	/// # Errors
	///
	/// [`Groth16Error::UnsupportedVerifyingKeyVersion`] for another version byte,
	/// [`Groth16Error::MalformedVerifyingKey`] for anything else that is not a valid key for
	/// [`NUM_PUBLIC_INPUTS`] public inputs with nothing after it.
	pub fn decode(bytes: &[u8]) -> Result<Self, Groth16Error> {
		let (version, mut reader) =
			bytes.split_first().ok_or(Groth16Error::MalformedVerifyingKey)?;
		if *version != VERIFYING_KEY_FORMAT_VERSION {
			return Err(Groth16Error::UnsupportedVerifyingKeyVersion);
		}
		let malformed = |_| Groth16Error::MalformedVerifyingKey;
		let alpha_g1 = read(&mut reader).map_err(malformed)?;
		let beta_g2 = read(&mut reader).map_err(malformed)?;
		let gamma_g2 = read(&mut reader).map_err(malformed)?;
		let delta_g2 = read(&mut reader).map_err(malformed)?;
		// The length prefix is read by hand: arkworks' `Vec` decoding would allocate whatever
		// length the bytes claim.
		let length: u64 = read(&mut reader).map_err(malformed)?;
		if length != (NUM_PUBLIC_INPUTS + 1) as u64 {
			return Err(Groth16Error::MalformedVerifyingKey);
		}
		let mut gamma_abc_g1 = [E::G1Affine::zero(); NUM_PUBLIC_INPUTS + 1];
		for base in gamma_abc_g1.iter_mut() {
			*base = read(&mut reader).map_err(malformed)?;
		}
		if !reader.is_empty() {
			return Err(Groth16Error::MalformedVerifyingKey);
		}
		Ok(Self { alpha_g1, beta_g2, gamma_g2, delta_g2, gamma_abc_g1 })
	}
}

/// A Groth16 proof.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Proof<E: Pairing> {
	/// `[A]_1`.
	pub a: E::G1Affine,
	/// `[B]_2`.
	pub b: E::G2Affine,
	/// `[C]_1`.
	pub c: E::G1Affine,
}

impl<E: Pairing> Proof<E> {
	/// Reads a compressed proof.
	///
	/// # Errors
	///
	/// [`Groth16Error::MalformedProof`] unless the bytes are exactly three valid points.
	pub fn decode(bytes: &[u8]) -> Result<Self, Groth16Error> {
		let mut reader = bytes;
		let malformed = |_| Groth16Error::MalformedProof;
		let a = read(&mut reader).map_err(malformed)?;
		let b = read(&mut reader).map_err(malformed)?;
		let c = read(&mut reader).map_err(malformed)?;
		if !reader.is_empty() {
			return Err(Groth16Error::MalformedProof);
		}
		Ok(Self { a, b, c })
	}
}

fn read<T: CanonicalDeserialize>(
	reader: &mut &[u8],
) -> Result<T, ark_serialize::SerializationError> {
	T::deserialize_with_mode(reader, Compress::Yes, Validate::Yes)
}

/// Checks `proof` for `public_inputs` under `vk`:
/// `e(A, B) = e(alpha, beta) · e(sum_i x_i gamma_abc_i, gamma) · e(C, delta)`.
///
/// # Errors
///
/// [`Groth16Error::InvalidProof`] if the equation does not hold.
pub fn verify_with_inputs<E: Pairing>(
	vk: &VerifyingKey<E>,
	proof: &Proof<E>,
	public_inputs: &[E::ScalarField; NUM_PUBLIC_INPUTS],
) -> Result<(), Groth16Error> {
	let mut prepared_inputs = vk.gamma_abc_g1[0].into_group();
	for (input, base) in public_inputs.iter().zip(vk.gamma_abc_g1.iter().skip(1)) {
		prepared_inputs += base.mul_bigint(input.into_bigint());
	}
	let miller_loop = E::multi_miller_loop(
		[
			E::G1Prepared::from(proof.a),
			E::G1Prepared::from((-prepared_inputs).into_affine()),
			E::G1Prepared::from(-proof.c.into_group()),
			E::G1Prepared::from(-vk.alpha_g1.into_group()),
		],
		[
			E::G2Prepared::from(proof.b),
			E::G2Prepared::from(vk.gamma_g2),
			E::G2Prepared::from(vk.delta_g2),
			E::G2Prepared::from(vk.beta_g2),
		],
	);
	match E::final_exponentiation(miller_loop) {
		Some(product) if product.is_zero() => Ok(()),
		_ => Err(Groth16Error::InvalidProof),
	}
}

/// Checks `proof` for `statement` under `vk`.
///
/// # Errors
///
/// [`Groth16Error::MalformedPublicInput`] or [`Groth16Error::InvalidProof`].
pub fn verify<E: Pairing>(
	vk: &VerifyingKey<E>,
	proof: &Proof<E>,
	statement: &DecryptionStatement,
) -> Result<(), Groth16Error> {
	verify_with_inputs(vk, proof, &statement.public_inputs()?)
}

/// Decodes a verifying key and a proof, then checks the proof for `statement`.
///
/// # Errors
///
/// Any [`Groth16Error`]: malformed bytes are reported before any pairing is computed.
pub fn verify_bytes<E: Pairing>(
	verifying_key: &[u8],
	proof: &[u8],
	statement: &DecryptionStatement,
) -> Result<(), Groth16Error> {
	let vk = VerifyingKey::<E>::decode(verifying_key)?;
	let proof = Proof::<E>::decode(proof)?;
	verify(&vk, &proof, statement)
}
