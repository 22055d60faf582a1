//! Storage migrations, each a `VersionedMigration` that runs once and checks its outcome.

/// Version 0 to 1: a key set names the key its decryptor signs reveals with. Key sets
/// registered before have none (`decryptor: None`): their datasets take no new jobs until the
/// owner calls `set_decryptor`, since nobody could sign their reveals.
pub mod v1 {
	use crate::{pallet::*, types::*, BalanceOf};
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use codec::{Decode, Encode, MaxEncodedLen};
	use polkadot_sdk::frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		storage_alias,
		traits::{Get, UncheckedOnRuntimeUpgrade},
	};
	use tokenfactory_primitives::datasets::KeySetId;

	/// A key set as version 0 stored it: without a decryptor key.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct KeySetV0<T: Config> {
		/// The owner.
		pub owner: T::AccountId,
		/// The storage deposit.
		pub deposit: BalanceOf<T>,
		/// The FHE parameter set.
		pub parameter_set: u32,
		/// The secret-key commitment.
		pub key_commitment: [u8; 32],
		/// Blobs in the manifest.
		pub blob_count: u32,
		/// Blobs not uploaded yet.
		pub missing: u32,
		/// Datasets under it.
		pub datasets: u32,
	}

	/// Version 0's storage, for the migration's checks and its test.
	#[allow(missing_docs, reason = "`storage_alias` expands to an undocumented prefix struct")]
	pub mod v0 {
		use super::*;

		/// The key set map as version 0 encoded it (same pallet prefix and name).
		#[storage_alias]
		pub type KeySets<T: Config> = StorageMap<Pallet<T>, Twox64Concat, KeySetId, KeySetV0<T>>;
	}

	/// The migration's body; run it only through [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut translated: u64 = 0;
			KeySets::<T>::translate::<KeySetV0<T>, _>(|_, old| {
				translated = translated.saturating_add(1);
				Some(KeySet {
					owner: old.owner,
					deposit: old.deposit,
					parameter_set: old.parameter_set,
					key_commitment: old.key_commitment,
					decryptor: None,
					blob_count: old.blob_count,
					missing: old.missing,
					datasets: old.datasets,
				})
			});
			T::DbWeight::get().reads_writes(translated, translated)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			Ok((v0::KeySets::<T>::iter().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			ensure!(
				KeySets::<T>::iter().count() as u32 == before,
				"a key set was lost or added by the migration"
			);
			Pallet::<T>::do_try_state()
		}
	}

	/// Runs [`InnerMigrateV0ToV1`] once, when the stored version is 0, and sets it to 1.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as polkadot_sdk::frame_system::Config>::DbWeight,
	>;
}
