//! Results: commitments, the opening of the results, and the digests that decide.

use crate::*;
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, DispatchError, DispatchResult};
use tokenfactory_primitives::compute::{
	result_offchain_key, CommitStatement, FieldBytes, JobId, RefundReason, ResultCommitment,
	ResultStatement, WorkerSignature,
};

impl<T: Config> Pallet<T> {
	/// Where `worker` stands in `record` if it may commit now: the result phase is open, the
	/// results are not, and it is assigned and has not committed. Returns its place.
	///
	/// # Errors
	///
	/// [`Error::NotYetAssigned`], [`Error::ResultPhaseClosed`], [`Error::CommitsClosed`],
	/// [`Error::NotAssigned`], [`Error::AlreadyCommitted`].
	pub(crate) fn ensure_can_commit(
		record: &Job<T>,
		worker: &T::AccountId,
	) -> Result<usize, DispatchError> {
		ensure!(!matches!(record.status, JobStatus::Assigning), Error::<T>::NotYetAssigned);
		ensure!(record.result_phase_open, Error::<T>::ResultPhaseClosed);
		ensure!(!record.results_open(), Error::<T>::CommitsClosed);
		let place = Self::place_of(record, worker)?;
		ensure!(record.workers[place].commitment.is_none(), Error::<T>::AlreadyCommitted);
		Ok(place)
	}

	/// Where `worker` is among `record`'s assigned workers.
	///
	/// # Errors
	///
	/// [`Error::NotAssigned`].
	pub(crate) fn place_of(record: &Job<T>, worker: &T::AccountId) -> Result<usize, DispatchError> {
		record
			.workers
			.iter()
			.position(|assignment| &assignment.worker == worker)
			.ok_or_else(|| Error::<T>::NotAssigned.into())
	}

	/// Checks that `signature` is `worker`'s worker key's signature of `statement`.
	///
	/// # Errors
	///
	/// [`Error::NotWorker`], [`Error::BadSignature`].
	pub(crate) fn ensure_worker_signed(
		worker: &T::AccountId,
		statement: impl Encode,
		signature: &WorkerSignature,
	) -> DispatchResult {
		let key = Workers::<T>::get(worker).ok_or(Error::<T>::NotWorker)?.key;
		ensure!(
			statement
				.using_encoded(|payload| sp_io::crypto::sr25519_verify(signature, payload, &key)),
			Error::<T>::BadSignature
		);
		Ok(())
	}

