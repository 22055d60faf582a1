//! A test runtime: `frame_system`, `pallet_balances` (holds), the real payment channels, this
//! pallet, and stand-ins for the data registry, the equity dividend pools and the Groth16
//! verifier.

use crate as pallet_compute;
use alloc::collections::btree_map::BTreeMap;
use codec::{Decode, Encode};
use core::cell::RefCell;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{fungible::Mutate, ConstU128, ConstU32, ConstU64, Hooks},
};
use polkadot_sdk::*;
use sp_core::{sr25519, Pair};
use sp_runtime::{
	traits::{IdentifyAccount, IdentityLookup},
	AccountId32, BuildStorage, DispatchError, DispatchResult, MultiSignature, MultiSigner, Perbill,
};
use tokenfactory_primitives::{
	compute::{
		CommitStatement, DecryptionVerifier, DecryptorKey, FieldBytes, JobId, JobOrder,
		ResultCommitment, ResultStatement, RevealStatement, SealingKey, WorkerKey, WorkerKeyProof,
	},
	datasets::{
		BlobInfo, BlobKind, BlobSpec, BlobTarget, ColumnWidth, DataCatalog, DatasetId, JobRefusal,
		JobTerms, ProgramKind, RevenueDestination,
	},
	groth16::{DecryptionStatement, Groth16Error},
	programs::{BoundedList, CompareOp, Predicate, Program, Query},
	revenue::RevenueSink,
	voucher::JobVoucher,
};

/// The utility token's balance type in the mock.
pub type Balance = u128;
/// The mock's accounts.
pub type AccountId = AccountId32;

type TxExtension = frame_system::AuthorizeCall<Test>;
/// The mock's extrinsics: authorized calls carry the `AuthorizeCall` extension.
pub type Extrinsic = sp_runtime::testing::TestXt<RuntimeCall, TxExtension>;
type Block = sp_runtime::generic::Block<
	sp_runtime::generic::Header<u64, sp_runtime::traits::BlakeTwo256>,
	Extrinsic,
>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		PaymentChannels: pallet_payment_channels,
		Compute: pallet_compute,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_payment_channels::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type VoucherSignature = MultiSignature;
	type VoucherSigner = MultiSigner;
	type MinDeposit = ConstU128<10>;
	type ChannelStorageDeposit = ConstU128<5>;
	type ChallengePeriod = ConstU64<10>;
	type MaxChannelsPerAccount = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = Extrinsic;
}

impl<LocalCall> frame_system::offchain::CreateTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type Extension = TxExtension;
	fn create_transaction(call: RuntimeCall, extension: Self::Extension) -> Extrinsic {
		Extrinsic::new_transaction(call, extension)
	}
}

impl<LocalCall> frame_system::offchain::CreateAuthorizedTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	fn create_extension() -> Self::Extension {
		TxExtension::new()
	}
}

/// The minimum worker bond in the mock.
pub const MIN_BOND: Balance = 1_000;
/// One slash in the mock.
pub const SLASH: Balance = 400;
/// Blocks between unbond and withdraw.
pub const UNBONDING_DELAY: u64 = 5;
/// Blocks for results.
pub const RESULT_TIMEOUT: u64 = 10;
/// Blocks from the commit deadline to the result deadline.
pub const OPEN_TIMEOUT: u64 = 4;
/// Blocks for the reveal.
pub const REVEAL_TIMEOUT: u64 = 8;
/// Blocks a job is kept after its result deadline.
pub const RETENTION: u64 = 20;
/// Deadline entries per block.
pub const MAX_DEADLINES: u32 = 6;
/// Every funded account's initial balance.
pub const INITIAL_BALANCE: Balance = 1_000_000;
/// The price of the mock dataset.
pub const PRICE: Balance = 1_000;

parameter_types! {
	pub TreasuryAccount: AccountId = AccountId32::new([0xee; 32]);
	/// Zero in most tests (their balances stay round); the attack tests set it.
	pub storage JobFee: Balance = 0;
	/// Room for every test's jobs; the attack tests lower it.
	pub storage MaxOpenJobsPerWorker: u32 = 16;
	/// What the mock's VRF gives the current block (the tests set it; the block number is
	/// mixed in).
	pub storage BlockSeed: u64 = 0;
	pub const WorkerShare: Perbill = Perbill::from_percent(30);
	pub const TreasuryShare: Perbill = Perbill::from_percent(10);
}

