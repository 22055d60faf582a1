//! # Compute
//!
//! Paid calls on encrypted datasets: computed by bonded workers who cannot read the data,
//! revealed by an owner who cannot lie about the result (`DESIGN.md` §3 steps 4–8).
//!
//! ## Overview
//!
//! **Workers** register with a bond in the utility token (held) and an off-chain signing key
//! ([`Pallet::register_worker`]). Each job is assigned `k` of the active workers
//! ([`ReplicationFactor`]), drawn in the block after the job's submission from the job id and
//! that block's randomness ([`Config::Randomness`]: its author's VRF output, which nobody knew
//! when the job was included), after the block's inherents (`PostInherents`).
//! A worker's off-chain worker hands the job to the node's native FHE executor
//! ([`tokenfactory_primitives::executor`]), polls it in later blocks, and **commits** to its
//! result: a salted hash of its digest, its blob's hash and its own account, signed with its
//! worker key ([`Pallet::commit_result`]). Once every assigned worker has committed (or at the
//! commit deadline, if a majority has) the results **open**: each committed worker submits its digest, blob and salt, which must match its own
//! commitment ([`Pallet::submit_result`]). The last worker to commit may open at once instead
//! (its opening stands for its commitment: every other result is still hidden), so a job with
//! one replica has no commit round, and one with more costs one block. No digest is public before every counted commitment
//! is fixed, so a worker cannot copy another's and be paid for nothing: replicas are
//! independent. The blob goes to every node's offchain database through offchain indexing;
//! state keeps its hash.
//!
//! When a strict majority of the `k` digests agree, the job awaits its **reveal**: the dataset
//! owner's decryptor decrypts the agreed result, proves the decryption with a Groth16 proof,
//! seals the plaintext to the consumer's X25519 key and signs the whole reveal with the
//! decryptor key registered for the key set ([`Pallet::reveal`]). The runtime checks the
//! signature first (it binds the sealed bytes and the consumer's key, which the proof does not),
//! then verifies the proof against the verifying key stored for the result's circuit shape
//! ([`VerifyingKeys`], set at genesis and by Root), the dataset's key commitment, the agreed
//! digest and the job id, then **settles** the escrow: shares to the workers who agreed
//! ([`Config::WorkerShare`]), to the treasury ([`Config::TreasuryShare`]) and the rest to the
//! owner or, if the owner chose so, as dividends to its equity class.
//!
//! ## Terminology
//!
//! - **Escrow**: the price, held on the consumer's account under [`HoldReason::JobEscrow`]
//!   from submission until settlement or refund (paid from free balance, or charged to a
//!   payment channel through [`Config::Channels`] by a job voucher that names this job's
//!   dataset, query and sealing key, so that whoever submits it, the channel's payer is the
//!   consumer). The submitter also pays [`Config::JobFee`], which no refund returns.
//! - **Capacity**: a worker owes at most [`Config::MaxOpenJobsPerWorker`] results at once, and
//!   a job's result deadline is its own allowance after the allowances of every job its busiest
//!   worker still owes, counted from its submission: a worker evaluates its queue in order and
//!   is never slashed for a backlog, and no deadline is more than `MaxOpenJobsPerWorker + 1`
//!   allowances away.
//! - **Result phase**: from submission until every assigned worker that can has opened its
//!   result, or the result deadline passed. It has two parts: commitments until the results
//!   open, openings after. Workers in the minority are slashed when the majority's result is
//!   revealed with a valid proof (or when they open after that), never for disagreeing with a
//!   majority the owner refutes or never reveals; absent workers when the phase closes: one
//!   that had not committed by its commit deadline, or did not open its commitment by the
//!   result deadline. A worker that committed to a job whose results never opened (fewer than
//!   a majority committed by the commit deadline) is not slashed.
//! - **Circuit shape**: a decryption circuit for results of up to a number of blocks; one
//!   verifying key each.
//!
//! ## Timeouts
//!
//! Nothing waits forever: at the commit deadline ([`Config::ResultTimeout`] and the allowances
//! after submission) the results open if a majority committed, and the job is refunded
//! otherwise; at the result deadline ([`Config::OpenTimeout`] later) a job without a majority is
//! refunded and absent workers are slashed; at the reveal deadline
//! ([`Config::RevealTimeout`]) a job still awaiting its reveal is refunded. Every job is
//! forgotten [`Config::JobRetention`] blocks after its result deadline.
//!
//! ## Interface
//!
//! ### Permissionless calls
//! - [`Pallet::register_worker`], [`Pallet::bond_extra`], [`Pallet::unbond`],
//!   [`Pallet::withdraw`]: a worker's life.
//! - [`Pallet::submit_job`]: buy a call.
//!
//! ### Authorized calls (no signer, no fee; checked by `#[pallet::authorize]`)
//! - [`Pallet::commit_result`]: an assigned worker's commitment to its result, signed with its
//!   worker key.
//! - [`Pallet::submit_result`]: an assigned worker's result, opening its commitment, signed
//!   with its worker key.
//! - [`Pallet::reveal`]: the decryption proof, signed by the owner's decryptor key; valid only
//!   if the signature and the proof verify.
//! - [`Pallet::dispute`]: the owner's decryptor refuses an agreed result that is not the
//!   query's answer on its data; the consumer is refunded.
//!
//! ### Root calls
//! - [`Pallet::set_verifying_key`], [`Pallet::set_replication_factor`].

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
mod functions;
pub mod migrations;
#[cfg(test)]
mod mock;
mod offchain;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

