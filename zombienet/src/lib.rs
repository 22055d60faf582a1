//! Network tests of the Token Factory node, run with zombienet-sdk's native provider.
//!
//! The tests live in `tests/`, numbered in the order they build on each other. They are
//! `#[ignore]`d so that `cargo test --workspace` needs no node binary; `scripts/test.sh` runs
//! them with `--ignored` after building the node and the test runtimes:
//!
//! ```text
//! TOKENFACTORY_TEST_RUNTIMES=1 cargo build -p tokenfactory-node
//! cargo test --workspace -- --ignored --test-threads 1
//! ```
//!
//! `TOKENFACTORY_NODE` overrides the node binary (default: `tokenfactory-node` next to the
//! test binary's target directory).
