//! The records this pallet stores.

use crate::pallet::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::fungible::Inspect, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use polkadot_sdk::*;
use scale_info::TypeInfo;
use tokenfactory_primitives::compute::DecryptorKey;
use tokenfactory_primitives::datasets::{
	ColumnWidth, DatasetStatus, KeySetId, ProgramKind, ProgramPolicy,
};

/// The utility token's balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A column of a dataset's schema: its name and its unsigned width.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(NameLimit))]
pub struct Column<NameLimit: frame_support::traits::Get<u32>> {
	/// The column's name, as in the CSV header.
	pub name: BoundedVec<u8, NameLimit>,
	/// The width of its values.
	pub width: ColumnWidth,
}

/// A column as the runtime configures its bound.
pub type ColumnOf<T> = Column<<T as Config>::ColumnNameLimit>;
/// A schema as the runtime configures its bounds.
pub type SchemaOf<T> = BoundedVec<ColumnOf<T>, <T as Config>::MaxColumns>;
/// The allowed programs as the runtime configures their bound.
pub type ProgramsOf<T> = BoundedVec<ProgramPolicy, <T as Config>::MaxPrograms>;

/// What describes a dataset to its callers: fixed at registration.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(T))]
pub struct DatasetDescription<T: Config> {
	/// A short name ("Cardiology cohort 2025").
	pub name: BoundedVec<u8, T::NameLimit>,
	/// What the data is, where it comes from, or a link/hash to a longer document.
	pub description: BoundedVec<u8, T::DescriptionLimit>,
	/// The columns, in the order the ciphertexts hold them.
	pub schema: SchemaOf<T>,
	/// How many rows were encrypted.
	pub rows: u32,
}

/// What the owner may change after registration.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(T))]
pub struct DatasetTerms<T: Config> {
	/// The price of one call, in the utility token.
	pub price: BalanceOf<T>,
	/// The programs callers may run, each kind at most once.
	pub programs: ProgramsOf<T>,
	/// Every program's output is zeroed (inside FHE) unless at least this many rows are
	/// selected.
	pub min_cohort: u32,
}

/// A registered dataset.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(T))]
pub struct Dataset<T: Config> {
	/// The NFT collection its token was minted in; the item id is the dataset id.
	pub collection: T::CollectionId,
	/// Who paid the storage deposit (the registrant); it comes back to them on reaping even if
	/// the NFT has changed hands since.
	pub depositor: T::AccountId,
	/// The storage deposit held from `depositor`.
	pub deposit: BalanceOf<T>,
	/// Name, description, schema and row count.
	pub description: DatasetDescription<T>,
	/// Price, allowed programs and cohort minimum.
	pub terms: DatasetTerms<T>,
	/// The key set the ciphertexts are encrypted under.
	pub key_set: KeySetId,
	/// Blobs in the manifest.
	pub blob_count: u32,
	/// Blobs not uploaded yet.
	pub missing: u32,
	/// Where it is in its life.
	pub status: DatasetStatus<BlockNumberFor<T>>,
	/// Jobs accepted and not yet finished: reaping waits for them.
	pub running_jobs: u32,
	/// An equity class chosen by an owner to receive the revenue, with the owner who chose it:
	/// it applies only while that account still holds the NFT, so that revenue follows the
	/// token when it is transferred.
	pub revenue_class: Option<(T::AccountId, T::ClassId)>,
}

/// A registered FHE key set.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(T))]
pub struct KeySet<T: Config> {
	/// The owner: the only account that can encrypt datasets under it and retire it.
	pub owner: T::AccountId,
	/// The storage deposit held from `owner`.
	pub deposit: BalanceOf<T>,
	/// The FHE parameter set the keys were generated with (the FHE engine's id).
	pub parameter_set: u32,
	/// A SNARK-friendly commitment to the LWE secret key: the public input that ties a
	/// decryption proof to this key set.
	pub key_commitment: [u8; 32],
	/// The key the owner's decryptor signs reveals with: a reveal of a job on a dataset under
	/// this key set is valid only with its signature. `None` only for key sets registered
	/// before decryptor keys existed, until the owner sets one.
	pub decryptor: Option<DecryptorKey>,
	/// Blobs in the manifest.
	pub blob_count: u32,
	/// Blobs not uploaded yet.
	pub missing: u32,
	/// Datasets registered under it: it cannot be retired while any exists.
	pub datasets: u32,
}

impl<T: Config> KeySet<T> {
	/// Whether every blob of the key set is uploaded, so datasets may use it.
	pub fn is_ready(&self) -> bool {
		self.missing == 0
	}
}

/// The program kinds in a policy list are distinct.
pub(crate) fn programs_are_distinct(programs: &[ProgramPolicy]) -> bool {
	let kinds: alloc::vec::Vec<ProgramKind> = programs.iter().map(|policy| policy.kind).collect();
	kinds.iter().enumerate().all(|(i, kind)| !kinds[..i].contains(kind))
}
