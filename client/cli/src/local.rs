//! What an owner does on its own machine: FHE keys, encrypting a CSV into proven chunks, and
//! evaluating and decrypting locally to test a query before anyone pays for it.
//!
//! An encrypted dataset directory holds `manifest.json` (dataset id, schema, rows, chunk
//! hashes) and `chunk-NNNN.bin`, one blob per chunk, exactly as uploaded.

use std::{
	path::{Path, PathBuf},
	time::Instant,
};

use anyhow::{anyhow, Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokenfactory_fhe::{
	dataset::{self, DatasetDescriptor, EncryptOptions, PlainDataset, Schema},
	EvaluatedResult, OwnerKeys, PublicKeySet, Worker,
};
use tokenfactory_primitives::programs::{AggregateResult, ColumnWidth, Query};

use crate::{fail, report::Report, Failure};

/// An encrypted dataset's description, as written beside its chunks.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct EncryptedManifest {
	/// The dataset id the chunks' proofs are bound to.
	pub dataset_id: u32,
	/// `name:bits` per column, in order.
	pub schema: Vec<(String, u32)>,
	/// Rows.
	pub rows: u64,
	/// Rows per chunk.
	pub rows_per_chunk: u64,
	/// Hex blake2-256 of each chunk.
	pub chunk_hashes: Vec<String>,
	/// Hex id of the key set (blake2-256 of its compact public key).
	pub key_set: String,
}

impl EncryptedManifest {
	/// The schema as the query parser needs it.
	pub fn named_schema(&self) -> Result<Vec<(String, ColumnWidth)>> {
		self.schema
			.iter()
			.map(|(name, bits)| {
				ColumnWidth::from_bits(*bits)
					.map(|width| (name.clone(), width))
					.ok_or_else(|| anyhow!("column {name} has width {bits}, not 8, 16 or 32"))
			})
			.collect()
	}
}

fn chunk_path(dir: &Path, index: usize) -> PathBuf {
	dir.join(format!("chunk-{index:04}.bin"))
}

/// Generates an owner's keys into `dir`.
///
/// # Errors
///
/// The directory cannot be written.
pub fn keys_new(dir: &Path) -> Result<Report> {
	let started = Instant::now();
	let keys = OwnerKeys::generate().map_err(|error| fail(Failure::Input, error))?;
	let generated = started.elapsed();
	keys.save(dir).map_err(|error| fail(Failure::Input, error))?;
	let blobs = keys.public.to_blobs()?;
	Ok(Report::new(format!("FHE keys written to {}", dir.display()))
		.field("key_set", tokenfactory_fhe::hex(&keys.public.id()))
		.field("key_commitment", format!("0x{}", tokenfactory_fhe::hex(&keys.key_commitment())))
		.field("parameters", tokenfactory_fhe::params::PARAMETER_SET_ID)
		.field("server_key_bytes", blobs.server_key.len())
		.field("public_key_bytes", blobs.public_key.len())
		.field("crs_bytes", blobs.crs.len())
		.field("keygen_seconds", generated.as_secs_f64())
		.field(
			"secret",
			format!("{} (mode 0600): never share it", dir.join("client.key").display()),
		)
		.took(started.elapsed()))
}

/// Reads an owner's keys.
///
/// # Errors
///
/// A missing, corrupted or foreign key file.
pub fn load_keys(dir: &Path) -> Result<OwnerKeys> {
	OwnerKeys::load(dir).map_err(|error| fail(Failure::Input, error))
}