impl pallet_compute::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ClassId = u32;
	type Catalog = MockCatalog;
	type Channels = PaymentChannels;
	type VoucherSignature = MultiSignature;
	type Revenue = MockDividends;
	type Verifier = MockVerifier;
	type Treasury = TreasuryAccount;
	type MinWorkerBond = ConstU128<MIN_BOND>;
	type SlashAmount = ConstU128<SLASH>;
	type UnbondingDelay = ConstU64<UNBONDING_DELAY>;
	type ResultTimeout = ConstU64<RESULT_TIMEOUT>;
	// No size allowance for the mock's 64-row dataset: deadlines are RESULT_TIMEOUT apart.
	type RowsPerTimeoutBlock = ConstU32<1_000>;
	type JobFee = JobFee;
	type MaxOpenJobsPerWorker = MaxOpenJobsPerWorker;
	type OpenTimeout = ConstU64<OPEN_TIMEOUT>;
	type RevealTimeout = ConstU64<REVEAL_TIMEOUT>;
	type JobRetention = ConstU64<RETENTION>;
	type RevealPenalty = ConstU128<REVEAL_PENALTY>;
	type MaxReplicas = ConstU32<5>;
	type MaxWorkers = ConstU32<8>;
	type MaxDeadlinesPerBlock = ConstU32<MAX_DEADLINES>;
	type MaxResultSize = ConstU32<4096>;
	type MaxSealedSize = ConstU32<1024>;
	type MaxProofSize = ConstU32<256>;
	type MaxVerifyingKeySize = ConstU32<1024>;
	type MaxCircuits = ConstU32<3>;
	type WorkerShare = WorkerShare;
	type TreasuryShare = TreasuryShare;
	type Randomness = MockRandomness;
	type MaxJobsPerBlock = ConstU32<MAX_JOBS_PER_BLOCK>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarks;
}

/// The most jobs one block of the mock takes.
pub const MAX_JOBS_PER_BLOCK: u32 = 8;

/// The mock's per-block randomness: a hash of the subject, the block number and
/// [`BlockSeed`], which stands for the block author's VRF output.
pub struct MockRandomness;

impl frame_support::traits::Randomness<sp_core::H256, u64> for MockRandomness {
	fn random(subject: &[u8]) -> (sp_core::H256, u64) {
		let now = System::block_number();
		(sp_core::H256(sp_io::hashing::blake2_256(&(subject, now, BlockSeed::get()).encode())), now)
	}
}

/// Datasets and proofs for the benchmarks' test suite.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarks;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_compute::BenchmarkHelper<AccountId> for MockBenchmarks {
	fn active_dataset(owner: &AccountId, decryptor: DecryptorKey) -> DatasetId {
		MockCatalog::set_decryptor(Some(decryptor));
		MockCatalog::insert(
			1,
			MockDataset {
				owner: owner.clone(),
				schema: vec![ColumnWidth::U16],
				rows: 8,
				min_cohort: 1,
				..default_dataset()
			},
		);
		1
	}

	fn valid_reveal() -> (Vec<u8>, u32, DecryptionStatement, Vec<u8>) {
		let statement = statement(3, [1; 32], [42; 32]);
		(vec![1; 8], 9, statement, MockVerifier::proof_for(&statement))
	}
}

// ---------------------------------------------------------------------------------------------
// Stand-ins
// ---------------------------------------------------------------------------------------------

/// A dataset as the mock catalog knows it.
#[derive(Clone)]
pub struct MockDataset {
	pub owner: AccountId,
	pub revenue: RevenueDestination<AccountId, u32>,
	pub price: Balance,
	pub schema: Vec<ColumnWidth>,
	pub rows: u32,
	pub min_cohort: u32,
	pub programs: Vec<ProgramKind>,
	pub max_predicates: Option<u8>,
	pub active: bool,
	pub has_owner: bool,
	pub running_jobs: u32,
}

