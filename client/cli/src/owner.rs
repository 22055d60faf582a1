//! The data owner's side on chain: key sets, datasets as data tokens (encrypt, register,
//! upload with a progress bar), their terms and retirement, equity classes and revenue.

use std::{path::Path, time::Instant};

use anyhow::{anyhow, bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use polkadot_sdk::{frame_support::BoundedVec, pallet_nfts};
use serde_json::json;
use tokenfactory_fhe::{
	dataset::{key_set_manifest, key_set_pieces},
	OwnerKeys,
};
use tokenfactory_primitives::{
	datasets::{BlobKind, BlobSpec, BlobTarget, DatasetId, KeySetId, ProgramKind, ProgramPolicy},
	programs::ColumnWidth,
};
use tokenfactory_runtime::{AccountId, Balance, Runtime, RuntimeCall, RuntimeEvent};

use crate::{
	chain::{Chain, Included},
	fail, format_amount,
	report::Report,
	wallet::{ss58, Wallet},
	Failure,
};

type DataRegistryCall = pallet_data_registry::Call<Runtime>;
type DataRegistryEvent = pallet_data_registry::Event<Runtime>;
type EquityCall = pallet_equity::Call<Runtime>;

/// The largest blob one upload carries (the runtime's `MaxChunkSize`).
pub const MAX_CHUNK: usize = 1024 * 1024;

fn to_spec(entry: &tokenfactory_fhe::dataset::BlobEntry) -> Result<BlobSpec> {
	use tokenfactory_fhe::dataset::BlobKind as Kind;
	Ok(BlobSpec {
		kind: match entry.kind {
			Kind::ServerKeyChunk => BlobKind::ServerKeyChunk,
			Kind::PublicKey => BlobKind::PublicKey,
			Kind::ProofParameters => BlobKind::ProofParameters,
			Kind::Ciphertexts => BlobKind::Ciphertexts,
		},
		size: u32::try_from(entry.size).map_err(|_| anyhow!("a blob above 4 GiB"))?,
		hash: entry.hash,
	})
}

fn bounded<S: polkadot_sdk::frame_support::traits::Get<u32>>(
	what: &str,
	bytes: &[u8],
) -> Result<BoundedVec<u8, S>> {
	bytes.to_vec().try_into().map_err(|_| {
		fail(Failure::Input, anyhow!("{what} is longer than the chain allows ({} bytes)", S::get()))
	})
}

/// Uploads `blobs` of `target` (skipping those the chain already has), with a progress bar.
async fn upload(
	chain: &Chain,
	wallet: &Wallet,
	target: BlobTarget,
	blobs: Vec<Vec<u8>>,
) -> Result<(usize, usize)> {
	let mut calls = Vec::new();
	let mut bytes = 0;
	for (index, blob) in blobs.into_iter().enumerate() {
		let key = pallet_data_registry::Blobs::<Runtime>::hashed_key_for(target, index as u32);
		let info: Option<pallet_data_registry::BlobInfo> = chain.storage(key).await?;
		if info.is_some_and(|info| info.present) {
			continue;
		}
		bytes += blob.len();
		calls.push(RuntimeCall::DataRegistry(DataRegistryCall::upload_chunk {
			target,
			index: index as u32,
			bytes: blob
				.try_into()
				.map_err(|_| anyhow!("a blob is above the chain's chunk size"))?,
		}));
	}
	let count = calls.len();
	if count == 0 {
		return Ok((0, 0));
	}
	let bar = ProgressBar::new(count as u64);
	if let Ok(style) =
		ProgressStyle::with_template("uploading {bar:40} {pos}/{len} blobs {elapsed}/{eta}")
	{
		bar.set_style(style);
	}
	// A few blocks' worth at a time: the pool holds them all, blocks take three or so each.
	for batch in calls.chunks(12) {
		chain.submit_all(&wallet.keypair, batch.to_vec(), |_| bar.inc(1)).await?;
	}
	bar.finish_and_clear();
	Ok((count, bytes))
}

fn chain_record(dir: &Path, chain: &Chain) -> std::path::PathBuf {
	dir.join(format!("chain-{}.key-set", hex::encode(&chain.genesis_hash().0[..8])))
}

/// Makes sure the key set of `keys` is registered by `wallet` and every blob uploaded;
/// returns its id. The id is remembered in the key directory per chain.
///
/// # Errors
///
/// Refused transactions.
pub async fn ensure_key_set(
	chain: &Chain,
	wallet: &Wallet,
	dir: &Path,
	keys: &OwnerKeys,
	report: &mut Report,
) -> Result<KeySetId> {
	let commitment = keys.key_commitment();
	let record = chain_record(dir, chain);
	let remembered: Option<KeySetId> =
		std::fs::read_to_string(&record).ok().and_then(|text| text.trim().parse().ok());
	let blobs = keys.public.to_blobs()?;
	let manifest = key_set_manifest(&blobs, MAX_CHUNK);
	let pieces: Vec<Vec<u8>> =
		key_set_pieces(&blobs, MAX_CHUNK).into_iter().map(|(_, bytes)| bytes).collect();

	// The decryptor signs reveals with a key derived from the secret key: register its public
	// half with the key set.
	let decryptor = {
		use polkadot_sdk::sp_core::Pair;
		polkadot_sdk::sp_core::sr25519::Pair::from_seed(&keys.decryptor_seed()).public()
	};
	let existing = match remembered {
		Some(id) => {
			let record: Option<pallet_data_registry::KeySet<Runtime>> =
				chain.storage(pallet_data_registry::KeySets::<Runtime>::hashed_key_for(id)).await?;
			match record.filter(|record| {
				record.key_commitment == commitment && record.owner == wallet.account()
			}) {
				Some(record) => {
					if record.decryptor != Some(decryptor) {
						// Registered before decryptor keys existed: name ours.
						chain
							.submit(
								&wallet.keypair,
								RuntimeCall::DataRegistry(DataRegistryCall::set_decryptor {
									key_set: id,
									decryptor,
								}),
							)
							.await?;
					}
					Some(id)
				}
				None => None,
			}
		}
		None => None,
	};
	let id = match existing {
		Some(id) => id,
		None => {
			let specs = manifest.iter().map(to_spec).collect::<Result<Vec<_>>>()?;
			let included = chain
				.submit(
					&wallet.keypair,
					RuntimeCall::DataRegistry(DataRegistryCall::register_key_set {
						parameter_set: tokenfactory_fhe::params::PARAMETER_SET_NUMBER,
						key_commitment: commitment,
						decryptor,
						blobs: specs.try_into().map_err(|_| {
							anyhow!("the key set has more blobs than the chain allows")
						})?,
					}),
				)
				.await?;
			let id = included
				.events
				.iter()
				.find_map(|event| match event {
					RuntimeEvent::DataRegistry(DataRegistryEvent::KeySetRegistered {
						key_set,
						..
					}) => Some(*key_set),
					_ => None,
				})
				.ok_or_else(|| anyhow!("no KeySetRegistered event"))?;
			std::fs::write(&record, id.to_string())
				.with_context(|| format!("cannot write {}", record.display()))?;
			id
		}
	};
	let started = Instant::now();
	let (uploaded, bytes) = upload(chain, wallet, BlobTarget::KeySet(id), pieces).await?;
	report.push("key_set", json!(id));
	if uploaded > 0 {
		report.push(
			"key_set_upload",
			json!(format!(
				"{uploaded} blobs, {:.1} MB in {:.1} s",
				bytes as f64 / 1e6,
				started.elapsed().as_secs_f64()
			)),
		);
	}
	Ok(id)
}

/// What a dataset registration needs.
pub struct DatasetSpec<'a> {
	/// The owner's key directory.
	pub keys: &'a Path,
	/// The plaintext CSV.
	pub csv: &'a Path,
	/// `name:bits,...`.
	pub schema: &'a str,
	/// Its name.
	pub name: &'a str,
	/// Its description.
	pub description: &'a str,
	/// Price per call, planck.
	pub price: Balance,
	/// Allowed programs.
	pub programs: Vec<ProgramKind>,
	/// The cohort gate.
	pub min_cohort: u32,
	/// At most this many predicates per query.
	pub max_predicates: Option<u8>,
	/// An existing NFT collection of the owner, or `None` to create one.
	pub collection: Option<u32>,
	/// Where the encrypted chunks are written.
	pub out: &'a Path,
	/// Rows per chunk.
	pub rows_per_chunk: usize,
}

