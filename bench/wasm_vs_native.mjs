#!/usr/bin/env node
// Indicator catalogue, native against WebAssembly (issue 3: whole catalogue for
// the national sample in <= 300 ms natively, WebAssembly within 2x of native).
//
// Usage:
//   node bench/wasm_vs_native.mjs [--reps 7] [--data DIR] [--wasm-profile release]
//
// Builds the example `kpi-core/examples/indicator_time.rs` natively and for
// wasm32-wasip1 (`rustup target add wasm32-wasip1`), writes the national sample
// (`kpi sample --scale national --years 2015..2024`) to
// target/bench-data/national unless --data names a folder or it is there
// already, runs the native build, then the WebAssembly build under Node's
// built-in WASI (`node:wasi`, the data folder preopened as /data), each in its
// own process, and prints both JSON lines and the ratio wasm / native of the
// median (and min) compute time. Load time is printed but not compared: the
// target is the computation after loading.
//
// The native build is always `release` (as the `kpi` CLI). `--wasm-profile
// wasm-engine` builds the WebAssembly side with the profile the widgets' engine
// module ships with (opt-level "s", fat LTO) instead of `release` (opt-level 3);
// `wasm-release` is the chart module's size-minded profile (opt-level "z").
//
// Internal: `node bench/wasm_vs_native.mjs --run-wasm FILE.wasm DIR REPS` runs
// the WebAssembly build alone and prints its JSON line.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const targetDir = process.env.CARGO_TARGET_DIR
  ? path.resolve(process.env.CARGO_TARGET_DIR)
  : path.join(root, "target");
const EXAMPLE = "indicator_time";
const WASM_TARGET = "wasm32-wasip1";
// 1.5 GiB (a multiple of the 64 KiB page): the national sample peaks under 1 GiB in wasm32.
const WASM_INITIAL_MEMORY = 1536 * 1024 * 1024;

if (process.argv[2] === "--run-wasm") {
  await runWasm(process.argv[3], process.argv[4], process.argv[5]);
} else {
  main();
}

/** Runs the WASI build in this process; the data folder is preopened as /data. */
async function runWasm(wasmFile, dataDir, reps) {
  const { WASI } = await import("node:wasi");
  const wasi = new WASI({
    version: "preview1",
    args: [EXAMPLE, "/data", String(reps)],
    env: {},
    preopens: { "/data": path.resolve(dataDir) },
    returnOnExit: true,
  });
  const module = await WebAssembly.compile(readFileSync(wasmFile));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  const code = wasi.start(instance);
  process.exitCode = code;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const profileDir = (p) => (p === "dev" ? "debug" : p);

  cargo(["build", "--release", "-p", "kpi-core", "--no-default-features",
    "--example", EXAMPLE]);
  // Linear memory sized up front (wasi-libc's malloc uses it all before growing): with the
  // national sample, Node 20's V8 sometimes aborts in a garbage collection started by
  // `memory.grow` ("Fatal error: unreachable code" in MarkCompactCollector, exit by SIGSEGV).
  // The timed repetitions reuse memory either way; only the load grows it.
  cargo(["rustc", "--profile", opts.wasmProfile, "-p", "kpi-core", "--no-default-features",
    "--example", EXAMPLE, "--target", WASM_TARGET, "--", "-C", `link-arg=--initial-memory=${WASM_INITIAL_MEMORY}`]);
  const nativeExe = path.join(targetDir, "release", "examples", EXAMPLE);
  const wasmFile = path.join(targetDir, WASM_TARGET, profileDir(opts.wasmProfile), "examples", `${EXAMPLE}.wasm`);

  const data = opts.data ?? nationalSample();

  const native = runJson("native", nativeExe, [data, String(opts.reps)]);
  const wasm = runJson("wasm", process.execPath, [
    "--no-warnings", fileURLToPath(import.meta.url), "--run-wasm", wasmFile, data, String(opts.reps),
  ]);

  // Both builds must have computed the same table (the value sum may differ in
  // the last bits: ln/exp/pow come from different math libraries).
  const same = native.cells_value === wasm.cells_value
    && native.cells_not_computable === wasm.cells_not_computable
    && Math.abs(native.value_sum - wasm.value_sum) <= 1e-9 * Math.abs(native.value_sum);
  if (!same) {
    console.error("native and wasm computed different tables:", {
      native: [native.cells_value, native.cells_not_computable, native.value_sum],
      wasm: [wasm.cells_value, wasm.cells_not_computable, wasm.value_sum],
    });
    process.exit(1);
  }

  const ratio = wasm.compute_median_ms / native.compute_median_ms;
  const ratioMin = wasm.compute_min_ms / native.compute_min_ms;
  const f = (x) => x.toFixed(1);
  console.log(
    `\nindicator catalogue (${native.indicators} indicators, ${native.organisations} organisations, `
    + `${native.units} units, ${native.years} years; ${native.cells_value} values, `
    + `${native.cells_not_computable} not computable), ${opts.reps} repetitions, wasm profile ${opts.wasmProfile}, `
    + `Node ${process.version}`,
  );
  console.log(`  native: median ${f(native.compute_median_ms)} ms, min ${f(native.compute_min_ms)} ms`
    + `   (load ${f(native.load_ms)} ms)`);
  console.log(`  wasm:   median ${f(wasm.compute_median_ms)} ms, min ${f(wasm.compute_min_ms)} ms`
    + `   (load ${f(wasm.load_ms)} ms)`);
  console.log(`  wasm / native: ${ratio.toFixed(2)}x median, ${ratioMin.toFixed(2)}x min `
    + `(target <= 2x; native target <= 300 ms)`);
}

