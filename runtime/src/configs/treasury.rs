use crate::{
	prod_or_fast, AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeEvent, System,
	Treasury, DAYS,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{
			tokens::{pay::PayFromAccount, UnityAssetBalanceConversion},
			ConstU32, EitherOf,
		},
		PalletId,
	},
	frame_system::{EnsureRoot, EnsureRootWithSuccess},
	pallet_treasury,
	sp_runtime::{traits::IdentityLookup, Permill},
};

/// How often approved spends are paid out: weekly, like most OpenGov chains.
const SPEND_PERIOD: BlockNumber = prod_or_fast!(7 * DAYS, 10);
/// How long a beneficiary has to claim a spend before it expires.
const PAYOUT_PERIOD: BlockNumber = prod_or_fast!(30 * DAYS, 20);
/// Approvals queued per spend period.
const MAX_APPROVALS: u32 = 100;

parameter_types! {
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	pub TreasuryAccount: AccountId = Treasury::account_id();
	pub const SpendPeriod: BlockNumber = SPEND_PERIOD;
	pub const PayoutPeriod: BlockNumber = PAYOUT_PERIOD;
	/// Nothing is burnt: the treasury's share of data revenue and fees funds the chain.
	pub const Burn: Permill = Permill::zero();
	/// Root (a referendum) may spend any amount.
	pub const MaxSpend: Balance = Balance::MAX;
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = EnsureRoot<AccountId>;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	type Burn = Burn;
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<MAX_APPROVALS>;
	/// Root may spend any amount; a treasurer-track referendum up to `TREASURER_MAX_SPEND`.
	type SpendOrigin = EitherOf<
		EnsureRootWithSuccess<AccountId, MaxSpend>,
		crate::origins::pallet_origins::Treasurer,
	>;
	/// The treasury pays in the utility token only.
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = IdentityLookup<AccountId>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = PayoutPeriod;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type BlockNumberProvider = System;
}
