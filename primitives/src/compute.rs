//! Compute jobs: the types a job's submitter, its workers, the owner's decryptor and the
//! runtime agree on.
//!
//! A consumer submits a [`Query`](crate::programs::Query) on a dataset and pays for it
//! ([`Payment`]). The runtime assigns `k` bonded workers, each of whose off-chain worker
//! evaluates the query under FHE and submits the result's digest signed with its worker key
//! ([`ResultStatement`]). When a majority agrees, the dataset owner's decryptor decrypts the
//! agreed result, proves the decryption (Groth16, [`crate::groth16`]) and seals the plaintext
//! to the consumer's X25519 key ([`SealingKey`]); the runtime verifies the proof and settles.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_core::sr25519;
use scale_info::TypeInfo;

use crate::voucher::JobVoucher;

/// Identifies a job. Allocated sequentially on chain and never reused; the decryption proof
/// binds it, so a reveal cannot be replayed for another job.
pub type JobId = u64;

/// A consumer's X25519 public key: the revealed result is sealed to it.
pub type SealingKey = [u8; 32];

/// A 32-byte digest or commitment: a BLS12-381 scalar-field element in its canonical
/// little-endian encoding (see `tokenfactory-commitments`).
pub type FieldBytes = [u8; 32];

/// The key type of the workers' off-chain signing keys in a node's keystore.
pub const WORKER_KEY_TYPE: polkadot_sdk::sp_core::crypto::KeyTypeId =
	polkadot_sdk::sp_core::crypto::KeyTypeId(*b"tfwk");

/// The workers' application crypto: sr25519 keys of type [`WORKER_KEY_TYPE`], so that a
/// node's keystore (and `--alice`-style development seeds, through the session keys) can
/// hold them.
pub mod worker_app {
	use polkadot_sdk::sp_application_crypto::{app_crypto, sr25519};
	app_crypto!(sr25519, super::WORKER_KEY_TYPE);
}

/// The number of message bits one shortint block of the project's FHE parameter set carries:
/// the runtime sizes a result (and picks its circuit) from it. `client/fhe` asserts its
/// parameter set agrees.
pub const RESULT_BITS_PER_BLOCK: u32 = 2;

/// The number of ciphertext blocks of a result with `layout`.
pub fn result_blocks(layout: &crate::programs::OutputLayout) -> u32 {
	layout.iter().map(|output| output.bits.div_ceil(RESULT_BITS_PER_BLOCK)).sum()
}

/// A worker's off-chain signing key.
pub type WorkerKey = sr25519::Public;
/// A worker's signature of a [`CommitStatement`], a [`ResultStatement`] or a
/// [`WorkerKeyProof`].
pub type WorkerSignature = sr25519::Signature;

/// A dataset owner's decryptor key: the sr25519 key its decryptor signs reveals with
/// ([`RevealStatement`]). Registered with the key set; derived from the key set's secret key
/// (see `tokenfactory-fhe`'s `OwnerKeys::decryptor_pair`), so that whoever can decrypt can
/// sign and nobody else.
pub type DecryptorKey = sr25519::Public;
/// A decryptor's signature of a [`RevealStatement`].
pub type DecryptorSignature = sr25519::Signature;

/// The blake2-256 hash of `bytes` (the hash every commitment of this module uses).
pub fn blake2_256(bytes: &[u8]) -> [u8; 32] {
	use polkadot_sdk::sp_runtime::traits::{BlakeTwo256, Hash};
	BlakeTwo256::hash(bytes).0
}

/// The fixed tag that opens every [`WorkerKeyProof`].
pub const WORKER_KEY_PROOF_TAG: [u8; 26] = *b"tokenfactory/worker-key/v1";

/// What a worker key signs to prove that its holder agrees to compute for `account`: without
/// it, anyone could register a victim node's public key and have the victim work for them.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct WorkerKeyProof<Hash, AccountId> {
	/// Always [`WORKER_KEY_PROOF_TAG`].
	pub tag: [u8; 26],
	/// The chain's genesis hash.
	pub genesis_hash: Hash,
	/// The account that registers the key and holds the bond.
	pub account: AccountId,
}

impl<Hash: Encode, AccountId: Encode> WorkerKeyProof<Hash, AccountId> {
	/// The proof payload for `account` on the chain `genesis_hash`.
	pub fn new(genesis_hash: Hash, account: AccountId) -> Self {
		Self { tag: WORKER_KEY_PROOF_TAG, genesis_hash, account }
	}
}