thread_local! {
	static VERIFICATIONS: core::cell::Cell<u32> = const { core::cell::Cell::new(0) };
	static DECRYPTOR: RefCell<Option<DecryptorKey>> = const { RefCell::new(None) };
	static DATASETS: RefCell<BTreeMap<DatasetId, MockDataset>> = const { RefCell::new(BTreeMap::new()) };
	static CLASSES: RefCell<BTreeMap<u32, Balance>> = const { RefCell::new(BTreeMap::new()) };
	static BOND: core::cell::Cell<Balance> = const { core::cell::Cell::new(INITIAL_BOND) };
}

const RESERVED_KEY: &[u8] = b":mock:key-set-reserved";

/// The bond the mock key set starts with: enough for many jobs at once.
pub const INITIAL_BOND: Balance = 50_000;
/// What a failed reveal costs the owner on top of the refund.
pub const REVEAL_PENALTY: Balance = 300;
/// The account the mock key set's bond sits in (as free balance: the mock has no registry
/// hold).
pub fn bond_vault() -> AccountId {
	AccountId32::new([0xbb; 32])
}

/// The key set of every mock dataset.
pub const KEY_SET: u32 = 7;
/// Its key commitment.
pub const KEY_COMMITMENT: FieldBytes = [3; 32];
/// The dividend pools' account in the mock.
pub fn dividend_pool() -> AccountId {
	AccountId32::new([0xdd; 32])
}

/// The data registry stand-in.
pub struct MockCatalog;

impl MockCatalog {
	/// Sets (or removes) the decryptor key of the mock key set.
	pub fn set_decryptor(key: Option<DecryptorKey>) {
		DECRYPTOR.with(|decryptor| *decryptor.borrow_mut() = key);
	}

	pub fn insert(id: DatasetId, dataset: MockDataset) {
		DATASETS.with(|datasets| datasets.borrow_mut().insert(id, dataset));
	}

	pub fn update(id: DatasetId, f: impl FnOnce(&mut MockDataset)) {
		DATASETS.with(|datasets| {
			if let Some(dataset) = datasets.borrow_mut().get_mut(&id) {
				f(dataset)
			}
		});
	}

	/// The mock key set's bond left.
	pub fn bond() -> Balance {
		BOND.with(|bond| bond.get())
	}

	/// Sets the mock key set's bond (moving nothing: the vault keeps the rest).
	pub fn set_bond(amount: Balance) {
		BOND.with(|bond| bond.set(amount));
	}

	/// The part of the mock key set's bond its running jobs set aside (in storage, so that a
	/// failed call rolls it back as it does the registry's).
	pub fn reserved() -> Balance {
		frame_support::storage::unhashed::get_or_default(RESERVED_KEY)
	}

	fn set_reserved(amount: Balance) {
		frame_support::storage::unhashed::put(RESERVED_KEY, &amount);
	}

	pub fn get(id: DatasetId) -> MockDataset {
		DATASETS.with(|datasets| datasets.borrow().get(&id).cloned()).expect("mock dataset")
	}
}

impl DataCatalog<AccountId, Balance, u32> for MockCatalog {
	fn job_terms(
		dataset: DatasetId,
		program: ProgramKind,
	) -> Result<JobTerms<AccountId, Balance, u32>, JobRefusal> {
		let record = DATASETS
			.with(|datasets| datasets.borrow().get(&dataset).cloned())
			.ok_or(JobRefusal::UnknownDataset)?;
		if !record.active {
			return Err(JobRefusal::NotActive);
		}
		if !record.has_owner {
			return Err(JobRefusal::NoOwner);
		}
		if !record.programs.contains(&program) {
			return Err(JobRefusal::ProgramNotAllowed);
		}
		Ok(JobTerms {
			owner: record.owner,
			revenue: record.revenue,
			price: record.price,
			schema: record.schema,
			rows: record.rows,
			min_cohort: record.min_cohort,
			max_predicates: record.max_predicates,
			key_set: KEY_SET,
			key_commitment: KEY_COMMITMENT,
		})
	}

	fn decryptor(key_set: u32) -> Option<DecryptorKey> {
		if key_set != KEY_SET {
			return None;
		}
		DECRYPTOR.with(|decryptor| *decryptor.borrow())
	}

