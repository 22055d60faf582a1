//! Benchmarks for every call. `deposit_dividend` and `claim` take the number of holders as
//! a component (10 to 10,000): their generated weights must come out flat in it.

use super::*;
use crate::Pallet as Equity;
use alloc::{boxed::Box, vec, vec::Vec};
use codec::Encode;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		dispatch::GetDispatchInfo,
		traits::{fungible, Get},
		BoundedVec,
	},
	frame_system::{self, RawOrigin},
	sp_runtime::{
		traits::{Saturating, Zero},
		Perbill,
	},
};

const SHARES_PER_HOLDER: u32 = 1_000;

/// An account with enough of the utility token for every deposit a benchmark takes.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let deposits = T::ClassDeposit::get()
		.saturating_add(T::ProposalDepositBase::get())
		.saturating_add(
			T::ProposalDepositPerByte::get().saturating_mul(T::MaxCallLen::get().into()),
		)
		.saturating_mul(T::MaxActiveProposals::get().saturating_add(2).into());
	let minimum = <T::Currency as fungible::Inspect<T::AccountId>>::minimum_balance();
	let amount = deposits.saturating_add(minimum.saturating_mul(10_000_000u32.into()));
	<T::Currency as fungible::Mutate<T::AccountId>>::set_balance(&who, amount);
	who
}

fn governance<T: Config>() -> GovernanceParamsOf<T> {
	GovernanceParams {
		proposal_threshold: 1u32.into(),
		quorum: Perbill::from_percent(50),
		approval: Perbill::from_percent(50),
		voting_period: T::MinVotingPeriod::get(),
	}
}

fn longest_name<T: Config>() -> Result<BoundedVec<u8, T::StringLimit>, BenchmarkError> {
	BoundedVec::try_from(vec![b'x'; T::StringLimit::get() as usize])
		.map_err(|_| BenchmarkError::Stop("StringLimit does not fit in memory"))
}

fn new_class<T: Config>(
	issuer: &T::AccountId,
	compliance: Compliance,
) -> Result<T::ClassId, BenchmarkError> {
	Ok(Equity::<T>::do_create_class(
		issuer.clone(),
		longest_name::<T>()?,
		longest_name::<T>()?,
		1_000_000_000u32.into(),
		compliance,
		None,
		governance::<T>(),
	)?)
}

/// Issues shares to `count` funded holders (on the allowlist) and returns them.
fn holders<T: Config>(
	issuer: &T::AccountId,
	class: T::ClassId,
	count: u32,
) -> Result<Vec<T::AccountId>, BenchmarkError> {
	let mut holders = Vec::new();
	for index in 0..count {
		let who = funded::<T>("holder", index);
		Equity::<T>::do_add_to_allowlist(issuer, class, who.clone())?;
		Equity::<T>::do_issue(issuer, class, &who, SHARES_PER_HOLDER.into())?;
		holders.push(who);
	}
	Ok(holders)
}

/// The longest remark call that fits in `MaxCallLen` (with an event, which every
/// resolution filter in this project allows).
fn longest_call<T: Config>() -> <T as Config>::RuntimeCall {
	let max = T::MaxCallLen::get() as usize;
	let mut length = max;
	loop {
		let call: <T as Config>::RuntimeCall =
			frame_system::Call::<T>::remark_with_event { remark: vec![0; length] }.into();
		if call.encoded_size() <= max || length == 0 {
			return call;
		}
		length -= 1;
	}
}

