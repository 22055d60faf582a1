//! FHE engine benchmarks (issue 3). Run: `cargo bench --bench fhe` (see the README).
//!
//! One-shot figures (key generation, sizes, encryption per 1,000 rows, programs on 64 and
//! 256 rows, overhead ratios, 1 vs 2 threads) are measured once with `Instant` and printed
//! first: at about a second of FHE per row, criterion's minimum of 10 samples is out of
//! reach for them. Criterion then samples every program on 16 rows (10 samples).
//!
//! Environment: `FHE_BENCH_ROWS` (default `16,64,256`), `FHE_BENCH_ENCRYPT_ROWS` (default
//! 128; the per-1,000-row figure is scaled from it).
#![allow(clippy::unwrap_used, clippy::expect_used)] // Benchmark code: a failure is a panic.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use tfhe::integer::prelude::ServerKeyDefaultCMux;
use tfhe::integer::{BooleanBlock, IntegerCiphertext, RadixCiphertext};
use tfhe::safe_serialization::safe_serialized_size;
use tokenfactory_fhe::dataset::{self, EncryptOptions, PlainDataset};
use tokenfactory_fhe::programs::{BoundedList, CompareOp, Predicate, Program, Query, WeightedTerm};
use tokenfactory_fhe::{blake2_256, params, OwnerKeys, Schema, VerifiedDataset, Worker};

fn key_dir() -> PathBuf {
	let id = tokenfactory_fhe::hex(&blake2_256(params::PARAMETER_SET_ID.as_bytes())[..8]);
	PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("fhe-bench-keys-{id}"))
}

fn env_list(name: &str, default: &str) -> Vec<usize> {
	std::env::var(name)
		.unwrap_or_else(|_| default.into())
		.split(',')
		.filter_map(|n| n.trim().parse().ok())
		.collect()
}

fn rows(n: usize) -> Vec<Vec<u32>> {
	// A fixed pseudo-random 3-column 16-bit dataset (xorshift), the same on every run.
	let mut state = 0x2545_f491_4f6c_dd1du64;
	(0..n)
		.map(|_| {
			(0..3)
				.map(|_| {
					state ^= state << 13;
					state ^= state >> 7;
					state ^= state << 17;
					(state & 0xffff) as u32
				})
				.collect()
		})
		.collect()
}

fn programs() -> Vec<(&'static str, Query)> {
	let filter =
		BoundedList::new(vec![Predicate { column: 0, op: CompareOp::Ge, constant: 20000 }])
			.unwrap();
	let q = |program| Query { program, filter: filter.clone(), min_cohort: 2 };
	vec![
		("count", q(Program::Count)),
		("sum", q(Program::Sum { column: 1 })),
		("mean", q(Program::Mean { column: 1 })),
		(
			"histogram",
			q(Program::Histogram {
				column: 2,
				edges: BoundedList::new(vec![16384, 32768, 49152]).unwrap(),
			}),
		),
		(
			"weighted_sum",
			q(Program::WeightedSum {
				terms: BoundedList::new(vec![
					WeightedTerm { column: 1, weight: 3 },
					WeightedTerm { column: 2, weight: 5 },
				])
				.unwrap(),
				bias: 100,
			}),
		),
	]
}

fn encrypt(keys: &OwnerKeys, worker: &Worker, n: usize) -> VerifiedDataset {
	let plain = PlainDataset { schema: Schema::parse("a:16,b:16,c:16").unwrap(), rows: rows(n) };
	let options = EncryptOptions { rows_per_chunk: 32, progress: false, threads: 2 };
	let encrypted = dataset::encrypt(&keys.public, n as u32, &plain, &options).unwrap();
	worker.verify_dataset(&encrypted.descriptor(), &encrypted.chunks).unwrap()
}

fn secs(d: Duration) -> f64 {
	d.as_secs_f64()
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
	let start = Instant::now();
	let value = f();
	(value, start.elapsed())
}

