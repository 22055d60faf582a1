use crate::{mock::*, BlobTarget, Blobs, DatasetStatus, Datasets, Error, Event, KeySets};
use frame_support::assert_noop;
use polkadot_sdk::*;
use tokenfactory_primitives::datasets::blob_offchain_key;

fn upload_result(target: BlobTarget, index: u32, bytes: Vec<u8>) -> sp_runtime::DispatchResult {
	DataRegistry::upload_chunk(
		RuntimeOrigin::signed(bob()),
		target,
		index,
		bytes.try_into().expect("within MaxChunkSize"),
	)
}

#[test]
fn uploading_every_blob_in_order_activates_the_dataset_and_indexes_the_bytes() {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		let (dataset, _) = registered_dataset(&hospital());
		let target = BlobTarget::Dataset(dataset);
		upload(target, 0, data_blobs()[0].clone());
		assert_eq!(
			Datasets::<Test>::get(dataset).expect("exists").status,
			DatasetStatus::Uploading
		);
		assert!(registry_events().contains(&Event::BlobUploaded {
			target,
			index: 0,
			size: 200,
			remaining: 1
		}));
		upload(target, 1, data_blobs()[1].clone());
		let record = Datasets::<Test>::get(dataset).expect("exists");
		assert_eq!((record.status, record.missing), (DatasetStatus::Active, 0));
		assert!(registry_events().contains(&Event::DatasetActivated { dataset }));
		assert!(Blobs::<Test>::iter_prefix_values(target).all(|blob| blob.present));
		DataRegistry::do_try_state().expect("invariants hold");
	});
	ext.persist_offchain_overlay();
	for (index, bytes) in data_blobs().into_iter().enumerate() {
		let key = blob_offchain_key(BlobTarget::Dataset(0), index as u32);
		assert_eq!(ext.offchain_db().get(&key), Some(bytes));
	}
}

#[test]
fn uploading_out_of_order_also_activates() {
	build_and_execute(|| {
		let (dataset, _) = registered_dataset(&hospital());
		let target = BlobTarget::Dataset(dataset);
		upload(target, 1, data_blobs()[1].clone());
		upload(target, 0, data_blobs()[0].clone());
		assert_eq!(Datasets::<Test>::get(dataset).expect("exists").status, DatasetStatus::Active);
	});
}

#[test]
fn key_set_blobs_arrive_in_any_order() {
	build_and_execute(|| {
		assert!(DataRegistry::register_key_set(
			RuntimeOrigin::signed(hospital()),
			1,
			[7; 32],
			decryptor(),
			key_manifest()
		)
		.is_ok());
		for index in [3, 1, 0, 2] {
			upload(BlobTarget::KeySet(0), index, key_blobs()[index as usize].clone());
		}
		assert!(KeySets::<Test>::get(0).expect("exists").is_ready());
	});
}

mod reject {
	use super::*;

	#[test]
	fn the_same_chunk_twice() {
		build_and_execute(|| {
			let (dataset, _) = registered_dataset(&hospital());
			upload(BlobTarget::Dataset(dataset), 0, data_blobs()[0].clone());
			assert_noop!(
				upload_result(BlobTarget::Dataset(dataset), 0, data_blobs()[0].clone()),
				Error::<Test>::BlobAlreadyPresent
			);
		});
	}

	#[test]
	fn a_chunk_not_in_the_manifest() {
		build_and_execute(|| {
			let (dataset, _) = registered_dataset(&hospital());
			assert_noop!(
				upload_result(BlobTarget::Dataset(dataset), 2, data_blobs()[0].clone()),
				Error::<Test>::BlobNotInManifest
			);
		});
	}

	#[test]
	fn bytes_of_the_wrong_length() {
		build_and_execute(|| {
			let (dataset, _) = registered_dataset(&hospital());
			let mut bytes = data_blobs()[0].clone();
			bytes.pop();
			assert_noop!(
				upload_result(BlobTarget::Dataset(dataset), 0, bytes),
				Error::<Test>::BlobSizeMismatch
			);
		});
	}

	#[test]
	fn bytes_with_the_wrong_hash() {
		build_and_execute(|| {
			let (dataset, _) = registered_dataset(&hospital());
			let mut bytes = data_blobs()[0].clone();
			bytes[17] ^= 1;
			assert_noop!(
				upload_result(BlobTarget::Dataset(dataset), 0, bytes),
				Error::<Test>::BlobHashMismatch
			);
		});
	}

	#[test]
	fn an_unknown_target() {
		build_and_execute(|| {
			assert_noop!(
				upload_result(BlobTarget::Dataset(5), 0, data_blobs()[0].clone()),
				Error::<Test>::UnknownDataset
			);
			assert_noop!(
				upload_result(BlobTarget::KeySet(5), 0, key_blobs()[0].clone()),
				Error::<Test>::UnknownKeySet
			);
		});
	}

	#[test]
	fn a_retired_dataset() {
		build_and_execute(|| {
			let (dataset, _) = registered_dataset(&hospital());
			assert!(DataRegistry::retire(RuntimeOrigin::signed(hospital()), dataset).is_ok());
			assert_noop!(
				upload_result(BlobTarget::Dataset(dataset), 0, data_blobs()[0].clone()),
				Error::<Test>::DatasetRetired
			);
		});
	}
}
