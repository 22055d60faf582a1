//! A worker's side: verifying an encrypted dataset and evaluating queries on it.
//!
//! Evaluation is deterministic: one tfhe version, the DIF4 FFT forced, one parameter set, CPU
//! only, and only exact integer operations around tfhe's (no floating point, no
//! thread-count-dependent order), so the same job gives the same bytes on every honest worker
//! and with any number of threads.
//!
//! Result layout: the outputs of [`Query::validate`]'s [`OutputLayout`] in order (gate flag,
//! count, then the program's own), each an unsigned radix integer of
//! `ceil(bits / 2)` blocks, least significant block first. The compact form keeps that
//! block order.

use rayon::prelude::*;
use tfhe::integer::prelude::ServerKeyDefaultCMux;
use tfhe::integer::IntegerCiphertext;
use tfhe::integer::{BooleanBlock, RadixCiphertext};
use tfhe::prelude::CiphertextList;
use tfhe::safe_serialization::safe_deserialize_conformant;
use tfhe::{FheTypes, FheUint16, FheUint32, FheUint8, ProvenCompactCiphertextList, ServerKey};

use crate::compact::{self, blocks_for_bits, CompactResult};
use crate::dataset::{proof_metadata, DatasetDescriptor, CHUNK_HEADER_LEN, CHUNK_MAGIC};
use crate::error::{ChunkError, EvalError};
use crate::keys::{KeySetId, PublicKeySet};
use crate::params::limits;
use crate::programs::{ColumnWidth, CompareOp, OutputLayout, OutputRole, Program, Query};
use crate::{blake2_256, Hash};

/// The most threads an evaluation uses, whatever the worker asks for.
///
/// tfhe 1.8.2 picks its carry-propagation algorithm (sequential or parallel) from
/// `rayon::current_num_threads()`; the two give the same plaintext but different ciphertext
/// bytes. Its cost model (`should_parallel_propagation_be_faster`) never picks the parallel
/// one below 4 threads (`3 * ceil(n / t) >= n`), so capping the pool at 3 keeps every worker
/// on the same algorithm. Machines with more cores run several jobs at once instead.
pub const MAX_EVAL_THREADS: usize = 3;

/// A worker's evaluation context: one key set, decompressed once.
pub struct Worker {
	server_key: ServerKey,
	keys: PublicKeySet,
	threads: usize,
}

/// A dataset whose every chunk verified: its values as radix ciphertexts, row by row.
pub struct VerifiedDataset {
	widths: Vec<ColumnWidth>,
	rows: Vec<Vec<RadixCiphertext>>,
}

impl VerifiedDataset {
	/// The number of rows.
	pub fn rows(&self) -> u64 {
		self.rows.len() as u64
	}

	/// The column widths.
	pub fn widths(&self) -> &[ColumnWidth] {
		&self.widths
	}
}

/// The outcome of one evaluation.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EvaluatedResult {
	/// The key set the result is encrypted under.
	pub key_set: KeySetId,
	/// The compact, decryptable form of every output block.
	pub compact: CompactResult,
}

const RESULT_HEADER: &[u8; 4] = b"TFE1";

impl EvaluatedResult {
	/// The serialised result: a tag, the key set id, then the compact form
	/// ([`compact::encode`]).
	pub fn to_bytes(&self) -> Vec<u8> {
		let mut bytes = RESULT_HEADER.to_vec();
		bytes.extend_from_slice(&self.key_set);
		bytes.extend_from_slice(&compact::encode(&self.compact));
		bytes
	}

	/// Reads [`Self::to_bytes`]'s format.
	///
	/// # Errors
	///
	/// [`crate::error::DecryptError::Malformed`].
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, crate::error::DecryptError> {
		let malformed =
			|reason: &str| crate::error::DecryptError::Malformed { reason: reason.into() };
		if bytes.get(..4) != Some(RESULT_HEADER.as_slice()) {
			return Err(malformed("not an evaluated result"));
		}
		let key_set: KeySetId = bytes
			.get(4..36)
			.and_then(|id| id.try_into().ok())
			.ok_or_else(|| malformed("truncated key set id"))?;
		Ok(Self { key_set, compact: compact::decode(&bytes[36..])? })
	}

	/// The digest workers agree on: `tokenfactory_commitments::ciphertext_digest` of the
	/// compact form (Poseidon over BLS12-381's scalar field, 32 bytes).
	pub fn digest(&self) -> [u8; 32] {
		tokenfactory_commitments::fr_to_bytes(&tokenfactory_commitments::ciphertext_digest(
			&self.compact,
		))
	}

