//! Jobs: validation against the dataset's terms, quotes, submission, the draw of the workers
//! in the next block, and the deadline queue.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::Preservation,
		Randomness,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Hash, One, Saturating, Zero},
	DispatchError, DispatchResult,
};
use tokenfactory_primitives::{
	compute::{result_blocks, JobId, JobOrder, Payment, Quote, RefundReason, SealingKey},
	datasets::{DataCatalog, DatasetId, JobRefusal, JobTerms},
	programs::Query,
	voucher::ChannelCharger,
};

/// How many blocks past its nominal block a deadline may slide when that block is full.
const DEADLINE_SEARCH: u32 = 16;

impl<T: Config> Pallet<T> {
	/// What a job of `query` on `dataset` would be: its terms, the query with the cohort
	/// minimum the job applies, the result's block count and the circuit shape.
	///
	/// # Errors
	///
	/// [`Error::UnknownDataset`], [`Error::DatasetNotActive`], [`Error::ProgramNotAllowed`],
	/// [`Error::DatasetHasNoOwner`], [`Error::OwnerBondTooLow`], [`Error::TooManyPredicates`], [`Error::NoDecryptor`],
	/// [`Error::InvalidQuery`], [`Error::NoCircuitForResult`].
	#[allow(clippy::type_complexity)]
	pub fn prepare_job(
		dataset: DatasetId,
		mut query: Query,
	) -> Result<(JobTerms<T::AccountId, BalanceOf<T>, T::ClassId>, Query, u32, u32), DispatchError>
	{
		let terms =
			T::Catalog::job_terms(dataset, query.program.kind()).map_err(
				|refusal| match refusal {
					JobRefusal::UnknownDataset => Error::<T>::UnknownDataset,
					JobRefusal::NotActive => Error::<T>::DatasetNotActive,
					JobRefusal::ProgramNotAllowed => Error::<T>::ProgramNotAllowed,
					JobRefusal::NoOwner => Error::<T>::DatasetHasNoOwner,
					JobRefusal::OwnerBondTooLow => Error::<T>::OwnerBondTooLow,
				},
			)?;
		if let Some(max) = terms.max_predicates {
			ensure!(query.filter.len() <= usize::from(max), Error::<T>::TooManyPredicates);
		}
		// Nobody could sign the reveal: refuse the job rather than hold the consumer's money
		// until the reveal deadline.
		ensure!(T::Catalog::decryptor(terms.key_set).is_some(), Error::<T>::NoDecryptor);
		// A consumer may ask for a stricter gate, never a looser one.
		query.min_cohort = query.min_cohort.max(terms.min_cohort);
		let layout = query
			.validate(&terms.schema, u64::from(terms.rows))
			.map_err(|_| Error::<T>::InvalidQuery)?;
		let blocks = result_blocks(&layout);
		let circuit = VerifyingKeys::<T>::iter_keys()
			.filter(|circuit| *circuit >= blocks)
			.min()
			.ok_or(Error::<T>::NoCircuitForResult)?;
		Ok((terms, query, blocks, circuit))
	}

	/// [`Self::prepare_job`] as clients see it: the price, the gate, the result's shape.
	///
	/// # Errors
	///
	/// As [`Self::prepare_job`].
	pub fn quote(dataset: DatasetId, query: Query) -> Result<Quote<BalanceOf<T>>, DispatchError> {
		let (terms, query, result_blocks, circuit_blocks) = Self::prepare_job(dataset, query)?;
		Ok(Quote {
			price: terms.price,
			min_cohort: query.min_cohort,
			result_blocks,
			circuit_blocks,
			replicas: ReplicationFactor::<T>::get(),
		})
	}

