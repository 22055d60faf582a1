//! Tests, one file per call or feature. Each runs in [`crate::mock::build_and_execute`], which
//! checks the pallet's invariants (`do_try_state`) afterwards.

mod bonds;
mod catalog;
mod key_sets;
mod limits;
mod migration;
mod ownership;
mod register;
mod retire;
mod terms;
mod upload;