	/// The blake2-256 hash of [`Self::to_bytes`]: the result blob's hash, as for every blob.
	pub fn blob_hash(&self) -> Hash {
		blake2_256(&self.to_bytes())
	}
}

/// A chunk's header (see the layout in `dataset.rs`).
struct ChunkHeader {
	dataset: u32,
	index: u32,
	first_row: u64,
	rows: u32,
}

impl ChunkHeader {
	fn read(chunk: u32, blob: &[u8]) -> Result<Self, ChunkError> {
		let header = blob.get(..CHUNK_HEADER_LEN).ok_or(ChunkError::Truncated { chunk })?;
		if &header[..4] != CHUNK_MAGIC {
			return Err(ChunkError::Corrupted { chunk, reason: "not a dataset chunk".into() });
		}
		Ok(Self {
			dataset: read_u32(header, 4),
			index: read_u32(header, 8),
			first_row: read_u64(header, 12),
			rows: read_u32(header, 20),
		})
	}
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
	let mut word = [0u8; 4];
	word.copy_from_slice(&bytes[at..at + 4]);
	u32::from_le_bytes(word)
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
	let mut word = [0u8; 8];
	word.copy_from_slice(&bytes[at..at + 8]);
	u64::from_le_bytes(word)
}

fn fhe_type(width: ColumnWidth) -> FheTypes {
	match width {
		ColumnWidth::U8 => FheTypes::Uint8,
		ColumnWidth::U16 => FheTypes::Uint16,
		ColumnWidth::U32 => FheTypes::Uint32,
	}
}

impl Worker {
	/// A worker for `keys` using `threads` threads (decompresses the server key: seconds).
	///
	/// # Errors
	///
	/// [`EvalError::UnsupportedServerKey`] for a key of another atomic pattern.
	pub fn new(keys: &PublicKeySet, threads: usize) -> Result<Self, EvalError> {
		let server_key = keys.server_key.decompress();
		let integer: &tfhe::integer::ServerKey = server_key.as_ref();
		let shortint: &tfhe::shortint::ServerKey = integer.as_ref();
		if !matches!(
			shortint.atomic_pattern,
			tfhe::shortint::atomic_pattern::AtomicPatternServerKey::Standard(_)
		) {
			return Err(EvalError::UnsupportedServerKey);
		}
		Ok(Self { server_key, keys: keys.clone(), threads: threads.clamp(1, MAX_EVAL_THREADS) })
	}

	/// The same worker with another thread count.
	pub fn with_threads(mut self, threads: usize) -> Self {
		self.threads = threads.clamp(1, MAX_EVAL_THREADS);
		self
	}

	/// The key set this worker evaluates under.
	pub fn key_set(&self) -> KeySetId {
		self.keys.id()
	}

	/// A pool of the worker's threads, each holding the server key (tfhe's high-level API
	/// keeps it per thread).
	fn pool(&self) -> Result<rayon::ThreadPool, EvalError> {
		let server_key = self.server_key.clone();
		rayon::ThreadPoolBuilder::new()
			.num_threads(self.threads)
			.start_handler(move |_| tfhe::set_server_key(server_key.clone()))
			.build()
			.map_err(|error| EvalError::ThreadPool {
				threads: self.threads,
				reason: error.to_string(),
			})
	}

