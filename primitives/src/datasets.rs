//! Datasets and FHE key sets: the types the data registry stores, the trait the compute pallet
//! reads them through, the runtime API clients read them with, and where blob bytes live.
//!
//! A data owner registers a **key set** once (its FHE key material: the compressed server key
//! in chunks, the compact public key, the zk-pok parameters) and then any number of
//! **datasets** encrypted under it. Both are described on chain by a **manifest**: one
//! [`BlobInfo`] (kind, size, blake2-256 hash) per blob. The bytes themselves never enter
//! state: `upload_chunk` writes them into every node's offchain database through offchain
//! indexing under [`blob_offchain_key`], and state keeps only the hash and a presence bit.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::DispatchError;
use scale_info::TypeInfo;

pub use crate::programs::{ColumnWidth, ProgramKind};

/// Identifies a registered dataset; also its NFT's item id in the owner's collection.
pub type DatasetId = u32;
/// Identifies a registered FHE key set.
pub type KeySetId = u32;
/// Index of a blob within its manifest.
pub type BlobIndex = u32;
/// A blake2-256 hash.
pub type BlobHash = [u8; 32];

/// What a blob upload is for.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum BlobTarget {
	/// A blob of a key set's manifest.
	KeySet(KeySetId),
	/// A blob of a dataset's manifest.
	Dataset(DatasetId),
}

/// What a blob holds.
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
pub enum BlobKind {
	/// A chunk of the compressed FHE server key (key sets).
	ServerKeyChunk,
	/// The compact public key that encrypts into this key set (key sets).
	PublicKey,
	/// The zk-pok public parameters (CRS) that prove encryptions (key sets).
	ProofParameters,
	/// A chunk of encrypted rows, a proven compact ciphertext list (datasets).
	Ciphertexts,
}

impl BlobKind {
	/// Whether a blob of this kind belongs in a key set's manifest (else in a dataset's).
	pub const fn is_key_material(self) -> bool {
		!matches!(self, Self::Ciphertexts)
	}
}

/// One manifest entry, as registered.
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
pub struct BlobSpec {
	/// What the blob holds.
	pub kind: BlobKind,
	/// Its length in bytes.
	pub size: u32,
	/// Its blake2-256 hash.
	pub hash: BlobHash,
}

/// One manifest entry, as stored: the spec and whether its bytes have been uploaded.
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
pub struct BlobInfo {
	/// What was registered.
	pub spec: BlobSpec,
	/// Whether the bytes were uploaded (and so are in every indexing node's offchain database).
	pub present: bool,
}

/// The prefix of every blob's key in the offchain database (persistent storage).
pub const BLOB_KEY_PREFIX: &[u8] = b"tokenfactory/blob/";

/// The offchain-database key under which blob `index` of `target` is stored. One function, used
/// by the runtime that writes and by the node RPC that reads.
pub fn blob_offchain_key(target: BlobTarget, index: BlobIndex) -> alloc::vec::Vec<u8> {
	let mut key = BLOB_KEY_PREFIX.to_vec();
	(target, index).encode_to(&mut key);
	key
}

/// Where the owner's share of a dataset's revenue goes.
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
pub enum RevenueDestination<AccountId, ClassId> {
	/// To the owner's account.
	Owner(AccountId),
	/// Into the dividend pool of an equity class (through [`crate::revenue::RevenueSink`]).
	EquityClass(ClassId),
}

/// A dataset's lifecycle.
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
pub enum DatasetStatus<BlockNumber> {
	/// Registered; some ciphertext blobs are not uploaded yet. No jobs.
	Uploading,
	/// Every blob is present: jobs may be submitted.
	Active,
	/// The owner paused it: no new jobs until resumed.
	Paused,
	/// Retired at this block: no new jobs; running ones finish; the deposit comes back after
	/// the grace period.
	Retired(BlockNumber),
}

/// A program the owner allows, with optional limits of its own.
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
pub struct ProgramPolicy {
	/// The program.
	pub kind: ProgramKind,
	/// A stricter cohort minimum for this program than the dataset's (never a looser one).
	pub min_cohort: Option<u32>,
	/// The most filter predicates a query of this program may use.
	pub max_predicates: Option<u8>,
}

