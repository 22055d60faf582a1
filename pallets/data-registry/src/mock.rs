//! A test runtime: `frame_system`, `pallet_balances` (holds), `pallet_nfts` (the dataset
//! tokens) and this pallet; equity is a stand-in where only class 7 exists.

use crate as pallet_data_registry;
use crate::{
	BlobKind, BlobSpec, BlobTarget, Column, DatasetDescription, DatasetId, DatasetTerms, KeySetId,
	ProgramPolicy,
};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64},
	BoundedVec,
};
use frame_system::EnsureSigned;
use pallet_nfts::PalletFeatures;
use polkadot_sdk::*;
use sp_runtime::{
	traits::{IdentityLookup, Verify},
	AccountId32, BuildStorage, DispatchResult, MultiSignature,
};
use tokenfactory_primitives::{
	datasets::{ColumnWidth, ProgramKind},
	revenue::RevenueSink,
};

/// The utility token's balance type in the mock.
pub type Balance = u128;
type AccountPublic = <MultiSignature as Verify>::Signer;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Nfts: pallet_nfts,
		DataRegistry: pallet_data_registry,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = frame_system::mocking::MockBlock<Test>;
	type AccountId = AccountId32;
	type Lookup = IdentityLookup<AccountId32>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
}

parameter_types! {
	pub Features: PalletFeatures = PalletFeatures::all_enabled();
}

impl pallet_nfts::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type CollectionId = u32;
	type ItemId = u32;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId32>>;
	type ForceOrigin = frame_system::EnsureRoot<AccountId32>;
	type Locker = ();
	type CollectionDeposit = ConstU128<2>;
	type ItemDeposit = ConstU128<1>;
	type MetadataDepositBase = ConstU128<1>;
	type AttributeDepositBase = ConstU128<1>;
	type DepositPerByte = ConstU128<1>;
	type StringLimit = ConstU32<50>;
	type KeyLimit = ConstU32<50>;
	type ValueLimit = ConstU32<50>;
	type ApprovalsLimit = ConstU32<10>;
	type ItemAttributesApprovalsLimit = ConstU32<2>;
	type MaxTips = ConstU32<10>;
	type MaxDeadlineDuration = ConstU64<10000>;
	type MaxAttributesPerCall = ConstU32<2>;
	type Features = Features;
	type OffchainSignature = MultiSignature;
	type OffchainPublic = AccountPublic;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type Helper = ();
	type BlockNumberProvider = System;
}

/// The one equity class that exists in the mock.
pub const CLASS: u32 = 7;

/// Equity as the registry sees it: only [`CLASS`] exists.
pub struct MockEquity;
impl RevenueSink<AccountId32, u32, Balance> for MockEquity {
	fn deposit_dividend(_from: &AccountId32, _class: u32, _amount: Balance) -> DispatchResult {
		Ok(())
	}
	fn class_exists(class: &u32) -> bool {
		*class == CLASS
	}
}

pub const MAX_CHUNK: u32 = 1024;
pub const MAX_KEY_SET_BLOBS: u32 = 6;
pub const MAX_DATASET_BLOBS: u32 = 4;
pub const MAX_COLUMNS: u32 = 4;
pub const NAME_LIMIT: u32 = 16;
pub const DESCRIPTION_LIMIT: u32 = 64;
pub const COLUMN_NAME_LIMIT: u32 = 8;
pub const MAX_PROGRAMS: u32 = 5;
pub const DEPOSIT_BASE: Balance = 100;
pub const DEPOSIT_PER_BYTE: Balance = 1;
pub const DEPOSIT_PER_BLOB: Balance = 10;
pub const GRACE: u64 = 5;
pub const KEY_SET_BOND: Balance = 500;

