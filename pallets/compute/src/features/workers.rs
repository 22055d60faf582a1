//! Workers: registration, bonds, unbonding, withdrawal and slashing.

use crate::*;
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchResult,
};
use tokenfactory_primitives::compute::{JobId, WorkerKey, WorkerKeyProof, WorkerSignature};

impl<T: Config> Pallet<T> {
	/// Checks that `proof` is `key`'s signature of a [`WorkerKeyProof`] for `who`: the key's
	/// holder agrees to compute for `who`.
	///
	/// # Errors
	///
	/// [`Error::BadKeyProof`].
	pub fn ensure_key_proof(
		who: &T::AccountId,
		key: &WorkerKey,
		proof: &WorkerSignature,
	) -> DispatchResult {
		let statement = WorkerKeyProof::new(Self::genesis_hash(), who);
		ensure!(
			statement.using_encoded(|payload| sp_io::crypto::sr25519_verify(proof, payload, key)),
			Error::<T>::BadKeyProof
		);
		Ok(())
	}

	/// Registers `who` as an active worker with `bond` held and `key` as its signing key, once
	/// `proof` shows that the key's holder agrees ([`Self::ensure_key_proof`]); genesis
	/// workers (`proof: None`) are vouched for by the chain specification.
	///
	/// # Errors
	///
	/// [`Error::AlreadyWorker`], [`Error::KeyInUse`], [`Error::BondTooLow`],
	/// [`Error::BadKeyProof`], [`Error::TooManyWorkers`], or the currency's error if `bond`
	/// cannot be held.
	pub fn do_register_worker(
		who: T::AccountId,
		key: WorkerKey,
		bond: BalanceOf<T>,
		proof: Option<&WorkerSignature>,
	) -> DispatchResult {
		ensure!(!Workers::<T>::contains_key(&who), Error::<T>::AlreadyWorker);
		ensure!(!WorkerKeys::<T>::contains_key(key), Error::<T>::KeyInUse);
		ensure!(bond >= T::MinWorkerBond::get(), Error::<T>::BondTooLow);
		if let Some(proof) = proof {
			Self::ensure_key_proof(&who, &key, proof)?;
		}
		ActiveWorkers::<T>::try_append(who.clone()).map_err(|_| Error::<T>::TooManyWorkers)?;
		T::Currency::hold(&HoldReason::WorkerBond.into(), &who, bond)?;
		Workers::<T>::insert(
			&who,
			Worker { key, bond, status: WorkerStatus::Active, open_jobs: 0 },
		);
		WorkerKeys::<T>::insert(key, &who);
		Self::deposit_event(Event::WorkerRegistered { worker: who, key, bond });
		Ok(())
	}

	/// Adds `amount` to `who`'s bond.
	///
	/// # Errors
	///
	/// [`Error::NotWorker`], [`Error::Overflow`], or the currency's error.
	pub fn do_bond_extra(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		Workers::<T>::try_mutate(&who, |worker| {
			let worker = worker.as_mut().ok_or(Error::<T>::NotWorker)?;
			worker.bond = worker.bond.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			T::Currency::hold(&HoldReason::WorkerBond.into(), &who, amount)?;
			Self::deposit_event(Event::BondIncreased { worker: who.clone(), bond: worker.bond });
			Ok(())
		})
	}

	/// Takes `who` out of the active set; its bond is withdrawable after the unbonding delay.
	///
	/// # Errors
	///
	/// [`Error::NotWorker`], [`Error::AlreadyUnbonding`].
	pub fn do_unbond(who: T::AccountId) -> DispatchResult {
		Workers::<T>::try_mutate(&who, |worker| {
			let worker = worker.as_mut().ok_or(Error::<T>::NotWorker)?;
			ensure!(worker.status == WorkerStatus::Active, Error::<T>::AlreadyUnbonding);
			let withdrawable_at =
				frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingDelay::get());
			worker.status = WorkerStatus::Unbonding { withdrawable_at };
			ActiveWorkers::<T>::mutate(|active| active.retain(|account| account != &who));
			Self::deposit_event(Event::WorkerUnbonding { worker: who.clone(), withdrawable_at });
			Ok(())
		})
	}

	/// Returns an unbonded worker's bond and forgets it.
	///
	/// # Errors
	///
	/// [`Error::NotWorker`], [`Error::NotUnbonding`], [`Error::UnbondingNotOver`],
	/// [`Error::JobsStillOpen`].
	pub fn do_withdraw(who: T::AccountId) -> DispatchResult {
		let worker = Workers::<T>::get(&who).ok_or(Error::<T>::NotWorker)?;
		let WorkerStatus::Unbonding { withdrawable_at } = worker.status else {
			return Err(Error::<T>::NotUnbonding.into());
		};
		ensure!(
			frame_system::Pallet::<T>::block_number() >= withdrawable_at,
			Error::<T>::UnbondingNotOver
		);
		ensure!(worker.open_jobs == 0, Error::<T>::JobsStillOpen);
		let returned = T::Currency::release(
			&HoldReason::WorkerBond.into(),
			&who,
			worker.bond,
			Precision::BestEffort,
		)?;
		Workers::<T>::remove(&who);
		WorkerKeys::<T>::remove(worker.key);
		Self::deposit_event(Event::WorkerWithdrawn { worker: who, bond: returned });
		Ok(())
	}

	/// Slashes `who` for a fault on `job`: the slash amount (or what is left of its bond) goes
	/// to the treasury; a worker left below the minimum bond leaves the active set and starts
	/// unbonding.
	pub(crate) fn slash(who: &T::AccountId, job: JobId, reason: SlashReason) {
		let Some(mut worker) = Workers::<T>::get(who) else {
			// Cannot happen: a worker with open jobs cannot withdraw.
			return;
		};
		let wanted = T::SlashAmount::get().min(worker.bond);
		let amount = T::Currency::transfer_on_hold(
			&HoldReason::WorkerBond.into(),
			who,
			&T::Treasury::get(),
			wanted,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
		.unwrap_or_else(|error| {
			log::error!(target: LOG_TARGET, "slashing {who:?} on job {job} failed: {error:?}");
			Zero::zero()
		});
		worker.bond = worker.bond.saturating_sub(amount);
		Self::deposit_event(Event::WorkerSlashed { worker: who.clone(), job, amount, reason });
		if worker.bond < T::MinWorkerBond::get() && worker.status == WorkerStatus::Active {
			// Out of the active set, but not out of its duties: the rest of the bond stays held
			// through the unbonding delay and answers for the jobs it is still assigned, like
			// any leaving worker's. It withdraws once both are over.
			let withdrawable_at =
				frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingDelay::get());
			worker.status = WorkerStatus::Unbonding { withdrawable_at };
			ActiveWorkers::<T>::mutate(|active| active.retain(|account| account != who));
			Self::deposit_event(Event::WorkerRemoved { worker: who.clone(), withdrawable_at });
		}
		Workers::<T>::insert(who, worker);
	}
}
