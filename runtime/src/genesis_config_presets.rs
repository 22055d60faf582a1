//! Genesis presets: `development` (Alice alone, with a sudo key) and `local_testnet` (Alice,
//! Bob and Charlie as validators, no sudo key: Root is reachable only by referendum). Every
//! validator is also an FHE worker, and the development Groth16 verifying keys are set.

use crate::{
	configs::{TreasuryAccount, DEV_VERIFYING_KEYS},
	AccountId, AuraConfig, BalancesConfig, ComputeConfig, GrandpaConfig, RuntimeGenesisConfig,
	SudoConfig, EXISTENTIAL_DEPOSIT, UNIT,
};
use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	frame_support::build_struct_json_patch,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_consensus_grandpa::AuthorityId as GrandpaId,
	sp_genesis_builder::{self, PresetId},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
};
use serde_json::Value;

/// What each development account starts with: enough to pay deposits, open payment channels,
/// bond as a worker and vote, many times over.
pub const DEV_ENDOWMENT: u128 = 1_000_000 * UNIT;

/// What each genesis FHE worker bonds: twice the minimum, so one fault does not remove it.
pub const GENESIS_WORKER_BOND: u128 = 200 * UNIT;

fn testnet_genesis(
	initial_authorities: Vec<(AuraId, GrandpaId)>,
	workers: Vec<Sr25519Keyring>,
	endowed_accounts: Vec<AccountId>,
	sudo_key: Option<AccountId>,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.cloned()
				.map(|account| (account, DEV_ENDOWMENT))
				// The treasury exists from genesis, so small settlement shares can be paid to it.
				.chain([(TreasuryAccount::get(), EXISTENTIAL_DEPOSIT)])
				.collect::<Vec<_>>(),
		},
		compute: ComputeConfig {
			// Every validator is an FHE worker; each job goes to all of them (1 on a dev chain,
			// 3 on the local network).
			replication_factor: workers.len() as u32,
			verifying_keys: DEV_VERIFYING_KEYS
				.iter()
				.map(|(blocks, key)| (*blocks, key.to_vec()))
				.collect::<Vec<_>>(),
			// The worker key is the validator's development sr25519 key (`--alice` puts it in
			// the keystore under `tfwk`, through the session keys).
			workers: workers
				.iter()
				.map(|keyring| (keyring.to_account_id(), keyring.public(), GENESIS_WORKER_BOND))
				.collect::<Vec<_>>(),
		},
		aura: AuraConfig {
			authorities: initial_authorities
				.iter()
				.map(|(aura, _)| aura.clone())
				.collect::<Vec<_>>(),
		},
		grandpa: GrandpaConfig {
			authorities: initial_authorities
				.iter()
				.map(|(_, grandpa)| (grandpa.clone(), 1))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: sudo_key },
	})
}

/// Aura (sr25519) and GRANDPA (ed25519) keys of a well-known development account, the ones
/// `--alice`, `--bob`, ... put in the node's keystore.
fn authority(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// Alice alone authors and finalizes; Alice holds the sudo key.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		vec![Sr25519Keyring::Alice],
		dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
	)
}

/// Alice, Bob and Charlie validate; no sudo key.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			authority(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		],
		vec![Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie],
		dev_accounts(),
		None,
	)
}

/// The preset for `id`, serialized.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_str() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(|json| json.into_bytes())
}

/// The names of the presets this runtime knows.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
