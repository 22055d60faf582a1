use crate::{
	configs::ClassId, deposit, prod_or_fast, Balance, Balances, BlockNumber, Equity, Nfts, Runtime,
	RuntimeHoldReason, DAYS, UNIT,
};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU32},
	pallet_nfts,
};

/// One MiB per upload: three fit in the normal-class share (75%) of a 5 MiB block, and a
/// 60 MB compressed server key goes up in about sixty transactions. Fees scale with length.
pub const MAX_CHUNK_SIZE: u32 = 1024 * 1024;
/// Enough one-MiB chunks for a 250 MB server key, plus the public key and the CRS.
pub const MAX_KEY_SET_BLOBS: u32 = 256;
/// Enough chunks for a dataset of millions of encrypted values.
pub const MAX_DATASET_BLOBS: u32 = 1024;
/// As many columns as the program catalogue can address.
const MAX_COLUMNS: u32 = tokenfactory_primitives::programs::MAX_COLUMNS;
const COLUMN_NAME_LIMIT: u32 = 32;
const NAME_LIMIT: u32 = 64;
const DESCRIPTION_LIMIT: u32 = 512;
/// One policy per program kind in the catalogue.
const MAX_PROGRAMS: u32 = 5;
/// Running jobs finish and consumers see the retirement coming: a week (20 blocks under
/// `fast-runtime`).
const RETIRE_GRACE_PERIOD: BlockNumber = prod_or_fast!(7 * DAYS, 20);

/// What a key set's owner stands behind its decryptor with at registration: fifty tokens. Each
/// running job sets its price and the compute pallet's `RevealPenalty` aside out of it, so the
/// bond is also how many calls the owner can sell at once; the owner tops it up for more.
const KEY_SET_BOND: Balance = 50 * UNIT;

parameter_types! {
	pub const KeySetBond: Balance = KEY_SET_BOND;
	pub const DepositBase: Balance = deposit(1, 0);
	pub const DepositPerByte: Balance = deposit(0, 1);
	/// A manifest entry is one storage item of about 42 bytes.
	pub const DepositPerBlob: Balance = deposit(1, 42);
	pub const RetireGracePeriod: BlockNumber = RETIRE_GRACE_PERIOD;
}

/// Data tokens: encrypted datasets as NFTs, FHE key sets, chunked blob upload.
impl pallet_data_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CollectionId = u32;
	type NftItemConfig = pallet_nfts::ItemConfig;
	type Nfts = Nfts;
	type ClassId = ClassId;
	type Revenue = Equity;
	type MaxChunkSize = ConstU32<MAX_CHUNK_SIZE>;
	type MaxKeySetBlobs = ConstU32<MAX_KEY_SET_BLOBS>;
	type MaxDatasetBlobs = ConstU32<MAX_DATASET_BLOBS>;
	type MaxColumns = ConstU32<MAX_COLUMNS>;
	type ColumnNameLimit = ConstU32<COLUMN_NAME_LIMIT>;
	type NameLimit = ConstU32<NAME_LIMIT>;
	type DescriptionLimit = ConstU32<DESCRIPTION_LIMIT>;
	type MaxPrograms = ConstU32<MAX_PROGRAMS>;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type DepositPerBlob = DepositPerBlob;
	type KeySetBond = KeySetBond;
	type RetireGracePeriod = RetireGracePeriod;
	type WeightInfo = crate::weights::pallet_data_registry::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = NftCollections;
}

/// Creates NFT collections for the registry's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct NftCollections;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_data_registry::BenchmarkHelper<crate::AccountId, u32> for NftCollections {
	fn create_collection(owner: &crate::AccountId) -> u32 {
		use polkadot_sdk::frame_support::traits::tokens::nonfungibles_v2::Create;
		let config = pallet_nfts::CollectionConfig {
			settings: pallet_nfts::CollectionSettings::all_enabled(),
			max_supply: None,
			mint_settings: pallet_nfts::MintSettings::default(),
		};
		match Nfts::create_collection(owner, owner, &config) {
			Ok(collection) => collection,
			Err(error) => panic!("benchmark collection: {error:?}"),
		}
	}
}
