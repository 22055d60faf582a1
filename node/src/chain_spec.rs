use polkadot_sdk::{
	sc_service::{self, ChainType, Properties},
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
};
use tokenfactory_runtime::{TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY};

/// A chain specification of this node: no extensions; its genesis is built with the node's
/// extra host functions (the compute pallet checks its Groth16 verifying keys at genesis with
/// the BLS12-381 host calls).
pub type ChainSpec = sc_service::GenericChainSpec<
	polkadot_sdk::sc_chain_spec::NoExtension,
	crate::service::ExtraHostFunctions,
>;

/// The utility token as wallets show it.
fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("tokenName".into(), "Token Factory Utility".into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the runtime wasm is missing: this node was built with SKIP_WASM_BUILD; rebuild without it"
			.to_string()
	})
}

/// `dev`: Alice alone authors and finalizes from the first slot; Alice holds sudo.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Token Factory Development")
		.with_id("tokenfactory_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `local`: Alice, Bob and Charlie validate; no sudo key, governance only.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Token Factory Local Testnet")
		.with_id("tokenfactory_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}
