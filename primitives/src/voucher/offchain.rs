//! The off-chain side of payment channels (std only).
//!
//! - [`Payer`]: a consumer or agent tracks its open channels and signs the next voucher for
//!   each call it pays for.
//! - [`Payee`]: a data owner's gateway checks every voucher it is handed (signature, channel,
//!   monotonic amount, within the deposit), keeps the best voucher per channel, verifies many
//!   at once ([`Payee::accept_batch`]) and says when a claim on chain is worth its fee or
//!   cannot wait any longer ([`Payee::claims_due`]).
//!
//! Neither side talks to the chain: the caller feeds them what it reads from chain state or
//! events (deposits, settled amounts, close requests) and submits the claims they decide on.
//! Balances are `u128` and accounts `AccountId32`, as in the Token Factory runtime.

use super::{ChannelId, Voucher};
use polkadot_sdk::{
	sp_core::{ed25519, sr25519, Pair as _, H256},
	sp_runtime::{traits::IdentifyAccount, AccountId32, MultiSignature, MultiSigner},
};
use std::{collections::BTreeMap, fmt};

/// The runtime's balance type.
pub type Balance = u128;

/// The block number type, as the payee reads it from the chain.
pub type BlockNumber = u32;

/// The context sp-core signs sr25519 messages under; batch verification must use the same.
const SR25519_SIGNING_CONTEXT: &[u8] = b"substrate";

/// A voucher together with the payer's signature: what travels from payer to payee (e.g. in
/// an HTTP 402 payment header) and what the payee submits in a claim.
#[derive(Clone, Debug, PartialEq, Eq, codec::Encode, codec::Decode)]
pub struct SignedVoucher {
	/// The voucher.
	pub voucher: Voucher<Balance>,
	/// The payer's signature over the voucher's signing payload.
	pub signature: MultiSignature,
}

impl SignedVoucher {
	/// Whether the signature is `payer`'s over this voucher on the chain `genesis_hash`.
	pub fn verify(&self, genesis_hash: &H256, payer: &AccountId32) -> bool {
		self.voucher.verify(genesis_hash, &self.signature, payer)
	}
}

/// A key that signs vouchers: either of the two schemes a Token Factory account may use.
#[derive(Clone)]
#[allow(clippy::large_enum_variant, reason = "a process holds a handful of keys, never arrays")]
pub enum VoucherKey {
	/// An sr25519 (Schnorr over Ristretto) key, the Substrate default.
	Sr25519(sr25519::Pair),
	/// An ed25519 key.
	Ed25519(ed25519::Pair),
}

impl VoucherKey {
	/// The account this key controls, i.e. the channel's payer.
	pub fn account(&self) -> AccountId32 {
		match self {
			Self::Sr25519(pair) => MultiSigner::from(pair.public()).into_account(),
			Self::Ed25519(pair) => MultiSigner::from(pair.public()).into_account(),
		}
	}

	/// Signs `voucher` for the chain `genesis_hash`.
	pub fn sign(&self, voucher: Voucher<Balance>, genesis_hash: &H256) -> SignedVoucher {
		let signature = voucher.using_payload(genesis_hash, |payload| match self {
			Self::Sr25519(pair) => MultiSignature::from(pair.sign(payload)),
			Self::Ed25519(pair) => MultiSignature::from(pair.sign(payload)),
		});
		SignedVoucher { voucher, signature }
	}
}

/// Why the payer could not sign a voucher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayError {
	/// The payer does not track this channel.
	UnknownChannel(ChannelId),
	/// The channel's deposit does not cover everything signed so far plus this price.
	InsufficientDeposit {
		/// The channel.
		channel: ChannelId,
		/// The cumulative amount this payment would need.
		needed: Balance,
		/// The channel's deposit.
		deposit: Balance,
	},
	/// The cumulative amount would overflow.
	Overflow,
}

