//! Honest workers on different CPUs must produce identical result bytes, or the chain slashes
//! one of them. tfhe-fft picks its FFT kernels at run time from the CPU's features (AVX-512 where
//! the CPU has it, AVX2 + FMA otherwise), and tfhe picks its carry propagation from the thread
//! count. These tests evaluate the catalogue's programs with 1, 2 and 3 threads on the native
//! CPU, and run themselves again under Valgrind (`--tool=none`), whose virtual CPU has no
//! AVX-512, comparing the result blobs byte for byte (their blake2-256 hashes).
//!
//! The same keys and ciphertexts serve both runs: the parent writes the chunks to a temporary
//! directory, the child (the same test, with `TOKENFACTORY_DETERMINISM_DIR` set) reads them and
//! writes back one hash per program.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test helpers outside `#[test]` functions too.

use std::path::{Path, PathBuf};
use std::process::Command;

use tokenfactory_fhe::dataset::{self, DatasetDescriptor, EncryptOptions, PlainDataset};
use tokenfactory_fhe::programs::{BoundedList, CompareOp, Predicate, Program, Query, WeightedTerm};
use tokenfactory_fhe::{blake2_256, params, OwnerKeys, PublicKeySet, Schema, Worker};

/// Set in the child run: the directory with the parent's chunks.
const CHILD_DIR: &str = "TOKENFACTORY_DETERMINISM_DIR";
const SCHEMA: &str = "a:8,b:16,c:8";
/// One row: Valgrind runs the child about fifty times slower than the CPU (one bootstrap, 20 ms
/// natively, takes about a second there).
const ROWS: u64 = 1;
const DATASET: u32 = 7;

fn key_dir() -> PathBuf {
	// The engine tests' key cache (same crate, same target directory).
	let id = tokenfactory_fhe::hex(&blake2_256(params::PARAMETER_SET_ID.as_bytes())[..8]);
	PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("fhe-test-keys-{id}"))
}

fn keys() -> OwnerKeys {
	let dir = key_dir();
	OwnerKeys::load(&dir).unwrap_or_else(|_| {
		let keys = OwnerKeys::generate().unwrap();
		keys.save(&dir).unwrap();
		OwnerKeys::load(&dir).unwrap()
	})
}

/// Every program of the catalogue, behind a filter (so the predicates' comparisons run too).
fn queries() -> Vec<(&'static str, Query)> {
	let filter =
		BoundedList::new(vec![Predicate { column: 0, op: CompareOp::Ge, constant: 3 }]).unwrap();
	let query = |program| Query { program, filter: filter.clone(), min_cohort: 1 };
	vec![
		("count", query(Program::Count)),
		("sum", query(Program::Sum { column: 1 })),
		("mean", query(Program::Mean { column: 0 })),
		(
			"histogram",
			query(Program::Histogram { column: 2, edges: BoundedList::new(vec![50]).unwrap() }),
		),
		(
			"weighted-sum",
			query(Program::WeightedSum {
				terms: BoundedList::new(vec![
					WeightedTerm { column: 0, weight: 3 },
					WeightedTerm { column: 2, weight: 1000 },
				])
				.unwrap(),
				bias: 7,
			}),
		),
	]
}

fn chunk_path(dir: &Path, index: usize) -> PathBuf {
	dir.join(format!("chunk-{index}.bin"))
}

/// Encrypts the one-row table under the cached keys into a new temporary directory.
fn encrypted_table(keys: &OwnerKeys) -> tempfile::TempDir {
	let dir = tempfile::tempdir().unwrap();
	let plain =
		PlainDataset { schema: Schema::parse(SCHEMA).unwrap(), rows: vec![vec![3, 1000, 10]] };
	let options = EncryptOptions { rows_per_chunk: 1, progress: false, threads: 2 };
	let encrypted = dataset::encrypt(&keys.public, DATASET, &plain, &options).unwrap();
	assert_eq!(encrypted.rows, ROWS);
	for (index, chunk) in encrypted.chunks.iter().enumerate() {
		std::fs::write(chunk_path(dir.path(), index), chunk).unwrap();
	}
	dir
}

