//! The decryption proof over a real result of the FHE engine: tfhe keys, an encrypted dataset,
//! an evaluation, the compact form the workers digest, and the owner's LWE key.
//!
//! Keys are generated once and cached under the target directory (as the engine's own tests
//! do); the circuit is the production 9-block shape with the development setup.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code.

mod common;

use std::sync::OnceLock;

use tokenfactory_fhe::{
	dataset::{self, EncryptOptions, PlainDataset},
	programs::{BoundedList, CompareOp, Predicate, Program, Query},
	EvaluatedResult, OwnerKeys, Schema, Worker,
};
use tokenfactory_primitives::groth16::{verify_bytes, DecryptionStatement};
use tokenfactory_zk::{
	commitments::{fr_to_bytes, Fr, LweSecretKeyBits},
	prover::DecryptionWitness,
	reveal::{open_reveal, reveal, DEV_SETUP_SEED},
	seal::SealingSecret,
	setup::{insecure_dev_setup, verifying_key_bytes, KeyPair},
	shape::{CircuitShape, PRODUCTION_PARAMETERS},
};

struct Fixture {
	owner: OwnerKeys,
	/// A `Count where a >= 10` over four rows: gate flag and a 3-bit count, 3 blocks.
	result: EvaluatedResult,
	query: Query,
	keys: KeyPair,
}

fn fixture() -> &'static Fixture {
	static FIXTURE: OnceLock<Fixture> = OnceLock::new();
	FIXTURE.get_or_init(|| {
		let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("zk-real-tfhe-keys");
		let owner = OwnerKeys::load(&dir).unwrap_or_else(|_| {
			let keys = OwnerKeys::generate().unwrap();
			keys.save(&dir).unwrap();
			OwnerKeys::load(&dir).unwrap()
		});
		let schema = Schema::parse("a:8,b:16").unwrap();
		let plain =
			PlainDataset { schema, rows: vec![vec![3, 1], vec![10, 2], vec![200, 3], vec![11, 4]] };
		let encrypted = dataset::encrypt(
			&owner.public,
			5,
			&plain,
			&EncryptOptions { rows_per_chunk: 4, progress: false, threads: 2 },
		)
		.unwrap();
		let worker = Worker::new(&owner.public, 2).unwrap();
		let verified = worker.verify_dataset(&encrypted.descriptor(), &encrypted.chunks).unwrap();
		let query = Query {
			program: Program::Count,
			filter: BoundedList::new(vec![Predicate {
				column: 0,
				op: CompareOp::Ge,
				constant: 10,
			}])
			.unwrap(),
			min_cohort: 2,
		};
		let result = worker.evaluate(&verified, &query).unwrap();
		let keys = insecure_dev_setup(
			CircuitShape { parameters: PRODUCTION_PARAMETERS, max_blocks: 9 },
			DEV_SETUP_SEED,
		)
		.unwrap();
		Fixture { owner, result, query, keys }
	})
}

fn witness(job_id: u64) -> DecryptionWitness {
	let f = fixture();
	DecryptionWitness {
		job_id,
		key: f.owner.lwe_secret_key_bits(),
		result: f.result.compact.clone(),
		blinding: Fr::from(99u64),
	}
}

#[test]
fn the_engine_produces_a_compact_result_the_circuit_holds() {
	let f = fixture();
	assert_eq!(CircuitShape::for_result(&f.result.compact).map(|shape| shape.max_blocks), Some(9));
	assert_eq!(f.result.compact.lwe_dimension, PRODUCTION_PARAMETERS.lwe_dimension);
	// The workers' digest is the commitments crate's, over exactly this compact form.
	assert_eq!(
		f.result.digest(),
		fr_to_bytes(&tokenfactory_zk::commitments::ciphertext_digest(&f.result.compact))
	);
}

#[test]
fn the_honest_witness_over_a_real_result_satisfies_and_decrypts_to_the_plaintext_answer() {
	let f = fixture();
	let assignment = witness(7).assignment().unwrap();
	let layout = f
		.query
		.validate(
			&[
				tokenfactory_fhe::programs::ColumnWidth::U8,
				tokenfactory_fhe::programs::ColumnWidth::U16,
			],
			4,
		)
		.unwrap();
	let outputs =
		tokenfactory_fhe::compact::outputs_from_digits(&assignment.plaintext, &layout, 4).unwrap();
	// Three of four rows have a >= 10: the gate passes.
	assert_eq!(outputs, vec![1, 3]);
	assert!(common::satisfied(fixture().keys.shape, assignment));
}

mod reject {
	use super::*;

	#[test]
	fn one_ciphertext_word() {
		let mut assignment = witness(7).assignment().unwrap();
		assignment.result.blocks[0].mask[100] ^= 1;
		assert!(!common::satisfied(fixture().keys.shape, assignment));
	}

	#[test]
	fn one_result_digit() {
		let mut assignment = witness(7).assignment().unwrap();
		assignment.plaintext[1] ^= 1;
		assert!(!common::satisfied(fixture().keys.shape, assignment));
	}

	#[test]
	fn another_key() {
		let mut assignment = witness(7).assignment().unwrap();
		let LweSecretKeyBits(bits) = &mut assignment.key;
		bits[0] ^= 1;
		assert!(!common::satisfied(fixture().keys.shape, assignment));
	}

	#[test]
	fn another_blinding() {
		let mut assignment = witness(7).assignment().unwrap();
		assignment.blinding += Fr::from(1u64);
		assert!(!common::satisfied(fixture().keys.shape, assignment));
	}

	#[test]
	fn another_job_id() {
		let mut assignment = witness(7).assignment().unwrap();
		assignment.public.job_id += 1;
		assert!(!common::satisfied(fixture().keys.shape, assignment));
	}
}

#[test]
fn a_reveal_proves_seals_and_verifies_with_the_runtime_verifier() {
	let f = fixture();
	let consumer = SealingSecret::derive(b"//Eve");
	let revealed =
		reveal(7, &f.owner.lwe_secret_key_bits(), &f.result.compact, &consumer.public(), &f.keys)
			.unwrap();
	let vk = verifying_key_bytes(f.keys.verifying_key()).unwrap();
	let statement = DecryptionStatement {
		key_commitment: f.owner.key_commitment(),
		ciphertext_digest: f.result.digest(),
		result_commitment: revealed.result_commitment,
		job_id: 7,
	};
	// The runtime's verifier, over plain arkworks and over the host-call curve, agree.
	verify_bytes::<ark_bls12_381::Bls12_381>(&vk, &revealed.proof, &statement).unwrap();
	verify_bytes::<sp_crypto_ec_utils::bls12_381::Bls12_381>(&vk, &revealed.proof, &statement)
		.unwrap();
	// A wrong public input is refused.
	let mut other = statement;
	other.job_id = 8;
	assert!(verify_bytes::<ark_bls12_381::Bls12_381>(&vk, &revealed.proof, &other).is_err());
	// The consumer opens the seal and it matches the proven commitment.
	let digits = open_reveal(&consumer, 7, &revealed.result_commitment, &revealed.sealed).unwrap();
	assert_eq!(digits, revealed.digits);
	// Another consumer cannot open it.
	assert!(open_reveal(
		&SealingSecret::derive(b"//Mallory"),
		7,
		&revealed.result_commitment,
		&revealed.sealed
	)
	.is_err());
}
