//! The pallet's logic: workers, jobs, results, reveals, settlement and deadlines.

use crate::{weights::WeightInfo, *};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		Randomness,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Hash, One, Saturating, Zero},
	DispatchError, DispatchResult, ModuleError,
};
use tokenfactory_primitives::{
	compute::{
		result_blocks, result_offchain_key, CommitStatement, DecryptionVerifier, DecryptorKey,
		DecryptorSignature, DisputeStatement, FieldBytes, JobId, JobOrder, Payment, Quote,
		RefundReason, ResultCommitment, ResultStatement, RevealStatement, SealingKey, WorkerKey,
		WorkerKeyProof, WorkerSignature,
	},
	datasets::{DataCatalog, DatasetId, JobRefusal, JobTerms, RevenueDestination},
	groth16::DecryptionStatement,
	programs::Query,
	revenue::RevenueSink,
	voucher::ChannelCharger,
};

/// How many blocks past its nominal block a deadline may slide when that block is full.
const DEADLINE_SEARCH: u32 = 16;

impl<T: Config> Pallet<T> {
	// ---------------------------------------------------------------------------------------
	// Workers
	// ---------------------------------------------------------------------------------------

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
	fn slash(who: &T::AccountId, job: JobId, reason: SlashReason) {
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

	// ---------------------------------------------------------------------------------------
	// Jobs
	// ---------------------------------------------------------------------------------------

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
	/// As [`Self::prepare_job`]; [`Error::NotEnoughWorkers`], [`Error::WorkersBusy`],
	/// [`Error::OwnerBondTooLow`], [`Error::JobQueueFull`], [`Error::Overflow`]; the channel's
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
		Self::candidates()?;
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
	fn assign(job: JobId, record: &mut Job<T>, seed: T::Hash) -> DispatchResult {
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
	fn backlog(worker: &T::AccountId) -> BlockNumberFor<T> {
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
	fn owed(worker: &T::AccountId) -> u32 {
		Assignments::<T>::iter_key_prefix(worker).count() as u32
	}

	/// The active workers with room for another job, if there are at least the replication
	/// factor's number of them.
	///
	/// # Errors
	///
	/// [`Error::NotEnoughWorkers`], [`Error::WorkersBusy`].
	fn candidates() -> Result<Vec<T::AccountId>, DispatchError> {
		let active = ActiveWorkers::<T>::get().into_inner();
		let wanted = ReplicationFactor::<T>::get() as usize;
		ensure!(wanted > 0 && active.len() >= wanted, Error::<T>::NotEnoughWorkers);
		let capacity = T::MaxOpenJobsPerWorker::get();
		let candidates: Vec<T::AccountId> =
			active.into_iter().filter(|worker| Self::owed(worker) < capacity).collect();
		ensure!(candidates.len() >= wanted, Error::<T>::WorkersBusy);
		Ok(candidates)
	}

	/// Picks the replication factor's number of distinct active workers with room for another
	/// job for job `id`, from the job id and `seed` (a partial Fisher–Yates shuffle driven by a
	/// hash chain), so that every node computes the same assignment.
	fn assign_workers(id: JobId, seed: T::Hash) -> Result<Vec<T::AccountId>, DispatchError> {
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
	fn schedule(
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

	// ---------------------------------------------------------------------------------------
	// Results
	// ---------------------------------------------------------------------------------------

	/// Where `worker` stands in `record` if it may commit now: the result phase is open, the
	/// results are not, and it is assigned and has not committed. Returns its place.
	///
	/// # Errors
	///
	/// [`Error::NotYetAssigned`], [`Error::ResultPhaseClosed`], [`Error::CommitsClosed`],
	/// [`Error::NotAssigned`], [`Error::AlreadyCommitted`].
	fn ensure_can_commit(record: &Job<T>, worker: &T::AccountId) -> Result<usize, DispatchError> {
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
	fn place_of(record: &Job<T>, worker: &T::AccountId) -> Result<usize, DispatchError> {
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
	fn ensure_worker_signed(
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
	fn open_results(job: JobId, record: &mut Job<T>, now: BlockNumberFor<T>) {
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
	fn ensure_can_open(
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

	// ---------------------------------------------------------------------------------------
	// Reveal and settlement
	// ---------------------------------------------------------------------------------------

	/// A job awaiting its reveal, with its agreed digest, its reveal deadline and the key its
	/// decryptor signs with: what both a reveal and a dispute are checked against.
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], [`Error::NotAwaitingReveal`], [`Error::NoDecryptor`].
	#[allow(clippy::type_complexity)]
	fn awaiting_reveal(
		job: JobId,
	) -> Result<(Job<T>, FieldBytes, BlockNumberFor<T>, DecryptorKey), DispatchError> {
		let record = Jobs::<T>::get(job).ok_or(Error::<T>::UnknownJob)?;
		let JobStatus::AwaitingReveal { digest, reveal_deadline } = record.status else {
			return Err(Error::<T>::NotAwaitingReveal.into());
		};
		let decryptor = T::Catalog::decryptor(record.key_set).ok_or(Error::<T>::NoDecryptor)?;
		Ok((record, digest, reveal_deadline, decryptor))
	}

	/// The checks of a reveal (in the pool and in the block), cheapest first: the job awaits a
	/// reveal, the reveal is signed by the decryptor key registered for the job's key set (over
	/// the job, the commitment, the sealed bytes and the consumer's key), a verifying key exists
	/// for its circuit, and only then the Groth16 proof. Returns the reveal deadline.
	///
	/// Nobody but the owner's decryptor can make a node verify a proof, and only once per job
	/// in the pool (the reveal's `provides` tag is the job).
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], [`Error::NotAwaitingReveal`], [`Error::NoDecryptor`],
	/// [`Error::BadRevealSignature`], [`Error::NoVerifyingKey`], [`Error::InvalidProof`].
	pub fn check_reveal(
		job: JobId,
		result_commitment: &FieldBytes,
		sealed: &[u8],
		proof: &[u8],
		signature: &DecryptorSignature,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let (record, digest, reveal_deadline, decryptor) = Self::awaiting_reveal(job)?;
		let statement = RevealStatement::new(
			Self::genesis_hash(),
			job,
			*result_commitment,
			sealed,
			proof,
			record.consumer_key,
		);
		ensure!(
			statement.using_encoded(|payload| {
				sp_io::crypto::sr25519_verify(signature, payload, &decryptor)
			}),
			Error::<T>::BadRevealSignature
		);
		let key =
			VerifyingKeys::<T>::get(record.circuit_blocks).ok_or(Error::<T>::NoVerifyingKey)?;
		let statement = DecryptionStatement {
			key_commitment: record.key_commitment,
			ciphertext_digest: digest,
			result_commitment: *result_commitment,
			job_id: job,
		};
		T::Verifier::verify(&key, proof, &statement).map_err(|_| Error::<T>::InvalidProof)?;
		Ok(reveal_deadline)
	}

	/// The checks of a dispute: the job awaits a reveal and the decryptor key of its key set
	/// signed the dispute of its agreed digest. Returns the reveal deadline.
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], [`Error::NotAwaitingReveal`], [`Error::NoDecryptor`],
	/// [`Error::BadDisputeSignature`].
	pub fn check_dispute(
		job: JobId,
		signature: &DecryptorSignature,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let (_, digest, reveal_deadline, decryptor) = Self::awaiting_reveal(job)?;
		ensure!(
			DisputeStatement::new(Self::genesis_hash(), job, digest).using_encoded(|payload| {
				sp_io::crypto::sr25519_verify(signature, payload, &decryptor)
			}),
			Error::<T>::BadDisputeSignature
		);
		Ok(reveal_deadline)
	}

	/// Refunds a disputed job: the consumer gets its escrow back, the workers nothing.
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], [`Error::NotAwaitingReveal`].
	pub fn do_dispute(job: JobId) -> DispatchResult {
		let mut record = Jobs::<T>::get(job).ok_or(Error::<T>::UnknownJob)?;
		let JobStatus::AwaitingReveal { digest, .. } = record.status else {
			return Err(Error::<T>::NotAwaitingReveal.into());
		};
		log::warn!(
			target: LOG_TARGET,
			"job {job}: the owner's decryptor disputes the agreed result; refunded, nothing revealed"
		);
		Self::deposit_event(Event::JobDisputed { job, digest });
		Self::refund(job, &mut record, RefundReason::Disputed);
		Jobs::<T>::insert(job, record);
		Ok(())
	}

	/// Records a verified reveal and settles the escrow.
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], [`Error::NotAwaitingReveal`]; a payout the currency refuses.
	pub fn do_reveal(
		job: JobId,
		result_commitment: FieldBytes,
		sealed: SealedOf<T>,
	) -> DispatchResult {
		let mut record = Jobs::<T>::get(job).ok_or(Error::<T>::UnknownJob)?;
		let JobStatus::AwaitingReveal { digest, .. } = record.status else {
			return Err(Error::<T>::NotAwaitingReveal.into());
		};
		Self::settle(job, &record, digest)?;
		// The proof shows the agreed result is the decryption the owner vouches for: the
		// workers who opened another digest were wrong. (Refuted or never revealed, the
		// majority proved nothing, and nobody is slashed for disagreeing with it.)
		for assignment in record.workers.iter() {
			if assignment.result.is_some_and(|result| result.digest != digest) {
				Self::slash(&assignment.worker, job, SlashReason::WrongResult);
			}
		}
		AwaitingReveal::<T>::remove(job);
		// The dataset (and its key set's bond) stays until the complaint window closes at the
		// job's prune: `job_finished` is called there.
		Self::deposit_event(Event::ResultRevealed {
			job,
			consumer: record.consumer.clone(),
			result_commitment,
			sealed: sealed.to_vec(),
		});
		record.status = JobStatus::Revealed { digest, result_commitment, sealed };
		Jobs::<T>::insert(job, record);
		Ok(())
	}

	/// Pays out a revealed job's escrow: the workers' share equally to those who agreed, the
	/// treasury's share, and the rest (rounding dust included) to the owner or its equity
	/// class. A worker's or the treasury's payment the currency refuses (an amount below the
	/// existential deposit for an empty account) goes to the owner instead, so nothing stays
	/// held.
	fn settle(job: JobId, record: &Job<T>, agreed: FieldBytes) -> DispatchResult {
		let price = record.price;
		let reason: T::RuntimeHoldReason = HoldReason::JobEscrow.into();
		let pay = |to: &T::AccountId, amount: BalanceOf<T>| -> bool {
			amount.is_zero()
				|| T::Currency::transfer_on_hold(
					&reason,
					&record.consumer,
					to,
					amount,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Polite,
				)
				.is_ok()
		};
		let agreeing: Vec<&T::AccountId> = record
			.workers
			.iter()
			.filter(|assignment| assignment.result.is_some_and(|result| result.digest == agreed))
			.map(|assignment| &assignment.worker)
			.collect();
		let workers_total = T::WorkerShare::get().mul_floor(price);
		let per_worker = match BalanceOf::<T>::try_from(agreeing.len()) {
			Ok(count) if !count.is_zero() => workers_total / count,
			_ => Zero::zero(),
		};
		let mut to_workers: BalanceOf<T> = Zero::zero();
		for worker in agreeing {
			if pay(worker, per_worker) {
				to_workers = to_workers.saturating_add(per_worker);
			}
		}
		let treasury_share = T::TreasuryShare::get().mul_floor(price);
		let to_treasury =
			if pay(&T::Treasury::get(), treasury_share) { treasury_share } else { Zero::zero() };
		let owner_part = price.saturating_sub(to_workers).saturating_sub(to_treasury);

		let mut to_owner = Zero::zero();
		let mut to_dividends = Zero::zero();
		let paid_as_dividends = match &record.revenue {
			RevenueDestination::EquityClass(class) if !owner_part.is_zero() => {
				// Dividends are paid from a free balance: release the escrow to the consumer and
				// move it on in the same transaction, or put it back on hold.
				frame_support::storage::with_storage_layer(|| -> DispatchResult {
					T::Currency::release(&reason, &record.consumer, owner_part, Precision::Exact)?;
					T::Revenue::deposit_dividend(&record.consumer, *class, owner_part)
				})
				.is_ok()
			}
			_ => false,
		};
		if paid_as_dividends {
			to_dividends = owner_part;
		} else if !owner_part.is_zero() {
			T::Currency::transfer_on_hold(
				&reason,
				&record.consumer,
				&record.owner,
				owner_part,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)?;
			to_owner = owner_part;
		}
		Self::deposit_event(Event::JobSettled {
			job,
			to_owner,
			to_dividends,
			to_workers,
			to_treasury,
		});
		Ok(())
	}

	/// Returns a job's escrow to its consumer and marks it refunded.
	pub(crate) fn refund(job: JobId, record: &mut Job<T>, reason: RefundReason) {
		if !record.status.holds_escrow() {
			return;
		}
		let escrow: T::RuntimeHoldReason = HoldReason::JobEscrow.into();
		let result = match record.payment {
			PaymentSource::FreeBalance => {
				T::Currency::release(&escrow, &record.consumer, record.price, Precision::BestEffort)
					.map(|_| ())
			}
			PaymentSource::Channel(_) if record.price.is_zero() => Ok(()),
			PaymentSource::Channel(channel) => {
				T::Channels::refund(channel, &record.consumer, record.price, &escrow)
			}
		};
		if let Err(error) = result {
			// Cannot happen while the escrow invariant holds (try_state checks it); never
			// strand the job on it.
			log::error!(target: LOG_TARGET, "refunding job {job} failed: {error:?}");
		}
		AwaitingReveal::<T>::remove(job);
		T::Catalog::job_finished(record.dataset);
		Self::release_reservation(job, record.key_set);
		record.status = JobStatus::Refunded { reason };
		Self::deposit_event(Event::JobRefunded {
			job,
			consumer: record.consumer.clone(),
			amount: record.price,
			reason,
		});
	}

	// ---------------------------------------------------------------------------------------
	// Deadlines
	// ---------------------------------------------------------------------------------------

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
	fn release_reservation(job: JobId, key_set: tokenfactory_primitives::datasets::KeySetId) {
		if let Some(amount) = BondReservations::<T>::take(job) {
			T::Catalog::release_bond(key_set, amount);
		}
	}

	/// Pays `amount` (as much as the bond holds) of the job's key-set bond to its consumer.
	fn penalize_owner(job: JobId, record: &Job<T>, amount: BalanceOf<T>, reason: RefundReason) {
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

	// ---------------------------------------------------------------------------------------
	// Governance
	// ---------------------------------------------------------------------------------------

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

	// ---------------------------------------------------------------------------------------
	// Helpers
	// ---------------------------------------------------------------------------------------

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