	/// Buys a job: validates it against the dataset's terms, checks that enough workers have
	/// room, takes the price into escrow and queues the job for its workers, whom the next
	/// block's randomness draws ([`Self::assign_queued`]). Returns the job's id.
	///
	/// # Errors
	///
	/// As [`Self::prepare_job`]; [`Error::NotEnoughWorkers`], [`Error::WorkersBusy`] (counting
	/// the jobs already queued for the draw), [`Error::OwnerBondTooLow`],
	/// [`Error::JobQueueFull`], [`Error::Overflow`]; the channel's
	/// or currency's error for a payment (or the job fee) that cannot be taken.
	pub fn do_submit_job(
		who: T::AccountId,
		dataset: DatasetId,
		query: Query,
		payment: PaymentOf<T>,
		consumer_key: SealingKey,
	) -> Result<JobId, DispatchError> {
		let order = JobOrder::new(dataset, &query, &consumer_key).hash();
		let (terms, query, result_blocks, circuit_blocks) = Self::prepare_job(dataset, query)?;
		let id = NextJobId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let queued = Unassigned::<T>::decode_len().unwrap_or(0) as u32;
		Self::ensure_room_for(queued.saturating_add(1))?;
		Unassigned::<T>::try_append(id).map_err(|_| Error::<T>::JobQueueFull)?;
		// What the consumer may be owed if the owner fails it, set aside out of the owner's
		// bond for the job's whole life: every running job stays backed.
		let exposure = terms.price.saturating_add(T::RevealPenalty::get());
		T::Catalog::reserve_bond(terms.key_set, exposure)
			.map_err(|_| Error::<T>::OwnerBondTooLow)?;
		let fee = T::JobFee::get();
		if !fee.is_zero() {
			T::Currency::transfer(&who, &T::Treasury::get(), fee, Preservation::Preserve)?;
		}
		let escrow_reason: T::RuntimeHoldReason = HoldReason::JobEscrow.into();
		let (consumer, source) = match payment {
			Payment::FreeBalance => {
				T::Currency::hold(&escrow_reason, &who, terms.price)?;
				(who, PaymentSource::FreeBalance)
			}
			Payment::Voucher { voucher, signature } => {
				// The payer signed for exactly this job: whoever submits it, the payer is the
				// consumer, and the answer is sealed to the key it named.
				let payer = T::Channels::charge_job(
					&terms.owner,
					&voucher,
					&signature,
					&order,
					terms.price,
					&escrow_reason,
				)?;
				(payer, PaymentSource::Channel(voucher.channel))
			}
		};

		let now = frame_system::Pallet::<T>::block_number();
		NextJobId::<T>::put(next);
		BondReservations::<T>::insert(id, exposure);
		T::Catalog::job_started(dataset);
		Jobs::<T>::insert(
			id,
			Job {
				dataset,
				consumer: consumer.clone(),
				payment: source,
				price: terms.price,
				owner: terms.owner,
				revenue: terms.revenue,
				key_set: terms.key_set,
				key_commitment: terms.key_commitment,
				schema: terms.schema.try_into().map_err(|_| Error::<T>::InvalidQuery)?,
				rows: terms.rows,
				query,
				result_blocks,
				circuit_blocks,
				consumer_key,
				workers: BoundedVec::new(),
				submitted_at: now,
				// Until it is assigned: the block that draws its workers.
				commit_deadline: now.saturating_add(One::one()),
				opened_at: None,
				result_deadline: now.saturating_add(One::one()),
				result_phase_open: false,
				status: JobStatus::Assigning,
			},
		);
		Self::deposit_event(Event::JobSubmitted {
			job: id,
			dataset,
			consumer,
			price: terms.price,
			fee,
		});
		Ok(id)
	}

