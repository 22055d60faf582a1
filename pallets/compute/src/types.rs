//! The records this pallet stores.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{fungible::Inspect, ConstU32},
	BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use polkadot_sdk::*;
use scale_info::TypeInfo;
use tokenfactory_primitives::{
	compute::{FieldBytes, JobPhase, RefundReason, SealingKey, WorkerKey},
	datasets::{DatasetId, KeySetId, RevenueDestination},
	programs::{ColumnWidth, Query, MAX_COLUMNS},
	voucher::ChannelId,
};

/// The utility token's balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A job's payment as the consumer gave it.
pub type PaymentOf<T> =
	tokenfactory_primitives::compute::Payment<BalanceOf<T>, <T as Config>::VoucherSignature>;

/// A sealed result as stored.
pub type SealedOf<T> = BoundedVec<u8, <T as Config>::MaxSealedSize>;

/// A result blob as submitted.
pub type ResultBlobOf<T> = BoundedVec<u8, <T as Config>::MaxResultSize>;

/// A Groth16 proof as submitted.
pub type ProofOf<T> = BoundedVec<u8, <T as Config>::MaxProofSize>;

/// A verifying key as stored.
pub type VerifyingKeyOf<T> = BoundedVec<u8, <T as Config>::MaxVerifyingKeySize>;

/// A registered worker.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct Worker<T: Config> {
	/// The key its off-chain worker signs results with.
	pub key: WorkerKey,
	/// The bond held from its account.
	pub bond: BalanceOf<T>,
	/// Whether it takes new jobs.
	pub status: WorkerStatus<BlockNumberFor<T>>,
	/// Jobs whose result phase it is still part of: it cannot withdraw while any is open.
	pub open_jobs: u32,
}

/// Whether a worker takes new jobs.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum WorkerStatus<BlockNumber> {
	/// Assigned new jobs.
	Active,
	/// Leaving: no new jobs; the bond can be withdrawn from this block, once no job is open.
	Unbonding {
		/// The first block at which [`crate::Pallet::withdraw`] succeeds.
		withdrawable_at: BlockNumber,
	},
}

/// How a job's escrow was funded, which decides where a refund goes.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum PaymentSource {
	/// Held from the consumer's free balance; a refund releases it.
	FreeBalance,
	/// Charged to this channel by voucher; a refund goes back into the channel.
	Channel(ChannelId),
}

/// A worker's place in a job.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Assignment<AccountId> {
	/// The worker.
	pub worker: AccountId,
	/// Its commitment to its result
	/// ([`ResultCommitment`](tokenfactory_primitives::compute::ResultCommitment)'s hash),
	/// made before any result of the job is public.
	pub commitment: Option<[u8; 32]>,
	/// Its opened result: the digest and the result blob's hash, which match its commitment.
	pub result: Option<SubmittedResult>,
}

/// A worker's submitted result.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct SubmittedResult {
	/// The digest of the result's compact form.
	pub digest: FieldBytes,
	/// The blake2-256 hash of the result blob (indexed in the offchain database).
	pub blob_hash: [u8; 32],
}

/// Where a job is.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub enum JobStatus<T: Config> {
	/// Workers are evaluating.
	Computing,
	/// A majority agreed on `digest`; the owner's reveal is awaited until `reveal_deadline`.
	AwaitingReveal {
		/// The agreed digest.
		digest: FieldBytes,
		/// The block at which the consumer is refunded if no valid reveal has arrived.
		reveal_deadline: BlockNumberFor<T>,
	},
	/// Revealed with a valid proof and settled.
	Revealed {
		/// The agreed digest.
		digest: FieldBytes,
		/// The proven commitment to the plaintext result.
		result_commitment: FieldBytes,
		/// The plaintext and the commitment's blinding, sealed to the consumer.
		sealed: SealedOf<T>,
	},
	/// Refunded.
	Refunded {
		/// Why.
		reason: RefundReason,
	},
	/// Paid for and waiting for its workers, whom the next block's randomness draws.
	Assigning,
}

impl<T: Config> JobStatus<T> {
	/// The phase clients see.
	pub fn phase(&self) -> JobPhase {
		match self {
			Self::Computing => JobPhase::Computing,
			Self::AwaitingReveal { .. } => JobPhase::AwaitingReveal,
			Self::Revealed { .. } => JobPhase::Revealed,
			Self::Refunded { reason } => JobPhase::Refunded(*reason),
			Self::Assigning => JobPhase::Assigning,
		}
	}

	/// Whether the consumer's payment is still in escrow.
	pub fn holds_escrow(&self) -> bool {
		matches!(self, Self::Assigning | Self::Computing | Self::AwaitingReveal { .. })
	}
}

