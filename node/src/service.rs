//! The node's services: client, import queue, network, transaction pool, off-chain workers,
//! Aura authoring and the GRANDPA voter.

use futures::FutureExt;
use polkadot_sdk::{
	sc_client_api::{
		Backend, BlockBackend, BlockImportNotification, BlockchainEvents, FinalityNotifications,
		ImportNotifications,
	},
	sc_consensus, sc_consensus_aura,
	sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams},
	sc_consensus_grandpa,
	sc_consensus_grandpa::SharedVoterState,
	sc_executor, sc_network, sc_offchain,
	sc_service::{self, error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig},
	sc_telemetry::{Telemetry, TelemetryWorker},
	sc_transaction_pool,
	sc_transaction_pool_api::OffchainTransactionPoolFactory,
	sp_consensus_aura::sr25519::{AuthorityId as AuraId, AuthorityPair as AuraPair},
	sp_io, sp_runtime, sp_timestamp,
};
use std::{sync::Arc, time::Duration};
use tokenfactory_runtime::{apis::RuntimeApi, opaque::Block};

/// Host functions beyond Substrate's standard set: BLS12-381 curve operations, which the
/// runtime uses to verify Groth16 proofs at native speed, and the bridge from the off-chain
/// worker to the FHE executor (answering "unavailable" outside off-chain workers).
pub type ExtraHostFunctions = (
	sp_crypto_ec_utils::bls12_381::host_calls::HostFunctions,
	tokenfactory_primitives::executor::tokenfactory_executor::HostFunctions,
);

/// Host functions of the executor.
pub type HostFunctions = (sp_io::SubstrateHostFunctions, ExtraHostFunctions);

pub(crate) type FullClient =
	sc_service::TFullClient<Block, RuntimeApi, sc_executor::WasmExecutor<HostFunctions>>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;

/// Blocks between GRANDPA justifications kept for light clients and warp sync.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	(
		sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>,
		sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>,
		Option<Telemetry>,
	),
>;

/// The parts of the node that commands other than `run` (export, check, revert...) need.
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|endpoints| !endpoints.is_empty())
		.map(|endpoints| -> Result<_, polkadot_sdk::sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&client,
		select_chain.clone(),
		telemetry.as_ref().map(|telemetry| telemetry.handle()),
	)?;

	let inherent_client = client.clone();
	let import_queue = sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(
		ImportQueueParams {
			block_import: grandpa_block_import.clone(),
			justification_import: Some(Box::new(grandpa_block_import.clone())),
			client: client.clone(),
			create_inherent_data_providers: move |parent_hash, _| {
				let inherent_client = inherent_client.clone();
				async move {
					let slot_duration = sc_consensus_aura::standalone::slot_duration_at(
						&*inherent_client,
						parent_hash,
					)?;
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot =
						polkadot_sdk::sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
							*timestamp,
							slot_duration,
						);
					Ok((slot, timestamp))
				}
			},
			spawner: &task_manager.spawn_essential_handle(),
			registry: config.prometheus_registry(),
			check_for_equivocation: Default::default(),
			telemetry: telemetry.as_ref().map(|telemetry| telemetry.handle()),
			compatibility_mode: Default::default(),
		},
	)?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa_block_import, grandpa_link, telemetry),
	})
}

/// Starts the FHE executor with the node's options; off-chain workers reach it through an
/// externalities extension.
/// What the off-chain workers run on: every best block the client imports, and the latest best
/// block again each time the FHE executor finishes a task, so that the result or the reveal goes
/// out at once instead of at the next block (the off-chain worker keeps, in its local storage,
/// what it has sent, and sends nothing twice).
struct OffchainTriggers {
	client: Arc<FullClient>,
	finished: std::sync::Mutex<Option<futures::channel::mpsc::UnboundedReceiver<()>>>,
	spawner: sc_service::SpawnTaskHandle,
}

