//! # Block randomness
//!
//! Randomness for each block from its author's VRF, verified on chain: the value is unique
//! for the block's parent and slot, so its author cannot grind it, and nobody else knows it
//! before the block exists.
//!
//! ## Overview
//!
//! Every block carries one mandatory inherent, [`Pallet::set`], with the author's sr25519 VRF
//! signature over [`sign_data`]`(parent hash, slot)`. The runtime finds the slot's author
//! through [`Config::Author`] (Aura's slot author on our chain), verifies the signature
//! against its key and keeps the VRF output ([`Randomness`] in storage). A block without the
//! inherent, with a second one, or with a signature that does not verify is invalid.
//!
//! Other pallets read it through [`frame_support::traits::Randomness`], implemented by
//! [`Pallet`]: `random(subject)` is a hash of the subject and the current block's output, with
//! the block it came from. A pallet that must not let the author of the block that includes a
//! request choose its outcome uses the randomness of a *later* block: the compute pallet
//! assigns the workers of a job submitted in block `n` from block `n + 1`'s output.
//!
//! ## What is left to an author
//!
//! - The VRF output of its block is fixed by the parent hash and the slot, and only the
//!   author's key produces it: no grinding by reordering or resealing. The parent's author can
//!   change the parent hash, but cannot compute the next author's VRF, so it changes the
//!   output blindly.
//! - An author knows its own block's output before it publishes the block (nobody else
//!   does): it can withhold the block, giving up its slot and its fees, and let the next
//!   slot's author decide instead — one bit of bias per slot it is willing to lose. Two
//!   colluding consecutive authors can do what one of them knows.
//!
//! ## Interface
//!
//! ### Inherent
//! - [`Pallet::set`]: the author's VRF signature for this block (none origin, mandatory).
//!
//! ### For the node
//! - [`sign_data`]: what the author signs, under [`INHERENT_IDENTIFIER`] (the node's inherent
//!   data provider signs it with the slot author's Aura key).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(any(test, feature = "runtime-benchmarks"))]
mod fixture;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use polkadot_sdk::{
	frame_support::inherent::InherentIdentifier,
	sp_core::sr25519::{
		self,
		vrf::{VrfInput, VrfSignData, VrfTranscript},
	},
};

/// The identifier of the VRF inherent's data: an encoded [`BlockVrfSignature`] (the same bytes
/// as an encoded `sr25519::vrf::VrfSignature`).
pub const INHERENT_IDENTIFIER: InherentIdentifier = *b"tfblkvrf";

/// The label of the VRF transcript.
const TRANSCRIPT_LABEL: &[u8] = b"tokenfactory/block-randomness/v1";

/// The context the randomness is derived from the VRF output under.
const OUTPUT_CONTEXT: &[u8] = b"tokenfactory/block-randomness/output";

/// What a block's author signs with its VRF key: the parent's hash and the block's slot.
pub fn sign_data(parent: &[u8], slot: u64) -> VrfSignData {
	transcript(parent, slot).into_sign_data()
}

fn transcript(parent: &[u8], slot: u64) -> VrfInput {
	VrfTranscript::new(TRANSCRIPT_LABEL, &[(b"parent", parent), (b"slot", &slot.to_le_bytes())])
}

/// The randomness a verified VRF signature over `(parent, slot)` by `key` gives, or `None`
/// if the signature does not verify.
pub fn verified_output(
	key: &sr25519::Public,
	parent: &[u8],
	slot: u64,
	signature: &BlockVrfSignature,
) -> Option<[u8; 32]> {
	use polkadot_sdk::sp_core::crypto::VrfPublic;
	let signature = signature.to_signature()?;
	let data = sign_data(parent, slot);
	if !key.vrf_verify(&data, &signature) {
		return None;
	}
	key.make_bytes::<32>(OUTPUT_CONTEXT, &transcript(parent, slot), &signature.pre_output).ok()
}

/// A VRF signature as the inherent carries it: `sr25519::vrf::VrfSignature`'s encoding (its
/// pre-output, then its proof), in a type a call can decode with memory tracking.
#[derive(
	Clone,
	PartialEq,
	Eq,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Debug,
)]
pub struct BlockVrfSignature {
	/// The VRF pre-output (a compressed Ristretto point).
	pub pre_output: [u8; 32],
	/// The proof that the pre-output is the signer's for the input.
	pub proof: [u8; 64],
}

impl BlockVrfSignature {
	/// The signature in `sp_core`'s form, if its bytes are well formed.
	pub fn to_signature(&self) -> Option<sr25519::vrf::VrfSignature> {
		use codec::{Decode, Encode};
		sr25519::vrf::VrfSignature::decode(&mut &self.encode()[..]).ok()
	}
}

