use crate::{
	deposit, AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeEvent, Signature, System,
	DAYS,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{AsEnsureOriginWithArg, ConstU32},
	},
	frame_system::{EnsureRoot, EnsureSigned},
	pallet_nfts::{self, PalletFeatures},
	sp_runtime::traits::Verify,
};

/// Dataset descriptions and attribute values are short texts; hashes point to anything longer.
const STRING_LIMIT: u32 = 256;
const KEY_LIMIT: u32 = 64;
const VALUE_LIMIT: u32 = 256;
const APPROVALS_LIMIT: u32 = 20;
const ITEM_ATTRIBUTES_APPROVALS_LIMIT: u32 = 30;
const MAX_TIPS: u32 = 10;
const MAX_ATTRIBUTES_PER_CALL: u32 = 10;
/// Longest validity of a pre-signed mint or swap offer.
const MAX_DEADLINE_DURATION: BlockNumber = 365 * DAYS;

parameter_types! {
	/// A collection (a factory's catalogue) is a long-lived entry: one storage deposit.
	pub const CollectionDeposit: Balance = deposit(1, 130);
	/// An item (a dataset token) is one entry.
	pub const ItemDeposit: Balance = deposit(1, 164);
	pub const MetadataDepositBase: Balance = deposit(1, 129);
	pub const AttributeDepositBase: Balance = deposit(1, 0);
	pub const DepositPerByte: Balance = deposit(0, 1);
	/// Every NFT feature is on: datasets can be traded, locked and described on chain.
	pub Features: PalletFeatures = PalletFeatures::all_enabled();
}

/// Data-token NFTs: every registered dataset is an item in its factory's collection.
impl pallet_nfts::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type CollectionId = u32;
	type ItemId = u32;
	type Currency = Balances;
	type ForceOrigin = EnsureRoot<AccountId>;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type Locker = ();
	type CollectionDeposit = CollectionDeposit;
	type ItemDeposit = ItemDeposit;
	type MetadataDepositBase = MetadataDepositBase;
	type AttributeDepositBase = AttributeDepositBase;
	type DepositPerByte = DepositPerByte;
	type StringLimit = ConstU32<STRING_LIMIT>;
	type KeyLimit = ConstU32<KEY_LIMIT>;
	type ValueLimit = ConstU32<VALUE_LIMIT>;
	type ApprovalsLimit = ConstU32<APPROVALS_LIMIT>;
	type ItemAttributesApprovalsLimit = ConstU32<ITEM_ATTRIBUTES_APPROVALS_LIMIT>;
	type MaxTips = ConstU32<MAX_TIPS>;
	type MaxDeadlineDuration = ConstU32<MAX_DEADLINE_DURATION>;
	type MaxAttributesPerCall = ConstU32<MAX_ATTRIBUTES_PER_CALL>;
	type Features = Features;
	type OffchainSignature = Signature;
	type OffchainPublic = <Signature as Verify>::Signer;
	#[cfg(feature = "runtime-benchmarks")]
	type Helper = ();
	type WeightInfo = pallet_nfts::weights::SubstrateWeight<Runtime>;
	type BlockNumberProvider = System;
}
