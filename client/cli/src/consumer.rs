//! The consumer's side: payment channels, paid calls answered with a proven result that is
//! opened and checked here, and views of jobs and workers.

use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use serde_json::json;
use tokenfactory_fhe::compact::outputs_from_digits;
use tokenfactory_primitives::{
	compute::{JobId, JobOrder, Payment, Quote},
	datasets::DatasetId,
	programs::AggregateResult,
	voucher::{ChannelId, JobVoucher},
};
use tokenfactory_runtime::{AccountId, Balance, Runtime, RuntimeCall, RuntimeEvent};

use crate::{
	chain::Chain,
	fail, format_amount,
	owner::{self, DatasetView},
	report::Report,
	wallet::{ss58, Wallet},
	Failure,
};

type ChannelsCall = pallet_payment_channels::Call<Runtime>;
type ComputeCall = pallet_compute::Call<Runtime>;
type ComputeEvent = pallet_compute::Event<Runtime>;

/// `channel open`.
///
/// # Errors
///
/// A refused transaction.
pub async fn open_channel(
	chain: &Chain,
	wallet: &Wallet,
	payee: AccountId,
	deposit: Balance,
) -> Result<Report> {
	let included = chain
		.submit(
			&wallet.keypair,
			RuntimeCall::PaymentChannels(ChannelsCall::open {
				payee: polkadot_sdk::sp_runtime::MultiAddress::Id(payee.clone()),
				deposit,
			}),
		)
		.await?;
	let channel = included.events.iter().find_map(|event| match event {
		RuntimeEvent::PaymentChannels(pallet_payment_channels::Event::ChannelOpened {
			channel,
			..
		}) => Some(*channel),
		_ => None,
	});
	Ok(Report::new(format!("channel to {} opened with {}", ss58(&payee), format_amount(deposit)))
		.field("channel", json!(channel))
		.events(&included.events)
		.took(included.elapsed))
}

/// `channel top-up`.
///
/// # Errors
///
/// A refused transaction.
pub async fn top_up(
	chain: &Chain,
	wallet: &Wallet,
	channel: ChannelId,
	amount: Balance,
) -> Result<Report> {
	owner::simple(
		chain,
		wallet,
		&format!("channel {channel} topped up by {}", format_amount(amount)),
		RuntimeCall::PaymentChannels(ChannelsCall::top_up { channel, amount }),
	)
	.await
}

/// `channel close`: the payer asks to close; the payee has the challenge period to claim.
///
/// # Errors
///
/// A refused transaction.
pub async fn close(chain: &Chain, wallet: &Wallet, channel: ChannelId) -> Result<Report> {
	owner::simple(
		chain,
		wallet,
		&format!("channel {channel}: close requested (finalize after the challenge period)"),
		RuntimeCall::PaymentChannels(ChannelsCall::request_close { channel }),
	)
	.await
}

/// `channel finalize`: after the challenge period, the rest goes back to the payer.
///
/// # Errors
///
/// A refused transaction.
pub async fn finalize(chain: &Chain, wallet: &Wallet, channel: ChannelId) -> Result<Report> {
	owner::simple(
		chain,
		wallet,
		&format!("channel {channel} closed"),
		RuntimeCall::PaymentChannels(ChannelsCall::finalize_close { channel }),
	)
	.await
}

async fn channel(
	chain: &Chain,
	id: ChannelId,
) -> Result<pallet_payment_channels::ChannelOf<Runtime>> {
	chain
		.storage(pallet_payment_channels::Channels::<Runtime>::hashed_key_for(id))
		.await?
		.ok_or_else(|| fail(Failure::Chain, anyhow!("no channel {id} on this chain")))
}

/// `channel show`.
///
/// # Errors
///
/// No such channel.
pub async fn show_channel(chain: &Chain, id: ChannelId) -> Result<Report> {
	let record = channel(chain, id).await?;
	Ok(Report::new(format!("channel {id}"))
		.field("payer", ss58(&record.payer))
		.field("payee", ss58(&record.payee))
		.field("deposit", format_amount(record.deposit))
		.field("settled", format_amount(record.settled))
		.field("charged_to_jobs", format_amount(record.charged))
		.field("job_vouchers", record.job_nonce)
		.field("unsettled", format_amount(record.unsettled()))
		.field("closes_at", json!(record.closes_at)))
}

