//! The origins OpenGov's non-Root tracks dispatch with. Each one can do one kind of thing and
//! nothing else: a referendum on the canceller track can cancel a referendum, one on the
//! killer track can kill one, one on the treasurer track can spend from the treasury up to
//! [`TREASURER_MAX_SPEND`]. None of them is Root.

pub use pallet_origins::*;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet_origins {
	use crate::{Balance, UNIT};
	use polkadot_sdk::frame_support::pallet_prelude::*;

	/// The most one treasurer referendum may spend: large grants need a Root referendum.
	pub const TREASURER_MAX_SPEND: Balance = 100_000 * UNIT;

	/// This pallet has no configuration: it only defines origins.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The origin of a referendum passed on one of the non-Root tracks.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// May cancel an ongoing referendum; its deposits are returned.
		ReferendumCanceller,
		/// May kill an ongoing referendum; its deposits are slashed to the treasury.
		ReferendumKiller,
		/// May approve treasury spends up to [`TREASURER_MAX_SPEND`] each.
		Treasurer,
	}

	/// Declares an `EnsureOrigin` that accepts exactly one variant of [`Origin`].
	macro_rules! ensure_variant {
		($(#[$doc:meta])* $name:ident) => {
			$(#[$doc])*
			pub struct $name;
			impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for $name {
				type Success = ();
				fn try_origin(o: O) -> Result<Self::Success, O> {
					o.into().and_then(|origin| match origin {
						Origin::$name => Ok(()),
						other => Err(O::from(other)),
					})
				}
				#[cfg(feature = "runtime-benchmarks")]
				fn try_successful_origin() -> Result<O, ()> {
					Ok(O::from(Origin::$name))
				}
			}
		};
	}

	ensure_variant!(
		/// The origin of a passed canceller-track referendum.
		ReferendumCanceller
	);
	ensure_variant!(
		/// The origin of a passed killer-track referendum.
		ReferendumKiller
	);

	/// The treasurer track's spend origin: succeeds with the most it may spend.
	pub struct Treasurer;
	impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for Treasurer {
		type Success = Balance;
		fn try_origin(o: O) -> Result<Self::Success, O> {
			o.into().and_then(|origin| match origin {
				Origin::Treasurer => Ok(TREASURER_MAX_SPEND),
				other => Err(O::from(other)),
			})
		}
		#[cfg(feature = "runtime-benchmarks")]
		fn try_successful_origin() -> Result<O, ()> {
			Ok(O::from(Origin::Treasurer))
		}
	}
}
