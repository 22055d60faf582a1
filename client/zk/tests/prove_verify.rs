//! Setup, proving, native verification, key files, and the on-chain (primitives) verifier.
#![allow(clippy::unwrap_used)] // Test helpers outside `#[test]` functions too.

mod common;

use ark_std::rand::SeedableRng;
use common::{small_shape, witness};
use rand_chacha::ChaCha20Rng;
use tokenfactory_primitives::groth16::{self as chain, DecryptionStatement, Groth16Error};
use tokenfactory_zk::{
	prove,
	prover::{proof_bytes, proof_from_bytes, StatementBytes},
	setup::{
		insecure_dev_setup, read_proving_key, read_verifying_key, verifying_key_bytes,
		write_proving_key, write_verifying_key, KeyPair, SetupKind,
	},
	verify, Bls12_381, Fr,
};

fn statement(bytes: StatementBytes) -> DecryptionStatement {
	DecryptionStatement {
		key_commitment: bytes.key_commitment,
		ciphertext_digest: bytes.ciphertext_digest,
		result_commitment: bytes.result_commitment,
		job_id: bytes.job_id,
	}
}

fn keys(max_blocks: usize) -> KeyPair {
	insecure_dev_setup(small_shape(max_blocks), 7).unwrap()
}

#[test]
fn round_trip_and_rejections() {
	let keys = keys(3);
	let mut rng = ChaCha20Rng::seed_from_u64(1);
	let witness = witness(10, &keys.shape, &[2, 1], 77);
	let (proof, public, plaintext) = prove(&keys, &witness, &mut rng).unwrap();
	assert_eq!(plaintext, vec![2, 1]);
	assert!(verify(keys.verifying_key(), &proof, &public).unwrap());

	// Each public input, changed, is rejected.
	let mut wrong = public;
	wrong.job_id += 1;
	assert!(!verify(keys.verifying_key(), &proof, &wrong).unwrap());
	let mut wrong = public;
	wrong.key_commitment += Fr::from(1u64);
	assert!(!verify(keys.verifying_key(), &proof, &wrong).unwrap());
	let mut wrong = public;
	wrong.ciphertext_digest += Fr::from(1u64);
	assert!(!verify(keys.verifying_key(), &proof, &wrong).unwrap());
	let mut wrong = public;
	wrong.result_commitment += Fr::from(1u64);
	assert!(!verify(keys.verifying_key(), &proof, &wrong).unwrap());

	// The on-chain verifier (generic, here over plain ark-bls12-381) agrees.
	let vk = verifying_key_bytes(keys.verifying_key()).unwrap();
	assert_eq!(vk.len(), 585);
	let proof_on_chain = proof_bytes(&proof).unwrap();
	assert_eq!(proof_on_chain.len(), 192);
	let good = statement(StatementBytes::from(&public));
	assert_eq!(chain::verify_bytes::<Bls12_381>(&vk, &proof_on_chain, &good), Ok(()));
	let bad = DecryptionStatement { job_id: good.job_id + 1, ..good };
	assert_eq!(
		chain::verify_bytes::<Bls12_381>(&vk, &proof_on_chain, &bad),
		Err(Groth16Error::InvalidProof)
	);
	let bad = DecryptionStatement { result_commitment: [0xff; 32], ..good };
	assert_eq!(
		chain::verify_bytes::<Bls12_381>(&vk, &proof_on_chain, &bad),
		Err(Groth16Error::MalformedPublicInput)
	);
	assert_eq!(proof_from_bytes(&proof_on_chain).unwrap(), proof);
}

#[test]
fn a_proof_for_another_shape_is_rejected() {
	let three = keys(3);
	let four = keys(4);
	let mut rng = ChaCha20Rng::seed_from_u64(2);
	let witness = witness(11, &four.shape, &[2, 1], 5);
	let (proof, public, _) = prove(&four, &witness, &mut rng).unwrap();
	assert!(verify(four.verifying_key(), &proof, &public).unwrap());
	assert!(!verify(three.verifying_key(), &proof, &public).unwrap());
	let vk_three = verifying_key_bytes(three.verifying_key()).unwrap();
	assert_eq!(
		chain::verify_bytes::<Bls12_381>(
			&vk_three,
			&proof_bytes(&proof).unwrap(),
			&statement(StatementBytes::from(&public))
		),
		Err(Groth16Error::InvalidProof)
	);
}

#[test]
fn a_result_larger_than_the_shape_is_refused() {
	let keys = keys(2);
	let mut rng = ChaCha20Rng::seed_from_u64(3);
	let witness = witness(12, &keys.shape, &[1, 1, 1], 5);
	assert!(prove(&keys, &witness, &mut rng).is_err());
}

#[test]
fn the_dev_setup_is_deterministic_per_shape() {
	let a = verifying_key_bytes(keys(2).verifying_key()).unwrap();
	let b = verifying_key_bytes(keys(2).verifying_key()).unwrap();
	let c = verifying_key_bytes(keys(3).verifying_key()).unwrap();
	assert_eq!(a, b);
	assert_ne!(a, c);
}

