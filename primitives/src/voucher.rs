//! Payment-channel vouchers.
//!
//! A payer who opened a channel pays its payee off-chain by signing **vouchers**: each one
//! states the *cumulative* amount the payer owes on that channel so far. Only the highest
//! voucher matters, so the payee keeps the best one and claims it on chain whenever it likes;
//! every claim pays the difference to what was already settled. An older voucher is therefore
//! harmless: it can never move money a newer one has not already covered.
//!
//! What the payer signs is the SCALE encoding of [`VoucherPayload`]:
//!
//! | field | why |
//! |---|---|
//! | [`VOUCHER_DOMAIN_TAG`] | a signature over a voucher can never be replayed as anything else (a transaction, another protocol's message) |
//! | the chain's genesis hash | no replay on another chain (a testnet, a fork with a new genesis) |
//! | the channel id | no replay on another channel, even between the same two accounts; channel ids are never reused |
//! | the cumulative amount | the claim itself |
//!
//! Signatures are `sp_runtime::MultiSignature` in the runtime (sr25519 and ed25519 accounts
//! both work); the verification here is generic over any [`Verify`] signature.
//!
//! Other pallets charge a channel through [`ChannelCharger`] with a [`JobVoucher`]: a voucher
//! under its own domain tag that names one job's terms, e.g. to move the price of a compute job
//! into that job's escrow hold. The std-only [`offchain`] module is the library
//! that payers and payees (the HTTP 402 gateway, agents) use off-chain.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::{
	traits::{IdentifyAccount, Verify},
	DispatchError, DispatchResult,
};
use scale_info::TypeInfo;

#[cfg(feature = "std")]
pub mod offchain;

/// Identifies a payment channel. Allocated sequentially on chain and never reused, which is
/// what makes the channel id in a voucher enough to stop replays across channels.
pub type ChannelId = u64;

/// The fixed tag that opens every voucher's signing payload (the domain separator).
///
/// The version suffix changes whenever the payload's layout does, so that old signatures can
/// never be read under a new layout.
pub const VOUCHER_DOMAIN_TAG: [u8; 23] = *b"tokenfactory/voucher/v1";

/// A payer's promise: "on `channel` I owe the payee `amount` in total".
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Voucher<Balance> {
	/// The channel this voucher pays on.
	pub channel: ChannelId,
	/// The cumulative amount owed on the channel, not an increment.
	pub amount: Balance,
}

/// What the payer signs: the voucher bound to a domain and a chain.
///
/// Only ever built to be encoded; [`Voucher::using_payload`] builds it without allocating.
#[derive(Encode, Debug)]
pub struct VoucherPayload<'a, Hash, Balance> {
	/// Always [`VOUCHER_DOMAIN_TAG`].
	pub tag: [u8; 23],
	/// The genesis hash of the chain the channel lives on.
	pub genesis_hash: &'a Hash,
	/// The channel this voucher pays on.
	pub channel: ChannelId,
	/// The cumulative amount owed on the channel.
	pub amount: &'a Balance,
}

impl<Balance: Encode> Voucher<Balance> {
	/// A voucher for `amount` in total on `channel`.
	pub fn new(channel: ChannelId, amount: Balance) -> Self {
		Self { channel, amount }
	}

	/// Calls `f` with the bytes the payer signs for this voucher on the chain whose genesis
	/// hash is `genesis_hash`.
	pub fn using_payload<Hash: Encode, R>(
		&self,
		genesis_hash: &Hash,
		f: impl FnOnce(&[u8]) -> R,
	) -> R {
		VoucherPayload {
			tag: VOUCHER_DOMAIN_TAG,
			genesis_hash,
			channel: self.channel,
			amount: &self.amount,
		}
		.using_encoded(f)
	}

	/// The bytes the payer signs for this voucher (see [`Self::using_payload`]).
	pub fn signing_payload<Hash: Encode>(&self, genesis_hash: &Hash) -> alloc::vec::Vec<u8> {
		self.using_payload(genesis_hash, |bytes| bytes.to_vec())
	}

	/// Whether `signature` is `signer`'s signature of this voucher on the chain whose genesis
	/// hash is `genesis_hash`.
	///
	/// This checks the signature only; whether the amount is acceptable (above what was
	/// settled, within the deposit) is the channel's business.
	pub fn verify<Hash: Encode, Signature: Verify>(
		&self,
		genesis_hash: &Hash,
		signature: &Signature,
		signer: &<Signature::Signer as IdentifyAccount>::AccountId,
	) -> bool {
		self.using_payload(genesis_hash, |bytes| signature.verify(bytes, signer))
	}
}

/// The fixed tag that opens every job voucher's signing payload. Distinct from
/// [`VOUCHER_DOMAIN_TAG`], so that a plain voucher can never be read as a job voucher or the
/// other way round.
pub const JOB_VOUCHER_DOMAIN_TAG: [u8; 27] = *b"tokenfactory/job-voucher/v1";

