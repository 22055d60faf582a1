//! Governance: verifying keys and the replication factor (Root).

use crate::*;
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::DispatchResult;
use tokenfactory_primitives::compute::DecryptionVerifier;

impl<T: Config> Pallet<T> {
	/// Sets or removes a circuit shape's verifying key.
	///
	/// # Errors
	///
	/// [`Error::MalformedVerifyingKey`], [`Error::TooManyCircuits`].
	pub fn do_set_verifying_key(
		circuit_blocks: u32,
		key: Option<VerifyingKeyOf<T>>,
	) -> DispatchResult {
		match key {
			Some(key) => {
				ensure!(T::Verifier::is_valid_key(&key), Error::<T>::MalformedVerifyingKey);
				ensure!(
					VerifyingKeys::<T>::contains_key(circuit_blocks)
						|| VerifyingKeys::<T>::iter_keys().count() < T::MaxCircuits::get() as usize,
					Error::<T>::TooManyCircuits
				);
				VerifyingKeys::<T>::insert(circuit_blocks, key);
				Self::deposit_event(Event::VerifyingKeySet { circuit_blocks, present: true });
			}
			None => {
				VerifyingKeys::<T>::remove(circuit_blocks);
				Self::deposit_event(Event::VerifyingKeySet { circuit_blocks, present: false });
			}
		}
		Ok(())
	}

	/// Whether `replicas` may be the replication factor: between 1 and `MaxReplicas`, and odd,
	/// so that no split of honest and dishonest digests is ever a tie.
	pub fn is_valid_replication_factor(replicas: u32) -> bool {
		(1..=T::MaxReplicas::get()).contains(&replicas) && replicas % 2 == 1
	}

	/// Sets the replication factor of new jobs.
	///
	/// # Errors
	///
	/// [`Error::InvalidReplicationFactor`], [`Error::EvenReplicationFactor`].
	pub fn do_set_replication_factor(replicas: u32) -> DispatchResult {
		ensure!(
			(1..=T::MaxReplicas::get()).contains(&replicas),
			Error::<T>::InvalidReplicationFactor
		);
		ensure!(replicas % 2 == 1, Error::<T>::EvenReplicationFactor);
		ReplicationFactor::<T>::put(replicas);
		Self::deposit_event(Event::ReplicationFactorSet { replicas });
		Ok(())
	}
}