impl BlockchainEvents<Block> for OffchainTriggers {
	fn import_notification_stream(&self) -> ImportNotifications<Block> {
		use futures::StreamExt;
		enum Trigger {
			Import(BlockImportNotification<Block>),
			Finished,
			Stopped,
		}
		let (sender, receiver) =
			sc_utils::mpsc::tracing_unbounded("mpsc_tokenfactory_offchain_triggers", 100_000);
		let imports = self
			.client
			.import_notification_stream()
			.map(Trigger::Import)
			.chain(futures::stream::once(futures::future::ready(Trigger::Stopped)));
		let finished = match self.finished.lock().ok().and_then(|mut finished| finished.take()) {
			Some(finished) => finished.map(|()| Trigger::Finished).boxed(),
			None => futures::stream::pending().boxed(),
		};
		let mut triggers = futures::stream::select(imports, finished);
		self.spawner.spawn("offchain-triggers", Some("offchain-worker"), async move {
			let mut best: Option<BlockImportNotification<Block>> = None;
			while let Some(trigger) = triggers.next().await {
				let notification = match trigger {
					Trigger::Import(notification) => {
						if notification.is_new_best {
							best = Some(notification.clone());
						}
						notification
					}
					Trigger::Finished => match &best {
						Some(best) => best.clone(),
						None => continue,
					},
					Trigger::Stopped => break,
				};
				if sender.unbounded_send(notification).is_err() {
					break;
				}
			}
		});
		receiver
	}

	fn every_import_notification_stream(&self) -> ImportNotifications<Block> {
		self.client.every_import_notification_stream()
	}

	fn finality_notification_stream(&self) -> FinalityNotifications<Block> {
		self.client.finality_notification_stream()
	}

	fn storage_changes_notification_stream(
		&self,
		filter_keys: Option<&[polkadot_sdk::sp_core::storage::StorageKey]>,
		child_filter_keys: Option<
			&[(
				polkadot_sdk::sp_core::storage::StorageKey,
				Option<Vec<polkadot_sdk::sp_core::storage::StorageKey>>,
			)],
		>,
	) -> polkadot_sdk::sp_blockchain::Result<
		polkadot_sdk::sc_client_api::StorageEventStream<<Block as sp_runtime::traits::Block>::Hash>,
	> {
		self.client.storage_changes_notification_stream(filter_keys, child_filter_keys)
	}
}

fn start_executor(
	config: &Configuration,
	compute: &crate::cli::ComputeParams,
	backend: &FullBackend,
) -> Result<crate::executor::NodeExecutor, ServiceError> {
	use polkadot_sdk::{sc_chain_spec::ChainType, sp_core::offchain::OffchainStorage};
	let storage = backend.offchain_storage();
	let read: crate::executor::OffchainReader = Arc::new(move |key: &[u8]| {
		storage
			.as_ref()
			.and_then(|storage| storage.get(polkadot_sdk::sp_offchain::STORAGE_PREFIX, key))
	});
	let proving_keys = compute.zk_keys.clone().unwrap_or_else(|| {
		std::env::var_os("HOME")
			.map(|home| std::path::PathBuf::from(home).join(".cache/tokenfactory/zk"))
			.unwrap_or_else(|| config.base_path.path().join("zk"))
	});
	let test_chain =
		matches!(config.chain_spec.chain_type(), ChainType::Development | ChainType::Local);
	crate::executor::NodeExecutor::start(
		crate::executor::ExecutorOptions {
			threads: compute.fhe_threads,
			decryption_keys: compute.fhe_keys.clone(),
			proving_keys,
			allow_dev_setup: compute.zk_dev_setup || test_chain,
		},
		read,
	)
	.map_err(ServiceError::Other)
}

