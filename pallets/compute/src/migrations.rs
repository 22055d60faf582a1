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

/// Version 1 to 2: workers commit to their results before they open them. A version-1 job has
/// no commitments and no commit deadline. The jobs still computing at the upgrade are refunded
/// ([`RefundReason::Upgraded`](tokenfactory_primitives::compute::RefundReason::Upgraded)) and
/// nobody is slashed for them: their workers could not have committed. The result phases of the
/// others close without slashing anyone (the stragglers of an agreed job could not commit
/// either). Every job keeps its status and deadlines, and its results but those of a minority
/// that version 1 already slashed when the majority formed (version 2 slashes a minority at the
/// reveal, and must not slash it twice); its commit deadline is its result deadline and its
/// results count as open from its submission.
pub mod v2 {
	use crate::{pallet::*, Assignment, BalanceOf, Job, JobStatus, PaymentSource, SubmittedResult};
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration,
			pallet_prelude::*,
			traits::{Get, UncheckedOnRuntimeUpgrade},
		},
		frame_system::pallet_prelude::BlockNumberFor,
	};
	use tokenfactory_primitives::{
		compute::{RefundReason, SealingKey},
		datasets::{DatasetId, KeySetId, RevenueDestination},
		programs::{ColumnWidth, Query, MAX_COLUMNS},
	};

	/// A worker's place in a version-1 job.
	#[derive(Encode, Decode)]
	pub struct OldAssignment<AccountId> {
		/// The worker.
		pub worker: AccountId,
		/// Its result.
		pub result: Option<SubmittedResult>,
	}

	/// A version-1 job.
	#[derive(Encode, Decode)]
	#[allow(missing_docs)]
	pub struct OldJob<T: Config> {
		pub dataset: DatasetId,
		pub consumer: T::AccountId,
		pub payment: PaymentSource,
		pub price: BalanceOf<T>,
		pub owner: T::AccountId,
		pub revenue: RevenueDestination<T::AccountId, T::ClassId>,
		pub key_set: KeySetId,
		pub key_commitment: [u8; 32],
		pub schema: BoundedVec<ColumnWidth, ConstU32<MAX_COLUMNS>>,
		pub rows: u32,
		pub query: Query,
		pub result_blocks: u32,
		pub circuit_blocks: u32,
		pub consumer_key: SealingKey,
		pub workers: BoundedVec<OldAssignment<T::AccountId>, T::MaxReplicas>,
		pub submitted_at: BlockNumberFor<T>,
		pub result_deadline: BlockNumberFor<T>,
		pub result_phase_open: bool,
		pub status: JobStatus<T>,
	}

	impl<T: Config> OldJob<T> {
		fn upgrade(self) -> Job<T> {
			let agreed = match &self.status {
				JobStatus::AwaitingReveal { digest, .. } => Some(*digest),
				_ => None,
			};
			let workers = self
				.workers
				.into_iter()
				.map(|old| Assignment {
					worker: old.worker,
					commitment: None,
					// Already slashed by version 1: nothing may slash or pay it again.
					result: old
						.result
						.filter(|result| agreed.is_none_or(|agreed| result.digest == agreed)),
				})
				.collect::<alloc::vec::Vec<_>>();
			Job {
				dataset: self.dataset,
				consumer: self.consumer,
				payment: self.payment,
				price: self.price,
				owner: self.owner,
				revenue: self.revenue,
				key_set: self.key_set,
				key_commitment: self.key_commitment,
				schema: self.schema,
				rows: self.rows,
				query: self.query,
				result_blocks: self.result_blocks,
				circuit_blocks: self.circuit_blocks,
				consumer_key: self.consumer_key,
				// As many as before: the bound is the same.
				workers: BoundedVec::truncate_from(workers),
				submitted_at: self.submitted_at,
				commit_deadline: self.result_deadline,
				opened_at: Some(self.submitted_at),
				result_deadline: self.result_deadline,
				result_phase_open: self.result_phase_open,
				status: self.status,
			}
		}
	}

	/// The migration's body; run it only through [`MigrateV1ToV2`].
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut jobs = 0u64;
			Jobs::<T>::translate::<OldJob<T>, _>(|id, old| {
				jobs = jobs.saturating_add(1);
				let mut job = old.upgrade();
				if matches!(job.status, JobStatus::Computing) {
					Pallet::<T>::refund(id, &mut job, RefundReason::Upgraded);
				}
				Pallet::<T>::release_workers(id, &mut job);
				Some(job)
			});
			// Per job: its record, and for a refund or a release the escrow, the channel, the
			// registry's count, the assignments and the workers' records (bounded by the
			// replicas).
			let per_job = 8u64.saturating_add(2u64.saturating_mul(T::MaxReplicas::get().into()));
			T::DbWeight::get().reads_writes(
				jobs.saturating_mul(per_job).saturating_add(1),
				jobs.saturating_mul(per_job).saturating_add(1),
			)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			ensure!(
				Jobs::<T>::iter_values().all(|job| !job.result_phase_open),
				"a job's result phase is still open after the upgrade"
			);
			Pallet::<T>::do_try_state()
		}
	}

	/// Runs [`InnerMigrateV1ToV2`] once, when the stored version is 1, and sets it to 2.
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		InnerMigrateV1ToV2<T>,
		Pallet<T>,
		<T as polkadot_sdk::frame_system::Config>::DbWeight,
	>;
}

/// Version 2 to 3: a revealed job keeps its dataset (and so its key set's bond) until it is
/// pruned, the end of the consumer's window to complain about the seal. Version 2 released the
/// dataset at the reveal; the jobs revealed before the upgrade count as running again, so that
/// their prune releases them once.
pub mod v3 {
	use crate::{pallet::*, JobStatus};
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use polkadot_sdk::frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		traits::{Get, UncheckedOnRuntimeUpgrade},
	};
	use tokenfactory_primitives::datasets::DataCatalog;

	/// The migration's body; run it only through [`MigrateV2ToV3`].
	pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut jobs = 0u64;
			let mut revealed = 0u64;
			for job in Jobs::<T>::iter_values() {
				jobs = jobs.saturating_add(1);
				if matches!(job.status, JobStatus::Revealed { .. }) {
					revealed = revealed.saturating_add(1);
					T::Catalog::job_started(job.dataset);
				}
			}
			T::DbWeight::get().reads_writes(jobs.saturating_add(revealed), revealed)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// Runs [`InnerMigrateV2ToV3`] once, when the stored version is 2, and sets it to 3.
	pub type MigrateV2ToV3<T> = VersionedMigration<
		2,
		3,
		InnerMigrateV2ToV3<T>,
		Pallet<T>,
		<T as polkadot_sdk::frame_system::Config>::DbWeight,
	>;
}