/// The fixed tag that opens every [`DisputeStatement`].
pub const DISPUTE_STATEMENT_TAG: [u8; 23] = *b"tokenfactory/dispute/v1";

/// What the owner's decryptor signs when the result the workers agreed on is not the query's
/// answer on the owner's data: "for `job` on the chain `genesis_hash`, I refuse to reveal
/// `digest`". The job is refunded; nothing is decrypted for anyone.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct DisputeStatement<Hash> {
	/// Always [`DISPUTE_STATEMENT_TAG`].
	pub tag: [u8; 23],
	/// The chain's genesis hash.
	pub genesis_hash: Hash,
	/// The job.
	pub job: JobId,
	/// The agreed digest the decryptor refuses.
	pub digest: FieldBytes,
}

impl<Hash: Encode> DisputeStatement<Hash> {
	/// The statement refusing `digest` for `job`.
	pub fn new(genesis_hash: Hash, job: JobId, digest: FieldBytes) -> Self {
		Self { tag: DISPUTE_STATEMENT_TAG, genesis_hash, job, digest }
	}
}

/// The fixed tag that opens every [`RevealStatement`].
pub const REVEAL_STATEMENT_TAG: [u8; 22] = *b"tokenfactory/reveal/v1";

/// What the owner's decryptor signs when it reveals: "for `job` on the chain `genesis_hash`, the
/// proven commitment is `result_commitment`, the answer sealed to `consumer_key` is the bytes
/// hashing to `sealed_hash`, and the proof is the bytes hashing to `proof_hash`". The proof
/// binds the commitment to the job; this binds the sealed bytes and the consumer's key to both,
/// so nobody who sees a reveal can swap the answer, and the proof too, so nobody can resubmit
/// the signed reveal with junk proofs to make every node run a pairing check for nothing.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct RevealStatement<Hash> {
	/// Always [`REVEAL_STATEMENT_TAG`].
	pub tag: [u8; 22],
	/// The chain's genesis hash.
	pub genesis_hash: Hash,
	/// The job.
	pub job: JobId,
	/// The proven commitment to the plaintext.
	pub result_commitment: FieldBytes,
	/// The blake2-256 hash of the sealed answer.
	pub sealed_hash: [u8; 32],
	/// The blake2-256 hash of the proof.
	pub proof_hash: [u8; 32],
	/// The key the answer is sealed to (the job's).
	pub consumer_key: SealingKey,
}

impl<Hash: Encode> RevealStatement<Hash> {
	/// The statement for a reveal of `job` with these bytes.
	pub fn new(
		genesis_hash: Hash,
		job: JobId,
		result_commitment: FieldBytes,
		sealed: &[u8],
		proof: &[u8],
		consumer_key: SealingKey,
	) -> Self {
		Self {
			tag: REVEAL_STATEMENT_TAG,
			genesis_hash,
			job,
			result_commitment,
			sealed_hash: blake2_256(sealed),
			proof_hash: blake2_256(proof),
			consumer_key,
		}
	}
}

/// How a job is paid.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum Payment<Balance, Signature> {
	/// From the submitter's free balance, held in escrow.
	FreeBalance,
	/// By a job voucher on a channel to the dataset's owner, signed by the channel's payer for
	/// exactly this job ([`JobOrder`]): the payer is the consumer, whoever submits it.
	Voucher {
		/// The voucher.
		voucher: JobVoucher<Balance>,
		/// The payer's signature of it.
		signature: Signature,
	},
}

/// The fixed tag that opens every [`JobOrder`]'s hash.
pub const JOB_ORDER_TAG: [u8; 25] = *b"tokenfactory/job-order/v1";

/// The terms a job voucher pays for: the dataset, the query as the consumer wrote it, and the
/// key the answer is sealed to. Its hash is what a [`JobVoucher`] names.
#[derive(Clone, PartialEq, Eq, Encode, Debug)]
pub struct JobOrder<'a> {
	/// Always [`JOB_ORDER_TAG`].
	pub tag: [u8; 25],
	/// The dataset.
	pub dataset: crate::datasets::DatasetId,
	/// The query, as submitted.
	pub query: &'a crate::programs::Query,
	/// The consumer's sealing key.
	pub consumer_key: &'a SealingKey,
}

