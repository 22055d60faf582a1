//! The pallet's logic, one module per feature, each an `impl` block of [`crate::Pallet`].

mod deadlines;
mod governance;
mod jobs;
mod results;
mod reveal;
mod workers;