impl fmt::Display for PayError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::UnknownChannel(channel) => write!(f, "channel {channel} is not tracked"),
			Self::InsufficientDeposit { channel, needed, deposit } => {
				write!(f, "channel {channel} needs a deposit of {needed}, has {deposit}: top it up")
			}
			Self::Overflow => write!(f, "cumulative voucher amount overflows"),
		}
	}
}

impl std::error::Error for PayError {}

/// The payer's view of one of its channels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayerChannel {
	/// Who the channel pays.
	pub payee: AccountId32,
	/// The channel's deposit on chain (it grows with top-ups and job refunds).
	pub deposit: Balance,
	/// The highest cumulative amount signed so far.
	pub signed: Balance,
}

/// The payer side: tracks channels and signs the next voucher.
pub struct Payer {
	key: VoucherKey,
	genesis_hash: H256,
	channels: BTreeMap<ChannelId, PayerChannel>,
}

impl Payer {
	/// A payer signing with `key` on the chain `genesis_hash`.
	pub fn new(key: VoucherKey, genesis_hash: H256) -> Self {
		Self { key, genesis_hash, channels: BTreeMap::new() }
	}

	/// The paying account.
	pub fn account(&self) -> AccountId32 {
		self.key.account()
	}

	/// Starts tracking `channel`. `already_signed` is the highest amount signed before (zero for
	/// a new channel; the last value persisted after a restart, never less, or the payee's best
	/// voucher would exceed what this payer thinks it owes).
	pub fn track(
		&mut self,
		channel: ChannelId,
		payee: AccountId32,
		deposit: Balance,
		already_signed: Balance,
	) {
		self.channels.insert(channel, PayerChannel { payee, deposit, signed: already_signed });
	}

	/// Records the channel's new deposit after a top-up or a refund.
	///
	/// # Errors
	/// [`PayError::UnknownChannel`].
	pub fn set_deposit(&mut self, channel: ChannelId, deposit: Balance) -> Result<(), PayError> {
		let tracked = self.channels.get_mut(&channel).ok_or(PayError::UnknownChannel(channel))?;
		tracked.deposit = deposit;
		Ok(())
	}

	/// Stops tracking `channel` (closed), returning what was known of it.
	pub fn forget(&mut self, channel: ChannelId) -> Option<PayerChannel> {
		self.channels.remove(&channel)
	}

	/// What the payer knows of `channel`.
	pub fn channel(&self, channel: ChannelId) -> Option<&PayerChannel> {
		self.channels.get(&channel)
	}

	/// Every tracked channel.
	pub fn channels(&self) -> impl Iterator<Item = (&ChannelId, &PayerChannel)> {
		self.channels.iter()
	}

	/// What can still be paid on `channel` before it needs a top-up.
	pub fn remaining(&self, channel: ChannelId) -> Option<Balance> {
		self.channels.get(&channel).map(|c| c.deposit.saturating_sub(c.signed))
	}

	/// Pays `price` on `channel`: signs a voucher for everything signed so far plus `price`.
	///
	/// # Errors
	/// [`PayError::UnknownChannel`], [`PayError::InsufficientDeposit`], [`PayError::Overflow`];
	/// nothing is signed then.
	pub fn pay(&mut self, channel: ChannelId, price: Balance) -> Result<SignedVoucher, PayError> {
		let tracked = self.channels.get_mut(&channel).ok_or(PayError::UnknownChannel(channel))?;
		let needed = tracked.signed.checked_add(price).ok_or(PayError::Overflow)?;
		if needed > tracked.deposit {
			return Err(PayError::InsufficientDeposit {
				channel,
				needed,
				deposit: tracked.deposit,
			});
		}
		tracked.signed = needed;
		Ok(self.key.sign(Voucher::new(channel, needed), &self.genesis_hash))
	}
}

