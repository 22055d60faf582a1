//! # Equity pallet
//!
//! The equity side of Token Factory's three-token model: share classes of a factory,
//! compliance on every share movement, dividends paid from the factory's data revenue, and
//! holder resolutions.
//!
//! ## Overview
//!
//! A factory (any account) creates a **share class** with a capped supply and becomes its
//! issuer. The ledger is not written here: balances live in a `fungibles` implementation
//! (in the runtime, a `pallet-assets` instance whose calls are disabled), which only this
//! pallet mutates, so that every balance change passes this pallet's rules:
//! compliance (an optional allowlist on both sides), frozen accounts, a transfer lock-up,
//! the vote locks of resolutions, and the dividend bookkeeping. Balances are readable by
//! anyone through this pallet's `fungibles::Inspect` implementation.
//!
//! **Dividends** in the utility token are paid into a per-class pool (a sub-account of this
//! pallet, endowed with the existential deposit at creation so it can never be reaped) by
//! anyone, in practice by the compute pallet through
//! [`tokenfactory_primitives::revenue::RevenueSink`]. The pool keeps an accumulator of
//! rewards per share in fixed point ([`DIVIDEND_SCALE`]); each holder has a checkpoint of the
//! accumulator and the amount accrued before it, settled whenever their balance changes.
//! Distributing and claiming therefore cost the same whatever the number of holders; shares
//! acquired after a distribution earn nothing from it and shares sold keep what they earned.
//! Rounding always goes down; what it leaves is tracked as undistributed and is carried into
//! the next distribution, so a payout can never exceed what was paid in and no remainder is
//! kept from holders for longer than one distribution.
//!
//! **Resolutions**: a holder with at least the class's proposal threshold proposes a call;
//! holders vote with their whole balance, which stays locked (not transferable) until the
//! vote ends; after the voting period anyone closes it, and if the quorum (against the supply
//! when the vote opened) and approval of the class are met the call is dispatched from the
//! class's **company account**. That account is keyless (derived from the class id, nobody
//! can sign for it) and acts only through resolutions: it can own the factory's dataset NFTs,
//! receive their revenue, hold funds and manage its own class. A resolution never acts for a
//! person, and [`Config::ResolutionFilter`] bounds what the company may call, checked when a
//! resolution is proposed and again, on the origin itself, when it is dispatched (so a call
//! nested inside an allowed one is filtered too).
//!
//! **Issuer hand-over** takes two steps: the issuer (or a resolution) offers the role with
//! [`Pallet::transfer_issuer`], and only the candidate's [`Pallet::accept_issuer`] moves the
//! role and the class deposit. Nobody is made to answer for a class, or to hold its deposit,
//! without signing for it.
//!
//! **Frozen and delisted holders** (frozen in the class, or off the list of an allowlist
//! class) keep their shares and their dividends accrue, but they may not propose, vote or
//! claim until they are thawed or listed again.
//!
//! ## Terminology
//!
//! - **Class**: one kind of share, with its issuer, cap, compliance and governance rules.
//! - **Pool**: the class's sub-account holding dividends not yet claimed.
//! - **Undistributed**: scaled dividend units no holder is owed (rounding remainders).
//! - **Company account**: the keyless account of a class in whose name resolutions run.
//! - **Resolution** (proposal): a call holders may run as their class's company account.
//! - **Electorate**: the issued supply when a resolution opened; its quorum's base.
//!
//! ## Interface
//!
//! Permissionless: [`Pallet::create_class`], [`Pallet::transfer`],
//! [`Pallet::deposit_dividend`], [`Pallet::claim`], [`Pallet::propose`] (holders above the
//! threshold), [`Pallet::vote`] (holders), [`Pallet::close`].
//!
//! Permissioned (the class issuer, or the class's company account through a resolution):
//! [`Pallet::issue`], [`Pallet::add_to_allowlist`], [`Pallet::remove_from_allowlist`],
//! [`Pallet::freeze`], [`Pallet::thaw`], [`Pallet::transfer_issuer`],
//! [`Pallet::withdraw_issuer_offer`]; the candidate of an offer: [`Pallet::accept_issuer`].
//!
//! Privileged: none.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod features;
mod functions;
mod impl_fungibles;
pub mod migrations;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// The holder count that `deposit_dividend` and `claim` weights are charged for. Their cost
/// does not depend on it (the benchmarks show a flat slope); it names the largest benchmarked
/// value so that a non-zero slope in generated weights would still be charged in full.
pub const BENCHMARKED_HOLDERS: u32 = 10_000;

