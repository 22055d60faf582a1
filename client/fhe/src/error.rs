//! The engine's errors: one enum per stage, one variant per documented condition.

use std::path::PathBuf;

pub use crate::programs::QueryError;

/// Generating, saving or loading keys failed.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
	/// A key file could not be read or written.
	#[error("cannot {action} {path}: {source}")]
	Io {
		/// What was being done.
		action: &'static str,
		/// The file.
		path: PathBuf,
		/// Why it failed.
		#[source]
		source: std::io::Error,
	},
	/// A key could not be serialised (larger than its size limit).
	#[error("cannot serialise the {what}: {reason}")]
	Serialize {
		/// Which key.
		what: &'static str,
		/// tfhe's reason.
		reason: String,
	},
	/// A key file is truncated, corrupted, larger than its limit, or made for other parameters.
	#[error(
		"{path} is not a valid {what} for parameter set {}: {reason}",
		crate::params::PARAMETER_SET_ID
	)]
	Invalid {
		/// Which key.
		what: &'static str,
		/// The file.
		path: PathBuf,
		/// tfhe's reason.
		reason: String,
	},
	/// The zk-pok CRS could not be generated for the parameter set.
	#[error("cannot generate the zk-pok CRS: {0}")]
	Crs(String),
}

/// A schema or a CSV file is not acceptable.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
	/// A schema declaration is not `name:width,...` with widths 8, 16 or 32.
	#[error("bad schema declaration {declaration:?}: expected name:8|16|32 (or u8/u16/u32)")]
	SchemaSyntax {
		/// The part that could not be read.
		declaration: String,
	},
	/// A schema names the same column twice.
	#[error("column {name:?} is declared twice")]
	DuplicateColumn {
		/// The column.
		name: String,
	},
	/// A schema has no column or more than the catalogue allows.
	#[error("a schema has between 1 and {} columns", crate::programs::MAX_COLUMNS)]
	SchemaSizeOutOfRange,
	/// The CSV header lacks a declared column.
	#[error("the CSV header has no column {name:?}")]
	MissingColumn {
		/// The column.
		name: String,
	},
	/// The CSV could not be read at all (I/O, bad UTF-8 in the header).
	#[error("cannot read the CSV: {reason}")]
	Csv {
		/// Why.
		reason: String,
	},
	/// A data row is malformed: wrong number of fields, or a value that is not an unsigned
	/// integer.
	#[error("line {line}: {reason}")]
	BadRow {
		/// The 1-based line number in the file (the header is line 1).
		line: u64,
		/// What is wrong.
		reason: String,
	},
	/// A value does not fit its column's width.
	#[error("line {line}: value {value} of column {column:?} does not fit {bits} bits")]
	ValueOutOfRange {
		/// The 1-based line number.
		line: u64,
		/// The column.
		column: String,
		/// The value as read.
		value: u64,
		/// The column's width.
		bits: u32,
	},
	/// The CSV has no data row.
	#[error("the CSV has no data row")]
	Empty,
	/// The CSV has more rows than one dataset may hold.
	#[error("the CSV has more than {max} rows")]
	TooManyRows {
		/// The limit.
		max: u64,
	},
	/// Encrypting or proving a chunk failed.
	#[error("cannot encrypt chunk {chunk}: {reason}")]
	Encrypt {
		/// The chunk.
		chunk: u32,
		/// tfhe's reason.
		reason: String,
	},
	/// `rows_per_chunk` is zero.
	#[error("rows per chunk must be at least 1")]
	ZeroRowsPerChunk,
}