/// How [`call`] pays.
pub enum PayWith {
	/// The caller's free balance.
	Balance,
	/// A voucher on this channel (the caller is its payer).
	Channel(ChannelId),
}

/// Buys one evaluation of `query_text` on `dataset`, waits for the proven result, opens it,
/// checks it against the proven commitment and reports the answer.
///
/// # Errors
///
/// An invalid query ([`Failure::Input`]), a refused job ([`Failure::Chain`]), a job refunded or
/// not finished in `timeout` ([`Failure::Timeout`]), a seal that does not match the proof
/// ([`Failure::Verification`]).
pub async fn call(
	chain: &Chain,
	wallet: &Wallet,
	dataset: DatasetId,
	query_text: &str,
	pay: PayWith,
	timeout: Duration,
	mut progress: impl FnMut(&str),
) -> Result<Report> {
	let started = Instant::now();
	let DatasetView { record, schema } = owner::dataset(chain, dataset).await?;
	let query =
		crate::query::parse(&schema, query_text).map_err(|error| fail(Failure::Input, error))?;
	let quote: Result<Quote<Balance>, polkadot_sdk::sp_runtime::DispatchError> =
		chain.runtime_api("ComputeApi_quote", &(dataset, query.clone())).await?;
	let quote = quote.map_err(|error| {
		fail(Failure::Chain, anyhow!("the chain would refuse this job: {error:?}"))
	})?;
	progress(&format!(
		"quote: {} for {} on dataset {dataset} ({}), {} workers, cohort gate {}",
		format_amount(quote.price),
		crate::query::describe(&schema, &query),
		String::from_utf8_lossy(&record.description.name),
		quote.replicas,
		quote.min_cohort
	));
	// A fresh sealing key for this job only: a complaint publishes its secret, which then
	// reveals this answer and nothing else. Saved before the job is submitted, so that a
	// crash or a timeout does not lose the answer or the right to complain.
	let sealing = tokenfactory_zk::seal::SealingSecret::random(&mut rand::rngs::OsRng);
	let consumer_key = sealing.public();
	save_sealing_secret(&sealing)?;
	let payment = match pay {
		PayWith::Balance => Payment::FreeBalance,
		PayWith::Channel(id) => {
			let state = channel(chain, id).await?;
			if quote.price > state.unsettled() {
				return Err(fail(
					Failure::Input,
					anyhow!(
						"channel {id} has {} left, the call costs {}: top it up",
						format_amount(state.unsettled()),
						format_amount(quote.price)
					),
				));
			}
			// A job voucher pays for this job only: its dataset, query and sealing key.
			let voucher = JobVoucher {
				channel: id,
				nonce: state.job_nonce.saturating_add(1),
				max_price: quote.price,
				job: JobOrder::new(dataset, &query, &consumer_key).hash(),
			};
			let signature =
				voucher.using_payload(&chain.genesis_hash(), |payload| wallet.sign(payload));
			Payment::Voucher { voucher, signature }
		}
	};
	let included = chain
		.submit(
			&wallet.keypair,
			RuntimeCall::Compute(ComputeCall::submit_job {
				dataset,
				query: query.clone(),
				payment,
				consumer_key,
			}),
		)
		.await
		.map_err(|error| fail(Failure::Chain, error))?;
	let job = included
		.events
		.iter()
		.find_map(|event| match event {
			RuntimeEvent::Compute(ComputeEvent::JobSubmitted { job, .. }) => Some(*job),
			_ => None,
		})
		.ok_or_else(|| anyhow!("no JobSubmitted event"))?;
	progress(&format!(
		"job {job} submitted in {:.1} s; its workers are drawn in the next block",
		included.elapsed.as_secs_f64()
	));

	let submitted = Instant::now();
	let mut seen_results = 0;
	let mut assigned = false;
	let mut agreed = false;
	let finished = loop {
		let record = job_record(chain, job).await?;
		if !assigned && !record.workers.is_empty() {
			assigned = true;
			progress(&format!(
				"job {job} assigned to {} ({:.1} s)",
				record.workers.iter().map(|a| ss58(&a.worker)).collect::<Vec<_>>().join(", "),
				submitted.elapsed().as_secs_f64()
			));
		}
		let results = record.workers.iter().filter(|a| a.result.is_some()).count();
		if results > seen_results {
			seen_results = results;
			progress(&format!(
				"job {job}: {results}/{} results after {:.1} s",
				record.workers.len(),
				submitted.elapsed().as_secs_f64()
			));
		}
		match &record.status {
			pallet_compute::JobStatus::AwaitingReveal { digest, .. } if !agreed => {
				agreed = true;
				progress(&format!(
					"job {job}: workers agree on digest 0x{}…, awaiting the owner's proof ({:.1} s)",
					&hex::encode(digest)[..16],
					submitted.elapsed().as_secs_f64()
				));
			}
			pallet_compute::JobStatus::Revealed { .. }
			| pallet_compute::JobStatus::Refunded { .. } => break record,
			_ => {}
		}
		if submitted.elapsed() > timeout {
			return Err(fail(
				Failure::Timeout,
				anyhow!("job {job} did not finish in {timeout:?}; `tokenfactory jobs {job}` shows where it is (the chain refunds it at its deadline)"),
			));
		}
		tokio::time::sleep(Duration::from_millis(1000)).await;
	};
	let latency = submitted.elapsed();

	let (result_commitment, sealed) =
		match &finished.status {
			pallet_compute::JobStatus::Revealed { result_commitment, sealed, .. } => {
				(*result_commitment, sealed.to_vec())
			}
			pallet_compute::JobStatus::Refunded { reason } => {
				return Err(fail(
				Failure::Timeout,
				anyhow!("job {job} was refunded ({reason:?}): the price came back, the job fee did not"),
			));
			}
			_ => return Err(anyhow!("job {job} is not finished")),
		};
	progress(&format!(
		"job {job}: proof verified on chain, result revealed ({:.1} s)",
		latency.as_secs_f64()
	));
	let digits = match tokenfactory_zk::reveal::open_reveal(
		&sealing,
		job,
		&result_commitment,
		&sealed,
	) {
		Ok(digits) => digits,
		Err(error) => {
			// The owner's fault: show the chain, which opens the seal itself and pays the price
			// and a penalty out of the owner's bond.
			progress(&format!(
				"job {job}: the sealed answer does not open to the proven result ({error}); complaining on chain"
			));
			let secret = sealing.secret();
			let outcome = match complain(chain, wallet, job, Some(secret)).await {
				Ok(report) => format!("the chain upheld the complaint: {}", report.summary()),
				Err(complaint) => format!(
					"the complaint failed ({complaint:#}); retry with `tokenfactory complain {job}` \
					 (the job's sealing key is saved under {})",
					sealing_dir().display()
				),
			};
			return Err(fail(
				Failure::Verification,
				anyhow!("job {job}: the owner's seal does not open to the proven result ({error}); {outcome}"),
			));
		}
	};
	let layout = finished
		.query
		.validate(&finished.schema, u64::from(finished.rows))
		.map_err(|error| anyhow!("the job's query no longer validates: {error}"))?;
	let outputs = outputs_from_digits(&digits, &layout, 4)
		.map_err(|error| fail(Failure::Verification, error))?;
	let aggregate = AggregateResult::from_outputs(&outputs);
	let agreeing = match &finished.status {
		pallet_compute::JobStatus::Revealed { digest, .. } => finished
			.workers
			.iter()
			.filter(|a| a.result.is_some_and(|r| &r.digest == digest))
			.count(),
		_ => 0,
	};
	let report =
		Report::new(format!("job {job}: answer opened and checked against the proven commitment"))
			.field("job", job)
			.field("price", format_amount(finished.price))
			.field("agreeing_workers", format!("{agreeing}/{}", finished.workers.len()))
			.field("result_commitment", format!("0x{}", hex::encode(result_commitment)))
			.field("latency_seconds", latency.as_secs_f64());
	Ok(crate::local::describe_aggregate(report, &finished.query, &schema, &aggregate)
		.took(started.elapsed()))
}

