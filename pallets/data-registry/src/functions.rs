//! The logic behind the calls, the [`DataCatalog`] implementation and the invariants.

use crate::{
	pallet::*, programs_are_distinct, BalanceOf, Dataset, DatasetDescription, DatasetTerms, KeySet,
};
use alloc::vec::Vec;
use codec::{Encode, MaxEncodedLen};
use frame_support::{
	ensure,
	traits::{
		fungible::MutateHold,
		tokens::{nonfungibles_v2, Fortitude, Precision, Restriction},
		Get,
	},
	BoundedVec,
};
use polkadot_sdk::*;
use sp_runtime::{
	traits::{CheckedAdd, CheckedMul, Saturating, Zero},
	DispatchError, DispatchResult,
};
use tokenfactory_primitives::{
	compute::DecryptorKey,
	datasets::{
		blob_offchain_key, BlobIndex, BlobInfo, BlobKind, BlobSpec, BlobTarget, DataCatalog,
		DatasetId, DatasetStatus, JobRefusal, JobTerms, KeySetId, ProgramKind, RevenueDestination,
	},
	revenue::RevenueSink,
};

impl<T: Config> Pallet<T> {
	/// Registers a key set for `owner` and holds its storage deposit. Returns its id.
	///
	/// # Errors
	/// [`Error::EmptyManifest`], [`Error::InvalidBlobSize`], [`Error::WrongBlobKind`],
	/// [`Error::IncompleteKeyMaterial`], [`Error::Overflow`], or the currency's error if
	/// `owner` cannot afford the deposit.
	pub fn do_register_key_set(
		owner: T::AccountId,
		parameter_set: u32,
		key_commitment: [u8; 32],
		decryptor: DecryptorKey,
		blobs: BoundedVec<BlobSpec, T::MaxKeySetBlobs>,
	) -> Result<KeySetId, DispatchError> {
		Self::ensure_valid_manifest(&blobs, true)?;
		let count = |kind: BlobKind| blobs.iter().filter(|blob| blob.kind == kind).count();
		ensure!(
			count(BlobKind::ServerKeyChunk) >= 1
				&& count(BlobKind::PublicKey) >= 1
				&& count(BlobKind::ProofParameters) >= 1,
			Error::<T>::IncompleteKeyMaterial
		);
		let key_set = NextKeySetId::<T>::get();
		let next = key_set.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let blob_count = blobs.len() as u32;
		let mut record = KeySet::<T> {
			owner: owner.clone(),
			deposit: Zero::zero(),
			parameter_set,
			key_commitment,
			decryptor: Some(decryptor),
			blob_count,
			missing: blob_count,
			datasets: 0,
		};
		record.deposit = Self::deposit_for(record.encoded_size(), blob_count)?;
		T::Currency::hold(&HoldReason::KeySetDeposit.into(), &owner, record.deposit)?;
		let bond = T::KeySetBond::get();
		T::Currency::hold(&HoldReason::KeySetBond.into(), &owner, bond)?;
		KeySetBonds::<T>::insert(key_set, bond);

		Self::insert_manifest(BlobTarget::KeySet(key_set), &blobs);
		NextKeySetId::<T>::put(next);
		KeySets::<T>::insert(key_set, record);
		Self::deposit_event(Event::KeySetRegistered { key_set, owner, blobs: blob_count });
		Self::deposit_event(Event::KeySetBonded { key_set, amount: bond, bond });
		Ok(key_set)
	}

