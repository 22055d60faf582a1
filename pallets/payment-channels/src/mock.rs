//! A test runtime: `frame_system`, `pallet_balances` (holds), this pallet, and a stand-in for
//! the compute pallet that owns a job-escrow hold reason, to exercise [`crate::ChannelCharger`].

use crate as pallet_payment_channels;
use frame_support::{
	derive_impl,
	traits::{ConstU128, ConstU32, ConstU64},
};
use polkadot_sdk::*;
use sp_core::{ed25519, sr25519, Pair};
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::{
	traits::{IdentifyAccount, IdentityLookup},
	AccountId32, BuildStorage, MultiSignature, MultiSigner,
};
use tokenfactory_primitives::voucher::{ChannelId, JobVoucher, Voucher};

/// The utility token's balance type in the mock.
pub type Balance = u128;

/// A pallet that only declares a hold reason, as the compute pallet's job escrow will.
#[frame_support::pallet]
pub mod pallet_escrow {

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::composite_enum]
	pub enum HoldReason {
		JobEscrow,
	}
}

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		PaymentChannels: pallet_payment_channels,
		Escrow: pallet_escrow,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = frame_system::mocking::MockBlock<Test>;
	type AccountId = AccountId32;
	type Lookup = IdentityLookup<AccountId32>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
}

/// The smallest deposit a channel opens with in the mock.
pub const MIN_DEPOSIT: Balance = 10;
/// The storage deposit per channel in the mock.
pub const STORAGE_DEPOSIT: Balance = 5;
/// The challenge period in the mock, in blocks.
pub const CHALLENGE_PERIOD: u64 = 10;
/// The channels one payer may have open in the mock.
pub const MAX_CHANNELS: u32 = 3;
/// Every funded account's initial balance.
pub const INITIAL_BALANCE: Balance = 1_000_000;

impl pallet_payment_channels::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type VoucherSignature = MultiSignature;
	type VoucherSigner = MultiSigner;
	type MinDeposit = ConstU128<MIN_DEPOSIT>;
	type ChannelStorageDeposit = ConstU128<STORAGE_DEPOSIT>;
	type ChallengePeriod = ConstU64<CHALLENGE_PERIOD>;
	type MaxChannelsPerAccount = ConstU32<MAX_CHANNELS>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

impl pallet_escrow::Config for Test {}

/// A payer's signing key: sr25519 or ed25519, as accounts may be.
#[derive(Clone)]
#[allow(clippy::large_enum_variant, reason = "a few keys per test")]
pub enum Key {
	Sr25519(sr25519::Pair),
	Ed25519(ed25519::Pair),
}

impl Key {
	pub fn account(&self) -> AccountId32 {
		match self {
			Key::Sr25519(pair) => MultiSigner::from(pair.public()).into_account(),
			Key::Ed25519(pair) => MultiSigner::from(pair.public()).into_account(),
		}
	}

	/// Signs `voucher` for the mock chain.
	pub fn sign(&self, voucher: &Voucher<Balance>) -> MultiSignature {
		self.sign_for_chain(voucher, &PaymentChannels::genesis_hash())
	}

	/// Signs `voucher` for the chain whose genesis hash is `genesis`.
	pub fn sign_for_chain(
		&self,
		voucher: &Voucher<Balance>,
		genesis: &sp_core::H256,
	) -> MultiSignature {
		voucher.using_payload(genesis, |payload| self.sign_bytes(payload))
	}

	/// Signs a job voucher for the mock chain.
	pub fn sign_job(&self, voucher: &JobVoucher<Balance>) -> MultiSignature {
		voucher.using_payload(&PaymentChannels::genesis_hash(), |payload| self.sign_bytes(payload))
	}

	fn sign_bytes(&self, payload: &[u8]) -> MultiSignature {
		match self {
			Key::Sr25519(pair) => MultiSignature::from(pair.sign(payload)),
			Key::Ed25519(pair) => MultiSignature::from(pair.sign(payload)),
		}
	}
}

/// The payer in most tests (sr25519).
pub fn alice_key() -> Key {
	Key::Sr25519(sr25519::Pair::from_seed(&[1; 32]))
}
/// A second payer, with an ed25519 key.
pub fn charlie_key() -> Key {
	Key::Ed25519(ed25519::Pair::from_seed(&[3; 32]))
}
/// A key whose signatures are never any channel payer's.
pub fn mallory_key() -> Key {
	Key::Sr25519(sr25519::Pair::from_seed(&[66; 32]))
}

pub fn alice() -> AccountId32 {
	alice_key().account()
}
/// The payee in most tests.
pub fn bob() -> AccountId32 {
	AccountId32::new([2; 32])
}
pub fn charlie() -> AccountId32 {
	charlie_key().account()
}
/// A funded bystander.
pub fn eve() -> AccountId32 {
	AccountId32::new([5; 32])
}
/// An account with nothing.
pub fn pauper() -> AccountId32 {
	AccountId32::new([9; 32])
}

/// Alice's signed voucher for `amount` in total on `channel`.
pub fn alice_voucher(channel: ChannelId, amount: Balance) -> (Voucher<Balance>, MultiSignature) {
	let voucher = Voucher::new(channel, amount);
	let signature = alice_key().sign(&voucher);
	(voucher, signature)
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.expect("the mock's genesis builds");
	pallet_balances::GenesisConfig::<Test> {
		balances: [alice(), bob(), charlie(), eve()]
			.into_iter()
			.map(|account| (account, INITIAL_BALANCE))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.expect("the mock's balances build");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on a fresh mock chain, then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		PaymentChannels::do_try_state().expect("the pallet's invariants hold after the test");
	});
}

/// Moves the chain to block `n`.
pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

/// This pallet's events so far.
pub fn channel_events() -> Vec<pallet_payment_channels::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::PaymentChannels(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// What `who` has held under `reason`.
pub fn held(reason: pallet_payment_channels::HoldReason, who: &AccountId32) -> Balance {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&reason.into(), who)
}

/// What `who` has held in job escrow.
pub fn escrowed(who: &AccountId32) -> Balance {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&pallet_escrow::HoldReason::JobEscrow.into(), who)
}

/// `who`'s free balance.
pub fn free(who: &AccountId32) -> Balance {
	Balances::free_balance(who)
}

/// Alice opens a channel to Bob with `deposit`; returns its id.
pub fn open_alice_to_bob(deposit: Balance) -> ChannelId {
	let channel = pallet_payment_channels::NextChannelId::<Test>::get();
	frame_support::assert_ok!(PaymentChannels::open(
		RuntimeOrigin::signed(alice()),
		bob(),
		deposit
	));
	channel
}
