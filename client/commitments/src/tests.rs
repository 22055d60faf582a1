use ark_ff::{BigInteger, Field, PrimeField, UniformRand};
use ark_r1cs_std::{alloc::AllocVar, fields::fp::FpVar, GR1CSVar};
use ark_relations::gr1cs::ConstraintSystem;
use rand::{rngs::StdRng, Rng, SeedableRng};

use super::*;

/// tfhe-rs 1.8 `PARAM_MESSAGE_2_CARRY_2`-like compact parameters, with a short key for speed.
fn parameters(lwe_dimension: usize) -> CompactParameters {
	CompactParameters { log_modulus: 12, lwe_dimension, message_modulus: 4, carry_modulus: 4 }
}

fn random_key(rng: &mut StdRng, n: usize) -> LweSecretKeyBits {
	LweSecretKeyBits((0..n).map(|_| rng.gen_range(0..2u64)).collect())
}

fn random_result(
	rng: &mut StdRng,
	parameters: &CompactParameters,
	key: &LweSecretKeyBits,
	digits: &[u64],
) -> CompactResult {
	let delta = (1i64 << parameters.log_modulus) / 32;
	let blocks = digits
		.iter()
		.map(|digit| {
			let mask = (0..parameters.lwe_dimension).map(|_| rng.gen::<u64>()).collect();
			let noise = rng.gen_range(-(delta / 2)..(delta / 2));
			encrypt_block_for_tests(parameters, key, *digit, mask, noise).unwrap()
		})
		.collect();
	CompactResult {
		log_modulus: parameters.log_modulus,
		lwe_dimension: parameters.lwe_dimension,
		message_modulus: parameters.message_modulus,
		carry_modulus: parameters.carry_modulus,
		blocks,
	}
}

mod poseidon_instance {
	use super::*;

	#[test]
	fn alpha_is_a_permutation_of_the_field() {
		// x -> x^5 is a bijection iff gcd(5, r - 1) = 1, i.e. 5 does not divide r - 1.
		let r_minus_one = Fr::from(-1i64).into_bigint();
		let mut remainder = 0u64;
		for limb in r_minus_one.as_ref().iter().rev() {
			let wide = (u128::from(remainder) << 64) | u128::from(*limb);
			remainder = (wide % 5) as u64;
		}
		assert_ne!(remainder, 0);
	}

	#[test]
	fn parameters_are_stable() {
		// A regression pin: any change to the parameters changes this value.
		let value = hash(&[Fr::from(1u64), Fr::from(2u64)]);
		assert_eq!(
			value.to_string(),
			"26723651274972540495597973739318655967803756819006334488155816829749011387346"
		);
		assert_ne!(value, hash(&[Fr::from(2u64), Fr::from(1u64)]));
	}

	#[test]
	fn gadget_matches_native_for_every_length_up_to_three_permutations() {
		let mut rng = StdRng::seed_from_u64(1);
		for length in 0..=3 * poseidon::RATE {
			let inputs: Vec<Fr> = (0..length).map(|_| Fr::rand(&mut rng)).collect();
			let cs = ConstraintSystem::<Fr>::new_ref();
			let vars: Vec<FpVar<Fr>> =
				inputs.iter().map(|x| FpVar::new_witness(cs.clone(), || Ok(*x)).unwrap()).collect();
			let out = hash_var(cs.clone(), &vars).unwrap();
			assert_eq!(out.value().unwrap(), hash(&inputs), "length {length}");
			assert!(cs.is_satisfied().unwrap());
		}
	}
}

mod bytes {
	use super::*;

	#[test]
	fn round_trip() {
		let mut rng = StdRng::seed_from_u64(2);
		for _ in 0..10 {
			let x = Fr::rand(&mut rng);
			assert_eq!(fr_from_bytes(&fr_to_bytes(&x)).unwrap(), x);
		}
		assert_eq!(fr_to_bytes(&Fr::from(258u64))[..2], [2, 1]);
	}

	#[test]
	fn non_canonical_is_rejected() {
		assert_eq!(fr_from_bytes(&[0xff; 32]), Err(CommitmentError::NotAFieldElement));
		let modulus = Fr::MODULUS.to_bytes_le();
		let mut bytes = [0u8; 32];
		bytes.copy_from_slice(&modulus);
		assert_eq!(fr_from_bytes(&bytes), Err(CommitmentError::NotAFieldElement));
	}
}

mod decryption {
	use super::*;

	#[test]
	fn decrypts_what_was_encrypted() {
		let mut rng = StdRng::seed_from_u64(3);
		let parameters = parameters(64);
		let key = random_key(&mut rng, 64);
		let digits: Vec<u64> = (0..40).map(|i| i % 4).collect();
		let result = random_result(&mut rng, &parameters, &key, &digits);
		assert_eq!(decrypt_compact(&result, &key).unwrap(), digits);
	}