	/// Adds `amount` to the bond of `owner`'s `key_set`.
	///
	/// # Errors
	/// [`Error::ZeroBond`], [`Error::UnknownKeySet`], [`Error::NotKeySetOwner`],
	/// [`Error::Overflow`], or the currency's error.
	pub fn do_bond_key_set(
		owner: T::AccountId,
		key_set: KeySetId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroBond);
		let record = KeySets::<T>::get(key_set).ok_or(Error::<T>::UnknownKeySet)?;
		ensure!(record.owner == owner, Error::<T>::NotKeySetOwner);
		let bond =
			KeySetBonds::<T>::get(key_set).checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		T::Currency::hold(&HoldReason::KeySetBond.into(), &owner, amount)?;
		KeySetBonds::<T>::insert(key_set, bond);
		Self::deposit_event(Event::KeySetBonded { key_set, amount, bond });
		Ok(())
	}

	/// Sets the decryptor key of `owner`'s `key_set` (the key its reveals must be signed with).
	///
	/// # Errors
	/// [`Error::UnknownKeySet`], [`Error::NotKeySetOwner`].
	pub fn do_set_decryptor(
		owner: T::AccountId,
		key_set: KeySetId,
		decryptor: DecryptorKey,
	) -> DispatchResult {
		KeySets::<T>::try_mutate(key_set, |record| {
			let record = record.as_mut().ok_or(Error::<T>::UnknownKeySet)?;
			ensure!(record.owner == owner, Error::<T>::NotKeySetOwner);
			record.decryptor = Some(decryptor);
			Self::deposit_event(Event::DecryptorSet { key_set, decryptor });
			Ok(())
		})
	}

	/// Retires `owner`'s unused key set: clears its manifest and blobs, returns the deposit.
	///
	/// # Errors
	/// [`Error::UnknownKeySet`], [`Error::NotKeySetOwner`], [`Error::KeySetInUse`].
	pub fn do_retire_key_set(owner: T::AccountId, key_set: KeySetId) -> DispatchResult {
		let record = KeySets::<T>::get(key_set).ok_or(Error::<T>::UnknownKeySet)?;
		ensure!(record.owner == owner, Error::<T>::NotKeySetOwner);
		ensure!(record.datasets == 0, Error::<T>::KeySetInUse);
		T::Currency::release(
			&HoldReason::KeySetDeposit.into(),
			&owner,
			record.deposit,
			Precision::Exact,
		)?;
		T::Currency::release(
			&HoldReason::KeySetBond.into(),
			&owner,
			KeySetBonds::<T>::take(key_set),
			Precision::Exact,
		)?;
		// No dataset, so no job: nothing is reserved (any rounding left is forgotten).
		KeySetReserved::<T>::remove(key_set);
		Self::remove_manifest(BlobTarget::KeySet(key_set), record.blob_count);
		KeySets::<T>::remove(key_set);
		Self::deposit_event(Event::KeySetRetired { key_set });
		Ok(())
	}

	/// Registers a dataset of `owner` under its ready `key_set`, mints its token in
	/// `collection` and holds the storage deposit. Returns its id.
	///
	/// # Errors
	/// [`Error::NotCollectionOwner`], [`Error::UnknownKeySet`], [`Error::NotKeySetOwner`],
	/// [`Error::KeySetNotReady`], the schema's ([`Error::EmptySchema`],
	/// [`Error::EmptyColumnName`], [`Error::DuplicateColumn`], [`Error::NoRows`]), the terms'
	/// (see [`Self::ensure_valid_terms`]), the manifest's ([`Error::EmptyManifest`],
	/// [`Error::InvalidBlobSize`], [`Error::WrongBlobKind`]), [`Error::Overflow`], or the NFT
	/// pallet's or the currency's error.
	pub fn do_register(
		owner: T::AccountId,
		collection: T::CollectionId,
		key_set: KeySetId,
		description: DatasetDescription<T>,
		terms: DatasetTerms<T>,
		blobs: BoundedVec<BlobSpec, T::MaxDatasetBlobs>,
	) -> Result<DatasetId, DispatchError> {
		ensure!(
			<T::Nfts as nonfungibles_v2::Inspect<_>>::collection_owner(&collection).as_ref()
				== Some(&owner),
			Error::<T>::NotCollectionOwner
		);
		let mut keys = KeySets::<T>::get(key_set).ok_or(Error::<T>::UnknownKeySet)?;
		ensure!(keys.owner == owner, Error::<T>::NotKeySetOwner);
		ensure!(keys.is_ready(), Error::<T>::KeySetNotReady);
		Self::ensure_valid_description(&description)?;
		Self::ensure_valid_terms(&terms, description.rows)?;
		Self::ensure_valid_manifest(&blobs, false)?;

		let dataset = NextDatasetId::<T>::get();
		let next = dataset.checked_add(1).ok_or(Error::<T>::Overflow)?;
		keys.datasets = keys.datasets.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let blob_count = blobs.len() as u32;
		let mut record = Dataset::<T> {
			collection,
			depositor: owner.clone(),
			deposit: Zero::zero(),
			description,
			terms,
			key_set,
			blob_count,
			missing: blob_count,
			status: DatasetStatus::Uploading,
			running_jobs: 0,
			revenue_class: None,
		};
		// The terms are counted at their largest so that changing them never moves the deposit.
		let size = record
			.encoded_size()
			.saturating_sub(record.terms.encoded_size())
			.saturating_add(DatasetTerms::<T>::max_encoded_len());
		record.deposit = Self::deposit_for(size, blob_count)?;

		<T::Nfts as nonfungibles_v2::Mutate<_, _>>::mint_into(
			&collection,
			&dataset,
			&owner,
			&T::NftItemConfig::default(),
			false,
		)?;
		T::Currency::hold(&HoldReason::DatasetDeposit.into(), &owner, record.deposit)?;

		Self::insert_manifest(BlobTarget::Dataset(dataset), &blobs);
		NextDatasetId::<T>::put(next);
		KeySets::<T>::insert(key_set, keys);
		let deposit = record.deposit;
		Datasets::<T>::insert(dataset, record);
		Self::deposit_event(Event::DatasetRegistered {
			dataset,
			owner,
			collection,
			key_set,
			blobs: blob_count,
			deposit,
		});
		Ok(dataset)
	}

	/// Stores blob `index` of `target` in the offchain database and marks it present; the
	/// last blob of a key set makes it ready, the last of a dataset makes it `Active`.
	///
	/// # Errors
	/// [`Error::UnknownKeySet`], [`Error::UnknownDataset`], [`Error::DatasetRetired`],
	/// [`Error::BlobNotInManifest`], [`Error::BlobAlreadyPresent`],
	/// [`Error::BlobSizeMismatch`], [`Error::BlobHashMismatch`].
	pub fn do_upload_chunk(target: BlobTarget, index: BlobIndex, bytes: Vec<u8>) -> DispatchResult {
		let (size, remaining) = match target {
			BlobTarget::KeySet(key_set) => KeySets::<T>::try_mutate(key_set, |record| {
				let record = record.as_mut().ok_or(Error::<T>::UnknownKeySet)?;
				let size = Self::store_blob(target, index, &bytes)?;
				record.missing = record.missing.saturating_sub(1);
				if record.missing == 0 {
					Self::deposit_event(Event::KeySetReady { key_set });
				}
				Ok::<_, DispatchError>((size, record.missing))
			})?,
			BlobTarget::Dataset(dataset) => Datasets::<T>::try_mutate(dataset, |record| {
				let record = record.as_mut().ok_or(Error::<T>::UnknownDataset)?;
				ensure!(
					!matches!(record.status, DatasetStatus::Retired(_)),
					Error::<T>::DatasetRetired
				);
				let size = Self::store_blob(target, index, &bytes)?;
				record.missing = record.missing.saturating_sub(1);
				if record.missing == 0 && record.status == DatasetStatus::Uploading {
					record.status = DatasetStatus::Active;
					Self::deposit_event(Event::DatasetActivated { dataset });
				}
				Ok::<_, DispatchError>((size, record.missing))
			})?,
		};
		Self::deposit_event(Event::BlobUploaded { target, index, size, remaining });
		Ok(())
	}

	/// Checks `bytes` against manifest entry `index` of `target`, writes them to the offchain
	/// database and marks the entry present. Returns the blob's size.
	fn store_blob(
		target: BlobTarget,
		index: BlobIndex,
		bytes: &[u8],
	) -> Result<u32, DispatchError> {
		let mut blob = Blobs::<T>::get(target, index).ok_or(Error::<T>::BlobNotInManifest)?;
		ensure!(!blob.present, Error::<T>::BlobAlreadyPresent);
		ensure!(bytes.len() as u64 == u64::from(blob.spec.size), Error::<T>::BlobSizeMismatch);
		ensure!(sp_io::hashing::blake2_256(bytes) == blob.spec.hash, Error::<T>::BlobHashMismatch);
		sp_io::offchain_index::set(&blob_offchain_key(target, index), bytes);
		blob.present = true;
		Blobs::<T>::insert(target, index, blob);
		Ok(blob.spec.size)
	}

	/// Sets the price of `dataset`.
	///
	/// # Errors
	/// [`Error::UnknownDataset`], [`Error::NotOwner`], [`Error::DatasetRetired`].
	pub fn do_set_price(
		who: T::AccountId,
		dataset: DatasetId,
		price: BalanceOf<T>,
	) -> DispatchResult {
		Self::mutate_terms(&who, dataset, |record| {
			record.terms.price = price;
			Ok(())
		})?;
		Self::deposit_event(Event::PriceChanged { dataset, price });
		Ok(())
	}

	/// Sets the allowed programs of `dataset`.
	///
	/// # Errors
	/// [`Error::UnknownDataset`], [`Error::NotOwner`], [`Error::DatasetRetired`], and the
	/// terms' errors (see [`Self::ensure_valid_terms`]).
	pub fn do_set_programs(
		who: T::AccountId,
		dataset: DatasetId,
		programs: crate::ProgramsOf<T>,
	) -> DispatchResult {
		let count = programs.len() as u32;
		Self::mutate_terms(&who, dataset, |record| {
			let terms = DatasetTerms::<T> { programs, ..record.terms.clone() };
			Self::ensure_valid_terms(&terms, record.description.rows)?;
			record.terms = terms;
			Ok(())
		})?;
		Self::deposit_event(Event::ProgramsChanged { dataset, programs: count });
		Ok(())
	}

	/// Sets the cohort minimum of `dataset`.
	///
	/// # Errors
	/// [`Error::UnknownDataset`], [`Error::NotOwner`], [`Error::DatasetRetired`],
	/// [`Error::InvalidMinCohort`], [`Error::ProgramCohortTooLow`].
	pub fn do_set_min_cohort(
		who: T::AccountId,
		dataset: DatasetId,
		min_cohort: u32,
	) -> DispatchResult {
		Self::mutate_terms(&who, dataset, |record| {
			let terms = DatasetTerms::<T> { min_cohort, ..record.terms.clone() };
			Self::ensure_valid_terms(&terms, record.description.rows)?;
			record.terms = terms;
			Ok(())
		})?;
		Self::deposit_event(Event::MinCohortChanged { dataset, min_cohort });
		Ok(())
	}

	/// Pauses an active dataset.
	///
	/// # Errors
	/// [`Error::UnknownDataset`], [`Error::NotOwner`], [`Error::NotActive`].
	pub fn do_pause(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let mut record = Self::ensure_owner(&who, dataset)?;
		ensure!(record.status == DatasetStatus::Active, Error::<T>::NotActive);
		record.status = DatasetStatus::Paused;
		Datasets::<T>::insert(dataset, record);
		Self::deposit_event(Event::DatasetPaused { dataset });
		Ok(())
	}

	/// Resumes a paused dataset.
	///
	/// # Errors
	/// [`Error::UnknownDataset`], [`Error::NotOwner`], [`Error::NotPaused`].
	pub fn do_resume(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let mut record = Self::ensure_owner(&who, dataset)?;
		ensure!(record.status == DatasetStatus::Paused, Error::<T>::NotPaused);
		record.status = DatasetStatus::Active;
		Datasets::<T>::insert(dataset, record);
		Self::deposit_event(Event::DatasetResumed { dataset });
		Ok(())
	}

	/// Routes `dataset`'s owner revenue to `class` (or back to the owner with `None`).
	///
	/// # Errors
	/// [`Error::UnknownDataset`], [`Error::NotOwner`], [`Error::DatasetRetired`],
	/// [`Error::UnknownClass`].
	pub fn do_set_revenue_destination(
		who: T::AccountId,
		dataset: DatasetId,
		class: Option<T::ClassId>,
	) -> DispatchResult {
		if let Some(class) = &class {
			ensure!(T::Revenue::class_exists(class), Error::<T>::UnknownClass);
		}
		Self::mutate_terms(&who, dataset, |record| {
			record.revenue_class = class.map(|class| (who.clone(), class));
			Ok(())
		})?;
		Self::deposit_event(Event::RevenueDestinationChanged { dataset, class });
		Ok(())
	}

	/// Retires `dataset`: no new jobs; reapable after the grace period. If its token no longer
	/// exists (burnt outside the registry), anyone may retire it.
	///
	/// # Errors
	/// [`Error::UnknownDataset`], [`Error::NotOwner`], [`Error::DatasetRetired`].
	pub fn do_retire(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let mut record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		if let Some(owner) = Self::owner_of(dataset, &record) {
			ensure!(owner == who, Error::<T>::NotOwner);
		}
		ensure!(!matches!(record.status, DatasetStatus::Retired(_)), Error::<T>::DatasetRetired);
		let now = frame_system::Pallet::<T>::block_number();
		record.status = DatasetStatus::Retired(now);
		Datasets::<T>::insert(dataset, record);
		let reapable_at = now.saturating_add(T::RetireGracePeriod::get());
		Self::deposit_event(Event::DatasetRetired { dataset, reapable_at });
		Ok(())
	}

	/// Removes a retired `dataset` after its grace period once no job runs.
	///
	/// # Errors
	/// [`Error::UnknownDataset`], [`Error::NotRetired`], [`Error::GracePeriodNotOver`],
	/// [`Error::JobsStillRunning`], or the NFT pallet's error if the token cannot be burnt.
	pub fn do_reap(dataset: DatasetId) -> DispatchResult {
		let record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		let DatasetStatus::Retired(retired_at) = record.status else {
			return Err(Error::<T>::NotRetired.into());
		};
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			now >= retired_at.saturating_add(T::RetireGracePeriod::get()),
			Error::<T>::GracePeriodNotOver
		);
		ensure!(record.running_jobs == 0, Error::<T>::JobsStillRunning);

		if Self::owner_of(dataset, &record).is_some() {
			<T::Nfts as nonfungibles_v2::Mutate<_, _>>::burn(&record.collection, &dataset, None)?;
		}
		T::Currency::release(
			&HoldReason::DatasetDeposit.into(),
			&record.depositor,
			record.deposit,
			Precision::Exact,
		)?;
		Self::remove_manifest(BlobTarget::Dataset(dataset), record.blob_count);
		KeySets::<T>::mutate(record.key_set, |keys| {
			if let Some(keys) = keys {
				keys.datasets = keys.datasets.saturating_sub(1);
			}
		});
		Datasets::<T>::remove(dataset);
		Self::deposit_event(Event::DatasetReaped {
			dataset,
			deposit_returned_to: record.depositor,
		});
		Ok(())
	}

	/// The current owner of `dataset`: the holder of its token, if the token exists.
	pub fn owner_of(dataset: DatasetId, record: &Dataset<T>) -> Option<T::AccountId> {
		<T::Nfts as nonfungibles_v2::Inspect<_>>::owner(&record.collection, &dataset)
	}

	/// Where the owner's revenue of `dataset` goes now: the class its current owner chose, or
	/// the owner's account. `None` if the token no longer exists.
	pub fn revenue_destination(
		dataset: DatasetId,
		record: &Dataset<T>,
	) -> Option<RevenueDestination<T::AccountId, T::ClassId>> {
		Self::owner_of(dataset, record).map(|owner| Self::revenue_of(owner, record))
	}

	/// Where `owner`'s revenue of `record` goes: the class `owner` chose, else `owner`.
	fn revenue_of(
		owner: T::AccountId,
		record: &Dataset<T>,
	) -> RevenueDestination<T::AccountId, T::ClassId> {
		match &record.revenue_class {
			Some((chooser, class)) if *chooser == owner => RevenueDestination::EquityClass(*class),
			_ => RevenueDestination::Owner(owner),
		}
	}

	/// The manifest of `target`, in blob order (empty if it does not exist).
	pub fn manifest(target: BlobTarget) -> Vec<BlobInfo> {
		let count = match target {
			BlobTarget::KeySet(id) => KeySets::<T>::get(id).map(|record| record.blob_count),
			BlobTarget::Dataset(id) => Datasets::<T>::get(id).map(|record| record.blob_count),
		};
		(0..count.unwrap_or(0)).filter_map(|index| Blobs::<T>::get(target, index)).collect()
	}

	/// The terms are valid for a dataset of `rows` rows.
	///
	/// # Errors
	/// [`Error::NoPrograms`], [`Error::DuplicateProgram`], [`Error::InvalidMinCohort`],
	/// [`Error::ProgramCohortTooLow`].
	pub fn ensure_valid_terms(terms: &DatasetTerms<T>, rows: u32) -> DispatchResult {
		ensure!(!terms.programs.is_empty(), Error::<T>::NoPrograms);
		ensure!(programs_are_distinct(&terms.programs), Error::<T>::DuplicateProgram);
		ensure!((1..=rows).contains(&terms.min_cohort), Error::<T>::InvalidMinCohort);
		for policy in terms.programs.iter() {
			if let Some(own) = policy.min_cohort {
				ensure!(own >= terms.min_cohort, Error::<T>::ProgramCohortTooLow);
				ensure!(own <= rows, Error::<T>::InvalidMinCohort);
			}
		}
		Ok(())
	}

	fn ensure_valid_description(description: &DatasetDescription<T>) -> DispatchResult {
		ensure!(!description.schema.is_empty(), Error::<T>::EmptySchema);
		for (i, column) in description.schema.iter().enumerate() {
			ensure!(!column.name.is_empty(), Error::<T>::EmptyColumnName);
			ensure!(
				description.schema[..i].iter().all(|other| other.name != column.name),
				Error::<T>::DuplicateColumn
			);
		}
		ensure!(description.rows > 0, Error::<T>::NoRows);
		Ok(())
	}

	fn ensure_valid_manifest(blobs: &[BlobSpec], key_material: bool) -> DispatchResult {
		ensure!(!blobs.is_empty(), Error::<T>::EmptyManifest);
		for blob in blobs {
			ensure!(
				blob.size > 0 && blob.size <= T::MaxChunkSize::get(),
				Error::<T>::InvalidBlobSize
			);
			ensure!(blob.kind.is_key_material() == key_material, Error::<T>::WrongBlobKind);
		}
		Ok(())
	}

	/// Loads `dataset` and checks that `who` holds its token.
	fn ensure_owner(who: &T::AccountId, dataset: DatasetId) -> Result<Dataset<T>, DispatchError> {
		let record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(Self::owner_of(dataset, &record).as_ref() == Some(who), Error::<T>::NotOwner);
		Ok(record)
	}

	/// Applies an owner's change to a dataset that is not retired.
	fn mutate_terms(
		who: &T::AccountId,
		dataset: DatasetId,
		change: impl FnOnce(&mut Dataset<T>) -> DispatchResult,
	) -> DispatchResult {
		let mut record = Self::ensure_owner(who, dataset)?;
		ensure!(!matches!(record.status, DatasetStatus::Retired(_)), Error::<T>::DatasetRetired);
		change(&mut record)?;
		Datasets::<T>::insert(dataset, record);
		Ok(())
	}

	/// The storage deposit of a record of `bytes` bytes with `blobs` manifest entries.
	fn deposit_for(bytes: usize, blobs: u32) -> Result<BalanceOf<T>, DispatchError> {
		let per_byte = T::DepositPerByte::get()
			.checked_mul(&BalanceOf::<T>::from(bytes as u32))
			.ok_or(Error::<T>::Overflow)?;
		let per_blob = T::DepositPerBlob::get()
			.checked_mul(&BalanceOf::<T>::from(blobs))
			.ok_or(Error::<T>::Overflow)?;
		T::DepositBase::get()
			.checked_add(&per_byte)
			.and_then(|sum| sum.checked_add(&per_blob))
			.ok_or_else(|| Error::<T>::Overflow.into())
	}

	fn insert_manifest(target: BlobTarget, blobs: &[BlobSpec]) {
		for (index, spec) in blobs.iter().enumerate() {
			Blobs::<T>::insert(
				target,
				index as BlobIndex,
				BlobInfo { spec: *spec, present: false },
			);
		}
	}

	fn remove_manifest(target: BlobTarget, blob_count: u32) {
		for index in 0..blob_count {
			if let Some(blob) = Blobs::<T>::take(target, index) {
				if blob.present {
					sp_io::offchain_index::clear(&blob_offchain_key(target, index));
				}
			}
		}
	}

	/// The pallet's invariants:
	/// - every record's manifest has exactly `blob_count` entries, and `missing` counts those
	///   not present;
	/// - a dataset is `Uploading` exactly when blobs are missing (unless retired), so `Active`
	///   and `Paused` datasets have every blob;
	/// - a key set counts exactly the datasets registered under it, and those key sets are
	///   ready;
	/// - every account's deposit holds equal the deposits of the records it registered;
	/// - ids in use are below the next ids.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame_support::traits::fungible::InspectHold;

		let check_manifest = |target: BlobTarget, blob_count: u32, missing: u32| {
			let blobs: Vec<BlobInfo> = Blobs::<T>::iter_prefix_values(target).collect();
			ensure!(blobs.len() as u32 == blob_count, "manifest length differs from blob_count");
			let absent = blobs.iter().filter(|blob| !blob.present).count() as u32;
			ensure!(absent == missing, "missing differs from the absent blobs");
			Ok::<(), sp_runtime::TryRuntimeError>(())
		};

		let mut dataset_holds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut key_set_holds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut bond_holds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut datasets_per_key_set: BTreeMap<KeySetId, u32> = BTreeMap::new();
		for (id, record) in Datasets::<T>::iter() {
			ensure!(id < NextDatasetId::<T>::get(), "dataset id at or above NextDatasetId");
			check_manifest(BlobTarget::Dataset(id), record.blob_count, record.missing)?;
			match record.status {
				DatasetStatus::Uploading => {
					ensure!(record.missing > 0, "uploading with no blob missing")
				}
				DatasetStatus::Active | DatasetStatus::Paused => {
					ensure!(record.missing == 0, "active or paused with blobs missing")
				}
				DatasetStatus::Retired(_) => {}
			}
			*dataset_holds.entry(record.depositor.clone()).or_default() += record.deposit;
			*datasets_per_key_set.entry(record.key_set).or_default() += 1;
		}
		for (id, record) in KeySets::<T>::iter() {
			ensure!(id < NextKeySetId::<T>::get(), "key set id at or above NextKeySetId");
			check_manifest(BlobTarget::KeySet(id), record.blob_count, record.missing)?;
			let users = datasets_per_key_set.remove(&id).unwrap_or(0);
			ensure!(users == record.datasets, "key set's dataset count is wrong");
			ensure!(users == 0 || record.is_ready(), "datasets under a key set that is not ready");
			*key_set_holds.entry(record.owner.clone()).or_default() += record.deposit;
			*bond_holds.entry(record.owner.clone()).or_default() += KeySetBonds::<T>::get(id);
		}
		for (id, _) in KeySetBonds::<T>::iter() {
			ensure!(KeySets::<T>::contains_key(id), "a bond of a missing key set");
		}
		for (id, reserved) in KeySetReserved::<T>::iter() {
			ensure!(KeySets::<T>::contains_key(id), "a reservation on a missing key set");
			ensure!(reserved <= KeySetBonds::<T>::get(id), "more reserved than bonded");
		}
		ensure!(datasets_per_key_set.is_empty(), "a dataset refers to a missing key set");
		for (who, total) in dataset_holds {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::DatasetDeposit.into(), &who) == total,
				"dataset deposit hold differs from the records"
			);
		}
		for (who, total) in key_set_holds {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::KeySetDeposit.into(), &who) == total,
				"key set deposit hold differs from the records"
			);
		}
		for (who, total) in bond_holds {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::KeySetBond.into(), &who) == total,
				"key set bond hold differs from the records"
			);
		}
		Ok(())
	}
}