#[polkadot_sdk::frame_support::pallet]
#[allow(
	clippy::expect_used,
	reason = "FRAME's pallet macro expands `expect`s on runtime-construction invariants \
	          (PalletInfo, error indices); the hand-written calls here are thin and have none"
)]
pub mod pallet {
	use super::*;
	use alloc::boxed::Box;
	use polkadot_sdk::{
		frame_support::{
			dispatch::{GetDispatchInfo, PostDispatchInfo},
			pallet_prelude::*,
			traits::{fungible, fungibles, Contains},
			PalletId,
		},
		frame_system::pallet_prelude::*,
		sp_runtime::traits::{AtLeast32BitUnsigned, Dispatchable},
	};

	/// The in-code storage version: 1 added each resolution's electorate.
	pub(crate) const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the equity pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Identifies a share class; also the asset id of the class in [`Config::Assets`].
		type ClassId: Member + Parameter + MaxEncodedLen + Copy + Default + AtLeast32BitUnsigned;

		/// The share ledger. Only this pallet may mutate it: in the runtime, a
		/// `pallet-assets` instance with its calls disabled.
		type Assets: fungibles::Inspect<Self::AccountId, AssetId = Self::ClassId>
			+ fungibles::Mutate<Self::AccountId>
			+ fungibles::Create<Self::AccountId>;

		/// The utility token: dividends and storage deposits.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The calls a resolution may carry.
		type RuntimeCall: Parameter
			+ Dispatchable<RuntimeOrigin = Self::RuntimeOrigin, PostInfo = PostDispatchInfo>
			+ GetDispatchInfo
			+ From<polkadot_sdk::frame_system::Call<Self>>
			+ IsType<<Self as polkadot_sdk::frame_system::Config>::RuntimeCall>;

		/// What a class's company account may call through a resolution: the business it owns
		/// (its datasets, revenue, funds and own class), never anything that reaches Root or
		/// another account's assets. Checked on proposal and on the dispatch origin.
		type ResolutionFilter: Contains<<Self as Config>::RuntimeCall>;

		/// Derives the owner account of the class assets and each class's dividend pool.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Held from the issuer for as long as the class exists.
		#[pallet::constant]
		type ClassDeposit: Get<BalanceOf<Self>>;

		/// Held from a proposer until the resolution is closed.
		#[pallet::constant]
		type ProposalDepositBase: Get<BalanceOf<Self>>;

		/// Held from a proposer per byte of the encoded call.
		#[pallet::constant]
		type ProposalDepositPerByte: Get<BalanceOf<Self>>;

		/// The longest class name and symbol, in bytes.
		#[pallet::constant]
		type StringLimit: Get<u32>;

		/// The longest encoded call a resolution may carry, in bytes.
		#[pallet::constant]
		type MaxCallLen: Get<u32>;

		/// The most resolutions open at once per class (and so the most live votes per
		/// holder).
		#[pallet::constant]
		type MaxActiveProposals: Get<u32>;

		/// The shortest voting period a class may choose.
		#[pallet::constant]
		type MinVotingPeriod: Get<BlockNumberFor<Self>>;

