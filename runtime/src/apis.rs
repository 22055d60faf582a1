//! The runtime APIs the node, polkadot.js and the SDK call.

use crate::{
	AccountId, Balance, Block, Executive, InherentDataExt, Nonce, Runtime, RuntimeCall,
	RuntimeGenesisConfig, SessionKeys, System, TransactionPayment, VERSION,
};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		genesis_builder_helper::{build_state, get_preset},
		view_functions::{ViewFunctionDispatchError, ViewFunctionId},
		weights::Weight,
	},
	pallet_transaction_payment::{FeeDetails, RuntimeDispatchInfo},
	sp_api::{self, impl_runtime_apis},
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_consensus_grandpa::{self, AuthorityId as GrandpaId},
	sp_core::{crypto::KeyTypeId, OpaqueMetadata},
	sp_genesis_builder,
	sp_inherents::{CheckInherentsResult, InherentData},
	sp_runtime::{
		traits::{Block as BlockT, NumberFor},
		transaction_validity::{TransactionSource, TransactionValidity},
		ApplyExtrinsicResult, ExtrinsicInclusionMode,
	},
	sp_version::RuntimeVersion,
	*,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(id: ViewFunctionId, input: Vec<u8>) -> Result<Vec<u8>, ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: InherentData,
		) -> CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(pallet_aura::Pallet::<Runtime>::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			pallet_grandpa::Pallet::<Runtime>::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			pallet_grandpa::CurrentSetId::<Runtime>::get()
		}

		// No session pallet: equivocations are not reported on chain (see `KeyOwnerProof`).
		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_nfts_runtime_api::NftsApi<Block, AccountId, u32, u32> for Runtime {
		fn owner(collection: u32, item: u32) -> Option<AccountId> {
			<pallet_nfts::Pallet<Runtime> as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::owner(&collection, &item)
		}

		fn collection_owner(collection: u32) -> Option<AccountId> {
			<pallet_nfts::Pallet<Runtime> as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::collection_owner(&collection)
		}

		fn attribute(collection: u32, item: u32, key: Vec<u8>) -> Option<Vec<u8>> {
			<pallet_nfts::Pallet<Runtime> as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::attribute(&collection, &item, &key)
		}

		fn custom_attribute(account: AccountId, collection: u32, item: u32, key: Vec<u8>) -> Option<Vec<u8>> {
			<pallet_nfts::Pallet<Runtime> as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::custom_attribute(&account, &collection, &item, &key)
		}

		fn system_attribute(collection: u32, item: Option<u32>, key: Vec<u8>) -> Option<Vec<u8>> {
			<pallet_nfts::Pallet<Runtime> as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::system_attribute(&collection, item.as_ref(), &key)
		}

		fn collection_attribute(collection: u32, key: Vec<u8>) -> Option<Vec<u8>> {
			<pallet_nfts::Pallet<Runtime> as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::collection_attribute(&collection, &key)
		}
	}

	impl tokenfactory_primitives::datasets::DataRegistryApi<
		Block,
		pallet_data_registry::Dataset<Runtime>,
		pallet_data_registry::KeySet<Runtime>,
	> for Runtime {
		fn dataset(id: pallet_data_registry::DatasetId) -> Option<pallet_data_registry::Dataset<Runtime>> {
			pallet_data_registry::Datasets::<Runtime>::get(id)
		}

		fn key_set(id: pallet_data_registry::KeySetId) -> Option<pallet_data_registry::KeySet<Runtime>> {
			pallet_data_registry::KeySets::<Runtime>::get(id)
		}

		fn manifest(target: pallet_data_registry::BlobTarget) -> Vec<pallet_data_registry::BlobInfo> {
			crate::DataRegistry::manifest(target)
		}
	}

	impl tokenfactory_primitives::compute::ComputeApi<
		Block,
		pallet_compute::Job<Runtime>,
		pallet_compute::Worker<Runtime>,
		tokenfactory_primitives::compute::Quote<Balance>,
		AccountId,
	> for Runtime {
		fn job(id: tokenfactory_primitives::compute::JobId) -> Option<pallet_compute::Job<Runtime>> {
			pallet_compute::Jobs::<Runtime>::get(id)
		}

		fn worker(account: AccountId) -> Option<pallet_compute::Worker<Runtime>> {
			pallet_compute::Workers::<Runtime>::get(account)
		}

		fn quote(
			dataset: tokenfactory_primitives::datasets::DatasetId,
			query: tokenfactory_primitives::programs::Query,
		) -> Result<tokenfactory_primitives::compute::Quote<Balance>, sp_runtime::DispatchError> {
			crate::Compute::quote(dataset, query)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<polkadot_sdk::frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use polkadot_sdk::frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use crate::{
				Balances, BlockRandomness, Compute, ConvictionVoting, DataRegistry, Equity, Nfts,
				PaymentChannels, Preimage, Referenda, Scheduler, Sudo, Timestamp, Treasury,
			};

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = crate::AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use polkadot_sdk::frame_support::traits::TrackedStorageKey;
			use frame_system_benchmarking::Pallet as SystemBench;
			use crate::{
				Balances, BlockRandomness, Compute, ConvictionVoting, DataRegistry, Equity, Nfts,
				PaymentChannels, Preimage, Referenda, Scheduler, Sudo, Timestamp, Treasury,
			};

			impl frame_system_benchmarking::Config for Runtime {}

			let whitelist: Vec<TrackedStorageKey> =
				<crate::AllPalletsWithSystem as polkadot_sdk::frame_support::traits::WhitelistedStorageKeys>::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);

			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// try-runtime is a testing tool: a failed upgrade must stop it loudly.
			let weight = match Executive::try_runtime_upgrade(checks) {
				Ok(weight) => weight,
				Err(error) => panic!("try_runtime_upgrade failed: {error:?}"),
			};
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			match Executive::try_execute_block(block, state_root_check, signature_check, select) {
				Ok(weight) => weight,
				Err(error) => panic!("try_execute_block failed: {error:?}"),
			}
		}
	}
}
