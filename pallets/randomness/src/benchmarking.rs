//! The VRF inherent's benchmark: one verification of the signature in [`crate::fixture`].

use super::*;
use crate::fixture::{signature, KEY, PARENT, SLOT};
use codec::Decode;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_system::{self, RawOrigin},
};

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set() {
		let parent = T::Hash::decode(&mut &PARENT[..]).expect("a 32-byte hash");
		// A block on top of `PARENT` (`set_parent_hash` exists only in std builds).
		let number = frame_system::Pallet::<T>::block_number() + 1u32.into();
		frame_system::Pallet::<T>::initialize(&number, &parent, &Default::default());
		T::BenchmarkHelper::set_author(SLOT, sr25519::Public::from_raw(KEY));
		let signature = signature();

		#[extrinsic_call]
		_(RawOrigin::None, signature);

		assert!(SetThisBlock::<T>::get());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
