#![allow(clippy::expect_used, reason = "a benchmark fixture; failing loudly is the point")]

//! Vouchers verified per second, against raw sr25519 verification in the same run.
//!
//! `cargo bench -p tokenfactory-primitives --bench voucher_verify` first prints a side-by-side
//! ratio (DESIGN.md §6 target: voucher verification ≥ 0.9× raw sr25519), then runs the
//! criterion groups. The ratio compares one core doing the same number of verifications of
//! the same message length both ways, interleaved over several rounds so that frequency
//! drift hits both alike.

use criterion::{black_box, criterion_group, BenchmarkId, Criterion, Throughput};
use polkadot_sdk::{
	sp_core::{sr25519, Pair, H256},
	sp_runtime::AccountId32,
};
use std::time::{Duration, Instant};
use tokenfactory_primitives::voucher::{
	offchain::{batch_verify, Payer, SignedVoucher, VoucherKey},
	ChannelId,
};

const GENESIS: H256 = H256::repeat_byte(0x1f);
const CHANNEL: ChannelId = 3;

struct Fixture {
	account: AccountId32,
	public: sr25519::Public,
	vouchers: Vec<SignedVoucher>,
	/// The same signatures and payloads as `vouchers`, as raw sr25519 inputs.
	raw: Vec<(sr25519::Signature, Vec<u8>)>,
}

fn fixture(count: usize) -> Fixture {
	let pair = sr25519::Pair::from_seed(&[0x11; 32]);
	let mut payer = Payer::new(VoucherKey::Sr25519(pair.clone()), GENESIS);
	payer.track(CHANNEL, AccountId32::new([0x22; 32]), u128::MAX, 0);
	let vouchers: Vec<SignedVoucher> = (0..count)
		.map(|_| payer.pay(CHANNEL, 1_000_000).expect("the deposit is unbounded"))
		.collect();
	let raw = vouchers
		.iter()
		.map(|signed| {
			let polkadot_sdk::sp_runtime::MultiSignature::Sr25519(signature) = &signed.signature
			else {
				unreachable!("signed with sr25519")
			};
			(*signature, signed.voucher.signing_payload(&GENESIS))
		})
		.collect();
	Fixture { account: payer.account(), public: pair.public(), vouchers, raw }
}

fn time(f: impl FnOnce()) -> Duration {
	let start = Instant::now();
	f();
	start.elapsed()
}

/// Prints vouchers/s, raw sr25519 verifications/s and their ratio, measured side by side.
fn ratio_report(quick: bool) {
	let (per_round, rounds) = if quick { (50, 2) } else { (2_000, 10) };
	let fixture = fixture(per_round);
	let mut raw_time = Duration::ZERO;
	let mut voucher_time = Duration::ZERO;
	let mut batch_time = Duration::ZERO;
	for _ in 0..rounds {
		raw_time += time(|| {
			for (signature, payload) in &fixture.raw {
				assert!(sr25519::Pair::verify(black_box(signature), payload, &fixture.public));
			}
		});
		voucher_time += time(|| {
			for signed in &fixture.vouchers {
				assert!(black_box(signed).verify(&GENESIS, &fixture.account));
			}
		});
		let items: Vec<(&AccountId32, &SignedVoucher)> =
			fixture.vouchers.iter().map(|signed| (&fixture.account, signed)).collect();
		batch_time += time(|| {
			assert!(batch_verify(&GENESIS, black_box(&items)).into_iter().all(|ok| ok));
		});
	}
	let total = (per_round * rounds) as f64;
	let raw_rate = total / raw_time.as_secs_f64();
	let voucher_rate = total / voucher_time.as_secs_f64();
	let batch_rate = total / batch_time.as_secs_f64();
	println!("raw sr25519 verify:        {raw_rate:>10.0} /s");
	println!("voucher verify:            {voucher_rate:>10.0} /s");
	println!("voucher batch verify:      {batch_rate:>10.0} /s (batches of {per_round})");
	println!("ratio voucher/raw:         {:>10.3} (target >= 0.9)", voucher_rate / raw_rate);
	println!("ratio batch/raw:           {:>10.3}", batch_rate / raw_rate);
}

fn verification(c: &mut Criterion) {
	let fixture = fixture(64);
	let mut group = c.benchmark_group("verify");
	group.throughput(Throughput::Elements(1));
	group.bench_function("raw_sr25519", |b| {
		let (signature, payload) = &fixture.raw[0];
		b.iter(|| sr25519::Pair::verify(black_box(signature), payload, &fixture.public))
	});
	group.bench_function("voucher", |b| {
		let signed = &fixture.vouchers[0];
		b.iter(|| black_box(signed).verify(&GENESIS, &fixture.account))
	});
	group.finish();

	let mut group = c.benchmark_group("batch_verify");
	for size in [16usize, 64] {
		let items: Vec<(&AccountId32, &SignedVoucher)> =
			fixture.vouchers[..size].iter().map(|signed| (&fixture.account, signed)).collect();
		group.throughput(Throughput::Elements(size as u64));
		group.bench_with_input(BenchmarkId::from_parameter(size), &items, |b, items| {
			b.iter(|| batch_verify(&GENESIS, black_box(items)))
		});
	}
	group.finish();
}

criterion_group!(benches, verification);

fn main() {
	// `cargo bench` passes `--bench`; `cargo test --benches` does not, and only needs a smoke run.
	let quick = !std::env::args().any(|arg| arg == "--bench");
	ratio_report(quick);
	benches();
	Criterion::default().configure_from_args().final_summary();
}
