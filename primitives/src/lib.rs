//! # Token Factory primitives
//!
//! `no_std` types and small traits shared by the runtime, the pallets and the clients, so
//! that pallets couple through these traits rather than through each other:
//!
//! - [`voucher`]: payment-channel vouchers, their signing payload and verification;
//! - [`revenue`]: routing data revenue to an equity class's dividend pool.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod revenue;
pub mod voucher;