function parseArgs(argv) {
  const opts = { reps: 7, data: undefined, wasmProfile: "release" };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${argv[i - 1]} needs a value`);
      return v;
    };
    switch (argv[i]) {
      case "--reps": {
        opts.reps = Number(value());
        if (!Number.isInteger(opts.reps) || opts.reps < 1) fail("--reps: expected a positive whole number");
        break;
      }
      case "--data": opts.data = path.resolve(value()); break;
      case "--wasm-profile": opts.wasmProfile = value(); break;
      case "-h":
      case "--help":
        console.log("usage: node bench/wasm_vs_native.mjs [--reps N] [--data DIR] [--wasm-profile release|wasm-engine|wasm-release]");
        process.exit(0);
      default: fail(`unknown argument ${argv[i]}`);
    }
  }
  return opts;
}

/** The national sample for ten years, written once to target/bench-data/national. */
function nationalSample() {
  const dir = path.join(targetDir, "bench-data", "national");
  if (existsSync(dir)) return dir;
  cargo(["build", "--release", "-p", "kpi-cli", "--bin", "kpi"]);
  // Written beside, then renamed: an interrupted run leaves no half sample behind.
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  run(path.join(targetDir, "release", "kpi"),
    ["sample", "--scale", "national", "--years", "2015..2024", "--out", partial]);
  renameSync(partial, dir);
  return dir;
}

function cargo(args) {
  run("cargo", args, { cwd: root });
}

function run(cmd, args, options = {}) {
  console.error(`$ ${[cmd, ...args].join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", ...options });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(" ")}: exit status ${r.status}`);
}

/** Runs a build of the example and parses its one line of JSON. */
function runJson(label, cmd, args) {
  console.error(`$ ${[cmd, ...args].join(" ")}`);
  const r = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.error) fail(`${label}: ${r.error.message}`);
  if (r.status !== 0) fail(`${label}: exit status ${r.status}`);
  const line = r.stdout.trim().split("\n").pop();
  console.log(`${label}: ${line}`);
  try {
    return JSON.parse(line);
  } catch {
    return fail(`${label}: expected a line of JSON, found ${JSON.stringify(line)}`);
  }
}

function fail(message) {
  console.error(`wasm_vs_native: ${message}`);
  process.exit(1);
}
