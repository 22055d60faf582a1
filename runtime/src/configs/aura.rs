use crate::Runtime;
use polkadot_sdk::{
	frame_support::traits::ConstBool, pallet_aura,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
};

/// Upper bound on validators; a data appchain runs a small, known validator set.
pub const MAX_AUTHORITIES: u32 = 32;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = polkadot_sdk::frame_support::traits::ConstU32<MAX_AUTHORITIES>;
	/// One block per slot: forks stay short and GRANDPA finalizes quickly.
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}