	#[test]
	fn rounds_like_tfhe_divide_round() {
		// delta = 4096 / 32 = 128: noise in [-64, 64) decodes to the digit, 64 rounds up.
		let parameters = parameters(2);
		let key = LweSecretKeyBits(vec![1, 0]);
		let at = |digit, noise| {
			let block =
				encrypt_block_for_tests(&parameters, &key, digit, vec![5, 7], noise).unwrap();
			let result = CompactResult {
				log_modulus: 12,
				lwe_dimension: 2,
				message_modulus: 4,
				carry_modulus: 4,
				blocks: vec![block],
			};
			decode_block(&result, 0, &key).unwrap()
		};
		assert_eq!(at(2, 63), 2);
		assert_eq!(at(2, 64), 3);
		assert_eq!(at(2, -64), 2);
		assert_eq!(at(2, -65), 1);
		// Just below the top of the torus wraps to 0, as `divide_round(..) % 32` does.
		assert_eq!(at(0, -1), 0);
		assert_eq!(at(0, -64), 0);
		assert_eq!(at(31, 63), 31);
	}

	#[test]
	fn rejects_a_non_empty_carry() {
		let mut rng = StdRng::seed_from_u64(4);
		let parameters = parameters(16);
		let key = random_key(&mut rng, 16);
		let result = random_result(&mut rng, &parameters, &key, &[1, 6, 2]);
		assert_eq!(
			decrypt_compact(&result, &key),
			Err(CommitmentError::CarryNotEmpty { block: 1, decoded: 6 })
		);
	}

	#[test]
	fn rejects_malformed_input() {
		let mut rng = StdRng::seed_from_u64(5);
		let parameters = parameters(16);
		let key = random_key(&mut rng, 16);
		let mut result = random_result(&mut rng, &parameters, &key, &[1, 2]);
		assert!(matches!(
			decrypt_compact(&result, &LweSecretKeyBits(vec![0; 15])),
			Err(CommitmentError::KeyLength { .. })
		));
		assert_eq!(
			decrypt_compact(&result, &LweSecretKeyBits(vec![2; 16])),
			Err(CommitmentError::KeyNotBinary)
		);
		result.blocks[1].mask[3] = 1 << 12;
		assert!(matches!(
			decrypt_compact(&result, &key),
			Err(CommitmentError::WordOutOfRange { block: 1, .. })
		));
		result.blocks[1].mask.pop();
		assert!(matches!(
			decrypt_compact(&result, &key),
			Err(CommitmentError::MaskLength { block: 1, .. })
		));
		result.message_modulus = 3;
		assert!(matches!(
			decrypt_compact(&result, &key),
			Err(CommitmentError::UnsupportedParameters { .. })
		));
	}
}

mod commitments {
	use super::*;

	#[test]
	fn every_input_changes_the_digest() {
		let mut rng = StdRng::seed_from_u64(6);
		let parameters = parameters(16);
		let key = random_key(&mut rng, 16);
		let result = random_result(&mut rng, &parameters, &key, &[1, 2, 3]);
		let digest = ciphertext_digest(&result);
		let mut other = result.clone();
		other.blocks[2].mask[15] ^= 1;
		assert_ne!(ciphertext_digest(&other), digest);
		let mut other = result.clone();
		other.blocks[0].body ^= 1 << 11;
		assert_ne!(ciphertext_digest(&other), digest);
		let mut other = result.clone();
		other.blocks.pop();
		assert_ne!(ciphertext_digest(&other), digest);
		let mut other = result.clone();
		other.carry_modulus = 2;
		assert_ne!(ciphertext_digest(&other), digest);
		// An invalid result (a word out of range) digests in its own domain.
		let mut other = result.clone();
		other.blocks[0].mask[0] += 1 << 12;
		assert_ne!(ciphertext_digest(&other), digest);
	}

	#[test]
	fn every_input_changes_the_result_commitment() {
		let blinding = Fr::from(99u64);
		let base = result_commitment(7, &[1, 2, 3], &blinding);
		assert_ne!(result_commitment(8, &[1, 2, 3], &blinding), base);
		assert_ne!(result_commitment(7, &[1, 2, 2], &blinding), base);
		assert_ne!(result_commitment(7, &[1, 2, 3, 0], &blinding), base);
		assert_ne!(result_commitment(7, &[1, 2, 3], &Fr::from(98u64)), base);
	}

	#[test]
	fn key_commitment_binds_every_bit() {
		let mut rng = StdRng::seed_from_u64(7);
		let key = random_key(&mut rng, 600);
		let base = key_commitment(&key);
		let mut other = key.clone();
		other.0[599] ^= 1;
		assert_ne!(key_commitment(&other), base);
		let mut other = key.clone();
		other.0.push(0);
		assert_ne!(key_commitment(&other), base);
		let mut other = key.clone();
		other.0[0] += 2;
		assert_ne!(key_commitment(&other), base);
	}
}

mod gadgets {
	use super::*;

