use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	service,
};
use polkadot_sdk::{
	frame_benchmarking_cli::{BenchmarkCmd, SUBSTRATE_REFERENCE_HARDWARE},
	sc_cli::{self, SubstrateCli},
	sc_network,
	sc_service::{self, PartialComponents},
	sp_runtime,
};
use tokenfactory_runtime::opaque::Block;

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"Token Factory Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://github.com/tokenfactory/tokenfactory/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		Ok(match id {
			"dev" => Box::new(chain_spec::development_chain_spec()?),
			"" | "local" => Box::new(chain_spec::local_chain_spec()?),
			path => {
				Box::new(chain_spec::ChainSpec::from_json_file(std::path::PathBuf::from(path))?)
			}
		})
	}
}

/// Whether the operator chose the offchain-indexing setting; if not, this node turns it on,
/// because Token Factory pallets keep blob bytes in every node's offchain database.
fn offchain_indexing_chosen() -> bool {
	std::env::args().any(|arg| arg.starts_with("--enable-offchain-indexing"))
}

/// Parses the command line and runs the chosen command.
pub fn run() -> sc_cli::Result<()> {
	let mut cli = Cli::from_args();
	if !offchain_indexing_chosen() {
		cli.run.offchain_worker_params.indexing_enabled = true;
	}
	// arkworks opens an INFO span, arguments formatted, around every gadget call: with the
	// node's logger on, one decryption proof would spend minutes formatting them.
	for target in ["gr1cs", "r1cs"] {
		let log = &mut cli.run.shared_params.log;
		if !log.iter().any(|directive| directive.contains(target)) {
			log.push(format!("{target}=warn"));
		}
	}
	// A decryptor reveals from its off-chain worker, validator or not.
	if !cli.compute.fhe_keys.is_empty() {
		cli.run.offchain_worker_params.enabled = sc_cli::OffchainWorkerEnabled::Always;
	}

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		}
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let chain_spec = cli.load_spec(&cmd.chain)?;
			cmd.run(chain_spec)
		}
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		}
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		}
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		}
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		}
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		}
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, backend, .. } =
					service::new_partial(&config)?;
				let aux_revert = Box::new(|client, _, blocks| {
					polkadot_sdk::sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
			})
		}
		Some(Subcommand::Benchmark(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				match cmd {
					BenchmarkCmd::Pallet(cmd) => {
						if !cfg!(feature = "runtime-benchmarks") {
							return Err(
								"runtime benchmarks are not compiled in: build the node with \
						            `--features runtime-benchmarks`"
									.into(),
							);
						}
						// The same BLS12-381 host calls as the node's executor, so proof
						// verification is benchmarked as it runs on chain.
						cmd.run_with_spec::<
						sp_runtime::traits::HashingFor<Block>,
						service::ExtraHostFunctions,
					>(Some(config.chain_spec))
					}
					BenchmarkCmd::Block(cmd) => {
						let PartialComponents { client, .. } = service::new_partial(&config)?;
						cmd.run(client)
					}
					#[cfg(not(feature = "runtime-benchmarks"))]
					BenchmarkCmd::Storage(_) => Err("storage benchmarks are not compiled in: build \
				                                 the node with `--features runtime-benchmarks`"
						.into()),
					#[cfg(feature = "runtime-benchmarks")]
					BenchmarkCmd::Storage(cmd) => {
						let PartialComponents { client, backend, .. } =
							service::new_partial(&config)?;
						let db = backend.expose_db();
						let storage = backend.expose_storage();
						let shared_cache = backend.expose_shared_trie_cache();
						cmd.run(config, client, db, storage, shared_cache)
					}
					BenchmarkCmd::Machine(cmd) => {
						cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone())
					}
					BenchmarkCmd::Overhead(cmd) => {
						// On the node's own client, so that its blocks carry the inherents the
						// runtime requires (the VRF randomness among them).
						let PartialComponents { client, .. } = service::new_partial(&config)?;
						let remark = polkadot_sdk::frame_benchmarking_cli::DynamicRemarkBuilder::new_from_client(
							client.clone(),
						)?;
						cmd.run(
							config.chain_spec.name().into(),
							client.clone(),
							inherent_benchmark_data(&client)?,
							Vec::new(),
							&remark,
							false,
						)
					}
					BenchmarkCmd::Extrinsic(cmd) => {
						let PartialComponents { client, .. } = service::new_partial(&config)?;
						// `System::remark` signed by a development account, as the overhead
						// benchmark builds it; `--pallet system --extrinsic remark` selects it.
						let remark = polkadot_sdk::frame_benchmarking_cli::DynamicRemarkBuilder::new_from_client(
						client.clone(),
					)?;
						let factory =
							polkadot_sdk::frame_benchmarking_cli::ExtrinsicFactory(vec![Box::new(
								remark,
							)]);
						cmd.run(
							client.clone(),
							inherent_benchmark_data(&client)?,
							Vec::new(),
							&factory,
						)
					}
				}
			})
		}
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		}
		None => {
			let runner = cli.create_runner(&cli.run)?;
			let compute = cli.compute.clone();
			runner.run_node_until_exit(|config| async move {
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => service::new_full::<
						sc_network::NetworkWorker<
							Block,
							<Block as sp_runtime::traits::Block>::Hash,
						>,
					>(config, compute)
					.map_err(sc_cli::Error::Service),
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(config, compute)
							.map_err(sc_cli::Error::Service)
					}
				}
			})
		}
	}
}

/// Inherent data for benchmark blocks: a timestamp (Aura needs no slot digest to import them).
fn inherent_benchmark_data(
	client: &service::FullClient,
) -> sc_cli::Result<polkadot_sdk::sp_inherents::InherentData> {
	use polkadot_sdk::{
		sc_client_api::HeaderBackend, sp_core::crypto::VrfSecret,
		sp_inherents::InherentDataProvider, sp_keyring::Sr25519Keyring,
	};
	let mut inherent_data = polkadot_sdk::sp_inherents::InherentData::new();
	let timestamp = polkadot_sdk::sp_timestamp::InherentDataProvider::new(0.into());
	futures::executor::block_on(timestamp.provide_inherent_data(&mut inherent_data))
		.map_err(|error| format!("cannot build the benchmark's inherent data: {error:?}"))?;
	// Every block carries its author's VRF randomness. The benchmarks build their blocks on the
	// best block without an Aura pre-digest, so in slot 0, whose author on the development
	// chains is Alice.
	let parent = client.info().best_hash;
	let signature = Sr25519Keyring::Alice
		.pair()
		.vrf_sign(&pallet_block_randomness::sign_data(parent.as_ref(), 0));
	inherent_data
		.put_data(
			pallet_block_randomness::INHERENT_IDENTIFIER,
			&pallet_block_randomness::BlockVrfSignature::from(signature),
		)
		.map_err(|error| format!("cannot build the benchmark's inherent data: {error:?}"))?;
	Ok(inherent_data)
}
