//! The channel record.

use codec::{Decode, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::traits::Saturating;
use scale_info::TypeInfo;

/// One channel, from opening until it is closed (then it is removed).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Channel<AccountId, Balance, BlockNumber> {
	/// Who pays, and whose signature vouchers carry. The deposit is held on this account.
	pub payer: AccountId,
	/// Who is paid.
	pub payee: AccountId,
	/// Everything committed to the channel: the opening deposit, top-ups and refunded charges.
	pub deposit: Balance,
	/// The claim lane: the highest plain voucher amount the payee has claimed. Job charges
	/// never move it.
	pub settled: Balance,
	/// The job lane: everything job vouchers have moved out of the deposit into job escrows
	/// (a refund puts the amount back into `deposit`, so this only grows).
	pub charged: Balance,
	/// The job lane's counter: the nonce of the last job voucher charged. A job voucher must
	/// carry a higher one, so each pays once.
	pub job_nonce: u64,
	/// The storage deposit held for this record, as it was when the channel opened (so that
	/// a later change of the constant refunds exactly what was taken).
	pub storage_deposit: Balance,
	/// Set once the payer asks to close: from this block the close can be finalized, and no
	/// more claims are accepted.
	pub closes_at: Option<BlockNumber>,
}

impl<AccountId, Balance: Saturating + Copy, BlockNumber> Channel<AccountId, Balance, BlockNumber> {
	/// What is still held for the channel: `deposit - settled - charged`.
	pub fn unsettled(&self) -> Balance {
		self.deposit.saturating_sub(self.settled).saturating_sub(self.charged)
	}

	/// The highest plain voucher amount the payee can claim now: `deposit - charged`.
	pub fn claimable_up_to(&self) -> Balance {
		self.deposit.saturating_sub(self.charged)
	}
}