/// The tfhe operations `query` performs, each timed alone (run in sequence, each with the
/// pool's threads), on the same data: the denominator of the overhead ratio.
fn ops_alone(
	worker_key: &tfhe::integer::ServerKey,
	data: &[Vec<RadixCiphertext>],
	query: &Query,
	layout_blocks: (usize, usize, usize),
) -> Duration {
	let (count_blocks, total_blocks, bucket_blocks) = layout_blocks;
	let key = worker_key;
	let mut spent = Duration::ZERO;
	let mut timed = |f: &mut dyn FnMut()| {
		let start = Instant::now();
		f();
		spent += start.elapsed();
	};
	let predicate = query.filter.as_slice()[0];
	let mut selected: Vec<BooleanBlock> = vec![];
	for row in data {
		timed(&mut || {
			selected.push(
				key.scalar_ge_parallelized(&row[usize::from(predicate.column)], predicate.constant),
			)
		});
	}
	let ones: Vec<RadixCiphertext> =
		selected.iter().map(|s| s.clone().into_radix(count_blocks, key)).collect();
	let mut count = None;
	timed(&mut || count = key.sum_ciphertexts_parallelized(ones.iter()));
	let count: RadixCiphertext = count.unwrap();
	let column_sum = |column: usize, spent: &mut Duration| {
		let mut terms = vec![];
		for (row, flag) in data.iter().zip(&selected) {
			let start = Instant::now();
			let kept: RadixCiphertext = key.if_then_else_parallelized(flag, &row[column], 0u64);
			*spent += start.elapsed();
			terms.push(key.extend_radix_with_trivial_zero_blocks_msb(
				&kept,
				total_blocks - kept.blocks().len(),
			));
		}
		let start = Instant::now();
		let total: RadixCiphertext = key.sum_ciphertexts_parallelized(terms.iter()).unwrap();
		*spent += start.elapsed();
		total
	};
	let mut outputs = vec![count.clone()];
	match &query.program {
		Program::Count => {}
		Program::Sum { column } | Program::Mean { column } => {
			outputs.push(column_sum(usize::from(*column), &mut spent))
		}
		Program::Histogram { column, edges } => {
			let mut indicators: Vec<Vec<RadixCiphertext>> = vec![vec![]; edges.len() + 1];
			for (row, flag) in data.iter().zip(&selected) {
				let value = &row[usize::from(*column)];
				let start = Instant::now();
				let ge: Vec<BooleanBlock> =
					edges.iter().map(|e| key.scalar_ge_parallelized(value, *e)).collect();
				for bucket in 0..=edges.len() {
					let mut flag_b = flag.clone();
					if bucket > 0 {
						flag_b = key.boolean_bitand(&flag_b, &ge[bucket - 1]);
					}
					if bucket < edges.len() {
						flag_b = key.boolean_bitand(&flag_b, &key.boolean_bitnot(&ge[bucket]));
					}
					indicators[bucket].push(flag_b.into_radix(bucket_blocks, key));
				}
				spent += start.elapsed();
			}
			for bucket in indicators {
				let start = Instant::now();
				outputs.push(key.sum_ciphertexts_parallelized(bucket.iter()).unwrap());
				spent += start.elapsed();
			}
		}
		Program::WeightedSum { terms, bias } => {
			let mut weighted = vec![];
			for term in terms.iter() {
				let total = column_sum(usize::from(term.column), &mut spent);
				let start = Instant::now();
				weighted.push(key.scalar_mul_parallelized(&total, term.weight));
				spent += start.elapsed();
			}
			let start = Instant::now();
			let widened =
				key.extend_radix_with_trivial_zero_blocks_msb(&count, total_blocks - count_blocks);
			weighted.push(key.scalar_mul_parallelized(&widened, *bias));
			outputs.push(key.sum_ciphertexts_parallelized(weighted.iter()).unwrap());
			spent += start.elapsed();
		}
	}
	let start = Instant::now();
	let gate = key.scalar_ge_parallelized(&count, query.min_cohort);
	let _gated: Vec<RadixCiphertext> =
		outputs.iter().map(|o| key.if_then_else_parallelized(&gate, o, 0u64)).collect();
	spent += start.elapsed();
	spent
}