impl<'a> JobOrder<'a> {
	/// The order for `query` on `dataset`, sealed to `consumer_key`.
	pub fn new(
		dataset: crate::datasets::DatasetId,
		query: &'a crate::programs::Query,
		consumer_key: &'a SealingKey,
	) -> Self {
		Self { tag: JOB_ORDER_TAG, dataset, query, consumer_key }
	}

	/// The hash a job voucher names (blake2-256 of the encoding).
	pub fn hash(&self) -> [u8; 32] {
		self.using_encoded(blake2_256)
	}
}

/// The fixed tag that opens every [`ResultStatement`]'s signing payload.
pub const RESULT_STATEMENT_TAG: [u8; 22] = *b"tokenfactory/result/v1";

/// What a worker signs when it submits a result: "for `job` on the chain `genesis_hash`, my
/// result's digest is `digest` and its blob hashes to `blob_hash`".
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ResultStatement<Hash> {
	/// Always [`RESULT_STATEMENT_TAG`].
	pub tag: [u8; 22],
	/// The chain's genesis hash.
	pub genesis_hash: Hash,
	/// The job.
	pub job: JobId,
	/// The digest of the result's compact form (what replicas agree on).
	pub digest: FieldBytes,
	/// The blake2-256 hash of the result blob.
	pub blob_hash: [u8; 32],
}

impl<Hash: Encode> ResultStatement<Hash> {
	/// The statement for `job` on the chain `genesis_hash`.
	pub fn new(genesis_hash: Hash, job: JobId, digest: FieldBytes, blob_hash: [u8; 32]) -> Self {
		Self { tag: RESULT_STATEMENT_TAG, genesis_hash, job, digest, blob_hash }
	}
}

/// The fixed tag that opens every [`ResultCommitment`].
pub const RESULT_COMMITMENT_TAG: [u8; 33] = *b"tokenfactory/result-commitment/v1";

/// What a worker commits to before any result of its job is known: its own digest and blob
/// hash, its account, and a secret salt. Only the hash goes on chain
/// ([`CommitStatement`]); the worker opens it once every assigned worker has committed (or
/// the commit window closed), and an opening must match its own commitment. A worker that
/// copies another's digest once it is public cannot open to it, since its commitment was
/// fixed before, and a copied commitment names the other account.
#[derive(Clone, PartialEq, Eq, Encode, Debug)]
pub struct ResultCommitment<'a, Hash, AccountId> {
	/// Always [`RESULT_COMMITMENT_TAG`].
	pub tag: [u8; 33],
	/// The chain's genesis hash.
	pub genesis_hash: Hash,
	/// The job.
	pub job: JobId,
	/// The committing worker's account.
	pub worker: &'a AccountId,
	/// The digest of the result's compact form.
	pub digest: FieldBytes,
	/// The blake2-256 hash of the result blob.
	pub blob_hash: [u8; 32],
	/// The worker's secret: nobody can test guesses of the digest against the commitment.
	pub salt: [u8; 32],
}

impl<'a, Hash: Encode, AccountId: Encode> ResultCommitment<'a, Hash, AccountId> {
	/// `worker`'s commitment to `digest` and `blob_hash` for `job` on `genesis_hash`.
	pub fn new(
		genesis_hash: Hash,
		job: JobId,
		worker: &'a AccountId,
		digest: FieldBytes,
		blob_hash: [u8; 32],
		salt: [u8; 32],
	) -> Self {
		Self { tag: RESULT_COMMITMENT_TAG, genesis_hash, job, worker, digest, blob_hash, salt }
	}

	/// The commitment as stored on chain (blake2-256 of the encoding).
	pub fn hash(&self) -> [u8; 32] {
		self.using_encoded(blake2_256)
	}
}

/// The fixed tag that opens every [`CommitStatement`]'s signing payload.
pub const COMMIT_STATEMENT_TAG: [u8; 22] = *b"tokenfactory/commit/v1";

/// What a worker signs with its worker key when it commits: "for `job` on the chain
/// `genesis_hash`, my result commitment is `commitment`".
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct CommitStatement<Hash> {
	/// Always [`COMMIT_STATEMENT_TAG`].
	pub tag: [u8; 22],
	/// The chain's genesis hash.
	pub genesis_hash: Hash,
	/// The job.
	pub job: JobId,
	/// The [`ResultCommitment`]'s hash.
	pub commitment: [u8; 32],
}