	/// Checks every chunk (size, registered hash, header, zk-pok proof bound to the dataset
	/// and position, shape) and expands them for evaluation.
	///
	/// # Errors
	///
	/// The first failing chunk's [`ChunkError`], naming it; [`ChunkError::ChunkCount`] if
	/// the number of chunks does not match the description.
	pub fn verify_dataset(
		&self,
		descriptor: &DatasetDescriptor,
		chunks: &[Vec<u8>],
	) -> Result<VerifiedDataset, ChunkError> {
		let expected_chunks = descriptor.chunk_hashes.len();
		if chunks.len() != expected_chunks {
			return Err(ChunkError::ChunkCount { expected: expected_chunks, found: chunks.len() });
		}
		// Cheap checks on every chunk first, so a bad blob is named before any proof work:
		// size, registered hash, header, and that the chunks cover the rows in order.
		let mut headers = Vec::with_capacity(chunks.len());
		let mut next_row = 0u64;
		for (index, (chunk, hash)) in chunks.iter().zip(&descriptor.chunk_hashes).enumerate() {
			let chunk_index = index as u32;
			if chunk.len() as u64 > limits::CHUNK + CHUNK_HEADER_LEN as u64 {
				return Err(ChunkError::Oversize {
					chunk: chunk_index,
					size: chunk.len() as u64,
					limit: limits::CHUNK,
				});
			}
			if blake2_256(chunk) != *hash {
				return Err(ChunkError::HashMismatch { chunk: chunk_index });
			}
			let header = ChunkHeader::read(chunk_index, chunk)?;
			if header.dataset != descriptor.dataset_id {
				return Err(ChunkError::WrongDataset {
					chunk: chunk_index,
					expected: descriptor.dataset_id,
					found: header.dataset,
				});
			}
			if header.index != chunk_index || header.first_row != next_row {
				return Err(ChunkError::WrongPosition {
					chunk: chunk_index,
					found_index: header.index,
					found_first_row: header.first_row,
				});
			}
			if header.rows == 0 {
				return Err(ChunkError::WrongShape {
					chunk: chunk_index,
					reason: "no rows".into(),
				});
			}
			next_row = next_row.saturating_add(u64::from(header.rows));
			headers.push(header);
		}
		if next_row != descriptor.rows {
			return Err(ChunkError::WrongShape {
				chunk: expected_chunks.saturating_sub(1) as u32,
				reason: format!(
					"the chunks hold {next_row} rows where {} are registered",
					descriptor.rows
				),
			});
		}
		let pool = self
			.pool()
			.map_err(|error| ChunkError::Corrupted { chunk: 0, reason: error.to_string() })?;
		let expanded = pool.install(|| {
			chunks
				.par_iter()
				.zip(headers.par_iter())
				.map(|(chunk, header)| self.verify_chunk(descriptor, header, chunk))
				.collect::<Vec<_>>()
		});
		let mut rows = Vec::with_capacity(descriptor.rows as usize);
		// Report the lowest failing chunk, whatever order the threads finished in.
		for chunk_rows in expanded {
			rows.extend(chunk_rows?);
		}
		Ok(VerifiedDataset { widths: descriptor.widths.clone(), rows })
	}

	fn verify_chunk(
		&self,
		descriptor: &DatasetDescriptor,
		header: &ChunkHeader,
		blob: &[u8],
	) -> Result<Vec<Vec<RadixCiphertext>>, ChunkError> {
		let chunk = header.index;
		let row_count = header.rows;
		let first_row = header.first_row;
		let conformance = <<ProvenCompactCiphertextList as tfhe::conformance::ParameterSetConformant>::ParameterSet>::from_crs_and_parameters(
			crate::params::public_key_parameters(),
			&self.keys.crs,
		);
		let list: ProvenCompactCiphertextList =
			safe_deserialize_conformant(&blob[CHUNK_HEADER_LEN..], limits::CHUNK, &conformance)
				.map_err(|reason| {
					// bincode reports a stream that ends early as an I/O error.
					let ended_early = ["fill whole buffer", "UnexpectedEof", "end of file"]
						.iter()
						.any(|symptom| reason.contains(symptom));
					if ended_early {
						ChunkError::Truncated { chunk }
					} else {
						ChunkError::Corrupted { chunk, reason }
					}
				})?;
		let columns = descriptor.widths.len();
		let values = row_count as usize * columns;
		if list.len() != values {
			return Err(ChunkError::WrongShape {
				chunk,
				reason: format!("{} values where {values} are expected", list.len()),
			});
		}
		let metadata = proof_metadata(descriptor.dataset_id, chunk, first_row, row_count);
		let expander = list
			.verify_and_expand(&self.keys.crs, &self.keys.public_key, &metadata)
			.map_err(|_| ChunkError::ProofRejected { chunk })?;
		let shape = |reason: String| ChunkError::WrongShape { chunk, reason };
		(0..row_count as usize)
			.map(|row| {
				descriptor
					.widths
					.iter()
					.enumerate()
					.map(|(column, width)| {
						let index = row * columns + column;
						if expander.get_kind_of(index) != Some(fhe_type(*width)) {
							return Err(shape(format!(
								"value {index} is not a {}-bit integer",
								width.bits()
							)));
						}
						let missing = || shape(format!("value {index} cannot be expanded"));
						let radix = match width {
							ColumnWidth::U8 => {
								expander
									.get::<FheUint8>(index)
									.ok()
									.flatten()
									.ok_or_else(missing)?
									.into_raw_parts()
									.0
							}
							ColumnWidth::U16 => {
								expander
									.get::<FheUint16>(index)
									.ok()
									.flatten()
									.ok_or_else(missing)?
									.into_raw_parts()
									.0
							}
							ColumnWidth::U32 => {
								expander
									.get::<FheUint32>(index)
									.ok()
									.flatten()
									.ok_or_else(missing)?
									.into_raw_parts()
									.0
							}
						};
						Ok(radix)
					})
					.collect()
			})
			.collect()
	}