/// Builds and starts a full node.
pub fn new_full<N>(
	config: Configuration,
	compute: crate::cli::ComputeParams,
) -> Result<TaskManager, ServiceError>
where
	N: sc_network::NetworkBackend<Block, <Block as sp_runtime::traits::Block>::Hash>,
{
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, grandpa_link, mut telemetry),
	} = new_partial(&config)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as sp_runtime::traits::Block>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	let peer_store_handle = net_config.peer_store_handle();
	let genesis_hash = client
		.block_hash(0)
		.ok()
		.flatten()
		.ok_or_else(|| ServiceError::Other("the genesis block is missing".into()))?;
	let grandpa_protocol_name =
		sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	let (grandpa_protocol_config, grandpa_notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
			grandpa_protocol_name.clone(),
			metrics.clone(),
			peer_store_handle,
		);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::default(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	if config.offchain_worker.enabled {
		let executor = start_executor(&config, &compute, &backend)?;
		let triggers = Arc::new(OffchainTriggers {
			client: client.clone(),
			finished: std::sync::Mutex::new(executor.take_finished()),
			spawner: task_manager.spawn_handle(),
		});
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: true,
				// The FHE executor, for off-chain workers only: block import never sees it.
				custom_extensions: move |_| {
					let executor: Arc<dyn tokenfactory_primitives::executor::Executor> =
						Arc::new(executor.clone());
					vec![Box::new(tokenfactory_primitives::executor::ExecutorExt::new(executor))
						as Box<dyn polkadot_sdk::sp_externalities::Extension>]
				},
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(triggers, task_manager.spawn_handle()).boxed(),
		);
	}

	let role = config.role;
	let force_authoring = config.force_authoring;
	let backoff_authoring_blocks: Option<()> = None;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	let rpc_extensions_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		let offchain_storage = backend.offchain_storage();
		Box::new(move |_| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				offchain_storage: offchain_storage.clone(),
			};
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	let _rpc_handlers = sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: network.clone(),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder: rpc_extensions_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	if role.is_authority() {
		let mut proposer_factory = polkadot_sdk::sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool.clone(),
			prometheus_registry.as_ref(),
			telemetry.as_ref().map(|telemetry| telemetry.handle()),
		);
		// Blocks as large as the runtime allows (its operational limit), not the proposer's
		// default of 4 MiB: a runtime upgrade carrying an uncompressed development build (over
		// 4 MiB) must fit a block, or it waits in the pool until its era ends.
		{
			use tokenfactory_runtime::frame_support::dispatch::DispatchClass;
			let limit = *tokenfactory_runtime::configs::RuntimeBlockLength::get()
				.max
				.get(DispatchClass::Operational);
			proposer_factory.set_default_block_size_limit(limit as usize);
		}

		let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*client)?;
		let (vrf_client, vrf_keystore) = (client.clone(), keystore_container.keystore());

		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client,
				select_chain,
				block_import,
				proposer_factory,
				create_inherent_data_providers: move |parent, ()| {
					let (client, keystore) = (vrf_client.clone(), vrf_keystore.clone());
					async move {
						let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
						let slot =
							polkadot_sdk::sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
								*timestamp,
								slot_duration,
							);
						// The slot author's VRF over (parent, slot): the block's randomness.
						let vrf = crate::randomness::VrfInherent::new(
							&client,
							&keystore,
							parent,
							u64::from(*slot),
						);
						Ok((slot, timestamp, vrf))
					}
				},
				force_authoring,
				backoff_authoring_blocks,
				keystore: keystore_container.keystore(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
				max_block_proposal_slot_portion: None,
				telemetry: telemetry.as_ref().map(|telemetry| telemetry.handle()),
				compatibility_mode: Default::default(),
			},
		)?;

		// Authoring is essential: if it fails, the node stops rather than idling silently.
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		// Only authorities vote; other nodes need no keystore here.
		let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };

		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|telemetry| telemetry.handle()),
			protocol_name: grandpa_protocol_name,
		};

		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|telemetry| telemetry.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};

		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}