/// A channel as the chain reports it, which the payee keeps up to date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelView {
	/// The paying account, whose signature vouchers must carry.
	pub payer: AccountId32,
	/// The deposit: no voucher above it can be claimed.
	pub deposit: Balance,
	/// The cumulative amount already settled on chain (claims and job charges).
	pub settled: Balance,
	/// The block at which the payer's unilateral close takes effect, if one was requested.
	pub closes_at: Option<BlockNumber>,
}

/// Why the payee refused a voucher. The payee's state is unchanged then.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
	/// The payee does not watch this channel (unknown, closed, or not paying this payee).
	UnknownChannel(ChannelId),
	/// The signature is not the channel payer's over this voucher on this chain.
	BadSignature,
	/// The amount does not exceed the best voucher already held (or the settled amount): it
	/// pays nothing new.
	NotAboveBest {
		/// The best amount held.
		best: Balance,
	},
	/// The amount exceeds the channel's deposit and could not be claimed.
	ExceedsDeposit {
		/// The channel's deposit.
		deposit: Balance,
	},
	/// The payer asked to close the channel and too little of the challenge period is left to
	/// be sure to claim this voucher.
	ChannelClosing {
		/// When the close takes effect.
		closes_at: BlockNumber,
	},
}

impl fmt::Display for Rejection {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::UnknownChannel(channel) => write!(f, "unknown channel {channel}"),
			Self::BadSignature => write!(f, "bad voucher signature"),
			Self::NotAboveBest { best } => write!(f, "voucher does not exceed {best}"),
			Self::ExceedsDeposit { deposit } => write!(f, "voucher exceeds the deposit {deposit}"),
			Self::ChannelClosing { closes_at } => write!(f, "channel closes at block {closes_at}"),
		}
	}
}

impl std::error::Error for Rejection {}

/// A voucher the payee accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
	/// The channel.
	pub channel: ChannelId,
	/// The voucher's cumulative amount, now the channel's best.
	pub amount: Balance,
	/// What this voucher pays over the previous best: the price it covers.
	pub increment: Balance,
}

/// When the payee claims on chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimPolicy {
	/// Claim once this much is unclaimed on a channel: below it, the fee is not worth it.
	pub min_unclaimed: Balance,
	/// Blocks before a requested close takes effect by which everything must be claimed; also
	/// how close to that point new vouchers are still accepted.
	pub closing_margin: BlockNumber,
}

/// Why a claim is due. Ordered by urgency, most urgent first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClaimReason {
	/// The channel is closing: claim now or lose the unclaimed amount.
	Closing,
	/// The unclaimed amount reached [`ClaimPolicy::min_unclaimed`].
	Threshold,
}

/// A claim the payee should submit: `claim(voucher, signature)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimDue {
	/// The channel.
	pub channel: ChannelId,
	/// The best voucher to submit.
	pub voucher: SignedVoucher,
	/// What the claim will pay.
	pub unclaimed: Balance,
	/// Why now.
	pub reason: ClaimReason,
}

struct WatchedChannel {
	view: ChannelView,
	best: Option<SignedVoucher>,
}

impl WatchedChannel {
	fn best_amount(&self) -> Balance {
		self.best.as_ref().map_or(0, |b| b.voucher.amount).max(self.view.settled)
	}
}

/// The payee side: verifies vouchers, keeps the best per channel, decides when to claim.
pub struct Payee {
	genesis_hash: H256,
	policy: ClaimPolicy,
	channels: BTreeMap<ChannelId, WatchedChannel>,
}

impl Payee {
	/// A payee on the chain `genesis_hash` claiming by `policy`.
	pub fn new(genesis_hash: H256, policy: ClaimPolicy) -> Self {
		Self { genesis_hash, policy, channels: BTreeMap::new() }
	}

	/// Starts watching `channel`, or updates it with fresh chain state (a top-up, a claim, a
	/// close request). The best voucher is kept while it is still above the settled amount.
	pub fn watch(&mut self, channel: ChannelId, view: ChannelView) {
		let best = self.channels.remove(&channel).and_then(|watched| watched.best);
		let best = best.filter(|b| b.voucher.amount > view.settled);
		self.channels.insert(channel, WatchedChannel { view, best });
	}

