//! Builds the runtime to wasm (the code every node executes) unless `SKIP_WASM_BUILD` is set.
//!
//! With `TOKENFACTORY_TEST_RUNTIMES=1` (set by `scripts/test.sh`) it also builds the two
//! variants the network tests need: `fast-runtime` (governance periods of blocks), and the
//! same one `spec_version` higher, which the runtime-upgrade test enacts by referendum.

#[cfg(feature = "std")]
fn main() {
	use substrate_wasm_builder::WasmBuilder;

	WasmBuilder::build_using_defaults();

	println!("cargo:rerun-if-env-changed={TEST_RUNTIMES_ENV}");
	let skip = std::env::var_os("SKIP_WASM_BUILD").is_some();
	if !skip && std::env::var(TEST_RUNTIMES_ENV).is_ok_and(|value| value == "1") {
		WasmBuilder::init_with_defaults()
			.set_file_name(FAST_RUNTIME_FILE)
			.enable_feature("fast-runtime")
			.build();
		WasmBuilder::init_with_defaults()
			.set_file_name(UPGRADE_RUNTIME_FILE)
			.enable_feature("fast-runtime")
			.enable_feature("spec-version-bump")
			.build();
	} else {
		for file in [FAST_RUNTIME_FILE, UPGRADE_RUNTIME_FILE] {
			write_absent_runtime(file);
		}
	}
}

#[cfg(feature = "std")]
const TEST_RUNTIMES_ENV: &str = "TOKENFACTORY_TEST_RUNTIMES";
#[cfg(feature = "std")]
const FAST_RUNTIME_FILE: &str = "fast_runtime_binary.rs";
#[cfg(feature = "std")]
const UPGRADE_RUNTIME_FILE: &str = "upgrade_runtime_binary.rs";

/// Declares a variant as not built, so that code using it can say how to build it.
#[cfg(feature = "std")]
fn write_absent_runtime(file: &str) {
	let Some(out_dir) = std::env::var_os("OUT_DIR") else {
		panic!("cargo sets OUT_DIR for build scripts");
	};
	let path = std::path::Path::new(&out_dir).join(file);
	let content = "pub const WASM_BINARY: Option<&[u8]> = None;\n";
	if std::fs::read_to_string(&path).ok().as_deref() != Some(content) {
		if let Err(error) = std::fs::write(&path, content) {
			panic!("cannot write {}: {error}", path.display());
		}
	}
}

#[cfg(not(feature = "std"))]
fn main() {}
