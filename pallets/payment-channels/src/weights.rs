//! Weights for `pallet_payment_channels`.
//!
//! **Not benchmarked yet.** These weights count only the storage reads and writes each call
//! makes (read off the code, listed per function) and price them with the runtime's
//! `DbWeight`; they carry no execution time (signature verification, SCALE decoding), so they
//! underestimate. Replace this file with the output of
//! `tokenfactory-node benchmark pallet --pallet pallet_payment_channels --extrinsic '*'
//! --output pallets/payment-channels/src/weights.rs` (node built with
//! `--features runtime-benchmarks`) before any network uses them.
//!
//! [`crate::ChannelCharger::charge`] and `refund` have no entry here: they run inside another
//! pallet's call (e.g. `compute.submit_job`), whose own benchmark measures them.

#![allow(unused_parens)]
#![allow(unused_imports)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_payment_channels`.
pub trait WeightInfo {
	/// [`crate::Pallet::open`].
	fn open() -> Weight;
	/// [`crate::Pallet::top_up`].
	fn top_up() -> Weight;
	/// [`crate::Pallet::claim`].
	fn claim() -> Weight;
	/// [`crate::Pallet::close`], with a final voucher (the worst case).
	fn close() -> Weight;
	/// [`crate::Pallet::request_close`].
	fn request_close() -> Weight;
	/// [`crate::Pallet::finalize_close`].
	fn finalize_close() -> Weight;
}

/// Storage reads and writes of each call: (reads, writes).
mod db_access {
	/// `NextChannelId`, `ChannelCount`, `System::Account`, `Balances::Holds` read; those and
	/// `Channels` written.
	pub const OPEN: (u64, u64) = (4, 5);
	/// `Channels`, `System::Account`, `Balances::Holds`.
	pub const TOP_UP: (u64, u64) = (3, 3);
	/// `Channels`, `System::BlockHash`, payer's `Balances::Holds` and `System::Account`,
	/// payee's `System::Account` read; all but the block hash written.
	pub const CLAIM: (u64, u64) = (5, 4);
	/// A claim, then `ChannelCount` read and written as the channel is removed.
	pub const CLOSE: (u64, u64) = (6, 5);
	/// `Channels`.
	pub const REQUEST_CLOSE: (u64, u64) = (1, 1);
	/// `Channels`, `ChannelCount`, `System::Account`, `Balances::Holds`.
	pub const FINALIZE_CLOSE: (u64, u64) = (4, 4);
}

/// Weights priced with the runtime's database weight.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn open() -> Weight {
		T::DbWeight::get().reads_writes(db_access::OPEN.0, db_access::OPEN.1)
	}
	fn top_up() -> Weight {
		T::DbWeight::get().reads_writes(db_access::TOP_UP.0, db_access::TOP_UP.1)
	}
	fn claim() -> Weight {
		T::DbWeight::get().reads_writes(db_access::CLAIM.0, db_access::CLAIM.1)
	}
	fn close() -> Weight {
		T::DbWeight::get().reads_writes(db_access::CLOSE.0, db_access::CLOSE.1)
	}
	fn request_close() -> Weight {
		T::DbWeight::get().reads_writes(db_access::REQUEST_CLOSE.0, db_access::REQUEST_CLOSE.1)
	}
	fn finalize_close() -> Weight {
		T::DbWeight::get().reads_writes(db_access::FINALIZE_CLOSE.0, db_access::FINALIZE_CLOSE.1)
	}
}

/// For tests and mocks: priced with RocksDB's database weight.
impl WeightInfo for () {
	fn open() -> Weight {
		RocksDbWeight::get().reads_writes(db_access::OPEN.0, db_access::OPEN.1)
	}
	fn top_up() -> Weight {
		RocksDbWeight::get().reads_writes(db_access::TOP_UP.0, db_access::TOP_UP.1)
	}
	fn claim() -> Weight {
		RocksDbWeight::get().reads_writes(db_access::CLAIM.0, db_access::CLAIM.1)
	}
	fn close() -> Weight {
		RocksDbWeight::get().reads_writes(db_access::CLOSE.0, db_access::CLOSE.1)
	}
	fn request_close() -> Weight {
		RocksDbWeight::get().reads_writes(db_access::REQUEST_CLOSE.0, db_access::REQUEST_CLOSE.1)
	}
	fn finalize_close() -> Weight {
		RocksDbWeight::get().reads_writes(db_access::FINALIZE_CLOSE.0, db_access::FINALIZE_CLOSE.1)
	}
}
