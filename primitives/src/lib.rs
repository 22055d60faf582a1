//! # Token Factory primitives
//!
//! `no_std` types and small traits shared by the runtime, the pallets and the clients, so
//! that pallets couple through these traits rather than through each other:
//!
//! - [`datasets`]: datasets and key sets as the data registry stores and the compute pallet
//!   reads them;
//! - [`voucher`]: payment-channel vouchers, their signing payload and verification;
//! - [`revenue`]: routing data revenue to an equity class's dividend pool;
//! - [`groth16`]: the decryption statement and a Groth16 verifier generic over the curve;
//! - [`programs`]: the aggregate program catalogue and the validation of job parameters;
//! - [`seal`]: the consumer's sealed answer and the result commitment, as a complaint checks
//!   them;
//! - [`compute`]: jobs, payments, worker result statements and the decryption verifier seam;
//! - [`executor`]: the runtime interface from the off-chain worker to the node's FHE executor.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod compute;
pub mod datasets;
pub mod executor;
pub mod groth16;
pub mod programs;
pub mod revenue;
pub mod seal;
pub mod voucher;