#[test]
fn key_files_round_trip_and_reject_corruption() {
	let keys = keys(2);
	let mut pk = Vec::new();
	write_proving_key(&keys, &mut pk).unwrap();
	let read = read_proving_key(&mut pk.as_slice()).unwrap();
	assert_eq!(read.shape, keys.shape);
	assert_eq!(read.setup, SetupKind::InsecureDev);
	assert_eq!(read.proving_key, keys.proving_key);

	let mut vk = Vec::new();
	write_verifying_key(&keys, &mut vk).unwrap();
	let (setup, shape, bytes) = read_verifying_key(&mut vk.as_slice()).unwrap();
	assert_eq!((setup, shape), (SetupKind::InsecureDev, keys.shape));
	assert_eq!(bytes, verifying_key_bytes(keys.verifying_key()).unwrap());

	// Wrong kind, version, truncation, and a payload length over the limit.
	assert!(read_proving_key(&mut vk.as_slice()).is_err());
	let mut other = vk.clone();
	other[4] = 2;
	assert!(read_verifying_key(&mut other.as_slice()).is_err());
	assert!(read_verifying_key(&mut &vk[..vk.len() - 1]).is_err());
	assert!(read_proving_key(&mut &pk[..pk.len() - 1]).is_err());
	let mut other = pk.clone();
	other[34..42].copy_from_slice(&u64::MAX.to_le_bytes());
	assert!(read_proving_key(&mut other.as_slice()).is_err());
}

mod on_chain_verifier_rejects {
	use super::*;

	fn material() -> (Vec<u8>, Vec<u8>, DecryptionStatement) {
		let keys = keys(1);
		let mut rng = ChaCha20Rng::seed_from_u64(4);
		let witness = witness(13, &keys.shape, &[3], 9);
		let (proof, public, _) = prove(&keys, &witness, &mut rng).unwrap();
		(
			verifying_key_bytes(keys.verifying_key()).unwrap(),
			proof_bytes(&proof).unwrap(),
			statement(StatementBytes::from(&public)),
		)
	}

	#[test]
	fn malformed_proofs_keys_and_inputs_without_panicking() {
		let (vk, proof, good) = material();
		assert_eq!(chain::verify_bytes::<Bls12_381>(&vk, &proof, &good), Ok(()));
		let check = |vk: &[u8], proof: &[u8]| chain::verify_bytes::<Bls12_381>(vk, proof, &good);

		assert_eq!(check(&vk, &proof[..191]), Err(Groth16Error::MalformedProof));
		assert_eq!(
			check(&vk, &[proof.clone(), vec![0]].concat()),
			Err(Groth16Error::MalformedProof)
		);
		assert_eq!(check(&vk, &[0xff; 192]), Err(Groth16Error::MalformedProof));
		assert_eq!(check(&vk, &[]), Err(Groth16Error::MalformedProof));
		for position in [0, 47, 48, 100, 143, 144, 191] {
			let mut bad = proof.clone();
			bad[position] ^= 0x5a;
			let outcome = check(&vk, &bad);
			assert!(
				matches!(outcome, Err(Groth16Error::MalformedProof | Groth16Error::InvalidProof)),
				"{position}: {outcome:?}"
			);
		}

		assert_eq!(check(&[], &proof), Err(Groth16Error::MalformedVerifyingKey));
		let mut bad = vk.clone();
		bad[0] = 2;
		assert_eq!(check(&bad, &proof), Err(Groth16Error::UnsupportedVerifyingKeyVersion));
		assert_eq!(check(&vk[..584], &proof), Err(Groth16Error::MalformedVerifyingKey));
		assert_eq!(
			check(&[vk.clone(), vec![0]].concat(), &proof),
			Err(Groth16Error::MalformedVerifyingKey)
		);
		// A length prefix claiming 2^64 - 1 bases is refused without allocating.
		let mut bad = vk.clone();
		let prefix = 1 + 48 + 3 * 96;
		bad[prefix..prefix + 8].copy_from_slice(&u64::MAX.to_le_bytes());
		assert_eq!(check(&bad, &proof), Err(Groth16Error::MalformedVerifyingKey));
		for position in [1, 48, 49, 200, 400, 584] {
			let mut bad = vk.clone();
			bad[position] ^= 0x5a;
			let outcome = check(&bad, &proof);
			assert!(
				matches!(
					outcome,
					Err(Groth16Error::MalformedVerifyingKey | Groth16Error::InvalidProof)
				),
				"{position}: {outcome:?}"
			);
		}
	}
}

#[test]
fn the_runtime_curve_with_host_hooks_accepts_the_same_bytes() {
	use sp_crypto_ec_utils::bls12_381::Bls12_381 as HostBls12_381;
	let keys = keys(1);
	let mut rng = ChaCha20Rng::seed_from_u64(5);
	let witness = witness(14, &keys.shape, &[2], 3);
	let (proof, public, _) = prove(&keys, &witness, &mut rng).unwrap();
	let vk = verifying_key_bytes(keys.verifying_key()).unwrap();
	let proof = proof_bytes(&proof).unwrap();
	let good = statement(StatementBytes::from(&public));
	assert_eq!(chain::verify_bytes::<HostBls12_381>(&vk, &proof, &good), Ok(()));
	let bad = DecryptionStatement { job_id: good.job_id + 1, ..good };
	assert_eq!(
		chain::verify_bytes::<HostBls12_381>(&vk, &proof, &bad),
		Err(Groth16Error::InvalidProof)
	);
}