	/// Stops watching `channel` (closed), returning its best voucher if any.
	pub fn forget(&mut self, channel: ChannelId) -> Option<SignedVoucher> {
		self.channels.remove(&channel).and_then(|c| c.best)
	}

	/// The best voucher held for `channel`.
	pub fn best(&self, channel: ChannelId) -> Option<&SignedVoucher> {
		self.channels.get(&channel).and_then(|c| c.best.as_ref())
	}

	/// What the best voucher on `channel` pays over the settled amount.
	pub fn unclaimed(&self, channel: ChannelId) -> Balance {
		self.channels.get(&channel).map_or(0, |c| c.best_amount().saturating_sub(c.view.settled))
	}

	/// Checks everything but the signature, which the caller verifies (alone or in a batch).
	fn precheck(
		&self,
		voucher: &Voucher<Balance>,
		now: BlockNumber,
	) -> Result<&WatchedChannel, Rejection> {
		let watched = self
			.channels
			.get(&voucher.channel)
			.ok_or(Rejection::UnknownChannel(voucher.channel))?;
		if let Some(closes_at) = watched.view.closes_at {
			if now.saturating_add(self.policy.closing_margin) >= closes_at {
				return Err(Rejection::ChannelClosing { closes_at });
			}
		}
		if voucher.amount > watched.view.deposit {
			return Err(Rejection::ExceedsDeposit { deposit: watched.view.deposit });
		}
		let best = watched.best_amount();
		if voucher.amount <= best {
			return Err(Rejection::NotAboveBest { best });
		}
		Ok(watched)
	}

	fn keep(&mut self, signed: SignedVoucher) -> Accepted {
		let channel = signed.voucher.channel;
		let amount = signed.voucher.amount;
		let mut increment = amount;
		if let Some(watched) = self.channels.get_mut(&channel) {
			increment = amount.saturating_sub(watched.best_amount());
			watched.best = Some(signed);
		}
		Accepted { channel, amount, increment }
	}

	/// Checks `signed` at block `now` and keeps it as the channel's best if it is.
	///
	/// # Errors
	/// A [`Rejection`]; nothing changes then.
	pub fn accept(
		&mut self,
		signed: SignedVoucher,
		now: BlockNumber,
	) -> Result<Accepted, Rejection> {
		let watched = self.precheck(&signed.voucher, now)?;
		if !signed.verify(&self.genesis_hash, &watched.view.payer) {
			return Err(Rejection::BadSignature);
		}
		Ok(self.keep(signed))
	}

	/// [`Self::accept`] for many vouchers at once, in order, with their signatures verified in
	/// one batch ([`batch_verify`]). Results are in input order.
	pub fn accept_batch(
		&mut self,
		vouchers: Vec<SignedVoucher>,
		now: BlockNumber,
	) -> Vec<Result<Accepted, Rejection>> {
		let payers: Vec<Option<AccountId32>> = vouchers
			.iter()
			.map(|signed| self.channels.get(&signed.voucher.channel).map(|c| c.view.payer.clone()))
			.collect();
		let to_verify: Vec<(&AccountId32, &SignedVoucher)> = vouchers
			.iter()
			.zip(&payers)
			.filter_map(|(signed, payer)| payer.as_ref().map(|payer| (payer, signed)))
			.collect();
		let mut verified = batch_verify(&self.genesis_hash, &to_verify).into_iter();

		let mut results = Vec::with_capacity(vouchers.len());
		for (signed, payer) in vouchers.into_iter().zip(payers) {
			// Unknown channels were not verified; they are rejected by the precheck below.
			let signature_ok = payer.is_some() && verified.next().unwrap_or(false);
			let result = match self.precheck(&signed.voucher, now) {
				Err(rejection) => Err(rejection),
				Ok(_) if !signature_ok => Err(Rejection::BadSignature),
				Ok(_) => Ok(self.keep(signed)),
			};
			results.push(result);
		}
		results
	}