/// Where `call` keeps the secret of each job's sealing key, named by its public key.
pub fn sealing_dir() -> std::path::PathBuf {
	let base = std::env::var_os("XDG_DATA_HOME")
		.map(std::path::PathBuf::from)
		.or_else(|| {
			std::env::var_os("HOME").map(|home| std::path::Path::new(&home).join(".local/share"))
		})
		.unwrap_or_else(std::env::temp_dir);
	base.join("tokenfactory").join("sealing-keys")
}

fn save_sealing_secret(sealing: &tokenfactory_zk::seal::SealingSecret) -> Result<()> {
	use std::io::Write;
	use std::os::unix::fs::OpenOptionsExt;
	let dir = sealing_dir();
	std::fs::create_dir_all(&dir)
		.map_err(|error| anyhow!("cannot create {}: {error}", dir.display()))?;
	let path = dir.join(hex::encode(sealing.public()));
	let mut file =
		std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path).map_err(
			|error| anyhow!("cannot save the sealing key to {}: {error}", path.display()),
		)?;
	file.write_all(hex::encode(sealing.secret()).as_bytes())
		.map_err(|error| anyhow!("cannot save the sealing key to {}: {error}", path.display()))
}

fn load_sealing_secret(public: &[u8; 32]) -> Result<[u8; 32]> {
	let path = sealing_dir().join(hex::encode(public));
	let text = std::fs::read_to_string(&path).map_err(|error| {
		fail(
			Failure::Input,
			anyhow!("no saved sealing key for this job at {}: {error}", path.display()),
		)
	})?;
	let bytes = hex::decode(text.trim()).map_err(|error| anyhow!("{}: {error}", path.display()))?;
	bytes.try_into().map_err(|_| anyhow!("{}: not a 32-byte key", path.display()))
}

