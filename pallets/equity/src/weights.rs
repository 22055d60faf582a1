//! Weights of `pallet-equity`.
//!
//! The `()` implementation charges only the storage reads and writes each call makes
//! (counted from the code: this pallet's items plus the ledger's and the currency's), with
//! no computation time. It is a placeholder, not a measurement: generate real weights with
//! the node's `benchmark pallet` command built with `--features runtime-benchmarks` (see the
//! crate README) and wire the generated `SubstrateWeight<Runtime>` in the runtime.
//! Storage accesses are priced with `RocksDbWeight`, as generated `()` impls are.

#![allow(unused_parens)]
#![allow(unused_imports)]

use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed by `pallet-equity`.
pub trait WeightInfo {
	/// `create_class`.
	fn create_class() -> Weight;
	/// `issue`.
	fn issue() -> Weight;
	/// `transfer`.
	fn transfer() -> Weight;
	/// `add_to_allowlist`.
	fn add_to_allowlist() -> Weight;
	/// `remove_from_allowlist`.
	fn remove_from_allowlist() -> Weight;
	/// `freeze`.
	fn freeze() -> Weight;
	/// `thaw`.
	fn thaw() -> Weight;
	/// `transfer_issuer`.
	fn transfer_issuer() -> Weight;
	/// `accept_issuer`.
	fn accept_issuer() -> Weight;
	/// `withdraw_issuer_offer`.
	fn withdraw_issuer_offer() -> Weight;
	/// `deposit_dividend` with `h` holders in the class (benchmarked to show it is flat in `h`).
	fn deposit_dividend(h: u32) -> Weight;
	/// `claim` with `h` holders in the class (benchmarked to show it is flat in `h`).
	fn claim(h: u32) -> Weight;
	/// `propose`, with a call of `MaxCallLen` bytes.
	fn propose() -> Weight;
	/// `vote`, with the voter's other live votes at their maximum.
	fn vote() -> Weight;
	/// `close` of an approved resolution, without the weight of its call.
	fn close() -> Weight;
}

/// Storage accesses only (see the module doc): no measured time.
impl WeightInfo for () {
	fn create_class() -> Weight {
		RocksDbWeight::get().reads_writes(5, 6)
	}
	fn issue() -> Weight {
		RocksDbWeight::get().reads_writes(8, 5)
	}
	fn transfer() -> Weight {
		RocksDbWeight::get().reads_writes(13, 8)
	}
	fn add_to_allowlist() -> Weight {
		RocksDbWeight::get().reads_writes(2, 1)
	}
	fn remove_from_allowlist() -> Weight {
		RocksDbWeight::get().reads_writes(2, 1)
	}
	fn freeze() -> Weight {
		RocksDbWeight::get().reads_writes(2, 1)
	}
	fn thaw() -> Weight {
		RocksDbWeight::get().reads_writes(2, 1)
	}
	fn transfer_issuer() -> Weight {
		RocksDbWeight::get().reads_writes(1, 1)
	}
	fn accept_issuer() -> Weight {
		RocksDbWeight::get().reads_writes(6, 6)
	}
	fn withdraw_issuer_offer() -> Weight {
		RocksDbWeight::get().reads_writes(2, 1)
	}
	fn deposit_dividend(_h: u32) -> Weight {
		RocksDbWeight::get().reads_writes(5, 3)
	}
	fn claim(_h: u32) -> Weight {
		RocksDbWeight::get().reads_writes(6, 4)
	}
	fn propose() -> Weight {
		RocksDbWeight::get().reads_writes(5, 5)
	}
	fn vote() -> Weight {
		RocksDbWeight::get().reads_writes(3, 2)
	}
	fn close() -> Weight {
		RocksDbWeight::get().reads_writes(5, 4)
	}
}