	/// Records that the chain settled `channel` up to `settled` (after our claim, or a job
	/// charge).
	pub fn settled(&mut self, channel: ChannelId, settled: Balance) {
		if let Some(watched) = self.channels.get_mut(&channel) {
			watched.view.settled = watched.view.settled.max(settled);
			if watched.best.as_ref().is_some_and(|b| b.voucher.amount <= watched.view.settled) {
				watched.best = None;
			}
		}
	}

	/// The claims to submit at block `now`: every closing channel within the policy's margin
	/// of its close (first), then every channel whose unclaimed amount reached the threshold.
	pub fn claims_due(&self, now: BlockNumber) -> Vec<ClaimDue> {
		let mut due: Vec<ClaimDue> = self
			.channels
			.iter()
			.filter_map(|(&channel, watched)| {
				let voucher = watched.best.clone()?;
				let unclaimed = voucher.voucher.amount.checked_sub(watched.view.settled)?;
				if unclaimed == 0 {
					return None;
				}
				let closing = watched.view.closes_at.is_some_and(|closes_at| {
					now.saturating_add(self.policy.closing_margin) >= closes_at
				});
				let reason = if closing {
					ClaimReason::Closing
				} else if unclaimed >= self.policy.min_unclaimed {
					ClaimReason::Threshold
				} else {
					return None;
				};
				Some(ClaimDue { channel, voucher, unclaimed, reason })
			})
			.collect();
		due.sort_by_key(|claim| claim.reason);
		due
	}
}

/// Verifies many signed vouchers, each against its payer, on the chain `genesis_hash`.
///
/// sr25519 signatures are checked together with schnorrkel's batch verification (one
/// multiscalar multiplication, markedly faster per signature than one by one); if the batch
/// fails, each is checked alone to find the bad ones. Other schemes are checked one by one.
/// Returns one verdict per input, in order.
pub fn batch_verify(genesis_hash: &H256, vouchers: &[(&AccountId32, &SignedVoucher)]) -> Vec<bool> {
	let mut verdicts = vec![false; vouchers.len()];
	let mut batch_indices = Vec::new();
	let mut transcripts = Vec::new();
	let mut signatures = Vec::new();
	let mut public_keys = Vec::new();
	let context = schnorrkel::signing_context(SR25519_SIGNING_CONTEXT);

	for (index, (payer, signed)) in vouchers.iter().enumerate() {
		let MultiSignature::Sr25519(signature) = &signed.signature else {
			verdicts[index] = signed.verify(genesis_hash, payer);
			continue;
		};
		let signature_bytes: &[u8] = signature.as_ref();
		let public_bytes: &[u8] = payer.as_ref();
		let (Ok(signature), Ok(public_key)) = (
			schnorrkel::Signature::from_bytes(signature_bytes),
			schnorrkel::PublicKey::from_bytes(public_bytes),
		) else {
			continue;
		};
		batch_indices.push(index);
		signatures.push(signature);
		public_keys.push(public_key);
		transcripts
			.push(signed.voucher.using_payload(genesis_hash, |payload| context.bytes(payload)));
	}

	if batch_indices.is_empty() {
		return verdicts;
	}
	if schnorrkel::verify_batch(transcripts, &signatures, &public_keys, false).is_ok() {
		for index in batch_indices {
			verdicts[index] = true;
		}
	} else {
		for index in batch_indices {
			let (payer, signed) = vouchers[index];
			verdicts[index] = signed.verify(genesis_hash, payer);
		}
	}
	verdicts
}

#[cfg(test)]
mod tests {
	use super::*;

	const GENESIS: H256 = H256::repeat_byte(42);

