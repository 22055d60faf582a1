use super::treasury::TreasuryAccount;
use crate::{Balance, Balances, Runtime, RuntimeEvent, MICRO_UNIT};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{tokens::imbalance::ResolveTo, ConstU8},
		weights::{ConstantMultiplier, IdentityFee},
	},
	pallet_transaction_payment::{self, ConstFeeMultiplier, FungibleAdapter, Multiplier},
	sp_runtime::traits::One,
};

/// Fee per byte of a transaction: one micro-token. Uploading a 60 MB FHE server key then
/// costs about 60 tokens, which prices the space every node gives it without making key
/// registration prohibitive.
pub const TRANSACTION_BYTE_FEE: Balance = MICRO_UNIT;

/// Operational calls (e.g. applying an authorized upgrade) pay a 5x tip-equivalent priority.
const OPERATIONAL_FEE_MULTIPLIER: u8 = 5;

parameter_types! {
	pub const TransactionByteFee: Balance = TRANSACTION_BYTE_FEE;
	/// Fees do not float with congestion yet: predictable prices for agents matter more
	/// than surge pricing on a chain this size.
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

/// Every fee goes to the treasury, which governance spends.
pub type DealWithFees = ResolveTo<TreasuryAccount, Balances>;

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, DealWithFees>;
	type OperationalFeeMultiplier = ConstU8<OPERATIONAL_FEE_MULTIPLIER>;
	/// One planck per unit of weight: a full two-second block of compute costs two tokens.
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}
