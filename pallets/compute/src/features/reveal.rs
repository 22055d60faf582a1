//! The reveal: the decryptor's proof, disputes, settlement, refunds, the owner's bond and
//! complaints.

use crate::*;
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError, DispatchResult,
};
use tokenfactory_primitives::{
	compute::{
		DecryptionVerifier, DecryptorKey, DecryptorSignature, DisputeStatement, FieldBytes, JobId,
		RefundReason, RevealStatement,
	},
	datasets::{DataCatalog, RevenueDestination},
	groth16::DecryptionStatement,
	revenue::RevenueSink,
	voucher::ChannelCharger,
};

impl<T: Config> Pallet<T> {
	/// A job awaiting its reveal, with its agreed digest, its reveal deadline and the key its
	/// decryptor signs with: what both a reveal and a dispute are checked against.
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], [`Error::NotAwaitingReveal`], [`Error::NoDecryptor`].
	#[allow(clippy::type_complexity)]
	pub(crate) fn awaiting_reveal(
		job: JobId,
	) -> Result<(Job<T>, FieldBytes, BlockNumberFor<T>, DecryptorKey), DispatchError> {
		let record = Jobs::<T>::get(job).ok_or(Error::<T>::UnknownJob)?;
		let JobStatus::AwaitingReveal { digest, reveal_deadline } = record.status else {
			return Err(Error::<T>::NotAwaitingReveal.into());
		};
		let decryptor = T::Catalog::decryptor(record.key_set).ok_or(Error::<T>::NoDecryptor)?;
		Ok((record, digest, reveal_deadline, decryptor))
	}

	/// The checks of a reveal (in the pool and in the block), cheapest first: the job awaits a
	/// reveal, the reveal is signed by the decryptor key registered for the job's key set (over
	/// the job, the commitment, the sealed bytes and the consumer's key), a verifying key exists
	/// for its circuit, and only then the Groth16 proof. Returns the reveal deadline.
	///
	/// Nobody but the owner's decryptor can make a node verify a proof, and only once per job
	/// in the pool (the reveal's `provides` tag is the job).
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], [`Error::NotAwaitingReveal`], [`Error::NoDecryptor`],
	/// [`Error::BadRevealSignature`], [`Error::NoVerifyingKey`], [`Error::InvalidProof`].
	pub fn check_reveal(
		job: JobId,
		result_commitment: &FieldBytes,
		sealed: &[u8],
		proof: &[u8],
		signature: &DecryptorSignature,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let (record, digest, reveal_deadline, decryptor) = Self::awaiting_reveal(job)?;
		let statement = RevealStatement::new(
			Self::genesis_hash(),
			job,
			*result_commitment,
			sealed,
			proof,
			record.consumer_key,
		);
		ensure!(
			statement.using_encoded(|payload| {
				sp_io::crypto::sr25519_verify(signature, payload, &decryptor)
			}),
			Error::<T>::BadRevealSignature
		);
		let key =
			VerifyingKeys::<T>::get(record.circuit_blocks).ok_or(Error::<T>::NoVerifyingKey)?;
		let statement = DecryptionStatement {
			key_commitment: record.key_commitment,
			ciphertext_digest: digest,
			result_commitment: *result_commitment,
			job_id: job,
		};
		T::Verifier::verify(&key, proof, &statement).map_err(|_| Error::<T>::InvalidProof)?;
		Ok(reveal_deadline)
	}

	/// The checks of a dispute: the job awaits a reveal and the decryptor key of its key set
	/// signed the dispute of its agreed digest. Returns the reveal deadline.
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], [`Error::NotAwaitingReveal`], [`Error::NoDecryptor`],
	/// [`Error::BadDisputeSignature`].
	pub fn check_dispute(
		job: JobId,
		signature: &DecryptorSignature,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let (_, digest, reveal_deadline, decryptor) = Self::awaiting_reveal(job)?;
		ensure!(
			DisputeStatement::new(Self::genesis_hash(), job, digest).using_encoded(|payload| {
				sp_io::crypto::sr25519_verify(signature, payload, &decryptor)
			}),
			Error::<T>::BadDisputeSignature
		);
		Ok(reveal_deadline)
	}

	/// Refunds a disputed job: the consumer gets its escrow back, the workers nothing.
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], [`Error::NotAwaitingReveal`].
	pub fn do_dispute(job: JobId) -> DispatchResult {
		let mut record = Jobs::<T>::get(job).ok_or(Error::<T>::UnknownJob)?;
		let JobStatus::AwaitingReveal { digest, .. } = record.status else {
			return Err(Error::<T>::NotAwaitingReveal.into());
		};
		log::warn!(
			target: LOG_TARGET,
			"job {job}: the owner's decryptor disputes the agreed result; refunded, nothing revealed"
		);
		Self::deposit_event(Event::JobDisputed { job, digest });
		Self::refund(job, &mut record, RefundReason::Disputed);
		Jobs::<T>::insert(job, record);
		Ok(())
	}

	/// Records a verified reveal and settles the escrow.
	///
	/// # Errors
	///
	/// [`Error::UnknownJob`], [`Error::NotAwaitingReveal`]; a payout the currency refuses.
	pub fn do_reveal(
		job: JobId,
		result_commitment: FieldBytes,
		sealed: SealedOf<T>,
	) -> DispatchResult {
		let mut record = Jobs::<T>::get(job).ok_or(Error::<T>::UnknownJob)?;
		let JobStatus::AwaitingReveal { digest, .. } = record.status else {
			return Err(Error::<T>::NotAwaitingReveal.into());
		};
		Self::settle(job, &record, digest)?;
		// The proof shows the agreed result is the decryption the owner vouches for: the
		// workers who opened another digest were wrong. (Refuted or never revealed, the
		// majority proved nothing, and nobody is slashed for disagreeing with it.)
		for assignment in record.workers.iter() {
			if assignment.result.is_some_and(|result| result.digest != digest) {
				Self::slash(&assignment.worker, job, SlashReason::WrongResult);
			}
		}
		AwaitingReveal::<T>::remove(job);
		// The dataset (and its key set's bond) stays until the complaint window closes at the
		// job's prune: `job_finished` is called there.
		Self::deposit_event(Event::ResultRevealed {
			job,
			consumer: record.consumer.clone(),
			result_commitment,
			sealed: sealed.to_vec(),
		});
		record.status = JobStatus::Revealed { digest, result_commitment, sealed };
		Jobs::<T>::insert(job, record);
		Ok(())
	}

	/// Pays out a revealed job's escrow: the workers' share equally to those who agreed, the
	/// treasury's share, and the rest (rounding dust included) to the owner or its equity
	/// class. A worker's or the treasury's payment the currency refuses (an amount below the
	/// existential deposit for an empty account) goes to the owner instead, so nothing stays
	/// held.
	pub(crate) fn settle(job: JobId, record: &Job<T>, agreed: FieldBytes) -> DispatchResult {
		let price = record.price;
		let reason: T::RuntimeHoldReason = HoldReason::JobEscrow.into();
		let pay = |to: &T::AccountId, amount: BalanceOf<T>| -> bool {
			amount.is_zero()
				|| T::Currency::transfer_on_hold(
					&reason,
					&record.consumer,
					to,
					amount,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Polite,
				)
				.is_ok()
		};
		let agreeing: Vec<&T::AccountId> = record
			.workers
			.iter()
			.filter(|assignment| assignment.result.is_some_and(|result| result.digest == agreed))
			.map(|assignment| &assignment.worker)
			.collect();
		let workers_total = T::WorkerShare::get().mul_floor(price);
		let per_worker = match BalanceOf::<T>::try_from(agreeing.len()) {
			Ok(count) if !count.is_zero() => workers_total / count,
			_ => Zero::zero(),
		};
		let mut to_workers: BalanceOf<T> = Zero::zero();
		for worker in agreeing {
			if pay(worker, per_worker) {
				to_workers = to_workers.saturating_add(per_worker);
			}
		}
		let treasury_share = T::TreasuryShare::get().mul_floor(price);
		let to_treasury =
			if pay(&T::Treasury::get(), treasury_share) { treasury_share } else { Zero::zero() };
		let owner_part = price.saturating_sub(to_workers).saturating_sub(to_treasury);

		let mut to_owner = Zero::zero();
		let mut to_dividends = Zero::zero();
		let paid_as_dividends = match &record.revenue {
			RevenueDestination::EquityClass(class) if !owner_part.is_zero() => {
				// Dividends are paid from a free balance: release the escrow to the consumer and
				// move it on in the same transaction, or put it back on hold.
				frame_support::storage::with_storage_layer(|| -> DispatchResult {
					T::Currency::release(&reason, &record.consumer, owner_part, Precision::Exact)?;
					T::Revenue::deposit_dividend(&record.consumer, *class, owner_part)
				})
				.is_ok()
			}
			_ => false,
		};
		if paid_as_dividends {
			to_dividends = owner_part;
		} else if !owner_part.is_zero() {
			T::Currency::transfer_on_hold(
				&reason,
				&record.consumer,
				&record.owner,
				owner_part,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)?;
			to_owner = owner_part;
		}
		Self::deposit_event(Event::JobSettled {
			job,
			to_owner,
			to_dividends,
			to_workers,
			to_treasury,
		});
		Ok(())
	}

	/// Returns a job's escrow to its consumer and marks it refunded.
	pub(crate) fn refund(job: JobId, record: &mut Job<T>, reason: RefundReason) {
		if !record.status.holds_escrow() {
			return;
		}
		let escrow: T::RuntimeHoldReason = HoldReason::JobEscrow.into();
		let result = match record.payment {
			PaymentSource::FreeBalance => {
				T::Currency::release(&escrow, &record.consumer, record.price, Precision::BestEffort)
					.map(|_| ())
			}
			PaymentSource::Channel(_) if record.price.is_zero() => Ok(()),
			PaymentSource::Channel(channel) => {
				T::Channels::refund(channel, &record.consumer, record.price, &escrow)
			}
		};
		if let Err(error) = result {
			// Cannot happen while the escrow invariant holds (try_state checks it); never
			// strand the job on it.
			log::error!(target: LOG_TARGET, "refunding job {job} failed: {error:?}");
		}
		AwaitingReveal::<T>::remove(job);
		T::Catalog::job_finished(record.dataset);
		Self::release_reservation(job, record.key_set);
		record.status = JobStatus::Refunded { reason };
		Self::deposit_event(Event::JobRefunded {
			job,
			consumer: record.consumer.clone(),
			amount: record.price,
			reason,
		});
	}
}