	#[test]
	fn key_commitment_var_matches_native() {
		let mut rng = StdRng::seed_from_u64(8);
		let key = random_key(&mut rng, 600);
		let cs = ConstraintSystem::<Fr>::new_ref();
		let key_var = LweSecretKeyBitsVar::new_witness(cs.clone(), Some(&key), 600).unwrap();
		let out = key_commitment_var(cs.clone(), &key_var).unwrap();
		assert_eq!(out.value().unwrap(), key_commitment(&key));
		assert!(cs.is_satisfied().unwrap());
	}

	/// Allocates a result padded to `max` blocks with all-zero blocks and returns the digest,
	/// the result commitment and the decrypted digits.
	fn synthesize(
		result: &CompactResult,
		key: &LweSecretKeyBits,
		max: usize,
		job_id: u64,
		blinding: Fr,
	) -> (ark_relations::gr1cs::ConstraintSystemRef<Fr>, Fr, Fr, Vec<Fr>) {
		let parameters = CompactParameters::of(result);
		let cs = ConstraintSystem::<Fr>::new_ref();
		let key_var =
			LweSecretKeyBitsVar::new_witness(cs.clone(), Some(key), parameters.lwe_dimension)
				.unwrap();
		let zero = CompactBlock { mask: vec![0; parameters.lwe_dimension], body: 0 };
		let blocks: Vec<CompactBlockVar> = (0..max)
			.map(|i| {
				let block = result.blocks.get(i).unwrap_or(&zero);
				CompactBlockVar::new_witness(cs.clone(), Some(block), &parameters).unwrap()
			})
			.collect();
		let count = CountVar::new_witness(cs.clone(), Some(result.blocks.len()), max).unwrap();
		let digest = ciphertext_digest_var(cs.clone(), &parameters, &count, &blocks).unwrap();
		let digits: Vec<FpVar<Fr>> = blocks
			.iter()
			.map(|block| decrypt_block_var(cs.clone(), &parameters, &key_var, block).unwrap())
			.collect();
		let job = FpVar::new_input(cs.clone(), || Ok(Fr::from(job_id))).unwrap();
		let blinding = FpVar::new_witness(cs.clone(), || Ok(blinding)).unwrap();
		let commitment =
			result_commitment_var(cs.clone(), &job, &digits, &count, &blinding).unwrap();
		let digit_values = digits.iter().map(|d| d.value().unwrap()).collect();
		(cs, digest.value().unwrap(), commitment.value().unwrap(), digit_values)
	}

	#[test]
	fn padded_digest_commitment_and_decryption_match_native() {
		let mut rng = StdRng::seed_from_u64(9);
		let parameters = parameters(32);
		let key = random_key(&mut rng, 32);
		let blinding = Fr::rand(&mut rng);
		for (count, max) in [(0, 2), (3, 3), (5, 9), (8, 9)] {
			let digits: Vec<u64> = (0..count).map(|_| rng.gen_range(0..4)).collect();
			let result = random_result(&mut rng, &parameters, &key, &digits);
			let (cs, digest, commitment, decrypted) = synthesize(&result, &key, max, 11, blinding);
			assert!(cs.is_satisfied().unwrap(), "{:?}", cs.which_is_unsatisfied().unwrap());
			assert_eq!(digest, ciphertext_digest(&result));
			assert_eq!(commitment, result_commitment(11, &digits, &blinding));
			let mut padded: Vec<Fr> = digits.iter().map(|d| Fr::from(*d)).collect();
			padded.resize(max, Fr::from(0u64));
			assert_eq!(decrypted, padded);
		}
	}

	#[test]
	fn a_non_empty_carry_is_unsatisfiable() {
		let mut rng = StdRng::seed_from_u64(10);
		let parameters = parameters(8);
		let key = random_key(&mut rng, 8);
		let result = random_result(&mut rng, &parameters, &key, &[1, 5]);
		let (cs, ..) = synthesize(&result, &key, 2, 1, Fr::from(1u64));
		assert!(!cs.is_satisfied().unwrap());
		println!("unsatisfied: {:?}", cs.which_is_unsatisfied().unwrap());
	}

	#[test]
	fn decryption_costs_about_one_constraint_per_mask_bit() {
		let parameters = parameters(100);
		let cs = ConstraintSystem::<Fr>::new_ref();
		let key = LweSecretKeyBits(vec![1; 100]);
		let key_var = LweSecretKeyBitsVar::new_witness(cs.clone(), Some(&key), 100).unwrap();
		let before = cs.num_constraints();
		let block = CompactBlock { mask: vec![0; 100], body: 0 };
		let block = CompactBlockVar::new_witness(cs.clone(), Some(&block), &parameters).unwrap();
		let _digit = decrypt_block_var(cs.clone(), &parameters, &key_var, &block).unwrap();
		let cost = cs.num_constraints() - before;
		println!("one block, n = 100: {cost} constraints");
		assert!(cost <= 101 * 12 + 100 + 30, "{cost}");
		let _ = Fr::ONE;
	}
}
