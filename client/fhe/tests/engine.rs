//! The engine end to end: keys, encryption, verification, evaluation, decryption.
//!
//! FHE is slow: keys are generated once per test run (and cached on disk under the target
//! directory across runs), datasets have at most 8 rows, and the property test runs few
//! cases. Run with `--test-threads=1`: each evaluation already uses two threads.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers outside `#[test]` functions too.

use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;
use tokenfactory_fhe::dataset::{self, DatasetDescriptor, EncryptOptions, PlainDataset};
use tokenfactory_fhe::error::{ChunkError, DecryptError, EvalError, KeyError, QueryError};
use tokenfactory_fhe::programs::{
	AggregateResult, BoundedList, CompareOp, Predicate, Program, Query, WeightedTerm,
};
use tokenfactory_fhe::{
	blake2_256, keys, params, EncryptedDataset, OwnerKeys, Schema, VerifiedDataset, Worker,
};

struct Fixture {
	keys: OwnerKeys,
	worker: Worker,
	/// 8 rows of `a:8, b:16, c:8`, encrypted as dataset 1 in chunks of 3 rows.
	encrypted: EncryptedDataset,
	plain: PlainDataset,
	verified: VerifiedDataset,
}

fn key_dir() -> PathBuf {
	let id = tokenfactory_fhe::hex(&blake2_256(params::PARAMETER_SET_ID.as_bytes())[..8]);
	PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("fhe-test-keys-{id}"))
}

fn quiet() -> EncryptOptions {
	EncryptOptions { rows_per_chunk: 3, progress: false, threads: 2 }
}

fn fixture() -> &'static Fixture {
	static FIXTURE: OnceLock<Fixture> = OnceLock::new();
	FIXTURE.get_or_init(|| {
		let dir = key_dir();
		let keys = OwnerKeys::load(&dir).unwrap_or_else(|_| {
			let keys = OwnerKeys::generate().unwrap();
			keys.save(&dir).unwrap();
			// Always use keys that went through the files, so the files are what is tested.
			OwnerKeys::load(&dir).unwrap()
		});
		let worker = Worker::new(&keys.public, 2).unwrap();
		let schema = Schema::parse("a:8,b:16,c:8").unwrap();
		let rows = vec![
			vec![3, 1000, 10],
			vec![200, 65535, 0],
			vec![17, 0, 255],
			vec![17, 42, 100],
			vec![0, 300, 99],
			vec![255, 12345, 150],
			vec![64, 7, 50],
			vec![128, 40000, 200],
		];
		let plain = PlainDataset { schema, rows };
		let encrypted = dataset::encrypt(&keys.public, 1, &plain, &quiet()).unwrap();
		let verified = worker.verify_dataset(&encrypted.descriptor(), &encrypted.chunks).unwrap();
		Fixture { keys, worker, encrypted, plain, verified }
	})
}

fn query(program: Program, filter: Vec<Predicate>, min_cohort: u32) -> Query {
	Query { program, filter: BoundedList::new(filter).unwrap(), min_cohort }
}

fn predicate(column: u8, op: CompareOp, constant: u32) -> Predicate {
	Predicate { column, op, constant }
}

/// Evaluates under FHE, decrypts both the compact form and the full ciphertexts, and checks
/// both against the plaintext reference.
fn check(
	fixture: &Fixture,
	verified: &VerifiedDataset,
	rows: &[Vec<u32>],
	query: &Query,
) -> AggregateResult {
	let layout = query.validate(verified.widths(), verified.rows()).unwrap();
	let expected = query.evaluate_plaintext(rows);
	let result = fixture.worker.evaluate(verified, query).unwrap();
	let decrypted = fixture.keys.decrypt(&result.to_bytes(), &layout).unwrap();
	assert_eq!(decrypted, AggregateResult::from_outputs(&expected), "{query:?}");
	decrypted
}

