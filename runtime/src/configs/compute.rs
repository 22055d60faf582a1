use crate::{
	configs::{ClassId, TreasuryAccount},
	prod_or_fast, Balance, Balances, BlockNumber, DataRegistry, Equity, PaymentChannels, Runtime,
	RuntimeCall, RuntimeHoldReason, Signature, TxExtension, UncheckedExtrinsic, DAYS, MINUTES,
	UNIT,
};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU32},
	frame_system,
	sp_runtime::Perbill,
};
use tokenfactory_primitives::{
	compute::DecryptionVerifier,
	groth16::{self, DecryptionStatement, Groth16Error},
};

/// A worker's bond: a hundred tokens, worth losing ten times over before it is removed.
const MIN_WORKER_BOND: Balance = 100 * UNIT;
/// One fault (a wrong digest, a missed deadline) costs a tenth of the minimum bond.
const SLASH_AMOUNT: Balance = 10 * UNIT;
/// A week before a leaving worker's bond is free: long enough to catch its late faults
/// (twenty blocks under `fast-runtime`).
const UNBONDING_DELAY: BlockNumber = prod_or_fast!(7 * DAYS, 20);
/// Results are due thirty minutes after submission plus one block per `ROWS_PER_TIMEOUT_BLOCK`
/// rows: an FHE `Mean` with two predicates costs about a second per row on two cores, and a
/// worker may have jobs queued before this one (four minutes plus under `fast-runtime`, where
/// three workers share two cores in the network tests).
const RESULT_TIMEOUT: BlockNumber = prod_or_fast!(30 * MINUTES, 40);
/// Committed workers open their results within five minutes of the commit deadline (ten blocks
/// under `fast-runtime`): one transaction each, no evaluation.
const OPEN_TIMEOUT: BlockNumber = prod_or_fast!(5 * MINUTES, 10);
/// See [`RESULT_TIMEOUT`]: two rows per six-second block, a third of the single-job pace.
const ROWS_PER_TIMEOUT_BLOCK: u32 = 2;
/// The owner's decryptor has ten minutes to decrypt, prove (about a minute on two cores) and
/// reveal (three under `fast-runtime`).
const REVEAL_TIMEOUT: BlockNumber = prod_or_fast!(10 * MINUTES, 30);
/// A day to read a finished job's sealed result from state (an hour of blocks otherwise).
const JOB_RETENTION: BlockNumber = prod_or_fast!(DAYS, 60);
/// Every job costs its submitter a tenth of a token on top of its price, refunded or not: the
/// least a flood of jobs on free or never-revealed datasets costs (a worker's evaluation of
/// even a small table takes seconds of two cores).
const JOB_FEE: Balance = UNIT / 10;
/// A worker is assigned at most four jobs at once: with the result timeout's allowance per
/// job, a queue of four is still through well within a day.
const MAX_OPEN_JOBS_PER_WORKER: u32 = 4;
/// Up to five replicas per job (the network uses three, a dev chain one).
pub const MAX_REPLICAS: u32 = 5;
/// Active workers new jobs are drawn from.
pub const MAX_WORKERS: u32 = 64;
/// Deadline entries handled per block; each job has four over its life (three at submission),
/// so a block can take about twenty new jobs before their deadlines slide.
pub const MAX_DEADLINES_PER_BLOCK: u32 = 64;
/// Jobs one block takes; their workers are drawn together in the next block (each draw costs
/// well under a millisecond), and their three deadline entries each slide past full blocks.
pub const MAX_JOBS_PER_BLOCK: u32 = 32;
/// The largest result blob: 65 blocks (the largest circuit) of 919 sixteen-bit words, with
/// headers, is just under 120 KiB.
pub const MAX_RESULT_SIZE: u32 = 128 * 1024;
/// A sealed result: up to 65 digits and a blinding, sealed, is well under a kilobyte.
const MAX_SEALED_SIZE: u32 = 2 * 1024;
/// A compressed Groth16 proof on BLS12-381 is 192 bytes.
const MAX_PROOF_SIZE: u32 = 192;
/// A verifying key for four public inputs is 585 bytes.
const MAX_VERIFYING_KEY_SIZE: u32 = 1024;
/// Circuit shapes with a verifying key (six production shapes, room for two more).
const MAX_CIRCUITS: u32 = 8;

/// A failed reveal (the deadline missed, or a seal that does not open to the proven result)
/// costs the owner five tokens of its key set's bond on top of the consumer's refund (half a
/// worker slash). Every job sets its price and this penalty aside out of the bond while it
/// runs, so a key set with the data registry's fifty tokens backs eight one-token calls at once.
const REVEAL_PENALTY: Balance = 5 * UNIT;

