//! The pallet's tests, one file per call or feature. Every test runs through
//! `mock::build_and_execute`, which checks `do_try_state` and the conservation of funds after it.

mod attack;
mod governance;
mod migration;
mod offchain;
mod properties;
mod results;
mod reveal;
mod submit_job;
mod timeouts;
mod workers;