#[test]
fn client_key_file_is_owner_only() {
	use std::os::unix::fs::PermissionsExt;
	fixture();
	let mode =
		std::fs::metadata(key_dir().join(keys::files::CLIENT_KEY)).unwrap().permissions().mode();
	assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn every_program_matches_plaintext() {
	let f = fixture();
	let filter = vec![predicate(0, CompareOp::Ge, 17)];
	let programs = [
		Program::Count,
		Program::Sum { column: 1 },
		Program::Mean { column: 0 },
		Program::Histogram { column: 2, edges: BoundedList::new(vec![50, 150]).unwrap() },
		Program::WeightedSum {
			terms: BoundedList::new(vec![
				WeightedTerm { column: 0, weight: 3 },
				WeightedTerm { column: 2, weight: 1000 },
			])
			.unwrap(),
			bias: 7,
		},
	];
	for program in programs {
		let result = check(f, &f.verified, &f.plain.rows, &query(program, filter.clone(), 2));
		assert!(result.gate_passed);
	}
}

#[test]
fn every_predicate_matches_plaintext() {
	let f = fixture();
	for op in
		[CompareOp::Eq, CompareOp::Ne, CompareOp::Lt, CompareOp::Le, CompareOp::Gt, CompareOp::Ge]
	{
		check(f, &f.verified, &f.plain.rows, &query(Program::Count, vec![predicate(0, op, 17)], 0));
	}
	let four = vec![
		predicate(0, CompareOp::Gt, 0),
		predicate(1, CompareOp::Le, 40000),
		predicate(2, CompareOp::Ne, 99),
		predicate(2, CompareOp::Lt, 255),
	];
	let result = check(f, &f.verified, &f.plain.rows, &query(Program::Sum { column: 1 }, four, 0));
	assert!(result.count > 0);
}

#[test]
fn cohort_gate_passes_at_the_minimum_and_refuses_below() {
	let f = fixture();
	let filter = vec![predicate(0, CompareOp::Eq, 17)];
	let passed =
		check(f, &f.verified, &f.plain.rows, &query(Program::Sum { column: 2 }, filter.clone(), 2));
	assert_eq!(passed, AggregateResult { gate_passed: true, count: 2, values: vec![355] });
	let refused =
		check(f, &f.verified, &f.plain.rows, &query(Program::Sum { column: 2 }, filter, 3));
	assert_eq!(refused, AggregateResult { gate_passed: false, count: 0, values: vec![0] });
}

#[test]
fn evaluation_is_byte_identical_across_runs_and_thread_counts() {
	let f = fixture();
	let q = query(
		Program::Histogram { column: 1, edges: BoundedList::new(vec![100, 20000]).unwrap() },
		vec![predicate(2, CompareOp::Lt, 200)],
		1,
	);
	let first = f.worker.evaluate(&f.verified, &q).unwrap().to_bytes();
	let again = f.worker.evaluate(&f.verified, &q).unwrap().to_bytes();
	let one_thread = Worker::new(&f.keys.public, 1).unwrap();
	let single = one_thread.evaluate(&f.verified, &q).unwrap().to_bytes();
	assert_eq!(first, again);
	assert_eq!(first, single);
}

#[test]
fn compact_form_decrypts_like_the_full_ciphertexts() {
	let f = fixture();
	let q = query(Program::Mean { column: 1 }, vec![predicate(0, CompareOp::Lt, 200)], 1);
	let full = f.worker.evaluate_outputs(&f.verified, &q).unwrap();
	let compact = f.worker.evaluate(&f.verified, &q).unwrap();
	let layout = q.validate(f.verified.widths(), f.verified.rows()).unwrap();
	assert_eq!(
		AggregateResult::from_outputs(&f.keys.decrypt_outputs(&full)),
		f.keys.decrypt_result(&compact, &layout).unwrap()
	);
	let words_in_range = compact.compact.blocks.iter().all(|b| {
		b.body < 1 << compact.compact.log_modulus
			&& b.mask.iter().all(|w| *w < 1 << compact.compact.log_modulus)
	});
	assert!(words_in_range);
	assert_eq!(compact.compact.lwe_dimension, f.keys.lwe_secret_key_bits().0.len());
	assert!(f.keys.lwe_secret_key_bits().0.iter().all(|bit| *bit <= 1));
}

/// What a lying majority of workers tries against the owner's decryptor.
mod attack {
	use super::*;

	#[test]
	fn lying_majority_makes_the_owner_decrypt_a_single_patients_cell() {
		let f = fixture();
		// The consumer asked for a gated mean; the workers agree on an ungated sum over one
		// row instead (a single patient's value).
		let asked = query(Program::Mean { column: 1 }, vec![predicate(0, CompareOp::Lt, 200)], 3);
		let leak = query(Program::Sum { column: 1 }, vec![predicate(0, CompareOp::Eq, 3)], 1);
		let layout = asked.validate(f.verified.widths(), f.verified.rows()).unwrap();
		let lie = f.worker.evaluate(&f.verified, &leak).unwrap();
		assert!(matches!(
			f.keys.check_result(&lie, &asked, &layout, &f.plain.rows),
			Err(DecryptError::NotTheAnswer | DecryptError::LayoutMismatch { .. })
		));
		// The honest result passes the same check.
		let honest = f.worker.evaluate(&f.verified, &asked).unwrap();
		assert!(f.keys.check_result(&honest, &asked, &layout, &f.plain.rows).is_ok());
	}

	#[test]
	fn lying_majority_swaps_in_another_query_of_the_same_shape() {
		let f = fixture();
		let asked = query(Program::Count, vec![predicate(0, CompareOp::Lt, 200)], 1);
		let other = query(Program::Count, vec![predicate(0, CompareOp::Ge, 200)], 1);
		let layout = asked.validate(f.verified.widths(), f.verified.rows()).unwrap();
		let lie = f.worker.evaluate(&f.verified, &other).unwrap();
		assert!(matches!(
			f.keys.check_result(&lie, &asked, &layout, &f.plain.rows),
			Err(DecryptError::NotTheAnswer)
		));
	}
}

#[test]
fn a_plaintext_table_round_trips_through_the_key_directory_owner_only() {
	use std::os::unix::fs::PermissionsExt;
	let f = fixture();
	let dir = key_dir();
	keys::save_plaintext(&dir, 77, &f.plain.rows).unwrap();
	assert_eq!(keys::load_plaintext(&dir, 77).unwrap(), f.plain.rows);
	let mode =
		std::fs::metadata(dir.join(keys::files::plaintext(77))).unwrap().permissions().mode();
	assert_eq!(mode & 0o777, 0o600);
	assert!(keys::load_plaintext(&dir, 78).is_err());
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 3, ..ProptestConfig::default() })]

	#[test]
	fn random_datasets_and_queries_match_plaintext(
		rows in prop::collection::vec((0u32..256, 0u32..65536), 1..=6),
		program_choice in 0usize..5,
		filter in prop::collection::vec((0u8..2, 0usize..6, 0u32..256), 0..=2),
		min_cohort in 0u32..4,
	) {
		let f = fixture();
		let schema = Schema::parse("x:8,y:16").unwrap();
		let rows: Vec<Vec<u32>> = rows.into_iter().map(|(x, y)| vec![x, y]).collect();
		let plain = PlainDataset { schema, rows };
		let encrypted = dataset::encrypt(&f.keys.public, 7, &plain, &quiet()).unwrap();
		let verified = f.worker.verify_dataset(&encrypted.descriptor(), &encrypted.chunks).unwrap();
		let ops = [CompareOp::Eq, CompareOp::Ne, CompareOp::Lt, CompareOp::Le, CompareOp::Gt, CompareOp::Ge];
		let filter = filter.into_iter().map(|(column, op, constant)| predicate(column, ops[op], constant)).collect();
		let program = match program_choice {
			0 => Program::Count,
			1 => Program::Sum { column: 1 },
			2 => Program::Mean { column: 0 },
			3 => Program::Histogram { column: 0, edges: BoundedList::new(vec![64, 128]).unwrap() },
			_ => Program::WeightedSum {
				terms: BoundedList::new(vec![WeightedTerm { column: 0, weight: 5 }, WeightedTerm { column: 1, weight: 2 }]).unwrap(),
				bias: 1,
			},
		};
		check(f, &verified, &plain.rows, &query(program, filter, min_cohort));
	}
}