/// Encrypts a CSV, registers it as a data token and uploads its chunks.
///
/// # Errors
///
/// Bad input, or a refused transaction.
pub async fn register_dataset(
	chain: &Chain,
	wallet: &Wallet,
	spec: DatasetSpec<'_>,
) -> Result<Report> {
	let started = Instant::now();
	let keys = crate::local::load_keys(spec.keys)?;
	let mut report = Report::new("dataset registered as a data token");
	let key_set = ensure_key_set(chain, wallet, spec.keys, &keys, &mut report).await?;

	let mut events = Vec::new();
	let collection = match spec.collection {
		Some(collection) => collection,
		None => {
			let included = chain
				.submit(
					&wallet.keypair,
					RuntimeCall::Nfts(pallet_nfts::Call::create {
						admin: polkadot_sdk::sp_runtime::MultiAddress::Id(wallet.account()),
						config: pallet_nfts::CollectionConfig {
							settings: pallet_nfts::CollectionSettings::all_enabled(),
							max_supply: None,
							mint_settings: pallet_nfts::MintSettings::default(),
						},
					}),
				)
				.await?;
			let collection = included
				.events
				.iter()
				.find_map(|event| match event {
					RuntimeEvent::Nfts(pallet_nfts::Event::Created { collection, .. }) => {
						Some(*collection)
					}
					_ => None,
				})
				.ok_or_else(|| anyhow!("no Nfts::Created event"))?;
			events.extend(included.events);
			collection
		}
	};

	let dataset_id: DatasetId = chain
		.storage(pallet_data_registry::NextDatasetId::<Runtime>::hashed_key().to_vec())
		.await?
		.unwrap_or(0);
	let (manifest, chunks, plain, encrypt_report) = crate::local::encrypt(
		&keys.public,
		spec.csv,
		spec.schema,
		dataset_id,
		spec.rows_per_chunk,
		spec.out,
	)?;
	report.push("encryption", encrypt_report.to_json());

	let schema = manifest
		.named_schema()?
		.into_iter()
		.map(|(name, width)| {
			Ok(pallet_data_registry::Column {
				name: bounded("a column name", name.as_bytes())?,
				width,
			})
		})
		.collect::<Result<Vec<_>>>()?;
	let programs = spec
		.programs
		.iter()
		.map(|kind| ProgramPolicy {
			kind: *kind,
			min_cohort: None,
			max_predicates: spec.max_predicates,
		})
		.collect::<Vec<_>>();
	let specs = chunks
		.iter()
		.enumerate()
		.map(|(index, chunk)| {
			to_spec(&tokenfactory_fhe::dataset::BlobEntry::new(
				tokenfactory_fhe::dataset::BlobKind::Ciphertexts,
				index as u32,
				chunk,
			))
		})
		.collect::<Result<Vec<_>>>()?;
	let included = chain
		.submit(
			&wallet.keypair,
			RuntimeCall::DataRegistry(DataRegistryCall::register {
				collection,
				key_set,
				description: pallet_data_registry::DatasetDescription::<Runtime> {
					name: bounded("the name", spec.name.as_bytes())?,
					description: bounded("the description", spec.description.as_bytes())?,
					schema: schema
						.try_into()
						.map_err(|_| fail(Failure::Input, anyhow!("too many columns")))?,
					rows: u32::try_from(manifest.rows).map_err(|_| anyhow!("too many rows"))?,
				},
				terms: pallet_data_registry::DatasetTerms::<Runtime> {
					price: spec.price,
					programs: programs
						.try_into()
						.map_err(|_| fail(Failure::Input, anyhow!("too many programs")))?,
					min_cohort: spec.min_cohort,
				},
				blobs: specs.try_into().map_err(|_| {
					fail(Failure::Input, anyhow!("too many chunks: use larger chunks"))
				})?,
			}),
		)
		.await?;
	let registered = included.events.iter().find_map(|event| match event {
		RuntimeEvent::DataRegistry(DataRegistryEvent::DatasetRegistered { dataset, .. }) => {
			Some(*dataset)
		}
		_ => None,
	});
	if registered != Some(dataset_id) {
		bail!(
			"the chain registered the dataset as {registered:?}, but its chunks were encrypted for id \
			 {dataset_id} (someone registered another dataset at the same time): retire it and run \
			 this again"
		);
	}
	// The owner's decryptor checks every agreed result against the plaintext before it
	// reveals anything: keep the table beside the secret key (owner-only), under the id the
	// chain gave the dataset.
	tokenfactory_fhe::keys::save_plaintext(spec.keys, dataset_id, &plain.rows)
		.map_err(|error| anyhow!("cannot keep the plaintext table with the keys: {error}"))?;
	events.extend(included.events);
	let upload_started = Instant::now();
	let (uploaded, bytes) = upload(chain, wallet, BlobTarget::Dataset(dataset_id), chunks).await?;
	let record: Option<pallet_data_registry::Dataset<Runtime>> = chain
		.storage(pallet_data_registry::Datasets::<Runtime>::hashed_key_for(dataset_id))
		.await?;
	let status = record.map(|record| format!("{:?}", record.status)).unwrap_or_default();
	Ok(report
		.field("dataset", dataset_id)
		.field("nft", format!("collection {collection}, item {dataset_id}"))
		.field("owner", ss58(&wallet.account()))
		.field("price", format_amount(spec.price))
		.field("min_cohort", spec.min_cohort)
		.field(
			"upload",
			format!(
				"{uploaded} chunks, {:.1} MB in {:.1} s",
				bytes as f64 / 1e6,
				upload_started.elapsed().as_secs_f64()
			),
		)
		.field("status", status)
		.events(&events)
		.took(started.elapsed()))
}

