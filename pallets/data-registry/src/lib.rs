//! # Data registry
//!
//! Turns an encrypted dataset into a data token: an NFT in its owner's collection, with the
//! dataset's schema, terms and a manifest of its ciphertext blobs on chain, and the blobs
//! themselves in every node's offchain database.
//!
//! ## Overview
//!
//! An owner first registers a **key set** ([`Pallet::register_key_set`]): the FHE parameter
//! set, a commitment to the LWE secret key, and a manifest of the key material (compressed
//! server key chunks, compact public key, zk-pok parameters). Keys are large (tens of MB) and
//! per owner, so every dataset of that owner refers to one key set.
//!
//! Then it registers **datasets** ([`Pallet::register`]), each minting an NFT (through the
//! `nonfungibles_v2` traits) in a collection the owner controls, with name, description,
//! schema, row count, price, allowed programs, cohort minimum and its ciphertext manifest.
//!
//! Anyone uploads the blobs ([`Pallet::upload_chunk`]): the hash must match the manifest; the
//! bytes go to the offchain database through offchain indexing (under
//! [`tokenfactory_primitives::datasets::blob_offchain_key`]) and state keeps only the hash and a
//! presence bit. A key set is ready when its blobs are all present; a dataset becomes
//! `Active` when its own are.
//!
//! **Ownership follows the NFT**: whoever holds the dataset's token is its owner, controls its
//! terms and receives its revenue (or routes it to an equity class of their choice).
//!
//! ## Terminology
//!
//! - **Manifest**: the ordered list of a key set's or dataset's blobs (kind, size, hash).
//! - **Storage deposit**: held from the registrant, `DepositBase + DepositPerByte * bytes +
//!   DepositPerBlob * blobs`, adjusted when terms change, returned when the record goes.
//! - **Grace period**: after [`Pallet::retire`], running jobs finish; after
//!   [`Config::RetireGracePeriod`] and once no job runs, anyone may [`Pallet::reap`] it.
//!
//! ## Interface
//!
//! ### Permissionless calls
//! - [`Pallet::upload_chunk`]: anyone may upload a blob whose bytes match the manifest.
//! - [`Pallet::reap`]: anyone may remove a retired dataset after the grace period.
//!
//! ### Calls of a key set's owner
//! - [`Pallet::register_key_set`], [`Pallet::retire_key_set`].
//!
//! ### Calls of a dataset's owner (the NFT holder)
//! - [`Pallet::register`] (the collection's owner), [`Pallet::set_price`],
//!   [`Pallet::set_programs`], [`Pallet::set_min_cohort`], [`Pallet::pause`],
//!   [`Pallet::resume`], [`Pallet::set_revenue_destination`], [`Pallet::retire`].
//!
//! ### For other pallets
//! - [`DataCatalog`] (the compute pallet): job terms, running-job accounting.
//!
//! ## Timeouts
//!
//! A dataset that never finishes uploading can be retired by its owner and reaped after the
//! grace period; nothing waits on an upload.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use tokenfactory_primitives::datasets::{
	BlobIndex, BlobInfo, BlobKind, BlobSpec, BlobTarget, DataCatalog, DatasetId, DatasetStatus,
	JobRefusal, JobTerms, KeySetId, ProgramPolicy, RevenueDestination,
};
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

use polkadot_sdk::*;

