use polkadot_sdk::{frame_benchmarking_cli, sc_cli};

/// Command-line interface of the node.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	#[clap(flatten)]
	pub compute: ComputeParams,
}

/// The node's part in compute jobs: evaluating as an FHE worker (any node whose keystore holds
/// a registered worker key) and revealing as an owner's decryptor.
#[derive(Debug, Clone, clap::Args)]
pub struct ComputeParams {
	/// An owner's FHE key directory (`tokenfactory keys new`): this node decrypts, proves and
	/// reveals the results of jobs on that owner's datasets (the decryptor role). Repeatable.
	/// Turns the off-chain worker on even when the node does not validate.
	#[arg(long = "fhe-keys", value_name = "DIR")]
	pub fhe_keys: Vec<std::path::PathBuf>,

	/// Where the decryptor reads its Groth16 proving keys, one file per circuit shape
	/// (default: `$HOME/.cache/tokenfactory/zk`).
	#[arg(long = "zk-keys", value_name = "DIR")]
	pub zk_keys: Option<std::path::PathBuf>,

	/// Make a missing proving key with the INSECURE development setup, whatever the chain.
	/// Development and local chains allow it without this flag; a live chain never should.
	#[arg(long)]
	pub zk_dev_setup: bool,

	/// Threads one FHE evaluation uses (1 to 3: replicas must agree bit for bit, and tfhe
	/// changes algorithm at four).
	#[arg(long, default_value_t = 2, value_name = "N")]
	pub fhe_threads: usize,
}

/// Subcommands besides running the node.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management (generate, inspect, insert into the keystore).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (`export-chain-spec` is the newer form).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification of a built-in or file chain.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks: `pallet` (FRAME weights), `block`, `storage`, `machine`.
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