/// A worker refuses an encrypted dataset because of one of its chunks (`chunk` is its index).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ChunkError {
	/// The dataset has a different number of chunks than its description says.
	#[error("expected {expected} chunks, found {found}")]
	ChunkCount {
		/// From the description.
		expected: usize,
		/// Given.
		found: usize,
	},
	/// A chunk is larger than the chunk size limit.
	#[error("chunk {chunk} has {size} bytes, over the limit of {limit}")]
	Oversize {
		/// The chunk.
		chunk: u32,
		/// Its size.
		size: u64,
		/// The limit.
		limit: u64,
	},
	/// A chunk's bytes do not hash to the registered blake2-256 hash.
	#[error("chunk {chunk} does not match its registered hash")]
	HashMismatch {
		/// The chunk.
		chunk: u32,
	},
	/// A chunk is shorter than its header, or its ciphertext list ends early.
	#[error("chunk {chunk} is truncated")]
	Truncated {
		/// The chunk.
		chunk: u32,
	},
	/// A chunk's header or ciphertext list cannot be read, or is not for this parameter set.
	#[error("chunk {chunk} is corrupted: {reason}")]
	Corrupted {
		/// The chunk.
		chunk: u32,
		/// What is wrong.
		reason: String,
	},
	/// A chunk was encrypted for another dataset.
	#[error("chunk {chunk} belongs to dataset {found}, not {expected}")]
	WrongDataset {
		/// The chunk.
		chunk: u32,
		/// The dataset being verified.
		expected: u32,
		/// The dataset in the chunk's header.
		found: u32,
	},
	/// A chunk sits at another position than the one it was encrypted for, or covers other rows.
	#[error("chunk {chunk} was encrypted as chunk {found_index} (rows from {found_first_row})")]
	WrongPosition {
		/// The position verified.
		chunk: u32,
		/// The index in its header.
		found_index: u32,
		/// The first row in its header.
		found_first_row: u64,
	},
	/// A chunk's zk-pok proof does not verify (under this key set and for this dataset and
	/// position): its ciphertexts are not proven well-formed.
	#[error("chunk {chunk}: the zk-pok proof does not verify")]
	ProofRejected {
		/// The chunk.
		chunk: u32,
	},
	/// A chunk holds another number or other types of values than the schema requires.
	#[error("chunk {chunk} does not match the schema: {reason}")]
	WrongShape {
		/// The chunk.
		chunk: u32,
		/// What is wrong.
		reason: String,
	},
}

/// Evaluating a query failed.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
	/// The query is not valid for this dataset (checked before any FHE work).
	#[error("invalid query: {0}")]
	Query(#[from] QueryError),
	/// The worker thread pool could not be started.
	#[error("cannot start {threads} worker threads: {reason}")]
	ThreadPool {
		/// Threads asked for.
		threads: usize,
		/// Why.
		reason: String,
	},
	/// The server key is not of the project's atomic pattern (a classic keyswitch-bootstrap).
	#[error("the server key is not a classic KS-PBS key")]
	UnsupportedServerKey,
}

/// Decrypting a result failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecryptError {
	/// The result was computed under another key set than the decrypting key's.
	#[error("the result was computed under key set {found}, not this key's {expected}")]
	WrongKey {
		/// The decrypting key's set (hex).
		expected: String,
		/// The result's (hex).
		found: String,
	},
	/// The result bytes are truncated, oversized or malformed.
	#[error("the result is malformed: {reason}")]
	Malformed {
		/// What is wrong.
		reason: String,
	},
	/// The result does not have the shape the query's layout requires.
	#[error("the result has {found} blocks, the query's layout {expected}")]
	LayoutMismatch {
		/// Blocks the layout needs.
		expected: usize,
		/// Blocks in the result.
		found: usize,
	},
	/// The compact result cannot be decrypted with this key: malformed, a key of the wrong
	/// length, or a block with a non-empty carry.
	#[error("the result cannot be decrypted: {0}")]
	Undecryptable(tokenfactory_commitments::CommitmentError),
	/// The result decrypts to something else than the query's answer on the owner's data.
	#[error(
		"the agreed result is not the query's answer on the owner's data: the workers who agreed \
		 on it lied or erred"
	)]
	NotTheAnswer,
}
