use crate::{
	deposit, prod_or_fast, AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeCall,
	RuntimeHoldReason, DAYS, HOURS,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU128, ConstU32, NeverEnsureOrigin},
		PalletId,
	},
	frame_system::EnsureRoot,
	pallet_assets,
};

/// Share classes are numbered by `pallet-equity`; the ledger uses the same id.
pub type ClassId = u32;

/// The share ledger (`EquityLedger` in `lib.rs`): a `pallet-assets` instance whose calls are
/// not part of the runtime (`disable_call`) and whose assets only `pallet-equity` creates
/// (through the `fungibles` traits), so every share movement passes the equity pallet's
/// rules (compliance list, freezes, lock-up, votes).
pub type EquityLedgerInstance = polkadot_sdk::frame_support::instances::Instance1;

/// Longest class name and symbol.
const STRING_LIMIT: u32 = 64;
/// Longest encoded call a holder resolution may carry (a dataset price change, an NFT
/// transfer, an issuer rotation are all well under it).
const MAX_CALL_LEN: u32 = 1024;
/// Open resolutions per class, and so live votes per holder.
const MAX_ACTIVE_PROPOSALS: u32 = 8;
/// Shortest vote a class may choose: an hour (three blocks under `fast-runtime`).
const MIN_VOTING_PERIOD: BlockNumber = prod_or_fast!(HOURS, 3);
/// Longest vote a class may choose: thirty days.
const MAX_VOTING_PERIOD: BlockNumber = prod_or_fast!(30 * DAYS, 600);

parameter_types! {
	pub const EquityPalletId: PalletId = PalletId(*b"tf/equty");
	/// A class: its record, pool and ledger asset entries.
	pub const ClassDeposit: Balance = deposit(3, 300);
	/// A resolution record and its vote tally; the call is charged per byte below.
	pub const ProposalDepositBase: Balance = deposit(1, 100);
	pub const ProposalDepositPerByte: Balance = deposit(0, 1);
}

/// Equity: share classes, compliance, dividends from data revenue, holder resolutions.
impl pallet_equity::Config for Runtime {
	type ClassId = ClassId;
	type Assets = crate::EquityLedger;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeCall = RuntimeCall;
	type PalletId = EquityPalletId;
	type ClassDeposit = ClassDeposit;
	type ProposalDepositBase = ProposalDepositBase;
	type ProposalDepositPerByte = ProposalDepositPerByte;
	type StringLimit = ConstU32<STRING_LIMIT>;
	type MaxCallLen = ConstU32<MAX_CALL_LEN>;
	type MaxActiveProposals = ConstU32<MAX_ACTIVE_PROPOSALS>;
	type MinVotingPeriod = ConstU32<MIN_VOTING_PERIOD>;
	type MaxVotingPeriod = ConstU32<MAX_VOTING_PERIOD>;
	type WeightInfo = crate::weights::pallet_equity::WeightInfo<Runtime>;
}

/// The ledger behind `pallet-equity`. Deposits are zero because `pallet-equity` takes the
/// class deposit itself and holder accounts are paid for by the class (they are bounded by
/// its supply); shares have no existential deposit issue since `pallet-equity` creates each
/// asset with a minimum balance of one share.
impl pallet_assets::Config<EquityLedgerInstance> for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = ClassId;
	type AssetIdParameter = ClassId;
	type ReserveData = ();
	type Currency = Balances;
	/// Nobody creates ledger assets through `pallet-assets`: `pallet-equity` uses
	/// `fungibles::Create`, which bypasses this origin.
	type CreateOrigin =
		polkadot_sdk::frame_support::traits::AsEnsureOriginWithArg<NeverEnsureOrigin<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetDeposit = ConstU128<0>;
	type AssetAccountDeposit = ConstU128<0>;
	type MetadataDepositBase = ConstU128<0>;
	type MetadataDepositPerByte = ConstU128<0>;
	type ApprovalDeposit = ConstU128<0>;
	type StringLimit = ConstU32<STRING_LIMIT>;
	type Freezer = ();
	type Holder = ();
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}