	/// Evaluates `query` on `dataset`: validates it first (no FHE work on an invalid query),
	/// then computes every output under FHE with the cohort gate applied, and returns the
	/// compact form.
	///
	/// # Errors
	///
	/// [`EvalError::Query`] for an invalid query; [`EvalError::ThreadPool`].
	pub fn evaluate(
		&self,
		dataset: &VerifiedDataset,
		query: &Query,
	) -> Result<EvaluatedResult, EvalError> {
		let layout = query.validate(&dataset.widths, dataset.rows())?;
		let pool = self.pool()?;
		let integer: &tfhe::integer::ServerKey = self.server_key.as_ref();
		let compact = pool.install(|| {
			let outputs = evaluate_outputs(integer, dataset, query, &layout);
			compact::compact(integer, &outputs)
		})?;
		Ok(EvaluatedResult { key_set: self.keys.id(), compact })
	}

	/// As [`Self::evaluate`] but returning the full-size output ciphertexts (for tests and
	/// benchmarks of the compact step).
	///
	/// # Errors
	///
	/// As [`Self::evaluate`].
	pub fn evaluate_outputs(
		&self,
		dataset: &VerifiedDataset,
		query: &Query,
	) -> Result<Vec<RadixCiphertext>, EvalError> {
		let layout = query.validate(&dataset.widths, dataset.rows())?;
		let integer: &tfhe::integer::ServerKey = self.server_key.as_ref();
		Ok(self.pool()?.install(|| evaluate_outputs(integer, dataset, query, &layout)))
	}
}

fn compare(
	key: &tfhe::integer::ServerKey,
	value: &RadixCiphertext,
	op: CompareOp,
	constant: u32,
) -> BooleanBlock {
	match op {
		CompareOp::Eq => key.scalar_eq_parallelized(value, constant),
		CompareOp::Ne => key.scalar_ne_parallelized(value, constant),
		CompareOp::Lt => key.scalar_lt_parallelized(value, constant),
		CompareOp::Le => key.scalar_le_parallelized(value, constant),
		CompareOp::Gt => key.scalar_gt_parallelized(value, constant),
		CompareOp::Ge => key.scalar_ge_parallelized(value, constant),
	}
}

/// The blocks of the output with `role` in `layout`.
fn blocks_of(layout: &OutputLayout, role: OutputRole) -> usize {
	layout.iter().find(|spec| spec.role == role).map(|spec| blocks_for_bits(spec.bits)).unwrap_or(1)
}

/// `value` if `selected` (or no filter), else 0, widened to `blocks`.
fn selected_value(
	key: &tfhe::integer::ServerKey,
	selected: Option<&BooleanBlock>,
	value: &RadixCiphertext,
	blocks: usize,
) -> RadixCiphertext {
	let kept = match selected {
		Some(selected) => key.if_then_else_parallelized(selected, value, 0u64),
		None => value.clone(),
	};
	let extra = blocks.saturating_sub(kept.blocks().len());
	key.extend_radix_with_trivial_zero_blocks_msb(&kept, extra)
}

fn sum(
	key: &tfhe::integer::ServerKey,
	terms: &[RadixCiphertext],
	blocks: usize,
) -> RadixCiphertext {
	key.sum_ciphertexts_parallelized(terms.iter())
		.unwrap_or_else(|| key.create_trivial_zero_radix(blocks))
}

