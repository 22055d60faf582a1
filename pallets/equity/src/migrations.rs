//! Storage migrations, each a `VersionedMigration` that runs once and checks its outcome.

/// Version 0 to 1: every open resolution records its electorate, the supply its quorum is
/// measured against. Resolutions opened before the upgrade get the supply at the upgrade,
/// which is what their quorum was measured against until then. A class created with a zero
/// quorum (allowed before version 1, and a way for one holder to decide alone) gets
/// [`DEFAULT_QUORUM`].
pub mod v1 {
	use crate::{pallet::*, types::*};
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use codec::{Decode, Encode, MaxEncodedLen};
	use polkadot_sdk::sp_runtime::Perbill;
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration,
			pallet_prelude::*,
			storage_alias,
			traits::{Get, UncheckedOnRuntimeUpgrade},
		},
		frame_system::pallet_prelude::BlockNumberFor,
	};

	/// The quorum a class without one gets: the one the `tokenfactory` CLI creates classes with.
	pub const DEFAULT_QUORUM: Perbill = Perbill::from_percent(20);

	/// A resolution as version 0 stored it: without its electorate.
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct ProposalV0<T: Config> {
		/// The class whose holders decide.
		pub class: T::ClassId,
		/// Who proposed it.
		pub proposer: AccountIdOf<T>,
		/// The SCALE-encoded call.
		pub call: BoundedVec<u8, T::MaxCallLen>,
		/// The storage deposit held from the proposer.
		pub deposit: BalanceOf<T>,
		/// The last voting block.
		pub end: BlockNumberFor<T>,
		/// Shares voting for.
		pub ayes: SharesOf<T>,
		/// Shares voting against.
		pub nays: SharesOf<T>,
	}

	/// Version 0's storage, for the migration's checks and its test.
	#[allow(missing_docs, reason = "`storage_alias` expands to an undocumented prefix struct")]
	pub mod v0 {
		use super::*;

		/// The resolution map as version 0 encoded it (same pallet prefix and name).
		#[storage_alias]
		pub type Proposals<T: Config> =
			StorageMap<Pallet<T>, Twox64Concat, ProposalId, ProposalV0<T>>;
	}

	/// The migration's body; run it only through [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut translated: u64 = 0;
			Proposals::<T>::translate::<ProposalV0<T>, _>(|_, old| {
				translated = translated.saturating_add(1);
				Some(Proposal {
					electorate: Pallet::<T>::supply_of(old.class),
					class: old.class,
					proposer: old.proposer,
					call: old.call,
					deposit: old.deposit,
					end: old.end,
					ayes: old.ayes,
					nays: old.nays,
				})
			});
			let mut classes: u64 = 0;
			let mut requorumed: u64 = 0;
			Classes::<T>::translate_values::<ShareClass<T>, _>(|mut class| {
				classes = classes.saturating_add(1);
				if class.governance.quorum.is_zero() {
					class.governance.quorum = DEFAULT_QUORUM;
					requorumed = requorumed.saturating_add(1);
				}
				Some(class)
			});
			// Per resolution: read it and its class's supply, write it back; per class: read it
			// and write it back.
			T::DbWeight::get().reads_writes(
				translated.saturating_mul(2).saturating_add(classes),
				translated.saturating_add(classes),
			)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			Ok((v0::Proposals::<T>::iter().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			let mut after = 0u32;
			for (_, proposal) in Proposals::<T>::iter() {
				ensure!(
					proposal.electorate == Pallet::<T>::supply_of(proposal.class),
					"electorate is not the supply at the upgrade"
				);
				after = after.saturating_add(1);
			}
			ensure!(before == after, "a resolution was lost or added by the migration");
			ensure!(
				Classes::<T>::iter_values().all(|class| !class.governance.quorum.is_zero()),
				"a class still has no quorum"
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
