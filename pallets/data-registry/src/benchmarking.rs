//! FRAME benchmarks (v2) of every call, at the worst case of each.

use super::*;
use crate::pallet::{
	Blobs, Datasets, KeySetBonds, KeySets, NextDatasetId, NextKeySetId, Pallet as DataRegistry,
};
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use polkadot_sdk::*;
use sp_runtime::traits::{Bounded, Saturating};
use tokenfactory_primitives::datasets::{ColumnWidth, ProgramKind};

/// A decryptor key for the benchmarks' key sets.
fn decryptor() -> tokenfactory_primitives::compute::DecryptorKey {
	tokenfactory_primitives::compute::DecryptorKey::from_raw([8; 32])
}

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	who
}

fn bytes_of(seed: u32, size: u32) -> Vec<u8> {
	(0..size).map(|i| (i.wrapping_mul(31).wrapping_add(seed)) as u8).collect()
}

fn spec_of(kind: BlobKind, bytes: &[u8]) -> BlobSpec {
	BlobSpec { kind, size: bytes.len() as u32, hash: sp_io::hashing::blake2_256(bytes) }
}

/// A key-set manifest of `b` one-byte blobs (`b - 2` server key chunks).
fn key_blobs(b: u32) -> Vec<(BlobSpec, Vec<u8>)> {
	(0..b)
		.map(|i| {
			let kind = match i {
				0 => BlobKind::PublicKey,
				1 => BlobKind::ProofParameters,
				_ => BlobKind::ServerKeyChunk,
			};
			let bytes = bytes_of(i, 1);
			(spec_of(kind, &bytes), bytes)
		})
		.collect()
}

fn ready_key_set<T: Config>(owner: &T::AccountId, b: u32) -> KeySetId {
	let blobs = key_blobs(b);
	let manifest: Vec<BlobSpec> = blobs.iter().map(|(spec, _)| *spec).collect();
	let key_set = NextKeySetId::<T>::get();
	assert!(DataRegistry::<T>::do_register_key_set(
		owner.clone(),
		1,
		[7; 32],
		decryptor(),
		BoundedVec::try_from(manifest).expect("b is within MaxKeySetBlobs"),
	)
	.is_ok());
	for (index, (_, bytes)) in blobs.into_iter().enumerate() {
		assert!(DataRegistry::<T>::do_upload_chunk(
			BlobTarget::KeySet(key_set),
			index as u32,
			bytes
		)
		.is_ok());
	}
	key_set
}

fn bounded<S: Get<u32>>(byte: u8) -> BoundedVec<u8, S> {
	BoundedVec::try_from(vec![byte; S::get() as usize]).expect("exactly the bound")
}

/// The largest description the runtime allows.
fn description<T: Config>() -> DatasetDescription<T> {
	DatasetDescription {
		name: bounded::<T::NameLimit>(b'n'),
		description: bounded::<T::DescriptionLimit>(b'd'),
		schema: BoundedVec::try_from(
			(0..T::MaxColumns::get())
				.map(|i| Column {
					name: bounded(b'a'.saturating_add(i as u8)),
					width: ColumnWidth::U32,
				})
				.collect::<Vec<_>>(),
		)
		.expect("MaxColumns columns"),
		rows: 1_000,
	}
}

fn every_program<T: Config>() -> ProgramsOf<T> {
	let kinds = [
		ProgramKind::Count,
		ProgramKind::Sum,
		ProgramKind::Mean,
		ProgramKind::Histogram,
		ProgramKind::WeightedSum,
	];
	let policies: Vec<ProgramPolicy> = kinds
		.into_iter()
		.take(T::MaxPrograms::get() as usize)
		.map(|kind| ProgramPolicy { kind, min_cohort: Some(10), max_predicates: Some(4) })
		.collect();
	BoundedVec::try_from(policies).expect("at most MaxPrograms")
}

fn terms<T: Config>() -> DatasetTerms<T> {
	DatasetTerms { price: 1_000u32.into(), programs: every_program::<T>(), min_cohort: 5 }
}

/// A dataset of `b` blobs of `size` bytes each; its blob bytes are returned.
fn registered<T: Config>(owner: &T::AccountId, b: u32, size: u32) -> (DatasetId, Vec<Vec<u8>>) {
	let key_set = ready_key_set::<T>(owner, 3);
	let collection = T::BenchmarkHelper::create_collection(owner);
	let blobs: Vec<Vec<u8>> = (0..b).map(|i| bytes_of(i, size)).collect();
	let manifest: Vec<BlobSpec> =
		blobs.iter().map(|bytes| spec_of(BlobKind::Ciphertexts, bytes)).collect();
	let dataset = NextDatasetId::<T>::get();
	assert!(DataRegistry::<T>::do_register(
		owner.clone(),
		collection,
		key_set,
		description::<T>(),
		terms::<T>(),
		BoundedVec::try_from(manifest).expect("b is within MaxDatasetBlobs"),
	)
	.is_ok());
	(dataset, blobs)
}

