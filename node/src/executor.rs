//! The node-native FHE executor: what the compute pallet's off-chain worker reaches through
//! `tokenfactory_primitives::executor` (an externalities extension registered only for
//! off-chain workers, see `service.rs`).
//!
//! Two queues, each drained by a thread of its own so that an off-chain worker never waits:
//! - **evaluations** (every worker node): read the key set and dataset blobs from this node's
//!   offchain database (checking each against its registered hash), verify the dataset's zk-pok
//!   proofs, evaluate the query under FHE (`tokenfactory-fhe`), return the result blob and its
//!   digest. Decompressed server keys and verified datasets are cached, so a second job on the
//!   same dataset costs only its evaluation;
//! - **reveals** (a node started with `--fhe-keys`, the dataset owner's decryptor): read the
//!   agreed result blob, decrypt it and check it against the query's answer on the owner's
//!   plaintext table (kept in the key directory by `tokenfactory dataset register`); only then
//!   prove the decryption (`tokenfactory-zk`), seal it to the consumer and sign the reveal. A
//!   result that is not the answer is disputed, never revealed; a dataset whose plaintext the
//!   decryptor does not hold is not revealed at all.
//!
//! Each finished task is announced on a stream ([`NodeExecutor::take_finished`]) that makes the
//! node run its off-chain workers again at once on the best block (`service.rs`): a result or a
//! reveal goes out the moment it is ready, not at the next block import.
//!
//! Tasks are keyed by their content hash (`TaskId`): a task submitted twice runs once, and a job
//! that replaced another of the same id in a reorg is a different task. Finished tasks are kept until
//! [`MAX_FINISHED`] newer ones replace them; the off-chain worker stores outputs it has read in
//! the node's offchain storage, so a restart loses nothing but running work.

use std::{
	collections::{BTreeMap, VecDeque},
	path::PathBuf,
	sync::{
		mpsc::{sync_channel, Receiver, SyncSender, TrySendError},
		Arc, Mutex,
	},
};

use tokenfactory_fhe::{
	dataset::DatasetDescriptor, eval::VerifiedDataset, EvaluatedResult, OwnerKeys, PublicKeySet,
	Worker,
};
use tokenfactory_primitives::{
	compute::{FieldBytes, JobId, RevealStatement},
	executor::{
		BlobRef, EvalOutput, EvalRequest, Executor, ExecutorError, RevealOutput, RevealRequest,
		TaskId, TaskStatus,
	},
};

/// The log target of the executor.
const LOG_TARGET: &str = "fhe-executor";
/// Tasks waiting in a queue before new ones are refused (`Busy`): the off-chain worker asks
/// again in a later block.
const QUEUE_DEPTH: usize = 64;
/// Finished tasks remembered per queue.
const MAX_FINISHED: usize = 256;
/// Decompressed server keys kept (a few hundred MB each).
const CACHED_KEY_SETS: usize = 2;
/// Verified datasets kept.
const CACHED_DATASETS: usize = 4;

/// Reads a value from the node's offchain database (persistent storage).
pub type OffchainReader = Arc<dyn Fn(&[u8]) -> Option<Vec<u8>> + Send + Sync>;

/// How the executor is set up (from the node's command line).
pub struct ExecutorOptions {
	/// Threads an evaluation uses (capped by `tokenfactory_fhe::eval::MAX_EVAL_THREADS`).
	pub threads: usize,
	/// Owner key directories this node decrypts for (`--fhe-keys`).
	pub decryption_keys: Vec<PathBuf>,
	/// Where proving keys are read from (and development ones written to).
	pub proving_keys: PathBuf,
	/// Whether missing proving keys may be made with the insecure development setup.
	pub allow_dev_setup: bool,
}

/// The executor. Cheap to clone: every clone shares the queues and caches.
#[derive(Clone)]
pub struct NodeExecutor {
	shared: Arc<Shared>,
}

struct Shared {
	evaluations: Mutex<Tasks<EvalOutput>>,
	/// The latest evaluation task submitted for each job (for runtimes that ask by job id).
	evaluations_by_job: Mutex<BTreeMap<JobId, TaskId>>,
	reveals: Mutex<Tasks<RevealOutput>>,
	eval_queue: SyncSender<EvalRequest>,
	reveal_queue: SyncSender<RevealRequest>,
	decryption_keys: Vec<FieldBytes>,
	/// Told of every finished task.
	finished: futures::channel::mpsc::UnboundedSender<()>,
	/// Its other end, until the node takes it.
	finished_stream: Mutex<Option<futures::channel::mpsc::UnboundedReceiver<()>>>,
}