		/// The longest voting period a class may choose.
		#[pallet::constant]
		type MaxVotingPeriod: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds utility tokens.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The storage deposit of a share class.
		ClassDeposit,
		/// The storage deposit of a resolution.
		ProposalDeposit,
	}

	/// The id the next class gets.
	#[pallet::storage]
	pub type NextClassId<T: Config> = StorageValue<_, T::ClassId, ValueQuery>;

	/// Share classes by id.
	#[pallet::storage]
	pub type Classes<T: Config> = StorageMap<_, Blake2_128Concat, T::ClassId, ShareClass<T>>;

	/// Accounts allowed to hold and move shares of a class in `Allowlist` mode.
	#[pallet::storage]
	pub type Allowlist<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::ClassId,
		Blake2_128Concat,
		T::AccountId,
		(),
		OptionQuery,
	>;

	/// Accounts that may neither send nor receive shares of a class.
	#[pallet::storage]
	pub type Frozen<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::ClassId,
		Blake2_128Concat,
		T::AccountId,
		(),
		OptionQuery,
	>;

	/// The dividend accumulator of each class.
	#[pallet::storage]
	pub type Pools<T: Config> =
		StorageMap<_, Blake2_128Concat, T::ClassId, DividendPool<T>, ValueQuery>;

	/// Each holder's position against the accumulator. Every account with a non-zero balance
	/// has one; an account with none has no balance and nothing to claim.
	#[pallet::storage]
	pub type Holders<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::ClassId,
		Blake2_128Concat,
		T::AccountId,
		HolderDividend,
		OptionQuery,
	>;

	/// The account each class's issuer has offered the role to, until it accepts.
	#[pallet::storage]
	pub type PendingIssuer<T: Config> =
		StorageMap<_, Blake2_128Concat, T::ClassId, T::AccountId, OptionQuery>;

	/// The id the next resolution gets.
	#[pallet::storage]
	pub type NextProposalId<T: Config> = StorageValue<_, ProposalId, ValueQuery>;

	/// Resolutions not yet closed.
	#[pallet::storage]
	pub type Proposals<T: Config> = StorageMap<_, Twox64Concat, ProposalId, Proposal<T>>;

	/// The votes of an account in a class whose voting period may still be running (older
	/// ones are pruned whenever the entry is touched).
	#[pallet::storage]
	pub type Votes<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::ClassId,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<CastVote<T>, T::MaxActiveProposals>,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A share class was created.
		ClassCreated {
			/// The new class.
			class: T::ClassId,
			/// Its issuer.
			issuer: T::AccountId,
			/// Its cap on issuance.
			max_supply: SharesOf<T>,
			/// Who may hold its shares.
			compliance: Compliance,
			/// The storage deposit held from the issuer.
			deposit: BalanceOf<T>,
		},
		/// New shares were issued.
		SharesIssued {
			/// The class.
			class: T::ClassId,
			/// The receiving holder.
			to: T::AccountId,
			/// How many shares.
			amount: SharesOf<T>,
		},
		/// Shares moved between holders.
		SharesTransferred {
			/// The class.
			class: T::ClassId,
			/// The sender.
			from: T::AccountId,
			/// The receiver.
			to: T::AccountId,
			/// How many shares.
			amount: SharesOf<T>,
		},
		/// An account was put on a class's allowlist.
		AllowlistAdded {
			/// The class.
			class: T::ClassId,
			/// The account.
			who: T::AccountId,
		},
		/// An account was taken off a class's allowlist.
		AllowlistRemoved {
			/// The class.
			class: T::ClassId,
			/// The account.
			who: T::AccountId,
		},
		/// An account's shares of a class were frozen.
		AccountFrozen {
			/// The class.
			class: T::ClassId,
			/// The account.
			who: T::AccountId,
		},
		/// An account's shares of a class were thawed.
		AccountThawed {
			/// The class.
			class: T::ClassId,
			/// The account.
			who: T::AccountId,
		},
		/// The issuer offered its role; nothing moves until the candidate accepts.
		IssuerOffered {
			/// The class.
			class: T::ClassId,
			/// The issuer making the offer.
			issuer: T::AccountId,
			/// The account that may accept it.
			candidate: T::AccountId,
		},
		/// The offer of the issuer role was withdrawn before the candidate accepted it.
		IssuerOfferWithdrawn {
			/// The class.
			class: T::ClassId,
			/// The account that can no longer accept.
			candidate: T::AccountId,
		},
		/// The candidate accepted: the issuer role (and the class deposit) moved to it.
		IssuerChanged {
			/// The class.
			class: T::ClassId,
			/// The issuer until now.
			old_issuer: T::AccountId,
			/// The issuer from now on.
			new_issuer: T::AccountId,
		},
		/// Utility tokens were paid into a class's dividend pool.
		DividendDeposited {
			/// The class.
			class: T::ClassId,
			/// The payer.
			from: T::AccountId,
			/// How much was paid.
			amount: BalanceOf<T>,
		},
		/// A holder claimed dividends.
		DividendClaimed {
			/// The class.
			class: T::ClassId,
			/// The holder.
			who: T::AccountId,
			/// How much was paid out.
			amount: BalanceOf<T>,
		},
		/// A resolution was proposed.
		ProposalCreated {
			/// The new resolution.
			proposal: ProposalId,
			/// The class whose holders decide.
			class: T::ClassId,
			/// The proposer.
			proposer: T::AccountId,
			/// The last block in which votes are accepted.
			end: BlockNumberFor<T>,
			/// The storage deposit held from the proposer.
			deposit: BalanceOf<T>,
		},
		/// A holder voted; their shares stay locked until the vote ends.
		Voted {
			/// The resolution.
			proposal: ProposalId,
			/// The voter.
			voter: T::AccountId,
			/// For or against.
			aye: bool,
			/// The shares counted.
			shares: SharesOf<T>,
		},
		/// A resolution's vote was counted and the resolution removed.
		ProposalClosed {
			/// The resolution.
			proposal: ProposalId,
			/// The class.
			class: T::ClassId,
			/// Whether the quorum and approval were met.
			approved: bool,
			/// Shares for.
			ayes: SharesOf<T>,
			/// Shares against.
			nays: SharesOf<T>,
		},
		/// An approved resolution's call was dispatched from the class's company account.
		ProposalExecuted {
			/// The resolution.
			proposal: ProposalId,
			/// What the call returned.
			result: DispatchResult,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No class has this id.
		UnknownClass,
		/// Only the class issuer (or the class's company account) may do this.
		NotIssuer,
		/// A class must allow at least one share.
		ZeroMaxSupply,
		/// The amount must not be zero.
		ZeroAmount,
		/// Issuing this much would pass the class's maximum supply.
		ExceedsMaxSupply,
		/// The class's transfer lock-up has not ended yet.
		TransfersLockedUp,
		/// The sender's shares of this class are frozen.
		SenderFrozen,
		/// The recipient's shares of this class are frozen.
		RecipientFrozen,
		/// The class is allowlist-only and the sender is not on the list.
		SenderNotAllowed,
		/// The class is allowlist-only and the recipient is not on the list.
		RecipientNotAllowed,
		/// The sender holds fewer shares than the amount.
		InsufficientShares,
		/// Part of the amount is locked by a vote still running.
		SharesLockedByVote,
		/// The account is already on the class's allowlist.
		AlreadyOnAllowlist,
		/// The account is not on the class's allowlist.
		NotOnAllowlist,
		/// The account is already frozen in this class.
		AlreadyFrozen,
		/// The account is not frozen in this class.
		NotFrozen,
		/// The account is already the issuer.
		AlreadyIssuer,
		/// Dividends need at least one share issued to be shared.
		NoSharesIssued,
		/// The account has nothing (not even one unit) to claim.
		NothingToClaim,
		/// The proposal threshold must be at least one share.
		ZeroProposalThreshold,
		/// The proposal threshold is above the maximum supply, so nobody could propose.
		ProposalThresholdAboveMaxSupply,
		/// The approval must be at least one half and less than the whole.
		ApprovalOutOfRange,
		/// The voting period is shorter than `MinVotingPeriod`.
		VotingPeriodTooShort,
		/// The voting period is longer than `MaxVotingPeriod`.
		VotingPeriodTooLong,
		/// The proposer holds fewer shares than the class's proposal threshold.
		BelowProposalThreshold,
		/// The encoded call is longer than `MaxCallLen`.
		CallTooLong,
		/// The class already has `MaxActiveProposals` resolutions open.
		TooManyActiveProposals,
		/// No open resolution has this id.
		UnknownProposal,
		/// The resolution's voting period has ended.
		VotingClosed,
		/// The account has already voted on this resolution.
		AlreadyVoted,
		/// The account holds no shares of the class to vote with.
		NoVotingShares,
		/// The resolution's voting period has not ended yet.
		VotingOngoing,
		/// The given weight bound is below the weight of the resolution's call.
		CallWeightBoundTooLow,
		/// The stored call no longer decodes (the runtime changed since it was proposed).
		UndecodableCall,
		/// The quorum must be more than zero, or a resolution could pass with no turnout.
		ZeroQuorum,
		/// A company account may not make this call (see `ResolutionFilter`).
		CallNotAllowed,
		/// The caller has no open offer of this class's issuer role.
		NotIssuerCandidate,
		/// The class's issuer role is not on offer.
		NoIssuerOffer,
		/// The holder is frozen in this class: it may not propose, vote or claim.
		HolderFrozen,
		/// The class is allowlist-only and the holder is off the list: it may not propose,
		/// vote or claim.
		HolderNotAllowed,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MinVotingPeriod::get() <= T::MaxVotingPeriod::get(),
				"MinVotingPeriod must not exceed MaxVotingPeriod"
			);
			assert!(T::MaxActiveProposals::get() > 0, "MaxActiveProposals must allow a resolution");
			assert!(
				T::MinVotingPeriod::get() > Zero::zero(),
				"MinVotingPeriod must give holders at least one block to vote"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Creates a share class with the caller as issuer, holding [`Config::ClassDeposit`]
		/// and moving the existential deposit into the new dividend pool.
		#[pallet::call_index(0)]
		pub fn create_class(
			origin: OriginFor<T>,
			name: BoundedVec<u8, T::StringLimit>,
			symbol: BoundedVec<u8, T::StringLimit>,
			#[pallet::compact] max_supply: SharesOf<T>,
			compliance: Compliance,
			transfers_locked_until: Option<BlockNumberFor<T>>,
			governance: GovernanceParamsOf<T>,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_create_class(
				issuer,
				name,
				symbol,
				max_supply,
				compliance,
				transfers_locked_until,
				governance,
			)
			.map(|_| ())
		}

		/// Issues new shares of `class` to `to`. Issuer only.
		#[pallet::call_index(1)]
		pub fn issue(
			origin: OriginFor<T>,
			class: T::ClassId,
			to: T::AccountId,
			#[pallet::compact] amount: SharesOf<T>,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_issue(&issuer, class, &to, amount)
		}

		/// Moves the caller's shares of `class` to `to`.
		#[pallet::call_index(2)]
		pub fn transfer(
			origin: OriginFor<T>,
			class: T::ClassId,
			to: T::AccountId,
			#[pallet::compact] amount: SharesOf<T>,
		) -> DispatchResult {
			let from = ensure_signed(origin)?;
			Self::do_transfer(class, &from, &to, amount)
		}

		/// Puts `who` on the allowlist of `class`. Issuer only.
		#[pallet::call_index(3)]
		pub fn add_to_allowlist(
			origin: OriginFor<T>,
			class: T::ClassId,
			who: T::AccountId,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_add_to_allowlist(&issuer, class, who)
		}

		/// Takes `who` off the allowlist of `class`; their shares stay but cannot move in
		/// `Allowlist` mode. Issuer only.
		#[pallet::call_index(4)]
		pub fn remove_from_allowlist(
			origin: OriginFor<T>,
			class: T::ClassId,
			who: T::AccountId,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_remove_from_allowlist(&issuer, class, who)
		}

		/// Stops `who` from sending or receiving shares of `class`. Issuer only.
		#[pallet::call_index(5)]
		pub fn freeze(
			origin: OriginFor<T>,
			class: T::ClassId,
			who: T::AccountId,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_freeze(&issuer, class, who)
		}

		/// Lets a frozen `who` send and receive shares of `class` again. Issuer only.
		#[pallet::call_index(6)]
		pub fn thaw(origin: OriginFor<T>, class: T::ClassId, who: T::AccountId) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_thaw(&issuer, class, who)
		}

		/// Offers the issuer role of `class` to `new_issuer`; the role and the class deposit
		/// move only when `new_issuer` calls [`Pallet::accept_issuer`]. A new offer replaces
		/// the previous one. Issuer only.
		#[pallet::call_index(7)]
		pub fn transfer_issuer(
			origin: OriginFor<T>,
			class: T::ClassId,
			new_issuer: T::AccountId,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_transfer_issuer(&issuer, class, new_issuer)
		}

		/// Pays `amount` of the utility token into the dividend pool of `class`, shared pro
		/// rata among its current holders.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::deposit_dividend(BENCHMARKED_HOLDERS))]
		pub fn deposit_dividend(
			origin: OriginFor<T>,
			class: T::ClassId,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let from = ensure_signed(origin)?;
			Self::do_deposit_dividend(&from, class, amount)
		}

		/// Pays the caller every whole unit of dividends of `class` they have earned.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::claim(BENCHMARKED_HOLDERS))]
		pub fn claim(origin: OriginFor<T>, class: T::ClassId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(&who, class).map(|_| ())
		}

		/// Proposes a resolution of `class`: `call`, to be dispatched from the class's company
		/// account if holders approve it. The caller must hold the class's proposal threshold
		/// and the call must pass [`Config::ResolutionFilter`].
		#[pallet::call_index(10)]
		pub fn propose(
			origin: OriginFor<T>,
			class: T::ClassId,
			call: Box<<T as Config>::RuntimeCall>,
		) -> DispatchResult {
			let proposer = ensure_signed(origin)?;
			Self::do_propose(&proposer, class, *call).map(|_| ())
		}

		/// Votes on a resolution with all the caller's shares of its class, which stay locked
		/// until the vote ends.
		#[pallet::call_index(11)]
		pub fn vote(origin: OriginFor<T>, proposal: ProposalId, aye: bool) -> DispatchResult {
			let voter = ensure_signed(origin)?;
			Self::do_vote(&voter, proposal, aye)
		}

		/// Closes a resolution whose voting period has ended: returns the deposit and, if the
		/// quorum and approval are met, dispatches its call from the class's company account.
		/// `call_weight_bound` must cover the call's weight; it is charged up front and the
		/// unused part refunded.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::close().saturating_add(*call_weight_bound))]
		pub fn close(
			origin: OriginFor<T>,
			proposal: ProposalId,
			call_weight_bound: Weight,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let call_weight = Self::do_close(proposal, call_weight_bound)?;
			Ok(Some(T::WeightInfo::close().saturating_add(call_weight)).into())
		}

		/// Accepts the offer of the issuer role of `class`: the caller becomes its issuer and
		/// holds the class deposit, which the old issuer gets back.
		#[pallet::call_index(13)]
		pub fn accept_issuer(origin: OriginFor<T>, class: T::ClassId) -> DispatchResult {
			let candidate = ensure_signed(origin)?;
			Self::do_accept_issuer(candidate, class)
		}

		/// Withdraws the open offer of the issuer role of `class`. Issuer only (or the class's
		/// company account).
		#[pallet::call_index(14)]
		pub fn withdraw_issuer_offer(origin: OriginFor<T>, class: T::ClassId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_issuer_offer(&who, class)
		}
	}
}