	fn reserve_bond(key_set: u32, amount: Balance) -> Result<(), JobRefusal> {
		if key_set != KEY_SET || Self::bond().saturating_sub(Self::reserved()) < amount {
			return Err(JobRefusal::OwnerBondTooLow);
		}
		Self::set_reserved(Self::reserved() + amount);
		Ok(())
	}

	fn release_bond(key_set: u32, amount: Balance) {
		assert_eq!(key_set, KEY_SET);
		// Panics on a release of more than was reserved.
		Self::set_reserved(Self::reserved() - amount);
	}

	fn slash_bond(key_set: u32, amount: Balance, to: &AccountId) -> Balance {
		use frame_support::traits::tokens::Preservation;
		if key_set != KEY_SET {
			return 0;
		}
		let paid = amount.min(Self::bond());
		if paid > 0 {
			Balances::transfer(&bond_vault(), to, paid, Preservation::Expendable)
				.expect("the vault holds the bond");
			Self::set_bond(Self::bond() - paid);
		}
		paid
	}

	fn job_started(dataset: DatasetId) {
		Self::update(dataset, |record| record.running_jobs += 1);
	}

	fn job_finished(dataset: DatasetId) {
		Self::update(dataset, |record| record.running_jobs -= 1);
	}

	fn manifest(target: BlobTarget) -> Vec<BlobInfo> {
		let info = |kind, byte| BlobInfo {
			spec: BlobSpec { kind, size: 10, hash: [byte; 32] },
			present: true,
		};
		match target {
			BlobTarget::KeySet(_) => vec![
				info(BlobKind::ServerKeyChunk, 1),
				info(BlobKind::ServerKeyChunk, 2),
				info(BlobKind::PublicKey, 3),
				info(BlobKind::ProofParameters, 4),
			],
			BlobTarget::Dataset(_) => vec![info(BlobKind::Ciphertexts, 5)],
		}
	}
}

/// Dividend pools: classes that exist, each paid into one pool account.
pub struct MockDividends;

impl MockDividends {
	pub fn create_class(class: u32) {
		CLASSES.with(|classes| classes.borrow_mut().insert(class, 0));
	}

	pub fn paid(class: u32) -> Balance {
		CLASSES.with(|classes| classes.borrow().get(&class).copied().unwrap_or(0))
	}
}

impl RevenueSink<AccountId, u32, Balance> for MockDividends {
	fn deposit_dividend(from: &AccountId, class: u32, amount: Balance) -> DispatchResult {
		if !Self::class_exists(&class) {
			return Err(DispatchError::Other("no such class"));
		}
		<Balances as Mutate<AccountId>>::transfer(
			from,
			&dividend_pool(),
			amount,
			frame_support::traits::tokens::Preservation::Preserve,
		)?;
		CLASSES.with(|classes| *classes.borrow_mut().entry(class).or_default() += amount);
		Ok(())
	}

	fn class_exists(class: &u32) -> bool {
		CLASSES.with(|classes| classes.borrow().contains_key(class))
	}
}

/// A verifier whose valid proof for a statement is the statement's blake2-256 hash: wrong
/// statements (another job, digest, key or commitment) fail as a real proof would. Keys are
/// valid unless empty.
pub struct MockVerifier;

impl MockVerifier {
	/// How many proofs the verifier has checked in this thread (what a node spent).
	pub fn verifications() -> u32 {
		VERIFICATIONS.with(|count| count.get())
	}

	/// The proof the mock accepts for `statement`.
	pub fn proof_for(statement: &DecryptionStatement) -> Vec<u8> {
		sp_io::hashing::blake2_256(&statement.encode()).to_vec()
	}
}

impl DecryptionVerifier for MockVerifier {
	fn verify(
		verifying_key: &[u8],
		proof: &[u8],
		statement: &DecryptionStatement,
	) -> Result<(), Groth16Error> {
		VERIFICATIONS.with(|count| count.set(count.get() + 1));
		if verifying_key.is_empty() {
			return Err(Groth16Error::MalformedVerifyingKey);
		}
		if proof != Self::proof_for(statement).as_slice() {
			return Err(Groth16Error::InvalidProof);
		}
		Ok(())
	}

