use crate::{
	AccountId, Balance, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, RuntimeTask, VERSION,
};
use polkadot_sdk::{
	frame_support::{
		derive_impl,
		dispatch::DispatchClass,
		parameter_types,
		traits::Everything,
		weights::{
			constants::{RocksDbWeight, WEIGHT_REF_TIME_PER_SECOND},
			Weight,
		},
	},
	frame_system::{self, limits},
	sp_runtime::Perbill,
	sp_version::RuntimeVersion,
};

/// Share of a block that ordinary (normal-class) transactions may fill; the rest is kept for
/// operational calls (e.g. applying a runtime upgrade) so they always find room.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Two seconds of execution per six-second block: leaves time for import, gossip and
/// GRANDPA votes on a modest validator.
pub const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND.saturating_mul(2), u64::MAX);

/// Five MiB per block: a multi-megabyte runtime upgrade (operational) and later chunked blob
/// uploads (normal class, 75% of this) fit with room to spare.
const MAXIMUM_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

/// Blocks of history whose hashes stay available to `CheckEra` and clients (about 4 hours).
const BLOCK_HASH_COUNT: BlockNumber = 2400;

/// Generic SS58 prefix (42): addresses look like any Substrate dev chain's.
const SS58_PREFIX: u16 = 42;

parameter_types! {
	pub const Version: RuntimeVersion = VERSION;
	pub const BlockHashCount: BlockNumber = BLOCK_HASH_COUNT;
	pub RuntimeBlockWeights: limits::BlockWeights =
		limits::BlockWeights::with_sensible_defaults(MAXIMUM_BLOCK_WEIGHT, NORMAL_DISPATCH_RATIO);
	pub RuntimeBlockLength: limits::BlockLength =
		limits::BlockLength::builder()
			.max_length(MAXIMUM_BLOCK_LENGTH)
			.modify_max_length_for_class(DispatchClass::Normal, |max| {
				*max = NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_LENGTH
			})
			.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	// ParityDB is used by the node; its per-read/write costs are benchmarked upstream close
	// to RocksDB's, which is the conservative figure shipped with FRAME.
	type DbWeight = RocksDbWeight;
	type Version = Version;
	type AccountData = polkadot_sdk::pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = polkadot_sdk::frame_support::traits::ConstU32<16>;
	type BaseCallFilter = Everything;
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeCall = RuntimeCall;
	type RuntimeTask = RuntimeTask;
	type PalletInfo = PalletInfo;
	// Jobs submitted in a block get their workers after the next block's VRF inherent.
	type PostInherents = crate::Compute;
}
