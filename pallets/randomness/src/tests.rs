//! The inherent's checks and the randomness it gives.

use crate::{mock::*, Error, Randomness, RandomnessBlock, SetThisBlock};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		inherent::{InherentData, ProvideInherent},
		traits::{Hooks, Randomness as _},
	},
	frame_system::RawOrigin,
	sp_runtime::DispatchError,
};

/// Applies the inherent Alice signs for slot 7 and finalizes the block.
fn alice_sets() {
	assert_ok!(BlockRandomness::set(RawOrigin::None.into(), sign(&pair("Alice"), 7)));
}

/// Moves to the next block with `slot`, authored by `author`, under a new parent hash.
fn next_block(slot: u64, author: &str) {
	let now = System::block_number();
	BlockRandomness::on_finalize(now);
	System::set_block_number(now + 1);
	System::set_parent_hash([(now + 1) as u8; 32].into());
	set_author(slot, &pair(author));
}

#[test]
fn the_slot_author_sets_the_blocks_randomness() {
	new_test_ext().execute_with(|| {
		alice_sets();
		assert_ne!(Randomness::<Test>::get(), [0; 32]);
		assert_eq!(RandomnessBlock::<Test>::get(), 1);
		assert!(SetThisBlock::<Test>::get());
		BlockRandomness::on_finalize(1);
		assert!(!SetThisBlock::<Test>::get(), "the flag is cleared for the next block");
	});
}

#[test]
fn each_block_and_subject_gets_its_own_value() {
	new_test_ext().execute_with(|| {
		alice_sets();
		let (first, at) = BlockRandomness::random(b"jobs");
		assert_eq!(at, 1);
		assert_ne!(first, BlockRandomness::random(b"other").0);
		next_block(8, "Bob");
		assert_ok!(BlockRandomness::set(RawOrigin::None.into(), sign(&pair("Bob"), 8)));
		let (second, at) = BlockRandomness::random(b"jobs");
		assert_eq!(at, 2);
		assert_ne!(first, second);
	});
}

#[test]
fn the_inherent_is_made_from_the_nodes_data() {
	new_test_ext().execute_with(|| {
		let signature = sign(&pair("Alice"), 7);
		let mut data = InherentData::new();
		assert!(BlockRandomness::create_inherent(&data).is_none(), "no data, no inherent");
		data.put_data(crate::INHERENT_IDENTIFIER, &signature).expect("encodes");
		let call = BlockRandomness::create_inherent(&data).expect("an inherent");
		assert!(BlockRandomness::is_inherent(&call));
		assert_eq!(call, crate::Call::set { signature });
	});
}

#[test]
fn nobody_sets_it_with_a_signed_origin() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			BlockRandomness::set(RawOrigin::Signed(1).into(), sign(&pair("Alice"), 7)),
			DispatchError::BadOrigin
		);
	});
}

mod attack {
	use super::*;

	#[test]
	fn validator_signs_for_another_authors_slot() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				BlockRandomness::set(RawOrigin::None.into(), sign(&pair("Bob"), 7)),
				Error::<Test>::BadVrfSignature
			);
		});
	}

	#[test]
	fn author_signs_another_slot_for_a_better_value() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				BlockRandomness::set(RawOrigin::None.into(), sign(&pair("Alice"), 8)),
				Error::<Test>::BadVrfSignature
			);
		});
	}

	#[test]
	fn author_replays_the_signature_of_an_earlier_parent() {
		new_test_ext().execute_with(|| {
			let earlier = sign(&pair("Alice"), 7);
			System::set_parent_hash([9; 32].into());
			assert_noop!(
				BlockRandomness::set(RawOrigin::None.into(), earlier),
				Error::<Test>::BadVrfSignature
			);
		});
	}

	#[test]
	fn author_resigns_to_grind_the_value() {
		// Each VRF proof is randomised, but the output is fixed by the key and the input:
		// signing again gives a different proof and the same randomness.
		let value = || {
			new_test_ext().execute_with(|| {
				let signature = sign(&pair("Alice"), 7);
				assert_ok!(BlockRandomness::set(RawOrigin::None.into(), signature.clone()));
				(signature, Randomness::<Test>::get())
			})
		};
		let (first, second) = (value(), value());
		assert_ne!(first.0, second.0, "the proofs differ");
		assert_eq!(first.1, second.1, "the output does not");
	}

	#[test]
	fn author_adds_a_second_value_to_its_block() {
		new_test_ext().execute_with(|| {
			alice_sets();
			assert_noop!(
				BlockRandomness::set(RawOrigin::None.into(), sign(&pair("Alice"), 7)),
				Error::<Test>::AlreadySet
			);
		});
	}

	#[test]
	#[should_panic(expected = "every block carries its author's VRF randomness inherent")]
	fn author_leaves_the_inherent_out_to_keep_the_old_value() {
		new_test_ext().execute_with(|| {
			BlockRandomness::on_finalize(1);
		});
	}

	#[test]
	fn a_slot_without_an_author_gets_no_value() {
		new_test_ext().execute_with(|| {
			clear_author();
			assert_noop!(
				BlockRandomness::set(RawOrigin::None.into(), sign(&pair("Alice"), 7)),
				Error::<Test>::NoAuthor
			);
		});
	}
}

#[test]
fn the_benchmarks_signature_verifies() {
	use crate::fixture::{signature, KEY, PARENT, SLOT};
	use polkadot_sdk::sp_core::{crypto::Pair as _, sr25519};
	assert_eq!(pair("Alice").public(), sr25519::Public::from_raw(KEY));
	assert!(crate::verified_output(&sr25519::Public::from_raw(KEY), &PARENT, SLOT, &signature())
		.is_some());
}

/// Prints the signature the benchmark verifies (its key, parent and slot are fixed there).
#[test]
#[ignore = "prints a constant for the benchmark"]
fn print_benchmark_signature() {
	use codec::Encode;
	use polkadot_sdk::sp_core::crypto::VrfSecret;
	let signature = pair("Alice").vrf_sign(&crate::sign_data(&[1; 32], 7));
	let hex: String = signature.encode().iter().map(|byte| format!("{byte:02x}")).collect();
	println!("{hex}");
}
