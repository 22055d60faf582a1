//! Datasets: a declared schema, CSV reading, encryption into proven chunks, blob manifests.
//!
//! A dataset is encrypted in chunks of rows. Each chunk is one blob:
//!
//! | bytes | field |
//! |---|---|
//! | 4 | magic `TFD1` |
//! | 4 | dataset id, little-endian |
//! | 4 | chunk index |
//! | 8 | first row |
//! | 4 | number of rows |
//! | rest | `safe_serialize`d `ProvenCompactCiphertextList`: the rows' values in row-major order |
//!
//! The zk-pok proof's metadata is [`proof_metadata`] over the same fields, so a chunk cannot
//! be replayed in another dataset or at another position: its proof would not verify.

use std::io::Read;
use std::path::Path;

use codec::{Decode, Encode};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use tfhe::safe_serialization::safe_serialize;
use tfhe::zk::ZkComputeLoad;
use tfhe::ProvenCompactCiphertextList;

use crate::error::DatasetError;
use crate::keys::PublicKeySet;
use crate::params::limits;
use crate::programs::{ColumnIndex, ColumnWidth, MAX_COLUMNS};
use crate::{blake2_256, Hash};

/// A dataset's id on chain (`tokenfactory_primitives::datasets::DatasetId`): the proofs of
/// its chunks are bound to it.
pub type DatasetId = u32;

/// The most rows one dataset may hold.
pub const MAX_ROWS: u64 = 1 << 24;

/// The domain tag that opens every chunk's proof metadata.
pub const PROOF_DOMAIN_TAG: &[u8] = b"tokenfactory/dataset-chunk/v1";

pub(crate) const CHUNK_MAGIC: &[u8; 4] = b"TFD1";
pub(crate) const CHUNK_HEADER_LEN: usize = 24;

/// One declared column.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ColumnSpec {
	/// Its name in the CSV header.
	pub name: String,
	/// Its width.
	pub width: ColumnWidth,
}

/// A dataset's declared columns, in order (the order programs index them by).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Schema {
	columns: Vec<ColumnSpec>,
}

impl Schema {
	/// A schema of `columns`.
	///
	/// # Errors
	///
	/// [`DatasetError::SchemaSizeOutOfRange`] or [`DatasetError::DuplicateColumn`].
	pub fn new(columns: Vec<ColumnSpec>) -> Result<Self, DatasetError> {
		if columns.is_empty() || columns.len() > MAX_COLUMNS as usize {
			return Err(DatasetError::SchemaSizeOutOfRange);
		}
		for (position, column) in columns.iter().enumerate() {
			if columns[..position].iter().any(|earlier| earlier.name == column.name) {
				return Err(DatasetError::DuplicateColumn { name: column.name.clone() });
			}
		}
		Ok(Self { columns })
	}

	/// Reads a declaration `name:width,name:width,..` with widths `8`, `16`, `32` (or `u8`,
	/// `u16`, `u32`).
	///
	/// # Errors
	///
	/// [`DatasetError::SchemaSyntax`], or as [`Self::new`].
	pub fn parse(declaration: &str) -> Result<Self, DatasetError> {
		let columns = declaration
			.split(',')
			.map(|part| {
				let syntax = || DatasetError::SchemaSyntax { declaration: part.to_string() };
				let (name, width) = part.split_once(':').ok_or_else(syntax)?;
				let name = name.trim();
				let width = width.trim();
				let bits: u32 =
					width.strip_prefix('u').unwrap_or(width).parse().map_err(|_| syntax())?;
				let width = ColumnWidth::from_bits(bits).ok_or_else(syntax)?;
				if name.is_empty() {
					return Err(syntax());
				}
				Ok(ColumnSpec { name: name.to_string(), width })
			})
			.collect::<Result<Vec<_>, _>>()?;
		Self::new(columns)
	}

	/// The columns.
	pub fn columns(&self) -> &[ColumnSpec] {
		&self.columns
	}

	/// The columns' widths: what a query is validated against.
	pub fn widths(&self) -> Vec<ColumnWidth> {
		self.columns.iter().map(|column| column.width).collect()
	}

