use crate::{Aura, Runtime, SLOT_DURATION};
use polkadot_sdk::{frame_support::traits::ConstU64, pallet_timestamp};

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = Aura;
	/// Half a slot: Aura needs two timestamps per slot to be distinguishable.
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}
