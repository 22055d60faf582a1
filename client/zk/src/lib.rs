//! # Token Factory ZK attestation
//!
//! A Groth16 proof (BLS12-381) that a revealed result is the correct decryption of the agreed
//! result ciphertext under the registered key (`../shared/DESIGN.md` §3 steps 7–8, issue 4).
//!
//! - [`circuit`]: the statement as a [`ConstraintSynthesizer`](ark_relations::gr1cs::ConstraintSynthesizer);
//!   its gadgets live beside their native twins in `tokenfactory-commitments`.
//! - [`shape`]: the small fixed set of circuit shapes (result sizes, padded), one key pair each.
//! - [`setup`]: key generation (the development setup is deterministic and **insecure**) and
//!   versioned, size-checked key files.
//! - [`prover`]: witness checks, proving, and native verification;
//! - [`reveal`]: the owner's reveal (decrypt, prove, seal) and the consumer's check of it;
//! - [`seal`]: sealing the plaintext to the consumer's X25519 key.
//!
//! The verifier that runs on chain is `tokenfactory_primitives::groth16` (no_std); the proofs and
//! verifying keys made here are in its byte format ([`setup::verifying_key_bytes`],
//! [`prover::proof_bytes`]).
//!
//! Tests: `cargo test --workspace` from the repository root runs them with the rest (about 3
//! minutes of them on 2 cores). Figures: `cargo test --workspace --test figures -- --ignored
//! --nocapture` (see `docs/benchmarks.md`).

pub mod circuit;
pub mod prover;
pub mod reveal;
pub mod seal;
pub mod setup;
pub mod shape;

pub use ark_bls12_381::{Bls12_381, Fr};
pub use circuit::DecryptionCircuit;
pub use prover::{prove, verify, DecryptionWitness};
pub use shape::CircuitShape;
pub use tokenfactory_commitments as commitments;

/// Everything that can go wrong here.
#[derive(Debug, thiserror::Error)]
pub enum ZkError {
	/// The witness is not an honest one (the message says which part).
	#[error("invalid witness: {0}")]
	InvalidWitness(String),
	/// The result has more blocks than any shape, or parameters no shape has.
	#[error("no circuit shape for {blocks} blocks with these parameters")]
	NoShape {
		/// The result's block count.
		blocks: usize,
	},
	/// A key file or proof that is not in the expected format.
	#[error("malformed {what}: {reason}")]
	Malformed {
		/// What was being read.
		what: &'static str,
		/// Why it was rejected.
		reason: String,
	},
	/// An arkworks synthesis error.
	#[error("synthesis: {0}")]
	Synthesis(#[from] ark_relations::gr1cs::SynthesisError),
	/// An arkworks (de)serialization error.
	#[error("serialization: {0}")]
	Serialization(#[from] ark_serialize::SerializationError),
	/// A commitment-crate error (malformed result or key).
	#[error(transparent)]
	Commitment(#[from] tokenfactory_commitments::CommitmentError),
	/// I/O.
	#[error(transparent)]
	Io(#[from] std::io::Error),
}