	/// Draws the workers of every job submitted before this block, from this block's
	/// randomness (its author's VRF output, which the author of the block that included the
	/// job could not know), and schedules their deadlines; a job that finds no `k` workers
	/// with room any more, or no room for its deadlines, is refunded
	/// ([`RefundReason::Unassignable`]). Runs once per
	/// block, after the inherents ([`frame_support::traits::PostInherents`]), so that jobs
	/// submitted in this block wait for the next one.
	pub(crate) fn assign_queued() {
		let queue = Unassigned::<T>::take();
		if queue.is_empty() {
			return;
		}
		// This block's value: the runtime's randomness must be renewed by every block (the
		// block-randomness inherent is mandatory), or earlier authors would know it.
		let (seed, _) = T::Randomness::random(b"tokenfactory/assign");
		for job in queue {
			let Some(mut record) = Jobs::<T>::get(job) else { continue };
			if !matches!(record.status, JobStatus::Assigning) {
				continue;
			}
			if let Err(error) = Self::assign(job, &mut record, seed) {
				log::warn!(target: LOG_TARGET, "job {job} cannot be assigned ({error:?}); refunded");
				Self::refund(job, &mut record, RefundReason::Unassignable);
				let now = frame_system::Pallet::<T>::block_number();
				if Self::schedule(
					now.saturating_add(T::JobRetention::get()),
					job,
					DeadlineKind::Prune,
				)
				.is_err()
				{
					// Nothing of it is left to keep: forget it now rather than never.
					Jobs::<T>::remove(job);
					Self::deposit_event(Event::JobPruned { job });
					continue;
				}
			}
			Jobs::<T>::insert(job, record);
		}
	}

