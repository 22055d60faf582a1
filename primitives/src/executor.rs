//! The bridge between the runtime's off-chain worker and the node-native FHE executor.
//!
//! Consensus code never touches FHE: evaluating a query takes seconds to minutes and needs
//! `tfhe`, which is native-only. The compute pallet's off-chain worker instead hands work to
//! the node through the [`tokenfactory_executor`] runtime interface and polls it in later
//! blocks. The host side of the interface looks for an [`ExecutorExt`] externalities extension,
//! which the node registers **only for off-chain workers**; anywhere else (block import, a node
//! without the executor) every call answers [`ExecutorError::Unavailable`].
//!
//! Two kinds of work exist:
//! - **evaluation** (workers): read the key set and the dataset's ciphertext blobs from the
//!   node's offchain database, verify them, evaluate the query, return the result blob and its
//!   digest ([`EvalRequest`] → [`EvalOutput`]);
//! - **reveal** (the dataset owner's decryptor): read the agreed result blob, decrypt it with the
//!   owner's key, prove the decryption, seal the plaintext to the consumer ([`RevealRequest`] →
//!   [`RevealOutput`]).
//!
//! Both are keyed by their [`TaskId`]: the hash of the whole request, so of everything the
//! output depends on (the job id, the blobs' hashes, the query, the agreed digest, the
//! consumer's key...). Submitting a task twice is harmless; a node that restarted answers
//! [`TaskStatus::Unknown`] so that the off-chain worker submits it again; and after a reorg
//! in which another job took the same id, the other job's request hashes differently, so no
//! stale output is ever reused for it.

use alloc::vec::Vec;
use codec::{Decode, Encode};
#[cfg(feature = "std")]
use polkadot_sdk::sp_externalities::ExternalitiesExt;
use polkadot_sdk::sp_runtime_interface::{
	pass_by::{AllocateAndReturnByCodec, PassFatPointerAndDecode, PassFatPointerAndRead},
	runtime_interface,
};
use scale_info::TypeInfo;

use crate::compute::{FieldBytes, JobId, SealingKey};
use crate::datasets::{DatasetId, KeySetId};
use crate::programs::{ColumnWidth, Query};

/// Identifies a task: the blake2-256 hash of its request under a domain tag.
pub type TaskId = [u8; 32];

fn task_id(tag: &[u8], request: &impl Encode) -> TaskId {
	let mut bytes = tag.to_vec();
	request.encode_to(&mut bytes);
	crate::compute::blake2_256(&bytes)
}

/// A blob in the node's offchain database: where it is and what it must hash to.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct BlobRef {
	/// Its key in the offchain database's persistent storage.
	pub key: Vec<u8>,
	/// Its blake2-256 hash, as registered on chain.
	pub hash: [u8; 32],
	/// Its size in bytes, as registered on chain.
	pub size: u32,
}

/// The public key material of a key set, in its manifest's order.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct KeySetBlobs {
	/// The key set's id on chain.
	pub id: KeySetId,
	/// The compressed server key's pieces, in order.
	pub server_key: Vec<BlobRef>,
	/// The compact public key's pieces, in order.
	pub public_key: Vec<BlobRef>,
	/// The zk-pok parameters' (CRS) pieces, in order.
	pub proof_parameters: Vec<BlobRef>,
}

/// One evaluation for a worker.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct EvalRequest {
	/// The job.
	pub job: JobId,
	/// The key set the dataset is encrypted under.
	pub key_set: KeySetBlobs,
	/// The dataset.
	pub dataset: DatasetId,
	/// Its column widths, in column order.
	pub widths: Vec<ColumnWidth>,
	/// Its row count.
	pub rows: u32,
	/// Its ciphertext chunks, in order.
	pub chunks: Vec<BlobRef>,
	/// What to compute (its cohort minimum already set by the runtime).
	pub query: Query,
}

impl EvalRequest {
	/// The task's id: a hash of the whole request.
	pub fn task_id(&self) -> TaskId {
		task_id(b"tokenfactory/task/eval/v1", self)
	}
}

/// A finished evaluation.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct EvalOutput {
	/// The digest of the result's compact form: what replicas agree on.
	pub digest: FieldBytes,
	/// The result blob (key set id and compact form), indexed on chain with the digest.
	pub result: Vec<u8>,
}