/// `complain JOB [SECRET]`: shows the chain that the seal of `job` does not open to its proven
/// result, by publishing the job's sealing secret; the owner's bond pays the price and the
/// reveal penalty to the job's consumer.
///
/// # Errors
///
/// The chain's refusal (`SealIsValid`, `WrongSealingSecret`, `NotRevealed`, ...).
pub async fn complain(
	chain: &Chain,
	wallet: &Wallet,
	job: JobId,
	sealing_secret: Option<[u8; 32]>,
) -> Result<Report> {
	let sealing_secret = match sealing_secret {
		Some(secret) => secret,
		None => load_sealing_secret(&job_record(chain, job).await?.consumer_key)?,
	};
	let included = chain
		.submit(
			&wallet.keypair,
			RuntimeCall::Compute(ComputeCall::complain { job, sealing_secret }),
		)
		.await
		.map_err(|error| fail(Failure::Chain, error))?;
	let paid = included
		.events
		.iter()
		.find_map(|event| match event {
			RuntimeEvent::Compute(ComputeEvent::OwnerPenalized {
				job: penalized, amount, ..
			}) if *penalized == job => Some(*amount),
			_ => None,
		})
		.ok_or_else(|| anyhow!("no OwnerPenalized event"))?;
	Ok(Report::new(format!(
		"job {job}: complaint upheld, {} paid to the consumer out of the owner's bond",
		format_amount(paid)
	))
	.field("job", job)
	.field("compensation", format_amount(paid)))
}

async fn job_record(chain: &Chain, job: JobId) -> Result<pallet_compute::Job<Runtime>> {
	chain.storage(pallet_compute::Jobs::<Runtime>::hashed_key_for(job)).await?.ok_or_else(|| {
		fail(Failure::Chain, anyhow!("no job {job} (finished jobs are kept for a day)"))
	})
}

/// `jobs [ID]`.
///
/// # Errors
///
/// No such job.
pub async fn show_jobs(chain: &Chain, job: Option<JobId>) -> Result<Report> {
	let next: JobId = chain
		.storage(pallet_compute::NextJobId::<Runtime>::hashed_key().to_vec())
		.await?
		.unwrap_or(0);
	let ids: Vec<JobId> = match job {
		Some(job) => vec![job],
		None => (next.saturating_sub(20)..next).collect(),
	};
	let mut report = Report::new(format!("{next} jobs submitted so far"));
	for id in ids {
		let Ok(record) = job_record(chain, id).await else { continue };
		let results: Vec<String> = record
			.workers
			.iter()
			.map(|a| match a.result {
				Some(result) => {
					format!("{}: 0x{}…", ss58(&a.worker), &hex::encode(result.digest)[..12])
				}
				None => format!("{}: pending", ss58(&a.worker)),
			})
			.collect();
		report.push(
			&format!("job {id}"),
			json!({
				"dataset": record.dataset,
				"consumer": ss58(&record.consumer),
				"price": format_amount(record.price),
				"phase": format!("{:?}", record.status.phase()),
				"result_blocks": record.result_blocks,
				"circuit_blocks": record.circuit_blocks,
				"submitted_at": record.submitted_at,
				// None while the job waits for the next block's draw: it has no deadlines yet.
				"result_deadline": (!matches!(record.status, pallet_compute::JobStatus::Assigning))
					.then_some(record.result_deadline),
				"workers": results,
			}),
		);
	}
	Ok(report)
}

