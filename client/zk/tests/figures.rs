//! Printed figures for docs/benchmarks.md (ignored by default: minutes of work).
//!
//! `cargo test --test figures -- --ignored --nocapture` (the dev profile is optimized; run the
//! test binary under `/usr/bin/time -v` for the peak RSS). `TF_ZK_BLOCKS` picks the production shape (default 25: a `Mean` over 16-bit
//! data) and `TF_ZK_RESULT_BLOCKS` how many of its blocks the result fills (default all).
#![allow(clippy::unwrap_used)] // Test helpers outside `#[test]` functions too.

mod common;

use std::time::Instant;

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, SynthesisMode};
use ark_serialize::CanonicalSerialize;
use ark_std::rand::SeedableRng;
use common::witness;
use rand_chacha::ChaCha20Rng;
use tokenfactory_primitives::groth16::{self as chain, DecryptionStatement};
use tokenfactory_zk::{
	prover::{proof_bytes, StatementBytes},
	setup::{insecure_dev_setup, read_proving_key, verifying_key_bytes, write_proving_key},
	shape::PRODUCTION_PARAMETERS,
	Bls12_381, CircuitShape, DecryptionCircuit, Fr,
};

fn rayon_threads() -> usize {
	std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

fn env(name: &str, default: usize) -> usize {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// This process's user + system CPU seconds (Linux `/proc/self/stat`, 100 ticks a second).
fn cpu_seconds() -> f64 {
	let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
	let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
	let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
	(ticks(11) + ticks(12)) / 100.0
}

fn constraints(shape: CircuitShape) -> usize {
	let cs = ConstraintSystem::<Fr>::new_ref();
	cs.set_mode(SynthesisMode::Setup);
	DecryptionCircuit::blank(shape).generate_constraints(cs.clone()).unwrap();
	cs.num_constraints()
}

#[test]
#[ignore]
fn production_shape_figures() {
	let blocks = env("TF_ZK_BLOCKS", 25);
	let used = env("TF_ZK_RESULT_BLOCKS", blocks);
	let shape = CircuitShape { parameters: PRODUCTION_PARAMETERS, max_blocks: blocks };
	let total = constraints(shape);
	let one = constraints(CircuitShape { max_blocks: 1, ..shape });
	let two = constraints(CircuitShape { max_blocks: 2, ..shape });
	println!(
		"shape {}: {total} constraints; {} per block; {} fixed",
		shape.name(),
		two - one,
		one - (two - one)
	);

	// `TF_ZK_PROVING_KEY=path` keeps the proving key between runs (written if absent).
	let saved = std::env::var("TF_ZK_PROVING_KEY").ok();
	let keys = match saved.as_ref().and_then(|path| std::fs::File::open(path).ok()) {
		Some(file) => {
			let started = Instant::now();
			let keys = read_proving_key(&mut std::io::BufReader::new(file)).unwrap();
			assert_eq!(keys.shape, shape);
			println!("proving key read in {:.1} s", started.elapsed().as_secs_f64());
			keys
		}
		None => {
			let (started, cpu) = (Instant::now(), cpu_seconds());
			let keys = insecure_dev_setup(shape, 1).unwrap();
			println!(
				"setup: {:.1} s wall, {:.1} s CPU",
				started.elapsed().as_secs_f64(),
				cpu_seconds() - cpu
			);
			if let Some(path) = &saved {
				let file = std::fs::File::create(path).unwrap();
				write_proving_key(&keys, &mut std::io::BufWriter::new(file)).unwrap();
			}
			keys
		}
	};
	println!(
		"proving key: {} bytes compressed, {} uncompressed; verifying key {} bytes on chain",
		keys.proving_key.compressed_size(),
		keys.proving_key.uncompressed_size(),
		verifying_key_bytes(keys.verifying_key()).unwrap().len()
	);

	let digits: Vec<u64> = (0..used as u64).map(|i| i % 4).collect();
	let witness = witness(1, &shape, &digits, 1234);
	let mut rng = ChaCha20Rng::seed_from_u64(1);
	let (started, cpu) = (Instant::now(), cpu_seconds());
	let (proof, public, _) = tokenfactory_zk::prove(&keys, &witness, &mut rng).unwrap();
	println!(
		"proving: {:.1} s wall, {:.1} s CPU ({} threads)",
		started.elapsed().as_secs_f64(),
		cpu_seconds() - cpu,
		rayon_threads()
	);

	let vk = verifying_key_bytes(keys.verifying_key()).unwrap();
	let proof = proof_bytes(&proof).unwrap();
	let bytes = StatementBytes::from(&public);
	let statement = DecryptionStatement {
		key_commitment: bytes.key_commitment,
		ciphertext_digest: bytes.ciphertext_digest,
		result_commitment: bytes.result_commitment,
		job_id: bytes.job_id,
	};
	let runs = 20;
	let started = Instant::now();
	for _ in 0..runs {
		chain::verify_bytes::<Bls12_381>(&vk, &proof, &statement).unwrap();
	}
	println!(
		"native verify (primitives::groth16, decode + checks + pairing): {:.2} ms",
		started.elapsed().as_secs_f64() * 1000.0 / runs as f64
	);
	let vk_parsed = chain::VerifyingKey::<Bls12_381>::decode(&vk).unwrap();
	let proof_parsed = chain::Proof::<Bls12_381>::decode(&proof).unwrap();
	let started = Instant::now();
	for _ in 0..runs {
		chain::verify(&vk_parsed, &proof_parsed, &statement).unwrap();
	}
	println!(
		"native verify, decoded key and proof: {:.2} ms",
		started.elapsed().as_secs_f64() * 1000.0 / runs as f64
	);
}
