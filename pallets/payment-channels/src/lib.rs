//! # Payment channels
//!
//! Unidirectional micropayment channels in the utility token: a payer (a consumer, an AI
//! agent) pays a payee (a data owner) per call, off-chain, with signed vouchers; only opening,
//! topping up, claiming and closing touch the chain.
//!
//! ## Overview
//!
//! The payer opens a channel to a payee with a deposit, which stays on the payer's account
//! under the [`HoldReason::ChannelDeposit`] hold (nothing moves to a pallet account). For each
//! call it then signs a [`Voucher`] for the *cumulative* amount owed so far (see
//! [`tokenfactory_primitives::voucher`] for the signed payload and its domain separator). The
//! payee keeps the best voucher and claims it whenever it likes; each claim pays the
//! difference to the amount already settled, so an older voucher is harmless.
//!
//! Other pallets charge a channel directly through [`ChannelCharger`] (implemented by
//! [`Pallet`]): a compute job carries a [`JobVoucher`] that names the job's terms, and the job's
//! price moves from the channel into the job's escrow hold; a refund puts it back.
//!
//! ## Terminology
//!
//! - **Deposit**: everything ever committed to the channel (opening deposit, top-ups, refunds).
//! - **Lanes**: a channel keeps the payee's claims and the jobs it pays apart. **Settled** is
//!   the claim lane: the highest plain voucher amount claimed. **Charged** is the job lane:
//!   what [`JobVoucher`]s moved into job escrows; each job voucher carries a nonce above the
//!   channel's last, so it pays once. The channel's hold is `deposit - settled - charged`; a job
//!   charge never moves the claim counter, so a payee's off-chain voucher keeps its worth, and
//!   a refunded job's price comes back into the deposit.
//! - **Challenge period**: after the payer asks to close ([`Pallet::request_close`]), the payee
//!   has [`Config::ChallengePeriod`] blocks to claim its latest voucher; then anyone may
//!   finalize the close and the rest returns to the payer.
//! - **Storage deposit**: [`Config::ChannelStorageDeposit`], held from the payer for each open
//!   channel and returned on close.
//!
//! ## Interface
//!
//! ### Permissionless calls
//! - [`Pallet::open`]: open a channel to a payee with a deposit (any signed account).
//! - [`Pallet::finalize_close`]: close a channel whose challenge period has ended (anyone).
//!
//! ### Calls restricted to a channel's parties
//! - [`Pallet::top_up`] (payer): add to the deposit.
//! - [`Pallet::request_close`] (payer): start the challenge period (unilateral close).
//! - [`Pallet::claim`] (payee): claim a voucher.
//! - [`Pallet::close`] (payee): close at once, optionally claiming a final voucher first
//!   (cooperative close: the payee cannot harm the payer by closing).
//!
//! ### Privileged calls
//! None. Limits are [`Config`] constants.
//!
//! ### For other pallets
//! - [`ChannelCharger::charge_job`] / [`ChannelCharger::refund`].
//!
//! ## Timeouts
//!
//! No state waits forever: an open channel can always be closed by either party (the payee at
//! once, the payer after the challenge period), and a closing channel can be finalized by
//! anyone once its period is over.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use tokenfactory_primitives::voucher::{ChannelCharger, ChannelId, JobVoucher, Voucher};
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

use polkadot_sdk::*;

