//! RPC methods beyond the standard `system`, `chain`, `state`, `author` sets:
//! `system_accountNextIndex`, `payment_queryInfo` / `payment_queryFeeDetails`, and the data
//! registry's blob download (`dataRegistry_datasetBlob` / `dataRegistry_keySetBlob`).

mod blobs;

use jsonrpsee::RpcModule;
use polkadot_sdk::{
	pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer},
	sc_transaction_pool_api::TransactionPool,
	sp_api::ProvideRuntimeApi,
	sp_block_builder::BlockBuilder,
	sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata},
	substrate_frame_rpc_system::{System, SystemApiServer},
};
use std::sync::Arc;
use tokenfactory_runtime::{opaque::Block, AccountId, Balance, Nonce};

/// What the RPC extensions need from the node.
pub struct FullDeps<C, P, S> {
	pub client: Arc<C>,
	pub pool: Arc<P>,
	/// The offchain database, where indexed blobs are (`None` if the node has none).
	pub offchain_storage: Option<S>,
}

/// The node's RPC extensions.
pub fn create_full<C, P, S>(
	deps: FullDeps<C, P, S>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: polkadot_sdk::substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ polkadot_sdk::pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ BlockBuilder<Block>
		+ tokenfactory_primitives::datasets::DataRegistryApi<
			Block,
			pallet_data_registry::Dataset<tokenfactory_runtime::Runtime>,
			pallet_data_registry::KeySet<tokenfactory_runtime::Runtime>,
		>,
	P: TransactionPool + 'static,
	S: polkadot_sdk::sp_core::offchain::OffchainStorage + 'static,
{
	use blobs::BlobApiServer;

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, offchain_storage } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(blobs::Blobs::new(client, offchain_storage).into_rpc())?;

	Ok(module)
}
