//! The decryption circuit: satisfied by the honest witness, unsatisfied by each tampering.
#![allow(clippy::unwrap_used)] // Test helpers outside `#[test]` functions too.

mod common;

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, SynthesisMode};
use common::{satisfied, small_shape, witness};
use tokenfactory_zk::{
	circuit::{Assignment, DecryptionCircuit},
	commitments::LweSecretKeyBits,
	CircuitShape, Fr,
};

fn honest() -> (CircuitShape, Assignment) {
	let shape = small_shape(4);
	let assignment = witness(1, &shape, &[3, 0, 2], 42).assignment().unwrap();
	(shape, assignment)
}

#[test]
fn honest_witness_satisfies() {
	let (shape, assignment) = honest();
	assert_eq!(assignment.plaintext, vec![3, 0, 2]);
	assert!(satisfied(shape, assignment));
}

#[test]
fn a_full_shape_and_an_empty_result_satisfy() {
	let shape = small_shape(4);
	assert!(satisfied(shape, witness(2, &shape, &[1, 2, 3, 0], 1).assignment().unwrap()));
	assert!(satisfied(shape, witness(3, &shape, &[], 1).assignment().unwrap()));
}

mod reject {
	use super::*;

	#[test]
	fn one_ciphertext_word() {
		let (shape, mut assignment) = honest();
		assignment.result.blocks[1].mask[7] ^= 1;
		assert!(!satisfied(shape, assignment));
	}

	#[test]
	fn one_ciphertext_body() {
		let (shape, mut assignment) = honest();
		// Shifts the phase by one digit: the decryption itself now differs.
		assignment.result.blocks[2].body = (assignment.result.blocks[2].body + 128) % 4096;
		assert!(!satisfied(shape, assignment));
	}

	#[test]
	fn one_result_digit() {
		let (shape, mut assignment) = honest();
		assignment.plaintext[1] = 1;
		assert!(!satisfied(shape, assignment));
	}

	#[test]
	fn a_digit_in_the_padding() {
		let (shape, mut assignment) = honest();
		assignment.plaintext.push(1);
		assert!(!satisfied(shape, assignment));
	}

	#[test]
	fn another_key() {
		let (shape, mut assignment) = honest();
		let mut key = assignment.key.0.clone();
		key[0] ^= 1;
		assignment.key = LweSecretKeyBits(key);
		assert!(!satisfied(shape, assignment));
	}

	#[test]
	fn another_blinding() {
		let (shape, mut assignment) = honest();
		assignment.blinding += Fr::from(1u64);
		assert!(!satisfied(shape, assignment));
	}

	#[test]
	fn another_job_id() {
		let (shape, mut assignment) = honest();
		assignment.public.job_id += 1;
		assert!(!satisfied(shape, assignment));
	}

	#[test]
	fn another_digest() {
		let (shape, mut assignment) = honest();
		assignment.public.ciphertext_digest += Fr::from(1u64);
		assert!(!satisfied(shape, assignment));
	}

	#[test]
	fn a_dropped_block() {
		// The same blocks minus the last: the digest (of three blocks) no longer opens.
		let (shape, mut assignment) = honest();
		assignment.result.blocks.pop();
		assignment.plaintext.pop();
		assert!(!satisfied(shape, assignment));
	}
}

#[test]
fn a_non_empty_carry_cannot_be_proven() {
	let shape = small_shape(4);
	let witness = witness(4, &shape, &[1, 5], 1);
	assert!(witness.assignment().is_err());
}

#[test]
fn constraints_per_block() {
	let mut counts = Vec::new();
	for blocks in [1, 2] {
		let cs = ConstraintSystem::<Fr>::new_ref();
		cs.set_mode(SynthesisMode::Setup);
		DecryptionCircuit::blank(small_shape(blocks)).generate_constraints(cs.clone()).unwrap();
		counts.push(cs.num_constraints());
	}
	println!(
		"n = 32: {} constraints for 1 block, {} per extra block",
		counts[0],
		counts[1] - counts[0]
	);
}
