//! The development verifying keys the runtime's genesis carries (`runtime/zk/dev-b<N>.vk`) and
//! the proof its `authorize_reveal` benchmark verifies (`runtime/zk/fixture-b9.*`): both are
//! made here, and checked here against what the development setup and the verifiers say.
//!
//! Regenerate them (after a circuit change) with
//! `TOKENFACTORY_WRITE_ZK_FIXTURES=1 cargo test --workspace --test fixture -- --ignored --nocapture`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code.

mod common;

use std::path::PathBuf;

use codec::{Decode, Encode};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use tokenfactory_primitives::groth16::{verify_bytes, DecryptionStatement};
use tokenfactory_zk::{
	prove,
	prover::proof_bytes,
	reveal::DEV_SETUP_SEED,
	setup::{insecure_dev_setup, verifying_key_bytes},
	shape::{CircuitShape, PRODUCTION_BLOCK_COUNTS, PRODUCTION_PARAMETERS},
};

fn zk_dir() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../runtime/zk")
}

fn shape(max_blocks: usize) -> CircuitShape {
	CircuitShape { parameters: PRODUCTION_PARAMETERS, max_blocks }
}

fn dev_vk(max_blocks: usize) -> Vec<u8> {
	let keys = insecure_dev_setup(shape(max_blocks), DEV_SETUP_SEED).unwrap();
	verifying_key_bytes(keys.verifying_key()).unwrap()
}

/// A proof for a 9-block result under a random key, for job 3.
fn fixture_proof() -> (DecryptionStatement, Vec<u8>) {
	let keys = insecure_dev_setup(shape(9), DEV_SETUP_SEED).unwrap();
	let witness = common::witness(42, &keys.shape, &[1, 2, 3, 0, 1, 2, 3, 0, 1], 3);
	let mut rng = ChaCha20Rng::seed_from_u64(5);
	let (proof, public, _) = prove(&keys, &witness, &mut rng).unwrap();
	let bytes = tokenfactory_zk::prover::StatementBytes::from(&public);
	let statement = DecryptionStatement {
		key_commitment: bytes.key_commitment,
		ciphertext_digest: bytes.ciphertext_digest,
		result_commitment: bytes.result_commitment,
		job_id: bytes.job_id,
	};
	(statement, proof_bytes(&proof).unwrap())
}

#[test]
#[ignore = "writes runtime/zk: run with TOKENFACTORY_WRITE_ZK_FIXTURES=1 after a circuit change"]
fn write_fixtures() {
	if std::env::var("TOKENFACTORY_WRITE_ZK_FIXTURES").as_deref() != Ok("1") {
		eprintln!("set TOKENFACTORY_WRITE_ZK_FIXTURES=1 to write the fixtures");
		return;
	}
	let dir = zk_dir();
	std::fs::create_dir_all(&dir).unwrap();
	for max_blocks in PRODUCTION_BLOCK_COUNTS {
		let started = std::time::Instant::now();
		std::fs::write(dir.join(format!("dev-b{max_blocks}.vk")), dev_vk(max_blocks)).unwrap();
		println!("dev-b{max_blocks}.vk in {:.1} s", started.elapsed().as_secs_f64());
	}
	let (statement, proof) = fixture_proof();
	std::fs::write(dir.join("fixture-b9.statement"), statement.encode()).unwrap();
	std::fs::write(dir.join("fixture-b9.proof"), proof).unwrap();
}

#[test]
fn the_committed_small_verifying_keys_are_the_development_setup() {
	for max_blocks in [9, 17] {
		let committed = std::fs::read(zk_dir().join(format!("dev-b{max_blocks}.vk"))).unwrap();
		assert_eq!(
			committed,
			dev_vk(max_blocks),
			"dev-b{max_blocks}.vk is stale: regenerate the fixtures"
		);
	}
}

#[test]
#[ignore = "sets up the large circuits (minutes): run with --ignored"]
fn the_committed_large_verifying_keys_are_the_development_setup() {
	for max_blocks in [25, 33, 49, 65] {
		let committed = std::fs::read(zk_dir().join(format!("dev-b{max_blocks}.vk"))).unwrap();
		assert_eq!(committed, dev_vk(max_blocks), "dev-b{max_blocks}.vk is stale");
	}
}

#[test]
fn the_benchmark_fixture_verifies_natively_and_with_the_runtime_curve() {
	let vk = std::fs::read(zk_dir().join("dev-b9.vk")).unwrap();
	let proof = std::fs::read(zk_dir().join("fixture-b9.proof")).unwrap();
	let statement = DecryptionStatement::decode(
		&mut &std::fs::read(zk_dir().join("fixture-b9.statement")).unwrap()[..],
	)
	.unwrap();
	verify_bytes::<ark_bls12_381::Bls12_381>(&vk, &proof, &statement).unwrap();
	verify_bytes::<sp_crypto_ec_utils::bls12_381::Bls12_381>(&vk, &proof, &statement).unwrap();
	let mut other = statement;
	other.job_id += 1;
	assert!(verify_bytes::<ark_bls12_381::Bls12_381>(&vk, &proof, &other).is_err());
}