mod reject {
	use super::*;

	fn with_chunks(descriptor: &DatasetDescriptor, chunks: &[Vec<u8>]) -> DatasetDescriptor {
		DatasetDescriptor {
			chunk_hashes: chunks.iter().map(|c| blake2_256(c)).collect(),
			..descriptor.clone()
		}
	}

	fn verify(chunks: Vec<Vec<u8>>) -> Result<(), ChunkError> {
		let f = fixture();
		let descriptor = with_chunks(&f.encrypted.descriptor(), &chunks);
		f.worker.verify_dataset(&descriptor, &chunks).map(|_| ())
	}

	#[test]
	fn chunk_not_matching_its_registered_hash() {
		let f = fixture();
		let mut chunks = f.encrypted.chunks.clone();
		let last = chunks[1].len() - 1;
		chunks[1][last] ^= 1;
		assert_eq!(
			f.worker.verify_dataset(&f.encrypted.descriptor(), &chunks).err(),
			Some(ChunkError::HashMismatch { chunk: 1 })
		);
	}

	#[test]
	fn truncated_chunk() {
		let mut chunks = fixture().encrypted.chunks.clone();
		let half = chunks[2].len() / 2;
		chunks[2].truncate(half);
		assert_eq!(verify(chunks.clone()).err(), Some(ChunkError::Truncated { chunk: 2 }));
		chunks[2].truncate(10);
		assert_eq!(verify(chunks).err(), Some(ChunkError::Truncated { chunk: 2 }));
	}

