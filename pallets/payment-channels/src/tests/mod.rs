//! Tests, one file per call or feature. Each runs in [`crate::mock::build_and_execute`], which
//! checks the pallet's invariants (`do_try_state`) afterwards.

mod charger;
mod claim;
mod close;
mod finalize_close;
mod migration;
mod open;
mod properties;
mod request_close;
mod top_up;
mod try_state;