	fn is_valid_key(verifying_key: &[u8]) -> bool {
		!verifying_key.is_empty()
	}
}

// ---------------------------------------------------------------------------------------------
// Accounts, keys and helpers
// ---------------------------------------------------------------------------------------------

/// A named test account's sr25519 pair.
pub fn pair(name: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//{name}"), None).expect("dev seed")
}

/// A named test account.
pub fn account(name: &str) -> AccountId {
	MultiSigner::from(pair(name).public()).into_account()
}

/// A worker's off-chain key (distinct from its account key).
pub fn worker_pair(name: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//{name}//worker"), None).expect("dev seed")
}

/// A worker's off-chain public key.
pub fn worker_key(name: &str) -> WorkerKey {
	worker_pair(name).public()
}

/// `name`'s proof of possession of its worker key, for `account(name)`.
pub fn key_proof(name: &str) -> sr25519::Signature {
	key_proof_for(name, &account(name))
}

/// `name`'s worker key's proof of possession for `account`.
pub fn key_proof_for(name: &str, account: &AccountId) -> sr25519::Signature {
	WorkerKeyProof::new(Compute::genesis_hash(), account)
		.using_encoded(|payload| worker_pair(name).sign(payload))
}

/// The owner's decryptor key pair (the mock key set's registered decryptor).
pub fn decryptor_pair() -> sr25519::Pair {
	sr25519::Pair::from_string("//owner//decryptor", None).expect("dev seed")
}

/// The workers registered by [`new_test_ext`].
pub const WORKERS: [&str; 3] = ["w1", "w2", "w3"];
/// The owner of dataset 0.
pub fn owner() -> AccountId {
	account("owner")
}
/// The consumer.
pub fn consumer() -> AccountId {
	account("consumer")
}

/// The dataset every test starts with: id 0, three 16-bit columns, 64 rows, `min_cohort` 5.
pub fn default_dataset() -> MockDataset {
	MockDataset {
		owner: owner(),
		revenue: RevenueDestination::Owner(owner()),
		price: PRICE,
		schema: vec![ColumnWidth::U8, ColumnWidth::U16, ColumnWidth::U8],
		rows: 64,
		min_cohort: 5,
		programs: vec![ProgramKind::Count, ProgramKind::Mean, ProgramKind::Histogram],
		max_predicates: Some(2),
		active: true,
		has_owner: true,
		running_jobs: 0,
	}
}

/// "Mean of column 1 where column 2 == 1 and column 0 > 50".
pub fn mean_query() -> Query {
	Query {
		program: Program::Mean { column: 1 },
		filter: BoundedList::new(vec![
			Predicate { column: 2, op: CompareOp::Eq, constant: 1 },
			Predicate { column: 0, op: CompareOp::Gt, constant: 50 },
		])
		.expect("two predicates"),
		min_cohort: 0,
	}
}

/// The verifying keys of the mock: shapes of 9 and 17 blocks.
pub fn mock_verifying_keys() -> Vec<(u32, Vec<u8>)> {
	vec![(9, vec![9; 8]), (17, vec![17; 8])]
}

/// The commit deadline of a job submitted at `now` (no backlog): counted from the next block,
/// which draws its workers.
pub fn commit_deadline(now: u64) -> u64 {
	now + 1 + RESULT_TIMEOUT
}

/// The result deadline of a job submitted at `now` (no backlog).
pub fn result_deadline(now: u64) -> u64 {
	commit_deadline(now) + OPEN_TIMEOUT
}

/// Builds the test externalities: funded accounts, three workers (k = 3), dataset 0.
pub fn new_test_ext() -> sp_io::TestExternalities {
	new_test_ext_with(3, &WORKERS)
}

