//! Deadlines: commit, result and reveal deadlines, and the prune of finished jobs.

use crate::{weights::WeightInfo, *};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, DispatchResult};
use tokenfactory_primitives::{
	compute::{JobId, RefundReason},
	datasets::DataCatalog,
};

impl<T: Config> Pallet<T> {
	/// Handles every deadline of block `now`; returns the weight used.
	pub(crate) fn process_deadlines(now: BlockNumberFor<T>) -> Weight {
		let entries = Deadlines::<T>::take(now);
		let mut weight = T::DbWeight::get().reads_writes(1, 1);
		for (job, kind) in entries {
			weight = weight.saturating_add(match kind {
				DeadlineKind::Commits => {
					Self::on_commit_deadline(job, now);
					T::WeightInfo::on_result_deadline(T::MaxReplicas::get())
				}
				DeadlineKind::Results => {
					Self::on_result_deadline(job);
					T::WeightInfo::on_result_deadline(T::MaxReplicas::get())
				}
				DeadlineKind::Reveal => {
					Self::on_reveal_deadline(job);
					T::WeightInfo::on_reveal_deadline()
				}
				DeadlineKind::Prune => {
					Self::prune(job);
					T::WeightInfo::prune_job()
				}
			});
		}
		weight
	}

	/// The commit deadline: the results open if a majority committed; otherwise the job is
	/// refunded, and the workers that did not commit are slashed.
	pub(crate) fn on_commit_deadline(job: JobId, now: BlockNumberFor<T>) {
		let Some(mut record) = Jobs::<T>::get(job) else { return };
		if !record.result_phase_open || record.results_open() {
			return;
		}
		if record.committed() >= record.majority() {
			Self::open_results(job, &mut record, now);
		} else {
			Self::refund(job, &mut record, RefundReason::ResultTimeout);
			Self::close_result_phase(job, &mut record);
		}
		Jobs::<T>::insert(job, record);
	}

	/// The result deadline: a job still computing is refunded; absent workers are slashed.
	pub(crate) fn on_result_deadline(job: JobId) {
		let Some(mut record) = Jobs::<T>::get(job) else { return };
		if matches!(record.status, JobStatus::Computing) {
			Self::refund(job, &mut record, RefundReason::ResultTimeout);
		}
		Self::close_result_phase(job, &mut record);
		Jobs::<T>::insert(job, record);
	}

	/// The reveal deadline: a job still awaiting its reveal is refunded, and the owner pays
	/// the reveal penalty to the consumer out of its key set's bond.
	pub(crate) fn on_reveal_deadline(job: JobId) {
		let Some(mut record) = Jobs::<T>::get(job) else { return };
		if matches!(record.status, JobStatus::AwaitingReveal { .. }) {
			Self::refund(job, &mut record, RefundReason::RevealTimeout);
			Self::penalize_owner(
				job,
				&record,
				T::RevealPenalty::get(),
				RefundReason::RevealTimeout,
			);
			Jobs::<T>::insert(job, record);
		}
	}

	/// Gives the job's bond reservation back to its key set.
	pub(crate) fn release_reservation(
		job: JobId,
		key_set: tokenfactory_primitives::datasets::KeySetId,
	) {
		if let Some(amount) = BondReservations::<T>::take(job) {
			T::Catalog::release_bond(key_set, amount);
		}
	}

	/// Pays `amount` (as much as the bond holds) of the job's key-set bond to its consumer.
	pub(crate) fn penalize_owner(
		job: JobId,
		record: &Job<T>,
		amount: BalanceOf<T>,
		reason: RefundReason,
	) {
		let paid = T::Catalog::slash_bond(record.key_set, amount, &record.consumer);
		log::warn!(
			target: LOG_TARGET,
			"job {job}: the owner's decryptor failed ({reason:?}); {paid:?} of key set {}'s bond to the consumer",
			record.key_set
		);
		Self::deposit_event(Event::OwnerPenalized {
			job,
			key_set: record.key_set,
			consumer: record.consumer.clone(),
			amount: paid,
			reason,
		});
	}

	/// Decides a consumer's complaint about the seal of a revealed job (see
	/// [`Pallet::complain`]).
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], [`Error::NotRevealed`], [`Error::WrongSealingSecret`],
	/// [`Error::SealIsValid`].
	pub fn do_complain(job: JobId, sealing_secret: [u8; 32]) -> DispatchResult {
		use tokenfactory_primitives::seal;
		let mut record = Jobs::<T>::get(job).ok_or(Error::<T>::UnknownJob)?;
		let JobStatus::Revealed { result_commitment, sealed, .. } = &record.status else {
			return Err(Error::<T>::NotRevealed.into());
		};
		// The cheap check first: only the holder of the job's consumer key can complain.
		ensure!(
			seal::sealing_public(&sealing_secret) == record.consumer_key,
			Error::<T>::WrongSealingSecret
		);
		let valid = seal::open(&sealing_secret, job, sealed)
			.is_ok_and(|opening| opening.matches(&seal::poseidon_config(), job, result_commitment));
		ensure!(!valid, Error::<T>::SealIsValid);
		// The owner is at fault; the workers computed what was asked and keep their pay. The
		// consumer gets what the job set aside (a job from before reservations: the same
		// amount, as far as the bond goes).
		let compensation = BondReservations::<T>::get(job)
			.unwrap_or_else(|| record.price.saturating_add(T::RevealPenalty::get()));
		Self::penalize_owner(job, &record, compensation, RefundReason::SealRefuted);
		Self::release_reservation(job, record.key_set);
		record.status = JobStatus::Refunded { reason: RefundReason::SealRefuted };
		Jobs::<T>::insert(job, record);
		Ok(())
	}

	/// The retention period is over: anything still open is closed (refunded, slashed), then
	/// the job is forgotten.
	pub(crate) fn prune(job: JobId) {
		let Some(mut record) = Jobs::<T>::take(job) else { return };
		if record.status.holds_escrow() {
			let awaiting = matches!(record.status, JobStatus::AwaitingReveal { .. });
			let reason =
				if awaiting { RefundReason::RevealTimeout } else { RefundReason::ResultTimeout };
			Self::refund(job, &mut record, reason);
			if awaiting {
				// A reveal deadline that slid to the prune is still a missed reveal.
				Self::penalize_owner(job, &record, T::RevealPenalty::get(), reason);
			}
		}
		Self::close_result_phase(job, &mut record);
		AwaitingReveal::<T>::remove(job);
		if !matches!(record.status, JobStatus::Refunded { reason } if reason != RefundReason::SealRefuted)
		{
			// Revealed (or refunded on a complaint): its complaint window is over now.
			T::Catalog::job_finished(record.dataset);
			Self::release_reservation(job, record.key_set);
		}
		Self::deposit_event(Event::JobPruned { job });
	}
}
