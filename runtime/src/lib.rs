//! # Token Factory runtime
//!
//! The state transition function of the Token Factory appchain: the utility token
//! (`pallet-balances`), dataset NFTs (`pallet-nfts`), the treasury, and OpenGov
//! (`pallet-referenda` + `pallet-conviction-voting`): a Root track (runtime upgrades, verifying
//! keys), a canceller and a killer track that stop a referendum without waiting behind it, and
//! a treasurer track for treasury spends. Aura authors blocks, GRANDPA finalizes them.
//!
//! Pallet indices are grouped with gaps so that later pallets slot in without renumbering:
//! system 0.., money 10.., governance 20.., Token Factory's own pallets 50...
//!
//! Features:
//! - `fast-runtime`: governance periods of blocks instead of days, for tests and local networks;
//! - `spec-version-bump`: the same runtime one `spec_version` higher, only for upgrade tests.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` and `impl_runtime_apis` expand to large types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

/// Runtime variants for the network tests, built only with `TOKENFACTORY_TEST_RUNTIMES=1`
/// (otherwise their `WASM_BINARY` is `None`).
#[cfg(feature = "std")]
pub mod test_runtimes {
	/// This runtime with `fast-runtime`: governance periods of a few blocks.
	pub mod fast {
		include!(concat!(env!("OUT_DIR"), "/fast_runtime_binary.rs"));
	}
	/// `fast` one `spec_version` higher: the code a test upgrade enacts.
	pub mod upgrade {
		include!(concat!(env!("OUT_DIR"), "/upgrade_runtime_binary.rs"));
	}
}

extern crate alloc;

// Declared before `apis`, with `macro_use`: the macros it defines are used there.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
pub mod origins;
#[cfg(test)]
mod tests;
pub mod weights;

// `impl_opaque_keys!` and the runtime macro expand to code that names `Vec`.
use alloc::vec::Vec;
use polkadot_sdk::{
	sp_runtime::{
		generic, impl_opaque_keys,
		traits::{BlakeTwo256, IdentifyAccount, Verify},
		MultiAddress, MultiSignature,
	},
	*,
};
use sp_version::{runtime_version, RuntimeVersion};

pub use polkadot_sdk::{frame_support, frame_system, sp_consensus_aura, sp_runtime};

/// Opaque types: what the node needs to know about blocks without knowing the runtime's calls.
pub mod opaque {
	use super::*;
	pub use polkadot_sdk::sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;
	use sp_runtime::traits::Hash as HashT;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The keys a validator's node holds: Aura to author, GRANDPA to finalize, and the FHE
	/// worker key its off-chain worker signs results with (`tfwk`).
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
		pub worker: Compute,
	}
}

/// The runtime's name and version; a node refuses to run a runtime whose `spec_name` differs.
/// `spec_version` is bumped with every release that changes the runtime's behaviour.
#[cfg(not(feature = "spec-version-bump"))]
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("tokenfactory"),
	impl_name: alloc::borrow::Cow::Borrowed("tokenfactory"),
	authoring_version: 1,
	spec_version: 104,
	impl_version: 0,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 3,
	system_version: 1,
};

/// The same runtime one `spec_version` higher: only the runtime-upgrade test builds it.
/// (`#[runtime_version]` embeds the version in the wasm and accepts only literals.)
#[cfg(feature = "spec-version-bump")]
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("tokenfactory"),
	impl_name: alloc::borrow::Cow::Borrowed("tokenfactory"),
	authoring_version: 1,
	spec_version: 105,
	impl_version: 0,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 3,
	system_version: 1,
};

/// Time, money and the block, as named constants shared by configs and presets.
pub mod constants {
	use super::{Balance, BlockNumber};

	/// Six-second blocks: Aura slot = block time, GRANDPA finalizes behind it.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
	/// Slot duration equals block time: one author per slot.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

	/// Blocks per minute, hour and day at six-second blocks.
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day.
	pub const DAYS: BlockNumber = HOURS * 24;

	/// The utility token's symbol, shown by wallets (chain properties).
	pub const TOKEN_SYMBOL: &str = "TFU";
	/// Twelve decimals, as on Polkadot's relay chains: fine enough for sub-cent data calls.
	pub const TOKEN_DECIMALS: u8 = 12;
	/// One whole utility token in planck.
	pub const UNIT: Balance = 10u128.pow(TOKEN_DECIMALS as u32);
	/// A thousandth of a token.
	pub const MILLI_UNIT: Balance = UNIT / 1_000;
	/// A millionth of a token.
	pub const MICRO_UNIT: Balance = UNIT / 1_000_000;

	/// Smallest balance an account may hold: keeps dust accounts from bloating state while
	/// staying far below the price of one data call.
	pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

	/// A storage deposit of `items` entries using `bytes` bytes: 1/10 token per entry plus
	/// 1/1000 token per byte, so that state growth is paid for and refunded on removal.
	pub const fn deposit(items: u32, bytes: u32) -> Balance {
		items as Balance * UNIT / 10 + (bytes as Balance) * MILLI_UNIT
	}
}
pub use constants::*;

/// Block number: `u32` lasts 800 years at six-second blocks.
pub type BlockNumber = u32;
/// Signature type of every transaction: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// An account is identified by its public key (32 bytes).
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of the utility token.
pub type Balance = u128;
/// Index of a transaction in the chain.
pub type Nonce = u32;
/// Hash of a block.
pub type Hash = sp_core::H256;
/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block signed with a justification.
pub type SignedBlock = generic::SignedBlock<Block>;

/// The transaction extensions every transaction carries, in order.
pub type TxExtension = (
	// Must come first: lets `#[pallet::authorize]` calls validate without a signature.
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	// Must come last: refunds unused weight after dispatch.
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations to apply on runtime upgrade, each versioned so it runs once.
pub type Migrations = (
	pallet_equity::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_payment_channels::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_data_registry::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_compute::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_compute::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_compute::migrations::v3::MigrateV2ToV3<Runtime>,
);

/// Executive: dispatches incoming extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	// System: 0..
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type BlockRandomness = pallet_block_randomness;

	// Money: 10..
	#[runtime::pallet_index(10)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(11)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(12)]
	pub type Treasury = pallet_treasury;
	#[runtime::pallet_index(13)]
	pub type Nfts = pallet_nfts;

	// Governance: 20..
	#[runtime::pallet_index(20)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(21)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(22)]
	pub type Referenda = pallet_referenda;
	#[runtime::pallet_index(23)]
	pub type ConvictionVoting = pallet_conviction_voting;
	/// The origins of the non-Root OpenGov tracks (canceller, killer, treasurer).
	#[runtime::pallet_index(24)]
	pub type Origins = origins::pallet_origins;
	#[runtime::pallet_index(29)]
	pub type Sudo = pallet_sudo;

	// Token Factory: 50..
	#[runtime::pallet_index(50)]
	pub type PaymentChannels = pallet_payment_channels;
	#[runtime::pallet_index(51)]
	pub type Equity = pallet_equity;
	/// The share ledger behind `Equity`: no calls of its own, driven only by `Equity`.
	#[runtime::pallet_index(52)]
	#[runtime::disable_call]
	pub type EquityLedger = pallet_assets<Instance1>;
	#[runtime::pallet_index(53)]
	pub type DataRegistry = pallet_data_registry;
	#[runtime::pallet_index(54)]
	pub type Compute = pallet_compute;
}