/// Builds the test externalities with replication factor `k` and `workers` registered.
pub fn new_test_ext_with(k: u32, workers: &[&str]) -> sp_io::TestExternalities {
	let mut storage =
		frame_system::GenesisConfig::<Test>::default().build_storage().expect("storage");
	let funded = ["owner", "consumer", "payer", "w1", "w2", "w3", "w4", "w5", "other"];
	pallet_balances::GenesisConfig::<Test> {
		balances: funded
			.iter()
			.map(|name| (account(name), INITIAL_BALANCE))
			.chain([
				(TreasuryAccount::get(), INITIAL_BALANCE),
				(dividend_pool(), INITIAL_BALANCE),
				(bond_vault(), INITIAL_BOND),
			])
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.expect("balances");
	pallet_compute::GenesisConfig::<Test> {
		replication_factor: k,
		verifying_keys: mock_verifying_keys(),
		workers: workers
			.iter()
			.map(|name| (account(name), worker_key(name), MIN_BOND * 2))
			.collect(),
	}
	.assimilate_storage(&mut storage)
	.expect("compute");
	DATASETS.with(|datasets| datasets.borrow_mut().clear());
	CLASSES.with(|classes| classes.borrow_mut().clear());
	MockCatalog::set_bond(INITIAL_BOND);
	MockCatalog::set_decryptor(Some(decryptor_pair().public()));
	MockCatalog::insert(0, default_dataset());
	let mut ext = sp_io::TestExternalities::new(storage);
	// Benchmarks generate worker keys in the keystore.
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` and checks the pallet's invariants and the conservation of funds after it.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		let before = total_funds();
		test();
		Compute::do_try_state().expect("invariants hold after the test");
		assert_eq!(
			MockCatalog::reserved(),
			pallet_compute::BondReservations::<Test>::iter_values().sum::<Balance>(),
			"the key set's reservations are the running jobs'"
		);
		assert_eq!(total_funds(), before, "funds are conserved");
	});
}

/// Every unit of the token the mock knows of: issuance.
pub fn total_funds() -> Balance {
	pallet_balances::TotalIssuance::<Test>::get()
}

/// Advances to block `n`, running `on_initialize` of the compute pallet for every block and
/// then, as after a block's inherents, the draw of the jobs queued before it.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Compute::on_initialize(next);
		<Compute as frame_support::traits::PostInherents>::post_inherents();
	}
}

/// Moves to the next block, where the jobs submitted so far get their workers.
pub fn assign_jobs() {
	run_to_block(System::block_number() + 1);
}

/// The compute pallet's events so far.
pub fn compute_events() -> Vec<pallet_compute::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Compute(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// Submits [`mean_query`] on dataset 0 as the consumer, paid from free balance; the job waits
/// for the next block's draw.
pub fn submit_mean_job() -> sp_runtime::DispatchResult {
	Compute::submit_job(
		RuntimeOrigin::signed(consumer()),
		0,
		mean_query(),
		tokenfactory_primitives::compute::Payment::FreeBalance,
		consumer_key(),
	)
}

/// [`submit_mean_job`], then the next block, which draws its workers.
pub fn submit_default_job() -> JobId {
	let id = pallet_compute::NextJobId::<Test>::get();
	assert_ok!(submit_mean_job());
	assign_jobs();
	id
}

/// A result blob a worker would submit, and its digest.
pub fn result_of(byte: u8) -> (FieldBytes, Vec<u8>) {
	([byte; 32], vec![byte; 100])
}

/// `worker`'s signature of its result for `job`.
pub fn sign_result(
	worker: &str,
	job: JobId,
	digest: FieldBytes,
	blob: &[u8],
) -> sr25519::Signature {
	let statement = ResultStatement::new(
		Compute::genesis_hash(),
		job,
		digest,
		sp_io::hashing::blake2_256(blob),
	);
	statement.using_encoded(|payload| worker_pair(worker).sign(payload))
}

/// `worker`'s secret salt (the same for all its jobs: the commitment names the job).
pub fn salt_of(worker: &str) -> [u8; 32] {
	sp_io::hashing::blake2_256(worker.as_bytes())
}

/// `worker`'s commitment to `result_of(byte)` for `job`.
pub fn commitment_of(worker: &str, job: JobId, byte: u8) -> [u8; 32] {
	let (digest, blob) = result_of(byte);
	ResultCommitment::new(
		Compute::genesis_hash(),
		job,
		&account(worker),
		digest,
		sp_io::hashing::blake2_256(&blob),
		salt_of(worker),
	)
	.hash()
}

/// The commit call of `commitment` for `worker` on `job`, signed by `signer`'s worker key.
pub fn commit_call(
	worker: &str,
	signer: &str,
	job: JobId,
	commitment: [u8; 32],
) -> pallet_compute::Call<Test> {
	let signature = CommitStatement::new(Compute::genesis_hash(), job, commitment)
		.using_encoded(|payload| worker_pair(signer).sign(payload));
	pallet_compute::Call::<Test>::commit_result {
		job,
		worker: account(worker),
		commitment,
		signature,
	}
}

/// Commits `worker` to `result_of(byte)` for `job`, as its off-chain worker would.
pub fn commit(worker: &str, job: JobId, byte: u8) -> DispatchResult {
	dispatch_authorized(commit_call(worker, worker, job, commitment_of(worker, job, byte)))
}

/// The opening call of `result_of(byte)` with `salt` for `worker` on `job`, signed by it.
pub fn open_call(worker: &str, job: JobId, byte: u8, salt: [u8; 32]) -> pallet_compute::Call<Test> {
	let (digest, blob) = result_of(byte);
	let signature = sign_result(worker, job, digest, &blob);
	pallet_compute::Call::<Test>::submit_result {
		job,
		worker: account(worker),
		digest,
		result: blob.try_into().expect("bounded"),
		salt,
		signature,
	}
}

/// Opens `worker`'s committed `result_of(byte)` for `job`, as its off-chain worker would.
pub fn open(worker: &str, job: JobId, byte: u8) -> DispatchResult {
	dispatch_authorized(open_call(worker, job, byte, salt_of(worker)))
}

/// Each of `results`' workers commits to its result for `job`; once the results are open (at
/// once if every assigned worker committed, at the commit deadline otherwise) each opens it, in
/// order.
pub fn submit_results(job: JobId, results: &[(&str, u8)]) {
	for (worker, byte) in results {
		assert_ok!(commit(worker, job, *byte));
	}
	let is_open =
		|job| pallet_compute::Jobs::<Test>::get(job).is_some_and(|job| job.results_open());
	if !is_open(job) {
		run_to_block(pallet_compute::Jobs::<Test>::get(job).expect("job").commit_deadline);
	}
	assert!(is_open(job), "the results of job {job} did not open");
	for (worker, byte) in results {
		assert_ok!(open(worker, job, *byte));
	}
}

/// Every default worker commits to `result_of(1)` for `job`; w2 and w3 open theirs, w1 never
/// does: it is slashed at the result deadline.
pub fn w1_never_opens(job: JobId) {
	for worker in WORKERS {
		assert_ok!(commit(worker, job, 1));
	}
	assert_ok!(open("w2", job, 1));
	assert_ok!(open("w3", job, 1));
}

/// Every default worker commits to and opens `result_of(byte)` for `job`.
pub fn all_agree(job: JobId, byte: u8) {
	submit_results(job, &WORKERS.map(|worker| (worker, byte)));
}

/// Authorizes and dispatches `call` the way the `AuthorizeCall` extension does.
pub fn dispatch_authorized(call: pallet_compute::Call<Test>) -> DispatchResult {
	use frame_support::{pallet_prelude::TransactionSource, traits::Authorize};
	use sp_runtime::traits::Dispatchable;
	let call = RuntimeCall::Compute(call);
	match call.authorize(TransactionSource::External) {
		Some(Ok(_)) => {}
		Some(Err(error)) => return Err(DispatchError::Other(authorization_error(error))),
		None => return Err(DispatchError::Other("not an authorized call")),
	}
	call.dispatch(frame_system::RawOrigin::Authorized.into())
		.map(|_| ())
		.map_err(|error| error.error)
}

fn authorization_error(
	error: sp_runtime::transaction_validity::TransactionValidityError,
) -> &'static str {
	use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};
	match error {
		TransactionValidityError::Invalid(InvalidTransaction::Custom(code)) => error_name(code),
		_ => "authorization refused",
	}
}

/// The name of this pallet's error with index `code` (authorizations report the index).
pub fn error_name(code: u8) -> &'static str {
	match pallet_compute::Error::<Test>::decode(&mut &[code][..]) {
		Ok(error) => error.into(),
		Err(_) => "unknown error",
	}
}

/// The error an authorization refusal of `error` surfaces as in [`dispatch_authorized`].
pub fn refused(error: pallet_compute::Error<Test>) -> DispatchError {
	DispatchError::Other(error.into())
}

/// The statement of a reveal of `job` with `commitment`, against the job's agreed digest.
pub fn statement(job: JobId, digest: FieldBytes, commitment: FieldBytes) -> DecryptionStatement {
	DecryptionStatement {
		key_commitment: KEY_COMMITMENT,
		ciphertext_digest: digest,
		result_commitment: commitment,
		job_id: job,
	}
}

/// The secret of the consumer's sealing key (what a complaint publishes).
pub const CONSUMER_SECRET: [u8; 32] = [7; 32];

/// The consumer's sealing key of every test job.
pub fn consumer_key() -> SealingKey {
	tokenfactory_primitives::seal::sealing_public(&CONSUMER_SECRET)
}

/// `signer`'s signature of a reveal of `job` with `commitment`, `sealed` and `proof`, sealed
/// to `consumer_key`.
pub fn sign_reveal(
	signer: &sr25519::Pair,
	job: JobId,
	commitment: FieldBytes,
	sealed: &[u8],
	proof: &[u8],
	consumer_key: SealingKey,
) -> sr25519::Signature {
	RevealStatement::new(Compute::genesis_hash(), job, commitment, sealed, proof, consumer_key)
		.using_encoded(|payload| signer.sign(payload))
}

/// `signer`'s dispute of `job`'s agreed `digest`.
pub fn sign_dispute(signer: &sr25519::Pair, job: JobId, digest: FieldBytes) -> sr25519::Signature {
	tokenfactory_primitives::compute::DisputeStatement::new(Compute::genesis_hash(), job, digest)
		.using_encoded(|payload| signer.sign(payload))
}

/// The reveal call of `job` with a proof the mock verifier accepts for `digest`, `sealed`
/// bytes, and the decryptor's signature over `signed_sealed` (the same bytes, unless a test
/// swaps them).
pub fn reveal_call(
	job: JobId,
	digest: FieldBytes,
	sealed: &[u8],
	signed_sealed: &[u8],
) -> pallet_compute::Call<Test> {
	let commitment = [42; 32];
	let proof = MockVerifier::proof_for(&statement(job, digest, commitment));
	let signature =
		sign_reveal(&decryptor_pair(), job, commitment, signed_sealed, &proof, consumer_key());
	pallet_compute::Call::<Test>::reveal {
		job,
		result_commitment: commitment,
		sealed: sealed.to_vec().try_into().expect("bounded"),
		proof: proof.try_into().expect("bounded"),
		signature,
	}
}

/// Reveals `job` with a proof the mock verifier accepts for `digest`, signed by the decryptor.
pub fn reveal(job: JobId, digest: FieldBytes) -> DispatchResult {
	dispatch_authorized(reveal_call(job, digest, &[1, 2, 3], &[1, 2, 3]))
}

/// A payer key and its open channel to the owner, with `deposit`.
pub fn open_channel(deposit: Balance) -> (sr25519::Pair, u64) {
	let payer = pair("payer");
	let channel = pallet_payment_channels::NextChannelId::<Test>::get();
	assert_ok!(PaymentChannels::open(RuntimeOrigin::signed(account("payer")), owner(), deposit));
	(payer, channel)
}

/// `payer`'s job voucher number `nonce` on `channel` for `query` on `dataset`, sealed to
/// `consumer_key`, at most `max_price`.
pub fn job_voucher(
	payer: &sr25519::Pair,
	channel: u64,
	nonce: u64,
	max_price: Balance,
	dataset: DatasetId,
	query: &Query,
	consumer_key: &SealingKey,
) -> (JobVoucher<Balance>, MultiSignature) {
	let voucher = JobVoucher {
		channel,
		nonce,
		max_price,
		job: JobOrder::new(dataset, query, consumer_key).hash(),
	};
	let signature = voucher.using_payload(&PaymentChannels::genesis_hash(), |payload| {
		MultiSignature::from(payer.sign(payload))
	});
	(voucher, signature)
}