/// The pallet: configuration, storage, events, errors and calls. The logic lives in
/// `functions.rs`.
#[frame_support::pallet]
#[allow(
	clippy::expect_used,
	reason = "FRAME's pallet macro expands `expect`s on runtime-construction invariants; the \
	          logic, in `functions.rs`, has none"
)]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			tokens::nonfungibles_v2,
		},
	};
	use frame_system::pallet_prelude::*;
	use tokenfactory_primitives::{compute::DecryptorKey, revenue::RevenueSink};

	/// The in-code storage version.
	pub(crate) const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	/// The data-registry pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the data-registry pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The utility token: prices and storage deposits.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// An NFT collection id.
		type CollectionId: Member + Parameter + MaxEncodedLen + Copy;

		/// The item configuration new dataset tokens are minted with.
		type NftItemConfig: Default;

		/// The NFTs: dataset tokens are minted, read and burnt through these traits.
		type Nfts: nonfungibles_v2::Inspect<
				Self::AccountId,
				CollectionId = Self::CollectionId,
				ItemId = DatasetId,
			> + nonfungibles_v2::Mutate<Self::AccountId, Self::NftItemConfig>;

		/// An equity share class id.
		type ClassId: Member + Parameter + MaxEncodedLen + Copy;

		/// Where revenue can be routed as dividends: checks that a chosen class exists.
		type Revenue: RevenueSink<Self::AccountId, Self::ClassId, BalanceOf<Self>>;

		/// The largest blob one `upload_chunk` carries, in bytes: a few fit in one block.
		#[pallet::constant]
		type MaxChunkSize: Get<u32>;

		/// Blobs in a key set's manifest (server key chunks + public key + parameters).
		#[pallet::constant]
		type MaxKeySetBlobs: Get<u32>;

		/// Ciphertext blobs in a dataset's manifest.
		#[pallet::constant]
		type MaxDatasetBlobs: Get<u32>;

		/// Columns in a schema.
		#[pallet::constant]
		type MaxColumns: Get<u32>;

		/// Longest column name, in bytes.
		#[pallet::constant]
		type ColumnNameLimit: Get<u32>;

		/// Longest dataset name, in bytes.
		#[pallet::constant]
		type NameLimit: Get<u32>;

		/// Longest dataset description, in bytes.
		#[pallet::constant]
		type DescriptionLimit: Get<u32>;

		/// Program policies per dataset (one per program kind at most).
		#[pallet::constant]
		type MaxPrograms: Get<u32>;

		/// Storage deposit per record.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;

		/// Storage deposit per byte of a record.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// Storage deposit per manifest entry.
		#[pallet::constant]
		type DepositPerBlob: Get<BalanceOf<Self>>;

		/// The bond a key set's owner (whose decryptor reveals every job on its datasets)
		/// posts at registration, returned when the key set retires. Every job on its datasets
		/// sets its price and the reveal penalty aside out of it until the job is pruned; a
		/// missed reveal or a seal that does not open to the proven result is paid out of that
		/// reservation to the consumer. A job the unreserved bond cannot back is refused: the
		/// bond is the owner's capacity, and the owner tops it up to sell more at once.
		#[pallet::constant]
		type KeySetBond: Get<BalanceOf<Self>>;

		/// Blocks between retiring a dataset and being able to reap it.
		#[pallet::constant]
		type RetireGracePeriod: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates NFT collections for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::CollectionId>;
	}

	/// Why this pallet holds utility tokens.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The storage deposit of a dataset.
		DatasetDeposit,
		/// The storage deposit of a key set.
		KeySetDeposit,
		/// The bond of a key set's owner, for its decryptor's duties.
		KeySetBond,
	}

	/// The id the next key set gets.
	#[pallet::storage]
	pub type NextKeySetId<T> = StorageValue<_, KeySetId, ValueQuery>;

	/// The id the next dataset gets (also its NFT item id).
	#[pallet::storage]
	pub type NextDatasetId<T> = StorageValue<_, DatasetId, ValueQuery>;

	/// Registered key sets.
	#[pallet::storage]
	pub type KeySets<T: Config> = StorageMap<_, Twox64Concat, KeySetId, KeySet<T>>;

	/// The bond each key set's owner has posted (held under [`HoldReason::KeySetBond`]). A
	/// key set registered before bonds existed has none until its owner posts one.
	#[pallet::storage]
	pub type KeySetBonds<T: Config> =
		StorageMap<_, Twox64Concat, KeySetId, BalanceOf<T>, ValueQuery>;

	/// The part of each key set's bond set aside for its running jobs (never above the bond).
	#[pallet::storage]
	pub type KeySetReserved<T: Config> =
		StorageMap<_, Twox64Concat, KeySetId, BalanceOf<T>, ValueQuery>;

	/// Registered datasets.
	#[pallet::storage]
	pub type Datasets<T: Config> = StorageMap<_, Twox64Concat, DatasetId, Dataset<T>>;

	/// Manifests: every blob of every key set and dataset, with its presence bit.
	#[pallet::storage]
	pub type Blobs<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlobTarget, Twox64Concat, BlobIndex, BlobInfo>;

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A key set was registered; its blobs can now be uploaded.
		KeySetRegistered {
			/// The new key set.
			key_set: KeySetId,
			/// Its owner.
			owner: T::AccountId,
			/// Blobs in its manifest.
			blobs: u32,
		},
		/// The owner set the decryptor key of a key set.
		DecryptorSet {
			/// The key set.
			key_set: KeySetId,
			/// The key its reveals must be signed with.
			decryptor: DecryptorKey,
		},
		/// Every blob of a key set is present: datasets may be registered under it.
		KeySetReady {
			/// The key set.
			key_set: KeySetId,
		},
		/// A key set's owner added to its bond.
		KeySetBonded {
			/// The key set.
			key_set: KeySetId,
			/// Added now.
			amount: BalanceOf<T>,
			/// The bond now.
			bond: BalanceOf<T>,
		},
		/// Part of a key set's bond was paid to someone its decryptor failed.
		KeySetBondSlashed {
			/// The key set.
			key_set: KeySetId,
			/// Who was paid.
			to: T::AccountId,
			/// How much.
			amount: BalanceOf<T>,
			/// The bond left.
			bond: BalanceOf<T>,
		},
		/// A key set was retired and its deposit and bond returned.
		KeySetRetired {
			/// The key set.
			key_set: KeySetId,
		},
		/// A dataset was registered and its token minted.
		DatasetRegistered {
			/// The new dataset (and its NFT item id).
			dataset: DatasetId,
			/// Its owner (the NFT holder).
			owner: T::AccountId,
			/// The collection its NFT was minted in.
			collection: T::CollectionId,
			/// The key set it is encrypted under.
			key_set: KeySetId,
			/// Ciphertext blobs in its manifest.
			blobs: u32,
			/// The storage deposit held.
			deposit: BalanceOf<T>,
		},
		/// A blob was uploaded and stored in the offchain database.
		BlobUploaded {
			/// The key set or dataset.
			target: BlobTarget,
			/// The blob's index in the manifest.
			index: BlobIndex,
			/// Its size in bytes.
			size: u32,
			/// Blobs of the target still missing.
			remaining: u32,
		},
		/// Every blob of a dataset is present: it takes jobs.
		DatasetActivated {
			/// The dataset.
			dataset: DatasetId,
		},
		/// The price of a call changed.
		PriceChanged {
			/// The dataset.
			dataset: DatasetId,
			/// The new price.
			price: BalanceOf<T>,
		},
		/// The allowed programs changed.
		ProgramsChanged {
			/// The dataset.
			dataset: DatasetId,
			/// How many programs are allowed now.
			programs: u32,
		},
		/// The cohort minimum changed.
		MinCohortChanged {
			/// The dataset.
			dataset: DatasetId,
			/// The new minimum.
			min_cohort: u32,
		},
		/// The owner paused the dataset.
		DatasetPaused {
			/// The dataset.
			dataset: DatasetId,
		},
		/// The owner resumed the dataset.
		DatasetResumed {
			/// The dataset.
			dataset: DatasetId,
		},
		/// Where the owner's revenue goes changed.
		RevenueDestinationChanged {
			/// The dataset.
			dataset: DatasetId,
			/// The equity class now paid, or `None` for the owner's account.
			class: Option<T::ClassId>,
		},
		/// The dataset takes no new jobs; it can be reaped after the grace period.
		DatasetRetired {
			/// The dataset.
			dataset: DatasetId,
			/// The first block at which it may be reaped (once no job runs).
			reapable_at: BlockNumberFor<T>,
		},
		/// The dataset, its token and its blobs were removed and the deposit returned.
		DatasetReaped {
			/// The dataset.
			dataset: DatasetId,
			/// The registrant, who paid the deposit.
			deposit_returned_to: T::AccountId,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No key set has this id.
		UnknownKeySet,
		/// No dataset has this id.
		UnknownDataset,
		/// The caller does not own this key set.
		NotKeySetOwner,
		/// The caller does not hold this dataset's NFT.
		NotOwner,
		/// The caller does not own the NFT collection.
		NotCollectionOwner,
		/// The key set still has blobs to upload.
		KeySetNotReady,
		/// Datasets are still registered under this key set.
		KeySetInUse,
		/// A manifest must list at least one blob.
		EmptyManifest,
		/// A manifest entry has size zero or above `MaxChunkSize`.
		InvalidBlobSize,
		/// A blob kind does not belong in this manifest (key material in a dataset, or
		/// ciphertexts in a key set).
		WrongBlobKind,
		/// A key set needs at least one piece of each kind of key material: server key,
		/// public key, proof parameters (pieces of a kind are joined in manifest order).
		IncompleteKeyMaterial,
		/// A schema must have at least one column.
		EmptySchema,
		/// Two columns have the same name.
		DuplicateColumn,
		/// A column has an empty name.
		EmptyColumnName,
		/// A dataset must have at least one row.
		NoRows,
		/// At least one program must be allowed.
		NoPrograms,
		/// A program kind is listed twice.
		DuplicateProgram,
		/// A cohort minimum must be at least one row and at most the row count.
		InvalidMinCohort,
		/// A program's own cohort minimum is looser than the dataset's.
		ProgramCohortTooLow,
		/// No blob with this index in the manifest.
		BlobNotInManifest,
		/// The blob was already uploaded.
		BlobAlreadyPresent,
		/// The bytes' length is not the manifest's size.
		BlobSizeMismatch,
		/// The bytes' blake2-256 hash is not the manifest's.
		BlobHashMismatch,
		/// The dataset is retired.
		DatasetRetired,
		/// The dataset is not active (to pause it).
		NotActive,
		/// The dataset is not paused (to resume it).
		NotPaused,
		/// The dataset is not retired (to reap it).
		NotRetired,
		/// The grace period after retirement has not ended.
		GracePeriodNotOver,
		/// Jobs on the dataset have not finished.
		JobsStillRunning,
		/// The equity class does not exist.
		UnknownClass,
		/// Ids are exhausted, or a counter or deposit would overflow.
		Overflow,
		/// A bond top-up of zero.
		ZeroBond,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxChunkSize::get() > 0, "MaxChunkSize must be positive");
			assert!(
				T::MaxKeySetBlobs::get() >= 3,
				"a key set needs a server key chunk, a public key and proof parameters"
			);
			assert!(T::MaxDatasetBlobs::get() > 0, "MaxDatasetBlobs must be positive");
			assert!(T::MaxColumns::get() > 0, "MaxColumns must be positive");
			assert!(
				T::MaxColumns::get() <= tokenfactory_primitives::programs::MAX_COLUMNS,
				"the program catalogue addresses at most MAX_COLUMNS columns"
			);
			assert!(T::MaxPrograms::get() > 0, "MaxPrograms must be positive");
			assert!(!T::KeySetBond::get().is_zero(), "KeySetBond must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Registers a key set: the FHE parameter set, the secret-key commitment, the key its
		/// decryptor signs reveals with, and the manifest of its key material.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_key_set(blobs.len() as u32))]
		pub fn register_key_set(
			origin: OriginFor<T>,
			parameter_set: u32,
			key_commitment: [u8; 32],
			decryptor: DecryptorKey,
			blobs: BoundedVec<BlobSpec, T::MaxKeySetBlobs>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_register_key_set(owner, parameter_set, key_commitment, decryptor, blobs)
				.map(|_| ())
		}

		/// Retires an unused key set: removes its manifest and blobs and returns its deposit.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::retire_key_set(T::MaxKeySetBlobs::get()))]
		pub fn retire_key_set(origin: OriginFor<T>, key_set: KeySetId) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_retire_key_set(owner, key_set)
		}

		/// Registers a dataset encrypted under the caller's ready key set and mints its token
		/// in `collection`, which the caller must own.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::register(blobs.len() as u32))]
		pub fn register(
			origin: OriginFor<T>,
			collection: T::CollectionId,
			key_set: KeySetId,
			description: DatasetDescription<T>,
			terms: DatasetTerms<T>,
			blobs: BoundedVec<BlobSpec, T::MaxDatasetBlobs>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_register(owner, collection, key_set, description, terms, blobs).map(|_| ())
		}

		/// Uploads blob `index` of `target`; the bytes must match the manifest's size and hash.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::upload_chunk(bytes.len() as u32))]
		pub fn upload_chunk(
			origin: OriginFor<T>,
			target: BlobTarget,
			index: BlobIndex,
			bytes: BoundedVec<u8, T::MaxChunkSize>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_upload_chunk(target, index, bytes.into_inner())
		}

		/// Sets the price of one call.
		#[pallet::call_index(4)]
		pub fn set_price(
			origin: OriginFor<T>,
			dataset: DatasetId,
			price: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_price(who, dataset, price)
		}

		/// Sets the allowed programs.
		#[pallet::call_index(5)]
		pub fn set_programs(
			origin: OriginFor<T>,
			dataset: DatasetId,
			programs: ProgramsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_programs(who, dataset, programs)
		}

		/// Sets the cohort minimum.
		#[pallet::call_index(6)]
		pub fn set_min_cohort(
			origin: OriginFor<T>,
			dataset: DatasetId,
			min_cohort: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_min_cohort(who, dataset, min_cohort)
		}

		/// Stops new jobs until [`Pallet::resume`].
		#[pallet::call_index(7)]
		pub fn pause(origin: OriginFor<T>, dataset: DatasetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_pause(who, dataset)
		}

		/// Takes jobs again after [`Pallet::pause`].
		#[pallet::call_index(8)]
		pub fn resume(origin: OriginFor<T>, dataset: DatasetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_resume(who, dataset)
		}

		/// Routes the owner's revenue to an equity class's dividend pool (`Some`) or back to the
		/// owner's account (`None`). The choice lapses when the NFT changes hands.
		#[pallet::call_index(9)]
		pub fn set_revenue_destination(
			origin: OriginFor<T>,
			dataset: DatasetId,
			class: Option<T::ClassId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_revenue_destination(who, dataset, class)
		}

		/// Stops new jobs for good; the dataset can be reaped after the grace period.
		#[pallet::call_index(10)]
		pub fn retire(origin: OriginFor<T>, dataset: DatasetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_retire(who, dataset)
		}

		/// Removes a retired dataset once its grace period is over and no job runs: burns its
		/// token, clears its blobs and returns the deposit to the registrant.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::reap(T::MaxDatasetBlobs::get()))]
		pub fn reap(origin: OriginFor<T>, dataset: DatasetId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_reap(dataset)
		}

		/// Sets the key the owner's decryptor signs reveals with for `key_set` (for a key set
		/// registered before decryptor keys existed, or to move the decryptor to a new key).
		#[pallet::call_index(12)]
		// One key set read and written: bounded by `pause`'s measured weight (two reads, one
		// write).
		#[pallet::weight(T::WeightInfo::pause())]
		pub fn set_decryptor(
			origin: OriginFor<T>,
			key_set: KeySetId,
			decryptor: DecryptorKey,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_set_decryptor(owner, key_set, decryptor)
		}

		/// Adds `amount` to the bond of the caller's `key_set` (after a slash, or for a key set
		/// registered before bonds existed, or to back more jobs at once): a job is taken while
		/// the bond less the running jobs' reservations covers its price and the reveal
		/// penalty.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::bond_key_set())]
		pub fn bond_key_set(
			origin: OriginFor<T>,
			key_set: KeySetId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_bond_key_set(owner, key_set, amount)
		}
	}
}

/// Creates an NFT collection owned by an account, for benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, CollectionId> {
	/// A new collection owned by `owner` (who is funded).
	fn create_collection(owner: &AccountId) -> CollectionId;
}
