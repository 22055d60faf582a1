//! OpenGov referenda and their tracks.
//!
//! | id | track | origin | what it can do |
//! |---|---|---|---|
//! | 0 | root | Root | anything: runtime upgrades, verifying keys, any parameter |
//! | 1 | referendum_canceller | `Origins::ReferendumCanceller` | `Referenda::cancel` (deposits returned) |
//! | 2 | referendum_killer | `Origins::ReferendumKiller` | `Referenda::kill` (deposits slashed) |
//! | 3 | treasurer | `Origins::Treasurer` | `Treasury::spend` up to `TREASURER_MAX_SPEND` |
//!
//! Root decides one referendum at a time; the canceller and killer tracks have their own
//! decision slots and quicker curves, so stopping a bad Root referendum never waits behind it.
//! A passed Root referendum is how the chain upgrades itself (`System::authorize_upgrade`,
//! then anyone calls `System::apply_authorized_upgrade` with the code).
//!
//! No whitelisted-caller track: it needs a technical collective to whitelist calls, which this
//! chain does not have; until it does, urgent fixes go through Root.

use crate::origins::pallet_origins::{self, Origin};
use crate::{
	prod_or_fast, AccountId, Balance, Balances, BlockNumber, OriginCaller, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, Scheduler, System, Treasury, DAYS, HOURS, MINUTES, UNIT,
};
use alloc::borrow::Cow;
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{AsEnsureOriginWithArg, ConstU32, EitherOf},
	},
	frame_system::{EnsureRoot, EnsureSigned, RawOrigin},
	pallet_conviction_voting, pallet_referenda,
	pallet_referenda::{Curve, Track, TrackInfo},
	sp_arithmetic::FixedI64,
};

/// Deposit to open any referendum: stops spam, returned when it is decided.
const SUBMISSION_DEPOSIT: Balance = UNIT;
/// Referenda that may wait for a decision slot per track.
const MAX_QUEUED: u32 = 100;
/// A referendum nobody places a decision deposit on is dropped after this long.
const UNDECIDING_TIMEOUT: BlockNumber = prod_or_fast!(14 * DAYS, 20);
/// How often a deciding referendum re-checks its tally (1 = every block).
const ALARM_INTERVAL: BlockNumber = 1;

/// Track id of the Root track.
pub const ROOT_TRACK: u16 = 0;
/// Track id of the canceller track.
pub const CANCELLER_TRACK: u16 = 1;
/// Track id of the killer track.
pub const KILLER_TRACK: u16 = 2;
/// Track id of the treasurer track.
pub const TREASURER_TRACK: u16 = 3;

/// Root track parameters. Real values follow Polkadot's Root track: one referendum at a time,
/// a two-hour preparation, 28 days to decide, a day of confirmation and a day before enactment.
/// Under `fast-runtime` every period is a few blocks, so a test upgrade passes in about a minute.
const ROOT_MAX_DECIDING: u32 = 1;
/// A large deposit: a Root referendum can change anything.
const ROOT_DECISION_DEPOSIT: Balance = 1_000 * UNIT;
const ROOT_PREPARE_PERIOD: BlockNumber = prod_or_fast!(2 * HOURS, 2);
const ROOT_DECISION_PERIOD: BlockNumber = prod_or_fast!(28 * DAYS, 30);
const ROOT_CONFIRM_PERIOD: BlockNumber = prod_or_fast!(DAYS, 2);
const ROOT_MIN_ENACTMENT_PERIOD: BlockNumber = prod_or_fast!(DAYS, 1);

const fn percent(x: i32) -> FixedI64 {
	FixedI64::from_rational(x as u128, 100)
}

/// Approval needed on the Root track: 100% falling reciprocally to 50% over the decision period.
const ROOT_MIN_APPROVAL: Curve =
	Curve::make_reciprocal(4, 28, percent(80), percent(50), percent(100));
/// Support needed on the Root track: 50% of active issuance falling linearly to 0.
const ROOT_MIN_SUPPORT: Curve = Curve::make_linear(28, 28, percent(0), percent(50));

/// Canceller and killer tracks (Polkadot's shape): many referenda decided at once, a week to
/// decide, three hours of confirmation and ten minutes to enactment, so a bad referendum is
/// stopped long before a Root referendum's day-long confirmation and enactment end. Under
/// `fast-runtime` each period is a block or two.
const STOPPER_MAX_DECIDING: u32 = 100;
/// A tenth of Root's: cancelling must be affordable.
const CANCELLER_DECISION_DEPOSIT: Balance = 100 * UNIT;
/// Half of Root's: killing slashes someone else's deposits, so it costs more to ask.
const KILLER_DECISION_DEPOSIT: Balance = 500 * UNIT;
const STOPPER_PREPARE_PERIOD: BlockNumber = prod_or_fast!(2 * HOURS, 2);
const STOPPER_DECISION_PERIOD: BlockNumber = prod_or_fast!(7 * DAYS, 20);
const STOPPER_CONFIRM_PERIOD: BlockNumber = prod_or_fast!(3 * HOURS, 2);
const STOPPER_MIN_ENACTMENT_PERIOD: BlockNumber = prod_or_fast!(10 * MINUTES, 1);
/// Approval needed to stop a referendum: 100% falling linearly to 50% over 17/28 of the period.
const STOPPER_MIN_APPROVAL: Curve = Curve::make_linear(17, 28, percent(50), percent(100));
/// Support needed to stop a referendum: 50% falling reciprocally to 1% by 12/28 of the period.
const STOPPER_MIN_SUPPORT: Curve =
	Curve::make_reciprocal(12, 28, percent(1), percent(0), percent(50));