	fn payer(seed: u8) -> Payer {
		Payer::new(VoucherKey::Sr25519(sr25519::Pair::from_seed(&[seed; 32])), GENESIS)
	}

	fn payee_account() -> AccountId32 {
		AccountId32::new([200; 32])
	}

	fn policy() -> ClaimPolicy {
		ClaimPolicy { min_unclaimed: 100, closing_margin: 10 }
	}

	fn view(payer: &Payer, deposit: Balance) -> ChannelView {
		ChannelView { payer: payer.account(), deposit, settled: 0, closes_at: None }
	}

	#[test]
	fn payer_signs_cumulative_amounts() {
		let mut alice = payer(1);
		alice.track(7, payee_account(), 1_000, 0);
		assert_eq!(alice.pay(7, 10).map(|v| v.voucher.amount), Ok(10));
		assert_eq!(alice.pay(7, 15).map(|v| v.voucher.amount), Ok(25));
		assert_eq!(alice.remaining(7), Some(975));
	}

	#[test]
	fn payer_refuses_beyond_deposit_and_unknown_channels() {
		let mut alice = payer(1);
		alice.track(7, payee_account(), 100, 90);
		assert_eq!(
			alice.pay(7, 11),
			Err(PayError::InsufficientDeposit { channel: 7, needed: 101, deposit: 100 })
		);
		assert_eq!(alice.channel(7).map(|c| c.signed), Some(90));
		assert_eq!(alice.pay(8, 1), Err(PayError::UnknownChannel(8)));
		assert_eq!(alice.set_deposit(7, 200), Ok(()));
		assert!(alice.pay(7, 11).is_ok());
	}

	#[test]
	fn ed25519_payer_is_accepted() {
		let mut bob = Payer::new(VoucherKey::Ed25519(ed25519::Pair::from_seed(&[3; 32])), GENESIS);
		bob.track(1, payee_account(), 1_000, 0);
		let mut payee = Payee::new(GENESIS, policy());
		payee.watch(1, view(&bob, 1_000));
		let voucher = bob.pay(1, 5).expect("deposit covers it");
		assert_eq!(payee.accept(voucher, 0), Ok(Accepted { channel: 1, amount: 5, increment: 5 }));
	}

	#[test]
	fn payee_keeps_the_best_voucher_and_reports_increments() {
		let mut alice = payer(1);
		alice.track(1, payee_account(), 1_000, 0);
		let mut payee = Payee::new(GENESIS, policy());
		payee.watch(1, view(&alice, 1_000));
		let first = alice.pay(1, 10).expect("covered");
		let second = alice.pay(1, 20).expect("covered");
		assert_eq!(payee.accept(second.clone(), 0).map(|a| a.increment), Ok(30));
		assert_eq!(payee.accept(first, 0), Err(Rejection::NotAboveBest { best: 30 }));
		assert_eq!(payee.best(1), Some(&second));
		assert_eq!(payee.unclaimed(1), 30);
	}

	#[test]
	fn payee_rejects_bad_vouchers_without_changing_state() {
		let mut alice = payer(1);
		let mut mallory = payer(66);
		alice.track(1, payee_account(), 100, 0);
		mallory.track(1, payee_account(), 1_000, 0);
		let mut payee = Payee::new(GENESIS, policy());
		payee.watch(1, view(&alice, 100));

		let forged = mallory.pay(1, 5).expect("covered");
		assert_eq!(payee.accept(forged, 0), Err(Rejection::BadSignature));
		let too_much = mallory.pay(1, 500).expect("covered");
		assert_eq!(payee.accept(too_much, 0), Err(Rejection::ExceedsDeposit { deposit: 100 }));
		let mut other_chain = Payer::new(
			VoucherKey::Sr25519(sr25519::Pair::from_seed(&[1; 32])),
			H256::repeat_byte(1),
		);
		other_chain.track(1, payee_account(), 100, 0);
		let replayed = other_chain.pay(1, 5).expect("covered");
		assert_eq!(payee.accept(replayed, 0), Err(Rejection::BadSignature));
		let unknown = alice.pay(1, 5).map(|mut v| {
			v.voucher.channel = 2;
			v
		});
		assert_eq!(payee.accept(unknown.expect("covered"), 0), Err(Rejection::UnknownChannel(2)));
		assert_eq!(payee.best(1), None);
	}

