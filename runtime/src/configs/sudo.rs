use crate::{Runtime, RuntimeCall, RuntimeEvent};
use polkadot_sdk::pallet_sudo;

/// Present only as a development convenience: the `dev` preset sets a key, the `local` and
/// production presets set none, so there the Root origin is reachable only by referendum.
impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