parameter_types! {
	pub const RevealPenalty: Balance = REVEAL_PENALTY;
	pub const MinWorkerBond: Balance = MIN_WORKER_BOND;
	pub const SlashAmount: Balance = SLASH_AMOUNT;
	pub const UnbondingDelay: BlockNumber = UNBONDING_DELAY;
	pub const ResultTimeout: BlockNumber = RESULT_TIMEOUT;
	pub const RowsPerTimeoutBlock: u32 = ROWS_PER_TIMEOUT_BLOCK;
	pub const OpenTimeout: BlockNumber = OPEN_TIMEOUT;
	pub const RevealTimeout: BlockNumber = REVEAL_TIMEOUT;
	pub const JobFee: Balance = JOB_FEE;
	pub const JobRetention: BlockNumber = JOB_RETENTION;
	/// The workers share a fifth of every call: FHE evaluation is the expensive part.
	pub const WorkerShare: Perbill = Perbill::from_percent(20);
	/// The treasury funds the chain's upkeep with a twentieth.
	pub const TreasuryShare: Perbill = Perbill::from_percent(5);
}

/// Compute jobs: bonded FHE workers, digest agreement, proven reveals, settlement.
impl pallet_compute::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ClassId = ClassId;
	type Catalog = DataRegistry;
	type Channels = PaymentChannels;
	type VoucherSignature = Signature;
	type Revenue = Equity;
	type Verifier = HostCallGroth16;
	type Treasury = TreasuryAccount;
	type MinWorkerBond = MinWorkerBond;
	type SlashAmount = SlashAmount;
	type UnbondingDelay = UnbondingDelay;
	type ResultTimeout = ResultTimeout;
	type RowsPerTimeoutBlock = RowsPerTimeoutBlock;
	type JobFee = JobFee;
	type MaxOpenJobsPerWorker = ConstU32<MAX_OPEN_JOBS_PER_WORKER>;
	type OpenTimeout = OpenTimeout;
	type RevealTimeout = RevealTimeout;
	type JobRetention = JobRetention;
	type RevealPenalty = RevealPenalty;
	type MaxReplicas = ConstU32<MAX_REPLICAS>;
	type MaxWorkers = ConstU32<MAX_WORKERS>;
	type MaxDeadlinesPerBlock = ConstU32<MAX_DEADLINES_PER_BLOCK>;
	type MaxResultSize = ConstU32<MAX_RESULT_SIZE>;
	type MaxSealedSize = ConstU32<MAX_SEALED_SIZE>;
	type MaxProofSize = ConstU32<MAX_PROOF_SIZE>;
	type MaxVerifyingKeySize = ConstU32<MAX_VERIFYING_KEY_SIZE>;
	type MaxCircuits = ConstU32<MAX_CIRCUITS>;
	type WorkerShare = WorkerShare;
	type TreasuryShare = TreasuryShare;
	type Randomness = crate::BlockRandomness;
	type MaxJobsPerBlock = ConstU32<MAX_JOBS_PER_BLOCK>;
	type WeightInfo = crate::weights::pallet_compute::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ComputeBenchmarks;
}

/// Groth16 over BLS12-381 with the node's host calls (`sp-crypto-ec-utils`): the pairings run
/// natively. A node without those host functions cannot execute this runtime at all, so there
/// is no silent slow path on chain; the pure-wasm arkworks path is measured in
/// `docs/benchmarks.md`.
pub struct HostCallGroth16;

impl DecryptionVerifier for HostCallGroth16 {
	fn verify(
		verifying_key: &[u8],
		proof: &[u8],
		statement: &DecryptionStatement,
	) -> Result<(), Groth16Error> {
		groth16::verify_bytes::<sp_crypto_ec_utils::bls12_381::Bls12_381>(
			verifying_key,
			proof,
			statement,
		)
	}

	fn is_valid_key(verifying_key: &[u8]) -> bool {
		groth16::VerifyingKey::<sp_crypto_ec_utils::bls12_381::Bls12_381>::decode(verifying_key)
			.is_ok()
	}
}

/// The development verifying keys (`tokenfactory zk setup --dev`, deterministic and insecure):
/// `(padded result blocks, key)`, set at genesis of the dev and local chains. A production chain
/// replaces them by referendum (`Compute::set_verifying_key`) after a multi-party setup.
pub const DEV_VERIFYING_KEYS: [(u32, &[u8]); 6] = [
	(9, include_bytes!("../../zk/dev-b9.vk")),
	(17, include_bytes!("../../zk/dev-b17.vk")),
	(25, include_bytes!("../../zk/dev-b25.vk")),
	(33, include_bytes!("../../zk/dev-b33.vk")),
	(49, include_bytes!("../../zk/dev-b49.vk")),
	(65, include_bytes!("../../zk/dev-b65.vk")),
];

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = UncheckedExtrinsic;
}

impl<LocalCall> frame_system::offchain::CreateTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extension = TxExtension;

	fn create_transaction(call: RuntimeCall, extension: TxExtension) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_transaction(call, extension)
	}
}

