//! A test runtime: the utility token in `pallet-balances`, the share ledger in a
//! `pallet-assets` instance whose calls the base filter refuses (as the runtime must
//! disable them), this pallet, and a resolution filter of the runtime's shape.

use crate::{self as pallet_equity, Compliance, GovernanceParamsOf};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{AsEnsureOriginWithArg, ConstU32, ConstU64, Contains},
		PalletId,
	},
	frame_system::{self, EnsureRoot, EnsureSigned},
	pallet_assets, pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::{BuildStorage, Perbill},
};

pub type AccountId = u64;
pub type Balance = u64;
type Block = frame_system::mocking::MockBlock<Test>;

polkadot_sdk::frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Assets: pallet_assets,
		Equity: pallet_equity,
	}
);

/// Holders reach the ledger only through `pallet-equity`.
pub struct NoDirectLedgerCalls;
impl Contains<RuntimeCall> for NoDirectLedgerCalls {
	fn contains(call: &RuntimeCall) -> bool {
		!matches!(call, RuntimeCall::Assets(_))
	}
}

/// What a company account may call here: managing classes and dividends (not resolutions of
/// its own), keep-alive transfers of its funds, and a remark that shows who dispatched it.
pub struct CompanyCalls;
impl Contains<RuntimeCall> for CompanyCalls {
	fn contains(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Equity(call) => !matches!(
				call,
				pallet_equity::Call::propose { .. }
					| pallet_equity::Call::vote { .. }
					| pallet_equity::Call::close { .. }
			),
			RuntimeCall::Balances(call) => {
				matches!(call, pallet_balances::Call::transfer_keep_alive { .. })
			}
			RuntimeCall::System(call) => {
				matches!(call, frame_system::Call::remark_with_event { .. })
			}
			RuntimeCall::Assets(_) => false,
		}
	}
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
	type BaseCallFilter = NoDirectLedgerCalls;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<1>;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = u64;
	type AssetId = u32;
	type AssetIdParameter = u32;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = ();
}

parameter_types! {
	pub const EquityPalletId: PalletId = PalletId(*b"tf/equty");
}

pub const CLASS_DEPOSIT: Balance = 100;
pub const PROPOSAL_DEPOSIT_BASE: Balance = 10;
pub const MAX_ACTIVE_PROPOSALS: u32 = 3;
pub const MIN_VOTING_PERIOD: u64 = 2;
pub const MAX_VOTING_PERIOD: u64 = 100;

impl pallet_equity::Config for Test {
	type ClassId = u32;
	type Assets = Assets;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeCall = RuntimeCall;
	type ResolutionFilter = CompanyCalls;
	type PalletId = EquityPalletId;
	type ClassDeposit = ConstU64<CLASS_DEPOSIT>;
	type ProposalDepositBase = ConstU64<PROPOSAL_DEPOSIT_BASE>;
	type ProposalDepositPerByte = ConstU64<1>;
	type StringLimit = ConstU32<16>;
	type MaxCallLen = ConstU32<128>;
	type MaxActiveProposals = ConstU32<MAX_ACTIVE_PROPOSALS>;
	type MinVotingPeriod = ConstU64<MIN_VOTING_PERIOD>;
	type MaxVotingPeriod = ConstU64<MAX_VOTING_PERIOD>;
	type WeightInfo = ();
}

/// The factory that issues shares in most tests.
pub const ISSUER: AccountId = 1;
pub const ALICE: AccountId = 2;
pub const BOB: AccountId = 3;
pub const CHARLIE: AccountId = 4;
/// An account with no utility tokens at all.
pub const PAUPER: AccountId = 99;
/// What every endowed account starts with.
pub const ENDOWMENT: Balance = 1_000_000;

/// Governance used by [`create_default_class`]: threshold 10 shares, quorum 50 %,
/// approval above 50 %, 10-block vote.
pub fn default_governance() -> GovernanceParamsOf<Test> {
	GovernanceParamsOf::<Test> {
		proposal_threshold: 10,
		quorum: Perbill::from_percent(50),
		approval: Perbill::from_percent(50),
		voting_period: 10,
	}
}

/// Creates a class of `ISSUER` capped at 1,000 shares; returns its id.
pub fn create_class_with(compliance: Compliance, transfers_locked_until: Option<u64>) -> u32 {
	Equity::do_create_class(
		ISSUER,
		b"Factory".to_vec().try_into().unwrap(),
		b"FCT".to_vec().try_into().unwrap(),
		1_000,
		compliance,
		transfers_locked_until,
		default_governance(),
	)
	.unwrap()
}

/// An open class of `ISSUER` with no lock-up, capped at `max_supply` shares; returns its id.
pub fn create_class_capped_at(max_supply: u64) -> u32 {
	Equity::do_create_class(
		ISSUER,
		b"Factory".to_vec().try_into().unwrap(),
		b"FCT".to_vec().try_into().unwrap(),
		max_supply,
		Compliance::Open,
		None,
		default_governance(),
	)
	.unwrap()
}

/// An open class with no lock-up.
pub fn create_default_class() -> u32 {
	create_class_with(Compliance::Open, None)
}

pub fn events() -> Vec<pallet_equity::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Equity(event) => Some(event),
			_ => None,
		})
		.collect()
}

pub fn last_event() -> pallet_equity::Event<Test> {
	events().pop().expect("an equity event")
}

pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

/// Accounts 1..=20 and 1000..1100 endowed with [`ENDOWMENT`].
pub fn new_test_ext() -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=20).chain(1000..1100).map(|who| (who, ENDOWMENT)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` and then checks the pallet's invariants.
pub fn new_test_ext_checked(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Equity::do_try_state().expect("invariants hold after the test");
	});
}