fn evaluate_outputs(
	key: &tfhe::integer::ServerKey,
	dataset: &VerifiedDataset,
	query: &Query,
	layout: &OutputLayout,
) -> Vec<RadixCiphertext> {
	let count_blocks = blocks_of(layout, OutputRole::Count);
	let total_blocks = blocks_of(layout, OutputRole::Total);
	let bucket_blocks = blocks_of(layout, OutputRole::Bucket(0));

	// Which rows the filter selects: one encrypted boolean per row, or none for "all".
	let selected: Option<Vec<BooleanBlock>> = (!query.filter.is_empty()).then(|| {
		dataset
			.rows
			.par_iter()
			.map(|row| {
				let tests: Vec<BooleanBlock> = query
					.filter
					.as_slice()
					.par_iter()
					.map(|p| compare(key, &row[usize::from(p.column)], p.op, p.constant))
					.collect();
				let mut tests = tests.into_iter();
				let first = tests.next().unwrap_or_else(|| key.create_trivial_boolean_block(true));
				tests.fold(first, |all, test| key.boolean_bitand(&all, &test))
			})
			.collect()
	});
	let selected_at = |row: usize| selected.as_ref().map(|flags| &flags[row]);

	let count = match &selected {
		Some(flags) => {
			let ones: Vec<RadixCiphertext> =
				flags.iter().map(|flag| flag.clone().into_radix(count_blocks, key)).collect();
			sum(key, &ones, count_blocks)
		}
		None => key.create_trivial_radix(dataset.rows(), count_blocks),
	};

	let column_total = |column: usize| {
		let terms: Vec<RadixCiphertext> = (0..dataset.rows.len())
			.into_par_iter()
			.map(|row| {
				selected_value(key, selected_at(row), &dataset.rows[row][column], total_blocks)
			})
			.collect();
		sum(key, &terms, total_blocks)
	};

	let mut program_outputs: Vec<RadixCiphertext> = match &query.program {
		Program::Count => vec![],
		Program::Sum { column } | Program::Mean { column } => {
			vec![column_total(usize::from(*column))]
		}
		Program::Histogram { column, edges } => {
			let column = usize::from(*column);
			let indicators: Vec<Vec<RadixCiphertext>> = (0..dataset.rows.len())
				.into_par_iter()
				.map(|row| {
					let value = &dataset.rows[row][column];
					let at_or_above: Vec<BooleanBlock> = edges
						.as_slice()
						.par_iter()
						.map(|edge| key.scalar_ge_parallelized(value, *edge))
						.collect();
					let in_row = |flag: BooleanBlock| match selected_at(row) {
						Some(selected) => key.boolean_bitand(&flag, selected),
						None => flag,
					};
					(0..=edges.len())
						.map(|bucket| {
							let above_lower =
								bucket.checked_sub(1).map(|lower| at_or_above[lower].clone());
							let below_upper =
								at_or_above.get(bucket).map(|upper| key.boolean_bitnot(upper));
							let flag = match (above_lower, below_upper) {
								(Some(lower), Some(upper)) => key.boolean_bitand(&lower, &upper),
								(Some(lower), None) => lower,
								(None, Some(upper)) => upper,
								(None, None) => key.create_trivial_boolean_block(true),
							};
							in_row(flag).into_radix(bucket_blocks, key)
						})
						.collect()
				})
				.collect();
			(0..=edges.len())
				.into_par_iter()
				.map(|bucket| {
					let terms: Vec<RadixCiphertext> =
						indicators.iter().map(|row| row[bucket].clone()).collect();
					sum(key, &terms, bucket_blocks)
				})
				.collect()
		}
		Program::WeightedSum { terms, bias } => {
			let mut weighted: Vec<RadixCiphertext> = terms
				.as_slice()
				.par_iter()
				.map(|term| {
					key.scalar_mul_parallelized(
						&column_total(usize::from(term.column)),
						term.weight,
					)
				})
				.collect();
			if *bias != 0 {
				let widened = key.extend_radix_with_trivial_zero_blocks_msb(
					&count,
					total_blocks.saturating_sub(count_blocks),
				);
				weighted.push(key.scalar_mul_parallelized(&widened, *bias));
			}
			vec![sum(key, &weighted, total_blocks)]
		}
	};

	// The cohort gate, inside FHE: below the minimum every output, the count included, is 0.
	let gate = key.scalar_ge_parallelized(&count, query.min_cohort);
	let mut gated: Vec<RadixCiphertext> = std::iter::once(count)
		.chain(program_outputs.drain(..))
		.collect::<Vec<_>>()
		.par_iter()
		.map(|output| key.if_then_else_parallelized(&gate, output, 0u64))
		.collect();
	let mut outputs = vec![gate.into_radix(1, key)];
	outputs.append(&mut gated);
	clean(key, &mut outputs);
	outputs
}

/// Makes every block fresh from a bootstrap with an empty carry, as the compact form and its
/// decryption assume; most already are.
fn clean(key: &tfhe::integer::ServerKey, outputs: &mut [RadixCiphertext]) {
	let shortint: &tfhe::shortint::ServerKey = key.as_ref();
	outputs.par_iter_mut().for_each(|output| {
		output.blocks_mut().par_iter_mut().for_each(|block| {
			let fresh = block.noise_level() <= tfhe::shortint::parameters::NoiseLevel::NOMINAL;
			if !fresh || !block.carry_is_empty() {
				shortint.message_extract_assign(block);
			}
		});
	});
}

impl VerifiedDataset {
	/// The expanded values, row by row (benchmarks time tfhe operations on them).
	pub fn raw_rows(&self) -> &[Vec<RadixCiphertext>] {
		&self.rows
	}
}