/// Status of every task a queue knows.
struct Tasks<Output> {
	status: BTreeMap<TaskId, TaskStatus<Output>>,
	finished: VecDeque<TaskId>,
}

impl<Output: Clone> Tasks<Output> {
	fn new() -> Self {
		Self { status: BTreeMap::new(), finished: VecDeque::new() }
	}

	fn get(&mut self, task: TaskId) -> TaskStatus<Output> {
		let status = self.status.get(&task).cloned().unwrap_or(TaskStatus::Unknown);
		// A failure is reported once, then forgotten, so that the off-chain worker can retry.
		if matches!(status, TaskStatus::Failed(_)) {
			self.status.remove(&task);
		}
		status
	}

	fn finish(&mut self, task: TaskId, status: TaskStatus<Output>) {
		self.status.insert(task, status);
		self.finished.push_back(task);
		while self.finished.len() > MAX_FINISHED {
			if let Some(old) = self.finished.pop_front() {
				self.status.remove(&old);
			}
		}
	}
}

impl NodeExecutor {
	/// Starts the executor's threads.
	///
	/// # Errors
	///
	/// A decryption key directory that cannot be read.
	pub fn start(options: ExecutorOptions, read: OffchainReader) -> Result<Self, String> {
		let owners = options
			.decryption_keys
			.iter()
			.map(|dir| {
				let keys = OwnerKeys::load(dir)
					.map_err(|error| format!("--fhe-keys {}: {error}", dir.display()))?;
				log::info!(
					target: LOG_TARGET,
					"decryptor for key commitment 0x{} ({})",
					tokenfactory_fhe::hex(&keys.key_commitment()),
					dir.display()
				);
				Ok((keys.key_commitment(), Arc::new(keys), dir.clone()))
			})
			.collect::<Result<Vec<_>, String>>()?;
		let (eval_queue, eval_jobs) = sync_channel(QUEUE_DEPTH);
		let (reveal_queue, reveal_jobs) = sync_channel(QUEUE_DEPTH);
		let (finished, finished_stream) = futures::channel::mpsc::unbounded();
		let shared = Arc::new(Shared {
			evaluations: Mutex::new(Tasks::new()),
			evaluations_by_job: Mutex::new(BTreeMap::new()),
			reveals: Mutex::new(Tasks::new()),
			eval_queue,
			reveal_queue,
			decryption_keys: owners.iter().map(|(commitment, _, _)| *commitment).collect(),
			finished,
			finished_stream: Mutex::new(Some(finished_stream)),
		});
		let evaluator = Evaluator {
			read: read.clone(),
			threads: options.threads,
			key_sets: Vec::new(),
			datasets: Vec::new(),
		};
		let revealer = Revealer {
			read,
			owners,
			proving_keys: tokenfactory_zk::reveal::ProvingKeys::new(
				options.proving_keys,
				options.allow_dev_setup,
			),
		};
		spawn("fhe-evaluator", shared.clone(), eval_jobs, evaluator, |shared| &shared.evaluations);
		spawn("fhe-revealer", shared.clone(), reveal_jobs, revealer, |shared| &shared.reveals);
		Ok(Self { shared })
	}

	/// The stream of finished tasks (one `()` each), the first time it is asked for.
	pub fn take_finished(&self) -> Option<futures::channel::mpsc::UnboundedReceiver<()>> {
		self.shared.finished_stream.lock().ok().and_then(|mut stream| stream.take())
	}
}

/// One kind of work: a request in, an output or an error out.
trait Work<Request>: Send + 'static {
	type Output: Clone + Send + 'static;
	fn job(request: &Request) -> JobId;
	fn task(request: &Request) -> TaskId;
	fn run(&mut self, request: Request) -> Result<Self::Output, String>;
}

