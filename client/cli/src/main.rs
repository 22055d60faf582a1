//! `tokenfactory`: the command line of a Token Factory chain, for data owners, consumers, AI
//! agents and auditors. `tokenfactory --help` lists the commands; every command prints what
//! happened for people, or one JSON object with `--json`, and exits with a code that says how
//! it failed (see [`tokenfactory_cli::Failure`]).

use std::{path::PathBuf, time::Duration};

use anyhow::{anyhow, Result};
use clap::{Parser, Subcommand};
use tokenfactory_cli::{
	chain::Chain,
	consumer, exit_code, fail, local, owner, parse_amount,
	report::Report,
	wallet::{parse_account, Wallet},
	zk, Failure,
};
use tokenfactory_primitives::datasets::ProgramKind;

#[derive(Parser)]
#[command(
	name = "tokenfactory",
	version,
	about = "Token Factory: paid, private computation on encrypted data"
)]
struct Cli {
	/// The node to talk to.
	#[arg(long, global = true, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// The signing account: a mnemonic, a 0x seed, or a dev path like //Alice.
	#[arg(long, global = true, default_value = "//Alice")]
	suri: String,
	/// Print one JSON object instead of text.
	#[arg(long, global = true)]
	json: bool,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// FHE keys of a data owner.
	#[command(subcommand)]
	Keys(KeysCommand),
	/// Datasets: encrypt, register as data tokens, manage.
	#[command(subcommand)]
	Dataset(DatasetCommand),
	/// Every dataset on chain.
	Datasets,
	/// Evaluate a query locally on an encrypted dataset, as a worker would (owners testing).
	Eval {
		/// The owner's key directory (public keys are enough).
		#[arg(long)]
		keys: PathBuf,
		/// The encrypted dataset directory (`dataset encrypt --out`).
		#[arg(long)]
		encrypted: PathBuf,
		/// The query, e.g. "mean(systolic) where diabetic == 1 and age > 50".
		query: String,
		/// Where the result blob goes.
		#[arg(long, default_value = "result.bin")]
		out: PathBuf,
		/// Evaluation threads (1 to 3).
		#[arg(long, default_value_t = 2)]
		threads: usize,
	},
	/// Decrypt a result blob with the owner's client key.
	Decrypt {
		/// The owner's key directory.
		#[arg(long)]
		keys: PathBuf,
		/// The encrypted dataset directory (for its schema).
		#[arg(long)]
		encrypted: PathBuf,
		/// The query the result answers.
		query: String,
		/// The result blob.
		#[arg(long, default_value = "result.bin")]
		result: PathBuf,
	},
	/// Groth16 keys, proofs and verification.
	#[command(subcommand)]
	Zk(ZkCommand),
	/// Equity classes: the owners' shares of a token factory.
	#[command(subcommand)]
	Equity(EquityCommand),
	/// Route a dataset's revenue to an equity class's dividends, or back to its owner.
	Revenue {
		/// The dataset.
		dataset: u32,
		/// The equity class (omit for the owner's account).
		#[arg(long)]
		class: Option<u32>,
	},
	/// Payment channels for per-call payments.
	#[command(subcommand)]
	Channel(ChannelCommand),
	/// Buy one evaluation, wait for the proven result, open and check it.
	Call {
		/// The dataset.
		dataset: u32,
		/// The query, e.g. "mean(systolic) where diabetic == 1 and age > 50".
		query: String,
		/// Pay by voucher on this channel (default: from the free balance).
		#[arg(long)]
		channel: Option<u64>,
		/// Give up waiting after this many seconds (the chain refunds at the job's deadline).
		#[arg(long, default_value_t = 900)]
		timeout: u64,
	},
	/// Show the chain that a job's sealed answer does not open to its proven result, by
	/// publishing the job's sealing secret (`call` does this by itself when it finds a bad
	/// seal); the owner's bond pays the price and a penalty back.
	Complain {
		/// The job.
		job: u64,
		/// The job's sealing secret, 0x-hex of 32 bytes (default: the one `call` saved for the
		/// job's consumer key).
		#[arg(long, value_parser = parse_secret)]
		secret: Option<[u8; 32]>,
	},
	/// Jobs: the last twenty, or one.
	Jobs {
		/// One job.
		job: Option<u64>,
	},
	/// FHE workers.
	#[command(subcommand)]
	Worker(WorkerCommand),
	/// Synthetic data for the demo.
	#[command(subcommand)]
	Demo(DemoCommand),
}