/// Reads `csv` under `schema` and encrypts it as dataset `dataset_id` into `out`.
///
/// # Errors
///
/// A bad schema or CSV (with its line), keys that cannot be read, or an unwritable `out`.
pub fn encrypt(
	keys: &PublicKeySet,
	csv: &Path,
	schema: &str,
	dataset_id: u32,
	rows_per_chunk: usize,
	out: &Path,
) -> Result<(EncryptedManifest, Vec<Vec<u8>>, PlainDataset, Report)> {
	let started = Instant::now();
	let schema = Schema::parse(schema).map_err(|error| fail(Failure::Input, error))?;
	let data = dataset::read_csv_file(csv, &schema).map_err(|error| fail(Failure::Input, error))?;
	let options = EncryptOptions { rows_per_chunk, progress: true, threads: 2 };
	let encrypted = dataset::encrypt(keys, dataset_id, &data, &options)
		.map_err(|error| fail(Failure::Input, error))?;
	std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
	for (index, chunk) in encrypted.chunks.iter().enumerate() {
		std::fs::write(chunk_path(out, index), chunk)
			.with_context(|| format!("cannot write into {}", out.display()))?;
	}
	let manifest = EncryptedManifest {
		dataset_id,
		schema: schema
			.columns()
			.iter()
			.map(|column| (column.name.clone(), column.width.bits()))
			.collect(),
		rows: encrypted.rows,
		rows_per_chunk: encrypted.rows_per_chunk,
		chunk_hashes: encrypted
			.chunks
			.iter()
			.map(|chunk| tokenfactory_fhe::hex(&tokenfactory_fhe::blake2_256(chunk)))
			.collect(),
		key_set: tokenfactory_fhe::hex(&keys.id()),
	};
	std::fs::write(out.join("manifest.json"), serde_json::to_vec_pretty(&manifest)?)?;
	let bytes: usize = encrypted.chunks.iter().map(Vec::len).sum();
	let report = Report::new(format!("{} rows encrypted into {}", encrypted.rows, out.display()))
		.field("dataset_id", dataset_id)
		.field("chunks", encrypted.chunks.len())
		.field("bytes", bytes)
		.field("bytes_per_row", bytes as u64 / encrypted.rows.max(1))
		.took(started.elapsed());
	Ok((manifest, encrypted.chunks, data, report))
}

/// Reads an encrypted dataset directory.
///
/// # Errors
///
/// A missing or malformed manifest or chunk.
pub fn read_encrypted(dir: &Path) -> Result<(EncryptedManifest, Vec<Vec<u8>>)> {
	let manifest: EncryptedManifest = serde_json::from_slice(
		&std::fs::read(dir.join("manifest.json"))
			.with_context(|| format!("no manifest.json in {}", dir.display()))?,
	)
	.context("manifest.json is malformed")?;
	let chunks = (0..manifest.chunk_hashes.len())
		.map(|index| {
			std::fs::read(chunk_path(dir, index))
				.with_context(|| format!("chunk {index} is missing"))
		})
		.collect::<Result<Vec<_>>>()?;
	Ok((manifest, chunks))
}

/// Evaluates `query` on the encrypted dataset in `dir` as a worker would; writes the result
/// blob to `out`.
///
/// # Errors
///
/// Bad keys, a chunk that fails verification (named), an invalid query.
pub fn eval(
	keys_dir: &Path,
	dir: &Path,
	query_text: &str,
	threads: usize,
	out: &Path,
) -> Result<Report> {
	let started = Instant::now();
	let keys = PublicKeySet::load(keys_dir).map_err(|error| fail(Failure::Input, error))?;
	let (manifest, chunks) = read_encrypted(dir)?;
	let schema = manifest.named_schema()?;
	let query =
		crate::query::parse(&schema, query_text).map_err(|error| fail(Failure::Input, error))?;
	let worker = Worker::new(&keys, threads)?;
	let descriptor = DatasetDescriptor {
		dataset_id: manifest.dataset_id,
		widths: schema.iter().map(|(_, width)| *width).collect(),
		rows: manifest.rows,
		chunk_hashes: chunks.iter().map(|chunk| tokenfactory_fhe::blake2_256(chunk)).collect(),
	};
	let verify_started = Instant::now();
	let verified = worker
		.verify_dataset(&descriptor, &chunks)
		.map_err(|error| fail(Failure::Verification, error))?;
	let verify_seconds = verify_started.elapsed().as_secs_f64();
	let eval_started = Instant::now();
	let result = worker.evaluate(&verified, &query).map_err(|error| fail(Failure::Input, error))?;
	let eval_seconds = eval_started.elapsed().as_secs_f64();
	std::fs::write(out, result.to_bytes())
		.with_context(|| format!("cannot write {}", out.display()))?;
	Ok(Report::new(format!("evaluated under FHE into {}", out.display()))
		.field("query", crate::query::describe(&schema, &query))
		.field("digest", format!("0x{}", tokenfactory_fhe::hex(&result.digest())))
		.field("result_blocks", result.compact.blocks.len())
		.field("verify_seconds", verify_seconds)
		.field("eval_seconds", eval_seconds)
		.took(started.elapsed()))
}