fn active<T: Config>(owner: &T::AccountId, b: u32) -> DatasetId {
	let (dataset, blobs) = registered::<T>(owner, b, 1);
	for (index, bytes) in blobs.into_iter().enumerate() {
		assert!(DataRegistry::<T>::do_upload_chunk(
			BlobTarget::Dataset(dataset),
			index as u32,
			bytes
		)
		.is_ok());
	}
	dataset
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_key_set(b: Linear<3, { T::MaxKeySetBlobs::get() }>) {
		let owner = funded::<T>("owner");
		let manifest: Vec<BlobSpec> = key_blobs(b).into_iter().map(|(spec, _)| spec).collect();
		let manifest = BoundedVec::try_from(manifest).expect("within the bound");
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), 1, [7; 32], decryptor(), manifest);
		assert!(KeySets::<T>::contains_key(0));
	}

	#[benchmark]
	fn retire_key_set(b: Linear<3, { T::MaxKeySetBlobs::get() }>) {
		let owner = funded::<T>("owner");
		let key_set = ready_key_set::<T>(&owner, b);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), key_set);
		assert!(!KeySets::<T>::contains_key(key_set));
	}

	#[benchmark]
	fn register(b: Linear<1, { T::MaxDatasetBlobs::get() }>) {
		let owner = funded::<T>("owner");
		let key_set = ready_key_set::<T>(&owner, 3);
		let collection = T::BenchmarkHelper::create_collection(&owner);
		let manifest: Vec<BlobSpec> =
			(0..b).map(|i| spec_of(BlobKind::Ciphertexts, &bytes_of(i, 1))).collect();
		let manifest = BoundedVec::try_from(manifest).expect("within the bound");
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			collection,
			key_set,
			description::<T>(),
			terms::<T>(),
			manifest,
		);
		assert!(Datasets::<T>::contains_key(0));
	}

	/// The last blob of a dataset: hashing `n` bytes, indexing them, and activating it.
	#[benchmark]
	fn upload_chunk(n: Linear<1, { T::MaxChunkSize::get() }>) {
		let owner = funded::<T>("owner");
		let (dataset, _) = registered::<T>(&owner, 1, n);
		let bytes = BoundedVec::try_from(bytes_of(0, n)).expect("within MaxChunkSize");
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), BlobTarget::Dataset(dataset), 0, bytes);
		assert_eq!(
			Datasets::<T>::get(dataset).map(|record| record.status),
			Some(DatasetStatus::Active)
		);
	}

	#[benchmark]
	fn set_price() {
		let owner = funded::<T>("owner");
		let dataset = active::<T>(&owner, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), dataset, 2_000u32.into());
	}

	#[benchmark]
	fn set_programs() {
		let owner = funded::<T>("owner");
		let dataset = active::<T>(&owner, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), dataset, every_program::<T>());
	}

	#[benchmark]
	fn set_min_cohort() {
		let owner = funded::<T>("owner");
		let dataset = active::<T>(&owner, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), dataset, 7);
	}

	#[benchmark]
	fn bond_key_set() {
		let owner = funded::<T>("owner");
		let key_set = ready_key_set::<T>(&owner, 3);
		let before = KeySetBonds::<T>::get(key_set);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), key_set, T::KeySetBond::get());
		assert!(KeySetBonds::<T>::get(key_set) > before);
	}

	#[benchmark]
	fn pause() {
		let owner = funded::<T>("owner");
		let dataset = active::<T>(&owner, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), dataset);
	}

	#[benchmark]
	fn resume() {
		let owner = funded::<T>("owner");
		let dataset = active::<T>(&owner, 1);
		assert!(DataRegistry::<T>::do_pause(owner.clone(), dataset).is_ok());
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), dataset);
	}

	/// Back to the owner's account; routing to a class adds the equity pallet's one read.
	#[benchmark]
	fn set_revenue_destination() {
		let owner = funded::<T>("owner");
		let dataset = active::<T>(&owner, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), dataset, None);
	}

	#[benchmark]
	fn retire() {
		let owner = funded::<T>("owner");
		let dataset = active::<T>(&owner, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), dataset);
	}

	#[benchmark]
	fn reap(b: Linear<1, { T::MaxDatasetBlobs::get() }>) {
		let owner = funded::<T>("owner");
		let dataset = active::<T>(&owner, b);
		assert!(DataRegistry::<T>::do_retire(owner.clone(), dataset).is_ok());
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(
			now.saturating_add(T::RetireGracePeriod::get()),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), dataset);
		assert!(!Datasets::<T>::contains_key(dataset));
		assert_eq!(Blobs::<T>::iter_prefix(BlobTarget::Dataset(dataset)).count(), 0);
	}

	impl_benchmark_test_suite!(DataRegistry, crate::mock::new_test_ext(), crate::mock::Test);
}