/// Submits a single owner call and reports its events.
///
/// # Errors
///
/// A refused transaction.
pub async fn simple(
	chain: &Chain,
	wallet: &Wallet,
	title: &str,
	call: RuntimeCall,
) -> Result<Report> {
	let Included { events, elapsed, .. } = chain.submit(&wallet.keypair, call).await?;
	Ok(Report::new(title).events(&events).took(elapsed))
}

/// `dataset set-price`.
///
/// # Errors
///
/// A refused transaction.
pub async fn set_price(
	chain: &Chain,
	wallet: &Wallet,
	dataset: DatasetId,
	price: Balance,
) -> Result<Report> {
	simple(
		chain,
		wallet,
		&format!("dataset {dataset} now costs {}", format_amount(price)),
		RuntimeCall::DataRegistry(DataRegistryCall::set_price { dataset, price }),
	)
	.await
}

/// `keys bond`: adds `amount` to the bond of the caller's key set.
///
/// # Errors
///
/// A refused transaction (not the key set's owner, a retired key set, too little balance).
pub async fn bond_key_set(
	chain: &Chain,
	wallet: &Wallet,
	key_set: tokenfactory_primitives::datasets::KeySetId,
	amount: Balance,
) -> Result<Report> {
	simple(
		chain,
		wallet,
		&format!("key set {key_set}'s bond grew by {}", format_amount(amount)),
		RuntimeCall::DataRegistry(DataRegistryCall::bond_key_set { key_set, amount }),
	)
	.await
}