	/// The index of the column named `name`.
	pub fn column_index(&self, name: &str) -> Option<ColumnIndex> {
		self.columns
			.iter()
			.position(|column| column.name == name)
			.and_then(|index| ColumnIndex::try_from(index).ok())
	}
}

/// Plaintext rows under a schema (the owner's side only).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PlainDataset {
	/// The schema.
	pub schema: Schema,
	/// The rows, each with one value per schema column, in schema order.
	pub rows: Vec<Vec<u32>>,
}

/// Reads a CSV with a header row; the declared columns are picked by name (others are
/// ignored) and checked against their widths.
///
/// # Errors
///
/// [`DatasetError::MissingColumn`], [`DatasetError::BadRow`] (with its line number),
/// [`DatasetError::ValueOutOfRange`], [`DatasetError::Empty`], [`DatasetError::TooManyRows`],
/// [`DatasetError::Csv`].
pub fn read_csv<R: Read>(reader: R, schema: &Schema) -> Result<PlainDataset, DatasetError> {
	read_csv_with_limit(reader, schema, MAX_ROWS)
}

/// [`read_csv`] with another row limit than [`MAX_ROWS`].
///
/// # Errors
///
/// As [`read_csv`].
pub fn read_csv_with_limit<R: Read>(
	reader: R,
	schema: &Schema,
	max_rows: u64,
) -> Result<PlainDataset, DatasetError> {
	let mut csv =
		csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(reader);
	let header =
		csv.headers().map_err(|error| DatasetError::Csv { reason: error.to_string() })?.clone();
	let positions = schema
		.columns()
		.iter()
		.map(|column| {
			header
				.iter()
				.position(|name| name == column.name)
				.ok_or_else(|| DatasetError::MissingColumn { name: column.name.clone() })
		})
		.collect::<Result<Vec<_>, _>>()?;

	let mut rows = Vec::new();
	for record in csv.records() {
		let record = record.map_err(|error| {
			let line = error.position().map(csv::Position::line).unwrap_or(0);
			match error.kind() {
				csv::ErrorKind::UnequalLengths { expected_len, len, .. } => DatasetError::BadRow {
					line,
					reason: format!("{len} fields where the header has {expected_len}"),
				},
				_ => DatasetError::BadRow { line, reason: error.to_string() },
			}
		})?;
		let line = record.position().map(csv::Position::line).unwrap_or(0);
		if rows.len() as u64 >= max_rows {
			return Err(DatasetError::TooManyRows { max: max_rows });
		}
		let row = schema
			.columns()
			.iter()
			.zip(&positions)
			.map(|(column, position)| {
				let field = record.get(*position).unwrap_or("");
				let value: u64 = field.parse().map_err(|_| DatasetError::BadRow {
					line,
					reason: format!(
						"{field:?} in column {:?} is not an unsigned integer",
						column.name
					),
				})?;
				u32::try_from(value)
					.ok()
					.filter(|value| *value <= column.width.max_value())
					.ok_or_else(|| DatasetError::ValueOutOfRange {
						line,
						column: column.name.clone(),
						value,
						bits: column.width.bits(),
					})
			})
			.collect::<Result<Vec<_>, _>>()?;
		rows.push(row);
	}
	if rows.is_empty() {
		return Err(DatasetError::Empty);
	}
	Ok(PlainDataset { schema: schema.clone(), rows })
}

/// [`read_csv`] from a file.
///
/// # Errors
///
/// As [`read_csv`]; [`DatasetError::Csv`] if the file cannot be opened.
pub fn read_csv_file(path: &Path, schema: &Schema) -> Result<PlainDataset, DatasetError> {
	let file = std::fs::File::open(path)
		.map_err(|error| DatasetError::Csv { reason: format!("{}: {error}", path.display()) })?;
	read_csv(std::io::BufReader::new(file), schema)
}

/// The metadata a chunk's proof is bound to.
pub fn proof_metadata(dataset: DatasetId, chunk: u32, first_row: u64, rows: u32) -> Vec<u8> {
	let mut metadata = PROOF_DOMAIN_TAG.to_vec();
	metadata.extend_from_slice(&dataset.to_le_bytes());
	metadata.extend_from_slice(&chunk.to_le_bytes());
	metadata.extend_from_slice(&first_row.to_le_bytes());
	metadata.extend_from_slice(&rows.to_le_bytes());
	metadata
}