/// The pallet: configuration, storage, events, errors and calls. The logic lives in
/// `functions.rs`.
#[frame_support::pallet]
#[allow(
	clippy::expect_used,
	reason = "FRAME's pallet macro expands `expect`s on runtime-construction invariants \
	          (PalletInfo, error indices); the calls here are thin and the logic, in \
	          `functions.rs`, has none"
)]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{IdentifyAccount, StaticLookup, Verify, Zero};

	/// The in-code storage version.
	pub(crate) const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	/// The payment-channels pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the payment-channels pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The utility token, whose holds secure channel deposits.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reason, of which [`HoldReason`] is a part.
		type RuntimeHoldReason: From<HoldReason> + PartialEq;

		/// The signature a payer puts on a voucher (`MultiSignature` in the runtime).
		type VoucherSignature: Verify<Signer = Self::VoucherSigner> + Parameter;

		/// The public key behind a voucher signature; identifies the payer's account.
		type VoucherSigner: IdentifyAccount<AccountId = Self::AccountId>;

		/// The smallest deposit a channel can be opened with.
		#[pallet::constant]
		type MinDeposit: Get<BalanceOf<Self>>;

		/// Held from the payer for each open channel's storage, returned on close.
		#[pallet::constant]
		type ChannelStorageDeposit: Get<BalanceOf<Self>>;

		/// Blocks the payee has to claim after the payer asks to close.
		#[pallet::constant]
		type ChallengePeriod: Get<BlockNumberFor<Self>>;

		/// How many channels one account may have open as payer.
		#[pallet::constant]
		type MaxChannelsPerAccount: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Signs vouchers in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<
			Self::VoucherSigner,
			Self::AccountId,
			Self::VoucherSignature,
		>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A channel's unsettled deposit: what the payee may still claim.
		ChannelDeposit,
		/// The storage deposit for an open channel.
		StorageDeposit,
	}

	/// The id the next opened channel gets. Ids are never reused.
	#[pallet::storage]
	pub type NextChannelId<T> = StorageValue<_, ChannelId, ValueQuery>;

	/// Open and closing channels.
	#[pallet::storage]
	pub type Channels<T: Config> = StorageMap<_, Twox64Concat, ChannelId, ChannelOf<T>>;

	/// How many channels each account has open as payer (bounded by
	/// [`Config::MaxChannelsPerAccount`]); absent for zero.
	#[pallet::storage]
	pub type ChannelCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A channel was opened.
		ChannelOpened {
			/// The new channel.
			channel: ChannelId,
			/// Who pays.
			payer: T::AccountId,
			/// Who is paid.
			payee: T::AccountId,
			/// The opening deposit.
			deposit: BalanceOf<T>,
		},
		/// The payer added to a channel's deposit.
		ToppedUp {
			/// The channel.
			channel: ChannelId,
			/// What was added.
			amount: BalanceOf<T>,
			/// The deposit now.
			deposit: BalanceOf<T>,
		},
		/// The payee claimed a voucher.
		Claimed {
			/// The channel.
			channel: ChannelId,
			/// Who was paid.
			payee: T::AccountId,
			/// What this claim paid.
			amount: BalanceOf<T>,
			/// The channel's settled amount now.
			settled: BalanceOf<T>,
		},
		/// A job voucher was charged into another pallet's hold (see [`ChannelCharger`]).
		Charged {
			/// The channel.
			channel: ChannelId,
			/// Whose funds were moved into the caller's hold.
			payer: T::AccountId,
			/// What was moved: the job's price.
			amount: BalanceOf<T>,
			/// The job voucher's nonce, now the channel's last.
			nonce: u64,
			/// Everything job vouchers have charged on the channel now.
			charged: BalanceOf<T>,
		},
		/// An earlier charge was handed back.
		Refunded {
			/// The channel that was charged.
			channel: ChannelId,
			/// Who got the funds back.
			payer: T::AccountId,
			/// What was refunded.
			amount: BalanceOf<T>,
			/// `true`: into the channel's deposit; `false`: to the payer's free balance (the
			/// channel had closed).
			to_channel: bool,
		},
		/// The payer asked to close; the payee may claim until `closes_at`.
		CloseRequested {
			/// The channel.
			channel: ChannelId,
			/// The block from which the close can be finalized.
			closes_at: BlockNumberFor<T>,
		},
		/// A channel was closed and its remaining deposit returned to the payer.
		ChannelClosed {
			/// The channel.
			channel: ChannelId,
			/// Who paid.
			payer: T::AccountId,
			/// Who was paid.
			payee: T::AccountId,
			/// Everything settled over the channel's life.
			settled: BalanceOf<T>,
			/// What returned to the payer (the storage deposit aside).
			refunded: BalanceOf<T>,
		},
	}

	/// Errors of this pallet. A failed call changes nothing.
	#[pallet::error]
	pub enum Error<T> {
		/// No open or closing channel has this id.
		ChannelNotFound,
		/// Only the channel's payer may do this.
		NotPayer,
		/// Only the channel's payee may do this (or the channel pays someone else).
		NotPayee,
		/// A channel cannot pay its own payer.
		PayeeIsPayer,
		/// The deposit is below [`Config::MinDeposit`].
		DepositBelowMinimum,
		/// The amount is zero.
		ZeroAmount,
		/// The payer already has [`Config::MaxChannelsPerAccount`] channels open.
		TooManyChannels,
		/// The payer asked to close this channel: no top-up, and no second request.
		ChannelClosing,
		/// The channel is not closing: only a closing channel can be finalized.
		ChannelNotClosing,
		/// The challenge period has not ended yet.
		ChallengePeriodNotOver,
		/// The challenge period has ended: no more claims or charges.
		ChallengePeriodOver,
		/// The voucher is for another channel than the one named.
		VoucherChannelMismatch,
		/// The signature is not the payer's over this voucher on this chain.
		InvalidVoucherSignature,
		/// The voucher's amount does not exceed the channel's settled amount: it pays nothing.
		VoucherNotAboveSettled,
		/// The voucher's amount exceeds what the channel's deposit still covers.
		VoucherExceedsDeposit,
		/// The job voucher names other job terms than the job it was submitted with.
		VoucherForAnotherJob,
		/// The job voucher's nonce is not above the channel's last one: it was spent already.
		JobNonceSpent,
		/// The job costs more than the job voucher's maximum price.
		PriceAboveVoucherMaximum,
		/// A charge or refund named a hold reason this pallet uses for its own accounting.
		ReservedHoldReason,
		/// An amount or id overflowed.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxChannelsPerAccount::get() > 0, "MaxChannelsPerAccount must be positive");
			assert!(
				!T::ChallengePeriod::get().is_zero(),
				"a zero ChallengePeriod would let a payer close before the payee can claim"
			);
			assert!(!T::MinDeposit::get().is_zero(), "MinDeposit must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Opens a channel from the caller to `payee`, holding `deposit` and the storage
		/// deposit on the caller's account.
		#[pallet::call_index(0)]
		pub fn open(
			origin: OriginFor<T>,
			payee: AccountIdLookupOf<T>,
			deposit: BalanceOf<T>,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			let payee = T::Lookup::lookup(payee)?;
			Self::do_open(payer, payee, deposit).map(|_| ())
		}

		/// Adds `amount` to the deposit of the caller's `channel`.
		#[pallet::call_index(1)]
		pub fn top_up(
			origin: OriginFor<T>,
			channel: ChannelId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_top_up(payer, channel, amount)
		}

		/// Claims `voucher` on its channel, paying the caller (the payee) the difference to
		/// the settled amount.
		#[pallet::call_index(2)]
		pub fn claim(
			origin: OriginFor<T>,
			voucher: Voucher<BalanceOf<T>>,
			signature: T::VoucherSignature,
		) -> DispatchResult {
			let payee = ensure_signed(origin)?;
			Self::do_claim(payee, voucher, signature).map(|_| ())
		}

		/// Closes `channel` at once (by its payee), first claiming `final_voucher` if given and
		/// above the settled amount; the rest returns to the payer.
		#[pallet::call_index(3)]
		pub fn close(
			origin: OriginFor<T>,
			channel: ChannelId,
			final_voucher: Option<(Voucher<BalanceOf<T>>, T::VoucherSignature)>,
		) -> DispatchResult {
			let payee = ensure_signed(origin)?;
			Self::do_close(payee, channel, final_voucher)
		}

		/// Asks to close the caller's `channel`: the payee may claim for
		/// [`Config::ChallengePeriod`] more blocks, then [`Pallet::finalize_close`] applies.
		#[pallet::call_index(4)]
		pub fn request_close(origin: OriginFor<T>, channel: ChannelId) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_request_close(payer, channel)
		}

		/// Closes a channel whose challenge period is over, returning the rest of its deposit
		/// to the payer. Anyone may call it.
		#[pallet::call_index(5)]
		pub fn finalize_close(origin: OriginFor<T>, channel: ChannelId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_finalize_close(channel)
		}
	}
}

