use crate::{
	Balance, Runtime, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, System,
	EXISTENTIAL_DEPOSIT,
};
use polkadot_sdk::{
	frame_support::traits::{ConstU128, ConstU32, VariantCountOf},
	pallet_balances,
};

/// Locks per account: conviction voting takes one per voting class.
const MAX_LOCKS: u32 = 50;
/// Named reserves per account (legacy reservations by NFTs, treasury, referenda).
const MAX_RESERVES: u32 = 50;

/// The utility token.
impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<MAX_LOCKS>;
	type MaxReserves = ConstU32<MAX_RESERVES>;
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	/// Dust of reaped accounts is burnt (it is below the existential deposit).
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}