impl<T: Config> DataCatalog<T::AccountId, BalanceOf<T>, T::ClassId> for Pallet<T> {
	fn job_terms(
		dataset: DatasetId,
		program: ProgramKind,
	) -> Result<JobTerms<T::AccountId, BalanceOf<T>, T::ClassId>, JobRefusal> {
		let record = Datasets::<T>::get(dataset).ok_or(JobRefusal::UnknownDataset)?;
		if record.status != DatasetStatus::Active {
			return Err(JobRefusal::NotActive);
		}
		let owner = Self::owner_of(dataset, &record).ok_or(JobRefusal::NoOwner)?;
		let revenue = Self::revenue_of(owner.clone(), &record);
		let policy = record
			.terms
			.programs
			.iter()
			.find(|policy| policy.kind == program)
			.ok_or(JobRefusal::ProgramNotAllowed)?;
		let key_commitment = KeySets::<T>::get(record.key_set)
			.map(|keys| keys.key_commitment)
			.ok_or(JobRefusal::UnknownDataset)?;

		Ok(JobTerms {
			owner,
			revenue,
			price: record.terms.price,
			schema: record.description.schema.iter().map(|column| column.width).collect(),
			rows: record.description.rows,
			min_cohort: policy.min_cohort.unwrap_or(0).max(record.terms.min_cohort),
			max_predicates: policy.max_predicates,
			key_set: record.key_set,
			key_commitment,
		})
	}

