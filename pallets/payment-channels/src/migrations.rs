//! Storage migrations, each a `VersionedMigration` that runs once and checks its outcome.

/// Version 0 to 1: a channel keeps its two lanes apart. Version 0 had one `settled` amount for
/// claims and job charges alike; version 1 adds the job lane (`charged`, `job_nonce`). Every
/// existing channel keeps its settled amount as its claim lane and starts its job lane at zero,
/// so its hold (`deposit - settled - charged`) is what it was.
pub mod v1 {
	use crate::{pallet::*, types::*, BalanceOf};
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use codec::{Decode, Encode, MaxEncodedLen};
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration,
			pallet_prelude::*,
			storage_alias,
			traits::{Get, UncheckedOnRuntimeUpgrade},
		},
		frame_system::pallet_prelude::BlockNumberFor,
		sp_runtime::traits::Zero,
	};
	use tokenfactory_primitives::voucher::ChannelId;

	/// A channel as version 0 stored it: one settled amount.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo)]
	pub struct ChannelV0<AccountId, Balance, BlockNumber> {
		/// The payer.
		pub payer: AccountId,
		/// The payee.
		pub payee: AccountId,
		/// Everything committed.
		pub deposit: Balance,
		/// Claimed or charged so far.
		pub settled: Balance,
		/// The storage deposit.
		pub storage_deposit: Balance,
		/// When the close can be finalized.
		pub closes_at: Option<BlockNumber>,
	}

	/// A version 0 channel of this runtime.
	pub type ChannelV0Of<T> = ChannelV0<
		<T as polkadot_sdk::frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
	>;

	/// Version 0's storage, for the migration's checks and its test.
	#[allow(missing_docs, reason = "`storage_alias` expands to an undocumented prefix struct")]
	pub mod v0 {
		use super::*;

		/// The channel map as version 0 encoded it (same pallet prefix and name).
		#[storage_alias]
		pub type Channels<T: Config> =
			StorageMap<Pallet<T>, Twox64Concat, ChannelId, ChannelV0Of<T>>;
	}

	/// The migration's body; run it only through [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut translated: u64 = 0;
			Channels::<T>::translate::<ChannelV0Of<T>, _>(|_, old| {
				translated = translated.saturating_add(1);
				Some(Channel {
					payer: old.payer,
					payee: old.payee,
					deposit: old.deposit,
					settled: old.settled,
					charged: Zero::zero(),
					job_nonce: 0,
					storage_deposit: old.storage_deposit,
					closes_at: old.closes_at,
				})
			});
			T::DbWeight::get().reads_writes(translated, translated)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			Ok((v0::Channels::<T>::iter().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			ensure!(
				Channels::<T>::iter().count() as u32 == before,
				"a channel was lost or added by the migration"
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
