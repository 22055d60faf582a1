use crate::{
	deposit, prod_or_fast, AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeCall,
	RuntimeHoldReason, DAYS, HOURS,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU128, ConstU32, Contains, NeverEnsureOrigin},
		PalletId,
	},
	frame_system::{self, EnsureRoot},
	pallet_assets, pallet_balances, pallet_nfts,
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

/// What a class's company account may do through a resolution: run the business it owns and
/// nothing else. Its datasets' terms, pausing, retirement and revenue routing (the data
/// registry checks that it owns the dataset NFT); handing an NFT it owns to someone; paying
/// from its own funds, keep-alive so that it can always receive revenue; managing its own
/// class (issuance within the cap, compliance, the issuer offer; the equity pallet checks it is
/// that class's company); dividends; a remark to publish a notice. Nothing dispatches as Root,
/// reaches another account's funds, votes in OpenGov, opens resolutions of its own or changes
/// the chain. The list names calls, not pallets, so a call added to a pallet later stays out
/// until it is added here.
pub struct CompanyCalls;
impl Contains<RuntimeCall> for CompanyCalls {
	fn contains(call: &RuntimeCall) -> bool {
		use pallet_data_registry::Call as Registry;
		use pallet_equity::Call as Equity;
		match call {
			RuntimeCall::DataRegistry(call) => matches!(
				call,
				Registry::set_price { .. }
					| Registry::set_programs { .. }
					| Registry::set_min_cohort { .. }
					| Registry::pause { .. }
					| Registry::resume { .. }
					| Registry::set_revenue_destination { .. }
					| Registry::retire { .. }
			),
			RuntimeCall::Nfts(call) => matches!(call, pallet_nfts::Call::transfer { .. }),
			RuntimeCall::Balances(call) => matches!(
				call,
				pallet_balances::Call::transfer_keep_alive { .. }
					| pallet_balances::Call::transfer_all { keep_alive: true, .. }
			),
			RuntimeCall::Equity(call) => matches!(
				call,
				Equity::issue { .. }
					| Equity::transfer { .. }
					| Equity::add_to_allowlist { .. }
					| Equity::remove_from_allowlist { .. }
					| Equity::freeze { .. }
					| Equity::thaw { .. }
					| Equity::transfer_issuer { .. }
					| Equity::withdraw_issuer_offer { .. }
					| Equity::accept_issuer { .. }
					| Equity::deposit_dividend { .. }
					| Equity::claim { .. }
			),
			RuntimeCall::System(call) => matches!(
				call,
				frame_system::Call::remark { .. } | frame_system::Call::remark_with_event { .. }
			),
			_ => false,
		}
	}
}

/// Equity: share classes, compliance, dividends from data revenue, holder resolutions.
impl pallet_equity::Config for Runtime {
	type ClassId = ClassId;
	type Assets = crate::EquityLedger;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeCall = RuntimeCall;
	type ResolutionFilter = CompanyCalls;
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
