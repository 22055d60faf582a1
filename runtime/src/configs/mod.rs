//! One file per pallet configuration. Values that matter are named constants with the reason
//! for their value beside them.

mod aura;
mod balances;
mod block_randomness;
mod compute;
mod conviction_voting;
mod data_registry;
mod equity;
mod grandpa;
mod nfts;
mod payment_channels;
mod preimage;
mod referenda;
mod scheduler;
mod sudo;
mod system;
mod timestamp;
mod transaction_payment;
mod treasury;

pub use compute::{
	HostCallGroth16, DEV_VERIFYING_KEYS, MAX_DEADLINES_PER_BLOCK, MAX_REPLICAS, MAX_RESULT_SIZE,
	MAX_WORKERS,
};
pub use data_registry::{MAX_CHUNK_SIZE, MAX_DATASET_BLOBS, MAX_KEY_SET_BLOBS};
pub use equity::{ClassId, CompanyCalls, EquityLedgerInstance};
pub use referenda::{TracksInfo, CANCELLER_TRACK, KILLER_TRACK, ROOT_TRACK, TREASURER_TRACK};
pub use system::{RuntimeBlockLength, RuntimeBlockWeights, MAXIMUM_BLOCK_WEIGHT};
pub use treasury::TreasuryAccount;

/// Governance periods: real-chain values by default, blocks apart under `fast-runtime`.
#[macro_export]
#[doc(hidden)]
macro_rules! prod_or_fast {
	($prod:expr, $fast:expr) => {
		if cfg!(feature = "fast-runtime") {
			$fast
		} else {
			$prod
		}
	};
}