/// One reveal for the dataset owner's decryptor.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct RevealRequest {
	/// The job.
	pub job: JobId,
	/// The commitment to the key the result is encrypted under (selects the owner's key).
	pub key_commitment: FieldBytes,
	/// The agreed digest.
	pub digest: FieldBytes,
	/// The result blobs submitted with the agreed digest (any one that matches it will do).
	pub results: Vec<BlobRef>,
	/// The number of result blocks of the circuit shape whose verifying key the chain uses.
	pub circuit_blocks: u32,
	/// The consumer's sealing key.
	pub consumer_key: SealingKey,
	/// The chain's genesis hash: the domain of the decryptor's signature.
	pub genesis_hash: [u8; 32],
	/// The dataset: the decryptor checks the result against its plaintext table.
	pub dataset: DatasetId,
	/// Its column widths, in column order.
	pub widths: Vec<ColumnWidth>,
	/// Its row count.
	pub rows: u32,
	/// What was asked (with the cohort minimum the runtime set).
	pub query: Query,
}

impl RevealRequest {
	/// The task's id: a hash of the request but its list of result blobs (a late worker whose
	/// digest agrees adds a blob to the list; the task is the same).
	pub fn task_id(&self) -> TaskId {
		let mut key = self.clone();
		key.results.clear();
		task_id(b"tokenfactory/task/reveal/v1", &key)
	}
}

/// A finished reveal: the `reveal` call's content, or the decryptor's refusal.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum RevealOutput {
	/// The agreed result is the query's answer on the owner's data: revealed.
	Revealed {
		/// The commitment to the plaintext digits, bound to the job.
		result_commitment: FieldBytes,
		/// The plaintext digits and the commitment's blinding, sealed to the consumer.
		sealed: Vec<u8>,
		/// The Groth16 proof (compressed, 192 bytes on BLS12-381).
		proof: Vec<u8>,
		/// The decryptor key's sr25519 signature of the reveal's
		/// [`RevealStatement`](crate::compute::RevealStatement).
		signature: [u8; 64],
	},
	/// The agreed result is not the query's answer on the owner's data: nothing is revealed,
	/// and the decryptor disputes the job.
	Disputed {
		/// The decryptor key's sr25519 signature of the
		/// [`DisputeStatement`](crate::compute::DisputeStatement).
		signature: [u8; 64],
	},
}

/// Where a submitted task stands.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum TaskStatus<Output> {
	/// The executor does not know this job (never submitted, or the node restarted).
	Unknown,
	/// Queued or running.
	Running,
	/// Finished.
	Done(Output),
	/// Failed for good (the reason is for the node's log).
	Failed(Vec<u8>),
}

/// Why a task was not taken.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum ExecutorError {
	/// No executor here: not an off-chain worker, or a node without one.
	Unavailable,
	/// This node holds no key able to decrypt the result (reveals only).
	NoDecryptionKey,
	/// The executor's queue is full; try again in a later block.
	Busy,
}

/// What a node-native executor does. The node implements it; the runtime reaches it through
/// [`tokenfactory_executor`].
#[cfg(feature = "std")]
pub trait Executor: Send + Sync {
	/// Queues an evaluation (a no-op if this task is already known).
	///
	/// # Errors
	///
	/// [`ExecutorError::Busy`] when the queue is full.
	fn submit_evaluation(&self, request: EvalRequest) -> Result<(), ExecutorError>;
	/// Where the evaluation `task` stands.
	fn evaluation_status(&self, task: TaskId) -> TaskStatus<EvalOutput>;
	/// Where the latest evaluation submitted for `job` stands (runtimes of before
	/// content-keyed tasks ask this way).
	fn evaluation_status_of_job(&self, job: JobId) -> TaskStatus<EvalOutput>;
	/// The key commitments this node can decrypt under (empty unless it is a decryptor).
	fn decryption_keys(&self) -> Vec<FieldBytes>;
	/// Queues a reveal (a no-op if this task is already known).
	///
	/// # Errors
	///
	/// [`ExecutorError::NoDecryptionKey`], [`ExecutorError::Busy`].
	fn submit_reveal(&self, request: RevealRequest) -> Result<(), ExecutorError>;
	/// Where the reveal `task` stands.
	fn reveal_status(&self, task: TaskId) -> TaskStatus<RevealOutput>;
}

#[cfg(feature = "std")]
polkadot_sdk::sp_externalities::decl_extension! {
	/// The node's executor, registered for off-chain workers only.
	pub struct ExecutorExt(alloc::sync::Arc<dyn Executor>);
}