/// A payer's order for one on-chain job, paid from a channel: "on `channel`, charge at most
/// `max_price` for the job whose terms hash to `job`; this is my job voucher number `nonce`".
///
/// Unlike a plain [`Voucher`], it is not a bearer note: it pays only for the job it names (the
/// dataset, the query and the key the answer is sealed to, see
/// `tokenfactory_primitives::compute::JobOrder`), so anyone may submit it (an HTTP gateway on an
/// agent's behalf) and nobody can redirect it to another query or sealing key.
///
/// **Lanes.** A channel keeps two counters that never touch each other: the payee's claims
/// advance `settled` (the cumulative amount of plain vouchers), job vouchers advance the job
/// nonce. A job voucher is spent once (its nonce must be above the channel's last one) and
/// takes only the job's price out of the deposit; an off-chain voucher the payee holds keeps
/// its worth, since job charges never move the claim counter, and what a job took either pays
/// the same payee at settlement or comes back into the deposit on refund.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct JobVoucher<Balance> {
	/// The channel this voucher pays on.
	pub channel: ChannelId,
	/// Above the channel's last job nonce: a job voucher pays one job, once.
	pub nonce: u64,
	/// The most the job may cost; the channel is charged the job's price.
	pub max_price: Balance,
	/// The hash of the job's terms (`JobOrder::hash`).
	pub job: [u8; 32],
}

/// What the payer signs for a job voucher.
#[derive(Encode, Debug)]
pub struct JobVoucherPayload<'a, Hash, Balance> {
	/// Always [`JOB_VOUCHER_DOMAIN_TAG`].
	pub tag: [u8; 27],
	/// The genesis hash of the chain the channel lives on.
	pub genesis_hash: &'a Hash,
	/// The voucher.
	pub voucher: &'a JobVoucher<Balance>,
}

impl<Balance: Encode> JobVoucher<Balance> {
	/// Calls `f` with the bytes the payer signs for this job voucher on the chain whose
	/// genesis hash is `genesis_hash`.
	pub fn using_payload<Hash: Encode, R>(
		&self,
		genesis_hash: &Hash,
		f: impl FnOnce(&[u8]) -> R,
	) -> R {
		JobVoucherPayload { tag: JOB_VOUCHER_DOMAIN_TAG, genesis_hash, voucher: self }
			.using_encoded(f)
	}

	/// Whether `signature` is `signer`'s signature of this job voucher.
	pub fn verify<Hash: Encode, Signature: Verify>(
		&self,
		genesis_hash: &Hash,
		signature: &Signature,
		signer: &<Signature::Signer as IdentifyAccount>::AccountId,
	) -> bool {
		self.using_payload(genesis_hash, |bytes| signature.verify(bytes, signer))
	}
}

/// How another pallet takes payment from a channel, e.g. a compute job's escrow.
///
/// `charge_job` verifies a [`JobVoucher`] for the job the caller is about to create and moves
/// the job's price out of the channel's deposit into a hold of the caller's choosing on the
/// payer's account. The caller then owns those funds: it pays them out with
/// `fungible::MutateHold::transfer_on_hold` when its work is done, or hands them back with
/// [`ChannelCharger::refund`].
pub trait ChannelCharger<AccountId, Balance> {
	/// The signature over a voucher.
	type Signature;
	/// The runtime's hold reason; the caller names its own variant (its escrow).
	type Reason;

	/// Charges `price` for the job whose terms hash to `job` to `voucher`'s channel, which
	/// must pay `payee`. Returns the payer, on whose account `price` is now held under
	/// `reason`.
	///
	/// # Errors
	/// An unknown or closing channel, a channel to another payee, a voucher for another job,
	/// a spent nonce, a price above the voucher's maximum or the channel's free deposit, an
	/// invalid signature, or a reason the channel itself uses.
	fn charge_job(
		payee: &AccountId,
		voucher: &JobVoucher<Balance>,
		signature: &Self::Signature,
		job: &[u8; 32],
		price: Balance,
		reason: &Self::Reason,
	) -> Result<AccountId, DispatchError>;

	/// Returns `amount`, held under `reason` on `payer` by an earlier charge on `channel`, to
	/// the payer: into the channel's deposit while the channel is still open, to the payer's
	/// free balance once it has closed.
	///
	/// # Errors
	/// Less than `amount` held under `reason`, or a reason the channel itself uses.
	fn refund(
		channel: ChannelId,
		payer: &AccountId,
		amount: Balance,
		reason: &Self::Reason,
	) -> DispatchResult;
}

/// No channels: every charge and refund fails. For runtimes and mocks without the pallet.
impl<AccountId, Balance> ChannelCharger<AccountId, Balance> for () {
	type Signature = ();
	type Reason = ();

