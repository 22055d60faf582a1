//! What every feature uses: the genesis hash, error codes, and the invariants (`try_state`).

use crate::*;
use alloc::vec::Vec;
use frame_support::ensure;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError, ModuleError,
};
use tokenfactory_primitives::compute::JobId;

impl<T: Config> Pallet<T> {
	/// The chain's genesis hash: the domain of worker signatures.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// The byte a refused authorization reports: this pallet's error index, so that a client
	/// sees which check failed.
	pub(crate) fn error_code(error: DispatchError) -> u8 {
		match error {
			DispatchError::Module(ModuleError { error, .. }) => error[0],
			_ => u8::MAX,
		}
	}

	/// The invariants: every worker's bond is held, the active set lists exactly the active
	/// workers, keys map both ways, open-job counts and assignments match the jobs, and every
	/// consumer's escrow hold equals the prices of its unsettled jobs.
	///
	/// # Errors
	///
	/// The first invariant that does not hold.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;
		let bond_reason: T::RuntimeHoldReason = HoldReason::WorkerBond.into();
		let escrow_reason: T::RuntimeHoldReason = HoldReason::JobEscrow.into();
		let active = ActiveWorkers::<T>::get();
		let mut open: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut escrow: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut scheduled: BTreeMap<JobId, Vec<(BlockNumberFor<T>, DeadlineKind)>> =
			BTreeMap::new();
		for (block, entries) in Deadlines::<T>::iter() {
			for (job, kind) in entries {
				scheduled.entry(job).or_default().push((block, kind));
			}
		}
		for (id, _) in BondReservations::<T>::iter() {
			ensure!(
				Jobs::<T>::get(id)
					.is_some_and(|job| !matches!(job.status, JobStatus::Refunded { .. })),
				"a bond reservation outlives its job"
			);
		}
		let unassigned = Unassigned::<T>::get();
		for id in unassigned.iter() {
			ensure!(
				Jobs::<T>::get(id).is_some_and(|job| matches!(job.status, JobStatus::Assigning)),
				"a queued job is not waiting for its workers"
			);
		}
		for (id, job) in Jobs::<T>::iter() {
			let entries = scheduled.get(&id).map(Vec::as_slice).unwrap_or_default();
			if matches!(job.status, JobStatus::Assigning) {
				// Its deadlines come with its workers, in the next block.
				ensure!(unassigned.contains(&id), "a job waiting for its workers is not queued");
				ensure!(
					job.workers.is_empty() && !job.result_phase_open && entries.is_empty(),
					"a job waiting for its workers has workers or deadlines"
				);
			} else {
				ensure!(
					entries.iter().any(|(_, kind)| *kind == DeadlineKind::Prune),
					"a job has no prune deadline: it would never be forgotten"
				);
			}
			ensure!(
				!job.result_phase_open
					|| entries.iter().any(|(_, kind)| *kind == DeadlineKind::Results),
				"a job in its result phase has no result deadline"
			);
			ensure!(
				!job.result_phase_open
					|| job.results_open()
					|| entries.iter().any(|(block, kind)| {
						*block == job.commit_deadline && *kind == DeadlineKind::Commits
					}),
				"a job taking commitments has no commit deadline"
			);
			ensure!(
				job.results_open() || job.workers.iter().all(|a| a.result.is_none()),
				"a result was opened before the results opened"
			);
			if let JobStatus::AwaitingReveal { reveal_deadline, .. } = job.status {
				// Its reveal entry, or (when that block was full) its prune entry, which
				// refunds it.
				ensure!(
					entries.iter().any(|(block, kind)| (*block == reveal_deadline
						&& *kind == DeadlineKind::Reveal)
						|| *kind == DeadlineKind::Prune),
					"a job awaiting its reveal has no reveal deadline"
				);
			}
			// Every consumer is checked, with or without unsettled jobs: a leaked hold shows.
			escrow.entry(job.consumer.clone()).or_default();
			if job.result_phase_open {
				for assignment in job.workers.iter() {
					*open.entry(assignment.worker.clone()).or_default() += 1;
					ensure!(
						!job.owes(assignment)
							|| !Workers::<T>::contains_key(&assignment.worker)
							|| Assignments::<T>::contains_key(&assignment.worker, id),
						"an assigned worker that owes a result is missing from Assignments"
					);
				}
			}
			if job.status.holds_escrow() {
				let entry = escrow.entry(job.consumer.clone()).or_default();
				*entry = entry.saturating_add(job.price);
			}
			ensure!(
				matches!(job.status, JobStatus::AwaitingReveal { .. })
					== AwaitingReveal::<T>::contains_key(id),
				"AwaitingReveal does not match the jobs' status"
			);
		}
		for (account, worker) in Workers::<T>::iter() {
			ensure!(
				T::Currency::balance_on_hold(&bond_reason, &account) == worker.bond,
				"a worker's bond is not what is held"
			);
			ensure!(
				WorkerKeys::<T>::get(worker.key).as_ref() == Some(&account),
				"a worker key does not map back to its worker"
			);
			ensure!(
				(worker.status == WorkerStatus::Active) == active.contains(&account),
				"the active set does not match the workers' status"
			);
			ensure!(
				open.get(&account).copied().unwrap_or(0) == worker.open_jobs,
				"a worker's open-job count does not match the jobs"
			);
		}
		for (account, expected) in escrow {
			ensure!(
				T::Currency::balance_on_hold(&escrow_reason, &account) == expected,
				"a consumer's escrow hold does not match its unsettled jobs"
			);
		}
		for (worker, job, ()) in Assignments::<T>::iter() {
			let record = Jobs::<T>::get(job).ok_or("an assignment names no job")?;
			ensure!(record.result_phase_open, "an assignment of a closed result phase");
			ensure!(
				record.workers.iter().any(|a| a.worker == worker && record.owes(a)),
				"an assignment the job does not owe"
			);
		}
		ensure!(
			WorkerKeys::<T>::iter().count() == Workers::<T>::iter().count(),
			"worker keys and workers differ in number"
		);
		Ok(())
	}
}
