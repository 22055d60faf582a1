use super::system::RuntimeBlockWeights;
use crate::{
	AccountId, OriginCaller, Preimage, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU32, EqualPrivilegeOnly},
		weights::Weight,
	},
	frame_system::EnsureRoot,
	pallet_scheduler,
	sp_runtime::Perbill,
};

/// Scheduled calls (enacted referenda) may use up to 80% of a block.
const SCHEDULER_BLOCK_SHARE: Perbill = Perbill::from_percent(80);
/// Scheduled calls per block; more are carried to the next block.
const MAX_SCHEDULED_PER_BLOCK: u32 = 50;

parameter_types! {
	pub MaximumSchedulerWeight: Weight = SCHEDULER_BLOCK_SHARE * RuntimeBlockWeights::get().max_block;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<MAX_SCHEDULED_PER_BLOCK>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}