	fn decryptor(key_set: KeySetId) -> Option<DecryptorKey> {
		KeySets::<T>::get(key_set).and_then(|record| record.decryptor)
	}

	fn reserve_bond(key_set: KeySetId, amount: BalanceOf<T>) -> Result<(), JobRefusal> {
		let reserved = KeySetReserved::<T>::get(key_set);
		let free = KeySetBonds::<T>::get(key_set).saturating_sub(reserved);
		// Nobody pays for an answer that nothing stands behind.
		if free < amount {
			return Err(JobRefusal::OwnerBondTooLow);
		}
		KeySetReserved::<T>::insert(key_set, reserved.saturating_add(amount));
		Ok(())
	}

	fn release_bond(key_set: KeySetId, amount: BalanceOf<T>) {
		let left = KeySetReserved::<T>::get(key_set).saturating_sub(amount);
		if left.is_zero() {
			KeySetReserved::<T>::remove(key_set);
		} else {
			KeySetReserved::<T>::insert(key_set, left);
		}
	}

	fn slash_bond(key_set: KeySetId, amount: BalanceOf<T>, to: &T::AccountId) -> BalanceOf<T> {
		let Some(record) = KeySets::<T>::get(key_set) else { return Zero::zero() };
		let bond = KeySetBonds::<T>::get(key_set);
		let wanted = amount.min(bond);
		if wanted.is_zero() {
			return Zero::zero();
		}
		// Best effort: a bond can only have shrunk below its record through a slash of the
		// whole hold elsewhere (nothing else touches this hold), and then less is paid.
		let paid = T::Currency::transfer_on_hold(
			&HoldReason::KeySetBond.into(),
			&record.owner,
			to,
			wanted,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
		.unwrap_or_default();
		let left = bond.saturating_sub(paid);
		KeySetBonds::<T>::insert(key_set, left);
		Self::deposit_event(Event::KeySetBondSlashed {
			key_set,
			to: to.clone(),
			amount: paid,
			bond: left,
		});
		paid
	}

	fn job_started(dataset: DatasetId) {
		Datasets::<T>::mutate(dataset, |record| {
			if let Some(record) = record {
				record.running_jobs = record.running_jobs.saturating_add(1);
			}
		});
	}

	fn job_finished(dataset: DatasetId) {
		Datasets::<T>::mutate(dataset, |record| {
			if let Some(record) = record {
				record.running_jobs = record.running_jobs.saturating_sub(1);
			}
		});
	}

	fn manifest(target: BlobTarget) -> Vec<BlobInfo> {
		Self::manifest(target)
	}
}