impl pallet_data_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CollectionId = u32;
	type NftItemConfig = pallet_nfts::ItemConfig;
	type Nfts = Nfts;
	type ClassId = u32;
	type Revenue = MockEquity;
	type MaxChunkSize = ConstU32<MAX_CHUNK>;
	type MaxKeySetBlobs = ConstU32<MAX_KEY_SET_BLOBS>;
	type MaxDatasetBlobs = ConstU32<MAX_DATASET_BLOBS>;
	type MaxColumns = ConstU32<MAX_COLUMNS>;
	type ColumnNameLimit = ConstU32<COLUMN_NAME_LIMIT>;
	type NameLimit = ConstU32<NAME_LIMIT>;
	type DescriptionLimit = ConstU32<DESCRIPTION_LIMIT>;
	type MaxPrograms = ConstU32<MAX_PROGRAMS>;
	type DepositBase = ConstU128<DEPOSIT_BASE>;
	type DepositPerByte = ConstU128<DEPOSIT_PER_BYTE>;
	type DepositPerBlob = ConstU128<DEPOSIT_PER_BLOB>;
	type KeySetBond = ConstU128<KEY_SET_BOND>;
	type RetireGracePeriod = ConstU64<GRACE>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = NftsHelper;
}

/// Creates collections through `pallet_nfts` for the benchmarks' mock run.
#[cfg(feature = "runtime-benchmarks")]
pub struct NftsHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId32, u32> for NftsHelper {
	fn create_collection(owner: &AccountId32) -> u32 {
		create_collection(owner)
	}
}

pub const INITIAL_BALANCE: Balance = 1_000_000;

pub fn account(seed: u8) -> AccountId32 {
	AccountId32::new([seed; 32])
}
/// The decryptor key of the key sets the tests register.
pub fn decryptor() -> tokenfactory_primitives::compute::DecryptorKey {
	tokenfactory_primitives::compute::DecryptorKey::from_raw([8; 32])
}

/// The data owner in most tests.
pub fn hospital() -> AccountId32 {
	account(1)
}
/// Another owner.
pub fn clinic() -> AccountId32 {
	account(2)
}
/// Someone who uploads or buys.
pub fn bob() -> AccountId32 {
	account(3)
}
/// An account with nothing.
pub fn pauper() -> AccountId32 {
	account(9)
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.expect("the mock's genesis builds");
	pallet_balances::GenesisConfig::<Test> {
		balances: [hospital(), clinic(), bob()]
			.into_iter()
			.map(|account| (account, INITIAL_BALANCE))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.expect("the mock's balances build");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on a fresh mock chain, then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		DataRegistry::do_try_state().expect("the pallet's invariants hold after the test");
	});
}

/// Moves the chain to block `n`.
pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

