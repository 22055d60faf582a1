//! Types stored by the pallet and taken by its calls.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{
		traits::{fungible, fungibles},
		BoundedVec, CloneNoBound, DebugNoBound, DefaultNoBound, EqNoBound, PartialEqNoBound,
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_core::U256,
	sp_runtime::Perbill,
};
use scale_info::TypeInfo;

/// An account of this runtime.
pub type AccountIdOf<T> = <T as polkadot_sdk::frame_system::Config>::AccountId;
/// An amount of shares of a class.
pub type SharesOf<T> = <<T as Config>::Assets as fungibles::Inspect<AccountIdOf<T>>>::Balance;
/// An amount of the utility token (dividends, deposits).
pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<AccountIdOf<T>>>::Balance;
/// A resolution's identifier.
pub type ProposalId = u32;
/// The governance parameters of a class, as the runtime spells them.
pub type GovernanceParamsOf<T> = GovernanceParams<SharesOf<T>, BlockNumberFor<T>>;

/// The fixed-point scale of the dividend accumulator: `reward_per_share` counts utility-token
/// units per share multiplied by this number, so that a distribution smaller than the supply
/// still moves the accumulator.
pub const DIVIDEND_SCALE: u128 = 1_000_000_000_000_000_000;

/// Who may hold and move a class's shares.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Compliance {
	/// Anyone may hold and receive shares.
	Open,
	/// Both sides of every transfer, and every recipient of newly issued shares, must be on the
	/// class's allowlist.
	Allowlist,
}

/// How a class's holders decide resolutions.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct GovernanceParams<Shares, BlockNumber> {
	/// The shares an account must hold to propose a resolution (at least one).
	pub proposal_threshold: Shares,
	/// The part of the supply, as it was when the resolution opened, that must vote (aye or
	/// nay) for it to be decided; more than zero.
	pub quorum: Perbill,
	/// A resolution passes when its ayes are strictly more than this part of the votes cast;
	/// at least one half, less than the whole.
	pub approval: Perbill,
	/// How many blocks a resolution stays open for votes.
	pub voting_period: BlockNumber,
}

/// A share class: one per factory (or more, if a factory wants several).
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ShareClass<T: Config> {
	/// The account that issues shares and manages compliance. Resolutions never act for it:
	/// they act for the class's keyless company account.
	pub issuer: AccountIdOf<T>,
	/// A human-readable name.
	pub name: BoundedVec<u8, T::StringLimit>,
	/// A short ticker.
	pub symbol: BoundedVec<u8, T::StringLimit>,
	/// The cap on issuance.
	pub max_supply: SharesOf<T>,
	/// Who may hold and move shares.
	pub compliance: Compliance,
	/// Transfers between holders are refused before this block (issuance is not).
	pub transfers_locked_until: Option<BlockNumberFor<T>>,
	/// How holders decide resolutions.
	pub governance: GovernanceParamsOf<T>,
	/// The storage deposit held from the issuer (moved to a new issuer with the role).
	pub deposit: BalanceOf<T>,
	/// Resolutions created and not yet closed.
	pub active_proposals: u32,
}

/// The dividend accumulator of a class.
///
/// Conservation, checked by `try_state`: `total_deposited * SCALE` equals
/// `total_claimed * SCALE + undistributed_scaled + Σ holders' owed (scaled)`.
#[derive(
	Encode,
	Decode,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	DefaultNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct DividendPool<T: Config> {
	/// Σ over distributions of `floor((amount * SCALE + carried remainder) / supply then)`.
	pub reward_per_share: U256,
	/// Scaled units nobody is owed yet: the remainder of the last distribution's division,
	/// carried into the next distribution (always less than the supply it was divided by).
	pub undistributed_scaled: U256,
	/// Utility tokens ever paid into the pool.
	pub total_deposited: BalanceOf<T>,
	/// Utility tokens ever paid out of the pool to holders.
	pub total_claimed: BalanceOf<T>,
}

/// A holder's position against the class accumulator.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, Default, TypeInfo, MaxEncodedLen)]
pub struct HolderDividend {
	/// `reward_per_share` when the holder's balance last changed or they last claimed.
	pub checkpoint: U256,
	/// Scaled units earned before `checkpoint` and not yet claimed.
	pub accrued_scaled: U256,
}

/// A holder resolution: a call to run as the class's company account if holders approve it.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Proposal<T: Config> {
	/// The class whose holders decide.
	pub class: T::ClassId,
	/// Who proposed it (and whose deposit is held).
	pub proposer: AccountIdOf<T>,
	/// The SCALE-encoded `RuntimeCall`.
	pub call: BoundedVec<u8, T::MaxCallLen>,
	/// The storage deposit held from the proposer.
	pub deposit: BalanceOf<T>,
	/// The last block in which votes are accepted.
	pub end: BlockNumberFor<T>,
	/// Shares voting for.
	pub ayes: SharesOf<T>,
	/// Shares voting against.
	pub nays: SharesOf<T>,
	/// The class's issued supply when the resolution opened: the quorum is measured against
	/// it, so shares minted during the vote cannot dilute the turnout.
	pub electorate: SharesOf<T>,
}

/// A vote an account has cast and whose shares stay locked until `until`.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct CastVote<T: Config> {
	/// The resolution voted on.
	pub proposal: ProposalId,
	/// For or against.
	pub aye: bool,
	/// The shares counted (the voter's whole balance when voting).
	pub shares: SharesOf<T>,
	/// The resolution's last voting block; the shares are locked up to and including it.
	pub until: BlockNumberFor<T>,
}
