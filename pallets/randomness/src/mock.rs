//! A test runtime: `frame_system` and this pallet, with the slot's author set by the test.

use crate as pallet_block_randomness;
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::{self, derive_impl},
	frame_system,
	sp_core::{
		crypto::{Pair as _, VrfSecret},
		sr25519,
	},
	sp_io,
	sp_runtime::BuildStorage,
};

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		BlockRandomness: pallet_block_randomness,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = frame_system::mocking::MockBlock<Test>;
}

thread_local! {
	static AUTHOR: RefCell<Option<(u64, sr25519::Public)>> = const { RefCell::new(None) };
}

/// The slot author the mock's runtime reports.
pub struct TestAuthor;

impl crate::BlockAuthor for TestAuthor {
	fn slot_and_key() -> Option<(u64, sr25519::Public)> {
		AUTHOR.with(|author| *author.borrow())
	}
}

/// Makes `pair` the author of `slot`.
pub fn set_author(slot: u64, pair: &sr25519::Pair) {
	AUTHOR.with(|author| *author.borrow_mut() = Some((slot, pair.public())));
}

/// Leaves the slot without an author.
pub fn clear_author() {
	AUTHOR.with(|author| *author.borrow_mut() = None);
}

impl pallet_block_randomness::Config for Test {
	type Author = TestAuthor;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestAuthor;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for TestAuthor {
	fn set_author(slot: u64, key: sr25519::Public) {
		AUTHOR.with(|author| *author.borrow_mut() = Some((slot, key)));
	}
}

/// A well-known development key.
pub fn pair(name: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//{name}"), None).expect("a development key")
}

/// `pair`'s VRF signature for the current block's parent and `slot`.
pub fn sign(pair: &sr25519::Pair, slot: u64) -> crate::BlockVrfSignature {
	let parent = System::parent_hash();
	pair.vrf_sign(&crate::sign_data(parent.as_ref(), slot)).into()
}

/// Genesis with Alice authoring slot 7 of block 1 (whose parent hash is set to a fixed value).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().expect("genesis");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		System::set_parent_hash([1; 32].into());
		set_author(7, &pair("Alice"));
	});
	ext
}
