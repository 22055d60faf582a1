use crate::{mock::*, BlobKind, BlobTarget, Error, Event, HoldReason, KeySets, NextKeySetId};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use polkadot_sdk::*;

fn register(manifest: Vec<crate::BlobSpec>) -> sp_runtime::DispatchResult {
	DataRegistry::register_key_set(
		RuntimeOrigin::signed(hospital()),
		1,
		[7; 32],
		decryptor(),
		BoundedVec::try_from(manifest).expect("within the bound"),
	)
}

#[test]
fn register_key_set_holds_a_deposit_scaled_by_its_manifest() {
	build_and_execute(|| {
		assert_ok!(register(key_manifest().into_inner()));
		let record = KeySets::<Test>::get(0).expect("registered");
		assert_eq!(record.owner, hospital());
		assert_eq!((record.blob_count, record.missing, record.datasets), (4, 4, 0));
		assert!(!record.is_ready());
		assert!(record.deposit > DEPOSIT_BASE + 4 * DEPOSIT_PER_BLOB);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::KeySetDeposit.into(), &hospital()),
			record.deposit
		);
		assert_eq!(NextKeySetId::<Test>::get(), 1);
		assert_eq!(
			registry_events(),
			vec![
				Event::KeySetRegistered { key_set: 0, owner: hospital(), blobs: 4 },
				Event::KeySetBonded { key_set: 0, amount: KEY_SET_BOND, bond: KEY_SET_BOND },
			]
		);
	});
}

#[test]
fn key_set_becomes_ready_when_its_last_blob_arrives() {
	build_and_execute(|| {
		let key_set = ready_key_set(&hospital());
		assert!(KeySets::<Test>::get(key_set).expect("registered").is_ready());
		assert!(registry_events().contains(&Event::KeySetReady { key_set }));
	});
}

#[test]
fn the_owner_names_the_decryptor_key_of_its_key_set() {
	build_and_execute(|| {
		let key_set = ready_key_set(&hospital());
		assert_eq!(KeySets::<Test>::get(key_set).and_then(|k| k.decryptor), Some(decryptor()));
		let moved = tokenfactory_primitives::compute::DecryptorKey::from_raw([9; 32]);
		assert_ok!(DataRegistry::set_decryptor(RuntimeOrigin::signed(hospital()), key_set, moved));
		assert_eq!(<DataRegistry as crate::DataCatalog<_, _, _>>::decryptor(key_set), Some(moved));
		assert!(registry_events().contains(&Event::DecryptorSet { key_set, decryptor: moved }));
	});
}

#[test]
fn set_decryptor_errors() {
	build_and_execute(|| {
		let key_set = ready_key_set(&hospital());
		assert_noop!(
			DataRegistry::set_decryptor(RuntimeOrigin::signed(clinic()), key_set, decryptor()),
			Error::<Test>::NotKeySetOwner
		);
		assert_noop!(
			DataRegistry::set_decryptor(RuntimeOrigin::signed(hospital()), 9, decryptor()),
			Error::<Test>::UnknownKeySet
		);
	});
}

mod reject {
	use super::*;

	#[test]
	fn empty_manifest() {
		build_and_execute(|| {
			assert_noop!(register(vec![]), Error::<Test>::EmptyManifest);
		});
	}

	#[test]
	fn blob_of_size_zero_or_above_the_chunk_limit() {
		build_and_execute(|| {
			for size in [0, MAX_CHUNK + 1] {
				let mut manifest = key_manifest().into_inner();
				manifest[0].size = size;
				assert_noop!(register(manifest), Error::<Test>::InvalidBlobSize);
			}
		});
	}

	#[test]
	fn ciphertexts_in_a_key_set() {
		build_and_execute(|| {
			let mut manifest = key_manifest().into_inner();
			manifest[0].kind = BlobKind::Ciphertexts;
			assert_noop!(register(manifest), Error::<Test>::WrongBlobKind);
		});
	}

	#[test]
	fn key_material_missing() {
		build_and_execute(|| {
			let full = key_manifest().into_inner();
			// No server key chunk.
			assert_noop!(register(full[2..].to_vec()), Error::<Test>::IncompleteKeyMaterial);
			// No proof parameters.
			assert_noop!(register(full[..3].to_vec()), Error::<Test>::IncompleteKeyMaterial);
			// No public key (its one piece made a second piece of proof parameters).
			let mut missing = full.clone();
			for blob in missing.iter_mut().filter(|blob| blob.kind == BlobKind::PublicKey) {
				blob.kind = BlobKind::ProofParameters;
			}
			assert_noop!(register(missing), Error::<Test>::IncompleteKeyMaterial);
		});
	}

	#[test]
	fn when_ids_are_exhausted() {
		build_and_execute(|| {
			NextKeySetId::<Test>::put(u32::MAX);
			assert_noop!(register(key_manifest().into_inner()), Error::<Test>::Overflow);
		});
	}

	#[test]
	fn an_owner_who_cannot_pay_the_deposit() {
		build_and_execute(|| {
			assert!(DataRegistry::register_key_set(
				RuntimeOrigin::signed(pauper()),
				1,
				[7; 32],
				decryptor(),
				key_manifest()
			)
			.is_err());
			assert!(KeySets::<Test>::get(0).is_none());
		});
	}

	#[test]
	fn retiring_an_unknown_key_set() {
		build_and_execute(|| {
			assert_noop!(
				DataRegistry::retire_key_set(RuntimeOrigin::signed(hospital()), 3),
				Error::<Test>::UnknownKeySet
			);
		});
	}

	#[test]
	fn retiring_someone_elses_key_set() {
		build_and_execute(|| {
			let key_set = ready_key_set(&hospital());
			assert_noop!(
				DataRegistry::retire_key_set(RuntimeOrigin::signed(clinic()), key_set),
				Error::<Test>::NotKeySetOwner
			);
		});
	}

	#[test]
	fn retiring_a_key_set_in_use() {
		build_and_execute(|| {
			let (dataset, _) = registered_dataset(&hospital());
			let key_set = crate::Datasets::<Test>::get(dataset).expect("registered").key_set;
			assert_noop!(
				DataRegistry::retire_key_set(RuntimeOrigin::signed(hospital()), key_set),
				Error::<Test>::KeySetInUse
			);
		});
	}
}

#[test]
fn retiring_an_unused_key_set_returns_its_deposit_and_clears_its_blobs() {
	let mut ext = new_test_ext();
	let key = tokenfactory_primitives::datasets::blob_offchain_key(BlobTarget::KeySet(0), 0);
	ext.execute_with(|| {
		ready_key_set(&hospital());
	});
	ext.persist_offchain_overlay();
	assert_eq!(ext.offchain_db().get(&key), Some(key_blobs()[0].clone()));
	ext.execute_with(|| {
		assert_ok!(DataRegistry::retire_key_set(RuntimeOrigin::signed(hospital()), 0));
		assert!(KeySets::<Test>::get(0).is_none());
		assert_eq!(crate::Blobs::<Test>::iter_prefix(BlobTarget::KeySet(0)).count(), 0);
		assert_eq!(Balances::balance_on_hold(&HoldReason::KeySetDeposit.into(), &hospital()), 0);
		assert!(registry_events().contains(&Event::KeySetRetired { key_set: 0 }));
		DataRegistry::do_try_state().expect("invariants hold");
	});
	ext.persist_offchain_overlay();
	assert_eq!(ext.offchain_db().get(&key), None);
}
