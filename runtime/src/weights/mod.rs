//! Weights of the Token Factory pallets, measured on this chain's reference machine by their
//! FRAME benchmarks: `scripts/bench-weights.sh` builds the node with `runtime-benchmarks` and
//! writes these files (the figures are in `docs/benchmarks.md`). Upstream pallets use their
//! own published weights.

pub mod pallet_compute;
pub mod pallet_data_registry;
pub mod pallet_equity;
pub mod pallet_payment_channels;
