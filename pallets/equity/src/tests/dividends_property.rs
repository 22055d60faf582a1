//! Property: over random sequences of issue / transfer / distribute / claim, nobody is paid
//! more than was distributed, and each holder is paid their exact pro-rata share of every
//! distribution made while they held shares (computed here with exact fractions), rounded
//! down; when that share is a whole number the accumulator's rounding may leave it one unit
//! short (the unit waits in the pool as undistributed), and when it is within the carried
//! remainders (less than the supply in scaled units per distribution) below a whole number,
//! the carried remainders may make it that whole number.

use crate::{mock::*, Error, DIVIDEND_SCALE};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::Inspect},
	sp_runtime::DispatchError,
};
use proptest::prelude::*;
use std::collections::BTreeMap;

const HOLDERS: [AccountId; 4] = [ALICE, BOB, CHARLIE, 5];
const PAYER: AccountId = 10;
const MAX_DISTRIBUTIONS: usize = 6;

#[derive(Clone, Debug)]
enum Op {
	Issue { to: usize, amount: u64 },
	Transfer { from: usize, to: usize, amount: u64 },
	Distribute { amount: u64 },
	Claim { who: usize },
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		(0..4usize, 1..200u64).prop_map(|(to, amount)| Op::Issue { to, amount }),
		(0..4usize, 0..4usize, 1..200u64).prop_map(|(from, to, amount)| Op::Transfer {
			from,
			to,
			amount
		}),
		(1..10_000u64).prop_map(|amount| Op::Distribute { amount }),
		(0..4usize).prop_map(|who| Op::Claim { who }),
	]
}

/// An exact non-negative fraction.
#[derive(Clone, Copy, Debug)]
struct Fraction {
	numerator: u128,
	denominator: u128,
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
	while b != 0 {
		(a, b) = (b, a % b);
	}
	a
}

impl Fraction {
	const ZERO: Fraction = Fraction { numerator: 0, denominator: 1 };

	fn add(self, numerator: u128, denominator: u128) -> Option<Fraction> {
		let common = gcd(self.denominator, denominator);
		let denominator_sum = (self.denominator / common).checked_mul(denominator)?;
		let numerator_sum = self
			.numerator
			.checked_mul(denominator / common)?
			.checked_add(numerator.checked_mul(self.denominator / common)?)?;
		let reduce = gcd(numerator_sum, denominator_sum).max(1);
		Some(Fraction { numerator: numerator_sum / reduce, denominator: denominator_sum / reduce })
	}

	fn floor(self) -> u128 {
		self.numerator / self.denominator
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(48))]

	#[test]
	fn dividends_are_exact_pro_rata_and_never_exceed_distributions(
		ops in proptest::collection::vec(op(), 1..40)
	) {
		new_test_ext().execute_with(|| {
			let class = create_default_class();
			let mut shares: BTreeMap<AccountId, u64> = BTreeMap::new();
			let mut entitled: BTreeMap<AccountId, Fraction> =
				HOLDERS.iter().map(|who| (*who, Fraction::ZERO)).collect();
			let mut paid: BTreeMap<AccountId, u128> = BTreeMap::new();
			let mut distributed: u128 = 0;
			// Σ over distributions of the shares held: a bound on the accumulator's rounding,
			// in scaled units.
			let mut rounding: BTreeMap<AccountId, u128> = BTreeMap::new();
			let mut distributions = 0;

			let claim = |who: AccountId, paid: &mut BTreeMap<AccountId, u128>| {
				let before = Balances::balance(&who);
				match Equity::claim(RuntimeOrigin::signed(who), class) {
					Ok(()) => *paid.entry(who).or_default() += (Balances::balance(&who) - before) as u128,
					Err(e) => assert_eq!(e, DispatchError::from(Error::<Test>::NothingToClaim)),
				}
			};

			for op in ops {
				match op {
					Op::Issue { to, amount } => {
						let to = HOLDERS[to];
						let supply: u64 = shares.values().sum();
						if supply + amount > 1_000 {
							assert_noop!(
								Equity::issue(RuntimeOrigin::signed(ISSUER), class, to, amount),
								Error::<Test>::ExceedsMaxSupply
							);
						} else {
							assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, to, amount));
							*shares.entry(to).or_default() += amount;
						}
					},
					Op::Transfer { from, to, amount } => {
						let (from, to) = (HOLDERS[from], HOLDERS[to]);
						let held = shares.get(&from).copied().unwrap_or_default();
						if held < amount {
							assert_noop!(
								Equity::transfer(RuntimeOrigin::signed(from), class, to, amount),
								Error::<Test>::InsufficientShares
							);
						} else {
							assert_ok!(Equity::transfer(RuntimeOrigin::signed(from), class, to, amount));
							*shares.entry(from).or_default() -= amount;
							*shares.entry(to).or_default() += amount;
						}
					},
					Op::Distribute { amount } => {
						let supply: u64 = shares.values().sum();
						if supply == 0 {
							assert_noop!(
								Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, amount),
								Error::<Test>::NoSharesIssued
							);
							continue;
						}
						if distributions == MAX_DISTRIBUTIONS {
							// Keeps the exact fractions within u128.
							continue;
						}
						assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, amount));
						distributions += 1;
						distributed += amount as u128;
						for (who, held) in &shares {
							if *held > 0 {
								let share = entitled[who]
									.add(amount as u128 * *held as u128, supply as u128)
									.expect("fractions fit in u128");
								entitled.insert(*who, share);
								*rounding.entry(*who).or_default() += *held as u128;
							}
						}
					},
					Op::Claim { who } => claim(HOLDERS[who], &mut paid),
				}
				Equity::do_try_state().expect("invariants hold after every step");
				for (who, held) in &shares {
					assert_eq!(Equity::shares_of(class, who), *held);
				}
			}

			for who in HOLDERS {
				claim(who, &mut paid);
			}
			Equity::do_try_state().expect("invariants hold at the end");

			let total_paid: u128 = paid.values().sum();
			assert!(total_paid <= distributed, "paid {total_paid} > distributed {distributed}");
			for who in HOLDERS {
				let exact = entitled[&who];
				let got = paid.get(&who).copied().unwrap_or_default();
				let fraction_scaled = (exact.numerator % exact.denominator)
					.checked_mul(DIVIDEND_SCALE)
					.expect("fits in u128") /
					exact.denominator;
				let rounding = rounding.get(&who).copied().unwrap_or_default();
				// What earlier distributions left undistributed and later ones carried: less
				// than the supply (at most 1,000 shares) in scaled units each.
				let carried = MAX_DISTRIBUTIONS as u128 * 1_000;
				assert!(
					got == exact.floor() ||
						(got + 1 == exact.floor() && fraction_scaled < rounding) ||
						(got == exact.floor() + 1 && DIVIDEND_SCALE - fraction_scaled <= carried),
					"holder {who}: paid {got}, exactly entitled to {exact:?}"
				);
			}
		});
	}
}