fn spawn<Request: Send + 'static, W: Work<Request>>(
	name: &str,
	shared: Arc<Shared>,
	jobs: Receiver<Request>,
	mut work: W,
	tasks: fn(&Shared) -> &Mutex<Tasks<W::Output>>,
) {
	let thread = name.to_owned();
	let spawned = std::thread::Builder::new().name(name.into()).spawn(move || {
		for request in jobs {
			let job = W::job(&request);
			let task = W::task(&request);
			let started = std::time::Instant::now();
			// A panic inside tfhe or arkworks on hostile input must not take the node down.
			let outcome =
				std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work.run(request)))
					.unwrap_or_else(|_| Err("the task panicked".into()));
			let status = match outcome {
				Ok(output) => {
					log::info!(
						target: LOG_TARGET,
						"job {job}: {thread} done in {:.1} s",
						started.elapsed().as_secs_f64()
					);
					TaskStatus::Done(output)
				}
				Err(reason) => {
					log::error!(target: LOG_TARGET, "job {job}: failed: {reason}");
					TaskStatus::Failed(reason.into_bytes())
				}
			};
			if let Ok(mut tasks) = tasks(&shared).lock() {
				tasks.finish(task, status);
			}
			// Nobody listening (off-chain workers off, or the node stopping) is fine.
			let _ = shared.finished.unbounded_send(());
		}
	});
	if let Err(error) = spawned {
		log::error!(target: LOG_TARGET, "cannot start the {name} thread: {error}");
	}
}

/// Reads blob `blob` from the offchain database and checks it against its registered hash.
fn read_blob(read: &OffchainReader, blob: &BlobRef) -> Result<Vec<u8>, String> {
	let bytes = read(&blob.key).ok_or_else(|| {
		format!(
			"blob 0x{} is not in this node's offchain database (the node must import the blocks \
			 that uploaded it with offchain indexing on)",
			tokenfactory_fhe::hex(&blob.hash)
		)
	})?;
	if tokenfactory_fhe::blake2_256(&bytes) != blob.hash {
		return Err(format!(
			"blob 0x{} does not match its registered hash",
			tokenfactory_fhe::hex(&blob.hash)
		));
	}
	Ok(bytes)
}

/// Reads and joins the pieces of one blob (e.g. a server key uploaded in 1 MiB chunks).
fn read_pieces(read: &OffchainReader, pieces: &[BlobRef]) -> Result<Vec<u8>, String> {
	let mut bytes = Vec::new();
	for piece in pieces {
		bytes.extend(read_blob(read, piece)?);
	}
	Ok(bytes)
}

/// The evaluation thread's state: its caches.
struct Evaluator {
	read: OffchainReader,
	threads: usize,
	/// `(manifest hashes, worker)`, most recent last.
	key_sets: Vec<(Vec<[u8; 32]>, Arc<Worker>)>,
	/// `(key set hashes, dataset id, chunk hashes, verified)`, most recent last.
	datasets: Vec<(Vec<[u8; 32]>, u32, Vec<[u8; 32]>, Arc<VerifiedDataset>)>,
}

impl Evaluator {
	fn worker(&mut self, request: &EvalRequest) -> Result<(Vec<[u8; 32]>, Arc<Worker>), String> {
		let keys = &request.key_set;
		let id: Vec<[u8; 32]> = keys
			.server_key
			.iter()
			.chain(&keys.public_key)
			.chain(&keys.proof_parameters)
			.map(|blob| blob.hash)
			.collect();
		if let Some(position) = self.key_sets.iter().position(|(cached, _)| cached == &id) {
			let entry = self.key_sets.remove(position);
			self.key_sets.push(entry.clone());
			return Ok(entry);
		}
		let started = std::time::Instant::now();
		let server_key = read_pieces(&self.read, &keys.server_key)?;
		let public_key = read_pieces(&self.read, &keys.public_key)?;
		let crs = read_pieces(&self.read, &keys.proof_parameters)?;
		let public = PublicKeySet::from_blobs(&server_key, &public_key, &crs)
			.map_err(|error| format!("key set {}: {error}", keys.id))?;
		let worker = Arc::new(
			Worker::new(&public, self.threads)
				.map_err(|error| format!("key set {}: {error}", keys.id))?,
		);
		log::info!(
			target: LOG_TARGET,
			"key set {}: {} MB of server key decompressed in {:.1} s",
			keys.id,
			server_key.len() / 1_000_000,
			started.elapsed().as_secs_f64()
		);
		if self.key_sets.len() >= CACHED_KEY_SETS {
			self.key_sets.remove(0);
		}
		self.key_sets.push((id.clone(), worker.clone()));
		Ok((id, worker))
	}