impl From<sr25519::vrf::VrfSignature> for BlockVrfSignature {
	fn from(signature: sr25519::vrf::VrfSignature) -> Self {
		use codec::{Decode, Encode};
		// Both are the same 96 bytes.
		Self::decode(&mut &signature.encode()[..])
			.unwrap_or(Self { pre_output: [0; 32], proof: [0; 64] })
	}
}

/// The author of the block being built and the slot it claimed.
pub trait BlockAuthor {
	/// The slot of the current block and the VRF key of its author, if there is one.
	fn slot_and_key() -> Option<(u64, sr25519::Public)>;
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use polkadot_sdk::{
		frame_support::{
			dispatch::DispatchClass,
			inherent::{InherentData, MakeFatalError, ProvideInherent},
			pallet_prelude::*,
			traits::Randomness as RandomnessT,
		},
		frame_system::pallet_prelude::*,
		sp_runtime::traits::Hash,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// Who authors the current block, with which VRF key.
		type Author: BlockAuthor;
		/// Weight information for this pallet's calls.
		type WeightInfo: WeightInfo;
		/// Makes a block author the benchmarks can sign for.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// The randomness of the block that last set it (this block's, once its inherent applied).
	#[pallet::storage]
	pub type Randomness<T: Config> = StorageValue<_, [u8; 32], ValueQuery>;

	/// The block whose VRF gave [`Randomness`].
	#[pallet::storage]
	pub type RandomnessBlock<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Whether this block's inherent applied (cleared when the block finalizes).
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type SetThisBlock<T: Config> = StorageValue<_, bool, ValueQuery>;

	#[pallet::error]
	pub enum Error<T> {
		/// The block's randomness was already set: one VRF inherent per block.
		AlreadySet,
		/// The runtime knows no author for this block's slot.
		NoAuthor,
		/// The VRF signature is not the slot author's over this block's parent and slot.
		BadVrfSignature,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_: BlockNumberFor<T>) -> Weight {
			// `on_finalize`'s read and clear of the flag.
			T::DbWeight::get().reads_writes(1, 1)
		}

		fn on_finalize(_: BlockNumberFor<T>) {
			assert!(
				SetThisBlock::<T>::take(),
				"every block carries its author's VRF randomness inherent"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets this block's randomness from its author's VRF `signature` over
		/// [`sign_data`]`(parent hash, slot)`. An inherent: none origin, once per block.
		///
		/// # Errors
		///
		/// [`Error::AlreadySet`], [`Error::NoAuthor`], [`Error::BadVrfSignature`]; each makes
		/// the block invalid (the call is mandatory).
		#[pallet::call_index(0)]
		#[pallet::weight((T::WeightInfo::set(), DispatchClass::Mandatory))]
		pub fn set(origin: OriginFor<T>, signature: BlockVrfSignature) -> DispatchResult {
			ensure_none(origin)?;
			ensure!(!SetThisBlock::<T>::get(), Error::<T>::AlreadySet);
			let (slot, key) = T::Author::slot_and_key().ok_or(Error::<T>::NoAuthor)?;
			let parent = polkadot_sdk::frame_system::Pallet::<T>::parent_hash();
			let output = verified_output(&key, parent.as_ref(), slot, &signature)
				.ok_or(Error::<T>::BadVrfSignature)?;
			Randomness::<T>::put(output);
			RandomnessBlock::<T>::put(polkadot_sdk::frame_system::Pallet::<T>::block_number());
			SetThisBlock::<T>::put(true);
			Ok(())
		}
	}

	#[pallet::inherent]
	impl<T: Config> ProvideInherent for Pallet<T> {
		type Call = Call<T>;
		type Error = MakeFatalError<()>;
		const INHERENT_IDENTIFIER: InherentIdentifier = INHERENT_IDENTIFIER;

		fn create_inherent(data: &InherentData) -> Option<Self::Call> {
			data.get_data::<BlockVrfSignature>(&INHERENT_IDENTIFIER)
				.ok()
				.flatten()
				.map(|signature| Call::set { signature })
		}

		// The signature is checked where it applies (`set`), against the state the block runs
		// on; a block without one fails in `on_finalize`.
		fn is_inherent(call: &Self::Call) -> bool {
			matches!(call, Call::set { .. })
		}
	}

	impl<T: Config> RandomnessT<T::Hash, BlockNumberFor<T>> for Pallet<T> {
		/// A hash of `subject` and the latest VRF output, and the block that output is from.
		/// Read after the current block's inherent applied (e.g. in `PostInherents` or a
		/// transaction), it is this block's: unknown before the block to all but its author.
		fn random(subject: &[u8]) -> (T::Hash, BlockNumberFor<T>) {
			let output = Randomness::<T>::get();
			(
				T::Hashing::hash_of(&(b"tokenfactory/random", subject, output)),
				RandomnessBlock::<T>::get(),
			)
		}
	}
}

/// What the benchmarks need from the runtime: an author whose key they hold.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Makes `key` the author of the current block's `slot`.
	fn set_author(slot: u64, key: sr25519::Public);
}