/// A job: everything fixed when it was submitted, the workers' results and its status.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct Job<T: Config> {
	/// The dataset.
	pub dataset: DatasetId,
	/// Who paid, and is refunded or receives the sealed result.
	pub consumer: T::AccountId,
	/// Where the escrow came from.
	pub payment: PaymentSource,
	/// The price, held in escrow on the consumer's account until settlement or refund.
	pub price: BalanceOf<T>,
	/// The dataset's owner when the job was bought: the one who reveals.
	pub owner: T::AccountId,
	/// Where the owner's share goes.
	pub revenue: RevenueDestination<T::AccountId, T::ClassId>,
	/// The key set the dataset is encrypted under.
	pub key_set: KeySetId,
	/// The commitment to that key set's secret key: a public input of the decryption proof.
	pub key_commitment: FieldBytes,
	/// The dataset's column widths when the job was bought (what the query was checked
	/// against and the workers evaluate over).
	pub schema: BoundedVec<ColumnWidth, ConstU32<MAX_COLUMNS>>,
	/// The dataset's row count.
	pub rows: u32,
	/// What is computed, with the cohort minimum the runtime set.
	pub query: Query,
	/// The ciphertext blocks of the result.
	pub result_blocks: u32,
	/// The circuit shape (its padded block count) whose verifying key checks the reveal.
	pub circuit_blocks: u32,
	/// The consumer's X25519 key the result is sealed to.
	pub consumer_key: SealingKey,
	/// The assigned workers and their results.
	pub workers: BoundedVec<Assignment<T::AccountId>, T::MaxReplicas>,
	/// When it was submitted.
	pub submitted_at: BlockNumberFor<T>,
	/// Workers commit to their results until this block. At it, the results open if a
	/// majority committed; otherwise the job is refunded, and only the workers that did not
	/// commit are slashed.
	pub commit_deadline: BlockNumberFor<T>,
	/// When the results opened: when every worker had committed, or at the commit deadline.
	/// From then no worker commits, and the committed ones open their results.
	pub opened_at: Option<BlockNumberFor<T>>,
	/// Workers that committed and have not opened by this block are slashed.
	pub result_deadline: BlockNumberFor<T>,
	/// Whether workers may still commit or open results (until the result deadline, or until
	/// every worker that can has).
	pub result_phase_open: bool,
	/// Where it is.
	pub status: JobStatus<T>,
}

impl<T: Config> Job<T> {
	/// The number of identical digests that decide: a strict majority of the assigned workers.
	pub fn majority(&self) -> usize {
		self.workers.len() / 2 + 1
	}

	/// The digest submitted by a majority, if any.
	pub fn majority_digest(&self) -> Option<FieldBytes> {
		let majority = self.majority();
		self.workers.iter().filter_map(|a| a.result.map(|r| r.digest)).find(|digest| {
			self.workers.iter().filter(|a| a.result.map(|r| r.digest) == Some(*digest)).count()
				>= majority
		})
	}

	/// Whether every assigned worker has submitted (committed and opened) a result.
	pub fn all_submitted(&self) -> bool {
		self.workers.iter().all(|a| a.result.is_some())
	}

	/// How many assigned workers have committed.
	pub fn committed(&self) -> usize {
		self.workers.iter().filter(|a| a.commitment.is_some()).count()
	}

	/// Whether the results are open: committed workers open, nobody commits any more.
	pub fn results_open(&self) -> bool {
		self.opened_at.is_some()
	}

	/// Whether `assignment` still owes something in the result phase: a commitment while the
	/// results are not open, an opening of its commitment once they are.
	pub fn owes(&self, assignment: &Assignment<T::AccountId>) -> bool {
		assignment.result.is_none() && (!self.results_open() || assignment.commitment.is_some())
	}

	/// Whether every worker that still can has opened its result (the rest are out).
	pub fn all_answered(&self) -> bool {
		self.results_open() && !self.workers.iter().any(|a| self.owes(a))
	}

	/// Whether `assignment` is slashed as absent when the result phase closes: it never opened
	/// a result, and either the results opened (it did not commit by the commit deadline, or
	/// did not open its commitment) or it did not commit at all. A worker that committed to a
	/// job whose results never opened did its part.
	pub fn absent(&self, assignment: &Assignment<T::AccountId>) -> bool {
		assignment.result.is_none() && (self.results_open() || assignment.commitment.is_none())
	}
}

/// What a deadline entry is for.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum DeadlineKind {
	/// The result deadline: slash absent workers, refund if no majority, close the result
	/// phase.
	Results,
	/// The reveal deadline: refund the consumer if the job is still awaiting its reveal.
	Reveal,
	/// The retention period is over: forget the job.
	Prune,
	/// The commit deadline: open the results if a majority committed, refund otherwise.
	Commits,
}

/// Why a worker was slashed.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum SlashReason {
	/// Its digest disagreed with the majority's, and the owner's proof revealed the majority's.
	WrongResult,
	/// It did not commit before the results opened at its commit deadline, or did not open
	/// its commitment before the result deadline.
	MissedDeadline,
}

/// A job as clients read it through the runtime API.
pub type JobView<T> = Job<T>;
/// A worker as clients read it through the runtime API.
pub type WorkerView<T> = Worker<T>;
