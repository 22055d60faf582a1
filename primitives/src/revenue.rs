//! Routing data revenue to equity dividend pools.
//!
//! The compute pallet settles a job by paying the data owner. When the owner has chosen to
//! share revenue with its equity holders, the owner's part is routed to the owner's share
//! class instead, through [`RevenueSink`]. `pallet-equity` implements the trait; the compute
//! pallet names it in its `Config` and never depends on `pallet-equity` itself.

use polkadot_sdk::sp_runtime::{DispatchError, DispatchResult};

/// Somewhere revenue (in the utility token) can be paid as dividends of a share class.
pub trait RevenueSink<AccountId, ClassId, Balance> {
	/// Moves `amount` of the utility token from `from` into the dividend pool of `class`, to be
	/// shared pro rata among the class's current holders.
	///
	/// # Errors
	///
	/// Fails, changing nothing, if `class` does not exist, has no shares issued, `amount` is
	/// zero, or `from` cannot pay `amount` and stay alive.
	fn deposit_dividend(from: &AccountId, class: ClassId, amount: Balance) -> DispatchResult;

	/// Whether `class` exists, so that a dataset can be checked before revenue is pointed at it.
	fn class_exists(class: &ClassId) -> bool;
}

/// No equity: every deposit is refused (nothing moves) and no class exists. For runtimes and
/// mocks without `pallet-equity`, where revenue must then stay with the data owner.
impl<AccountId, ClassId, Balance> RevenueSink<AccountId, ClassId, Balance> for () {
	fn deposit_dividend(_from: &AccountId, _class: ClassId, _amount: Balance) -> DispatchResult {
		Err(DispatchError::Unavailable)
	}

	fn class_exists(_class: &ClassId) -> bool {
		false
	}
}