/// Decrypts a result blob of `query_text` on the dataset in `dir`.
///
/// # Errors
///
/// The wrong key, a malformed result, a result of another query.
pub fn decrypt(keys_dir: &Path, dir: &Path, query_text: &str, result: &Path) -> Result<Report> {
	let keys = load_keys(keys_dir)?;
	let (manifest, _) = read_encrypted(dir)?;
	let schema = manifest.named_schema()?;
	let query = crate::query::parse(&schema, query_text)?;
	let widths: Vec<ColumnWidth> = schema.iter().map(|(_, width)| *width).collect();
	let layout = query
		.validate(&widths, manifest.rows)
		.map_err(|error| fail(Failure::Input, anyhow!("{error}")))?;
	let bytes =
		std::fs::read(result).with_context(|| format!("cannot read {}", result.display()))?;
	let aggregate =
		keys.decrypt(&bytes, &layout).map_err(|error| fail(Failure::Verification, error))?;
	Ok(describe_aggregate(Report::new("decrypted"), &query, &schema, &aggregate))
}

/// Adds an aggregate's fields (and the mean, where it is one) to `report`.
pub fn describe_aggregate(
	mut report: Report,
	query: &Query,
	schema: &[(String, ColumnWidth)],
	aggregate: &AggregateResult,
) -> Report {
	use tokenfactory_primitives::programs::Program;
	report.push("query", json!(crate::query::describe(schema, query)));
	report.push("gate_passed", json!(aggregate.gate_passed));
	if !aggregate.gate_passed {
		report.push(
			"answer",
			json!(format!(
				"refused by the cohort gate: fewer than {} rows match",
				query.min_cohort
			)),
		);
		return report;
	}
	report.push("count", json!(aggregate.count));
	match &query.program {
		Program::Count => report.push("answer", json!(aggregate.count)),
		Program::Sum { .. } => report.push("answer", json!(aggregate.values.first())),
		Program::Mean { .. } | Program::WeightedSum { .. } => {
			let total = aggregate.values.first().copied().unwrap_or(0);
			report.push("total", json!(total));
			if aggregate.count > 0 {
				report.push("answer", json!(total as f64 / aggregate.count as f64));
			}
		}
		Program::Histogram { .. } => report.push("answer", json!(aggregate.values)),
	}
	report
}

/// Checks a result blob belongs to the key set it says (the worker-side digest).
pub fn result_digest(bytes: &[u8]) -> Result<[u8; 32]> {
	Ok(EvaluatedResult::from_bytes(bytes).map_err(|error| fail(Failure::Input, error))?.digest())
}

/// Writes a synthetic patient table for the demo: `age` (8-bit), `systolic` (16-bit, mmHg),
/// `diabetic` (0/1), from a seed, with diabetes more likely and pressure higher with age.
///
/// # Errors
///
/// `out` cannot be written.
pub fn synthetic_patients(rows: usize, seed: u64, out: &Path) -> Result<Report> {
	let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
	let mut next = move |bound: u64| {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		state % bound
	};
	let mut csv = String::from("patient,age,systolic,diabetic\n");
	for patient in 0..rows {
		let age = 20 + next(66);
		let diabetic = u64::from(next(100) < 10 + age / 2);
		let systolic = 100 + age / 2 + 12 * diabetic + next(25);
		csv.push_str(&format!("{patient},{age},{systolic},{diabetic}\n"));
	}
	std::fs::write(out, csv).with_context(|| format!("cannot write {}", out.display()))?;
	Ok(Report::new(format!("{rows} synthetic patients written to {}", out.display()))
		.field("columns", "patient (not encrypted), age:8, systolic:16, diabetic:8"))
}
