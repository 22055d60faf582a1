//! Holder resolutions: a bounded call, voted with shares, dispatched as the class issuer.
//!
//! Shares are never counted twice: a voter's whole balance is counted once per resolution
//! and stays locked (not transferable) until that resolution's last voting block, so the
//! same shares cannot vote again from another account.

use crate::{pallet::*, types::*};
use codec::{DecodeLimit, Encode};
use polkadot_sdk::{
	frame_support::{
		dispatch::{extract_actual_weight, GetDispatchInfo},
		ensure,
		traits::{fungible::MutateHold as _, tokens::Precision, Get},
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
	/// `UnknownClass`, `BelowProposalThreshold`, `CallTooLong`, `TooManyActiveProposals`,
	/// and the currency's error if `proposer` cannot hold the deposit.
	pub fn do_propose(
		proposer: &T::AccountId,
		class: T::ClassId,
		call: <T as Config>::RuntimeCall,
	) -> Result<ProposalId, DispatchError> {
		let mut details = Self::class_of(class)?;
		ensure!(
			Self::shares_of(class, proposer) >= details.governance.proposal_threshold,
			Error::<T>::BelowProposalThreshold
		);
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
	/// `UnknownProposal`, `VotingClosed`, `NoVotingShares`, `AlreadyVoted`.
	pub fn do_vote(voter: &T::AccountId, proposal_id: ProposalId, aye: bool) -> DispatchResult {
		let mut proposal = Proposals::<T>::get(proposal_id).ok_or(Error::<T>::UnknownProposal)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= proposal.end, Error::<T>::VotingClosed);
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

	/// Whether `proposal` met its class's quorum (turnout against the current supply) and
	/// approval (ayes strictly above that part of the votes cast).
	pub fn is_approved(
		details: &ShareClass<T>,
		proposal: &Proposal<T>,
	) -> Result<bool, DispatchError> {
		let parts = |p: Perbill| U256::from(p.deconstruct());
		let whole = parts(Perbill::one());
		let supply = Self::shares_to_u256(Self::supply_of(proposal.class))?;
		let ayes = Self::shares_to_u256(proposal.ayes)?;
		let nays = Self::shares_to_u256(proposal.nays)?;
		let turnout = ayes.checked_add(nays).ok_or(ArithmeticError::Overflow)?;
		let overflow = || DispatchError::from(ArithmeticError::Overflow);

		let quorum_met = turnout.checked_mul(whole).ok_or_else(overflow)?
			>= supply.checked_mul(parts(details.governance.quorum)).ok_or_else(overflow)?;
		let approval_met = ayes.checked_mul(whole).ok_or_else(overflow)?
			> turnout.checked_mul(parts(details.governance.approval)).ok_or_else(overflow)?;
		Ok(quorum_met && approval_met)
	}

	/// Closes `proposal_id` after its voting period, releases the deposit and, if approved,
	/// dispatches its call as the class issuer. Returns the weight the call used.
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
		let issuer = details.issuer.clone();
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
				let outcome = call.dispatch(RawOrigin::Signed(issuer).into());
				let used = extract_actual_weight(&outcome, &info);
				(outcome.map(|_| ()).map_err(|e| e.error), used)
			}
			None => (Err(Error::<T>::UndecodableCall.into()), Weight::zero()),
		};
		Self::deposit_event(Event::ProposalExecuted { proposal: proposal_id, result });
		Ok(used)
	}
}
