"""Times the pure-wasm decryption-proof verifier under wasmtime (Cranelift, the engine the
node's executor uses). Usage: python3 run.py PATH/TO/tokenfactory_wasm_verify.wasm [N]"""
import sys
import time

import wasmtime

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 20

engine = wasmtime.Engine()
store = wasmtime.Store(engine)
started = time.perf_counter()
module = wasmtime.Module.from_file(engine, path)
instance = wasmtime.Instance(store, module, [])
compiled = time.perf_counter() - started
exports = instance.exports(store)
verify_times, refuses = exports["verify_times"], exports["refuses_another_job"]

if verify_times(store, 1) != 1:
    sys.exit("the fixture proof was not accepted")
if refuses(store) != 1:
    sys.exit("a proof for another job id was accepted")

samples = []
for _ in range(n):
    started = time.perf_counter()
    if verify_times(store, 1) != 1:
        sys.exit("verification failed")
    samples.append(time.perf_counter() - started)
samples.sort()
median = samples[len(samples) // 2] * 1000
print(f"module {path} compiled in {compiled:.2f} s")
print(
    f"pure wasm Groth16 verify (9-block key, 4 public inputs, decoding and subgroup checks): "
    f"median {median:.1f} ms, min {samples[0] * 1000:.1f} ms, max {samples[-1] * 1000:.1f} ms over {n} runs"
)
