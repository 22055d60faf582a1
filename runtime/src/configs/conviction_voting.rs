use crate::{
	prod_or_fast, AccountId, Balances, BlockNumber, Referenda, Runtime, RuntimeEvent, System, DAYS,
};
use polkadot_sdk::{
	frame_support::traits::{tokens::currency::ActiveIssuanceOf, ConstU32},
	pallet_conviction_voting,
};

/// How long one conviction multiple locks a vote: 7 days, so 6x conviction locks 32 weeks.
const VOTE_LOCKING_PERIOD: BlockNumber = prod_or_fast!(7 * DAYS, 1);
/// Concurrent votes per account: bounds the work of unlocking.
const MAX_VOTES: u32 = 512;

polkadot_sdk::frame_support::parameter_types! {
	pub const VoteLockingPeriod: BlockNumber = VOTE_LOCKING_PERIOD;
}

impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_conviction_voting::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type Polls = Referenda;
	/// Support is measured against every token not held in a system account.
	type MaxTurnout = ActiveIssuanceOf<Balances, AccountId>;
	type MaxVotes = ConstU32<MAX_VOTES>;
	type VoteLockingPeriod = VoteLockingPeriod;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}