	fn charge_job(
		_: &AccountId,
		_: &JobVoucher<Balance>,
		_: &(),
		_: &[u8; 32],
		_: Balance,
		_: &(),
	) -> Result<AccountId, DispatchError> {
		Err(DispatchError::Unavailable)
	}

	fn refund(_: ChannelId, _: &AccountId, _: Balance, _: &()) -> DispatchResult {
		Err(DispatchError::Unavailable)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::{
		sp_core::{ed25519, sr25519, Pair, H256},
		sp_runtime::{AccountId32, MultiSignature, MultiSigner},
	};

	const GENESIS: H256 = H256::repeat_byte(7);

	fn sr25519_payer() -> (sr25519::Pair, AccountId32) {
		let pair = sr25519::Pair::from_seed(&[1; 32]);
		let account = MultiSigner::from(pair.public()).into_account();
		(pair, account)
	}

	fn sign(pair: &sr25519::Pair, voucher: &Voucher<u128>, genesis: &H256) -> MultiSignature {
		MultiSignature::from(pair.sign(&voucher.signing_payload(genesis)))
	}

	#[test]
	fn payload_starts_with_the_domain_tag_then_genesis_channel_amount() {
		let voucher = Voucher::new(5, 1_000u128);
		let payload = voucher.signing_payload(&GENESIS);
		assert_eq!(&payload[..23], b"tokenfactory/voucher/v1");
		assert_eq!(&payload[23..55], GENESIS.as_bytes());
		assert_eq!(payload[55..63], 5u64.to_le_bytes());
		assert_eq!(payload[63..], 1_000u128.to_le_bytes());
	}

	#[test]
	fn sr25519_voucher_verifies() {
		let (pair, payer) = sr25519_payer();
		let voucher = Voucher::new(1, 10u128);
		assert!(voucher.verify(&GENESIS, &sign(&pair, &voucher, &GENESIS), &payer));
	}

	#[test]
	fn ed25519_voucher_verifies() {
		let pair = ed25519::Pair::from_seed(&[2; 32]);
		let payer = MultiSigner::from(pair.public()).into_account();
		let voucher = Voucher::new(1, 10u128);
		let signature = MultiSignature::from(pair.sign(&voucher.signing_payload(&GENESIS)));
		assert!(voucher.verify(&GENESIS, &signature, &payer));
	}

	#[test]
	fn reject_replay_on_another_channel() {
		let (pair, payer) = sr25519_payer();
		let signature = sign(&pair, &Voucher::new(1, 10u128), &GENESIS);
		assert!(!Voucher::new(2, 10u128).verify(&GENESIS, &signature, &payer));
	}

	#[test]
	fn reject_replay_on_another_chain() {
		let (pair, payer) = sr25519_payer();
		let voucher = Voucher::new(1, 10u128);
		let signature = sign(&pair, &voucher, &GENESIS);
		assert!(!voucher.verify(&H256::repeat_byte(8), &signature, &payer));
	}

	#[test]
	fn reject_altered_amount() {
		let (pair, payer) = sr25519_payer();
		let signature = sign(&pair, &Voucher::new(1, 10u128), &GENESIS);
		assert!(!Voucher::new(1, 11u128).verify(&GENESIS, &signature, &payer));
	}

	#[test]
	fn reject_wrong_signer() {
		let (pair, _) = sr25519_payer();
		let other = MultiSigner::from(sr25519::Pair::from_seed(&[9; 32]).public()).into_account();
		let voucher = Voucher::new(1, 10u128);
		assert!(!voucher.verify(&GENESIS, &sign(&pair, &voucher, &GENESIS), &other));
	}

	#[test]
	fn a_plain_voucher_signature_is_not_a_job_voucher_signature() {
		let (pair, payer) = sr25519_payer();
		let job = JobVoucher { channel: 1, nonce: 1, max_price: 10u128, job: [3; 32] };
		let plain = Voucher::new(1, 10u128);
		let plain_signature = sign(&pair, &plain, &GENESIS);
		assert!(!job.verify(&GENESIS, &plain_signature, &payer));
		let job_signature =
			MultiSignature::from(job.using_payload(&GENESIS, |payload| pair.sign(payload)));
		assert!(job.verify(&GENESIS, &job_signature, &payer));
		assert!(!plain.verify(&GENESIS, &job_signature, &payer));
		let other_job = JobVoucher { job: [4; 32], ..job };
		assert!(!other_job.verify(&GENESIS, &job_signature, &payer));
	}

	#[test]
	fn reject_raw_payload_without_domain_tag() {
		let (pair, payer) = sr25519_payer();
		let voucher = Voucher::new(1, 10u128);
		// A signature over the bare (channel, amount) must not pass as a voucher.
		let signature = MultiSignature::from(pair.sign(&voucher.encode()));
		assert!(!voucher.verify(&GENESIS, &signature, &payer));
	}
}