	#[test]
	fn corrupted_chunk() {
		let mut chunks = fixture().encrypted.chunks.clone();
		chunks[0][0] = b'X';
		assert!(matches!(verify(chunks.clone()), Err(ChunkError::Corrupted { chunk: 0, .. })));
		// A flipped bit deep in the ciphertexts still parses but no longer matches its proof.
		let mut chunks = fixture().encrypted.chunks.clone();
		let middle = chunks[1].len() / 2;
		chunks[1][middle] ^= 0x10;
		assert!(matches!(
			verify(chunks),
			Err(ChunkError::ProofRejected { chunk: 1 } | ChunkError::Corrupted { chunk: 1, .. })
		));
	}

	#[test]
	fn chunk_from_another_dataset() {
		let f = fixture();
		let other = dataset::encrypt(&f.keys.public, 2, &f.plain, &quiet()).unwrap();
		let mut chunks = f.encrypted.chunks.clone();
		chunks[1] = other.chunks[1].clone();
		assert_eq!(
			verify(chunks.clone()).err(),
			Some(ChunkError::WrongDataset { chunk: 1, expected: 1, found: 2 })
		);
		// Relabelling the header does not help: the proof is bound to dataset 2.
		chunks[1][4..8].copy_from_slice(&1u32.to_le_bytes());
		assert_eq!(verify(chunks).err(), Some(ChunkError::ProofRejected { chunk: 1 }));
	}

	#[test]
	fn chunks_out_of_order() {
		let mut chunks = fixture().encrypted.chunks.clone();
		chunks.swap(0, 1);
		assert!(matches!(
			verify(chunks),
			Err(ChunkError::WrongPosition { chunk: 0, found_index: 1, .. })
		));
	}

