//! The block author's VRF signature for the block-randomness inherent: the author of a slot
//! signs `(parent hash, slot)` with its Aura key, and the runtime verifies it and keeps the
//! output as the block's randomness.

use crate::service::FullClient;
use polkadot_sdk::{
	sp_api::ProvideRuntimeApi,
	sp_consensus_aura::AuraApi,
	sp_core::{crypto::key_types::AURA, sr25519},
	sp_inherents::{self, InherentData, InherentIdentifier},
	sp_keystore::KeystorePtr,
};
use tokenfactory_runtime::opaque::Block;

/// The VRF inherent's data for one slot: the slot author's signature, or nothing when this
/// node does not hold the author's key (it does not author the slot, so nothing is needed).
pub struct VrfInherent(Option<pallet_block_randomness::BlockVrfSignature>);

impl VrfInherent {
	/// Signs for `slot` on top of `parent` with the key of the slot's Aura author, if this
	/// node's keystore holds it.
	pub fn new(
		client: &FullClient,
		keystore: &KeystorePtr,
		parent: <Block as polkadot_sdk::sp_runtime::traits::Block>::Hash,
		slot: u64,
	) -> Self {
		let authorities = match client.runtime_api().authorities(parent) {
			Ok(authorities) if !authorities.is_empty() => authorities,
			Ok(_) => return Self(None),
			Err(error) => {
				log::warn!(target: "tokenfactory", "no Aura authorities at {parent}: {error}");
				return Self(None);
			}
		};
		let index = (slot % authorities.len() as u64) as usize;
		let Some(author) = authorities.get(index) else { return Self(None) };
		let author: sr25519::Public = author.clone().into();
		let data = pallet_block_randomness::sign_data(parent.as_ref(), slot);
		match keystore.sr25519_vrf_sign(AURA, &author, &data) {
			Ok(signature) => Self(signature.map(Into::into)),
			Err(error) => {
				log::warn!(target: "tokenfactory", "VRF signing for slot {slot} failed: {error}");
				Self(None)
			}
		}
	}
}

#[async_trait::async_trait]
impl sp_inherents::InherentDataProvider for VrfInherent {
	async fn provide_inherent_data(
		&self,
		data: &mut InherentData,
	) -> Result<(), sp_inherents::Error> {
		match &self.0 {
			Some(signature) => {
				data.put_data(pallet_block_randomness::INHERENT_IDENTIFIER, signature)
			}
			None => Ok(()),
		}
	}

	async fn try_handle_error(
		&self,
		_: &InherentIdentifier,
		_: &[u8],
	) -> Option<Result<(), sp_inherents::Error>> {
		None
	}
}
