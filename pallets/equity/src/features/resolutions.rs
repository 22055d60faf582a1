//! Holder resolutions: a bounded call, voted with shares, dispatched from the class's
//! keyless company account through the runtime's resolution filter.
//!
//! Shares are never counted twice: a voter's whole balance is counted once per resolution
//! and stays locked (not transferable) until that resolution's last voting block, so the
//! same shares cannot vote again from another account. The quorum is measured against the
//! supply when the resolution opened, so issuance during the vote cannot dilute it.

use crate::{pallet::*, types::*};
use codec::{DecodeLimit, Encode};
use polkadot_sdk::{
	frame_support::{
		dispatch::{extract_actual_weight, GetDispatchInfo},
		ensure,
		traits::{
			fungible::MutateHold as _, tokens::Precision, Contains, Get, IsType, OriginTrait,
		},
		weights::Weight,
		BoundedVec,
	},
	frame_system::{self, RawOrigin},
	sp_core::U256,
	sp_runtime::{
		traits::{CheckedAdd, Dispatchable, Saturating, Zero},
		ArithmeticError, DispatchError, DispatchResult, Perbill,
	},
};

/// How deeply a stored call may nest when it is decoded again.
const MAX_CALL_DECODE_DEPTH: u32 = 64;

impl<T: Config> Pallet<T> {
	/// Opens a resolution of `class` carrying `call` and returns its id.
	///
	/// # Errors
	///
	/// `UnknownClass`, `HolderFrozen`, `HolderNotAllowed`, `BelowProposalThreshold`,
	/// `CallNotAllowed`, `CallTooLong`, `TooManyActiveProposals`, and the currency's error if
	/// `proposer` cannot hold the deposit.
	pub fn do_propose(
		proposer: &T::AccountId,
		class: T::ClassId,
		call: <T as Config>::RuntimeCall,
	) -> Result<ProposalId, DispatchError> {
		let mut details = Self::class_of(class)?;
		Self::ensure_in_good_standing(class, &details, proposer)?;
		ensure!(
			Self::shares_of(class, proposer) >= details.governance.proposal_threshold,
			Error::<T>::BelowProposalThreshold
		);
		ensure!(T::ResolutionFilter::contains(&call), Error::<T>::CallNotAllowed);
		let call: BoundedVec<u8, T::MaxCallLen> =
			call.encode().try_into().map_err(|_| Error::<T>::CallTooLong)?;
		ensure!(
			details.active_proposals < T::MaxActiveProposals::get(),
			Error::<T>::TooManyActiveProposals
		);

		let call_len = BalanceOf::<T>::from(call.len() as u32);
		let deposit = T::ProposalDepositBase::get()
			.saturating_add(T::ProposalDepositPerByte::get().saturating_mul(call_len));
		T::Currency::hold(&HoldReason::ProposalDeposit.into(), proposer, deposit)?;

		let proposal = NextProposalId::<T>::get();
		NextProposalId::<T>::put(proposal.checked_add(1).ok_or(ArithmeticError::Overflow)?);
		let end = frame_system::Pallet::<T>::block_number()
			.saturating_add(details.governance.voting_period);
		Proposals::<T>::insert(
			proposal,
			Proposal {
				class,
				proposer: proposer.clone(),
				call,
				deposit,
				end,
				ayes: Zero::zero(),
				nays: Zero::zero(),
				electorate: Self::supply_of(class),
			},
		);
		details.active_proposals = details.active_proposals.saturating_add(1);
		Classes::<T>::insert(class, details);

		Self::deposit_event(Event::ProposalCreated {
			proposal,
			class,
			proposer: proposer.clone(),
			end,
			deposit,
		});
		Ok(proposal)
	}

	/// Counts all of `voter`'s shares for or against `proposal` and locks them until its end.
	///
	/// # Errors
	///
	/// `UnknownProposal`, `VotingClosed`, `UnknownClass`, `HolderFrozen`, `HolderNotAllowed`,
	/// `NoVotingShares`, `AlreadyVoted`.
	pub fn do_vote(voter: &T::AccountId, proposal_id: ProposalId, aye: bool) -> DispatchResult {
		let mut proposal = Proposals::<T>::get(proposal_id).ok_or(Error::<T>::UnknownProposal)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= proposal.end, Error::<T>::VotingClosed);
		Self::ensure_in_good_standing(proposal.class, &Self::class_of(proposal.class)?, voter)?;
		let shares = Self::shares_of(proposal.class, voter);
		ensure!(!shares.is_zero(), Error::<T>::NoVotingShares);

		let mut votes = Votes::<T>::get(proposal.class, voter);
		votes.retain(|vote| vote.until >= now);
		ensure!(!votes.iter().any(|vote| vote.proposal == proposal_id), Error::<T>::AlreadyVoted);
		// Live votes are on open resolutions of one class, at most `MaxActiveProposals`.
		votes
			.try_push(CastVote { proposal: proposal_id, aye, shares, until: proposal.end })
			.map_err(|_| Error::<T>::TooManyActiveProposals)?;
		let tally = if aye { &mut proposal.ayes } else { &mut proposal.nays };
		*tally = tally.checked_add(&shares).ok_or(ArithmeticError::Overflow)?;