/// Treasurer track: ten spends decided at once, Root's four-week decision period, a week of
/// confirmation and a day before enactment.
const TREASURER_MAX_DECIDING: u32 = 10;
const TREASURER_DECISION_DEPOSIT: Balance = 100 * UNIT;
const TREASURER_PREPARE_PERIOD: BlockNumber = prod_or_fast!(2 * HOURS, 2);
const TREASURER_DECISION_PERIOD: BlockNumber = prod_or_fast!(28 * DAYS, 30);
const TREASURER_CONFIRM_PERIOD: BlockNumber = prod_or_fast!(7 * DAYS, 2);
const TREASURER_MIN_ENACTMENT_PERIOD: BlockNumber = prod_or_fast!(DAYS, 1);
/// Approval for a spend: as Root's.
const TREASURER_MIN_APPROVAL: Curve =
	Curve::make_reciprocal(4, 28, percent(80), percent(50), percent(100));
/// Support for a spend: as Root's.
const TREASURER_MIN_SUPPORT: Curve = Curve::make_linear(28, 28, percent(0), percent(50));

/// Pads a track name into the fixed-size array referenda stores.
const fn track_name<const N: usize>(name: &str) -> [u8; N] {
	let bytes = name.as_bytes();
	let mut out = [0u8; N];
	let mut i = 0;
	while i < bytes.len() && i < N {
		out[i] = bytes[i];
		i += 1;
	}
	out
}

/// A track that stops referenda: the canceller or the killer.
const fn stopper(
	id: u16,
	name: &str,
	decision_deposit: Balance,
) -> Track<u16, Balance, BlockNumber> {
	Track {
		id,
		info: TrackInfo {
			name: track_name(name),
			max_deciding: STOPPER_MAX_DECIDING,
			decision_deposit,
			prepare_period: STOPPER_PREPARE_PERIOD,
			decision_period: STOPPER_DECISION_PERIOD,
			confirm_period: STOPPER_CONFIRM_PERIOD,
			min_enactment_period: STOPPER_MIN_ENACTMENT_PERIOD,
			min_approval: STOPPER_MIN_APPROVAL,
			min_support: STOPPER_MIN_SUPPORT,
		},
	}
}

static TRACKS: [Track<u16, Balance, BlockNumber>; 4] = [
	Track {
		id: ROOT_TRACK,
		info: TrackInfo {
			name: track_name("root"),
			max_deciding: ROOT_MAX_DECIDING,
			decision_deposit: ROOT_DECISION_DEPOSIT,
			prepare_period: ROOT_PREPARE_PERIOD,
			decision_period: ROOT_DECISION_PERIOD,
			confirm_period: ROOT_CONFIRM_PERIOD,
			min_enactment_period: ROOT_MIN_ENACTMENT_PERIOD,
			min_approval: ROOT_MIN_APPROVAL,
			min_support: ROOT_MIN_SUPPORT,
		},
	},
	stopper(CANCELLER_TRACK, "referendum_canceller", CANCELLER_DECISION_DEPOSIT),
	stopper(KILLER_TRACK, "referendum_killer", KILLER_DECISION_DEPOSIT),
	Track {
		id: TREASURER_TRACK,
		info: TrackInfo {
			name: track_name("treasurer"),
			max_deciding: TREASURER_MAX_DECIDING,
			decision_deposit: TREASURER_DECISION_DEPOSIT,
			prepare_period: TREASURER_PREPARE_PERIOD,
			decision_period: TREASURER_DECISION_PERIOD,
			confirm_period: TREASURER_CONFIRM_PERIOD,
			min_enactment_period: TREASURER_MIN_ENACTMENT_PERIOD,
			min_approval: TREASURER_MIN_APPROVAL,
			min_support: TREASURER_MIN_SUPPORT,
		},
	},
];

/// The tracks of this chain and which origin each one dispatches with.
pub struct TracksInfo;
impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = u16;
	type RuntimeOrigin =
		<RuntimeOrigin as polkadot_sdk::frame_support::traits::OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		TRACKS.iter().map(Cow::Borrowed)
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		match origin {
			OriginCaller::system(RawOrigin::Root) => Ok(ROOT_TRACK),
			OriginCaller::Origins(Origin::ReferendumCanceller) => Ok(CANCELLER_TRACK),
			OriginCaller::Origins(Origin::ReferendumKiller) => Ok(KILLER_TRACK),
			OriginCaller::Origins(Origin::Treasurer) => Ok(TREASURER_TRACK),
			_ => Err(()),
		}
	}
}

parameter_types! {
	pub const SubmissionDeposit: Balance = SUBMISSION_DEPOSIT;
	pub const UndecidingTimeout: BlockNumber = UNDECIDING_TIMEOUT;
	pub const AlarmInterval: BlockNumber = ALARM_INTERVAL;
}

impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	/// Any account may propose; the decision deposit and the vote decide.
	type SubmitOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, pallet_origins::ReferendumCanceller>;
	type KillOrigin = EitherOf<EnsureRoot<AccountId>, pallet_origins::ReferendumKiller>;
	/// Deposits of killed referenda go to the treasury.
	type Slash = Treasury;
	type Votes = pallet_conviction_voting::VotesOf<Runtime>;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<MAX_QUEUED>;
	type UndecidingTimeout = UndecidingTimeout;
	type AlarmInterval = AlarmInterval;
	type Tracks = TracksInfo;
	type Preimages = crate::Preimage;
	type BlockNumberProvider = System;
}

impl pallet_origins::Config for Runtime {}