	/// The checks of a commitment (in the pool and in the block), cheapest first. Returns the
	/// job's commit deadline.
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], as [`Self::ensure_can_commit`], [`Error::NotWorker`],
	/// [`Error::BadSignature`].
	pub fn check_commit(
		job: JobId,
		worker: &T::AccountId,
		commitment: &[u8; 32],
		signature: &WorkerSignature,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let record = Jobs::<T>::get(job).ok_or(Error::<T>::UnknownJob)?;
		Self::ensure_can_commit(&record, worker)?;
		let statement = CommitStatement::new(Self::genesis_hash(), job, *commitment);
		Self::ensure_worker_signed(worker, statement, signature)?;
		Ok(record.commit_deadline)
	}

	/// Records `worker`'s commitment for `job`. The last commitment opens the results. (A
	/// majority of commitments does not: a hostile worker that commits garbage at once, with one
	/// fast honest worker, would then open the results before the others had committed, and
	/// turn the job into a refund with nobody slashed.)
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], as [`Self::ensure_can_commit`].
	pub fn do_commit_result(
		job: JobId,
		worker: T::AccountId,
		commitment: [u8; 32],
	) -> DispatchResult {
		let mut record = Jobs::<T>::get(job).ok_or(Error::<T>::UnknownJob)?;
		let place = Self::ensure_can_commit(&record, &worker)?;
		record.workers[place].commitment = Some(commitment);
		Self::deposit_event(Event::ResultCommitted { job, worker, commitment });
		if record.committed() == record.workers.len() {
			Self::open_results(job, &mut record, frame_system::Pallet::<T>::block_number());
		}
		Jobs::<T>::insert(job, record);
		Ok(())
	}

	/// Opens `job`'s results at `now`: no more commitments; the workers that committed open
	/// theirs, the others (at the commit deadline) are out of the job and slashed when the
	/// result phase closes.
	pub(crate) fn open_results(job: JobId, record: &mut Job<T>, now: BlockNumberFor<T>) {
		if !record.result_phase_open || record.results_open() {
			return;
		}
		record.opened_at = Some(now);
		for assignment in record.workers.iter().filter(|a| a.commitment.is_none()) {
			Assignments::<T>::remove(&assignment.worker, job);
		}
		Self::deposit_event(Event::ResultsOpened { job, committed: record.committed() as u32 });
	}

	/// Where `worker` stands in `record` if it may open `digest` and the blob hashing to
	/// `blob_hash` with `salt` now: the results are open, it committed, has not opened, and its
	/// commitment is to exactly these; or it is the last assigned worker without a commitment,
	/// whose commitment would open the results, and it opens at once (every other result is
	/// still hidden behind its commitment, so there is nothing to copy; with one replica this
	/// saves the commit round). Returns its place, and for an opening without a commitment the
	/// commitment it stands for.
	///
	/// # Errors
	///
	/// [`Error::NotYetAssigned`], [`Error::ResultPhaseClosed`], [`Error::NotAssigned`],
	/// [`Error::AlreadySubmitted`], [`Error::ResultsNotOpen`], [`Error::NotCommitted`],
	/// [`Error::CommitmentMismatch`].
	pub(crate) fn ensure_can_open(
		job: JobId,
		record: &Job<T>,
		worker: &T::AccountId,
		digest: FieldBytes,
		blob_hash: [u8; 32],
		salt: [u8; 32],
	) -> Result<(usize, Option<[u8; 32]>), DispatchError> {
		ensure!(!matches!(record.status, JobStatus::Assigning), Error::<T>::NotYetAssigned);
		ensure!(record.result_phase_open, Error::<T>::ResultPhaseClosed);
		let place = Self::place_of(record, worker)?;
		let assignment = &record.workers[place];
		ensure!(assignment.result.is_none(), Error::<T>::AlreadySubmitted);
		let opening =
			ResultCommitment::new(Self::genesis_hash(), job, worker, digest, blob_hash, salt)
				.hash();
		match assignment.commitment {
			Some(committed) => {
				ensure!(record.results_open(), Error::<T>::ResultsNotOpen);
				ensure!(opening == committed, Error::<T>::CommitmentMismatch);
				Ok((place, None))
			}
			None if record.results_open() => Err(Error::<T>::NotCommitted.into()),
			None if record.committed().saturating_add(1) == record.workers.len() => {
				Ok((place, Some(opening)))
			}
			None => Err(Error::<T>::ResultsNotOpen.into()),
		}
	}

	/// The checks of a result's opening (in the pool and in the block), cheapest first: the
	/// job, the worker's place, its commitment (a hash), then the worker key's signature.
	/// Returns the job's result deadline.
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], as [`Self::ensure_can_open`], [`Error::NotWorker`],
	/// [`Error::BadSignature`].
	pub fn check_result_submission(
		job: JobId,
		worker: &T::AccountId,
		digest: &FieldBytes,
		result: &[u8],
		salt: &[u8; 32],
		signature: &WorkerSignature,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let record = Jobs::<T>::get(job).ok_or(Error::<T>::UnknownJob)?;
		let blob_hash = sp_io::hashing::blake2_256(result);
		Self::ensure_can_open(job, &record, worker, *digest, blob_hash, *salt)?;
		let statement = ResultStatement::new(Self::genesis_hash(), job, *digest, blob_hash);
		Self::ensure_worker_signed(worker, statement, signature)?;
		Ok(record.result_deadline)
	}

	/// Records `worker`'s opened result for `job` (the last worker to commit may open at once,
	/// which commits it and opens the results), indexes the blob, and moves the job on: a
	/// majority makes it await its reveal (the minority is slashed at the reveal, when the
	/// proof has shown the majority right), a result against a revealed one is slashed, and a
	/// job whose every committed worker opened without a majority is refunded.
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], as [`Self::ensure_can_open`] (the signature is checked by the
	/// authorization).
	pub fn do_submit_result(
		job: JobId,
		worker: T::AccountId,
		digest: FieldBytes,
		result: Vec<u8>,
		salt: [u8; 32],
	) -> DispatchResult {
		let mut record = Jobs::<T>::get(job).ok_or(Error::<T>::UnknownJob)?;
		let blob_hash = sp_io::hashing::blake2_256(&result);
		let (place, direct) =
			Self::ensure_can_open(job, &record, &worker, digest, blob_hash, salt)?;
		if let Some(commitment) = direct {
			// The last commitment and its opening in one.
			record.workers[place].commitment = Some(commitment);
			Self::deposit_event(Event::ResultCommitted { job, worker: worker.clone(), commitment });
			Self::open_results(job, &mut record, frame_system::Pallet::<T>::block_number());
		}
		let assignment = &mut record.workers[place];
		assignment.result = Some(SubmittedResult { digest, blob_hash });
		sp_io::offchain_index::set(&result_offchain_key(job, &blob_hash), &result);
		Assignments::<T>::remove(&worker, job);
		Self::deposit_event(Event::ResultSubmitted { job, worker: worker.clone(), digest });

		match record.status.clone() {
			JobStatus::Computing => {
				if let Some(agreed) = record.majority_digest() {
					let now = frame_system::Pallet::<T>::block_number();
					let nominal = now.saturating_add(T::RevealTimeout::get());
					// A full queue cannot refuse a worker's result: without a reveal entry the
					// job is refunded when it is pruned.
					let reveal_deadline = Self::schedule(nominal, job, DeadlineKind::Reveal)
						.unwrap_or(record.result_deadline.saturating_add(T::JobRetention::get()));
					record.status = JobStatus::AwaitingReveal { digest: agreed, reveal_deadline };
					AwaitingReveal::<T>::insert(job, ());
					Self::deposit_event(Event::ResultAgreed {
						job,
						digest: agreed,
						reveal_deadline,
					});
				} else if record.all_answered() {
					Self::refund(job, &mut record, RefundReason::NoMajority);
				}
			}
			// A minority is slashed only once the owner's proof shows the majority was right:
			// at the reveal, or at once after it.
			JobStatus::Revealed { digest: agreed, .. } => {
				if digest != agreed {
					Self::slash(&worker, job, SlashReason::WrongResult);
				}
			}
			// An unassigned job has no workers to submit (`ensure_can_open` refused it).
			JobStatus::AwaitingReveal { .. }
			| JobStatus::Refunded { .. }
			| JobStatus::Assigning => {}
		}
		if record.all_answered() {
			Self::close_result_phase(job, &mut record);
		}
		Jobs::<T>::insert(job, record);
		Ok(())
	}

	/// Ends a job's result phase: absent workers ([`Job::absent`]) are slashed and every
	/// assigned worker's open job count drops.
	pub(crate) fn close_result_phase(job: JobId, record: &mut Job<T>) {
		let absent: Vec<T::AccountId> = record
			.workers
			.iter()
			.filter(|assignment| record.absent(assignment))
			.map(|assignment| assignment.worker.clone())
			.collect();
		if Self::release_workers(job, record) {
			for worker in absent {
				Self::slash(&worker, job, SlashReason::MissedDeadline);
			}
		}
	}

	/// Closes a job's result phase without slashing anyone: its workers owe nothing more and
	/// their open-job counts drop. Returns whether the phase was open.
	pub(crate) fn release_workers(job: JobId, record: &mut Job<T>) -> bool {
		if !record.result_phase_open {
			return false;
		}
		record.result_phase_open = false;
		for assignment in record.workers.iter() {
			Assignments::<T>::remove(&assignment.worker, job);
			Workers::<T>::mutate(&assignment.worker, |worker| {
				if let Some(worker) = worker {
					worker.open_jobs = worker.open_jobs.saturating_sub(1);
				}
			});
		}
		true
	}
}
