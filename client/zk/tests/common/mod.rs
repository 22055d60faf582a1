//! Test helpers: ciphertexts made with the commitments crate's native twin (plain integer LWE
//! at the project's parameters, a short key for speed), and the satisfiability check.
//! `real_tfhe.rs` uses the check with results of the real FHE engine.
#![allow(dead_code)]

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
use rand::{rngs::StdRng, Rng, SeedableRng};
use tokenfactory_zk::{
	circuit::{Assignment, DecryptionCircuit},
	commitments::{encrypt_block_for_tests, CompactParameters, CompactResult, LweSecretKeyBits},
	CircuitShape, DecryptionWitness, Fr,
};

/// Production word sizes and moduli, a 32-bit key.
pub fn small_shape(max_blocks: usize) -> CircuitShape {
	CircuitShape {
		parameters: CompactParameters {
			log_modulus: 12,
			lwe_dimension: 32,
			message_modulus: 4,
			carry_modulus: 4,
		},
		max_blocks,
	}
}

pub fn random_key(rng: &mut StdRng, n: usize) -> LweSecretKeyBits {
	LweSecretKeyBits((0..n).map(|_| rng.gen_range(0..2u64)).collect())
}

pub fn encrypt(
	rng: &mut StdRng,
	parameters: &CompactParameters,
	key: &LweSecretKeyBits,
	digits: &[u64],
) -> CompactResult {
	let half_delta = (1i64 << parameters.log_modulus)
		/ (4 * (parameters.message_modulus * parameters.carry_modulus) as i64);
	CompactResult {
		log_modulus: parameters.log_modulus,
		lwe_dimension: parameters.lwe_dimension,
		message_modulus: parameters.message_modulus,
		carry_modulus: parameters.carry_modulus,
		blocks: digits
			.iter()
			.map(|digit| {
				let mask = (0..parameters.lwe_dimension).map(|_| rng.gen()).collect();
				let noise = rng.gen_range(-half_delta..half_delta);
				encrypt_block_for_tests(parameters, key, *digit, mask, noise).unwrap()
			})
			.collect(),
	}
}

/// A witness for `digits` under a fresh key.
pub fn witness(seed: u64, shape: &CircuitShape, digits: &[u64], job_id: u64) -> DecryptionWitness {
	let mut rng = StdRng::seed_from_u64(seed);
	let key = random_key(&mut rng, shape.parameters.lwe_dimension);
	let result = encrypt(&mut rng, &shape.parameters, &key, digits);
	DecryptionWitness { job_id, key, result, blinding: Fr::from(rng.gen::<u64>()) }
}

/// Synthesizes and returns whether the constraints hold, printing the first unsatisfied one.
pub fn satisfied(shape: CircuitShape, assignment: Assignment) -> bool {
	let cs = ConstraintSystem::<Fr>::new_ref();
	DecryptionCircuit { shape, assignment: Some(assignment) }
		.generate_constraints(cs.clone())
		.unwrap();
	let satisfied = cs.is_satisfied().unwrap();
	if !satisfied {
		println!("unsatisfied: {:?}", cs.which_is_unsatisfied().unwrap());
	}
	satisfied
}