#[derive(Subcommand)]
enum KeysCommand {
	/// Generate a client key, compressed server key, compact public key and zk-pok CRS.
	New {
		/// The directory to write them into (the client key with mode 0600).
		#[arg(long)]
		out: PathBuf,
	},
	/// Add to the bond of one of your key sets: it backs the running jobs' prices and reveal
	/// penalties, so it caps how many calls can run at once (and restores it after a penalty).
	Bond {
		/// The key set.
		key_set: u32,
		/// In TFU, e.g. 25.
		amount: String,
	},
}

#[derive(Subcommand)]
enum DatasetCommand {
	/// Encrypt a CSV into proven chunks, offline.
	Encrypt {
		/// The owner's key directory.
		#[arg(long)]
		keys: PathBuf,
		/// The CSV (with a header row).
		#[arg(long)]
		csv: PathBuf,
		/// The columns to encrypt: name:8|16|32,...
		#[arg(long)]
		schema: String,
		/// The dataset id the chunks' proofs are bound to.
		#[arg(long)]
		dataset_id: u32,
		/// Where the chunks and manifest go.
		#[arg(long)]
		out: PathBuf,
		/// Rows per chunk.
		#[arg(long, default_value_t = 32)]
		rows_per_chunk: usize,
	},
	/// Encrypt a CSV, register it as a data token and upload it (and the key set, once).
	Register {
		/// The owner's key directory.
		#[arg(long)]
		keys: PathBuf,
		/// The CSV.
		#[arg(long)]
		csv: PathBuf,
		/// The columns to encrypt: name:8|16|32,...
		#[arg(long)]
		schema: String,
		/// Its name.
		#[arg(long)]
		name: String,
		/// What it is.
		#[arg(long, default_value = "")]
		description: String,
		/// Price per call in TFU, e.g. 0.5.
		#[arg(long)]
		price: String,
		/// Allowed programs: count,sum,mean,histogram,weighted.
		#[arg(long, default_value = "count,sum,mean,histogram,weighted")]
		programs: String,
		/// The cohort gate: every answer covers at least this many rows.
		#[arg(long)]
		min_cohort: u32,
		/// At most this many predicates per query.
		#[arg(long)]
		max_predicates: Option<u8>,
		/// An NFT collection of yours (default: create one).
		#[arg(long)]
		collection: Option<u32>,
		/// Where the encrypted chunks are kept.
		#[arg(long, default_value = "encrypted")]
		out: PathBuf,
		/// Rows per chunk.
		#[arg(long, default_value_t = 32)]
		rows_per_chunk: usize,
	},
	/// Change the price of a call.
	SetPrice {
		/// The dataset.
		dataset: u32,
		/// In TFU.
		price: String,
	},
	/// Retire a dataset: no new jobs; running ones finish.
	Retire {
		/// The dataset.
		dataset: u32,
	},
	/// Show a dataset.
	Show {
		/// The dataset.
		dataset: u32,
	},
}

#[derive(Subcommand)]
enum ZkCommand {
	/// Make proving and verifying keys per circuit shape.
	Setup {
		/// Where they go.
		#[arg(long)]
		out: PathBuf,
		/// Use the INSECURE development setup (public seed), as dev chains do.
		#[arg(long)]
		dev: bool,
		/// Padded block counts of the shapes (default: all: 9,17,25,33,49,65).
		#[arg(long, value_delimiter = ',')]
		blocks: Vec<usize>,
	},
	/// Prove the decryption of a result blob for a job and seal it to a consumer.
	Prove {
		/// The owner's key directory.
		#[arg(long)]
		keys: PathBuf,
		/// The proving keys' directory.
		#[arg(long)]
		zk: PathBuf,
		/// The result blob.
		#[arg(long)]
		result: PathBuf,
		/// The job id the proof binds.
		#[arg(long)]
		job: u64,
		/// The consumer's X25519 key (hex).
		#[arg(long)]
		consumer_key: String,
		/// Make a missing proving key with the INSECURE development setup.
		#[arg(long)]
		dev: bool,
	},
	/// Verify a decryption proof with the runtime's verifier.
	Verify {
		/// A verifying key (key file or on-chain bytes).
		#[arg(long)]
		vk: PathBuf,
		/// The proof (hex).
		#[arg(long)]
		proof: String,
		/// The key commitment (hex).
		#[arg(long)]
		key_commitment: String,
		/// The agreed ciphertext digest (hex).
		#[arg(long)]
		digest: String,
		/// The result commitment (hex).
		#[arg(long)]
		result_commitment: String,
		/// The job.
		#[arg(long)]
		job: u64,
	},
}