	/// Assigns `record`'s workers from `seed` and schedules its deadlines. Changes nothing
	/// when it fails.
	pub(crate) fn assign(job: JobId, record: &mut Job<T>, seed: T::Hash) -> DispatchResult {
		let workers = Self::assign_workers(job, seed)?;
		let now = frame_system::Pallet::<T>::block_number();
		let size_allowance: BlockNumberFor<T> =
			(record.rows / T::RowsPerTimeoutBlock::get().max(1)).into();
		// A worker evaluates its jobs one after the other: this one is due its own allowance
		// after the allowances of every job its busiest worker still owes, counted from now
		// (never from other jobs' deadlines, so deadlines cannot ratchet out), so no backlog
		// ever makes a deadline impossible to meet, and none is further than
		// `MaxOpenJobsPerWorker + 1` allowances away.
		let backlog = workers.iter().map(Self::backlog).max().unwrap_or_default();
		let commit_at = now
			.saturating_add(backlog)
			.saturating_add(T::ResultTimeout::get())
			.saturating_add(size_allowance);
		let assignments: BoundedVec<_, T::MaxReplicas> = workers
			.iter()
			.map(|worker| Assignment { worker: worker.clone(), commitment: None, result: None })
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::<T>::Overflow)?;
		frame_support::storage::with_storage_layer(|| -> DispatchResult {
			let commit_deadline = Self::schedule(commit_at, job, DeadlineKind::Commits)?;
			// Opening a committed result is one transaction, not an evaluation.
			let result_deadline = Self::schedule(
				commit_deadline.saturating_add(T::OpenTimeout::get()),
				job,
				DeadlineKind::Results,
			)?;
			Self::schedule(
				result_deadline.saturating_add(T::JobRetention::get()),
				job,
				DeadlineKind::Prune,
			)?;
			record.commit_deadline = commit_deadline;
			record.result_deadline = result_deadline;
			Ok(())
		})?;
		for worker in &workers {
			Assignments::<T>::insert(worker, job, ());
			Workers::<T>::mutate(worker, |entry| {
				if let Some(entry) = entry {
					entry.open_jobs = entry.open_jobs.saturating_add(1);
				}
			});
		}
		record.workers = assignments;
		record.result_phase_open = true;
		record.status = JobStatus::Computing;
		Self::deposit_event(Event::JobAssigned {
			job,
			workers,
			commit_deadline: record.commit_deadline,
			result_deadline: record.result_deadline,
		});
		Ok(())
	}

	/// The blocks `worker` may need for the jobs it still owes a result: the sum of their
	/// allowances (the result timeout and the size allowance of each).
	pub(crate) fn backlog(worker: &T::AccountId) -> BlockNumberFor<T> {
		Assignments::<T>::iter_key_prefix(worker).filter_map(Jobs::<T>::get).fold(
			Zero::zero(),
			|total: BlockNumberFor<T>, job| {
				let allowance: BlockNumberFor<T> =
					(job.rows / T::RowsPerTimeoutBlock::get().max(1)).into();
				total.saturating_add(T::ResultTimeout::get()).saturating_add(allowance)
			},
		)
	}

	/// How many results `worker` still owes (its queue; a submitted result frees its slot).
	pub(crate) fn owed(worker: &T::AccountId) -> u32 {
		Assignments::<T>::iter_key_prefix(worker).count() as u32
	}

	/// The active workers with room for another job, if there are at least the replication
	/// factor's number of them.
	///
	/// # Errors
	///
	/// [`Error::NotEnoughWorkers`], [`Error::WorkersBusy`].
	pub(crate) fn candidates() -> Result<Vec<T::AccountId>, DispatchError> {
		let active = ActiveWorkers::<T>::get().into_inner();
		let wanted = ReplicationFactor::<T>::get() as usize;
		ensure!(wanted > 0 && active.len() >= wanted, Error::<T>::NotEnoughWorkers);
		let capacity = T::MaxOpenJobsPerWorker::get();
		let candidates: Vec<T::AccountId> =
			active.into_iter().filter(|worker| Self::owed(worker) < capacity).collect();
		ensure!(candidates.len() >= wanted, Error::<T>::WorkersBusy);
		Ok(candidates)
	}

	/// Whether the workers with room can take `jobs` more jobs (the queued ones and a new one),
	/// each of `k` distinct workers: each worker takes at most its remaining room, and at most
	/// one place per job, so together they offer `Σ min(room, jobs)` places for the `k · jobs`
	/// wanted. A submission the next draw could not serve is refused here, before its fee is
	/// taken, rather than refunded there without it.
	///
	/// # Errors
	///
	/// [`Error::NotEnoughWorkers`], [`Error::WorkersBusy`].
	pub(crate) fn ensure_room_for(jobs: u32) -> DispatchResult {
		let candidates = Self::candidates()?;
		let capacity = T::MaxOpenJobsPerWorker::get();
		let places: u64 = candidates
			.iter()
			.map(|worker| u64::from(capacity.saturating_sub(Self::owed(worker)).min(jobs)))
			.sum();
		let wanted = u64::from(ReplicationFactor::<T>::get()).saturating_mul(u64::from(jobs));
		ensure!(places >= wanted, Error::<T>::WorkersBusy);
		Ok(())
	}

	/// Picks the replication factor's number of distinct active workers with room for another
	/// job for job `id`, from the job id and `seed` (a partial Fisher–Yates shuffle driven by a
	/// hash chain), so that every node computes the same assignment.
	pub(crate) fn assign_workers(
		id: JobId,
		seed: T::Hash,
	) -> Result<Vec<T::AccountId>, DispatchError> {
		let mut candidates = Self::candidates()?;
		let wanted = ReplicationFactor::<T>::get() as usize;
		let mut seed = T::Hashing::hash_of(&(b"tokenfactory/assign", id, seed));
		for position in 0..wanted {
			let word =
				seed.as_ref().iter().take(8).fold(0u64, |acc, byte| (acc << 8) | u64::from(*byte));
			let remaining = (candidates.len() - position) as u64;
			let pick = position + (word % remaining) as usize;
			candidates.swap(position, pick);
			seed = T::Hashing::hash_of(&seed);
		}
		candidates.truncate(wanted);
		Ok(candidates)
	}

	/// Puts `(job, kind)` in the deadline queue of block `at`, or of the first block after it
	/// with room. Returns the block it went to.
	pub(crate) fn schedule(
		at: BlockNumberFor<T>,
		job: JobId,
		kind: DeadlineKind,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let mut block = at;
		for _ in 0..DEADLINE_SEARCH {
			if Deadlines::<T>::try_append(block, (job, kind)).is_ok() {
				return Ok(block);
			}
			block = block.saturating_add(One::one());
		}
		Err(Error::<T>::DeadlineQueueFull.into())
	}
}