/// The account lookup source of a runtime.
pub type AccountIdLookupOf<T> =
	<<T as frame_system::Config>::Lookup as sp_runtime::traits::StaticLookup>::Source;

/// The utility token's balance type.
pub type BalanceOf<T> = <<T as Config>::Currency as frame_support::traits::fungible::Inspect<
	<T as frame_system::Config>::AccountId,
>>::Balance;

/// A channel record of a runtime.
pub type ChannelOf<T> = Channel<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;

/// Creates signed vouchers in benchmarks, where no private key can be hard-coded.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<Signer, AccountId, Signature> {
	/// A new signing key and its account.
	fn signer() -> (Signer, AccountId);
	/// `signer`'s signature of `message`; `None` if the keystore cannot sign.
	fn sign(signer: &Signer, message: &[u8]) -> Option<Signature>;
}

/// Signs with an sr25519 key from the benchmark's keystore.
#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<sp_runtime::MultiSigner, sp_runtime::AccountId32, sp_runtime::MultiSignature>
	for ()
{
	fn signer() -> (sp_runtime::MultiSigner, sp_runtime::AccountId32) {
		use sp_runtime::traits::IdentifyAccount;
		let public = sp_io::crypto::sr25519_generate(sp_core::crypto::key_types::ACCOUNT, None);
		let signer = sp_runtime::MultiSigner::Sr25519(public);
		(signer.clone(), signer.into_account())
	}

	fn sign(
		signer: &sp_runtime::MultiSigner,
		message: &[u8],
	) -> Option<sp_runtime::MultiSignature> {
		let sp_runtime::MultiSigner::Sr25519(public) = signer else { return None };
		sp_io::crypto::sr25519_sign(sp_core::crypto::key_types::ACCOUNT, public, message)
			.map(sp_runtime::MultiSignature::Sr25519)
	}
}