fn end_voting<T: Config>(proposal: ProposalId) -> Result<(), BenchmarkError> {
	let end = Proposals::<T>::get(proposal).ok_or(BenchmarkError::Stop("no proposal"))?.end;
	frame_system::Pallet::<T>::set_block_number(end.saturating_add(1u32.into()));
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_class() -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let (name, symbol) = (longest_name::<T>()?, longest_name::<T>()?);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(issuer.clone()),
			name,
			symbol,
			1_000_000_000u32.into(),
			Compliance::Allowlist,
			None,
			governance::<T>(),
		);

		assert_eq!(NextClassId::<T>::get(), 1u32.into());
		Ok(())
	}

	#[benchmark]
	fn issue() -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Allowlist)?;
		let to = holders::<T>(&issuer, class, 1)?.remove(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer), class, to.clone(), SHARES_PER_HOLDER.into());

		assert_eq!(Equity::<T>::shares_of(class, &to), (2 * SHARES_PER_HOLDER).into());
		Ok(())
	}

	#[benchmark]
	fn transfer() -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Allowlist)?;
		let mut accounts = holders::<T>(&issuer, class, 2)?;
		let (from, to) = (accounts.remove(0), accounts.remove(0));
		// The sender has a live vote on every open resolution, then more shares, free to move.
		for _ in 0..T::MaxActiveProposals::get() {
			let proposal = Equity::<T>::do_propose(&from, class, longest_call::<T>())?;
			Equity::<T>::do_vote(&from, proposal, true)?;
		}
		Equity::<T>::do_issue(&issuer, class, &from, SHARES_PER_HOLDER.into())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(from.clone()), class, to.clone(), SHARES_PER_HOLDER.into());

		assert_eq!(Equity::<T>::shares_of(class, &to), (2 * SHARES_PER_HOLDER).into());
		Ok(())
	}

	#[benchmark]
	fn add_to_allowlist() -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Allowlist)?;
		let who: T::AccountId = account("who", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer), class, who.clone());

		assert!(Allowlist::<T>::contains_key(class, who));
		Ok(())
	}

	#[benchmark]
	fn remove_from_allowlist() -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Allowlist)?;
		let who: T::AccountId = account("who", 0, 0);
		Equity::<T>::do_add_to_allowlist(&issuer, class, who.clone())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer), class, who.clone());

		assert!(!Allowlist::<T>::contains_key(class, who));
		Ok(())
	}

	#[benchmark]
	fn freeze() -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Open)?;
		let who: T::AccountId = account("who", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer), class, who.clone());

		assert!(Frozen::<T>::contains_key(class, who));
		Ok(())
	}

	#[benchmark]
	fn thaw() -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Open)?;
		let who: T::AccountId = account("who", 0, 0);
		Equity::<T>::do_freeze(&issuer, class, who.clone())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer), class, who.clone());

		assert!(!Frozen::<T>::contains_key(class, who));
		Ok(())
	}

	#[benchmark]
	fn transfer_issuer() -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Open)?;
		let new_issuer = funded::<T>("issuer", 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer), class, new_issuer.clone());

		assert!(PendingIssuer::<T>::get(class) == Some(new_issuer));
		Ok(())
	}

	#[benchmark]
	fn withdraw_issuer_offer() -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Open)?;
		Equity::<T>::do_transfer_issuer(&issuer, class, funded::<T>("issuer", 1))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer), class);

		assert!(PendingIssuer::<T>::get(class).is_none());
		Ok(())
	}

	#[benchmark]
	fn accept_issuer() -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Open)?;
		let new_issuer = funded::<T>("issuer", 1);
		Equity::<T>::do_transfer_issuer(&issuer, class, new_issuer.clone())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(new_issuer.clone()), class);

		let details = Classes::<T>::get(class).ok_or(BenchmarkError::Stop("no class"))?;
		assert!(details.issuer == new_issuer);
		Ok(())
	}

	#[benchmark]
	fn deposit_dividend(h: Linear<10, 10_000>) -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Open)?;
		holders::<T>(&issuer, class, h)?;
		let payer = funded::<T>("payer", 0);
		let amount = <T::Currency as fungible::Inspect<T::AccountId>>::minimum_balance()
			.saturating_mul(1_000u32.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), class, amount);

		assert!(Pools::<T>::get(class).total_deposited == amount);
		Ok(())
	}

	#[benchmark]
	fn claim(h: Linear<10, 10_000>) -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Open)?;
		let claimant = holders::<T>(&issuer, class, h)?.remove(0);
		let payer = funded::<T>("payer", 0);
		let amount = <T::Currency as fungible::Inspect<T::AccountId>>::minimum_balance()
			.saturating_mul(1_000_000u32.into());
		Equity::<T>::do_deposit_dividend(&payer, class, amount)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(claimant), class);

		assert!(!Pools::<T>::get(class).total_claimed.is_zero());
		Ok(())
	}

	#[benchmark]
	fn propose() -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Open)?;
		let proposer = holders::<T>(&issuer, class, 1)?.remove(0);
		let call = longest_call::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(proposer), class, Box::new(call));

		assert!(Proposals::<T>::contains_key(0));
		Ok(())
	}

	#[benchmark]
	fn vote() -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Open)?;
		let voter = holders::<T>(&issuer, class, 1)?.remove(0);
		// The voter already has a live vote on every other open resolution.
		let mut last = 0;
		for index in 0..T::MaxActiveProposals::get() {
			last = Equity::<T>::do_propose(&voter, class, longest_call::<T>())?;
			if index + 1 < T::MaxActiveProposals::get() {
				Equity::<T>::do_vote(&voter, last, true)?;
			}
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(voter.clone()), last, true);

		assert_eq!(Votes::<T>::get(class, &voter).len() as u32, T::MaxActiveProposals::get());
		Ok(())
	}

	#[benchmark]
	fn close() -> Result<(), BenchmarkError> {
		let issuer = funded::<T>("issuer", 0);
		let class = new_class::<T>(&issuer, Compliance::Open)?;
		let voter = holders::<T>(&issuer, class, 1)?.remove(0);
		let call = longest_call::<T>();
		let call_weight = call.get_dispatch_info().call_weight;
		let proposal = Equity::<T>::do_propose(&voter, class, call)?;
		Equity::<T>::do_vote(&voter, proposal, true)?;
		end_voting::<T>(proposal)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(voter), proposal, call_weight);

		assert!(!Proposals::<T>::contains_key(proposal));
		Ok(())
	}

	impl_benchmark_test_suite!(Equity, crate::mock::new_test_ext(), crate::mock::Test);
}