/// What the compute pallet needs to accept a job on a dataset: read in one go.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct JobTerms<AccountId, Balance, ClassId> {
	/// The current owner (the NFT's holder): the one who decrypts and reveals.
	pub owner: AccountId,
	/// Where the owner's share of the price goes.
	pub revenue: RevenueDestination<AccountId, ClassId>,
	/// The price of one call, in the utility token.
	pub price: Balance,
	/// Column widths, in column order.
	pub schema: alloc::vec::Vec<ColumnWidth>,
	/// Rows in the dataset.
	pub rows: u32,
	/// The cohort gate the FHE program applies for this program.
	pub min_cohort: u32,
	/// The most predicates a query may use for this program.
	pub max_predicates: Option<u8>,
	/// The key set the dataset is encrypted under.
	pub key_set: KeySetId,
	/// The commitment to the owner's LWE secret key (the ZK statement's public input).
	pub key_commitment: [u8; 32],
}

/// Why a dataset cannot take a job.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum JobRefusal {
	/// No dataset has this id.
	UnknownDataset,
	/// The dataset is still uploading, paused or retired.
	NotActive,
	/// The owner does not allow this program on the dataset.
	ProgramNotAllowed,
	/// The dataset's NFT no longer exists (it was burnt outside the registry).
	NoOwner,
	/// What is left of the bond of the dataset's key set, once the running jobs' reservations
	/// are set aside, cannot back another job (its price and the reveal penalty).
	OwnerBondTooLow,
}

impl From<JobRefusal> for DispatchError {
	fn from(refusal: JobRefusal) -> Self {
		DispatchError::Other(match refusal {
			JobRefusal::UnknownDataset => "UnknownDataset",
			JobRefusal::NotActive => "DatasetNotActive",
			JobRefusal::ProgramNotAllowed => "ProgramNotAllowed",
			JobRefusal::NoOwner => "DatasetHasNoOwner",
			JobRefusal::OwnerBondTooLow => "OwnerBondTooLow",
		})
	}
}

/// The data registry as the compute pallet sees it.
pub trait DataCatalog<AccountId, Balance, ClassId> {
	/// The terms of a job of `program` on `dataset`, if it can take one now.
	///
	/// # Errors
	///
	/// A [`JobRefusal`] saying why not.
	fn job_terms(
		dataset: DatasetId,
		program: ProgramKind,
	) -> Result<JobTerms<AccountId, Balance, ClassId>, JobRefusal>;

	/// Sets `amount` of `key_set`'s bond aside for one job (what the job's consumer may be owed:
	/// its price and the reveal penalty), so that every running job stays backed whatever
	/// happens to the others.
	///
	/// # Errors
	///
	/// [`JobRefusal::OwnerBondTooLow`] if the bond less its reservations is below `amount`.
	fn reserve_bond(key_set: KeySetId, amount: Balance) -> Result<(), JobRefusal>;

	/// Gives back a reservation of `amount` made by [`Self::reserve_bond`].
	fn release_bond(key_set: KeySetId, amount: Balance);

	/// Pays up to `amount` of `key_set`'s bond to `to` (a consumer its decryptor failed; the
	/// caller pays out of that job's reservation, then releases it); returns what was paid
	/// (less only when the bond is smaller).
	fn slash_bond(key_set: KeySetId, amount: Balance, to: &AccountId) -> Balance;

	/// A job on `dataset` started: the dataset cannot be reaped until it finishes.
	fn job_started(dataset: DatasetId);

	/// A job on `dataset` finished (settled, refunded or timed out).
	fn job_finished(dataset: DatasetId);

	/// The manifest of a key set or dataset, in blob order (empty if it does not exist): what
	/// a worker's off-chain worker reads to find the blobs of a job.
	fn manifest(target: BlobTarget) -> alloc::vec::Vec<BlobInfo>;

	/// The key that signs reveals for results encrypted under `key_set`: its owner's
	/// decryptor's. `None` for an unknown key set.
	fn decryptor(key_set: KeySetId) -> Option<crate::compute::DecryptorKey>;
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Read access to the data registry for clients and workers.
	pub trait DataRegistryApi<DatasetView, KeySetView>
	where
		DatasetView: codec::Codec,
		KeySetView: codec::Codec,
	{
		/// A dataset's record, if it exists.
		fn dataset(id: DatasetId) -> Option<DatasetView>;
		/// A key set's record, if it exists.
		fn key_set(id: KeySetId) -> Option<KeySetView>;
		/// The manifest of a key set or dataset, in blob order (empty if it does not exist).
		fn manifest(target: BlobTarget) -> alloc::vec::Vec<BlobInfo>;
	}
}
