use crate::{
	deposit, prod_or_fast, Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason, Signature,
	DAYS, MILLI_UNIT,
};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU32},
	sp_runtime::traits::Verify,
};

/// How long the payee has to claim its latest voucher after the payer asks to close: a day,
/// so an offline gateway has time to come back (two minutes under `fast-runtime`).
const CHALLENGE_PERIOD: BlockNumber = prod_or_fast!(DAYS, 20);
/// Channels one payer may have open at once; each is one storage entry and one index slot.
const MAX_CHANNELS_PER_ACCOUNT: u32 = 64;

parameter_types! {
	/// The smallest deposit worth a channel: a hundred sub-cent calls.
	pub const MinDeposit: Balance = 100 * MILLI_UNIT;
	/// One channel record (payer, payee, amounts, close state: ~120 bytes) and its index entry.
	pub const ChannelStorageDeposit: Balance = deposit(2, 160);
	pub const ChallengePeriod: BlockNumber = CHALLENGE_PERIOD;
}

/// Micropayment channels: agents pay per call with signed vouchers, off chain.
impl pallet_payment_channels::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type VoucherSignature = Signature;
	type VoucherSigner = <Signature as Verify>::Signer;
	type MinDeposit = MinDeposit;
	type ChannelStorageDeposit = ChannelStorageDeposit;
	type ChallengePeriod = ChallengePeriod;
	type MaxChannelsPerAccount = ConstU32<MAX_CHANNELS_PER_ACCOUNT>;
	type WeightInfo = crate::weights::pallet_payment_channels::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}