/// This pallet's events so far.
pub fn registry_events() -> Vec<pallet_data_registry::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::DataRegistry(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// Creates an NFT collection owned by `owner`; returns its id.
pub fn create_collection(owner: &AccountId32) -> u32 {
	let id = pallet_nfts::NextCollectionId::<Test>::get().unwrap_or_default();
	assert_ok!(Nfts::create(
		RuntimeOrigin::signed(owner.clone()),
		owner.clone(),
		pallet_nfts::CollectionConfig {
			settings: pallet_nfts::CollectionSettings::all_enabled(),
			max_supply: None,
			mint_settings: pallet_nfts::MintSettings::default(),
		},
	));
	id
}

/// Deterministic blob bytes of `size` bytes, different for each `seed`.
pub fn blob_bytes(seed: u8, size: u32) -> Vec<u8> {
	(0..size).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

/// A manifest entry for `bytes`.
pub fn spec(kind: BlobKind, bytes: &[u8]) -> BlobSpec {
	BlobSpec { kind, size: bytes.len() as u32, hash: sp_io::hashing::blake2_256(bytes) }
}

/// The blobs of the standard key set: two server key chunks, the public key, the CRS.
pub fn key_blobs() -> Vec<Vec<u8>> {
	vec![blob_bytes(10, 100), blob_bytes(11, 60), blob_bytes(12, 40), blob_bytes(13, 30)]
}

/// The manifest of [`key_blobs`].
pub fn key_manifest() -> BoundedVec<BlobSpec, ConstU32<MAX_KEY_SET_BLOBS>> {
	let kinds = [
		BlobKind::ServerKeyChunk,
		BlobKind::ServerKeyChunk,
		BlobKind::PublicKey,
		BlobKind::ProofParameters,
	];
	key_blobs()
		.iter()
		.zip(kinds)
		.map(|(bytes, kind)| spec(kind, bytes))
		.collect::<Vec<_>>()
		.try_into()
		.expect("within the bound")
}

/// The ciphertext blobs of the standard dataset.
pub fn data_blobs() -> Vec<Vec<u8>> {
	vec![blob_bytes(20, 200), blob_bytes(21, 120)]
}

/// The manifest of [`data_blobs`].
pub fn data_manifest() -> BoundedVec<BlobSpec, ConstU32<MAX_DATASET_BLOBS>> {
	data_blobs()
		.iter()
		.map(|bytes| spec(BlobKind::Ciphertexts, bytes))
		.collect::<Vec<_>>()
		.try_into()
		.expect("within the bound")
}

pub const ROWS: u32 = 64;
pub const PRICE: Balance = 50;
pub const MIN_COHORT: u32 = 5;

fn bounded<const N: u32>(bytes: &[u8]) -> BoundedVec<u8, ConstU32<N>> {
	bytes.to_vec().try_into().expect("within the bound")
}

/// The standard dataset's description: the hospital's patient table.
pub fn description() -> DatasetDescription<Test> {
	DatasetDescription {
		name: bounded::<NAME_LIMIT>(b"patients"),
		description: bounded::<DESCRIPTION_LIMIT>(b"synthetic cardiology cohort"),
		schema: vec![
			Column { name: bounded::<COLUMN_NAME_LIMIT>(b"age"), width: ColumnWidth::U8 },
			Column { name: bounded::<COLUMN_NAME_LIMIT>(b"systolic"), width: ColumnWidth::U16 },
			Column { name: bounded::<COLUMN_NAME_LIMIT>(b"diabetic"), width: ColumnWidth::U8 },
		]
		.try_into()
		.expect("within the bound"),
		rows: ROWS,
	}
}

/// A policy for `kind` with no limits of its own.
pub fn allow(kind: ProgramKind) -> ProgramPolicy {
	ProgramPolicy { kind, min_cohort: None, max_predicates: None }
}

/// The standard terms: Count and Mean allowed, [`PRICE`], [`MIN_COHORT`].
pub fn terms() -> DatasetTerms<Test> {
	DatasetTerms {
		price: PRICE,
		programs: vec![allow(ProgramKind::Count), allow(ProgramKind::Mean)]
			.try_into()
			.expect("within the bound"),
		min_cohort: MIN_COHORT,
	}
}

/// Registers the standard key set for `owner` and uploads all of it; returns its id.
pub fn ready_key_set(owner: &AccountId32) -> KeySetId {
	let key_set = crate::NextKeySetId::<Test>::get();
	assert_ok!(DataRegistry::register_key_set(
		RuntimeOrigin::signed(owner.clone()),
		1,
		[7; 32],
		decryptor(),
		key_manifest()
	));
	for (index, bytes) in key_blobs().into_iter().enumerate() {
		upload(BlobTarget::KeySet(key_set), index as u32, bytes);
	}
	key_set
}

/// Registers the standard dataset for `owner` in a new collection, without uploading it.
pub fn registered_dataset(owner: &AccountId32) -> (DatasetId, u32) {
	let key_set = ready_key_set(owner);
	let collection = create_collection(owner);
	let dataset = crate::NextDatasetId::<Test>::get();
	assert_ok!(DataRegistry::register(
		RuntimeOrigin::signed(owner.clone()),
		collection,
		key_set,
		description(),
		terms(),
		data_manifest()
	));
	(dataset, collection)
}

/// The standard dataset of `owner`, every blob uploaded (so `Active`).
pub fn active_dataset(owner: &AccountId32) -> (DatasetId, u32) {
	let (dataset, collection) = registered_dataset(owner);
	for (index, bytes) in data_blobs().into_iter().enumerate() {
		upload(BlobTarget::Dataset(dataset), index as u32, bytes);
	}
	(dataset, collection)
}

/// Uploads `bytes` as blob `index` of `target` (by Bob: anyone may upload).
pub fn upload(target: BlobTarget, index: u32, bytes: Vec<u8>) {
	assert_ok!(DataRegistry::upload_chunk(
		RuntimeOrigin::signed(bob()),
		target,
		index,
		bytes.try_into().expect("within MaxChunkSize")
	));
}

/// The NFT owner of `dataset` in `collection`.
pub fn nft_owner(collection: u32, dataset: DatasetId) -> Option<AccountId32> {
	<Nfts as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId32>>::owner(
		&collection,
		&dataset,
	)
}