		Votes::<T>::insert(proposal.class, voter, votes);
		Proposals::<T>::insert(proposal_id, proposal);
		Self::deposit_event(Event::Voted {
			proposal: proposal_id,
			voter: voter.clone(),
			aye,
			shares,
		});
		Ok(())
	}

	/// Whether `proposal` met its class's quorum (turnout against its electorate, the supply
	/// when it opened) and approval (ayes strictly above that part of the votes cast).
	pub fn is_approved(
		details: &ShareClass<T>,
		proposal: &Proposal<T>,
	) -> Result<bool, DispatchError> {
		let parts = |p: Perbill| U256::from(p.deconstruct());
		let whole = parts(Perbill::one());
		let electorate = Self::shares_to_u256(proposal.electorate)?;
		let ayes = Self::shares_to_u256(proposal.ayes)?;
		let nays = Self::shares_to_u256(proposal.nays)?;
		let turnout = ayes.checked_add(nays).ok_or(ArithmeticError::Overflow)?;
		let overflow = || DispatchError::from(ArithmeticError::Overflow);

		let quorum_met = turnout.checked_mul(whole).ok_or_else(overflow)?
			>= electorate.checked_mul(parts(details.governance.quorum)).ok_or_else(overflow)?;
		let approval_met = ayes.checked_mul(whole).ok_or_else(overflow)?
			> turnout.checked_mul(parts(details.governance.approval)).ok_or_else(overflow)?;
		Ok(quorum_met && approval_met)
	}

	/// Closes `proposal_id` after its voting period, releases the deposit and, if approved,
	/// dispatches its call from the class's company account, with the resolution filter on
	/// the origin (so calls it dispatches in turn are filtered too). Returns the weight the
	/// call used.
	///
	/// # Errors
	///
	/// `UnknownProposal`, `VotingOngoing`, `UnknownClass`, `CallWeightBoundTooLow` (when the
	/// resolution is approved and its call weighs more than `call_weight_bound`). A call that
	/// fails, or no longer decodes (`UndecodableCall`), still closes the resolution; the
	/// outcome is in `ProposalExecuted`.
	pub fn do_close(
		proposal_id: ProposalId,
		call_weight_bound: Weight,
	) -> Result<Weight, DispatchError> {
		let proposal = Proposals::<T>::get(proposal_id).ok_or(Error::<T>::UnknownProposal)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now > proposal.end, Error::<T>::VotingOngoing);
		let mut details = Self::class_of(proposal.class)?;
		let approved = Self::is_approved(&details, &proposal)?;

		let call = if approved {
			match <T as Config>::RuntimeCall::decode_all_with_depth_limit(
				MAX_CALL_DECODE_DEPTH,
				&mut &proposal.call[..],
			) {
				Ok(call) => {
					ensure!(
						call.get_dispatch_info().call_weight.all_lte(call_weight_bound),
						Error::<T>::CallWeightBoundTooLow
					);
					Some(call)
				}
				Err(_) => None,
			}
		} else {
			None
		};

		Proposals::<T>::remove(proposal_id);
		details.active_proposals = details.active_proposals.saturating_sub(1);
		Classes::<T>::insert(proposal.class, details);
		T::Currency::release(
			&HoldReason::ProposalDeposit.into(),
			&proposal.proposer,
			proposal.deposit,
			Precision::BestEffort,
		)?;
		Self::deposit_event(Event::ProposalClosed {
			proposal: proposal_id,
			class: proposal.class,
			approved,
			ayes: proposal.ayes,
			nays: proposal.nays,
		});

		if !approved {
			return Ok(Weight::zero());
		}
		let (result, used) = match call {
			Some(call) => {
				let info = call.get_dispatch_info();
				let outcome = call.dispatch(Self::company_origin(proposal.class));
				let used = extract_actual_weight(&outcome, &info);
				(outcome.map(|_| ()).map_err(|e| e.error), used)
			}
			None => (Err(Error::<T>::UndecodableCall.into()), Weight::zero()),
		};
		Self::deposit_event(Event::ProposalExecuted { proposal: proposal_id, result });
		Ok(used)
	}
}

impl<T: Config> Pallet<T> {
	/// The origin a resolution of `class` runs with: signed by the company account, and
	/// allowed only the calls [`Config::ResolutionFilter`] lets a company make, on top of the
	/// runtime's base filter.
	pub(crate) fn company_origin(class: T::ClassId) -> T::RuntimeOrigin {
		let mut origin: T::RuntimeOrigin = RawOrigin::Signed(Self::company_account(class)).into();
		origin.add_filter(|call: &<T as frame_system::Config>::RuntimeCall| {
			T::ResolutionFilter::contains(<T as Config>::RuntimeCall::from_ref(call))
		});
		origin
	}
}