/// `dataset retire`.
///
/// # Errors
///
/// A refused transaction.
pub async fn retire(chain: &Chain, wallet: &Wallet, dataset: DatasetId) -> Result<Report> {
	simple(
		chain,
		wallet,
		&format!("dataset {dataset} retired"),
		RuntimeCall::DataRegistry(DataRegistryCall::retire { dataset }),
	)
	.await
}

/// `revenue`: route a dataset's revenue to an equity class (or back to the owner).
///
/// # Errors
///
/// A refused transaction.
pub async fn set_revenue(
	chain: &Chain,
	wallet: &Wallet,
	dataset: DatasetId,
	class: Option<u32>,
) -> Result<Report> {
	let title = match class {
		Some(class) => {
			format!("dataset {dataset}'s revenue now goes to equity class {class} as dividends")
		}
		None => format!("dataset {dataset}'s revenue now goes to its owner"),
	};
	simple(
		chain,
		wallet,
		&title,
		RuntimeCall::DataRegistry(DataRegistryCall::set_revenue_destination { dataset, class }),
	)
	.await
}

/// A dataset's on-chain record, with its schema names (for the query language).
pub struct DatasetView {
	/// The record.
	pub record: pallet_data_registry::Dataset<Runtime>,
	/// `(name, width)` per column.
	pub schema: Vec<(String, ColumnWidth)>,
}