/// Reads the chunks back, verifies them, and returns `name hash` for every query named in
/// `only` (every query if `None`).
fn evaluate(
	public: &PublicKeySet,
	dir: &Path,
	threads: usize,
	only: Option<&[&str]>,
) -> Vec<String> {
	let mut chunks = Vec::new();
	while let Ok(chunk) = std::fs::read(chunk_path(dir, chunks.len())) {
		chunks.push(chunk);
	}
	let descriptor = DatasetDescriptor {
		dataset_id: DATASET,
		widths: Schema::parse(SCHEMA).unwrap().widths(),
		rows: ROWS,
		chunk_hashes: chunks.iter().map(|chunk| blake2_256(chunk)).collect(),
	};
	let started = std::time::Instant::now();
	let worker = Worker::new(public, threads).unwrap();
	eprintln!(
		"{threads} thread(s): server key decompressed in {:.1} s",
		started.elapsed().as_secs_f64()
	);
	let started = std::time::Instant::now();
	let verified = worker.verify_dataset(&descriptor, &chunks).unwrap();
	eprintln!("{threads} thread(s): dataset verified in {:.1} s", started.elapsed().as_secs_f64());
	queries()
		.into_iter()
		.filter(|(name, _)| only.is_none_or(|only| only.contains(name)))
		.map(|(name, query)| {
			let started = std::time::Instant::now();
			let result = worker.evaluate(&verified, &query).unwrap();
			eprintln!("{threads} thread(s): {name} in {:.1} s", started.elapsed().as_secs_f64());
			format!("{name} {}", tokenfactory_fhe::hex(&blake2_256(&result.to_bytes())))
		})
		.collect()
}

fn has_avx512() -> bool {
	#[cfg(target_arch = "x86_64")]
	{
		std::is_x86_feature_detected!("avx512f")
	}
	#[cfg(not(target_arch = "x86_64"))]
	{
		false
	}
}

/// Evaluates the queries named in `only` natively (one thread), then runs `test` (this test
/// binary's test of that name) again under Valgrind, which evaluates them on a CPU without
/// AVX-512, and compares the result hashes.
fn compare_with_and_without_avx512(test: &str, only: Option<&[&str]>) {
	if let Ok(dir) = std::env::var(CHILD_DIR) {
		// The child, under Valgrind: one thread (Valgrind runs threads one at a time anyway).
		let dir = PathBuf::from(dir);
		assert!(!has_avx512(), "the child must run without AVX-512");
		let keys = OwnerKeys::load(&key_dir()).unwrap();
		std::fs::write(
			dir.join("without-avx512.txt"),
			evaluate(&keys.public, &dir, 1, only).join("\n"),
		)
		.unwrap();
		return;
	}

	let keys = keys();
	let dir = encrypted_table(&keys);
	let native = evaluate(&keys.public, dir.path(), 1, only);

	let valgrind = Command::new("valgrind").arg("--version").output();
	assert!(
		valgrind.is_ok_and(|output| output.status.success()),
		"this test needs Valgrind to run without AVX-512 (apt-get install valgrind; \
		 scripts/test.sh installs it)"
	);
	let started = std::time::Instant::now();
	let status = Command::new("valgrind")
		.args(["--tool=none", "--quiet"])
		.arg(std::env::current_exe().unwrap())
		.args(["--exact", test, "--include-ignored", "--test-threads", "1"])
		.env(CHILD_DIR, dir.path())
		.status()
		.unwrap();
	assert!(status.success(), "the run under Valgrind failed: {status}");
	let emulated = std::fs::read_to_string(dir.path().join("without-avx512.txt")).unwrap();
	println!(
		"native ({}): {native:?}\nwithout AVX-512 (Valgrind, {:.0} s): {emulated}",
		if has_avx512() { "AVX-512" } else { "no AVX-512 on this CPU: both runs use AVX2" },
		started.elapsed().as_secs_f64()
	);
	assert_eq!(
		emulated.lines().collect::<Vec<_>>(),
		native.iter().map(String::as_str).collect::<Vec<_>>(),
		"the FFT kernels without AVX-512 gave other result bytes"
	);
}

#[test]
fn every_program_gives_identical_result_bytes_with_one_two_and_three_threads() {
	let keys = keys();
	let dir = encrypted_table(&keys);
	let one = evaluate(&keys.public, dir.path(), 1, None);
	for threads in 2..=3 {
		assert_eq!(
			evaluate(&keys.public, dir.path(), threads, None),
			one,
			"{threads} threads gave other result bytes than 1 thread"
		);
	}
}

/// The FFT is the only CPU-dependent part of an evaluation, and every bootstrap runs it: one
/// program with a predicate (comparisons, the gate, the compact form) is a check of the
/// kernels that CI can afford (Valgrind runs it about fifty times slower than the CPU).
#[test]
fn fft_kernels_without_avx512_give_identical_result_bytes() {
	compare_with_and_without_avx512(
		"fft_kernels_without_avx512_give_identical_result_bytes",
		Some(&["count-where"]),
	);
}

/// Every program of the catalogue with and without AVX-512: about half an hour on two cores
/// (`cargo test --workspace --test determinism -- --ignored`; figures in docs/benchmarks.md).
#[test]
#[ignore = "every program under Valgrind takes about half an hour"]
fn every_program_without_avx512_gives_identical_result_bytes() {
	compare_with_and_without_avx512(
		"every_program_without_avx512_gives_identical_result_bytes",
		None,
	);
}