	#[test]
	fn batch_verification_matches_one_by_one() {
		let mut alice = payer(1);
		let mut mallory = payer(66);
		let mut payee = Payee::new(GENESIS, policy());
		for channel in 0..4 {
			alice.track(channel, payee_account(), 1_000, 0);
			mallory.track(channel, payee_account(), 1_000, 0);
			payee.watch(channel, view(&alice, 1_000));
		}
		let batch = vec![
			alice.pay(0, 10).expect("covered"),
			alice.pay(1, 10).expect("covered"),
			mallory.pay(2, 10).expect("covered"),
			alice.pay(0, 5).expect("covered"),
			alice.pay(3, 10).expect("covered"),
		];
		let results = payee.accept_batch(batch, 0);
		assert_eq!(results[0], Ok(Accepted { channel: 0, amount: 10, increment: 10 }));
		assert_eq!(results[1], Ok(Accepted { channel: 1, amount: 10, increment: 10 }));
		assert_eq!(results[2], Err(Rejection::BadSignature));
		assert_eq!(results[3], Ok(Accepted { channel: 0, amount: 15, increment: 5 }));
		assert_eq!(results[4], Ok(Accepted { channel: 3, amount: 10, increment: 10 }));
		assert_eq!(payee.best(2), None);
	}

	#[test]
	fn batch_verify_of_all_valid_sr25519_vouchers() {
		let mut alice = payer(1);
		alice.track(0, payee_account(), 1_000_000, 0);
		let account = alice.account();
		let signed: Vec<SignedVoucher> =
			(0..64).map(|_| alice.pay(0, 1).expect("covered")).collect();
		let items: Vec<(&AccountId32, &SignedVoucher)> =
			signed.iter().map(|s| (&account, s)).collect();
		assert!(batch_verify(&GENESIS, &items).into_iter().all(|ok| ok));
	}

	#[test]
	fn claims_due_by_threshold_and_by_closing() {
		let mut alice = payer(1);
		alice.track(1, payee_account(), 1_000, 0);
		alice.track(2, payee_account(), 1_000, 0);
		let mut payee = Payee::new(GENESIS, policy());
		payee.watch(1, view(&alice, 1_000));
		payee.watch(2, view(&alice, 1_000));

		payee.accept(alice.pay(1, 99).expect("covered"), 0).expect("valid");
		payee.accept(alice.pay(2, 5).expect("covered"), 0).expect("valid");
		assert!(payee.claims_due(0).is_empty());

		payee.accept(alice.pay(1, 1).expect("covered"), 0).expect("valid");
		let due = payee.claims_due(0);
		assert_eq!(due.len(), 1);
		assert_eq!(
			(due[0].channel, due[0].unclaimed, due[0].reason),
			(1, 100, ClaimReason::Threshold)
		);

		// The payer asks to close channel 2 at block 50: its 5 must be claimed by block 40.
		payee.watch(2, ChannelView { closes_at: Some(50), ..view(&alice, 1_000) });
		assert_eq!(payee.claims_due(39).len(), 1);
		let due = payee.claims_due(40);
		assert_eq!(due.len(), 2);
		assert_eq!((due[0].channel, due[0].reason), (2, ClaimReason::Closing));
		assert_eq!(
			payee.accept(alice.pay(2, 1).expect("covered"), 40),
			Err(Rejection::ChannelClosing { closes_at: 50 })
		);

		payee.settled(1, 100);
		assert_eq!(payee.best(1), None);
		assert_eq!(payee.unclaimed(1), 0);
	}
}