	#[test]
	fn missing_chunk() {
		let mut chunks = fixture().encrypted.chunks.clone();
		chunks.pop();
		// Registered with its two chunks' hashes: they cover 6 of the dataset's 8 rows.
		assert!(matches!(
			verify(chunks.clone()),
			Err(ChunkError::WrongShape { chunk: 1, reason }) if reason.contains("6 rows where 8")
		));
		// Registered with three hashes but given two chunks.
		assert_eq!(
			fixture().worker.verify_dataset(&fixture().encrypted.descriptor(), &chunks).err(),
			Some(ChunkError::ChunkCount { expected: 3, found: 2 })
		);
	}

	#[test]
	fn oversize_chunk() {
		let mut chunks = fixture().encrypted.chunks.clone();
		chunks[0].resize(params::limits::CHUNK as usize + 64, 0);
		assert!(matches!(verify(chunks), Err(ChunkError::Oversize { chunk: 0, .. })));
	}

	#[test]
	fn result_decrypted_with_another_key_set() {
		let f = fixture();
		let q = query(Program::Count, vec![], 0);
		let mut result = f.worker.evaluate(&f.verified, &q).unwrap();
		result.key_set[0] ^= 1;
		let layout = q.validate(f.verified.widths(), f.verified.rows()).unwrap();
		assert!(matches!(
			f.keys.decrypt(&result.to_bytes(), &layout),
			Err(DecryptError::WrongKey { .. })
		));
	}

	#[test]
	fn result_of_another_query_or_malformed() {
		let f = fixture();
		let q = query(Program::Count, vec![], 0);
		let result = f.worker.evaluate(&f.verified, &q).unwrap();
		let other =
			query(Program::Sum { column: 1 }, vec![], 0).validate(f.verified.widths(), 8).unwrap();
		assert!(matches!(
			f.keys.decrypt(&result.to_bytes(), &other),
			Err(DecryptError::LayoutMismatch { .. })
		));
		let bytes = result.to_bytes();
		assert!(matches!(
			f.keys.decrypt(&bytes[..bytes.len() - 1], &other),
			Err(DecryptError::Malformed { .. })
		));
	}

	#[test]
	fn invalid_query_before_any_fhe_work() {
		let f = fixture();
		let q = query(Program::Sum { column: 5 }, vec![], 0);
		assert!(matches!(
			f.worker.evaluate(&f.verified, &q),
			Err(EvalError::Query(QueryError::UnknownColumn { column: 5 }))
		));
		let q = query(Program::Count, vec![predicate(0, CompareOp::Eq, 300)], 0);
		assert!(matches!(
			f.worker.evaluate(&f.verified, &q),
			Err(EvalError::Query(QueryError::ConstantOutOfRange { column: 0, constant: 300 }))
		));
	}

	#[test]
	fn truncated_or_corrupted_key_files() {
		let f = fixture();
		let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fhe-test-bad-keys");
		f.keys.public.save(&dir).unwrap();
		let server = dir.join(keys::files::SERVER_KEY);
		let bytes = std::fs::read(&server).unwrap();
		std::fs::write(&server, &bytes[..bytes.len() / 2]).unwrap();
		assert!(matches!(
			tokenfactory_fhe::PublicKeySet::load(&dir),
			Err(KeyError::Invalid { what: "compressed server key", .. })
		));
		f.keys.public.save(&dir).unwrap();
		let crs = dir.join(keys::files::CRS);
		let mut bytes = std::fs::read(&crs).unwrap();
		bytes[..8].copy_from_slice(b"garbage!");
		std::fs::write(&crs, &bytes).unwrap();
		assert!(matches!(
			tokenfactory_fhe::PublicKeySet::load(&dir),
			Err(KeyError::Invalid { what: "CRS", .. })
		));
		std::fs::remove_file(&crs).unwrap();
		assert!(matches!(tokenfactory_fhe::PublicKeySet::load(&dir), Err(KeyError::Io { .. })));
	}
}