/// Reads dataset `id`.
///
/// # Errors
///
/// [`Failure::Chain`] if there is none.
pub async fn dataset(chain: &Chain, id: DatasetId) -> Result<DatasetView> {
	let record: pallet_data_registry::Dataset<Runtime> = chain
		.storage(pallet_data_registry::Datasets::<Runtime>::hashed_key_for(id))
		.await?
		.ok_or_else(|| {
			fail(
				Failure::Chain,
				anyhow!("no dataset {id} on this chain (`tokenfactory datasets` lists them)"),
			)
		})?;
	let schema = record
		.description
		.schema
		.iter()
		.map(|column| (String::from_utf8_lossy(&column.name).into_owned(), column.width))
		.collect();
	Ok(DatasetView { record, schema })
}

/// `dataset show`.
///
/// # Errors
///
/// No such dataset.
pub async fn show_dataset(chain: &Chain, id: DatasetId) -> Result<Report> {
	let DatasetView { record, schema } = dataset(chain, id).await?;
	Ok(Report::new(format!("dataset {id}: {}", String::from_utf8_lossy(&record.description.name)))
		.field("description", String::from_utf8_lossy(&record.description.description).into_owned())
		.field(
			"schema",
			schema
				.iter()
				.map(|(name, width)| format!("{name}:{}", width.bits()))
				.collect::<Vec<_>>()
				.join(", "),
		)
		.field("rows", record.description.rows)
		.field("price", format_amount(record.terms.price))
		.field(
			"programs",
			format!("{:?}", record.terms.programs.iter().map(|p| p.kind).collect::<Vec<_>>()),
		)
		.field("min_cohort", record.terms.min_cohort)
		.field("status", format!("{:?}", record.status))
		.field("key_set", record.key_set)
		.field("nft", format!("collection {:?}, item {id}", record.collection))
		.field("running_jobs", record.running_jobs)
		.field("revenue_to_class", format!("{:?}", record.revenue_class.map(|(_, class)| class))))
}

/// `datasets`: every dataset on chain.
///
/// # Errors
///
/// The node cannot serve state.
pub async fn list_datasets(chain: &Chain) -> Result<Report> {
	let next: DatasetId = chain
		.storage(pallet_data_registry::NextDatasetId::<Runtime>::hashed_key().to_vec())
		.await?
		.unwrap_or(0);
	let mut report = Report::new(format!("{next} datasets registered"));
	for id in 0..next {
		if let Ok(DatasetView { record, schema }) = dataset(chain, id).await {
			report.push(
				&format!("dataset {id}"),
				json!(format!(
					"{} | {} rows | {} | {} | {:?}",
					String::from_utf8_lossy(&record.description.name),
					record.description.rows,
					schema
						.iter()
						.map(|(name, width)| format!("{name}:{}", width.bits()))
						.collect::<Vec<_>>()
						.join(","),
					format_amount(record.terms.price),
					record.status
				)),
			);
		}
	}
	Ok(report)
}

/// `equity create`.
///
/// # Errors
///
/// A refused transaction.
pub async fn equity_create(
	chain: &Chain,
	wallet: &Wallet,
	name: &str,
	symbol: &str,
	max_supply: u128,
	allowlist: bool,
) -> Result<Report> {
	use polkadot_sdk::sp_runtime::Perbill;
	let call = RuntimeCall::Equity(EquityCall::create_class {
		name: bounded("the name", name.as_bytes())?,
		symbol: bounded("the symbol", symbol.as_bytes())?,
		max_supply,
		compliance: if allowlist {
			pallet_equity::Compliance::Allowlist
		} else {
			pallet_equity::Compliance::Open
		},
		transfers_locked_until: None,
		governance: pallet_equity::GovernanceParams {
			proposal_threshold: (max_supply / 100).max(1),
			quorum: Perbill::from_percent(20),
			approval: Perbill::from_percent(50),
			// A day of six-second blocks (the runtime allows an hour to thirty days).
			voting_period: 14_400,
		},
	});
	let included = chain.submit(&wallet.keypair, call).await?;
	let class = included.events.iter().find_map(|event| match event {
		RuntimeEvent::Equity(pallet_equity::Event::ClassCreated { class, .. }) => Some(*class),
		_ => None,
	});
	Ok(Report::new(format!("equity class {symbol} created"))
		.field("class", json!(class))
		.events(&included.events)
		.took(included.elapsed))
}

