//! The pallet's features beyond the ledger: dividends and holder resolutions.

pub mod dividends;
pub mod resolutions;