fn figures(keys: &OwnerKeys, worker: &Worker) {
	println!("== tokenfactory-fhe figures ({}) ==", params::PARAMETER_SET_ID);
	let (_, keygen) = time(|| OwnerKeys::generate().unwrap());
	println!(
		"keygen (client + compressed server + compact public key + CRS): {:.2} s",
		secs(keygen)
	);
	let blobs = keys.public.to_blobs().unwrap();
	let decompressed = keys.public.server_key.decompress();
	println!(
		"sizes: compressed server key {} B, server key decompressed {} B, compact public key {} B, CRS {} B, client key {} B",
		blobs.server_key.len(),
		safe_serialized_size(&decompressed).unwrap(),
		blobs.public_key.len(),
		blobs.crs.len(),
		safe_serialized_size(&keys.client_key).unwrap(),
	);

	let n = env_list("FHE_BENCH_ENCRYPT_ROWS", "128").first().copied().unwrap_or(128);
	let plain = PlainDataset { schema: Schema::parse("a:16,b:16,c:16").unwrap(), rows: rows(n) };
	let options = EncryptOptions { rows_per_chunk: 32, progress: false, threads: 2 };
	let (encrypted, took) = time(|| dataset::encrypt(&keys.public, 0, &plain, &options).unwrap());
	let bytes: usize = encrypted.chunks.iter().map(Vec::len).sum();
	println!(
		"encryption + proof: {n} rows in {:.2} s = {:.1} s per 1,000 rows; {:.0} B per row, {:.0} B per 16-bit value (proofs included)",
		secs(took),
		secs(took) * 1000.0 / n as f64,
		bytes as f64 / n as f64,
		bytes as f64 / (3 * n) as f64,
	);
	let (_, verify) =
		time(|| worker.verify_dataset(&encrypted.descriptor(), &encrypted.chunks).unwrap());
	println!("verify_and_expand: {n} rows in {:.2} s", secs(verify));

	let integer: &tfhe::integer::ServerKey = decompressed.as_ref();
	for n in env_list("FHE_BENCH_ROWS", "16,64,256") {
		let data = encrypt(keys, worker, n);
		for (name, query) in programs() {
			let (result, took) = time(|| worker.evaluate(&data, &query).unwrap());
			let layout = query.validate(data.widths(), data.rows()).unwrap();
			let blocks = |role| {
				layout
					.iter()
					.find(|s| s.role == role)
					.map(|s| tokenfactory_fhe::compact::blocks_for_bits(s.bits))
					.unwrap_or(1)
			};
			use tokenfactory_fhe::programs::OutputRole;
			let raw = data_rows(&data);
			let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
			let alone = pool.install(|| {
				ops_alone(
					integer,
					raw,
					&query,
					(
						blocks(OutputRole::Count),
						blocks(OutputRole::Total),
						blocks(OutputRole::Bucket(0)),
					),
				)
			});
			println!(
				"program {name:>12} on {n:>3} rows: {:.2} s ({:.3} s/row); tfhe ops alone {:.2} s; overhead {:.2}x; result {} B",
				secs(took),
				secs(took) / n as f64,
				secs(alone),
				secs(took) / secs(alone),
				result.to_bytes().len(),
			);
		}
		if n == 16 {
			let (_, query) = &programs()[1];
			let one = Worker::new(&keys.public, 1).unwrap();
			let (_, t1) = time(|| one.evaluate(&data, query).unwrap());
			let (_, t2) = time(|| worker.evaluate(&data, query).unwrap());
			println!(
				"sum on 16 rows: 1 thread {:.2} s, 2 threads {:.2} s, speed-up {:.2}x",
				secs(t1),
				secs(t2),
				secs(t1) / secs(t2)
			);
		}
	}
}

fn data_rows(data: &VerifiedDataset) -> &[Vec<RadixCiphertext>] {
	data.raw_rows()
}

fn benches(c: &mut Criterion) {
	let dir = key_dir();
	let keys = OwnerKeys::load(&dir).unwrap_or_else(|_| {
		let keys = OwnerKeys::generate().unwrap();
		keys.save(&dir).unwrap();
		keys
	});
	let worker = Worker::new(&keys.public, 2).unwrap();
	figures(&keys, &worker);

	let data = encrypt(&keys, &worker, 16);
	let mut group = c.benchmark_group("program_16_rows");
	group
		.sample_size(10)
		.warm_up_time(Duration::from_millis(1))
		.measurement_time(Duration::from_secs(1));
	for (name, query) in programs() {
		group.bench_function(name, |b| b.iter(|| worker.evaluate(&data, &query).unwrap()));
	}
	group.finish();
}

criterion_group!(fhe, benches);
criterion_main!(fhe);