/// `equity issue`.
///
/// # Errors
///
/// A refused transaction.
pub async fn equity_issue(
	chain: &Chain,
	wallet: &Wallet,
	class: u32,
	to: AccountId,
	amount: u128,
) -> Result<Report> {
	simple(
		chain,
		wallet,
		&format!("{amount} shares of class {class} issued to {}", ss58(&to)),
		RuntimeCall::Equity(EquityCall::issue { class, to, amount }),
	)
	.await
}

/// `equity transfer`.
///
/// # Errors
///
/// A refused transaction.
pub async fn equity_transfer(
	chain: &Chain,
	wallet: &Wallet,
	class: u32,
	to: AccountId,
	amount: u128,
) -> Result<Report> {
	simple(
		chain,
		wallet,
		&format!("{amount} shares of class {class} sent to {}", ss58(&to)),
		RuntimeCall::Equity(EquityCall::transfer { class, to, amount }),
	)
	.await
}

/// `equity distribute`: pay `amount` into the class's dividend pool.
///
/// # Errors
///
/// A refused transaction.
pub async fn equity_distribute(
	chain: &Chain,
	wallet: &Wallet,
	class: u32,
	amount: Balance,
) -> Result<Report> {
	simple(
		chain,
		wallet,
		&format!("{} paid into class {class}'s dividend pool", format_amount(amount)),
		RuntimeCall::Equity(EquityCall::deposit_dividend { class, amount }),
	)
	.await
}

/// `equity claim`.
///
/// # Errors
///
/// A refused transaction.
pub async fn equity_claim(chain: &Chain, wallet: &Wallet, class: u32) -> Result<Report> {
	let included =
		chain.submit(&wallet.keypair, RuntimeCall::Equity(EquityCall::claim { class })).await?;
	let claimed = included.events.iter().find_map(|event| match event {
		RuntimeEvent::Equity(pallet_equity::Event::DividendClaimed { amount, .. }) => Some(*amount),
		_ => None,
	});
	Ok(Report::new(format!("{} claimed dividends of class {class}", ss58(&wallet.account())))
		.field("claimed", claimed.map(format_amount).unwrap_or_else(|| "nothing".into()))
		.events(&included.events)
		.took(included.elapsed))
}

/// `equity show`.
///
/// # Errors
///
/// No such class.
pub async fn equity_show(chain: &Chain, class: u32, holder: Option<AccountId>) -> Result<Report> {
	let record: pallet_equity::ShareClass<Runtime> = chain
		.storage(pallet_equity::Classes::<Runtime>::hashed_key_for(class))
		.await?
		.ok_or_else(|| fail(Failure::Chain, anyhow!("no equity class {class}")))?;
	let mut report =
		Report::new(format!("equity class {class}: {}", String::from_utf8_lossy(&record.name)))
			.field("symbol", String::from_utf8_lossy(&record.symbol).into_owned())
			.field("issuer", ss58(&record.issuer))
			// Resolutions act for this keyless account: transfer a dataset NFT to it to have
			// the holders govern that dataset.
			.field(
				"company_account",
				ss58(&pallet_equity::Pallet::<Runtime>::company_account(class)),
			)
			.field("record", format!("{record:?}"));
	if let Some(holder) = holder {
		let key = pallet_equity::Holders::<Runtime>::hashed_key_for(class, &holder);
		let position: Option<pallet_equity::HolderDividend> = chain.storage(key).await?;
		report.push("holder", json!(ss58(&holder)));
		report.push("dividend_position", json!(format!("{position:?}")));
	}
	Ok(report)
}
