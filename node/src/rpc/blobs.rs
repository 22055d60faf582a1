//! `dataRegistry_datasetBlob` / `dataRegistry_keySetBlob`: a registered blob's bytes from this
//! node's offchain database, where `upload_chunk` put them through offchain indexing. Clients
//! download ciphertexts and key material with it; FHE workers read datasets with it.

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObjectOwned, ErrorObject},
};
use polkadot_sdk::{
	sp_api::ProvideRuntimeApi,
	sp_blockchain::HeaderBackend,
	sp_core::{offchain::OffchainStorage, Bytes},
	sp_offchain::STORAGE_PREFIX,
};
use std::sync::Arc;
use tokenfactory_primitives::datasets::{
	blob_offchain_key, BlobIndex, BlobTarget, DataRegistryApi, DatasetId, KeySetId,
};
use tokenfactory_runtime::{opaque::Block, Runtime};

type DatasetView = pallet_data_registry::Dataset<Runtime>;
type KeySetView = pallet_data_registry::KeySet<Runtime>;

/// The blob is registered and uploaded, but this node does not hold its bytes.
const NOT_HELD: i32 = 4001;
/// No such blob, or it has not been uploaded yet.
const NOT_AVAILABLE: i32 = 4002;
/// The stored bytes do not match the manifest (a corrupted database).
const CORRUPT: i32 = 4003;
/// The runtime could not be asked for the manifest.
const RUNTIME: i32 = 4004;

/// Reading registered blobs.
#[rpc(server)]
pub trait BlobApi {
	/// Blob `index` of `dataset`'s ciphertext manifest.
	#[method(name = "dataRegistry_datasetBlob")]
	fn dataset_blob(&self, dataset: DatasetId, index: BlobIndex) -> RpcResult<Bytes>;

	/// Blob `index` of `key_set`'s key-material manifest.
	#[method(name = "dataRegistry_keySetBlob")]
	fn key_set_blob(&self, key_set: KeySetId, index: BlobIndex) -> RpcResult<Bytes>;
}

/// The RPC handler: the client (for the manifest) and the offchain database.
pub struct Blobs<C, S> {
	client: Arc<C>,
	storage: Option<S>,
}

impl<C, S> Blobs<C, S> {
	/// Serves blobs from `storage` (`None` when the node has no offchain database).
	pub fn new(client: Arc<C>, storage: Option<S>) -> Self {
		Self { client, storage }
	}
}

fn error(code: i32, message: String) -> ErrorObjectOwned {
	ErrorObject::owned(code, message, None::<()>)
}

impl<C, S> Blobs<C, S>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: DataRegistryApi<Block, DatasetView, KeySetView>,
	S: OffchainStorage + 'static,
{
	fn blob(&self, target: BlobTarget, index: BlobIndex) -> RpcResult<Bytes> {
		let best = self.client.info().best_hash;
		let manifest =
			self.client.runtime_api().manifest(best, target).map_err(|e| {
				error(RUNTIME, format!("cannot read the manifest of {target:?}: {e}"))
			})?;
		let Some(info) = manifest.get(index as usize) else {
			return Err(error(
				NOT_AVAILABLE,
				format!(
					"{target:?} has no blob {index} (its manifest lists {} blobs, or it does not exist)",
					manifest.len()
				),
			));
		};
		if !info.present {
			return Err(error(
				NOT_AVAILABLE,
				format!("blob {index} of {target:?} is registered but not uploaded yet"),
			));
		}
		let bytes = self
			.storage
			.as_ref()
			.and_then(|storage| storage.get(STORAGE_PREFIX, &blob_offchain_key(target, index)))
			.ok_or_else(|| {
				error(
					NOT_HELD,
					format!(
						"this node does not hold blob {index} of {target:?}: it was uploaded, but \
						 this node runs without offchain indexing or synced without executing the \
						 block that carried it; ask a node that indexes (tokenfactory-node indexes \
						 by default) or re-sync with full execution"
					),
				)
			})?;
		if polkadot_sdk::sp_io::hashing::blake2_256(&bytes) != info.spec.hash {
			return Err(error(
				CORRUPT,
				format!("this node's copy of blob {index} of {target:?} does not match its hash"),
			));
		}
		Ok(bytes.into())
	}
}

impl<C, S> BlobApiServer for Blobs<C, S>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: DataRegistryApi<Block, DatasetView, KeySetView>,
	S: OffchainStorage + 'static,
{
	fn dataset_blob(&self, dataset: DatasetId, index: BlobIndex) -> RpcResult<Bytes> {
		self.blob(BlobTarget::Dataset(dataset), index)
	}

	fn key_set_blob(&self, key_set: KeySetId, index: BlobIndex) -> RpcResult<Bytes> {
		self.blob(BlobTarget::KeySet(key_set), index)
	}
}