	fn dataset(
		&mut self,
		key_set: &[[u8; 32]],
		worker: &Worker,
		request: &EvalRequest,
	) -> Result<Arc<VerifiedDataset>, String> {
		let hashes: Vec<[u8; 32]> = request.chunks.iter().map(|chunk| chunk.hash).collect();
		if let Some(position) = self.datasets.iter().position(|(keys, id, cached, _)| {
			keys.as_slice() == key_set && *id == request.dataset && cached == &hashes
		}) {
			let entry = self.datasets.remove(position);
			let verified = entry.3.clone();
			self.datasets.push(entry);
			return Ok(verified);
		}
		let started = std::time::Instant::now();
		let chunks = request
			.chunks
			.iter()
			.map(|chunk| read_blob(&self.read, chunk))
			.collect::<Result<Vec<_>, _>>()?;
		let descriptor = DatasetDescriptor {
			dataset_id: request.dataset,
			widths: request.widths.clone(),
			rows: u64::from(request.rows),
			chunk_hashes: hashes.clone(),
		};
		let verified = Arc::new(
			worker
				.verify_dataset(&descriptor, &chunks)
				.map_err(|error| format!("dataset {} refused: {error}", request.dataset))?,
		);
		log::info!(
			target: LOG_TARGET,
			"dataset {}: {} chunks verified (zk-pok) and expanded in {:.1} s",
			request.dataset,
			chunks.len(),
			started.elapsed().as_secs_f64()
		);
		if self.datasets.len() >= CACHED_DATASETS {
			self.datasets.remove(0);
		}
		self.datasets.push((key_set.to_vec(), request.dataset, hashes, verified.clone()));
		Ok(verified)
	}
}

impl Work<EvalRequest> for Evaluator {
	type Output = EvalOutput;

	fn job(request: &EvalRequest) -> JobId {
		request.job
	}

	fn task(request: &EvalRequest) -> TaskId {
		request.task_id()
	}

	fn run(&mut self, request: EvalRequest) -> Result<EvalOutput, String> {
		let (key_set, worker) = self.worker(&request)?;
		let dataset = self.dataset(&key_set, &worker, &request)?;
		let started = std::time::Instant::now();
		let result = worker
			.evaluate(&dataset, &request.query)
			.map_err(|error| format!("job {}: {error}", request.job))?;
		log::info!(
			target: LOG_TARGET,
			"job {}: evaluated over {} rows in {:.1} s ({} result blocks)",
			request.job,
			dataset.rows(),
			started.elapsed().as_secs_f64(),
			result.compact.blocks.len()
		);
		Ok(EvalOutput { digest: result.digest(), result: result.to_bytes() })
	}
}

/// The reveal thread's state: the owner keys (with the directory they and the plaintext tables
/// are in) and proving keys.
struct Revealer {
	read: OffchainReader,
	owners: Vec<(FieldBytes, Arc<OwnerKeys>, PathBuf)>,
	proving_keys: tokenfactory_zk::reveal::ProvingKeys,
}

impl Work<RevealRequest> for Revealer {
	type Output = RevealOutput;

	fn job(request: &RevealRequest) -> JobId {
		request.job
	}

	fn task(request: &RevealRequest) -> TaskId {
		request.task_id()
	}

