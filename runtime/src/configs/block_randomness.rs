use crate::Runtime;
use polkadot_sdk::{pallet_aura, sp_core::sr25519};

/// The author of the current block: Aura's author of the block's slot (the slot modulo the
/// authority count, as Aura's client checks it before import).
pub struct AuraSlotAuthor;

impl pallet_block_randomness::BlockAuthor for AuraSlotAuthor {
	fn slot_and_key() -> Option<(u64, sr25519::Public)> {
		let slot: u64 = *pallet_aura::CurrentSlot::<Runtime>::get();
		let authorities = pallet_aura::Authorities::<Runtime>::get();
		let count = authorities.len() as u64;
		if count == 0 {
			return None;
		}
		let author = authorities.get((slot % count) as usize)?;
		let key: sr25519::Public = author.clone().into();
		Some((slot, key))
	}
}

impl pallet_block_randomness::Config for Runtime {
	type Author = AuraSlotAuthor;
	// An allowance until `scripts/bench-weights.sh` measures the VRF verification.
	type WeightInfo = pallet_block_randomness::weights::AllowanceWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AuraSlotAuthor;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_block_randomness::BenchmarkHelper for AuraSlotAuthor {
	fn set_author(slot: u64, key: sr25519::Public) {
		use polkadot_sdk::sp_consensus_aura::{sr25519::AuthorityId, Slot};
		let authority = AuthorityId::from(key);
		pallet_aura::Authorities::<Runtime>::put(
			polkadot_sdk::frame_support::BoundedVec::truncate_from(alloc::vec![authority]),
		);
		pallet_aura::CurrentSlot::<Runtime>::put(Slot::from(slot));
	}
}