/// Off-chain workers submit results and reveals as general transactions that `AuthorizeCall`
/// validates: no signer, so no nonce and no fee; every other extension is the usual one.
impl<LocalCall> frame_system::offchain::CreateAuthorizedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_extension() -> TxExtension {
		(
			frame_system::AuthorizeCall::<Runtime>::new(),
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(
				polkadot_sdk::sp_runtime::generic::Era::Immortal,
			),
			frame_system::CheckNonce::<Runtime>::from(0),
			frame_system::CheckWeight::<Runtime>::new(),
			polkadot_sdk::pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			frame_system::WeightReclaim::<Runtime>::new(),
		)
	}
}

/// A decryption proof that verifies, for the `authorize_reveal` benchmark: made by
/// `tokenfactory-zk` with the development setup of the 9-block circuit (see
/// `client/zk/tests/fixture.rs`, which checks these bytes still verify).
#[cfg(feature = "runtime-benchmarks")]
pub mod fixture {
	/// The verifying key.
	pub const VERIFYING_KEY: &[u8] = include_bytes!("../../zk/dev-b9.vk");
	/// The proof.
	pub const PROOF: &[u8] = include_bytes!("../../zk/fixture-b9.proof");
	/// The SCALE-encoded `DecryptionStatement` it proves.
	pub const STATEMENT: &[u8] = include_bytes!("../../zk/fixture-b9.statement");
}

/// Datasets and a proof for the compute pallet's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct ComputeBenchmarks;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_compute::BenchmarkHelper<crate::AccountId> for ComputeBenchmarks {
	fn active_dataset(
		owner: &crate::AccountId,
		decryptor: tokenfactory_primitives::compute::DecryptorKey,
	) -> tokenfactory_primitives::datasets::DatasetId {
		use alloc::vec;
		use pallet_data_registry::{
			BlobKind, BlobSpec, BlobTarget, Column, DatasetDescription, DatasetTerms, ProgramPolicy,
		};
		use tokenfactory_primitives::datasets::{ColumnWidth, ProgramKind};
		let spec = |kind, bytes: &[u8]| BlobSpec {
			kind,
			size: bytes.len() as u32,
			hash: polkadot_sdk::sp_io::hashing::blake2_256(bytes),
		};
		let unwrap = |result: polkadot_sdk::sp_runtime::DispatchResult| {
			if let Err(error) = result {
				panic!("benchmark dataset: {error:?}");
			}
		};
		let collection =
			<super::data_registry::NftCollections as pallet_data_registry::BenchmarkHelper<_, _>>::create_collection(owner);
		let key_set = pallet_data_registry::NextKeySetId::<Runtime>::get();
		let key_blobs = [
			(BlobKind::ServerKeyChunk, [1u8]),
			(BlobKind::PublicKey, [2]),
			(BlobKind::ProofParameters, [3]),
		];
		unwrap(
			DataRegistry::do_register_key_set(
				owner.clone(),
				1,
				[7; 32],
				decryptor,
				key_blobs
					.iter()
					.map(|(kind, bytes)| spec(*kind, bytes))
					.collect::<alloc::vec::Vec<_>>()
					.try_into()
					.unwrap_or_default(),
			)
			.map(|_| ()),
		);
		for (index, (_, bytes)) in key_blobs.iter().enumerate() {
			unwrap(DataRegistry::do_upload_chunk(
				BlobTarget::KeySet(key_set),
				index as u32,
				bytes.to_vec(),
			));
		}
		let dataset = pallet_data_registry::NextDatasetId::<Runtime>::get();
		let description = DatasetDescription::<Runtime> {
			name: b"bench".to_vec().try_into().unwrap_or_default(),
			description: Default::default(),
			schema: vec![Column {
				name: b"value".to_vec().try_into().unwrap_or_default(),
				width: ColumnWidth::U16,
			}]
			.try_into()
			.unwrap_or_default(),
			rows: 8,
		};
		let terms = DatasetTerms::<Runtime> {
			price: UNIT,
			programs: vec![ProgramPolicy {
				kind: ProgramKind::Mean,
				min_cohort: None,
				max_predicates: None,
			}]
			.try_into()
			.unwrap_or_default(),
			min_cohort: 1,
		};
		unwrap(
			DataRegistry::do_register(
				owner.clone(),
				collection,
				key_set,
				description,
				terms,
				vec![spec(BlobKind::Ciphertexts, &[4])].try_into().unwrap_or_default(),
			)
			.map(|_| ()),
		);
		unwrap(DataRegistry::do_upload_chunk(BlobTarget::Dataset(dataset), 0, vec![4]));
		dataset
	}

	fn valid_reveal() -> (alloc::vec::Vec<u8>, u32, DecryptionStatement, alloc::vec::Vec<u8>) {
		use codec::Decode;
		let statement = DecryptionStatement::decode(&mut &fixture::STATEMENT[..])
			.unwrap_or_else(|_| panic!("the fixture statement decodes"));
		(fixture::VERIFYING_KEY.to_vec(), 9, statement, fixture::PROOF.to_vec())
	}
}