#[derive(Subcommand)]
enum EquityCommand {
	/// Create a share class.
	Create {
		/// Its name.
		#[arg(long)]
		name: String,
		/// Its symbol.
		#[arg(long)]
		symbol: String,
		/// The most shares it can have.
		#[arg(long)]
		max_supply: u128,
		/// Only allowlisted accounts may hold shares.
		#[arg(long)]
		allowlist: bool,
	},
	/// Issue shares.
	Issue {
		/// The class.
		class: u32,
		/// To whom (SS58, 0x id, or a dev name like bob).
		to: String,
		/// How many.
		amount: u128,
	},
	/// Transfer shares.
	Transfer {
		/// The class.
		class: u32,
		/// To whom.
		to: String,
		/// How many.
		amount: u128,
	},
	/// Pay TFU into a class's dividend pool.
	Distribute {
		/// The class.
		class: u32,
		/// In TFU.
		amount: String,
	},
	/// Claim your dividends.
	Claim {
		/// The class.
		class: u32,
	},
	/// Show a class (and a holder's dividend position).
	Show {
		/// The class.
		class: u32,
		/// A holder.
		#[arg(long)]
		holder: Option<String>,
	},
}

#[derive(Subcommand)]
enum ChannelCommand {
	/// Open a channel to a payee (a dataset's owner) with a deposit.
	Open {
		/// The payee.
		payee: String,
		/// In TFU.
		deposit: String,
	},
	/// Add to a channel's deposit.
	TopUp {
		/// The channel.
		channel: u64,
		/// In TFU.
		amount: String,
	},
	/// Ask to close a channel (the payee may still claim during the challenge period).
	Close {
		/// The channel.
		channel: u64,
	},
	/// Close a channel after its challenge period.
	Finalize {
		/// The channel.
		channel: u64,
	},
	/// Show a channel.
	Show {
		/// The channel.
		channel: u64,
	},
}

#[derive(Subcommand)]
enum WorkerCommand {
	/// Bond as an FHE worker. The worker key must prove it agrees: give its secret URI (the
	/// one inserted into the node's keystore under `tfwk`), or its public key and a proof made
	/// elsewhere (`worker prove`).
	Register {
		/// The worker key's secret URI (a mnemonic, a seed, or `//Name` for development).
		#[arg(long, conflicts_with_all = ["key", "proof"])]
		key_uri: Option<String>,
		/// The worker key: the sr25519 public key in your node's keystore under `tfwk`.
		#[arg(long, requires = "proof")]
		key: Option<String>,
		/// The worker key's signature proving that it computes for the signing account (hex,
		/// from `worker prove`).
		#[arg(long, requires = "key")]
		proof: Option<String>,
		/// The bond in TFU.
		#[arg(long)]
		bond: String,
	},
	/// Print the proof that a worker key computes for an account: run it where the key's
	/// secret is, give the output to `worker register --key ... --proof ...`.
	Prove {
		/// The worker key's secret URI.
		#[arg(long)]
		key_uri: String,
		/// The account that will register (default: the signing account).
		#[arg(long)]
		account: Option<String>,
	},
	/// Show a worker.
	Show {
		/// The worker (default: the signing account).
		account: Option<String>,
	},
}

#[derive(Subcommand)]
enum DemoCommand {
	/// Write a synthetic patient table (age, systolic pressure, diabetic flag).
	Patients {
		/// Rows.
		#[arg(long, default_value_t = 64)]
		rows: usize,
		/// Seed.
		#[arg(long, default_value_t = 7)]
		seed: u64,
		/// The CSV to write.
		#[arg(long)]
		out: PathBuf,
	},
}