/// How to encrypt.
#[derive(Clone, Debug)]
pub struct EncryptOptions {
	/// Rows per chunk (one blob each).
	pub rows_per_chunk: usize,
	/// Show a progress bar on stderr (hidden anyway when stderr is not a terminal).
	pub progress: bool,
	/// Threads to encrypt and prove with.
	pub threads: usize,
}

impl Default for EncryptOptions {
	fn default() -> Self {
		Self { rows_per_chunk: 32, progress: true, threads: 2 }
	}
}

/// What a blob holds; the same variants, in the same order (so the same SCALE encoding), as
/// `tokenfactory_primitives::datasets::BlobKind`.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, Debug)]
pub enum BlobKind {
	/// A piece of the compressed server key.
	ServerKeyChunk,
	/// The compact public key.
	PublicKey,
	/// The zk-pok CRS.
	ProofParameters,
	/// A chunk of an encrypted dataset.
	Ciphertexts,
}

/// One blob of a manifest.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub struct BlobEntry {
	/// What it holds.
	pub kind: BlobKind,
	/// Its index among the blobs of its kind.
	pub index: u32,
	/// Its size in bytes.
	pub size: u64,
	/// Its blake2-256 hash.
	pub hash: Hash,
}

impl BlobEntry {
	/// The entry for `bytes`.
	pub fn new(kind: BlobKind, index: u32, bytes: &[u8]) -> Self {
		Self { kind, index, size: bytes.len() as u64, hash: blake2_256(bytes) }
	}
}

/// The blobs to upload, in upload order.
pub type Manifest = Vec<BlobEntry>;

/// The manifest of a key set's public blobs, each cut into pieces of at most `piece` bytes
/// (the chain's largest upload): the compressed server key, the compact public key, the CRS.
pub fn key_set_manifest(blobs: &crate::keys::PublicKeyBlobs, piece: usize) -> Manifest {
	key_set_pieces(blobs, piece)
		.into_iter()
		.scan(std::collections::BTreeMap::<u8, u32>::new(), |indices, (kind, bytes)| {
			let index = indices.entry(kind as u8).or_default();
			let entry = BlobEntry::new(kind, *index, &bytes);
			*index += 1;
			Some(entry)
		})
		.collect()
}

/// The key set's blobs cut as [`key_set_manifest`] lists them, in the same order.
pub fn key_set_pieces(
	blobs: &crate::keys::PublicKeyBlobs,
	piece: usize,
) -> Vec<(BlobKind, Vec<u8>)> {
	let piece = piece.max(1);
	[
		(BlobKind::ServerKeyChunk, &blobs.server_key),
		(BlobKind::PublicKey, &blobs.public_key),
		(BlobKind::ProofParameters, &blobs.crs),
	]
	.into_iter()
	.flat_map(|(kind, bytes)| bytes.chunks(piece).map(move |chunk| (kind, chunk.to_vec())))
	.collect()
}

/// What a worker must know of a dataset to accept it (all of it is on chain).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DatasetDescriptor {
	/// The dataset's id.
	pub dataset_id: DatasetId,
	/// Its column widths.
	pub widths: Vec<ColumnWidth>,
	/// Its row count.
	pub rows: u64,
	/// The registered blake2-256 hash of every chunk, in order. Each chunk's header says which
	/// rows it holds; together they must cover the rows in order, without gap or overlap.
	pub chunk_hashes: Vec<Hash>,
}

/// An encrypted dataset: what the owner uploads.
#[derive(Clone, Debug)]
pub struct EncryptedDataset {
	/// The dataset's id.
	pub dataset_id: DatasetId,
	/// Its schema.
	pub schema: Schema,
	/// Its row count.
	pub rows: u64,
	/// Rows per chunk.
	pub rows_per_chunk: u64,
	/// The chunk blobs, in order.
	pub chunks: Vec<Vec<u8>>,
}

impl EncryptedDataset {
	/// The manifest of its chunks.
	pub fn manifest(&self) -> Manifest {
		self.chunks
			.iter()
			.enumerate()
			.map(|(index, chunk)| BlobEntry::new(BlobKind::Ciphertexts, index as u32, chunk))
			.collect()
	}

