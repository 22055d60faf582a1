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
	/// The highest voucher amount claimed or charged so far; never above `deposit`.
	pub settled: Balance,
	/// The storage deposit held for this record, as it was when the channel opened (so that
	/// a later change of the constant refunds exactly what was taken).
	pub storage_deposit: Balance,
	/// Set once the payer asks to close: from this block the close can be finalized, and no
	/// more claims are accepted.
	pub closes_at: Option<BlockNumber>,
}

impl<AccountId, Balance: Saturating + Copy, BlockNumber> Channel<AccountId, Balance, BlockNumber> {
	/// What is still held for the channel: `deposit - settled`.
	pub fn unsettled(&self) -> Balance {
		self.deposit.saturating_sub(self.settled)
	}
}
