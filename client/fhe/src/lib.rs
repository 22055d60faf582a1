//! # Token Factory FHE engine
//!
//! The native library that makes a dataset computable while encrypted (DESIGN.md §3 steps
//! 1, 5, 6 and §4). Only this crate imports `tfhe`; it is std-only and never a runtime
//! dependency.
//!
//! - [`params`]: the one parameter set;
//! - [`keys`]: owner key generation, key files, the key set's id and secret-key bits;
//! - [`dataset`]: schemas, CSV reading, encryption into proven chunks, blob manifests;
//! - [`programs`]: the aggregate catalogue and its validation (shared with the runtime);
//! - [`eval`]: chunk verification and deterministic evaluation on a worker;
//! - [`compact`]: the compact result form the ZK attestation proves over, and its plain
//!   decryption;
//! - [`decrypt`](OwnerKeys::decrypt): the owner's decryption of a result.
//!
//! A data call, end to end (see `tests/engine.rs`):
//! ```ignore
//! let keys = OwnerKeys::generate()?;
//! let data = dataset::read_csv(csv, &Schema::parse("age:8,income:32")?)?;
//! let encrypted = dataset::encrypt(&keys.public, dataset_id, &data, &EncryptOptions::default())?;
//! let worker = Worker::new(&keys.public, 2)?;
//! let verified = worker.verify_dataset(&encrypted.descriptor(), &encrypted.chunks)?;
//! let result = worker.evaluate(&verified, &query)?;
//! let answer = keys.decrypt(&result.to_bytes(), &query.validate(&widths, rows)?)?;
//! ```

extern crate alloc;

pub mod compact;
pub mod dataset;
pub mod error;
pub mod eval;
pub mod keys;
pub mod params;

/// The program catalogue, shared with the runtime.
pub use tokenfactory_primitives::programs;

pub use compact::{CompactBlock, CompactResult, LweSecretKeyBits};
pub use dataset::{EncryptOptions, EncryptedDataset, PlainDataset, Schema};
pub use eval::{EvaluatedResult, VerifiedDataset, Worker};
pub use keys::{KeySetId, OwnerKeys, PublicKeySet};

/// A blake2-256 hash.
pub type Hash = [u8; 32];

/// The blake2-256 hash of `bytes` (the hash the chain stores for every blob).
pub fn blake2_256(bytes: &[u8]) -> Hash {
	use blake2::digest::{consts::U32, Digest};
	let mut hasher = blake2::Blake2b::<U32>::new();
	hasher.update(bytes);
	hasher.finalize().into()
}

/// `bytes` as lowercase hex (ids in messages).
pub fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