impl<Hash: Encode> CommitStatement<Hash> {
	/// The statement for `job` on the chain `genesis_hash`.
	pub fn new(genesis_hash: Hash, job: JobId, commitment: [u8; 32]) -> Self {
		Self { tag: COMMIT_STATEMENT_TAG, genesis_hash, job, commitment }
	}
}

/// The prefix of every job result blob's key in the offchain database.
pub const RESULT_KEY_PREFIX: &[u8] = b"tokenfactory/result/";

/// The offchain-database key of the result blob with hash `blob_hash` submitted for `job`:
/// one function, used by the runtime that indexes it and the node that reads it.
pub fn result_offchain_key(job: JobId, blob_hash: &[u8; 32]) -> alloc::vec::Vec<u8> {
	let mut key = RESULT_KEY_PREFIX.to_vec();
	(job, blob_hash).encode_to(&mut key);
	key
}

/// Why a job was refunded.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum RefundReason {
	/// Not enough workers submitted a result before the result deadline.
	ResultTimeout,
	/// Every assigned worker submitted, and no digest has a majority.
	NoMajority,
	/// No valid reveal arrived before the reveal deadline.
	RevealTimeout,
	/// The owner's decryptor found that the agreed result is not the query's answer on its
	/// data and refused to reveal it.
	Disputed,
	/// The job was computing when the runtime upgraded to commit–reveal results: its workers
	/// could not have committed, so it was refunded and nobody slashed.
	Upgraded,
	/// The consumer showed that the revealed seal does not open to the proven result: the
	/// price came back to it out of the owner's bond (the workers keep their pay).
	SealRefuted,
	/// The block after its submission could not assign it: fewer than the replication factor
	/// of workers had room any more (they left or filled up in between), or no block near its
	/// deadlines had room for them.
	Unassignable,
}

/// Where a job is in its life, as clients see it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum JobPhase {
	/// Workers are evaluating.
	Computing,
	/// A majority of workers agreed on a digest; the owner's reveal is awaited.
	AwaitingReveal,
	/// The result was revealed with a valid proof and the payment settled.
	Revealed,
	/// The consumer was refunded.
	Refunded(RefundReason),
	/// Paid for; its workers are drawn in the next block.
	Assigning,
}

/// What a job would be: [`ComputeApi::quote`]'s answer.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct Quote<Balance> {
	/// The price of the call.
	pub price: Balance,
	/// The cohort minimum the job will apply (the dataset's and program's, or the query's if
	/// stricter).
	pub min_cohort: u32,
	/// The ciphertext blocks of the result.
	pub result_blocks: u32,
	/// The block count of the circuit shape its decryption proof will use.
	pub circuit_blocks: u32,
	/// Workers the job would be assigned to.
	pub replicas: u32,
}

/// How a verifying key is checked and used: the Groth16 verifier of decryption proofs, as the
/// runtime plugs it in (host calls on chain, plain arkworks natively).
pub trait DecryptionVerifier {
	/// Checks `proof` for `statement` under the serialized verifying key `verifying_key`.
	///
	/// # Errors
	///
	/// Any [`crate::groth16::Groth16Error`]: a malformed key, proof or input, or a proof
	/// that does not prove the statement.
	fn verify(
		verifying_key: &[u8],
		proof: &[u8],
		statement: &crate::groth16::DecryptionStatement,
	) -> Result<(), crate::groth16::Groth16Error>;

	/// Whether `verifying_key` is a well-formed key (checked when governance sets one).
	fn is_valid_key(verifying_key: &[u8]) -> bool;
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Read access to jobs and workers for clients, workers and decryptors.
	pub trait ComputeApi<JobView, WorkerView, QuoteView, AccountId>
	where
		JobView: codec::Codec,
		WorkerView: codec::Codec,
		QuoteView: codec::Codec,
		AccountId: codec::Codec,
	{
		/// A job's record, if it exists (finished jobs are kept for a retention period).
		fn job(id: JobId) -> Option<JobView>;
		/// A worker's record, if it is registered.
		fn worker(account: AccountId) -> Option<WorkerView>;
		/// What a job of `query` on `dataset` would cost and how its result would be shaped,
		/// or why it would be refused: a client's dry run before paying.
		fn quote(dataset: crate::datasets::DatasetId, query: crate::programs::Query) -> Result<QuoteView, polkadot_sdk::sp_runtime::DispatchError>;
	}
}