use polkadot_sdk::*;

/// The log target of this pallet.
pub const LOG_TARGET: &str = "runtime::compute";

/// Assigns the jobs submitted before this block, once this block's randomness is set: the
/// runtime names the pallet as `frame_system::Config::PostInherents`.
impl<T: Config> frame_support::traits::PostInherents for Pallet<T> {
	fn post_inherents() {
		Self::assign_queued();
	}
}

/// The pallet: configuration, storage, events, errors and calls. The logic lives in
/// `features/` (workers, jobs, results, reveal, deadlines, governance) and `functions.rs`
/// (shared helpers and the invariants), the off-chain worker in `offchain.rs`.
#[frame_support::pallet]
#[allow(
	clippy::expect_used,
	reason = "FRAME's pallet macro expands `expect`s on runtime-construction invariants; the \
	          logic, in `features/`, has none"
)]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			Randomness,
		},
	};
	use frame_system::{offchain::CreateAuthorizedTransaction, pallet_prelude::*};
	use sp_runtime::{
		traits::{SaturatedConversion, Saturating, Zero},
		Perbill,
	};
	use tokenfactory_primitives::{
		compute::{
			DecryptionVerifier, DecryptorSignature, FieldBytes, JobId, SealingKey, WorkerKey,
			WorkerSignature,
		},
		datasets::{DataCatalog, DatasetId, KeySetId},
		programs::Query,
		revenue::RevenueSink,
		voucher::ChannelCharger,
	};

	/// The in-code storage version.
	pub(crate) const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	/// The compute pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the compute pallet.
	#[pallet::config]
	pub trait Config:
		CreateAuthorizedTransaction<Call<Self>>
		+ polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>>
	{
		/// The utility token: prices, escrows, bonds.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason> + PartialEq;

		/// An equity share class id (a revenue destination).
		type ClassId: Member + Parameter + MaxEncodedLen + Copy;

		/// The data registry: job terms, manifests, running-job accounting.
		type Catalog: DataCatalog<Self::AccountId, BalanceOf<Self>, Self::ClassId>;

		/// Payment channels: jobs paid by voucher.
		type Channels: ChannelCharger<
			Self::AccountId,
			BalanceOf<Self>,
			Signature = Self::VoucherSignature,
			Reason = Self::RuntimeHoldReason,
		>;

		/// The signature on a voucher.
		type VoucherSignature: Parameter + MaxEncodedLen;

		/// Equity dividend pools: where an owner may route its revenue.
		type Revenue: RevenueSink<Self::AccountId, Self::ClassId, BalanceOf<Self>>;

		/// The Groth16 verifier of decryption proofs.
		type Verifier: DecryptionVerifier;

		/// Receives slashed bonds and the treasury's share of every settled job.
		type Treasury: Get<Self::AccountId>;

		/// The smallest bond a worker may hold; a worker slashed below it is removed.
		#[pallet::constant]
		type MinWorkerBond: Get<BalanceOf<Self>>;

		/// What one fault (a wrong result, a missed deadline) costs a worker.
		#[pallet::constant]
		type SlashAmount: Get<BalanceOf<Self>>;

		/// Blocks between [`Pallet::unbond`] and [`Pallet::withdraw`].
		#[pallet::constant]
		type UnbondingDelay: Get<BlockNumberFor<Self>>;

		/// Blocks the workers have to submit results, before the allowance for the dataset's
		/// size below.
		#[pallet::constant]
		type ResultTimeout: Get<BlockNumberFor<Self>>;

		/// One more block of result deadline per this many rows of the dataset: evaluation time
		/// grows with the rows.
		#[pallet::constant]
		type RowsPerTimeoutBlock: Get<u32>;

		/// What every job costs on top of its price, paid by whoever submits it to the treasury
		/// and never refunded: a job that is refunded (a price-0 dataset, an owner who never
		/// reveals) still cost its submitter something, so that flooding workers with work is
		/// not free.
		#[pallet::constant]
		type JobFee: Get<BalanceOf<Self>>;

		/// The most results a worker owes at once (a submitted result frees its slot). A
		/// worker at its capacity is not drawn for new jobs; a job that finds fewer than `k`
		/// workers with room is refused ([`Error::WorkersBusy`]).
		#[pallet::constant]
		type MaxOpenJobsPerWorker: Get<u32>;

		/// Blocks from the commit deadline to the result deadline: the workers' time to open
		/// their committed results (a transaction each, no evaluation).
		#[pallet::constant]
		type OpenTimeout: Get<BlockNumberFor<Self>>;

		/// Blocks the owner has to reveal once a majority agreed.
		#[pallet::constant]
		type RevealTimeout: Get<BlockNumberFor<Self>>;

		/// Blocks a finished job stays readable after its result deadline: also the consumer's
		/// window to complain about a seal that does not open to the proven result.
		#[pallet::constant]
		type JobRetention: Get<BlockNumberFor<Self>>;

		/// What a failed reveal costs the owner, out of its key set's bond, on top of the
		/// consumer's refund: paid to the consumer when a job misses its reveal deadline, and
		/// when a consumer shows that a seal does not open to the proven result.
		#[pallet::constant]
		type RevealPenalty: Get<BalanceOf<Self>>;

		/// The most workers one job can be assigned (the replication factor's bound).
		#[pallet::constant]
		type MaxReplicas: Get<u32>;

		/// The most active workers.
		#[pallet::constant]
		type MaxWorkers: Get<u32>;

		/// The most deadline entries one block handles (four per job over its life).
		#[pallet::constant]
		type MaxDeadlinesPerBlock: Get<u32>;

		/// The largest result blob, in bytes.
		#[pallet::constant]
		type MaxResultSize: Get<u32>;

		/// The largest sealed result, in bytes.
		#[pallet::constant]
		type MaxSealedSize: Get<u32>;

		/// The largest proof, in bytes.
		#[pallet::constant]
		type MaxProofSize: Get<u32>;

		/// The largest verifying key, in bytes.
		#[pallet::constant]
		type MaxVerifyingKeySize: Get<u32>;

		/// The most circuit shapes with a verifying key.
		#[pallet::constant]
		type MaxCircuits: Get<u32>;

		/// The workers' share of a settled job's price, split equally among those who agreed.
		#[pallet::constant]
		type WorkerShare: Get<Perbill>;

		/// The treasury's share of a settled job's price.
		#[pallet::constant]
		type TreasuryShare: Get<Perbill>;

		/// The randomness each job's workers are drawn from, read in the block after the job's
		/// submission (after that block's inherents): a VRF output that neither the author of
		/// the block including the job nor the consumer knows beforehand.
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;

		/// The most jobs one block accepts (they wait together for the next block's draw).
		#[pallet::constant]
		type MaxJobsPerBlock: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Datasets and a valid proof for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds utility tokens.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A worker's bond.
		WorkerBond,
		/// A job's price, from submission until settlement or refund.
		JobEscrow,
	}

	/// Registered workers.
	#[pallet::storage]
	pub type Workers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Worker<T>>;

	/// Which account a worker key belongs to (keys are unique).
	#[pallet::storage]
	pub type WorkerKeys<T: Config> = StorageMap<_, Blake2_128Concat, WorkerKey, T::AccountId>;

	/// The workers new jobs are assigned among, in registration order.
	#[pallet::storage]
	pub type ActiveWorkers<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxWorkers>, ValueQuery>;

	/// How many workers each job is assigned (`k`).
	#[pallet::storage]
	pub type ReplicationFactor<T> = StorageValue<_, u32, ValueQuery>;

	/// The id the next job gets.
	#[pallet::storage]
	pub type NextJobId<T> = StorageValue<_, JobId, ValueQuery>;

	/// Jobs, until their retention period ends.
	#[pallet::storage]
	pub type Jobs<T: Config> = StorageMap<_, Twox64Concat, JobId, Job<T>>;

	/// The jobs a worker still owes a result: what its off-chain worker reads.
	/// Jobs submitted in this block (and, until the next block's inherents, in the previous
	/// one) that wait for their workers.
	#[pallet::storage]
	pub type Unassigned<T: Config> =
		StorageValue<_, BoundedVec<JobId, T::MaxJobsPerBlock>, ValueQuery>;

	#[pallet::storage]
	pub type Assignments<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, JobId, ()>;

	/// Jobs awaiting their reveal: what decryptors read.
	#[pallet::storage]
	pub type AwaitingReveal<T: Config> = StorageMap<_, Twox64Concat, JobId, ()>;

	/// What each running job set aside of its key set's bond (its price and the reveal
	/// penalty): what its consumer is paid if the owner fails it, released when the job ends
	/// (a revealed job at its prune, after the complaint window).
	#[pallet::storage]
	pub type BondReservations<T: Config> = StorageMap<_, Twox64Concat, JobId, BalanceOf<T>>;

	/// What happens at each block: result and reveal deadlines, and pruning.
	#[pallet::storage]
	pub type Deadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<(JobId, DeadlineKind), T::MaxDeadlinesPerBlock>,
		ValueQuery,
	>;

	/// The Groth16 verifying key of each circuit shape, by the shape's padded block count.
	#[pallet::storage]
	pub type VerifyingKeys<T: Config> = StorageMap<_, Twox64Concat, u32, VerifyingKeyOf<T>>;

	/// Genesis: the replication factor, the verifying keys and the first workers.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// How many workers each job is assigned.
		pub replication_factor: u32,
		/// `(circuit blocks, verifying key bytes)`.
		pub verifying_keys: alloc::vec::Vec<(u32, alloc::vec::Vec<u8>)>,
		/// `(account, worker key, bond)`: workers registered at genesis.
		pub workers: alloc::vec::Vec<(T::AccountId, WorkerKey, BalanceOf<T>)>,
	}

	/// One replica, no keys, no workers: a chain that sets up compute later by governance.
	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self {
				replication_factor: 1,
				verifying_keys: Default::default(),
				workers: Default::default(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(
				Pallet::<T>::is_valid_replication_factor(self.replication_factor),
				"the replication factor must be odd and between 1 and MaxReplicas"
			);
			ReplicationFactor::<T>::put(self.replication_factor);
			assert!(
				self.verifying_keys.len() <= T::MaxCircuits::get() as usize,
				"more verifying keys than MaxCircuits"
			);
			for (blocks, key) in &self.verifying_keys {
				assert!(
					T::Verifier::is_valid_key(key),
					"genesis verifying key {blocks} is malformed"
				);
				let key: VerifyingKeyOf<T> = key
					.clone()
					.try_into()
					.expect("genesis verifying key longer than MaxVerifyingKeySize");
				VerifyingKeys::<T>::insert(blocks, key);
			}
			for (account, key, bond) in &self.workers {
				Pallet::<T>::do_register_worker(account.clone(), *key, *bond, None).expect(
					"genesis worker must be registrable (funded, unique key, bond above minimum)",
				);
			}
		}
	}

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(crate) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A worker registered and takes jobs.
		WorkerRegistered {
			/// Its account.
			worker: T::AccountId,
			/// Its off-chain signing key.
			key: WorkerKey,
			/// Its bond.
			bond: BalanceOf<T>,
		},
		/// A worker added to its bond.
		BondIncreased {
			/// The worker.
			worker: T::AccountId,
			/// Its bond now.
			bond: BalanceOf<T>,
		},
		/// A worker takes no new jobs and can withdraw its bond from `withdrawable_at`.
		WorkerUnbonding {
			/// The worker.
			worker: T::AccountId,
			/// From when it can withdraw.
			withdrawable_at: BlockNumberFor<T>,
		},
		/// A worker left with its bond.
		WorkerWithdrawn {
			/// The worker.
			worker: T::AccountId,
			/// The bond returned.
			bond: BalanceOf<T>,
		},
		/// A worker was slashed; the amount went to the treasury.
		WorkerSlashed {
			/// The worker.
			worker: T::AccountId,
			/// The job.
			job: JobId,
			/// How much.
			amount: BalanceOf<T>,
			/// Why.
			reason: SlashReason,
		},
		/// A worker's bond fell below the minimum: it takes no new jobs, and the rest of its
		/// bond stays held (answering for its open jobs) until it withdraws after the delay.
		WorkerRemoved {
			/// The worker.
			worker: T::AccountId,
			/// From when it can withdraw.
			withdrawable_at: BlockNumberFor<T>,
		},
		/// A job was bought; its workers are drawn in the next block.
		JobSubmitted {
			/// The job.
			job: JobId,
			/// The dataset.
			dataset: DatasetId,
			/// Who paid.
			consumer: T::AccountId,
			/// The escrowed price.
			price: BalanceOf<T>,
			/// The job fee the submitter paid to the treasury (not refunded).
			fee: BalanceOf<T>,
		},
		/// A worker committed to its result (nothing of the result is public yet).
		ResultCommitted {
			/// The job.
			job: JobId,
			/// The worker.
			worker: T::AccountId,
			/// Its commitment.
			commitment: [u8; 32],
		},
		/// The job's results opened: the workers that committed now open theirs; nobody else
		/// commits.
		ResultsOpened {
			/// The job.
			job: JobId,
			/// How many workers committed.
			committed: u32,
		},
		/// A worker opened its committed result.
		ResultSubmitted {
			/// The job.
			job: JobId,
			/// The worker.
			worker: T::AccountId,
			/// Its digest.
			digest: FieldBytes,
		},
		/// A majority of workers agreed: the owner's reveal is awaited.
		ResultAgreed {
			/// The job.
			job: JobId,
			/// The agreed digest.
			digest: FieldBytes,
			/// The reveal is due by this block.
			reveal_deadline: BlockNumberFor<T>,
		},
		/// The result was revealed with a valid decryption proof.
		ResultRevealed {
			/// The job.
			job: JobId,
			/// Its consumer.
			consumer: T::AccountId,
			/// The proven commitment to the plaintext.
			result_commitment: FieldBytes,
			/// The plaintext and blinding, sealed to the consumer's key.
			sealed: alloc::vec::Vec<u8>,
		},
		/// A revealed job's escrow was paid out.
		JobSettled {
			/// The job.
			job: JobId,
			/// To the owner's account (0 if routed to its equity class).
			to_owner: BalanceOf<T>,
			/// Into the owner's equity class's dividend pool.
			to_dividends: BalanceOf<T>,
			/// To the workers who agreed, in total.
			to_workers: BalanceOf<T>,
			/// To the treasury.
			to_treasury: BalanceOf<T>,
		},
		/// The owner's decryptor refused to reveal a job's agreed result: it is not the query's
		/// answer on the owner's data. The job is refunded.
		JobDisputed {
			/// The job.
			job: JobId,
			/// The agreed digest the decryptor refused.
			digest: FieldBytes,
		},
		/// A job's escrow went back to its consumer.
		JobRefunded {
			/// The job.
			job: JobId,
			/// The consumer.
			consumer: T::AccountId,
			/// The amount.
			amount: BalanceOf<T>,
			/// Why.
			reason: tokenfactory_primitives::compute::RefundReason,
		},
		/// The owner's decryptor failed a job (`reason`: the reveal deadline passed, or the
		/// seal did not open to the proven result); `amount` of its key set's bond went to the
		/// consumer.
		OwnerPenalized {
			/// The job.
			job: JobId,
			/// The key set whose bond paid.
			key_set: KeySetId,
			/// The consumer, who was paid.
			consumer: T::AccountId,
			/// Paid out of the bond (less than asked only if the bond ran out).
			amount: BalanceOf<T>,
			/// Why.
			reason: tokenfactory_primitives::compute::RefundReason,
		},
		/// A finished job's record was removed after its retention period.
		JobPruned {
			/// The job.
			job: JobId,
		},
		/// Root set (`present`) or removed the verifying key of a circuit shape.
		VerifyingKeySet {
			/// The shape's padded block count.
			circuit_blocks: u32,
			/// Whether a key is set now.
			present: bool,
		},
		/// Root changed the replication factor.
		ReplicationFactorSet {
			/// Workers per job from now on.
			replicas: u32,
		},
		/// A job's workers were drawn (in the block after its submission).
		JobAssigned {
			/// The job.
			job: JobId,
			/// The assigned workers.
			workers: alloc::vec::Vec<T::AccountId>,
			/// Commitments are due by this block.
			commit_deadline: BlockNumberFor<T>,
			/// Opened results are due by this block.
			result_deadline: BlockNumberFor<T>,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a worker.
		AlreadyWorker,
		/// The account is not a worker.
		NotWorker,
		/// Another worker uses this key.
		KeyInUse,
		/// The bond is below the minimum.
		BondTooLow,
		/// The active worker set is full.
		TooManyWorkers,
		/// The worker is already unbonding.
		AlreadyUnbonding,
		/// The worker is not unbonding (call `unbond` first).
		NotUnbonding,
		/// The unbonding delay has not passed.
		UnbondingNotOver,
		/// The worker still owes results on open jobs.
		JobsStillOpen,
		/// No dataset has this id.
		UnknownDataset,
		/// The dataset is uploading, paused or retired.
		DatasetNotActive,
		/// The dataset's owner does not allow this program.
		ProgramNotAllowed,
		/// The dataset's token no longer exists.
		DatasetHasNoOwner,
		/// The query uses more filter predicates than the owner allows for this program.
		TooManyPredicates,
		/// The query is not valid for the dataset (unknown column, constant out of range,
		/// bad histogram edges, an accumulator that could overflow...).
		InvalidQuery,
		/// No circuit shape with a verifying key holds a result this large.
		NoCircuitForResult,
		/// Fewer active workers than the replication factor.
		NotEnoughWorkers,
		/// Fewer active workers with room for another job than the replication factor: try
		/// again when some finish.
		WorkersBusy,
		/// The voucher pays less than the price.
		PaymentTooLow,
		/// Every block within reach already has its maximum of deadlines: try again later.
		DeadlineQueueFull,
		/// No job has this id.
		UnknownJob,
		/// The job takes no more results.
		ResultPhaseClosed,
		/// The worker is not assigned to this job.
		NotAssigned,
		/// The worker already submitted a result for this job.
		AlreadySubmitted,
		/// The worker's signature does not match its key.
		BadSignature,
		/// The job is not awaiting a reveal.
		NotAwaitingReveal,
		/// No verifying key is stored for the job's circuit shape.
		NoVerifyingKey,
		/// The proof does not prove the reveal's statement.
		InvalidProof,
		/// The verifying key is malformed.
		MalformedVerifyingKey,
		/// The replication factor must be between 1 and `MaxReplicas`.
		InvalidReplicationFactor,
		/// The replication factor must be odd: with an even one, a tie lets one worker force a
		/// refund.
		EvenReplicationFactor,
		/// The worker key's proof of possession is not its signature for this account.
		BadKeyProof,
		/// The dataset's key set has no decryptor key: nobody can reveal its jobs.
		NoDecryptor,
		/// The reveal is not signed by the decryptor key of the job's key set over this job,
		/// commitment, sealed answer and consumer key.
		BadRevealSignature,
		/// The dispute is not signed by the decryptor key of the job's key set over this job
		/// and its agreed digest.
		BadDisputeSignature,
		/// More circuit shapes than `MaxCircuits`.
		TooManyCircuits,
		/// Ids are exhausted, or a counter or amount would overflow.
		Overflow,
		/// The job's results are open: it takes no more commitments.
		CommitsClosed,
		/// The worker already committed to a result for this job.
		AlreadyCommitted,
		/// The job's results are not open yet: commit first, and open once the others have
		/// committed.
		ResultsNotOpen,
		/// The worker did not commit before the results opened: it has nothing to open.
		NotCommitted,
		/// The digest, blob and salt do not open the worker's commitment.
		CommitmentMismatch,
		/// The job has not been revealed (or a complaint already refunded it): there is no seal
		/// to complain about.
		NotRevealed,
		/// The secret is not the one of the job's consumer key.
		WrongSealingSecret,
		/// The seal opens with the secret, to the result the proof commits to: the owner did
		/// its duty and the complaint is refused.
		SealIsValid,
		/// The bond of the dataset's key set is below the minimum (spent on failed reveals and
		/// not topped up, or never posted): nothing would stand behind the answer.
		OwnerBondTooLow,
		/// This block already took as many jobs as one draw assigns: submit in the next one.
		JobQueueFull,
		/// The job's workers are drawn in the block after its submission: nobody is assigned
		/// to it yet.
		NotYetAssigned,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			// The jobs queued before this block are assigned after its inherents
			// (`PostInherents`); nothing joins the queue before then.
			let queued = Unassigned::<T>::decode_len().unwrap_or(0) as u64;
			Self::process_deadlines(now).saturating_add(
				T::WeightInfo::assign_job(T::MaxWorkers::get(), T::MaxReplicas::get())
					.saturating_mul(queued)
					.saturating_add(T::DbWeight::get().reads_writes(1, 1)),
			)
		}

		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::run_offchain_worker(now);
		}

		fn integrity_test() {
			assert!(T::MaxReplicas::get() > 0, "MaxReplicas must be positive");
			assert!(T::MaxWorkers::get() >= T::MaxReplicas::get(), "MaxWorkers below MaxReplicas");
			assert!(T::MaxDeadlinesPerBlock::get() > 0, "MaxDeadlinesPerBlock must be positive");
			assert!(
				T::JobRetention::get() > T::RevealTimeout::get(),
				"a job must outlive its reveal deadline"
			);
			assert!(
				T::WorkerShare::get().saturating_add(T::TreasuryShare::get()) < Perbill::one(),
				"the owner must keep a share of every job"
			);
			assert!(!T::SlashAmount::get().is_zero(), "a slash must cost something");
			assert!(T::RowsPerTimeoutBlock::get() > 0, "RowsPerTimeoutBlock must be positive");
			assert!(!T::ResultTimeout::get().is_zero(), "ResultTimeout must be positive");
			assert!(!T::RevealTimeout::get().is_zero(), "RevealTimeout must be positive");
			assert!(!T::UnbondingDelay::get().is_zero(), "UnbondingDelay must be positive");
			assert!(T::MaxOpenJobsPerWorker::get() > 0, "a worker must take at least one job");
			assert!(!T::OpenTimeout::get().is_zero(), "OpenTimeout must be positive");
			assert!(!T::RevealPenalty::get().is_zero(), "a failed reveal must cost the owner");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Registers the caller as a worker with `bond` held and `key` as its off-chain
		/// signing key. `proof` is `key`'s signature of the
		/// [`WorkerKeyProof`](tokenfactory_primitives::compute::WorkerKeyProof) for the caller:
		/// nobody can register a key it does not hold.
		#[pallet::call_index(0)]
		pub fn register_worker(
			origin: OriginFor<T>,
			key: WorkerKey,
			bond: BalanceOf<T>,
			proof: WorkerSignature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_worker(who, key, bond, Some(&proof))
		}

		/// Adds `amount` to the caller's bond.
		#[pallet::call_index(1)]
		pub fn bond_extra(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond_extra(who, amount)
		}

		/// Stops assigning jobs to the caller; its bond can be withdrawn after the delay.
		#[pallet::call_index(2)]
		pub fn unbond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(who)
		}

		/// Returns an unbonded worker's bond once the delay is over and no job is open.
		#[pallet::call_index(3)]
		pub fn withdraw(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(who)
		}

		/// Buys one evaluation of `query` on `dataset`, paid by `payment` into escrow; the
		/// result will be sealed to `consumer_key`. Paid from the caller's free balance, the
		/// caller is the consumer; paid by a job voucher, the channel's payer is, whoever
		/// submits it (the voucher names this dataset, query and key).
		#[pallet::call_index(4)]
		// The measured weight, plus the reads it does not measure yet: every active worker's
		// owed results (capacity: a prefix read and up to `MaxOpenJobsPerWorker` keys each),
		// the jobs the assigned workers owe (their backlog: a key and a job record each) and
		// the fee transfer (two accounts, read and written).
		#[pallet::weight(T::WeightInfo::submit_job(T::MaxWorkers::get(), T::MaxReplicas::get())
			.saturating_add(T::DbWeight::get().reads_writes(
				u64::from(T::MaxWorkers::get())
					.saturating_mul(u64::from(T::MaxOpenJobsPerWorker::get()).saturating_add(1))
					.saturating_add(
						u64::from(T::MaxReplicas::get())
							.saturating_mul(u64::from(T::MaxOpenJobsPerWorker::get()))
							.saturating_mul(2)
					)
					.saturating_add(2),
				2,
			)))]
		pub fn submit_job(
			origin: OriginFor<T>,
			dataset: DatasetId,
			query: Query,
			payment: PaymentOf<T>,
			consumer_key: SealingKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_submit_job(who, dataset, query, payment, consumer_key).map(|_| ())
		}

		/// An assigned worker's result for `job`, once the results are open (or by the last
		/// worker to commit, in place of its commitment): the digest of its compact form, the
		/// result blob and the salt that open the worker's commitment, signed with the worker's
		/// key.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::submit_result(T::MaxReplicas::get(), result.len() as u32))]
		#[pallet::authorize(Pallet::<T>::authorize_submit_result)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_submit_result(result.len() as u32))]
		pub fn submit_result(
			origin: OriginFor<T>,
			job: JobId,
			worker: T::AccountId,
			digest: FieldBytes,
			result: ResultBlobOf<T>,
			salt: [u8; 32],
			signature: WorkerSignature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let _ = signature;
			Self::do_submit_result(job, worker, digest, result.into_inner(), salt)
		}

		/// Reveals `job`'s result: the commitment to the plaintext, the plaintext sealed to the
		/// consumer, a Groth16 proof that the commitment opens to the decryption of the agreed
		/// result under the dataset's key, and the decryptor key's signature binding the sealed
		/// bytes and the consumer's key to them. Then settles the escrow.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::reveal(T::MaxReplicas::get()))]
		#[pallet::authorize(Pallet::<T>::authorize_reveal)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_reveal())]
		pub fn reveal(
			origin: OriginFor<T>,
			job: JobId,
			result_commitment: FieldBytes,
			sealed: SealedOf<T>,
			proof: ProofOf<T>,
			signature: DecryptorSignature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let _ = (proof, signature);
			Self::do_reveal(job, result_commitment, sealed)
		}

		/// Sets (`Some`) or removes (`None`) the verifying key of the circuit shape for results
		/// of up to `circuit_blocks` blocks.
		#[pallet::call_index(7)]
		pub fn set_verifying_key(
			origin: OriginFor<T>,
			circuit_blocks: u32,
			key: Option<VerifyingKeyOf<T>>,
		) -> DispatchResult {
			ensure_root(origin)?;
			Self::do_set_verifying_key(circuit_blocks, key)
		}

		/// Sets how many workers each new job is assigned: odd, and at most `MaxReplicas`. A job
		/// whose workers do not reach a majority by the result deadline is refunded.
		#[pallet::call_index(8)]
		pub fn set_replication_factor(origin: OriginFor<T>, replicas: u32) -> DispatchResult {
			ensure_root(origin)?;
			Self::do_set_replication_factor(replicas)
		}

		/// The owner's decryptor refuses to reveal `job`: the result the workers agreed on is
		/// not the query's answer on the owner's data. Signed with the decryptor key over the
		/// job and the agreed digest. The consumer is refunded at once, the workers are not
		/// paid (nor slashed: the owner's word alone does not prove who lied), nothing is
		/// revealed.
		#[pallet::call_index(9)]
		// A refund, as at the reveal deadline.
		#[pallet::weight(T::WeightInfo::on_reveal_deadline())]
		#[pallet::authorize(Pallet::<T>::authorize_dispute)]
		// The checks: one job read and one sr25519 verification, as a result's authorization.
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_submit_result(0))]
		pub fn dispute(
			origin: OriginFor<T>,
			job: JobId,
			signature: DecryptorSignature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let _ = signature;
			Self::do_dispute(job)
		}

		/// An assigned worker's commitment to its result for `job`
		/// ([`ResultCommitment`](tokenfactory_primitives::compute::ResultCommitment)'s hash),
		/// signed with the worker's key. The results open once every assigned worker has
		/// committed, or at the commit deadline if a majority has.
		#[pallet::call_index(10)]
		// A job read and write and an event, as an opening without its blob.
		#[pallet::weight(T::WeightInfo::submit_result(T::MaxReplicas::get(), 0))]
		#[pallet::authorize(Pallet::<T>::authorize_commit_result)]
		// A job read and one sr25519 verification, as an opening's authorization.
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_submit_result(0))]
		pub fn commit_result(
			origin: OriginFor<T>,
			job: JobId,
			worker: T::AccountId,
			commitment: [u8; 32],
			signature: WorkerSignature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let _ = signature;
			Self::do_commit_result(job, worker, commitment)
		}

		/// A consumer shows that the seal of its revealed `job` does not open, or opens to
		/// something the proven result commitment does not commit to, by publishing the job's
		/// sealing secret (the X25519 secret of the job's consumer key: one key per job, so
		/// nothing else is revealed). The chain opens the seal itself; if the owner is at
		/// fault, the consumer gets the price and the reveal penalty out of the owner's key-set
		/// bond. Anyone may submit it (the money goes to the job's consumer), until the job is
		/// pruned.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::complain())]
		pub fn complain(
			origin: OriginFor<T>,
			job: JobId,
			sealing_secret: [u8; 32],
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_complain(job, sealing_secret)
		}
	}

	impl<T: Config> Pallet<T> {
		/// How an authorized call of this pallet enters the pool: high priority, unique by
		/// `provides` under `prefix`, valid until `deadline`, propagated.
		fn pool_validity(
			prefix: &'static str,
			provides: impl Encode,
			deadline: BlockNumberFor<T>,
		) -> TransactionValidityWithRefund {
			let now = frame_system::Pallet::<T>::block_number();
			let longevity: u64 = deadline.saturating_sub(now).saturated_into::<u64>().max(1);
			let validity = ValidTransaction::with_tag_prefix(prefix)
				.priority(TransactionPriority::MAX / 2)
				.and_provides(provides)
				.longevity(longevity)
				.propagate(true)
				.build()?;
			Ok((validity, Weight::zero()))
		}

		/// Checks a result's opening before it enters the pool and again in the block: the
		/// job's results are open, the worker committed and has not opened, the digest, blob and
		/// salt open its commitment (or the worker is the last to commit, and opens at once),
		/// and the signature is the worker key's.
		pub fn authorize_submit_result(
			_source: TransactionSource,
			job: &JobId,
			worker: &T::AccountId,
			digest: &FieldBytes,
			result: &ResultBlobOf<T>,
			salt: &[u8; 32],
			signature: &WorkerSignature,
		) -> TransactionValidityWithRefund {
			let deadline =
				Self::check_result_submission(*job, worker, digest, result, salt, signature)
					.map_err(|error| InvalidTransaction::Custom(Self::error_code(error)))?;
			Self::pool_validity("tokenfactory-result", (*job, worker.clone()), deadline)
		}

		/// Checks a commitment before it enters the pool and again in the block: the job takes
		/// commitments, the worker is assigned and has not committed, and the signature is the
		/// worker key's.
		pub fn authorize_commit_result(
			_source: TransactionSource,
			job: &JobId,
			worker: &T::AccountId,
			commitment: &[u8; 32],
			signature: &WorkerSignature,
		) -> TransactionValidityWithRefund {
			let deadline = Self::check_commit(*job, worker, commitment, signature)
				.map_err(|error| InvalidTransaction::Custom(Self::error_code(error)))?;
			Self::pool_validity("tokenfactory-commit", (*job, worker.clone()), deadline)
		}

		/// Checks a dispute before it enters the pool and again in the block: the job awaits a
		/// reveal and the decryptor signed the dispute of its agreed digest.
		pub fn authorize_dispute(
			_source: TransactionSource,
			job: &JobId,
			signature: &DecryptorSignature,
		) -> TransactionValidityWithRefund {
			let deadline = Self::check_dispute(*job, signature)
				.map_err(|error| InvalidTransaction::Custom(Self::error_code(error)))?;
			Self::pool_validity("tokenfactory-reveal", *job, deadline)
		}

		/// Checks a reveal before it enters the pool and again in the block: the job awaits a
		/// reveal, the decryptor signed it, and the proof verifies.
		pub fn authorize_reveal(
			_source: TransactionSource,
			job: &JobId,
			result_commitment: &FieldBytes,
			sealed: &SealedOf<T>,
			proof: &ProofOf<T>,
			signature: &DecryptorSignature,
		) -> TransactionValidityWithRefund {
			let deadline = Self::check_reveal(*job, result_commitment, sealed, proof, signature)
				.map_err(|error| InvalidTransaction::Custom(Self::error_code(error)))?;
			Self::pool_validity("tokenfactory-reveal", *job, deadline)
		}
	}
}

/// What the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// An active dataset owned by `owner`, under a key set whose decryptor key is `decryptor`,
	/// that allows `Mean` jobs on its column 0 (16-bit), of a few rows; returns its id.
	fn active_dataset(
		owner: &AccountId,
		decryptor: tokenfactory_primitives::compute::DecryptorKey,
	) -> tokenfactory_primitives::datasets::DatasetId;
	/// A verifying key, the padded block count of its circuit, and a proof of a statement that
	/// it accepts: the real verifier's work in `authorize_reveal`.
	fn valid_reveal() -> (
		alloc::vec::Vec<u8>,
		u32,
		tokenfactory_primitives::groth16::DecryptionStatement,
		alloc::vec::Vec<u8>,
	);
}

/// The workers' keys are an application key of the runtime's session keys, so that a node's
/// development seed (`--alice`) and `author_rotateKeys` put one in its keystore.
impl<T: Config> sp_runtime::BoundToRuntimeAppPublic for Pallet<T> {
	type Public = tokenfactory_primitives::compute::worker_app::Public;
}