/// How `worker register` gets the worker key and its proof of possession.
pub enum WorkerKeyInput {
	/// The key's secret URI: the CLI derives the key and signs the proof.
	Secret(String),
	/// The public key and a proof made where the secret is (`worker prove`), both hex.
	Proven {
		/// The sr25519 public key.
		key: String,
		/// The signature of the proof payload.
		proof: String,
	},
}

fn worker_pair(uri: &str) -> Result<polkadot_sdk::sp_core::sr25519::Pair> {
	use polkadot_sdk::sp_core::Pair;
	polkadot_sdk::sp_core::sr25519::Pair::from_string(uri, None)
		.map_err(|error| fail(Failure::Input, anyhow!("the worker key URI is invalid: {error:?}")))
}

fn key_proof(
	chain: &Chain,
	pair: &polkadot_sdk::sp_core::sr25519::Pair,
	account: &AccountId,
) -> polkadot_sdk::sp_core::sr25519::Signature {
	use codec::Encode;
	use polkadot_sdk::sp_core::Pair;
	tokenfactory_primitives::compute::WorkerKeyProof::new(chain.genesis_hash(), account)
		.using_encoded(|payload| pair.sign(payload))
}

fn hex32<const N: usize>(what: &str, text: &str) -> Result<[u8; N]> {
	hex::decode(text.trim_start_matches("0x"))
		.ok()
		.and_then(|bytes| bytes.try_into().ok())
		.ok_or_else(|| fail(Failure::Input, anyhow!("{what} must be {N} bytes of hex")))
}

/// `worker prove`: the worker key's signature that it computes for `account`.
///
/// # Errors
///
/// An invalid key URI.
pub fn prove_worker_key(chain: &Chain, uri: &str, account: AccountId) -> Result<Report> {
	use polkadot_sdk::sp_core::Pair;
	let pair = worker_pair(uri)?;
	let proof = key_proof(chain, &pair, &account);
	Ok(Report::new(format!("worker key proof for {}", ss58(&account)))
		.field("key", format!("0x{}", hex::encode(pair.public().0)))
		.field("proof", format!("0x{}", hex::encode(proof.0))))
}

/// `worker register`.
///
/// # Errors
///
/// A refused transaction, an invalid key URI, or a key or proof that is not hex of the right
/// length.
pub async fn register_worker(
	chain: &Chain,
	wallet: &Wallet,
	key: WorkerKeyInput,
	bond: Balance,
) -> Result<Report> {
	use polkadot_sdk::sp_core::{sr25519, Pair};
	let (key, proof) = match key {
		WorkerKeyInput::Secret(uri) => {
			let pair = worker_pair(&uri)?;
			let proof = key_proof(chain, &pair, &wallet.account());
			(pair.public(), proof)
		}
		WorkerKeyInput::Proven { key, proof } => (
			sr25519::Public::from_raw(hex32::<32>("the worker key", &key)?),
			sr25519::Signature::from_raw(hex32::<64>("the proof", &proof)?),
		),
	};
	owner::simple(
		chain,
		wallet,
		&format!("{} registered as an FHE worker", ss58(&wallet.account())),
		RuntimeCall::Compute(ComputeCall::register_worker { key, bond, proof }),
	)
	.await
}

/// `worker show`.
///
/// # Errors
///
/// Not a worker.
pub async fn show_worker(chain: &Chain, who: AccountId) -> Result<Report> {
	let worker: pallet_compute::Worker<Runtime> =
		chain.storage(pallet_compute::Workers::<Runtime>::hashed_key_for(&who)).await?.ok_or_else(
			|| fail(Failure::Chain, anyhow!("{} is not a registered worker", ss58(&who))),
		)?;
	Ok(Report::new(format!("worker {}", ss58(&who)))
		.field("key", format!("0x{}", hex::encode(worker.key.0)))
		.field("bond", format_amount(worker.bond))
		.field("status", format!("{:?}", worker.status))
		.field("open_jobs", worker.open_jobs))
}