fn programs(text: &str) -> Result<Vec<ProgramKind>> {
	text.split(',')
		.map(|name| match name.trim() {
			"count" => Ok(ProgramKind::Count),
			"sum" => Ok(ProgramKind::Sum),
			"mean" => Ok(ProgramKind::Mean),
			"histogram" => Ok(ProgramKind::Histogram),
			"weighted" => Ok(ProgramKind::WeightedSum),
			other => Err(fail(
				Failure::Input,
				anyhow!("{other:?} is not a program: count, sum, mean, histogram, weighted"),
			)),
		})
		.collect()
}

fn amount(text: &str) -> Result<u128> {
	parse_amount(text).map_err(|error| fail(Failure::Input, error))
}

async fn run(cli: Cli) -> Result<Report> {
	let chain =
		|| async { Chain::connect(&cli.url).await.map_err(|error| fail(Failure::Chain, error)) };
	let wallet = || Wallet::from_uri(&cli.suri).map_err(|error| fail(Failure::Input, error));
	// Progress goes to stderr, so that `--json` output on stdout stays one object.
	let say = |line: &str| eprintln!("  .. {line}");
	match cli.command {
		Command::Keys(KeysCommand::New { out }) => local::keys_new(&out),
		Command::Keys(KeysCommand::Bond { key_set, amount: bond }) => {
			owner::bond_key_set(&chain().await?, &wallet()?, key_set, amount(&bond)?).await
		}
		Command::Dataset(DatasetCommand::Encrypt {
			keys,
			csv,
			schema,
			dataset_id,
			out,
			rows_per_chunk,
		}) => {
			let keys = tokenfactory_fhe::PublicKeySet::load(&keys)
				.map_err(|error| fail(Failure::Input, error))?;
			local::encrypt(&keys, &csv, &schema, dataset_id, rows_per_chunk, &out)
				.map(|(_, _, _, report)| report)
		}
		Command::Dataset(DatasetCommand::Register {
			keys,
			csv,
			schema,
			name,
			description,
			price,
			programs: allowed,
			min_cohort,
			max_predicates,
			collection,
			out,
			rows_per_chunk,
		}) => {
			let spec = owner::DatasetSpec {
				keys: &keys,
				csv: &csv,
				schema: &schema,
				name: &name,
				description: &description,
				price: amount(&price)?,
				programs: programs(&allowed)?,
				min_cohort,
				max_predicates,
				collection,
				out: &out,
				rows_per_chunk,
			};
			owner::register_dataset(&chain().await?, &wallet()?, spec).await
		}
		Command::Dataset(DatasetCommand::SetPrice { dataset, price }) => {
			owner::set_price(&chain().await?, &wallet()?, dataset, amount(&price)?).await
		}
		Command::Dataset(DatasetCommand::Retire { dataset }) => {
			owner::retire(&chain().await?, &wallet()?, dataset).await
		}
		Command::Dataset(DatasetCommand::Show { dataset }) => {
			owner::show_dataset(&chain().await?, dataset).await
		}
		Command::Datasets => owner::list_datasets(&chain().await?).await,
		Command::Eval { keys, encrypted, query, out, threads } => {
			local::eval(&keys, &encrypted, &query, threads, &out)
		}
		Command::Decrypt { keys, encrypted, query, result } => {
			local::decrypt(&keys, &encrypted, &query, &result)
		}
		Command::Zk(ZkCommand::Setup { out, dev, blocks }) => zk::setup(&out, &blocks, dev),
		Command::Zk(ZkCommand::Prove { keys, zk: dir, result, job, consumer_key, dev }) => {
			zk::prove(&keys, &dir, &result, job, &consumer_key, dev)
		}
		Command::Zk(ZkCommand::Verify {
			vk,
			proof,
			key_commitment,
			digest,
			result_commitment,
			job,
		}) => zk::verify(&vk, &proof, &key_commitment, &digest, &result_commitment, job),
		Command::Equity(command) => {
			let chain = chain().await?;
			let wallet = wallet()?;
			match command {
				EquityCommand::Create { name, symbol, max_supply, allowlist } => {
					owner::equity_create(&chain, &wallet, &name, &symbol, max_supply, allowlist)
						.await
				}
				EquityCommand::Issue { class, to, amount } => {
					owner::equity_issue(&chain, &wallet, class, parse_account(&to)?, amount).await
				}
				EquityCommand::Transfer { class, to, amount } => {
					owner::equity_transfer(&chain, &wallet, class, parse_account(&to)?, amount)
						.await
				}
				EquityCommand::Distribute { class, amount: value } => {
					owner::equity_distribute(&chain, &wallet, class, amount(&value)?).await
				}
				EquityCommand::Claim { class } => owner::equity_claim(&chain, &wallet, class).await,
				EquityCommand::Show { class, holder } => {
					let holder = holder.map(|holder| parse_account(&holder)).transpose()?;
					owner::equity_show(&chain, class, holder).await
				}
			}
		}
		Command::Revenue { dataset, class } => {
			owner::set_revenue(&chain().await?, &wallet()?, dataset, class).await
		}
		Command::Channel(command) => {
			let chain = chain().await?;
			let wallet = wallet()?;
			match command {
				ChannelCommand::Open { payee, deposit } => {
					consumer::open_channel(
						&chain,
						&wallet,
						parse_account(&payee)?,
						amount(&deposit)?,
					)
					.await
				}
				ChannelCommand::TopUp { channel, amount: value } => {
					consumer::top_up(&chain, &wallet, channel, amount(&value)?).await
				}
				ChannelCommand::Close { channel } => {
					consumer::close(&chain, &wallet, channel).await
				}
				ChannelCommand::Finalize { channel } => {
					consumer::finalize(&chain, &wallet, channel).await
				}
				ChannelCommand::Show { channel } => consumer::show_channel(&chain, channel).await,
			}
		}
		Command::Call { dataset, query, channel, timeout } => {
			let pay = match channel {
				Some(channel) => consumer::PayWith::Channel(channel),
				None => consumer::PayWith::Balance,
			};
			consumer::call(
				&chain().await?,
				&wallet()?,
				dataset,
				&query,
				pay,
				Duration::from_secs(timeout),
				say,
			)
			.await
		}
		Command::Complain { job, secret } => {
			consumer::complain(&chain().await?, &wallet()?, job, secret).await
		}
		Command::Jobs { job } => consumer::show_jobs(&chain().await?, job).await,
		Command::Worker(WorkerCommand::Register { key_uri, key, proof, bond }) => {
			let chain = chain().await?;
			let wallet = wallet()?;
			let key = match (key_uri, key, proof) {
				(Some(uri), _, _) => consumer::WorkerKeyInput::Secret(uri),
				(None, Some(key), Some(proof)) => consumer::WorkerKeyInput::Proven { key, proof },
				_ => {
					return Err(anyhow::anyhow!(
						"give --key-uri, or --key with --proof (see `worker prove`)"
					))
				}
			};
			consumer::register_worker(&chain, &wallet, key, amount(&bond)?).await
		}
		Command::Worker(WorkerCommand::Prove { key_uri, account }) => {
			let chain = chain().await?;
			let who = match account {
				Some(account) => parse_account(&account)?,
				None => wallet()?.account(),
			};
			consumer::prove_worker_key(&chain, &key_uri, who)
		}
		Command::Worker(WorkerCommand::Show { account }) => {
			let who = match account {
				Some(account) => parse_account(&account)?,
				None => wallet()?.account(),
			};
			consumer::show_worker(&chain().await?, who).await
		}
		Command::Demo(DemoCommand::Patients { rows, seed, out }) => {
			local::synthetic_patients(rows, seed, &out)
		}
	}
}

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	let json = cli.json;
	match run(cli).await {
		Ok(report) => report.print(json),
		Err(error) => {
			let code = exit_code(&error);
			if json {
				println!(
					"{}",
					serde_json::json!({ "error": format!("{error:#}"), "exit_code": code })
				);
			} else {
				eprintln!("error: {error:#}");
			}
			std::process::exit(code);
		}
	}
}

/// A 32-byte secret as `0x`-hex.
fn parse_secret(text: &str) -> Result<[u8; 32], String> {
	let bytes = hex::decode(text.strip_prefix("0x").unwrap_or(text))
		.map_err(|error| format!("not hex: {error}"))?;
	bytes.try_into().map_err(|bytes: Vec<u8>| format!("{} bytes, not 32", bytes.len()))
}