#[cfg(feature = "std")]
impl ExecutorExt {
	/// The extension wrapping `executor`.
	pub fn new(executor: alloc::sync::Arc<dyn Executor>) -> Self {
		Self(executor)
	}
}

/// The host functions through which the off-chain worker reaches the node's executor.
#[runtime_interface]
pub trait TokenfactoryExecutor {
	/// Whether an executor is reachable here (only in a node's off-chain worker).
	fn is_available(&mut self) -> bool {
		self.extension::<ExecutorExt>().is_some()
	}

	/// Queues an evaluation for a runtime of before content-keyed tasks (the request's layout
	/// is the same), so that workers keep working between a node's upgrade and the runtime's.
	fn submit_evaluation(
		&mut self,
		request: PassFatPointerAndDecode<EvalRequest>,
	) -> AllocateAndReturnByCodec<Result<(), ExecutorError>> {
		match self.extension::<ExecutorExt>() {
			Some(executor) => executor.0.submit_evaluation(request),
			None => Err(ExecutorError::Unavailable),
		}
	}

	/// Queues an evaluation; see [`Executor::submit_evaluation`].
	#[version(2)]
	fn submit_evaluation(
		&mut self,
		request: PassFatPointerAndDecode<EvalRequest>,
	) -> AllocateAndReturnByCodec<Result<(), ExecutorError>> {
		match self.extension::<ExecutorExt>() {
			Some(executor) => executor.0.submit_evaluation(request),
			None => Err(ExecutorError::Unavailable),
		}
	}

	/// Where the latest evaluation submitted for `job` stands: for a runtime of before
	/// content-keyed tasks.
	fn evaluation_status(
		&mut self,
		job: JobId,
	) -> AllocateAndReturnByCodec<TaskStatus<EvalOutput>> {
		match self.extension::<ExecutorExt>() {
			Some(executor) => executor.0.evaluation_status_of_job(job),
			None => TaskStatus::Failed(b"no executor in this context".to_vec()),
		}
	}

	/// Where the evaluation `task` stands.
	#[version(2)]
	fn evaluation_status(
		&mut self,
		task: PassFatPointerAndDecode<TaskId>,
	) -> AllocateAndReturnByCodec<TaskStatus<EvalOutput>> {
		match self.extension::<ExecutorExt>() {
			Some(executor) => executor.0.evaluation_status(task),
			None => TaskStatus::Failed(b"no executor in this context".to_vec()),
		}
	}

	/// The key commitments this node can decrypt under.
	fn decryption_keys(&mut self) -> AllocateAndReturnByCodec<Vec<FieldBytes>> {
		match self.extension::<ExecutorExt>() {
			Some(executor) => executor.0.decryption_keys(),
			None => Vec::new(),
		}
	}

	/// Version 1 took the request layout of runtimes before signed reveals: refused (a runtime
	/// that checks neither the decryptor's signature nor the plaintext gets no reveals; its
	/// jobs are refunded at their reveal deadline until the runtime upgrade).
	fn submit_reveal(
		&mut self,
		_request: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<(), ExecutorError>> {
		Err(ExecutorError::Unavailable)
	}

	/// Queues a reveal; see [`Executor::submit_reveal`].
	#[version(2)]
	fn submit_reveal(
		&mut self,
		request: PassFatPointerAndDecode<RevealRequest>,
	) -> AllocateAndReturnByCodec<Result<(), ExecutorError>> {
		match self.extension::<ExecutorExt>() {
			Some(executor) => executor.0.submit_reveal(request),
			None => Err(ExecutorError::Unavailable),
		}
	}

	/// Version 1 was keyed by job id (see version 2).
	fn reveal_status(&mut self, _job: JobId) -> AllocateAndReturnByCodec<TaskStatus<RevealOutput>> {
		TaskStatus::Failed(b"tasks are keyed by content now: upgrade the runtime".to_vec())
	}

	/// Where the reveal `task` stands.
	#[version(2)]
	fn reveal_status(
		&mut self,
		task: PassFatPointerAndDecode<TaskId>,
	) -> AllocateAndReturnByCodec<TaskStatus<RevealOutput>> {
		match self.extension::<ExecutorExt>() {
			Some(executor) => executor.0.reveal_status(task),
			None => TaskStatus::Failed(b"no executor in this context".to_vec()),
		}
	}
}
