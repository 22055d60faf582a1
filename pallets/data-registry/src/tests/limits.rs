//! Bounded inputs at their limits.

use crate::{mock::*, BlobKind, BlobTarget, Column, DatasetStatus, Datasets};
use frame_support::{assert_ok, BoundedVec};
use polkadot_sdk::*;
use tokenfactory_primitives::datasets::ColumnWidth;

#[test]
fn a_dataset_at_every_limit_registers_and_activates() {
	build_and_execute(|| {
		let key_set = ready_key_set(&hospital());
		let collection = create_collection(&hospital());
		let blobs: Vec<Vec<u8>> =
			(0..MAX_DATASET_BLOBS).map(|seed| blob_bytes(seed as u8, MAX_CHUNK)).collect();
		let manifest: BoundedVec<_, _> = blobs
			.iter()
			.map(|bytes| spec(BlobKind::Ciphertexts, bytes))
			.collect::<Vec<_>>()
			.try_into()
			.expect("at the bound");
		let mut description = description();
		description.name = vec![b'n'; NAME_LIMIT as usize].try_into().expect("at the limit");
		description.description =
			vec![b'd'; DESCRIPTION_LIMIT as usize].try_into().expect("at the limit");
		description.schema = (0..MAX_COLUMNS)
			.map(|i| Column {
				name: vec![b'a' + i as u8; COLUMN_NAME_LIMIT as usize].try_into().expect("limit"),
				width: ColumnWidth::U32,
			})
			.collect::<Vec<_>>()
			.try_into()
			.expect("at the bound");
		description.rows = u32::MAX;
		assert_ok!(DataRegistry::register(
			RuntimeOrigin::signed(hospital()),
			collection,
			key_set,
			description,
			terms(),
			manifest
		));
		for (index, bytes) in blobs.into_iter().enumerate() {
			upload(BlobTarget::Dataset(0), index as u32, bytes);
		}
		assert_eq!(Datasets::<Test>::get(0).expect("exists").status, DatasetStatus::Active);
	});
}

#[test]
fn a_key_set_at_its_blob_limit_registers() {
	build_and_execute(|| {
		let mut manifest = key_manifest().into_inner();
		while manifest.len() < MAX_KEY_SET_BLOBS as usize {
			manifest
				.insert(0, spec(BlobKind::ServerKeyChunk, &blob_bytes(manifest.len() as u8, 9)));
		}
		assert_ok!(DataRegistry::register_key_set(
			RuntimeOrigin::signed(hospital()),
			1,
			[7; 32],
			decryptor(),
			manifest.try_into().expect("at the bound")
		));
	});
}
