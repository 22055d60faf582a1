use super::aura::MAX_AUTHORITIES;
use crate::{Runtime, RuntimeEvent};
use polkadot_sdk::{
	frame_support::traits::{ConstU32, ConstU64},
	pallet_grandpa, sp_core,
};

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	/// No nominated staking on this chain.
	type MaxNominators = ConstU32<0>;
	/// No session pallet, so no equivocation proofs to keep.
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}