	/// Its description, as a worker reads it from chain.
	pub fn descriptor(&self) -> DatasetDescriptor {
		DatasetDescriptor {
			dataset_id: self.dataset_id,
			widths: self.schema.widths(),
			rows: self.rows,
			chunk_hashes: self.chunks.iter().map(|chunk| blake2_256(chunk)).collect(),
		}
	}
}

fn encrypt_chunk(
	keys: &PublicKeySet,
	dataset_id: DatasetId,
	chunk: u32,
	first_row: u64,
	rows: &[Vec<u32>],
	widths: &[ColumnWidth],
) -> Result<Vec<u8>, DatasetError> {
	let failed = |reason: String| DatasetError::Encrypt { chunk, reason };
	let row_count = u32::try_from(rows.len()).map_err(|_| failed("too many rows".into()))?;
	let mut builder = ProvenCompactCiphertextList::builder(&keys.public_key);
	for row in rows {
		for (value, width) in row.iter().zip(widths) {
			// Values were range-checked when read, so the narrowing casts are exact.
			match width {
				ColumnWidth::U8 => builder.push(*value as u8),
				ColumnWidth::U16 => builder.push(*value as u16),
				ColumnWidth::U32 => builder.push(*value),
			};
		}
	}
	let metadata = proof_metadata(dataset_id, chunk, first_row, row_count);
	let list = builder
		.build_with_proof_packed(&keys.crs, &metadata, ZkComputeLoad::Proof)
		.map_err(|error| failed(error.to_string()))?;
	let mut blob = Vec::with_capacity(CHUNK_HEADER_LEN);
	blob.extend_from_slice(CHUNK_MAGIC);
	blob.extend_from_slice(&dataset_id.to_le_bytes());
	blob.extend_from_slice(&chunk.to_le_bytes());
	blob.extend_from_slice(&first_row.to_le_bytes());
	blob.extend_from_slice(&row_count.to_le_bytes());
	safe_serialize(&list, &mut blob, limits::CHUNK).map_err(|error| failed(error.to_string()))?;
	Ok(blob)
}

/// Encrypts `data` under `keys` as dataset `dataset_id`, one proven chunk per
/// `rows_per_chunk` rows, in parallel.
///
/// # Errors
///
/// [`DatasetError::ZeroRowsPerChunk`], [`DatasetError::Empty`], [`DatasetError::Encrypt`].
pub fn encrypt(
	keys: &PublicKeySet,
	dataset_id: DatasetId,
	data: &PlainDataset,
	options: &EncryptOptions,
) -> Result<EncryptedDataset, DatasetError> {
	if options.rows_per_chunk == 0 {
		return Err(DatasetError::ZeroRowsPerChunk);
	}
	if data.rows.is_empty() {
		return Err(DatasetError::Empty);
	}
	let widths = data.schema.widths();
	let pieces: Vec<&[Vec<u32>]> = data.rows.chunks(options.rows_per_chunk).collect();
	let progress = if options.progress {
		ProgressBar::new(pieces.len() as u64)
	} else {
		ProgressBar::hidden()
	};
	if let Ok(style) =
		ProgressStyle::with_template("encrypting {bar:40} {pos}/{len} chunks {elapsed}/{eta}")
	{
		progress.set_style(style);
	}
	let pool = rayon::ThreadPoolBuilder::new()
		.num_threads(options.threads.max(1))
		.build()
		.map_err(|error| DatasetError::Encrypt { chunk: 0, reason: error.to_string() })?;
	let chunks = pool.install(|| {
		pieces
			.par_iter()
			.enumerate()
			.map(|(index, rows)| {
				let first_row = (index * options.rows_per_chunk) as u64;
				let blob = encrypt_chunk(keys, dataset_id, index as u32, first_row, rows, &widths);
				progress.inc(1);
				blob
			})
			.collect::<Result<Vec<_>, _>>()
	})?;
	progress.finish_and_clear();
	Ok(EncryptedDataset {
		dataset_id,
		schema: data.schema.clone(),
		rows: data.rows.len() as u64,
		rows_per_chunk: options.rows_per_chunk as u64,
		chunks,
	})
}
