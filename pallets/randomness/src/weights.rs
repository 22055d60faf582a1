//! Weights of `pallet-block-randomness`.
//!
//! The runtime wires the weights `scripts/bench-weights.sh` generates from this pallet's FRAME
//! benchmark when they exist; the `()` implementation is an allowance, not a measurement: the
//! storage accesses counted from the code and 5 ms for the VRF verification in wasm (schnorrkel
//! without host functions: two scalar multiplications and a transcript; about 0.3 ms natively).

use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed by `pallet-block-randomness`.
pub trait WeightInfo {
	/// `set`.
	fn set() -> Weight;
}

/// An allowance for `set`, see the module's documentation.
pub struct AllowanceWeight<T>(core::marker::PhantomData<T>);

impl<T: polkadot_sdk::frame_system::Config> WeightInfo for AllowanceWeight<T> {
	fn set() -> Weight {
		Weight::from_parts(5_000_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(5, 3))
	}
}

impl WeightInfo for () {
	fn set() -> Weight {
		Weight::from_parts(5_000_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(5, 3))
	}
}