	fn run(&mut self, request: RevealRequest) -> Result<RevealOutput, String> {
		let (owner, dir) = self
			.owners
			.iter()
			.find(|(commitment, _, _)| commitment == &request.key_commitment)
			.map(|(_, keys, dir)| (keys.clone(), dir.clone()))
			.ok_or("no owner key for this key commitment")?;
		let pair = {
			use polkadot_sdk::sp_core::Pair;
			polkadot_sdk::sp_core::sr25519::Pair::from_seed(&owner.decryptor_seed())
		};
		// Any submitted blob whose digest is the agreed one will do; a worker may have sent a
		// blob that does not match its own digest.
		let result = request
			.results
			.iter()
			.filter_map(|blob| read_blob(&self.read, blob).ok())
			.filter_map(|bytes| EvaluatedResult::from_bytes(&bytes).ok())
			.find(|result| result.digest() == request.digest)
			.ok_or("no result blob in this node's offchain database matches the agreed digest")?;
		// Before anything is decrypted for anyone: is this the query's answer on our data?
		let rows =
			tokenfactory_fhe::keys::load_plaintext(&dir, request.dataset).map_err(|error| {
				format!(
				"dataset {}: the decryptor reveals only results it can check against the owner's \
				 plaintext ({error})",
				request.dataset
			)
			})?;
		let layout = request
			.query
			.validate(&request.widths, u64::from(request.rows))
			.map_err(|error| format!("the job's query does not validate: {error}"))?;
		match owner.check_result(&result, &request.query, &layout, &rows) {
			Ok(()) => {}
			Err(tokenfactory_fhe::error::DecryptError::NotTheAnswer) => {
				log::error!(
					target: LOG_TARGET,
					"job {}: REFUSED: the result the workers agreed on (digest 0x{}) is not the \
					 query's answer on dataset {}'s plaintext; nothing revealed, disputing",
					request.job,
					tokenfactory_fhe::hex(&request.digest),
					request.dataset
				);
				use codec::Encode;
				use polkadot_sdk::sp_core::Pair;
				let signature = tokenfactory_primitives::compute::DisputeStatement::new(
					request.genesis_hash,
					request.job,
					request.digest,
				)
				.using_encoded(|payload| pair.sign(payload))
				.0;
				return Ok(RevealOutput::Disputed { signature });
			}
			Err(error) => return Err(format!("the agreed result cannot be checked: {error}")),
		}
		let keys = self
			.proving_keys
			.get(request.circuit_blocks as usize)
			.map_err(|error| format!("proving key: {error}"))?;
		let started = std::time::Instant::now();
		let reveal = tokenfactory_zk::reveal::reveal(
			request.job,
			&owner.lwe_secret_key_bits(),
			&result.compact,
			&request.consumer_key,
			&keys,
		)
		.map_err(|error| format!("proof: {error}"))?;
		// Bind the sealed bytes and the consumer's key to the proven commitment: nobody who
		// sees the reveal can resubmit it with another answer.
		let signature = {
			use codec::Encode;
			use polkadot_sdk::sp_core::Pair;
			RevealStatement::new(
				request.genesis_hash,
				request.job,
				reveal.result_commitment,
				&reveal.sealed,
				&reveal.proof,
				request.consumer_key,
			)
			.using_encoded(|payload| pair.sign(payload))
			.0
		};
		log::info!(
			target: LOG_TARGET,
			"job {}: decrypted and proved ({} blocks, circuit of {}) in {:.1} s",
			request.job,
			result.compact.blocks.len(),
			request.circuit_blocks,
			started.elapsed().as_secs_f64()
		);
		Ok(RevealOutput::Revealed {
			result_commitment: reveal.result_commitment,
			sealed: reveal.sealed,
			proof: reveal.proof,
			signature,
		})
	}
}

impl Executor for NodeExecutor {
	fn submit_evaluation(&self, request: EvalRequest) -> Result<(), ExecutorError> {
		let (job, task) = (request.job, request.task_id());
		submit(&self.shared.evaluations, &self.shared.eval_queue, task, request)?;
		if let Ok(mut by_job) = self.shared.evaluations_by_job.lock() {
			by_job.insert(job, task);
			while by_job.len() > MAX_FINISHED {
				by_job.pop_first();
			}
		}
		Ok(())
	}

	fn evaluation_status_of_job(&self, job: JobId) -> TaskStatus<EvalOutput> {
		let task =
			self.shared.evaluations_by_job.lock().ok().and_then(|by_job| by_job.get(&job).copied());
		match task {
			Some(task) => self.evaluation_status(task),
			None => TaskStatus::Unknown,
		}
	}

	fn evaluation_status(&self, task: TaskId) -> TaskStatus<EvalOutput> {
		self.shared
			.evaluations
			.lock()
			.map(|mut tasks| tasks.get(task))
			.unwrap_or(TaskStatus::Unknown)
	}

	fn decryption_keys(&self) -> Vec<FieldBytes> {
		self.shared.decryption_keys.clone()
	}

	fn submit_reveal(&self, request: RevealRequest) -> Result<(), ExecutorError> {
		if !self.shared.decryption_keys.contains(&request.key_commitment) {
			return Err(ExecutorError::NoDecryptionKey);
		}
		submit(&self.shared.reveals, &self.shared.reveal_queue, request.task_id(), request)
	}

	fn reveal_status(&self, task: TaskId) -> TaskStatus<RevealOutput> {
		self.shared.reveals.lock().map(|mut tasks| tasks.get(task)).unwrap_or(TaskStatus::Unknown)
	}
}

fn submit<Request, Output: Clone>(
	tasks: &Mutex<Tasks<Output>>,
	queue: &SyncSender<Request>,
	task: TaskId,
	request: Request,
) -> Result<(), ExecutorError> {
	let mut tasks = tasks.lock().map_err(|_| ExecutorError::Unavailable)?;
	if matches!(tasks.status.get(&task), Some(TaskStatus::Running | TaskStatus::Done(_))) {
		return Ok(());
	}
	match queue.try_send(request) {
		Ok(()) => {
			tasks.status.insert(task, TaskStatus::Running);
			Ok(())
		}
		Err(TrySendError::Full(_)) => Err(ExecutorError::Busy),
		Err(TrySendError::Disconnected(_)) => Err(ExecutorError::Unavailable),
	}
}
