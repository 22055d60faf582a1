//! Storage migrations, each a `VersionedMigration` that runs once and checks its outcome.

/// Version 0 to 1: the replication factor is odd. Version 0 allowed an even one, with which a
/// tie of honest and dishonest digests lets one worker force a refund; an even factor becomes
/// the next odd one (the one below if that would exceed `MaxReplicas`). Jobs already assigned
/// keep their workers.
pub mod v1 {
	use crate::pallet::*;
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use polkadot_sdk::frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		traits::{Get, UncheckedOnRuntimeUpgrade},
	};

	/// The migration's body; run it only through [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let replicas = ReplicationFactor::<T>::get();
			if replicas % 2 == 0 {
				let odd = if replicas < T::MaxReplicas::get() {
					replicas.saturating_add(1)
				} else {
					replicas.saturating_sub(1).max(1)
				};
				ReplicationFactor::<T>::put(odd);
				Pallet::<T>::deposit_event(Event::ReplicationFactorSet { replicas: odd });
				return T::DbWeight::get().reads_writes(1, 2);
			}
			T::DbWeight::get().reads(1)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			ensure!(
				Pallet::<T>::is_valid_replication_factor(ReplicationFactor::<T>::get()),
				"the replication factor is not odd and within MaxReplicas"
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
